import { describe, expect, it } from 'vitest';
import { BundleSpec, defaultBundleSpec, type BundleSpecSourceItem } from '../../shared/bundle-spec';

const cover = {
  caseRef: 'IMLU-2026-014',
  court: "Chief Magistrate's Court at Milimani",
  caseNumber: 'Criminal Case No. E123 of 2026',
  parties: 'Republic v. John Mwangi Kamau',
  preparedBy: 'Achieng Otieno, Advocate',
  date: '2026-04-02',
};

function item(
  uid: string,
  kind: BundleSpecSourceItem['kind'],
  createdAt: string,
  exhibitNumber: string | null = null,
): BundleSpecSourceItem {
  return { uid, kind, createdAt, exhibitNumber };
}

describe('the default bundle spec', () => {
  it('groups items by kind in the fixed section order, in intake order, numbering PExh-1, PExh-2…', () => {
    const spec = defaultBundleSpec(cover, [
      item('p2', 'photo', '2026-03-02T10:00:00.000Z'),
      item('s1', 'statement', '2026-03-03T10:00:00.000Z'),
      item('p1', 'photo', '2026-03-01T10:00:00.000Z'),
      item('x1', 'physical_exhibit', '2026-03-01T09:00:00.000Z'),
      item('m1', 'medical_report', '2026-03-05T10:00:00.000Z'),
      item('o1', 'other', '2026-03-06T10:00:00.000Z'),
      item('d1', 'document', '2026-03-04T10:00:00.000Z'),
      item('v1', 'video', '2026-03-04T11:00:00.000Z'),
      item('a1', 'audio', '2026-03-04T10:30:00.000Z'),
    ]);
    expect(spec.title).toBe('Prosecution bundle of documents');
    expect(spec.v).toBe(1);
    expect(spec.sections.map((s) => s.title)).toEqual([
      'Statements',
      'Medical reports',
      'Photographs',
      'Documents',
      'Audio and video',
      'Physical exhibits',
    ]);
    expect(
      spec.sections.flatMap((s) => s.items.map((i) => `${i.itemUid}:${i.exhibitNumber}`)),
    ).toEqual([
      's1:PExh-1',
      'm1:PExh-2',
      'p1:PExh-3',
      'p2:PExh-4',
      'd1:PExh-5',
      'o1:PExh-6',
      'a1:PExh-7',
      'v1:PExh-8',
      'x1:PExh-9',
    ]);
  });

  it('keeps exhibit numbers items already have and skips them when numbering the others', () => {
    const spec = defaultBundleSpec(cover, [
      item('a', 'statement', '2026-03-01T10:00:00.000Z'),
      item('b', 'statement', '2026-03-02T10:00:00.000Z', 'PExh-2'),
      item('c', 'statement', '2026-03-03T10:00:00.000Z'),
      item('d', 'statement', '2026-03-04T10:00:00.000Z', 'MFI-1'),
    ]);
    expect(spec.sections[0]!.items.map((i) => i.exhibitNumber)).toEqual([
      'PExh-1',
      'PExh-2',
      'PExh-3',
      'MFI-1',
    ]);
  });

  it('leaves out empty sections, and accepts another prefix', () => {
    const spec = defaultBundleSpec({ ...cover, exhibitPrefix: 'DExh-', title: 'Defence bundle' }, [
      item('a', 'photo', '2026-03-01T10:00:00.000Z'),
    ]);
    expect(spec.sections).toEqual([
      { title: 'Photographs', items: [{ itemUid: 'a', exhibitNumber: 'DExh-1' }] },
    ]);
    expect(spec.title).toBe('Defence bundle');
  });
});

describe('the stored spec', () => {
  const valid = defaultBundleSpec(cover, [
    item('a', 'statement', '2026-03-01T10:00:00.000Z'),
    item('b', 'photo', '2026-03-01T11:00:00.000Z'),
  ]);

  it('round-trips through JSON', () => {
    expect(BundleSpec.parse(JSON.parse(JSON.stringify(valid)))).toEqual(valid);
  });

  it('refuses an item twice, an exhibit number twice (any case), unknown members and bad dates', () => {
    const twice = structuredClone(valid);
    twice.sections[1]!.items.push({ itemUid: 'a', exhibitNumber: 'PExh-9' });
    expect(BundleSpec.safeParse(twice).success).toBe(false);
    const sameNumber = structuredClone(valid);
    sameNumber.sections[1]!.items[0]!.exhibitNumber = 'pexh-1';
    expect(BundleSpec.safeParse(sameNumber).success).toBe(false);
    expect(BundleSpec.safeParse({ ...valid, extra: 1 }).success).toBe(false);
    expect(BundleSpec.safeParse({ ...valid, date: '2026-02-30' }).success).toBe(false);
    expect(BundleSpec.safeParse({ ...valid, v: 2 }).success).toBe(false);
    expect(BundleSpec.safeParse({ ...valid, sections: [] }).success).toBe(false);
  });

  it('accepts exhibit numbers as courts write them, not anything', () => {
    const ok = ['PExh-1', 'MFI-3', 'P3-A', 'Exh 12(a)', 'DExh/2'];
    for (const n of ok) {
      const s = structuredClone(valid);
      s.sections[0]!.items[0]!.exhibitNumber = n;
      expect(BundleSpec.safeParse(s).success, n).toBe(true);
    }
    for (const n of ['', ' PExh-1', 'PExh-1 ', 'a\nb', 'x'.repeat(40)]) {
      const s = structuredClone(valid);
      s.sections[0]!.items[0]!.exhibitNumber = n;
      expect(BundleSpec.safeParse(s).success, JSON.stringify(n)).toBe(false);
    }
  });
});
