// The case form's values (strings, as typed) and the CaseInput / CasePatch they make. Pure.
import type { Case, CaseStatus } from '../../../shared/domain';
import { CaseInput, CasePatch } from '../../../shared/inputs';
import { validate, type Validated } from './problems';

export const CASE_TEXT_FIELDS = [
  'ref',
  'title',
  'obNumber',
  'policeStation',
  'county',
  'incidentDate',
  'court',
  'courtCaseNumber',
  'accountableOfficer',
] as const;
export type CaseTextField = (typeof CASE_TEXT_FIELDS)[number];

export type CaseFormValues = Record<CaseTextField, string> & { status: CaseStatus };

export function emptyCaseValues(): CaseFormValues {
  return {
    ref: '',
    title: '',
    obNumber: '',
    policeStation: '',
    county: '',
    incidentDate: '',
    court: '',
    courtCaseNumber: '',
    accountableOfficer: '',
    status: 'open',
  };
}

export function valuesFromCase(c: Case): CaseFormValues {
  return {
    ref: c.ref,
    title: c.title,
    obNumber: c.obNumber ?? '',
    policeStation: c.policeStation ?? '',
    county: c.county ?? '',
    incidentDate: c.incidentDate ?? '',
    court: c.court ?? '',
    courtCaseNumber: c.courtCaseNumber ?? '',
    accountableOfficer: c.accountableOfficer ?? '',
    status: c.status,
  };
}

/** A new case: empty optional fields are left out. */
export function buildCaseInput(values: CaseFormValues): Validated<CaseInput> {
  const raw: Record<string, string> = {};
  for (const f of CASE_TEXT_FIELDS) {
    const v = values[f].trim();
    if (v !== '' || f === 'ref' || f === 'title') raw[f] = v;
  }
  return validate(CaseInput, raw);
}

/**
 * The changes to a case: only fields that differ. A cleared text field is sent as '' (the case
 * keeps no value); a date cannot be cleared through CasePatch, so clearing one is a problem.
 */
export function buildCasePatch(original: Case, values: CaseFormValues): Validated<CasePatch> {
  const before = valuesFromCase(original);
  const raw: Record<string, string> = {};
  for (const f of CASE_TEXT_FIELDS) {
    if (f === 'ref') continue;
    const v = values[f].trim();
    if (v === before[f].trim()) continue;
    if (f === 'incidentDate' && v === '') {
      return {
        ok: false,
        problems: { incidentDate: { code: 'custom', message: 'A date cannot be removed.' } },
      };
    }
    raw[f] = v;
  }
  if (values.status !== before.status) raw['status'] = values.status;
  return validate(CasePatch, raw);
}

export function isEmptyPatch(patch: CasePatch): boolean {
  return Object.keys(patch).length === 0;
}
