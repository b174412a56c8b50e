// Full-text search over cases, persons and items. The index (search_index, kept by triggers)
// has three text columns: title and body, which may be shown and are searched, and secret,
// which holds a protected person's full name. Searches never look at secret: a hit on a real
// name, even shown by pseudonym, would confirm who a protected witness is without the
// deliberate, logged reveal.
import type { Sql } from '../sql';
import type { SearchHit, SearchHitType, SearchOptions } from '../types';

const MAX_TERMS = 16;
const DEFAULT_LIMIT = 50;
const MAX_LIMIT = 500;
const TYPES: Record<number, SearchHitType> = { 1: 'case', 2: 'person', 3: 'item' };

/**
 * Turn what a person typed into an FTS5 query: every word must match the start of a word in
 * the title or body, ignoring case and diacritics. Undefined when there is nothing to search for. Operators and
 * quotes typed by the user are treated as separators, never as query syntax.
 */
export function ftsQuery(text: string): string | undefined {
  const terms = text.normalize('NFC').match(/[\p{L}\p{N}\p{M}]+/gu);
  if (terms === null) return undefined;
  const words = terms
    .slice(0, MAX_TERMS)
    .map((t) => `"${t}"*`)
    .join(' ');
  return `{title body} : (${words})`;
}

interface HitRow {
  rid: number;
  caseId: number;
  caseRef: string;
  title: string;
  titleSnippet: string;
  bodySnippet: string;
}

function tidy(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}

export class SearchRepo {
  constructor(private readonly sql: Sql) {}

  search(query: string, opts: SearchOptions = {}): SearchHit[] {
    const q = ftsQuery(query);
    if (q === undefined) return [];
    const [open, close] = opts.mark ?? ['[', ']'];
    const limit = Math.min(Math.max(Math.trunc(opts.limit ?? DEFAULT_LIMIT), 1), MAX_LIMIT);
    // Snippets come only from the title and body columns (1 and 2), never from secret (3).
    const rows = this.sql.all<HitRow>(
      `SELECT f.rowid AS rid, f.case_id AS caseId, c.ref AS caseRef, f.title AS title,
         snippet(search_index, 1, @open, @close, '…', 12) AS titleSnippet,
         snippet(search_index, 2, @open, @close, '…', 12) AS bodySnippet
       FROM search_index AS f JOIN cases AS c ON c.id = f.case_id
       WHERE search_index MATCH @q AND (@caseId IS NULL OR f.case_id = @caseId)
       ORDER BY bm25(search_index, 0.0, 10.0, 4.0, 4.0), f.rowid
       LIMIT @limit`,
      { q, open, close, limit, caseId: opts.caseId ?? null },
    );
    const hits: SearchHit[] = [];
    for (const r of rows) {
      const type = TYPES[r.rid % 4];
      if (type === undefined) continue;
      const body = tidy(r.bodySnippet);
      const titleSnippet = tidy(r.titleSnippet);
      const snippet =
        open !== '' && body.includes(open)
          ? body
          : open !== '' && titleSnippet.includes(open)
            ? titleSnippet
            : body || tidy(r.title);
      hits.push({
        type,
        id: Math.floor(r.rid / 4),
        caseId: r.caseId,
        caseRef: r.caseRef,
        title: r.title,
        snippet,
      });
    }
    return hits;
  }
}
