// The physical-exhibit form's values and the ExhibitInput they make. Pure.
import { ExhibitInput } from '../../../shared/inputs';
import { eatInputToIso } from './format';
import { validate, type Validated } from './problems';

export const EXHIBIT_FIELDS = [
  'title',
  'exhibitNumber',
  'description',
  'seal',
  'custodian',
  'organisation',
  'place',
  'capturedAt',
  'capturedBy',
  'source',
  'reason',
] as const;
export type ExhibitField = (typeof EXHIBIT_FIELDS)[number];
export type ExhibitFormValues = Record<ExhibitField, string>;

export function emptyExhibitValues(): ExhibitFormValues {
  return Object.fromEntries(EXHIBIT_FIELDS.map((f) => [f, ''])) as ExhibitFormValues;
}

/** capturedAt is typed as EAT wall time (datetime-local) and sent with its +03:00 offset. */
export function buildExhibitInput(v: ExhibitFormValues): Validated<ExhibitInput> {
  const raw: Record<string, string> = { title: v.title.trim() };
  for (const f of EXHIBIT_FIELDS) {
    if (f === 'title') continue;
    const s = v[f].trim();
    if (s === '') continue;
    raw[f] = f === 'capturedAt' ? (eatInputToIso(s) ?? s) : s;
  }
  return validate(ExhibitInput, raw);
}
