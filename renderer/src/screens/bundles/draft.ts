// The bundle being built, as the builder edits it: cover details, sections of items with their
// exhibit numbers, and every move the screen offers (drag and drop, and the buttons that do the
// same from the keyboard). Pure: no React, no window.kesi; the spec it makes is checked with the
// contract's own BundleSpec schema before it is saved.
import {
  BUNDLE_SPEC_VERSION,
  BundleSpec,
  DEFAULT_EXHIBIT_PREFIX,
  DEFAULT_SECTIONS,
} from '../../../../shared/bundle-spec';
import type { ItemView } from '../../../../shared/contract';

export interface DraftEntry {
  itemUid: string;
  exhibitNumber: string;
}

export interface DraftSection {
  /** A local key for React and drag and drop; not saved. */
  key: string;
  title: string;
  items: DraftEntry[];
}

export interface DraftCover {
  title: string;
  court: string;
  caseNumber: string;
  parties: string;
  preparedBy: string;
  date: string;
  usePseudonyms: boolean;
}

export interface Draft {
  caseRef: string;
  cover: DraftCover;
  sections: DraftSection[];
}

/** Where an entry is: section index and position in it. */
export interface Place {
  section: number;
  index: number;
}

let keySeq = 0;
export function sectionKey(): string {
  keySeq += 1;
  return `s${keySeq}`;
}

export function emptyCover(today: string, preparedBy = ''): DraftCover {
  return {
    title: 'Prosecution bundle of documents',
    court: '',
    caseNumber: '',
    parties: '',
    preparedBy,
    date: today,
    usePseudonyms: true,
  };
}

/**
 * A first draft of a case: its items in the default sections (by kind, intake order), numbered
 * as shared/bundle-spec.ts defaultBundleSpec numbers them (existing numbers kept, PExh-1… for
 * the rest).
 */
export function initialDraft(
  caseRef: string,
  items: readonly ItemView[],
  cover: DraftCover,
): Draft {
  const ordered = [...items].sort(
    (a, b) => (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : 0) || a.id - b.id,
  );
  const taken = new Set(
    ordered.flatMap((i) => (i.exhibitNumber ? [i.exhibitNumber.toLowerCase()] : [])),
  );
  let next = 1;
  const fresh = (): string => {
    for (;;) {
      const n = `${DEFAULT_EXHIBIT_PREFIX}${next++}`;
      if (!taken.has(n.toLowerCase())) {
        taken.add(n.toLowerCase());
        return n;
      }
    }
  };
  const sections: DraftSection[] = [];
  for (const def of DEFAULT_SECTIONS) {
    const members = ordered.filter((i) => def.kinds.includes(i.kind));
    if (members.length === 0) continue;
    sections.push({
      key: sectionKey(),
      title: def.title,
      items: members.map((i) => ({ itemUid: i.uid, exhibitNumber: i.exhibitNumber ?? fresh() })),
    });
  }
  if (sections.length === 0) sections.push({ key: sectionKey(), title: 'Exhibits', items: [] });
  return { caseRef, cover, sections };
}

/** A stored spec, opened for editing. */
export function draftFromSpec(spec: BundleSpec): Draft {
  return {
    caseRef: spec.caseRef,
    cover: {
      title: spec.title,
      court: spec.court,
      caseNumber: spec.caseNumber,
      parties: spec.parties,
      preparedBy: spec.preparedBy,
      date: spec.date,
      usePseudonyms: spec.usePseudonyms,
    },
    sections: spec.sections.map((s) => ({
      key: sectionKey(),
      title: s.title,
      items: s.items.map((i) => ({ ...i })),
    })),
  };
}

/** The spec as it would be saved (empty sections left out), or the problems that stop it. */
export function specOf(
  d: Draft,
): { ok: true; spec: BundleSpec } | { ok: false; problems: SpecProblem[] } {
  const sections = d.sections
    .filter((s) => s.items.length > 0)
    .map((s) => ({
      title: s.title.trim(),
      items: s.items.map((i) => ({ itemUid: i.itemUid, exhibitNumber: i.exhibitNumber.trim() })),
    }));
  const raw = {
    v: BUNDLE_SPEC_VERSION,
    caseRef: d.caseRef,
    ...d.cover,
    sections,
  };
  const parsed = BundleSpec.safeParse(raw);
  if (parsed.success) return { ok: true, spec: parsed.data };
  // Paths name sections of the saved spec: map them back to the draft's (with empty ones).
  const kept = d.sections.flatMap((s, i) => (s.items.length > 0 ? [i] : []));
  return {
    ok: false,
    problems: parsed.error.issues.map((issue) => {
      const [top, s, , i, field] = issue.path;
      if (top === 'sections' && typeof s === 'number') {
        return {
          field: field === 'exhibitNumber' || field === 'itemUid' ? field : 'section',
          section: kept[s] ?? s,
          ...(typeof i === 'number' ? { index: i } : {}),
          message: issue.message,
        };
      }
      return { field: typeof top === 'string' ? top : 'spec', message: issue.message };
    }),
  };
}

export interface SpecProblem {
  /** A cover field, 'sections', 'section', 'exhibitNumber' or 'itemUid'. */
  field: string;
  section?: number;
  index?: number;
  message: string;
}

