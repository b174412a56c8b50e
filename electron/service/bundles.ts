// Court bundles in the service: stored specs (the catalogue's bundles table), generation in the
// bundle worker, the file written whole or not at all, and the export events.
//
// A generation is made from a snapshot of the custody log (bundle-input.ts): the newest signed
// tree head, recorded first if the log has grown since. The bundle's export event records the
// snapshot (tree size and root), the spec and the generation time, so that the same bytes can
// be made again later (`regenerateBundleBytes`, `kesi verify --vault`), and so that generating
// the same bundle again with the same time (`--at`) reuses the same snapshot and gives a
// byte-identical file.
import { createHash, randomBytes } from 'node:crypto';
import { open, rename, stat, unlink } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import {
  BundleSpec,
  defaultBundleSpec as makeDefaultSpec,
  specWithCover,
  type DefaultSpecCover,
} from '../../shared/bundle-spec';
import { KesiError } from '../../shared/errors';
import { writeError } from '../util/fs-atomic';
import type { Permission } from '../../shared/roles';
import { parseInput } from '../../shared/validate';
import { isCustodyTime, type CustodyEvent, type JsonValue } from '../custody/event';
import { caseChainId, VAULT_CHAIN, type CustodyLog, type Signer } from '../custody/log';
import type { SignedTreeHead } from '../custody/merkle';
import type { Bundle, Catalogue, CaseRecord } from '../catalogue';
import { runBundle } from '../bundle/run';
import type { BundleProgress } from '../bundle/types';
import type { SignedInUser, UnlockedVault } from '../vault/vault';
import { signingIdentityFor } from './bundle-identity';
import { checkSpecItems, resolveBundleInput, type Snapshot } from './bundle-input';

export interface BundleRecord {
  id: number;
  uid: string;
  caseId: number;
  caseRef: string;
  title: string;
  spec: BundleSpec;
  createdAt: string;
  /** User name. */
  createdBy: string;
  createdById: number;
  lastGeneratedAt: string | null;
  lastSha256: string | null;
}

/** Cover details of a first spec; what is left out comes from the case, the user and today. */
export type BundleCover = Partial<Omit<DefaultSpecCover, 'caseRef'>>;

/** One exhibit of a generated bundle and the pages it fills. */
export interface GeneratedExhibit {
  exhibitNumber: string;
  itemUid: string;
  /** 1-based section of the spec. */
  section: number;
  title: string;
  capturedAt: string | null;
  firstPage: number;
  lastPage: number;
}

export interface GenerateOptions {
  /** The generation time (ISO UTC); default now. The same time gives the same file. */
  at?: string;
  onProgress?: (p: BundleProgress) => void;
  signal?: AbortSignal;
}

export interface GeneratedBundle {
  path: string;
  sha256: string;
  pages: number;
  bytes: number;
  generatedAt: string;
  /** The same as pages and bytes, under the names the app's contract uses. */
  pageCount: number;
  size: number;
  bundle: BundleRecord;
  exhibits: GeneratedExhibit[];
}

export interface BundleContext {
  cat: Catalogue;
  vault: UnlockedVault;
  user: SignedInUser;
  log: CustodyLog;
  signer: Signer;
  place: string | null;
  now(): string;
  require(p: Permission): void;
}

function toRecord(cat: Catalogue, b: Bundle): BundleRecord {
  const c = cat.cases.get(b.caseId);
  return {
    id: b.id,
    uid: b.uid,
    caseId: b.caseId,
    caseRef: c.ref,
    title: b.title,
    spec: parseInput(BundleSpec, b.spec),
    createdAt: b.createdAt,
    createdBy: cat.users.get(b.createdBy).name,
    createdById: b.createdBy,
    lastGeneratedAt: b.lastGeneratedAt,
    lastSha256: b.lastSha256,
  };
}

function bundleByUid(cat: Catalogue, uid: string): Bundle {
  const b = cat.bundles.findByUid(uid);
  if (!b) throw new KesiError('BUNDLE_NOT_FOUND', `There is no bundle ${uid}.`);
  return b;
}

