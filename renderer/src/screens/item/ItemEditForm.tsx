// Editing an item's description (never its bytes). Every change is a signed "edit" event.
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { ItemView } from '../../../../shared/contract';
import { MEDICAL_SUBTYPES } from '../../../../shared/domain';
import { kesi } from '../../api';
import { useAction } from '../../app/hooks';
import { ErrorMessage } from '../../components/ErrorMessage';
import { SelectField, TextField } from '../../components/Field';
import { useProblemText } from '../../components/useProblemText';
import {
  ITEM_TEXT_FIELDS,
  buildItemPatch,
  isEmptyItemPatch,
  valuesFromItem,
  type ItemFormValues,
} from '../../lib/itemForm';
import type { FieldProblems } from '../../lib/problems';

export function ItemEditForm(props: {
  item: ItemView;
  onSaved(it: ItemView): void;
  onCancel(): void;
}): ReactNode {
  const { t } = useTranslation('item');
  const [v, setV] = useState<ItemFormValues>(() => valuesFromItem(props.item));
  const [problems, setProblems] = useState<FieldProblems | null>(null);
  const problemText = useProblemText(problems);
  const action = useAction(async () => {
    const r = buildItemPatch(props.item, v);
    if (!r.ok) {
      setProblems(r.problems);
      return null;
    }
    setProblems(null);
    if (isEmptyItemPatch(r.value)) return props.item;
    return kesi.updateItem(props.item.id, r.value);
  });
  return (
    <form
      className="card form"
      aria-labelledby="item-edit-heading"
      data-testid="item-edit-form"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void action.run().then((it) => {
          if (it) props.onSaved(it);
        });
      }}
    >
      <h2 id="item-edit-heading">{t('edit')}</h2>
      {ITEM_TEXT_FIELDS.map((f) => (
        <TextField
          key={f}
          label={t(`field.${f}`)}
          name={`item-${f}`}
          required={f === 'title'}
          autoFocus={f === 'title'}
          multiline={f === 'description'}
          type={f === 'capturedAt' ? 'datetime-local' : 'text'}
          hint={f === 'capturedAt' ? t('case:eatHint') : undefined}
          value={v[f]}
          onChange={(x) => setV((prev) => ({ ...prev, [f]: x }))}
          error={problemText(f)}
        />
      ))}
      {props.item.kind === 'medical_report' ? (
        <SelectField
          label={t('field.subtype')}
          name="item-subtype"
          value={v.subtype}
          onChange={(x) => setV((prev) => ({ ...prev, subtype: x as ItemFormValues['subtype'] }))}
          options={[
            { value: '', label: '—' },
            ...MEDICAL_SUBTYPES.map((s) => ({ value: s, label: t(`domain:subtype.${s}`) })),
          ]}
        />
      ) : null}
      <TextField
        label={t('field.reason')}
        name="item-reason"
        hint={t('reasonHint')}
        value={v.reason}
        onChange={(x) => setV((prev) => ({ ...prev, reason: x }))}
        error={problemText('reason')}
      />
      <ErrorMessage error={action.error} />
      <div className="actions">
        <button type="submit" className="primary" disabled={action.busy} data-testid="item-save">
          {action.busy ? t('common:saving') : t('common:save')}
        </button>
        <button type="button" onClick={props.onCancel}>
          {t('common:cancel')}
        </button>
      </div>
    </form>
  );
}
