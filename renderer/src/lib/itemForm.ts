// The item edit form: values as typed, and the ItemPatchInput of what changed. A cleared field
// is sent as null (the item then has no value). Pure.
import type { Item, MedicalSubtype } from '../../../shared/domain';
import { ItemPatchInput } from '../../../shared/inputs';
import { eatInputToIso, isoToEatInput } from './format';
import { validate, type Validated } from './problems';

export const ITEM_TEXT_FIELDS = [
  'title',
  'exhibitNumber',
  'description',
  'capturedAt',
  'capturedBy',
  'source',
] as const;
export type ItemTextField = (typeof ITEM_TEXT_FIELDS)[number];

export type ItemFormValues = Record<ItemTextField, string> & {
  subtype: MedicalSubtype | '';
  reason: string;
};

export function valuesFromItem(it: Item): ItemFormValues {
  return {
    title: it.title,
    exhibitNumber: it.exhibitNumber ?? '',
    description: it.description ?? '',
    capturedAt: isoToEatInput(it.capturedAt),
    capturedBy: it.capturedBy ?? '',
    source: it.source ?? '',
    subtype: it.subtype ?? '',
    reason: '',
  };
}

export function buildItemPatch(original: Item, v: ItemFormValues): Validated<ItemPatchInput> {
  const before = valuesFromItem(original);
  const raw: Record<string, string | null> = {};
  for (const f of ITEM_TEXT_FIELDS) {
    const now = v[f].trim();
    if (now === before[f].trim()) continue;
    if (f === 'title') raw[f] = now;
    else if (now === '') raw[f] = null;
    else raw[f] = f === 'capturedAt' ? (eatInputToIso(now) ?? now) : now;
  }
  if (v.subtype !== before.subtype) raw['subtype'] = v.subtype === '' ? null : v.subtype;
  if (Object.keys(raw).length > 0 && v.reason.trim() !== '') raw['reason'] = v.reason.trim();
  return validate(ItemPatchInput, raw);
}

/** True when the patch changes nothing (a reason alone is no change). */
export function isEmptyItemPatch(p: ItemPatchInput): boolean {
  return Object.keys(p).filter((k) => k !== 'reason').length === 0;
}