export function listBundles(ctx: BundleContext, caseRef: string): BundleRecord[] {
  ctx.require('items.read');
  const c = ctx.cat.cases.getByRef(caseRef);
  return ctx.cat.bundles.listByCase(c.id).map((b) => toRecord(ctx.cat, b));
}

export function getBundle(ctx: BundleContext, uid: string): BundleRecord {
  ctx.require('items.read');
  return toRecord(ctx.cat, bundleByUid(ctx.cat, uid));
}

/** The default spec of a case (sections by kind, intake order); not saved. */
export function defaultSpec(
  ctx: BundleContext,
  caseRef: string,
  given: BundleCover = {},
): BundleSpec {
  ctx.require('items.read');
  const c = ctx.cat.cases.getByRef(caseRef);
  const items = ctx.cat.items.listByCase(c.id);
  if (items.length === 0) {
    throw new KesiError('BAD_INPUT', `Case ${c.ref} has no items to put in a bundle.`);
  }
  // Blanks to fill in where the case does not say (a first spec is meant to be edited).
  const blank = '……………';
  const cover: DefaultSpecCover = {
    ...given,
    caseRef: c.ref,
    court: given.court ?? c.court ?? blank,
    caseNumber: given.caseNumber ?? c.courtCaseNumber ?? blank,
    parties: given.parties ?? `Republic v. ${blank}`,
    preparedBy: given.preparedBy ?? ctx.user.name,
    date: given.date ?? eatDate(ctx.now()),
  };
  try {
    return makeDefaultSpec(
      cover,
      items.map((i) => ({
        uid: i.uid,
        kind: i.kind,
        exhibitNumber: i.exhibitNumber,
        createdAt: i.createdAt,
        id: i.id,
      })),
    );
  } catch {
    // A zod error: name the cover member that is wrong, as for any other input…
    parseInput(
      BundleSpec,
      specWithCover(cover, [
        { title: 'Exhibits', items: [{ itemUid: items[0]?.uid, exhibitNumber: 'X' }] },
      ]),
    );
    // …or else it is the prefix that makes no valid exhibit numbers.
    throw new KesiError(
      'BAD_INPUT',
      `"${cover.exhibitPrefix ?? ''}" does not make valid exhibit numbers: use letters, digits and . / - _ ( ).`,
    );
  }
}

/** Saves a new spec, or replaces the spec of an existing bundle; recorded in the case chain. */
export function saveBundle(ctx: BundleContext, raw: unknown, uid?: string): BundleRecord {
  ctx.require('bundles.write');
  const spec = parseInput(BundleSpec, raw);
  const c = ctx.cat.cases.getByRef(spec.caseRef);
  checkSpecItems(ctx.cat, c, spec);
  const now = ctx.now();
  const specSha256 = sha256Hex(JSON.stringify(spec));
  const exhibits = spec.sections.reduce((n, s) => n + s.items.length, 0);
  const saved = ctx.cat.tx(() => {
    let b: Bundle;
    if (uid === undefined) {
      b = ctx.cat.bundles.insert({
        caseId: c.id,
        title: spec.title,
        spec,
        createdAt: now,
        createdBy: ctx.user.id,
      });
    } else {
      const old = bundleByUid(ctx.cat, uid);
      if (old.caseId !== c.id) {
        throw new KesiError(
          'BAD_INPUT',
          `Bundle ${uid} belongs to another case; its spec cannot be for case ${c.ref}.`,
        );
      }
      b = ctx.cat.bundles.update(old.id, { title: spec.title, spec });
    }
    ctx.log.append(
      {
        chain: caseChainId(c.uid),
        action: 'edit',
        caseId: c.id,
        at: now,
        place: ctx.place,
        details: {
          bundle: {
            uid: b.uid,
            title: spec.title,
            change: uid === undefined ? 'created' : 'spec replaced',
            specSha256,
            exhibits,
          },
        },
      },
      ctx.signer,
    );
    return b;
  });
  return toRecord(ctx.cat, saved);
}

// ---------------------------------------------------------------------------------------------
// Generation

/** What a bundle's export event records of its generation (details.bundle). */
interface ExportFacts {
  uid: string;
  generatedAt: string;
  treeSize: number;
  spec: BundleSpec;
  user: string;
}

/** How far ahead of this computer's clock a generation time may be (other clocks differ). */
const FUTURE_SLACK_MS = 5 * 60_000;

