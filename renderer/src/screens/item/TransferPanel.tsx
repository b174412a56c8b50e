// A physical exhibit: who holds it now, and recording a change of hands (a signed "transfer").
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { TransferInput } from '../../../../shared/inputs';
import { kesi } from '../../api';
import { useAction, useCall } from '../../app/hooks';
import { useSession } from '../../app/session';
import { ErrorMessage } from '../../components/ErrorMessage';
import { TextField } from '../../components/Field';
import { useProblemText } from '../../components/useProblemText';
import { eat } from '../../lib/format';
import { validate, type FieldProblems } from '../../lib/problems';

const FIELDS = ['to', 'organisation', 'place', 'seal', 'reason'] as const;
type Values = Record<(typeof FIELDS)[number], string>;
const EMPTY: Values = { to: '', organisation: '', place: '', seal: '', reason: '' };

export function TransferPanel(props: { itemId: number; onTransferred(): void }): ReactNode {
  const { t } = useTranslation('item');
  const session = useSession();
  const custodian = useCall(() => kesi.currentCustodian(props.itemId), [props.itemId]);
  const [v, setV] = useState<Values>(EMPTY);
  const [open, setOpen] = useState(false);
  const [problems, setProblems] = useState<FieldProblems | null>(null);
  const problemText = useProblemText(problems);
  const action = useAction(async () => {
    const raw: Record<string, string> = {};
    for (const f of FIELDS)
      if (v[f].trim() !== '' || f === 'to' || f === 'reason') raw[f] = v[f].trim();
    const r = validate(TransferInput, raw);
    if (!r.ok) {
      setProblems(r.problems);
      return null;
    }
    setProblems(null);
    return kesi.transfer(props.itemId, r.value);
  });
  const c = custodian.data;
  return (
    <>
      <section className="card" aria-labelledby="custodian-heading" data-testid="custodian">
        <h2 id="custodian-heading">{t('transfer.current')}</h2>
        <ErrorMessage error={custodian.error} />
        {c ? (
          <dl className="props">
            <dt>{t('transfer.holder')}</dt>
            <dd data-testid="custodian-name">{c.name}</dd>
            <dt>{t('transfer.organisation')}</dt>
            <dd>{c.organisation ?? '—'}</dd>
            <dt>{t('transfer.place')}</dt>
            <dd>{c.place ?? '—'}</dd>
            <dt>{t('transfer.seal')}</dt>
            <dd className="mono">{c.seal ?? '—'}</dd>
            <dt>{t('transfer.since')}</dt>
            <dd>{eat(c.since)}</dd>
          </dl>
        ) : null}
        {session.can('items.transfer') && !open ? (
          <div className="actions">
            <button type="button" onClick={() => setOpen(true)} data-testid="open-transfer">
              {t('transfer.record')}
            </button>
          </div>
        ) : null}
      </section>
      {open ? (
        <form
          className="card form"
          aria-labelledby="transfer-heading"
          data-testid="transfer-form"
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            void action.run().then((ev) => {
              if (!ev) return;
              setV(EMPTY);
              setOpen(false);
              custodian.reload();
              props.onTransferred();
            });
          }}
        >
          <h2 id="transfer-heading">{t('transfer.record')}</h2>
          {FIELDS.map((f) => (
            <TextField
              key={f}
              label={t(`transfer.${f}`)}
              name={`transfer-${f}`}
              required={f === 'to' || f === 'reason'}
              autoFocus={f === 'to'}
              multiline={f === 'reason'}
              value={v[f]}
              onChange={(x) => setV((prev) => ({ ...prev, [f]: x }))}
              error={problemText(f)}
            />
          ))}
          <ErrorMessage error={action.error} />
          <div className="actions">
            <button
              type="submit"
              className="primary"
              disabled={action.busy}
              data-testid="transfer-save"
            >
              {action.busy ? t('common:saving') : t('transfer.save')}
            </button>
            <button type="button" onClick={() => setOpen(false)}>
              {t('common:cancel')}
            </button>
          </div>
        </form>
      ) : null}
    </>
  );
}
