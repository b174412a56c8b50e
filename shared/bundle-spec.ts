// The stored bundle spec: what a court bundle holds and in which order, so that the same
// bundle can be generated again, byte for byte. A lasting format: docs/BUNDLE.md describes it;
// change neither without the other. Pure TypeScript (zod only).
import { z } from 'zod';
import { CaseRef, type ItemKind } from './domain';

export const BUNDLE_SPEC_VERSION = 1;

/** Default exhibit number prefix: prosecution exhibit ("PExh-1"). */
export const DEFAULT_EXHIBIT_PREFIX = 'PExh-';

const Text = (max: number) => z.string().trim().min(1).max(max);

/** A calendar date, YYYY-MM-DD, that exists. */
export const BundleDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'a date is YYYY-MM-DD')
  .refine((s) => {
    const d = new Date(`${s}T00:00:00Z`);
    return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
  }, 'not a real date');

/** An item uid as the catalogue writes it (the custody log's uid rule). */
export const BundleItemUid = z.string().regex(/^[0-9A-Za-z_-]{1,64}$/, 'not an item uid');

/**
 * An exhibit number as printed on every page: "PExh-1", "MFI-3", "P3-A". Letters (any
 * script), digits, and . / - _ ( ) inside; no spaces at the ends.
 */
export const ExhibitNumber = z
  .string()
  .min(1)
  .max(32)
  .regex(
    /^[\p{L}\p{N}](?:[\p{L}\p{N} ./()_-]*[\p{L}\p{N})])?$/u,
    'an exhibit number is letters, digits, spaces and . / - _ ( )',
  );

export const BundleSpecItem = z.object({
  itemUid: BundleItemUid,
  exhibitNumber: ExhibitNumber,
});
export type BundleSpecItem = z.infer<typeof BundleSpecItem>;

export const BundleSection = z.object({
  title: Text(120),
  items: z.array(BundleSpecItem).min(1).max(5000),
});
export type BundleSection = z.infer<typeof BundleSection>;

export const BundleSpec = z
  .object({
    v: z.literal(BUNDLE_SPEC_VERSION),
    caseRef: CaseRef,
    /** "Prosecution bundle of documents". */
    title: Text(200),
    /** "Chief Magistrate's Court at Milimani". */
    court: Text(200),
    /** "Criminal Case No. E123 of 2026". */
    caseNumber: Text(120),
    /** "Republic v. John Mwangi Kamau and another". */
    parties: Text(400),
    /** Who prepared the bundle: a name and role, or an office. */
    preparedBy: Text(300),
    /** The bundle's date, as printed on the cover. */
    date: BundleDate,
    /** Show protected persons by their pseudonyms in every text Kesi typesets. */
    usePseudonyms: z.boolean(),
    sections: z.array(BundleSection).min(1).max(50),
  })
  .strict()
  .superRefine((spec, ctx) => {
    const uids = new Map<string, string>();
    const numbers = new Map<string, string>();
    spec.sections.forEach((section, s) => {
      section.items.forEach((item, i) => {
        const where = `section ${s + 1}, item ${i + 1}`;
        const uidSeen = uids.get(item.itemUid);
        if (uidSeen !== undefined) {
          ctx.addIssue({
            code: 'custom',
            path: ['sections', s, 'items', i, 'itemUid'],
            message: `the item is already in the bundle (${uidSeen})`,
          });
        } else uids.set(item.itemUid, where);
        const key = item.exhibitNumber.toLowerCase();
        const numberSeen = numbers.get(key);
        if (numberSeen !== undefined) {
          ctx.addIssue({
            code: 'custom',
            path: ['sections', s, 'items', i, 'exhibitNumber'],
            message: `exhibit number ${item.exhibitNumber} is already used (${numberSeen})`,
          });
        } else numbers.set(key, where);
      });
    });
  });
export type BundleSpec = z.infer<typeof BundleSpec>;

/** The sections of a default bundle, in order, and the kinds of item each one takes. */
export const DEFAULT_SECTIONS: readonly { title: string; kinds: readonly ItemKind[] }[] = [
  { title: 'Statements', kinds: ['statement'] },
  { title: 'Medical reports', kinds: ['medical_report'] },
  { title: 'Photographs', kinds: ['photo'] },
  { title: 'Documents', kinds: ['document', 'other'] },
  { title: 'Audio and video', kinds: ['audio', 'video'] },
  { title: 'Physical exhibits', kinds: ['physical_exhibit'] },
];

/** What defaultBundleSpec needs to know of an item. */
export interface BundleSpecSourceItem {
  uid: string;
  kind: ItemKind;
  /** The number it already carries, kept as it is. */
  exhibitNumber: string | null;
  /** Intake time (ISO UTC): items keep intake order within a section. */
  createdAt: string;
  /** Tie-breaker for items taken in at the same instant (the catalogue id). */
  id?: number;
}

export interface DefaultSpecCover {
  caseRef: string;
  title?: string;
  court: string;
  caseNumber: string;
  parties: string;
  preparedBy: string;
  date: string;
  usePseudonyms?: boolean;
  /** Prefix of new exhibit numbers; default "PExh-". */
  exhibitPrefix?: string;
}

/**
 * A sensible first spec: sections by kind (Statements, Medical reports, Photographs, Documents,
 * Audio and video, Physical exhibits), empty ones left out, items in intake order. Items keep
 * the exhibit number they have; the others are numbered PExh-1, PExh-2… in bundle order,
 * skipping numbers already taken. Throws a zod error if the result is not a valid spec.
 */
export function defaultBundleSpec(
  cover: DefaultSpecCover,
  items: readonly BundleSpecSourceItem[],
): BundleSpec {
  const prefix = cover.exhibitPrefix ?? DEFAULT_EXHIBIT_PREFIX;
  const taken = new Set(
    items.flatMap((it) => (it.exhibitNumber ? [it.exhibitNumber.toLowerCase()] : [])),
  );
  const ordered = [...items].sort(
    (a, b) =>
      (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : 0) ||
      (a.id ?? 0) - (b.id ?? 0) ||
      (a.uid < b.uid ? -1 : a.uid > b.uid ? 1 : 0),
  );
  let next = 1;
  const fresh = (): string => {
    for (;;) {
      const candidate = `${prefix}${next++}`;
      if (!taken.has(candidate.toLowerCase())) {
        taken.add(candidate.toLowerCase());
        return candidate;
      }
    }
  };
  const sections: BundleSection[] = [];
  for (const def of DEFAULT_SECTIONS) {
    const members = ordered.filter((it) => def.kinds.includes(it.kind));
    if (members.length === 0) continue;
    sections.push({
      title: def.title,
      items: members.map((it) => ({
        itemUid: it.uid,
        exhibitNumber: it.exhibitNumber ?? fresh(),
      })),
    });
  }
  return BundleSpec.parse(specWithCover(cover, sections));
}

/** A spec (not yet checked) of these sections under this cover, with the defaults filled in. */
export function specWithCover(cover: DefaultSpecCover, sections: unknown[]): unknown {
  return {
    v: BUNDLE_SPEC_VERSION,
    caseRef: cover.caseRef,
    title: cover.title ?? 'Prosecution bundle of documents',
    court: cover.court,
    caseNumber: cover.caseNumber,
    parties: cover.parties,
    preparedBy: cover.preparedBy,
    date: cover.date,
    usePseudonyms: cover.usePseudonyms ?? true,
    sections,
  };
}
