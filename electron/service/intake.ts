// Taking one file into a case: check the path, find out what the file really is, validate it,
// hash and encrypt it, make its derivatives, then record item, derivatives and the signed intake
// event in one transaction. A failure before that transaction leaves at most unreferenced blobs
// (reported by the audit as a warning, removed by `kesi cleanup`), never a partial item.
import { createHash } from 'node:crypto';
import { lstat, open } from 'node:fs/promises';
import type { ItemKind, MedicalSubtype } from '../../shared/domain';
import { KesiError } from '../../shared/errors';
import type { CaseRecord, ItemRecord } from '../catalogue';
import { caseChainId, type CustodyLog, type Signer } from '../custody/log';
import type { JsonValue } from '../custody/event';
import { makePdfDerivatives, type Derivative, type PdfDerivatives } from '../intake/derivatives';
import { inspect, type Inspection, type IntakeWarning } from '../intake/inspect';
import { readMediaMetadataFile } from '../intake/metadata/media';
import { OTHER_DOCUMENT, sniffFile, type SniffResult } from '../intake/sniff';
import type { UnlockedVault } from '../vault/vault';
import type { FileEntry } from './files';
import { fileError } from './files';
import type { AddFileResult } from './results';

/** Files up to this size are read once into memory and fully inspected (images, PDFs). */
export const IN_MEMORY_MAX = 512 * 1024 * 1024;
/** The largest file Kesi takes in (long CCTV exports fit; a runaway disk image does not). */
export const DEFAULT_MAX_FILE_BYTES = 64 * 1024 ** 3;

export interface IntakeFields {
  kind?: ItemKind | undefined;
  subtype?: MedicalSubtype | undefined;
  title?: string | undefined;
  description?: string | undefined;
  exhibitNumber?: string | undefined;
  capturedAt?: string | undefined;
  capturedBy?: string | undefined;
  source?: string | undefined;
  reason?: string | undefined;
  expectSha256?: string | undefined;
  force?: boolean | undefined;
}

export interface IntakeContext {
  vault: UnlockedVault;
  log: CustodyLog;
  signer: Signer;
  userId: number;
  place: string | null;
  now: () => string;
  maxFileBytes: number;
  signal?: AbortSignal | undefined;
  onBytes?: ((bytesDoneInFile: number) => void) | undefined;
}

function checkCancelled(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new KesiError('CANCELLED');
}

/** A file read, checked, inspected and written to the blob store, not yet recorded. */
export interface PreparedFile {
  file: FileEntry;
  inspection: Inspection;
  put: BlobPut;
  derived: PreparedDerivative[];
}

type BlobPut = Awaited<ReturnType<UnlockedVault['blobs']['putBuffer']>>;

interface PreparedDerivative {
  kind: 'thumbnail' | 'page_image' | 'preview';
  mediaType: string;
  width: number;
  height: number;
  blob: BlobPut;
}

/**
 * Everything before the transaction: checks, hash, validation, derivatives and the encrypted
 * blobs (original and derivatives written at once). Safe to run for the next file while the
 * previous one commits: it records nothing, so a failure or a cancel here leaves at most
 * unreferenced blobs. A duplicate already in the case is reported without inspecting the file.
 */
