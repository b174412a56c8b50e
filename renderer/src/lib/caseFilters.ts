// The case list's filters. Status, county and text go to the service (listCases); the incident
// date range is applied here, as the service's filter has none. Pure.
import type { Case, CaseStatus } from '../../../shared/domain';
import type { CaseFilter } from '../../../shared/inputs';

export interface CaseListFilters {
  text: string;
  status: CaseStatus | '';
  county: string;
  /** Incident date from / to, YYYY-MM-DD, inclusive; '' for open-ended. */
  from: string;
  to: string;
}

export const NO_FILTERS: CaseListFilters = { text: '', status: '', county: '', from: '', to: '' };

export function serviceFilter(f: CaseListFilters): CaseFilter {
  const out: CaseFilter = {};
  if (f.status !== '') out.status = f.status;
  if (f.county.trim() !== '') out.county = f.county.trim();
  if (f.text.trim() !== '') out.text = f.text.trim();
  return out;
}

/** Cases whose incident date lies in [from, to]; with a range set, undated cases drop out. */
export function byIncidentDate<C extends Pick<Case, 'incidentDate'>>(
  cases: readonly C[],
  from: string,
  to: string,
): C[] {
  if (from === '' && to === '') return [...cases];
  return cases.filter((c) => {
    const d = c.incidentDate;
    if (d === null || d === '') return false;
    // YYYY-MM-DD strings compare in date order.
    return (from === '' || d >= from) && (to === '' || d <= to);
  });
}

export function hasFilters(f: CaseListFilters): boolean {
  return f.text !== '' || f.status !== '' || f.county !== '' || f.from !== '' || f.to !== '';
}
