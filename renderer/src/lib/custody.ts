// Custody events as lines a caseworker reads: newest first, and per action a short summary of
// its details (intake: file, size, type, previews; transfer: from → to, seal; export: bundle,
// pages; view; edit: what changed). Each summary line is an i18n key (custody:summary.<key>) and
// its values; the raw details stay available to the screen. Pure.
import type { CustodyEventView } from '../../../shared/contract';
import { formatBytes } from './format';

/** Newest first, `limit` of them. */
export function newestFirst(
  events: readonly CustodyEventView[],
  limit: number,
): CustodyEventView[] {
  const out: CustodyEventView[] = [];
  for (let i = events.length - 1; i >= 0 && out.length < limit; i--) {
    const e = events[i];
    if (e !== undefined) out.push(e);
  }
  return out;
}

export interface SummaryLine {
  key: string;
  values: Record<string, string | number>;
}

type Obj = Readonly<Record<string, unknown>>;
const obj = (v: unknown): Obj | null =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Obj) : null;
const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/** A value as short text: null and '' are "—"; long text is cut. */
export function shortValue(v: unknown, max = 80): string {
  if (v === null || v === undefined || v === '') return '—';
  const s = typeof v === 'string' ? v : typeof v === 'object' ? JSON.stringify(v) : String(v);
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

/** "Name (organisation), place" for a custodian record. */
export function custodianText(v: unknown): string | null {
  const c = obj(v);
  const name = str(c?.['name']);
  if (c === null || name === null) return null;
  const org = str(c['organisation']);
  const place = str(c['place']);
  return `${name}${org ? ` (${org})` : ''}${place ? `, ${place}` : ''}`;
}

function changeLines(changes: Obj | null): SummaryLine[] {
  if (changes === null) return [];
  return Object.entries(changes).map(([field, v]) => {
    const c = obj(v);
    return {
      key: 'changed',
      values: { field, from: shortValue(c?.['from'], 60), to: shortValue(c?.['to'], 60) },
    };
  });
}

export function summaryOf(e: CustodyEventView): SummaryLine[] {
  const d = e.details;
  const lines: SummaryLine[] = [];
  const line = (key: string, values: Record<string, string | number> = {}) =>
    lines.push({ key, values });
  switch (e.action) {
    case 'create':
      if (str(d['ref']))
        line('caseOpened', { ref: str(d['ref']) ?? '', title: shortValue(d['title']) });
      break;
    case 'intake': {
      const custodian = custodianText(d['custodian']);
      if (d['kind'] === 'physical_exhibit' || custodian !== null) {
        line('exhibit', { title: shortValue(d['title']) });
        if (custodian) line('heldBy', { custodian });
        const seal = str(obj(d['custodian'])?.['seal']);
        if (seal) line('seal', { seal });
        break;
      }
      const size = num(d['size']);
      line('file', {
        name: shortValue(d['originalName'] ?? d['title']),
        type: shortValue(d['mediaType']),
        size: size === null ? '—' : formatBytes(size),
      });
      const derivatives = Array.isArray(d['derivatives']) ? d['derivatives'] : [];
      const kinds = derivatives.map((x) => str(obj(x)?.['kind'])).filter((k) => k !== null);
      if (kinds.length > 0) line('previews', { list: kinds.join(', ') });
      else line('noPreviews');
      break;
    }
    case 'transfer': {
      line('transfer', {
        from: custodianText(d['from']) ?? '—',
        to: custodianText(d['to']) ?? '—',
      });
      const seal = str(obj(d['to'])?.['seal']);
      if (seal) line('seal', { seal });
      break;
    }
    case 'export': {
      const bundle = obj(d['bundle']);
      if (bundle !== null) {
        line('bundle', {
          title: shortValue(bundle['title']),
          pages: num(d['pages']) ?? 0,
          exhibits: num(bundle['exhibits']) ?? 0,
        });
        if (str(d['fileName'])) line('savedAs', { file: str(d['fileName']) ?? '' });
      } else if (num(d['firstPage']) !== null) {
        line('inBundle', {
          exhibit: shortValue(d['exhibitNumber']),
          first: num(d['firstPage']) ?? 0,
          last: num(d['lastPage']) ?? 0,
        });
      } else if (str(d['fileName'])) {
        line('savedAs', { file: str(d['fileName']) ?? '' });
      }
      break;
    }
    case 'view': {
      const person = obj(d['revealedPerson']);
      if (person) line('revealed', { pseudonym: shortValue(person['pseudonym']) });
      else line('opened');
      break;
    }
    case 'edit': {
      const person = obj(d['personAdded']);
      const bundle = obj(d['bundle']);
      if (person) {
        line('personAdded', { name: shortValue(person['name']), role: shortValue(person['role']) });
      } else if (bundle) {
        line(bundle['change'] === 'created' ? 'bundleCreated' : 'bundleChanged', {
          title: shortValue(bundle['title']),
        });
      } else {
        lines.push(...changeLines(obj(d['item']) ?? obj(d['case'])));
      }
      break;
    }
    case 'verify':
      if (typeof d['ok'] === 'boolean') {
        line(d['ok'] ? 'auditIntact' : 'auditNotIntact', {
          errors: num(d['errors']) ?? 0,
          warnings: num(d['warnings']) ?? 0,
        });
      }
      break;
    case 'user_add':
    case 'user_remove':
      if (str(d['user'])) line('user', { user: str(d['user']) ?? '', role: shortValue(d['role']) });
      break;
  }
  return lines;
}

/** The first and last few characters of a hash or key id, e.g. "3f9a1c…b27e". */
export function shortId(s: string, head = 8, tail = 4): string {
  return s.length <= head + tail + 1 ? s : `${s.slice(0, head)}…${s.slice(-tail)}`;
}
