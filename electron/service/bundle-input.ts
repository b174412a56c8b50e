// Resolves a stored bundle spec against the vault into the assembler's plain input: for each
// exhibit its facts, its content (read lazily, checked against its SHA-256), its custody events
// and their inclusion proofs against a signed tree head.
//
// Everything is taken "as of" a snapshot of the custody log: the first `treeSize` events, the
// tree a signed tree head covers. Events, custodians, item fields (edits made after the
// snapshot are rolled back from the edit events' "from" values) and protected persons are
// those of the snapshot, so that the same spec, snapshot and generation time give the same
// bundle byte for byte, however the vault has grown since.
import type { BundleSpec } from '../../shared/bundle-spec';
import { KesiError } from '../../shared/errors';
import { APP_ID } from '../../shared/version';
import type {
  BundleCustodian,
  BundleExhibit,
  BundleInclusionProof,
  BundleInput,
  BundlePseudonym,
  BundlePublicKey,
  ExhibitContent,
} from '../bundle/types';
import type { Catalogue, CaseRecord, ItemRecord } from '../catalogue';
import type { CustodyEvent } from '../custody/event';
import { caseChainId, type CustodyLog, type StoredEvent } from '../custody/log';
import { eventLeaves, MerkleTree, type SignedTreeHead } from '../custody/merkle';
import type { BlobStore } from '../blobs/store';
import type { SignedInUser } from '../vault/vault';

export const DOCX_MEDIA_TYPE =
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

/** The part of the custody log a bundle is made from. */
export interface Snapshot {
  treeSize: number;
  treeHead: SignedTreeHead;
}

export interface ResolveContext {
  cat: Catalogue;
  log: CustodyLog;
  blobs: BlobStore;
  user: SignedInUser;
}

interface SpecEntry {
  number: string;
  itemUid: string;
}

function entries(spec: BundleSpec): SpecEntry[] {
  return spec.sections.flatMap((s) =>
    s.items.map((i) => ({ number: i.exhibitNumber, itemUid: i.itemUid })),
  );
}

function missing(e: SpecEntry, ref: string, why: string): KesiError {
  return new KesiError(
    'BUNDLE_EXHIBIT_MISSING',
    `Exhibit ${e.number} (item ${e.itemUid}) ${why}. Remove it from the bundle or restore the item, then save the bundle again.`,
    { exhibitNumber: e.number, itemUid: e.itemUid, caseRef: ref },
  );
}

function unreadable(e: SpecEntry, title: string, why: string, cause: string): KesiError {
  return new KesiError(
    'BUNDLE_EXHIBIT_UNREADABLE',
    `Exhibit ${e.number} (${title}) cannot be put in the bundle: ${why}`,
    { exhibitNumber: e.number, itemUid: e.itemUid, cause },
  );
}

/**
 * Checks that every exhibit of the spec is an item of the case, naming the first that is not.
 * Used when a spec is saved and before a bundle is generated.
 */
export function checkSpecItems(cat: Catalogue, c: CaseRecord, spec: BundleSpec): ItemRecord[] {
  return entries(spec).map((e) => {
    const item = cat.items.findByUid(e.itemUid);
    if (!item) throw missing(e, c.ref, `is not in the vault: the item was removed`);
    if (item.caseId !== c.id) {
      throw missing(e, c.ref, `belongs to another case, not ${c.ref}`);
    }
    return item;
  });
}

/** Reads a blob for an exhibit; a damaged or missing blob is reported with the exhibit. */
function blobReader(
  blobs: BlobStore,
  e: SpecEntry,
  title: string,
  what: string,
  blobName: string,
  sha256: string,
): () => Promise<Uint8Array> {
  return async () => {
    try {
      return await blobs.readBuffer(blobName, sha256);
    } catch (err) {
      if (
        err instanceof KesiError &&
        (err.code === 'BLOB_CORRUPT' || err.code === 'BLOB_MISSING')
      ) {
        throw new KesiError(
          err.code,
          err.code === 'BLOB_CORRUPT'
            ? `Exhibit ${e.number} (${title}): the stored ${what} has been altered or damaged; it no longer matches its SHA-256 ${sha256}.`
            : `Exhibit ${e.number} (${title}): the stored ${what} is missing from the vault.`,
          { ...err.details, exhibitNumber: e.number, itemUid: e.itemUid, sha256 },
        );
      }
      throw err;
    }
  };
}

