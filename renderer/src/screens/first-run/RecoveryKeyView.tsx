// The recovery key, shown once after the vault is made: on screen, and as a print-only sheet.
import { useEffect, useId, useRef, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { CreatedVaultView } from '../../../../shared/contract';
import { formatEat } from '../../../../shared/time';
import { groupKey } from '../../lib/format';

export function RecoveryKeyView(props: { created: CreatedVaultView; onDone(): void }): ReactNode {
  const { t } = useTranslation('firstRun');
  const [stored, setStored] = useState(false);
  const checkId = useId();
  const headingRef = useRef<HTMLHeadingElement>(null);
  const [createdAt] = useState(() => new Date().toISOString());
  const { recoveryKey, user } = props.created;

  useEffect(() => headingRef.current?.focus(), []);

  return (
    <>
      <main className="centre-page recovery-key no-print" data-testid="recovery-key-screen">
        <h1 ref={headingRef} tabIndex={-1}>
          {t('key.title')}
        </h1>
        <p>{t('key.intro')}</p>
        <p className="warning" role="note">
          {t('key.once')}
        </p>
        <div className="card">
          <p className="recovery-key-text" data-testid="recovery-key" aria-label={t('key.label')}>
            {groupKey(recoveryKey)}
          </p>
          <p className="hint">{t('key.spaces')}</p>
        </div>
        <div className="actions">
          <button type="button" onClick={() => window.print()} data-testid="print-key">
            {t('key.print')}
          </button>
        </div>
        <div className="field check">
          <input
            id={checkId}
            type="checkbox"
            checked={stored}
            onChange={(e) => setStored(e.target.checked)}
            data-testid="key-stored"
          />
          <label htmlFor={checkId}>{t('key.stored')}</label>
        </div>
        <div className="actions">
          <button
            type="button"
            className="primary"
            disabled={!stored}
            onClick={props.onDone}
            data-testid="key-done"
          >
            {t('key.continue')}
          </button>
        </div>
      </main>
      <section className="print-only print-sheet" aria-hidden="true">
        <h1>{t('print.title')}</h1>
        <dl>
          <dt>{t('print.vault')}</dt>
          <dd>{user.vaultName}</dd>
          <dt>{t('print.vaultId')}</dt>
          <dd className="mono">{user.vaultId}</dd>
          <dt>{t('print.admin')}</dt>
          <dd>{user.name}</dd>
          <dt>{t('print.created')}</dt>
          <dd>{formatEat(createdAt, false)}</dd>
        </dl>
        <p className="print-key mono">{groupKey(recoveryKey)}</p>
        <p>{t('key.spaces')}</p>
        <ol>
          <li>{t('print.step1')}</li>
          <li>{t('print.step2')}</li>
          <li>{t('print.step3')}</li>
        </ol>
      </section>
    </>
  );
}