function normaliseAt(at: string, now: string): string {
  const t = Date.parse(at);
  if (!/^\d{4}-\d{2}-\d{2}T/.test(at) || Number.isNaN(t)) {
    throw new KesiError(
      'BAD_INPUT',
      `"${at}" is not a time: give an ISO time such as 2026-04-02T08:00:00Z.`,
    );
  }
  const iso = new Date(t).toISOString();
  if (!isCustodyTime(iso)) throw new KesiError('BAD_INPUT', `"${at}" is out of range.`);
  if (t > Date.parse(now) + FUTURE_SLACK_MS) {
    throw new KesiError('BAD_INPUT', `${iso} is in the future: a bundle cannot be dated ahead.`);
  }
  return iso;
}

/** The latest export of this bundle made with this generation time, if any. */
function previousExport(
  ctx: BundleContext,
  c: CaseRecord,
  uid: string,
  generatedAt: string,
): ExportFacts | null {
  const events = ctx.log.chainEvents(caseChainId(c.uid));
  for (let i = events.length - 1; i >= 0; i--) {
    const e = events[i] as CustodyEvent;
    if (e.action !== 'export' || e.itemUid !== null) continue;
    const b = e.details['bundle'] as Record<string, unknown> | undefined;
    if (b?.['uid'] !== uid || b['generatedAt'] !== generatedAt) continue;
    const spec = BundleSpec.safeParse(b['spec']);
    if (typeof b['treeSize'] !== 'number' || !spec.success) continue;
    return { uid, generatedAt, treeSize: b['treeSize'], spec: spec.data, user: e.actor.user };
  }
  return null;
}

function treeHeadOfSize(ctx: BundleContext, treeSize: number): SignedTreeHead | null {
  for (const e of ctx.log.chainEvents(VAULT_CHAIN)) {
    if (e.action === 'tree_head' && e.details['treeSize'] === treeSize) {
      return e.details as unknown as SignedTreeHead;
    }
  }
  return null;
}

/**
 * The snapshot of a new generation at `requested` (default now): the newest signed tree head
 * made at or before the generation time, so that a bundle never holds custody events from after
 * its own date. For a generation now, a tree head is signed first if the log has grown.
 */
function freshSnapshot(
  ctx: BundleContext,
  requested: string | undefined,
): { snapshot: Snapshot; generatedAt: string } {
  const now = ctx.now();
  const at = requested === undefined ? null : normaliseAt(requested, now);
  if ((at === null || at >= now) && ctx.log.sinceLastTreeHead() > 0) {
    ctx.log.recordTreeHead(ctx.signer, ctx.now());
  }
  const generatedAt = at ?? ctx.now();
  const events = ctx.log.chainEvents(VAULT_CHAIN);
  for (let i = events.length - 1; i >= 0; i--) {
    const e = events[i] as CustodyEvent;
    if (e.action !== 'tree_head' || e.at > generatedAt) continue;
    const head = e.details as unknown as SignedTreeHead;
    return { snapshot: { treeSize: head.treeSize, treeHead: head }, generatedAt };
  }
  throw new KesiError(
    'BAD_INPUT',
    `The vault has no signed record of its custody log at or before ${generatedAt}: a bundle cannot be dated before its custody record. Leave out the generation time, or give a later one.`,
  );
}

function snapshotOf(ctx: BundleContext, prev: ExportFacts): Snapshot {
  const head = treeHeadOfSize(ctx, prev.treeSize);
  if (!head) {
    throw new KesiError(
      'CUSTODY_BROKEN',
      `The signed tree head of ${prev.treeSize} events this bundle was made from is not in the log.`,
    );
  }
  return { treeSize: prev.treeSize, treeHead: head };
}

interface Built {
  pdf: Uint8Array;
  pages: number;
  exhibits: GeneratedExhibit[];
  snapshot: Snapshot;
  spec: BundleSpec;
  certificateSha256: string;
}