function decodeText(bytes: Buffer, charset: unknown): string {
  const label = charset === 'utf-16le' || charset === 'utf-16be' ? charset : 'utf-8';
  return new TextDecoder(label).decode(bytes);
}

async function contentOf(
  rc: ResolveContext,
  e: SpecEntry,
  item: ItemRecord,
  title: string,
): Promise<ExhibitContent> {
  const blob = item.blobName;
  if (item.kind === 'physical_exhibit' || blob === null) return { type: 'placeholder' };
  const mt = item.mediaType;
  if (mt === 'application/pdf') {
    return { type: 'pdf', bytes: blobReader(rc.blobs, e, title, 'file', blob, item.sha256) };
  }
  if (mt === DOCX_MEDIA_TYPE) {
    return { type: 'docx', bytes: blobReader(rc.blobs, e, title, 'file', blob, item.sha256) };
  }
  if (mt === 'text/plain') {
    const bytes = await blobReader(rc.blobs, e, title, 'file', blob, item.sha256)();
    return { type: 'text', text: decodeText(Buffer.from(bytes), item.metadata['charset']) };
  }
  if (mt.startsWith('image/')) {
    const page = rc.cat.derivatives
      .listByItem(item.id)
      .find((d) => d.kind === 'page_image' && (d.page === null || d.page === 1));
    if (!page || page.width === null || page.height === null) {
      const heif = /hei[cf]|avif/.test(mt);
      throw unreadable(
        e,
        title,
        heif
          ? 'this computer cannot decode HEIC/HEIF photos, so the photo has no page image to print. Convert it to JPEG with the phone or a photo program, take the JPEG in, and put that in the bundle; produce the original separately.'
          : 'the image could not be decoded when it was taken in, so it has no page image to print. Produce it separately.',
        'NO_PAGE_IMAGE',
      );
    }
    return {
      type: 'image',
      pageImageJpeg: blobReader(rc.blobs, e, title, 'page image', page.blobName, page.sha256),
      width: page.width,
      height: page.height,
      pageImageSha256: page.sha256,
    };
  }
  return { type: 'placeholder' };
}

type Fields = Pick<
  ItemRecord,
  'title' | 'description' | 'exhibitNumber' | 'capturedAt' | 'capturedBy' | 'subtype'
>;

/** The item's editable fields as they were at the snapshot (later edits rolled back). */
function fieldsAt(item: ItemRecord, later: CustodyEvent[]): Fields {
  const f: Fields = {
    title: item.title,
    description: item.description,
    exhibitNumber: item.exhibitNumber,
    capturedAt: item.capturedAt,
    capturedBy: item.capturedBy,
    subtype: item.subtype,
  };
  for (let i = later.length - 1; i >= 0; i--) {
    const ev = later[i] as CustodyEvent;
    if (ev.action !== 'edit') continue;
    const changed = ev.details['item'];
    if (typeof changed !== 'object' || changed === null || Array.isArray(changed)) continue;
    for (const [k, v] of Object.entries(changed)) {
      if (!(k in f) || typeof v !== 'object' || v === null || !('from' in v)) continue;
      (f as Record<string, unknown>)[k] = (v as { from: unknown }).from;
    }
  }
  return f;
}

function str(x: unknown): string | null {
  return typeof x === 'string' && x.trim() !== '' ? x : null;
}

