// Create or edit a case. Fields are checked with the service's own schemas (CaseInput,
// CasePatch) before sending; problems show next to their field.
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { CaseView } from '../../../../shared/contract';
import { CASE_STATUSES, type Case } from '../../../../shared/domain';
import { kesi } from '../../api';
import { useAction } from '../../app/hooks';
import { ErrorMessage } from '../../components/ErrorMessage';
import { SelectField, TextField } from '../../components/Field';
import { useProblemText } from '../../components/useProblemText';
import {
  buildCaseInput,
  buildCasePatch,
  emptyCaseValues,
  isEmptyPatch,
  valuesFromCase,
  type CaseFormValues,
  type CaseTextField,
} from '../../lib/caseForm';
import { KENYA_COUNTIES } from '../../lib/counties';
import type { FieldProblems } from '../../lib/problems';

interface Props {
  /** The case to edit; none to create one. */
  original?: Case;
  onSaved(c: CaseView): void;
  onCancel(): void;
}

const OPTIONAL_FIELDS: readonly CaseTextField[] = [
  'obNumber',
  'policeStation',
  'county',
  'incidentDate',
  'court',
  'courtCaseNumber',
  'accountableOfficer',
];

export function CaseForm(props: Props): ReactNode {
  const { t } = useTranslation('cases');
  const editing = props.original !== undefined;
  const [values, setValues] = useState<CaseFormValues>(() =>
    props.original ? valuesFromCase(props.original) : emptyCaseValues(),
  );
  const [problems, setProblems] = useState<FieldProblems | null>(null);
  const problemText = useProblemText(problems);
  const set = (field: keyof CaseFormValues) => (v: string) =>
    setValues((prev) => ({ ...prev, [field]: v }));

  const action = useAction(async (): Promise<CaseView | null> => {
    if (props.original) {
      const r = buildCasePatch(props.original, values);
      if (!r.ok) {
        setProblems(r.problems);
        return null;
      }
      setProblems(null);
      if (isEmptyPatch(r.value)) return kesi.getCase(props.original.ref);
      return kesi.updateCase(props.original.ref, r.value);
    }
    const r = buildCaseInput(values);
    if (!r.ok) {
      setProblems(r.problems);
      return null;
    }
    setProblems(null);
    return kesi.createCase(r.value);
  });

  return (
    <form
      className="card form case-form"
      aria-labelledby="case-form-heading"
      data-testid="case-form"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void action.run().then((saved) => {
          if (saved) props.onSaved(saved);
        });
      }}
    >
      <h2 id="case-form-heading">{editing ? t('form.editTitle') : t('form.newTitle')}</h2>
      <div className="form-grid">
        <TextField
          label={t('field.ref')}
          name="ref"
          required
          autoFocus={!editing}
          hint={editing ? t('form.refFixed') : t('form.refHint')}
          value={values.ref}
          onChange={set('ref')}
          error={problemText('ref')}
          {...(editing ? { readOnly: true } : {})}
        />
        <TextField
          label={t('field.title')}
          name="title"
          required
          autoFocus={editing}
          value={values.title}
          onChange={set('title')}
          error={problemText('title')}
        />
        {OPTIONAL_FIELDS.map((f) => (
          <TextField
            key={f}
            label={t(`field.${f}`)}
            name={f}
            type={f === 'incidentDate' ? 'date' : 'text'}
            value={values[f]}
            onChange={set(f)}
            error={problemText(f)}
            {...(f === 'county' ? { list: 'kenya-counties' } : {})}
          />
        ))}
        {editing ? (
          <SelectField
            label={t('field.status')}
            name="status"
            value={values.status}
            onChange={set('status')}
            options={CASE_STATUSES.map((s) => ({ value: s, label: t(`domain:status.${s}`) }))}
          />
        ) : null}
      </div>
      <datalist id="kenya-counties">
        {KENYA_COUNTIES.map((c) => (
          <option key={c} value={c} />
        ))}
      </datalist>
      <ErrorMessage error={action.error} testId="case-form-error" />
      <div className="actions">
        <button type="submit" className="primary" disabled={action.busy} data-testid="case-save">
          {action.busy ? t('common:saving') : editing ? t('form.save') : t('form.create')}
        </button>
        <button type="button" onClick={props.onCancel}>
          {t('common:cancel')}
        </button>
      </div>
    </form>
  );
}