async function build(
  ctx: BundleContext,
  c: CaseRecord,
  spec: BundleSpec,
  snapshot: Snapshot,
  generatedAt: string,
  opts: Pick<GenerateOptions, 'onProgress' | 'signal'>,
): Promise<Built> {
  if (spec.caseRef !== c.ref) {
    throw new KesiError(
      'BAD_INPUT',
      `This bundle was saved for case ${spec.caseRef}; the case is now ${c.ref}. Save the bundle again.`,
    );
  }
  const input = await resolveBundleInput(
    { cat: ctx.cat, log: ctx.log, blobs: ctx.vault.blobs, user: ctx.user },
    c,
    spec,
    snapshot,
  );
  const identity = signingIdentityFor({
    cat: ctx.cat,
    log: ctx.log,
    user: ctx.user,
    signer: ctx.signer,
    vaultId: ctx.vault.header.vaultId,
    vaultName: ctx.vault.header.name,
    place: ctx.place,
    now: ctx.now,
  });
  const built = await runBundle(input, {
    generatedAt,
    ...(opts.onProgress ? { onProgress: opts.onProgress } : {}),
    ...(opts.signal ? { signal: opts.signal } : {}),
    sign: {
      identity,
      // Only facts of the spec and the user: nothing that differs between two generations.
      signature: {
        name: ctx.user.name,
        reason: `Court bundle: ${spec.caseNumber}`,
        location: spec.court,
      },
    },
  });
  return {
    pdf: built.pdf,
    pages: built.manifest.pageCount,
    exhibits: built.manifest.exhibits.map((e) => ({
      exhibitNumber: e.exhibitNumber,
      itemUid: e.itemUid,
      section: e.section,
      title: e.title,
      capturedAt: e.capturedAt,
      firstPage: e.firstPage,
      lastPage: e.lastPage,
    })),
    snapshot,
    spec,
    certificateSha256: sha256Hex(identity.certificate),
  };
}

/** Writes the file whole or not at all: a temporary file beside it, synced, then renamed. */
async function writeWhole(
  outPath: string,
  data: Uint8Array,
  signal: AbortSignal | undefined,
): Promise<void> {
  const existing = await stat(outPath).catch(() => null);
  if (existing && !existing.isFile()) {
    throw new KesiError('BAD_INPUT', `${outPath} is not a file; name the bundle file to write.`);
  }
  const tmp = `${outPath}.tmp-${randomBytes(4).toString('hex')}`;
  let fh: Awaited<ReturnType<typeof open>> | undefined;
  try {
    fh = await open(tmp, 'wx', 0o600);
    let off = 0;
    while (off < data.length) {
      const { bytesWritten } = await fh.write(data, off, Math.min(data.length - off, 1 << 24));
      off += bytesWritten;
    }
    await fh.sync();
    await fh.close();
    fh = undefined;
    if (signal?.aborted) throw new KesiError('CANCELLED');
    await rename(tmp, outPath);
  } catch (e) {
    await fh?.close().catch(() => undefined);
    await unlink(tmp).catch(() => undefined);
    throw writeError(e, outPath, 'The bundle', 'BUNDLE_WRITE_FAILED');
  }
  // The rename itself is made durable by syncing the folder (not possible on every platform).
  const dir = await open(dirname(outPath), 'r').catch(() => null);
  if (dir) {
    await dir.sync().catch(() => undefined);
    await dir.close();
  }
}

export async function generateBundle(
  ctx: BundleContext,
  uid: string,
  outPath: string,
  opts: GenerateOptions = {},
): Promise<GeneratedBundle> {
  ctx.require('bundles.write');
  if (opts.signal?.aborted) throw new KesiError('CANCELLED');
  const b = bundleByUid(ctx.cat, uid);
  const c = ctx.cat.cases.get(b.caseId);
  const spec = parseInput(BundleSpec, b.spec);
  checkSpecItems(ctx.cat, c, spec);
  // The same generation time as an earlier export: the same custody snapshot, the same file.
  const prev =
    opts.at === undefined ? null : previousExport(ctx, c, uid, normaliseAt(opts.at, ctx.now()));
  const { snapshot, generatedAt } = prev
    ? { snapshot: snapshotOf(ctx, prev), generatedAt: prev.generatedAt }
    : freshSnapshot(ctx, opts.at);
  const built = await build(ctx, c, spec, snapshot, generatedAt, opts);
  await writeWhole(outPath, built.pdf, opts.signal);
  const sha256 = sha256Hex(built.pdf);
  try {
    recordExport(ctx, b, c, built, { sha256, generatedAt, fileName: basename(outPath) });
  } catch (e) {
    // An export that could not be recorded did not happen: the file goes too.
    await unlink(outPath).catch(() => undefined);
    throw e;
  }
  return {
    path: outPath,
    sha256,
    pages: built.pages,
    bytes: built.pdf.length,
    generatedAt,
    pageCount: built.pages,
    size: built.pdf.length,
    bundle: toRecord(ctx.cat, ctx.cat.bundles.get(b.id)),
    exhibits: built.exhibits,
  };
}