/** Who held the item at the snapshot: the last transfer, or whoever took it in. */
function custodianOf(events: CustodyEvent[]): BundleCustodian | null {
  for (let i = events.length - 1; i >= 0; i--) {
    const e = events[i] as CustodyEvent;
    if (e.action === 'transfer') {
      const to = e.details['to'] as Record<string, unknown> | undefined;
      return {
        name: str(to?.['name']) ?? '?',
        organisation: str(to?.['organisation']),
        place: str(to?.['place']),
        seal: str(to?.['seal']),
        since: e.at,
      };
    }
    if (e.action === 'intake') {
      const cu = e.details['custodian'] as Record<string, unknown> | undefined;
      return cu
        ? {
            name: str(cu['name']) ?? e.actor.user,
            organisation: str(cu['organisation']),
            place: str(cu['place']),
            seal: str(cu['seal']),
            since: e.at,
          }
        : { name: e.actor.user, organisation: null, place: e.place, seal: null, since: e.at };
    }
  }
  return null;
}

function metaString(meta: Record<string, unknown>, key: string): string | null {
  return str(meta[key]);
}

/** Resolves the spec into the assembler's input, as of the snapshot. */
export async function resolveBundleInput(
  rc: ResolveContext,
  c: CaseRecord,
  spec: BundleSpec,
  snap: Snapshot,
): Promise<BundleInput> {
  const items = checkSpecItems(rc.cat, c, spec);
  const all: StoredEvent[] = rc.log.all();
  const inTree = all.filter((s) => s.pos <= snap.treeSize);
  if (inTree.length !== snap.treeSize) {
    throw new KesiError('CUSTODY_BROKEN', 'The custody log is shorter than its signed tree head.');
  }
  const tree = new MerkleTree(eventLeaves(inTree.map((s) => s.event)));
  if (tree.root().toString('hex') !== snap.treeHead.rootHash) {
    throw new KesiError(
      'CUSTODY_BROKEN',
      `The custody log does not match its signed tree head of ${snap.treeSize} events.`,
    );
  }
  const byItem = new Map<string, { before: StoredEvent[]; after: CustodyEvent[] }>();
  for (const s of all) {
    const uid = s.event.itemUid;
    if (uid === null) continue;
    let slot = byItem.get(uid);
    if (!slot) byItem.set(uid, (slot = { before: [], after: [] }));
    if (s.pos <= snap.treeSize) slot.before.push(s);
    else slot.after.push(s.event);
  }
  const keyIds = new Set<string>([snap.treeHead.signer.keyId, rc.user.keyId]);
  const list = entries(spec);
  const exhibits: BundleExhibit[] = [];
  for (const [n, e] of list.entries()) {
    const item = items[n] as ItemRecord;
    const slot = byItem.get(item.uid) ?? { before: [], after: [] };
    const events = slot.before.map((s) => s.event);
    const intake = events.find((ev) => ev.action === 'intake');
    if (!intake) {
      throw new KesiError(
        'BUNDLE_EXHIBIT_MISSING',
        `Exhibit ${e.number} (${item.title}) was taken in after ${snap.treeHead.at}, the last signed record of the custody log before the bundle's date: give a later generation time, or leave the exhibit out.`,
        { exhibitNumber: e.number, itemUid: e.itemUid, caseRef: c.ref },
      );
    }
    const f = fieldsAt(item, slot.after);
    const meta = item.metadata;
    const isImage = item.mediaType.startsWith('image/');
    const proofs: BundleInclusionProof[] = slot.before.map((s) => ({
      eventHash: s.event.hash,
      leafIndex: s.pos - 1,
      treeSize: snap.treeSize,
      path: tree.inclusionProof(s.pos - 1).map((h) => h.toString('hex')),
    }));
    for (const ev of events) keyIds.add(ev.actor.keyId);
    const record = meta['record'] as Record<string, unknown> | undefined;
    const custodian = custodianOf(events);
    exhibits.push({
      itemUid: item.uid,
      title: f.title,
      kind: item.kind,
      subtype: f.subtype,
      description: f.description,
      capturedAt: f.capturedAt,
      capturedBy: f.capturedBy,
      camera: isImage ? { make: metaString(meta, 'make'), model: metaString(meta, 'model') } : null,
      software:
        metaString(meta, 'software') ??
        metaString(meta, 'producer') ??
        metaString(meta, 'creator') ??
        metaString(meta, 'encoder'),
      durationSeconds: typeof meta['durationSeconds'] === 'number' ? meta['durationSeconds'] : null,
      sha256: item.sha256,
      size: item.size,
      mediaType: item.mediaType,
      originalName: item.originalName,
      intakeAt: item.createdAt,
      intakeBy: intake.actor.user,
      custodian,
      seal: str(record?.['seal']) ?? custodian?.seal ?? null,
      content: await contentOf(rc, e, item, f.title),
      custodyEvents: events,
      inclusionProofs: proofs,
      exhibitNumber: f.exhibitNumber,
    });
  }

  const known = rc.log.keys();
  const keys: BundlePublicKey[] = [...keyIds].sort().map((keyId) => {
    const k = known.get(keyId);
    if (!k) throw new KesiError('CUSTODY_BROKEN', `The signing key ${keyId} is not in the vault.`);
    return { user: k.user ?? '', keyId, publicKey: String(k.publicKey) };
  });
  const me = keys.find((k) => k.keyId === rc.user.keyId) as BundlePublicKey;

  return {
    spec,
    case: caseAt(c, all, snap),
    exhibits,
    treeHead: snap.treeHead,
    keys,
    signer: { ...me, privateKey: rc.user.privateKey, displayName: null },
    app: APP_ID,
    pseudonyms: spec.usePseudonyms ? pseudonymsAt(rc, c, all, snap) : [],
  };
}