/** Item uids already in the draft. */
export function usedUids(d: Draft): Set<string> {
  return new Set(d.sections.flatMap((s) => s.items.map((i) => i.itemUid)));
}

function clone(d: Draft): Draft {
  return { ...d, sections: d.sections.map((s) => ({ ...s, items: [...s.items] })) };
}

/**
 * Moves the entry at `from` to `to` (the index it should have afterwards, in the target
 * section). Out-of-range targets are clamped; an unknown source changes nothing.
 */
export function moveEntry(d: Draft, from: Place, to: Place): Draft {
  const src = d.sections[from.section];
  const entry = src?.items[from.index];
  if (!src || !entry || !d.sections[to.section]) return d;
  const next = clone(d);
  next.sections[from.section]!.items.splice(from.index, 1);
  const target = next.sections[to.section]!.items;
  const index = Math.max(0, Math.min(to.index, target.length));
  target.splice(index, 0, entry);
  return next;
}

/** One step up or down, across the section boundary when at the edge (keyboard moves). */
export function stepEntry(d: Draft, at: Place, dir: -1 | 1): Draft {
  const section = d.sections[at.section];
  if (!section || !section.items[at.index]) return d;
  const index = at.index + dir;
  if (index >= 0 && index < section.items.length) {
    return moveEntry(d, at, { section: at.section, index });
  }
  const other = at.section + dir;
  const target = d.sections[other];
  if (!target) return d;
  return moveEntry(d, at, { section: other, index: dir === 1 ? 0 : target.items.length });
}

export function addEntry(d: Draft, section: number, entry: DraftEntry): Draft {
  if (!d.sections[section] || usedUids(d).has(entry.itemUid)) return d;
  const next = clone(d);
  next.sections[section]!.items.push(entry);
  return next;
}

export function removeEntry(d: Draft, at: Place): Draft {
  if (!d.sections[at.section]?.items[at.index]) return d;
  const next = clone(d);
  next.sections[at.section]!.items.splice(at.index, 1);
  return next;
}

export function setExhibitNumber(d: Draft, at: Place, exhibitNumber: string): Draft {
  const entry = d.sections[at.section]?.items[at.index];
  if (!entry) return d;
  const next = clone(d);
  next.sections[at.section]!.items[at.index] = { ...entry, exhibitNumber };
  return next;
}

export function addSection(d: Draft, title: string): Draft {
  return { ...d, sections: [...d.sections, { key: sectionKey(), title, items: [] }] };
}

export function renameSection(d: Draft, section: number, title: string): Draft {
  if (!d.sections[section]) return d;
  return {
    ...d,
    sections: d.sections.map((s, i) => (i === section ? { ...s, title } : s)),
  };
}

/** Removes a section; its items go back to the list of items not in the bundle. */
export function removeSection(d: Draft, section: number): Draft {
  if (!d.sections[section] || d.sections.length === 1) return d;
  return { ...d, sections: d.sections.filter((_, i) => i !== section) };
}

export function moveSection(d: Draft, section: number, dir: -1 | 1): Draft {
  const other = section + dir;
  if (!d.sections[section] || !d.sections[other]) return d;
  const sections = [...d.sections];
  [sections[section], sections[other]] = [sections[other]!, sections[section]!];
  return { ...d, sections };
}

export interface IndexRow {
  section: number;
  sectionTitle: string;
  exhibitNumber: string;
  itemUid: string;
  title: string;
  capturedAt: string | null;
  /** After generation only. */
  pages: { first: number; last: number } | null;
}

/** The bundle's index as the cover pages will print it (page numbers once generated). */
export function indexRows(
  d: Draft,
  items: ReadonlyMap<string, Pick<ItemView, 'title' | 'capturedAt'>>,
  pages: ReadonlyMap<string, { first: number; last: number }> = new Map(),
): IndexRow[] {
  const rows: IndexRow[] = [];
  d.sections
    .filter((s) => s.items.length > 0)
    .forEach((s, section) => {
      for (const e of s.items) {
        const item = items.get(e.itemUid);
        rows.push({
          section: section + 1,
          sectionTitle: s.title,
          exhibitNumber: e.exhibitNumber,
          itemUid: e.itemUid,
          title: item?.title ?? e.itemUid,
          capturedAt: item?.capturedAt ?? null,
          pages: pages.get(e.itemUid) ?? null,
        });
      }
    });
  return rows;
}

/**
 * Each exhibit's pages in a generated file, read from the case log: the export event of each
 * exhibit names the file's SHA-256, the exhibit number and its first and last page.
 */
export function pagesFromLog(
  events: readonly { action: string; itemUid: string | null; details: Record<string, unknown> }[],
  bundleSha256: string,
): Map<string, { first: number; last: number }> {
  const pages = new Map<string, { first: number; last: number }>();
  for (const e of events) {
    const d = e.details;
    if (e.action !== 'export' || e.itemUid === null || d['bundleSha256'] !== bundleSha256) continue;
    const first = d['firstPage'];
    const last = d['lastPage'];
    if (typeof first === 'number' && typeof last === 'number') {
      pages.set(e.itemUid, { first, last });
    }
  }
  return pages;
}