export async function prepareFile(
  ctx: IntakeContext,
  c: CaseRecord,
  f: FileEntry,
  fields: IntakeFields,
): Promise<PreparedFile | AddFileResult> {
  checkCancelled(ctx.signal);
  const st = await lstat(f.path).catch((e: unknown) => {
    throw fileError(e, f.display);
  });
  if (st.isSymbolicLink())
    throw new KesiError(
      'FILE_IS_SYMLINK',
      `${f.display} is a symbolic link; add the file it points to instead.`,
      { path: f.display },
    );
  if (!st.isFile())
    throw new KesiError('FILE_NOT_REGULAR', `${f.display} is not a regular file.`, {
      path: f.display,
    });
  if (st.size === 0)
    throw new KesiError('FILE_EMPTY', `${f.display} is empty (0 bytes).`, { path: f.display });
  if (st.size > ctx.maxFileBytes) {
    throw new KesiError(
      'FILE_TOO_LARGE',
      `${f.display} is ${gib(st.size)}; Kesi takes files up to ${gib(ctx.maxFileBytes)}.`,
      { path: f.display, size: st.size },
    );
  }
  const expect = fields.expectSha256?.toLowerCase();
  const putOpts = {
    ...(ctx.signal ? { signal: ctx.signal } : {}),
    ...(ctx.onBytes ? { onProgress: ctx.onBytes } : {}),
  };
  const cat = ctx.vault.catalogue;
  const duplicate = (sha256: string): AddFileResult | null => {
    const existing = cat.items.findByCaseAndSha(c.id, sha256);
    return existing ? { file: f.display, status: 'duplicate', itemId: existing.id, sha256 } : null;
  };

  if (st.size > IN_MEMORY_MAX) {
    const sniffed = await sniffLarge(f, fields.force ?? false);
    if (sniffed.family === 'image' || sniffed.family === 'pdf') {
      throw new KesiError(
        'FILE_TOO_LARGE',
        `${f.display} is ${gib(st.size)}; images and PDFs are taken up to ${gib(IN_MEMORY_MAX)}.`,
        { path: f.display, size: st.size },
      );
    }
    const media =
      sniffed.family === 'audio' || sniffed.family === 'video'
        ? await readMediaMetadataFile(f.path, sniffed)
        : null;
    const inspection: Inspection = {
      sniff: sniffed,
      metadata: media ? { ...media } : {},
      capturedAt: sniffed.family === 'video' && media ? media.createdAt : null,
      derivatives: null,
      warnings: [],
    };
    const put = await ctx.vault.blobs.putFile(f.path, {
      ...putOpts,
      ...(expect ? { expectSha256: expect } : {}),
    });
    return duplicate(put.sha256) ?? { file: f, inspection, put, derived: [] };
  }

  const buf = await readExactly(f, st.size);
  const sha = createHash('sha256').update(buf).digest('hex');
  if (expect !== undefined && expect !== sha) throw hashMismatch(expect, sha);
  const seen = duplicate(sha);
  if (seen) return seen;
  let inspection = await inspect(buf, { allowOther: fields.force ?? false });
  checkCancelled(ctx.signal);
  // A PDF's first page is drawn in the preview thread while this one encrypts the original.
  const drawing = inspection.sniff.family === 'pdf' ? previewPdf(buf) : null;
  const original = ctx.vault.blobs.putBuffer(buf, putOpts);
  original.catch(() => {}); // awaited below; not an unhandled rejection while the page draws
  const pdf = drawing ? await drawing : null;
  if (pdf?.warning) inspection = { ...inspection, warnings: [...inspection.warnings, pdf.warning] };
  // Derivatives are blobs like any other: encrypted, content-addressed, written before the row.
  const ds = inspection.derivatives;
  const parts: (readonly [PreparedDerivative['kind'], Derivative])[] = ds
    ? [
        ['page_image', ds.page],
        ['thumbnail', ds.thumbnail],
      ]
    : pdf?.derivatives
      ? [
          ['preview', pdf.derivatives.preview],
          ['thumbnail', pdf.derivatives.thumbnail],
        ]
      : [];
  const [put, ...derivedBlobs] = await Promise.all([
    original,
    ...parts.map(([, d]) => ctx.vault.blobs.putBuffer(d.data)),
  ]);
  if (put?.sha256 !== sha)
    throw new KesiError('FILE_UNREADABLE', `${f.display} changed while it was being read.`);
  const derived = parts.map(([kind, d], i): PreparedDerivative => {
    const blob = derivedBlobs[i];
    if (!blob) throw new Error('a derivative blob went missing');
    return { kind, mediaType: d.mediaType, width: d.width, height: d.height, blob };
  });
  return { file: f, inspection, put, derived };
}

/**
 * A PDF's preview and thumbnail, or why there are none: a PDF that cannot be drawn (or not in
 * time) is still taken in, with a warning instead.
 */
async function previewPdf(
  buf: Buffer,
): Promise<{ derivatives: PdfDerivatives | null; warning: IntakeWarning | null }> {
  try {
    return { derivatives: await makePdfDerivatives(buf), warning: null };
  } catch (e) {
    const err =
      e instanceof KesiError
        ? e
        : new KesiError('PREVIEW_UNAVAILABLE', undefined, { reason: String(e) });
    return { derivatives: null, warning: { code: err.code, message: err.message } };
  }
}

/**
 * Records a prepared file: item, derivatives and the signed intake event in one transaction.
 * Checks for a duplicate again inside it, as the same content may have been committed since
 * the file was prepared.
 */