/** The case's facts as they were at the snapshot (later edits rolled back). */
function caseAt(c: CaseRecord, all: StoredEvent[], snap: Snapshot): BundleInput['case'] {
  const f: Record<string, string | null> = {
    title: c.title,
    obNumber: c.obNumber,
    policeStation: c.policeStation,
    county: c.county,
    incidentDate: c.incidentDate,
  };
  const chain = caseChainId(c.uid);
  for (let i = all.length - 1; i >= 0; i--) {
    const s = all[i] as StoredEvent;
    if (s.pos <= snap.treeSize) break;
    if (s.event.chain !== chain || s.event.action !== 'edit') continue;
    const changed = s.event.details['case'];
    if (typeof changed !== 'object' || changed === null || Array.isArray(changed)) continue;
    for (const [k, v] of Object.entries(changed)) {
      if (!(k in f) || typeof v !== 'object' || v === null || !('from' in v)) continue;
      const from = (v as { from: unknown }).from;
      f[k] = typeof from === 'string' ? from : null;
    }
  }
  return {
    uid: c.uid,
    ref: c.ref,
    title: f['title'] ?? c.title,
    obNumber: f['obNumber'] ?? null,
    policeStation: f['policeStation'] ?? null,
    county: f['county'] ?? null,
    incidentDate: f['incidentDate'] ?? null,
  };
}

/** Protected persons of the case recorded within the snapshot, in the order they were added. */
function pseudonymsAt(
  rc: ResolveContext,
  c: CaseRecord,
  all: StoredEvent[],
  snap: Snapshot,
): BundlePseudonym[] {
  const chain = caseChainId(c.uid);
  const added = new Set<number>();
  for (const s of all) {
    if (s.pos > snap.treeSize) break;
    if (s.event.chain !== chain || s.event.action !== 'edit') continue;
    const p = s.event.details['personAdded'] as { id?: unknown } | undefined;
    if (typeof p?.id === 'number') added.add(p.id);
  }
  return rc.cat.persons
    .listByCase(c.id)
    .filter((p) => p.protected && p.pseudonym && added.has(p.id))
    .sort((a, b) => a.id - b.id)
    .map((p) => ({ name: p.fullName, pseudonym: p.pseudonym as string }));
}
