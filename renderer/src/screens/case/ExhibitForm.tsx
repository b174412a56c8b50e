// Registering a physical exhibit (a sealed bag, a garment): no file, a custodian from the start.
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { ItemView } from '../../../../shared/contract';
import { kesi } from '../../api';
import { useAction } from '../../app/hooks';
import { ErrorMessage } from '../../components/ErrorMessage';
import { TextField } from '../../components/Field';
import { useProblemText } from '../../components/useProblemText';
import {
  EXHIBIT_FIELDS,
  buildExhibitInput,
  emptyExhibitValues,
  type ExhibitFormValues,
} from '../../lib/exhibitForm';
import type { FieldProblems } from '../../lib/problems';

export function ExhibitForm(props: {
  caseRef: string;
  onSaved(item: ItemView): void;
  onCancel(): void;
}): ReactNode {
  const { t } = useTranslation('case');
  const [v, setV] = useState<ExhibitFormValues>(emptyExhibitValues);
  const [problems, setProblems] = useState<FieldProblems | null>(null);
  const problemText = useProblemText(problems);
  const action = useAction(async () => {
    const r = buildExhibitInput(v);
    if (!r.ok) {
      setProblems(r.problems);
      return null;
    }
    setProblems(null);
    return kesi.addExhibit(props.caseRef, r.value);
  });
  return (
    <form
      className="card form"
      aria-labelledby="exhibit-form-heading"
      data-testid="exhibit-form"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void action.run().then((item) => {
          if (item) props.onSaved(item);
        });
      }}
    >
      <h3 id="exhibit-form-heading">{t('exhibit.title')}</h3>
      <div className="form-grid">
        {EXHIBIT_FIELDS.map((f) => (
          <TextField
            key={f}
            label={t(`exhibit.field.${f}`)}
            name={`exhibit-${f}`}
            required={f === 'title'}
            autoFocus={f === 'title'}
            type={f === 'capturedAt' ? 'datetime-local' : 'text'}
            hint={f === 'capturedAt' ? t('eatHint') : undefined}
            multiline={f === 'description'}
            value={v[f]}
            onChange={(x) => setV((prev) => ({ ...prev, [f]: x }))}
            error={problemText(f)}
          />
        ))}
      </div>
      <ErrorMessage error={action.error} />
      <div className="actions">
        <button type="submit" className="primary" disabled={action.busy} data-testid="exhibit-save">
          {action.busy ? t('common:saving') : t('exhibit.save')}
        </button>
        <button type="button" onClick={props.onCancel}>
          {t('common:cancel')}
        </button>
      </div>
    </form>
  );
}