function recordExport(
  ctx: BundleContext,
  b: Bundle,
  c: CaseRecord,
  built: Built,
  f: { sha256: string; generatedAt: string; fileName: string },
): void {
  const chain = caseChainId(c.uid);
  const at = ctx.now();
  ctx.cat.tx(() => {
    ctx.log.append(
      {
        chain,
        action: 'export',
        caseId: c.id,
        at,
        place: ctx.place,
        details: {
          to: 'court bundle',
          fileName: f.fileName,
          sha256: f.sha256,
          bytes: built.pdf.length,
          pages: built.pages,
          bundle: {
            uid: b.uid,
            title: built.spec.title,
            generatedAt: f.generatedAt,
            treeSize: built.snapshot.treeSize,
            treeRoot: built.snapshot.treeHead.rootHash,
            signingCertificateSha256: built.certificateSha256,
            exhibits: built.exhibits.length,
            spec: built.spec as unknown as JsonValue,
          },
        },
      },
      ctx.signer,
    );
    for (const ex of built.exhibits) {
      const item = ctx.cat.items.findByUid(ex.itemUid);
      if (!item) throw new KesiError('ITEM_NOT_FOUND');
      ctx.log.append(
        {
          chain,
          action: 'export',
          caseId: c.id,
          itemId: item.id,
          itemUid: item.uid,
          at,
          place: ctx.place,
          details: {
            to: 'court bundle',
            sha256: item.sha256,
            bundleUid: b.uid,
            bundleSha256: f.sha256,
            exhibitNumber: ex.exhibitNumber,
            firstPage: ex.firstPage,
            lastPage: ex.lastPage,
            generatedAt: f.generatedAt,
          },
        },
        ctx.signer,
      );
    }
    ctx.cat.bundles.markGenerated(b.id, { at: f.generatedAt, sha256: f.sha256 });
  });
}

/**
 * The bytes generateBundle wrote for this bundle and generation time, made again: the spec and
 * custody snapshot recorded in that export event, no file and no export event. Only the user
 * who generated it holds the key its signatures need. Without such an export it is what
 * generateBundle would write now (a tree head may be recorded first, as there).
 */
export async function regenerateBundleBytes(
  ctx: BundleContext,
  uid: string,
  generatedAtRaw: string,
): Promise<Uint8Array> {
  ctx.require('items.read');
  const b = bundleByUid(ctx.cat, uid);
  const c = ctx.cat.cases.get(b.caseId);
  const generatedAt = normaliseAt(generatedAtRaw, ctx.now());
  const prev = previousExport(ctx, c, uid, generatedAt);
  if (prev && prev.user.toLowerCase() !== ctx.user.name.toLowerCase()) {
    throw new KesiError(
      'BUNDLE_OTHER_SIGNER',
      `This bundle was generated and signed by ${prev.user}; only ${prev.user} can make its signed file again.`,
      { generatedBy: prev.user },
    );
  }
  const spec = prev ? prev.spec : parseInput(BundleSpec, b.spec);
  const snapshot = prev ? snapshotOf(ctx, prev) : freshSnapshot(ctx, generatedAt).snapshot;
  return (await build(ctx, c, spec, snapshot, generatedAt, {})).pdf;
}

/** The calendar date in Nairobi (EAT, UTC+3, no daylight saving) of an ISO time. */
function eatDate(iso: string): string {
  return new Date(Date.parse(iso) + 3 * 3600_000).toISOString().slice(0, 10);
}

function sha256Hex(b: Uint8Array | string): string {
  return createHash('sha256').update(b).digest('hex');
}