export function commitFile(
  ctx: IntakeContext,
  c: CaseRecord,
  p: PreparedFile,
  fields: IntakeFields,
): AddFileResult {
  checkCancelled(ctx.signal);
  const { file: f, inspection, put, derived } = p;
  const cat = ctx.vault.catalogue;
  const kind = fields.kind ?? inspection.sniff.suggestedKind;
  const capturedAt = fields.capturedAt
    ? new Date(fields.capturedAt).toISOString()
    : inspection.capturedAt;
  const metadata: Record<string, unknown> = {
    ...inspection.metadata,
    detected: {
      mediaType: inspection.sniff.mediaType,
      family: inspection.sniff.family,
      ext: inspection.sniff.ext,
    },
    ...(inspection.warnings.length ? { warnings: inspection.warnings } : {}),
    ...(f.rawNameHex ? { originalNameHex: f.rawNameHex } : {}),
    ...(inspection.sniff === OTHER_DOCUMENT ||
    inspection.sniff.mediaType === OTHER_DOCUMENT.mediaType
      ? { forced: true }
      : {}),
  };
  const at = ctx.now();
  return cat.tx((): AddFileResult => {
    const existing = cat.items.findByCaseAndSha(c.id, put.sha256);
    if (existing)
      return { file: f.display, status: 'duplicate', itemId: existing.id, sha256: put.sha256 };
    // The cleanup deletes old unreferenced blobs inside a transaction of its own: checked here,
    // under the write lock, a blob either still exists and is now referenced, or the add fails.
    for (const name of [put.blobName, ...derived.map((d) => d.blob.blobName)]) {
      if (!ctx.vault.blobs.has(name)) {
        throw new KesiError(
          'BLOB_MISSING',
          `${f.display} could not be recorded: its stored copy was removed by a cleanup running at the same time. Add it again.`,
          { path: f.display },
        );
      }
    }
    const it = cat.items.insert({
      caseId: c.id,
      kind,
      subtype: kind === 'medical_report' ? (fields.subtype ?? 'other') : null,
      title: fields.title ?? f.name,
      description: fields.description ?? null,
      exhibitNumber: fields.exhibitNumber ?? null,
      capturedAt,
      capturedBy: fields.capturedBy ?? null,
      source: fields.source ?? null,
      originalName: f.name,
      size: put.size,
      mediaType: inspection.sniff.mediaType,
      sha256: put.sha256,
      blobName: put.blobName,
      metadata,
      createdAt: at,
      createdBy: ctx.userId,
    });
    for (const d of derived) {
      cat.derivatives.insert({
        itemId: it.id,
        kind: d.kind,
        mediaType: d.mediaType,
        blobName: d.blob.blobName,
        sha256: d.blob.sha256,
        width: d.width,
        height: d.height,
        createdAt: at,
      });
    }
    ctx.log.append(
      {
        chain: caseChainId(c.uid),
        action: 'intake',
        caseId: c.id,
        itemId: it.id,
        itemUid: it.uid,
        place: ctx.place,
        reason: fields.reason ?? null,
        at,
        details: intakeDetails(
          it,
          derived.map((d) => ({ kind: d.kind, sha256: d.blob.sha256, mediaType: d.mediaType })),
        ),
      },
      ctx.signer,
    );
    return { file: f.display, status: 'added', itemId: it.id, sha256: it.sha256 };
  });
}

function intakeDetails(
  it: ItemRecord,
  derivatives: { kind: string; sha256: string; mediaType: string }[],
): Record<string, JsonValue> {
  const d: Record<string, JsonValue> = {
    kind: it.kind,
    title: it.title,
    sha256: it.sha256,
    size: it.size,
    mediaType: it.mediaType,
    originalName: it.originalName,
    capturedAt: it.capturedAt,
    derivatives,
  };
  if (it.subtype) d['subtype'] = it.subtype;
  if (it.exhibitNumber) d['exhibitNumber'] = it.exhibitNumber;
  if (it.source) d['source'] = it.source;
  return d;
}

async function readExactly(f: FileEntry, size: number): Promise<Buffer> {
  const fh = await open(f.path, 'r').catch((e: unknown) => {
    throw fileError(e, f.display);
  });
  try {
    const buf = Buffer.allocUnsafe(size);
    let off = 0;
    while (off < size) {
      const { bytesRead } = await fh.read(buf, off, size - off, off);
      if (bytesRead === 0) break;
      off += bytesRead;
    }
    const extra = await fh.read(Buffer.alloc(1), 0, 1, off);
    if (off !== size || extra.bytesRead !== 0) {
      throw new KesiError('FILE_UNREADABLE', `${f.display} changed size while it was being read.`);
    }
    return buf;
  } catch (e) {
    throw fileError(e, f.display);
  } finally {
    await fh.close();
  }
}

async function sniffLarge(f: FileEntry, force: boolean): Promise<SniffResult> {
  try {
    return await sniffFile(f.path);
  } catch (e) {
    if (
      force &&
      e instanceof KesiError &&
      e.code === 'UNSUPPORTED_TYPE' &&
      e.details?.['forcible'] === true
    ) {
      return { ...OTHER_DOCUMENT };
    }
    throw fileError(e, f.display);
  }
}

function hashMismatch(expected: string, actual: string): KesiError {
  return new KesiError(
    'HASH_MISMATCH',
    `The file's SHA-256 is ${actual}, but ${expected} was expected. It was not added.`,
    { expected, actual },
  );
}

function gib(n: number): string {
  return n >= 1024 ** 3 ? `${(n / 1024 ** 3).toFixed(1)} GiB` : `${(n / 1024 ** 2).toFixed(1)} MiB`;
}
