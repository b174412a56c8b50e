// The bundle builder's draft (renderer/src/screens/bundles/draft.ts): the first draft of a case,
// every move the screen offers, the spec it saves, and the index it previews.
import { describe, expect, it } from 'vitest';
import type { ItemView } from '../../shared/contract';
import type { ItemKind } from '../../shared/domain';
import {
  addEntry,
  draftFromSpec,
  emptyCover,
  indexRows,
  initialDraft,
  moveEntry,
  pagesFromLog,
  removeSection,
  setExhibitNumber,
  specOf,
  stepEntry,
  type Draft,
} from '../../renderer/src/screens/bundles/draft';

function item(id: number, kind: ItemKind, exhibitNumber: string | null = null): ItemView {
  return {
    id,
    uid: `uid-${id}`,
    caseId: 1,
    kind,
    subtype: null,
    title: `Item ${id}`,
    description: null,
    exhibitNumber,
    capturedAt: id === 1 ? '2026-03-01T08:00:00.000Z' : null,
    capturedBy: null,
    source: null,
    originalName: null,
    size: 1,
    mediaType: 'image/jpeg',
    sha256: '0'.repeat(64),
    blobName: null,
    metadata: {},
    parentId: null,
    createdAt: `2026-04-0${id}T00:00:00.000Z`,
    createdBy: 1,
    previews: { thumbnail: false, page: false },
  };
}

const ITEMS = [item(1, 'photo'), item(2, 'statement', 'P1'), item(3, 'photo'), item(4, 'document')];
const cover = {
  ...emptyCover('2026-11-21', 'Amina'),
  court: 'Milimani',
  caseNumber: 'E123 of 2026',
  parties: 'Republic v. Kamau',
};
const order = (d: Draft) => d.sections.map((s) => s.items.map((i) => i.itemUid));

describe('the bundle draft', () => {
  it('starts from sections by kind, keeping numbers and numbering the rest', () => {
    const d = initialDraft('C-1', ITEMS, cover);
    expect(d.sections.map((s) => s.title)).toEqual(['Statements', 'Photographs', 'Documents']);
    expect(d.sections.map((s) => s.items.map((i) => i.exhibitNumber))).toEqual([
      ['P1'],
      ['PExh-1', 'PExh-2'],
      ['PExh-3'],
    ]);
    const r = specOf(d);
    expect(r.ok).toBe(true);
  });

  it('moves items within and across sections, by drag or by step', () => {
    const d = initialDraft('C-1', ITEMS, cover);
    // Down within Photographs, then down again: into the top of Documents.
    const once = stepEntry(d, { section: 1, index: 0 }, 1);
    expect(order(once)[1]).toEqual(['uid-3', 'uid-1']);
    const twice = stepEntry(once, { section: 1, index: 1 }, 1);
    expect(order(twice)).toEqual([['uid-2'], ['uid-3'], ['uid-1', 'uid-4']]);
    // Up from the top of a section: to the end of the one before.
    expect(order(stepEntry(d, { section: 1, index: 0 }, -1))[0]).toEqual(['uid-2', 'uid-1']);
    // The very first and last do not move.
    expect(stepEntry(d, { section: 0, index: 0 }, -1)).toBe(d);
    expect(stepEntry(d, { section: 2, index: 0 }, 1)).toBe(d);
    // A drag to a given place; an index past the end lands at the end.
    const dragged = moveEntry(d, { section: 2, index: 0 }, { section: 0, index: 0 });
    expect(order(dragged)).toEqual([['uid-4', 'uid-2'], ['uid-1', 'uid-3'], []]);
    expect(order(moveEntry(d, { section: 0, index: 0 }, { section: 1, index: 99 }))[1]).toEqual([
      'uid-1',
      'uid-3',
      'uid-2',
    ]);
    // The original is never changed.
    expect(order(d)).toEqual([['uid-2'], ['uid-1', 'uid-3'], ['uid-4']]);
  });

  it('saves without empty sections, and names the problems that stop a save', () => {
    const d = moveEntry(
      initialDraft('C-1', ITEMS, cover),
      { section: 2, index: 0 },
      { section: 0, index: 1 },
    );
    const ok = specOf(d);
    expect(ok.ok && ok.spec.sections.map((s) => s.title)).toEqual(['Statements', 'Photographs']);

    const dup = setExhibitNumber(d, { section: 1, index: 1 }, 'PExh-1');
    const bad = specOf({ ...dup, cover: { ...dup.cover, court: '' } });
    expect(bad.ok).toBe(false);
    if (bad.ok) return;
    expect(bad.problems).toContainEqual(expect.objectContaining({ field: 'court' }));
    expect(bad.problems).toContainEqual(
      expect.objectContaining({ field: 'exhibitNumber', section: 1, index: 1 }),
    );
    // A number that is not one.
    const weird = specOf(setExhibitNumber(d, { section: 0, index: 0 }, ' -x'));
    expect(weird.ok).toBe(false);
  });

  it("adds an item once, and gives a removed section's items back", () => {
    const d = initialDraft('C-1', ITEMS.slice(0, 2), cover);
    expect(addEntry(d, 0, { itemUid: 'uid-1', exhibitNumber: 'X' })).toBe(d);
    const more = addEntry(d, 0, { itemUid: 'uid-9', exhibitNumber: 'X9' });
    expect(order(more)[0]).toEqual(['uid-2', 'uid-9']);
    const fewer = removeSection(more, 0);
    expect(order(fewer)).toEqual([['uid-1']]);
    // The last section stays.
    expect(removeSection(fewer, 0)).toBe(fewer);
  });

  it('round-trips a stored spec, and previews the index with pages once generated', () => {
    const d = initialDraft('C-1', ITEMS, cover);
    const r = specOf(d);
    if (!r.ok) throw new Error('not ok');
    const again = specOf(draftFromSpec(r.spec));
    expect(again.ok && again.spec).toEqual(r.spec);

    const byUid = new Map(ITEMS.map((i) => [i.uid, i]));
    const pages = pagesFromLog(
      [
        {
          action: 'export',
          itemUid: 'uid-1',
          details: { bundleSha256: 'abc', firstPage: 5, lastPage: 5 },
        },
        {
          action: 'export',
          itemUid: 'uid-4',
          details: { bundleSha256: 'abc', firstPage: 6, lastPage: 9 },
        },
        // Another file's pages, and the bundle's own event: not this file's exhibits.
        {
          action: 'export',
          itemUid: 'uid-2',
          details: { bundleSha256: 'other', firstPage: 1, lastPage: 1 },
        },
        { action: 'export', itemUid: null, details: { sha256: 'abc' } },
      ],
      'abc',
    );
    const rows = indexRows(d, byUid, pages);
    expect(rows.map((x) => [x.section, x.exhibitNumber, x.title, x.pages])).toEqual([
      [1, 'P1', 'Item 2', null],
      [2, 'PExh-1', 'Item 1', { first: 5, last: 5 }],
      [2, 'PExh-2', 'Item 3', null],
      [3, 'PExh-3', 'Item 4', { first: 6, last: 9 }],
    ]);
    expect(rows[1]?.capturedAt).toBe('2026-03-01T08:00:00.000Z');
  });
});
