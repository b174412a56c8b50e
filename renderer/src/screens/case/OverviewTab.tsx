import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { CaseView } from '../../../../shared/contract';
import { useSession } from '../../app/session';
import { NONE, eat } from '../../lib/format';
import { CaseForm } from '../cases/CaseForm';

const FIELDS = [
  'obNumber',
  'policeStation',
  'county',
  'incidentDate',
  'court',
  'courtCaseNumber',
  'accountableOfficer',
] as const;

export function OverviewTab(props: { kase: CaseView; onChanged(c: CaseView): void }): ReactNode {
  const { t } = useTranslation('cases');
  const session = useSession();
  const [editing, setEditing] = useState(false);
  const c = props.kase;
  if (editing) {
    return (
      <CaseForm
        original={c}
        onCancel={() => setEditing(false)}
        onSaved={(next) => {
          setEditing(false);
          props.onChanged(next);
        }}
      />
    );
  }
  return (
    <div className="card" data-testid="case-overview">
      <dl className="props">
        <dt>{t('field.ref')}</dt>
        <dd className="mono">{c.ref}</dd>
        <dt>{t('field.title')}</dt>
        <dd>{c.title}</dd>
        <dt>{t('field.status')}</dt>
        <dd>
          <span className={`badge status-${c.status}`}>{t(`domain:status.${c.status}`)}</span>
        </dd>
        {FIELDS.map((f) => (
          <FieldRow key={f} label={t(`field.${f}`)} value={c[f]} />
        ))}
        <dt>{t('field.createdAt')}</dt>
        <dd>{eat(c.createdAt)}</dd>
        <dt>{t('field.updatedAt')}</dt>
        <dd>{eat(c.updatedAt) || NONE}</dd>
      </dl>
      {session.can('cases.write') ? (
        <div className="actions">
          <button type="button" onClick={() => setEditing(true)} data-testid="edit-case">
            {t('form.editTitle')}
          </button>
        </div>
      ) : null}
    </div>
  );
}

function FieldRow(props: { label: string; value: string | null }): ReactNode {
  return (
    <>
      <dt>{props.label}</dt>
      <dd>{props.value ? props.value : <span className="muted">{NONE}</span>}</dd>
    </>
  );
}
