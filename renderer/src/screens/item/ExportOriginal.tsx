// Saving a copy of an item's original outside the vault: the user chooses where, says why, and
// main writes the file decrypted and checked against its SHA-256. Each export is a signed
// custody event naming the file, so the reason is asked for.
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { ItemView, SavedFileView } from '../../../../shared/contract';
import { kesi } from '../../api';
import { useAction } from '../../app/hooks';
import { ErrorMessage } from '../../components/ErrorMessage';
import { TextField } from '../../components/Field';

export function ExportOriginal(props: { item: ItemView; onExported(): void }): ReactNode {
  const { t } = useTranslation('item');
  const it = props.item;
  const [reason, setReason] = useState('');
  const [missing, setMissing] = useState(false);
  const [saved, setSaved] = useState<SavedFileView | null>(null);
  const save = useAction(async () => {
    setSaved(null);
    if (reason.trim() === '') {
      setMissing(true);
      return;
    }
    setMissing(false);
    const path = await kesi.chooseSavePath(it.originalName ?? `item-${it.id}`);
    if (path === null) return;
    setSaved(await kesi.exportItem(it.id, path, reason.trim()));
    setReason('');
    props.onExported();
  });
  const open = useAction((path: string) => kesi.openPath(path));
  return (
    <section className="card" aria-labelledby={`export-heading-${it.id}`}>
      <h2 id={`export-heading-${it.id}`}>{t('export.title')}</h2>
      <p className="hint">{t('export.intro')}</p>
      <TextField
        label={t('export.reason')}
        name="export-reason"
        value={reason}
        onChange={setReason}
        required
        maxLength={1000}
        error={missing ? t('export.reasonMissing') : undefined}
      />
      <div className="actions">
        <button
          type="button"
          onClick={() => void save.run()}
          disabled={save.busy}
          data-testid="export-original"
        >
          {save.busy ? t('export.saving') : t('export.save')}
        </button>
      </div>
      <ErrorMessage error={save.error ?? open.error} testId="export-error" />
      {saved ? (
        <div className="success" role="status" data-testid="export-saved">
          <p>
            {t('export.saved')} <span className="mono small">{saved.path}</span>
          </p>
          <p className="muted small">{t('export.checked', { sha: saved.sha256.slice(0, 16) })}</p>
          <button type="button" onClick={() => void open.run(saved.path)}>
            {t('export.open')}
          </button>
        </div>
      ) : null}
    </section>
  );
}
