// The content-addressed, encrypted file store. One age file per distinct content, named by
// HMAC-SHA256(name key, SHA-256(plaintext)) so that a name reveals nothing about the content.
// Hashing and encryption happen in one streaming pass; the blob is written to a temp file inside
// the vault, fsynced and renamed into place before any catalogue row may refer to it.
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, statSync, unlinkSync } from 'node:fs';
import { open, rename, unlink, utimes, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { KesiError } from '../../shared/errors';
import { fsyncDir } from '../util/fs-atomic';
import { AgeDecryptor, AgeEncryptor, AgeError, type Identity, type Recipient } from '../vault/age';

export const BLOBS_DIR = 'blobs';
export const BLOB_TMP_DIR = '.tmp';
const READ_SIZE = 1 << 20;
/**
 * Start a background flush every this many bytes, so that the disk writes while the next chunks
 * are hashed and encrypted; otherwise the whole file would wait in the page cache for the final
 * fsync and the add would take compute time plus disk time instead of the larger of the two.
 */
const FLUSH_EVERY = 32 << 20;
/** Enough for any age header this vault writes (a few recipients). */
const HEADER_READ = 64 * 1024;

export interface PutOptions {
  expectSha256?: string;
  signal?: AbortSignal;
  onProgress?: (bytesDone: number) => void;
}

export interface PutResult {
  sha256: string;
  size: number;
  blobName: string;
  /** False when identical content was already in the store (stored once). */
  stored: boolean;
}

export class BlobStore {
  readonly root: string;

  constructor(
    vaultDir: string,
    private readonly recipients: Recipient[],
    private readonly identity: Identity,
    private readonly nameKey: Buffer,
  ) {
    this.root = join(vaultDir, BLOBS_DIR);
  }

  nameFor(sha256Hex: string): string {
    return createHmac('sha256', this.nameKey).update(Buffer.from(sha256Hex, 'hex')).digest('hex');
  }

  pathOf(blobName: string): string {
    if (!/^[0-9a-f]{64}$/.test(blobName)) throw new KesiError('BAD_INPUT', 'Not a blob name.');
    return join(this.root, blobName.slice(0, 2), blobName.slice(2));
  }

  has(blobName: string): boolean {
    return existsSync(this.pathOf(blobName));
  }

  /** Encrypts a file into the store. The source is read once. */
  async putFile(src: string | Buffer, opts: PutOptions = {}): Promise<PutResult> {
    const input = await open(src, 'r');
    try {
      return await this.put(
        async (buf) => (await input.read(buf, 0, buf.length, null)).bytesRead,
        opts,
      );
    } finally {
      await input.close();
    }
  }

  async putBuffer(data: Buffer, opts: PutOptions = {}): Promise<PutResult> {
    let off = 0;
    return this.put(async (buf) => {
      const n = Math.min(buf.length, data.length - off);
      data.copy(buf, 0, off, off + n);
      off += n;
      return n;
    }, opts);
  }

  private async put(
    readInto: (buf: Buffer) => Promise<number>,
    opts: PutOptions,
  ): Promise<PutResult> {
    const tmpDir = join(this.root, BLOB_TMP_DIR);
    mkdirSync(tmpDir, { recursive: true, mode: 0o700 });
    const tmp = join(tmpDir, `${randomBytes(12).toString('hex')}.age.tmp`);
    const out = await open(tmp, 'wx', 0o600);
    let closed = false;
    try {
      const enc = await AgeEncryptor.create(this.recipients);
      const hash = createHash('sha256');
      await writeAll(out, [enc.header]);
      let size = 0;
      let flushedAt = 0;
      let flushing: Promise<void> | undefined;
      // Read the next chunk while the current one is hashed, encrypted and written.
      let buf = Buffer.allocUnsafeSlow(READ_SIZE);
      let pending = readInto(buf);
      for (;;) {
        const n = await pending;
        if (n === 0) break;
        const chunk = n === buf.length ? buf : buf.subarray(0, n);
        buf = Buffer.allocUnsafeSlow(READ_SIZE);
        pending = readInto(buf);
        if (opts.signal?.aborted) {
          await pending.catch(() => 0);
          throw new KesiError('CANCELLED');
        }
        hash.update(chunk);
        size += n;
        await writeAll(out, enc.push(chunk));
        if (size - flushedAt >= FLUSH_EVERY && flushing === undefined) {
          flushedAt = size;
          flushing = out.datasync().finally(() => (flushing = undefined));
        }
        opts.onProgress?.(size);
      }
      await writeAll(out, enc.final());
      await flushing;
      await out.sync();
      await out.close();
      closed = true;

      const sha256 = hash.digest('hex');
      if (opts.expectSha256 !== undefined && opts.expectSha256.toLowerCase() !== sha256) {
        throw new KesiError(
          'HASH_MISMATCH',
          `The file's SHA-256 is ${sha256}, but ${opts.expectSha256.toLowerCase()} was expected. It was not added.`,
          { expected: opts.expectSha256.toLowerCase(), actual: sha256 },
        );
      }
      const blobName = this.nameFor(sha256);
      const target = this.pathOf(blobName);
      if (existsSync(target)) {
        await unlink(tmp);
        // Mark it as just used: the cleanup leaves young unreferenced blobs alone, and this one
        // may be about to be referred to by the intake that wrote it again.
        const now = new Date();
        await utimes(target, now, now).catch(() => undefined);
        return { sha256, size, blobName, stored: false };
      }
      const dir = join(this.root, blobName.slice(0, 2));
      const newDir = !existsSync(dir);
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      await rename(tmp, target);
      fsyncDir(dir);
      // A new fan-out folder must itself survive a power cut: its entry lives in the parent.
      if (newDir) fsyncDir(this.root);
      return { sha256, size, blobName, stored: true };
    } catch (e) {
      if (!closed) await out.close().catch(() => undefined);
      await unlink(tmp).catch(() => undefined);
      throw e;
    }
  }

  /**
   * Decrypts a blob chunk by chunk. Every chunk is authenticated by age before it is yielded; the
   * caller must still check the final hash (see readVerified) to catch a swapped blob.
   */
  async *chunks(blobName: string): AsyncGenerator<Buffer> {
    const path = this.pathOf(blobName);
    let fh: FileHandle;
    try {
      fh = await open(path, 'r');
    } catch {
      throw new KesiError('BLOB_MISSING', undefined, { blobName });
    }
    try {
      const head = Buffer.allocUnsafe(HEADER_READ);
      const { bytesRead } = await fh.read(head, 0, HEADER_READ, 0);
      let opened: Awaited<ReturnType<typeof AgeDecryptor.open>>;
      try {
        opened = await AgeDecryptor.open(head.subarray(0, bytesRead), [this.identity]);
      } catch (e) {
        throw corrupt(blobName, e);
      }
      const dec = opened.decryptor;
      let pos = opened.consumed;
      try {
        for (const c of dec.push(head.subarray(opened.consumed, bytesRead))) yield c;
        pos = bytesRead;
        for (;;) {
          const buf = Buffer.allocUnsafeSlow(READ_SIZE);
          const { bytesRead: n } = await fh.read(buf, 0, READ_SIZE, pos);
          if (n === 0) break;
          pos += n;
          for (const c of dec.push(n === buf.length ? buf : buf.subarray(0, n))) yield c;
        }
        for (const c of dec.final()) yield c;
      } catch (e) {
        throw corrupt(blobName, e);
      }
    } finally {
      await fh.close();
    }
  }

  /** Streams the plaintext to `sink`, then checks its SHA-256 and the blob's name. */
  async readVerified(
    blobName: string,
    expectedSha256: string,
    sink: (chunk: Buffer) => Promise<void> | void,
  ): Promise<void> {
    const hash = createHash('sha256');
    for await (const c of this.chunks(blobName)) {
      hash.update(c);
      await sink(c);
    }
    const actual = hash.digest('hex');
    if (actual !== expectedSha256 || this.nameFor(actual) !== blobName) {
      throw new KesiError('BLOB_CORRUPT', undefined, {
        blobName,
        expected: expectedSha256,
        actual,
      });
    }
  }

  async readBuffer(blobName: string, expectedSha256: string): Promise<Buffer> {
    const parts: Buffer[] = [];
    await this.readVerified(blobName, expectedSha256, (c) => void parts.push(c));
    return Buffer.concat(parts);
  }

  /** Every blob name on disk, for the audit. */
  listNames(): string[] {
    if (!existsSync(this.root)) return [];
    const names: string[] = [];
    for (const d of readdirSync(this.root)) {
      if (!/^[0-9a-f]{2}$/.test(d)) continue;
      for (const f of readdirSync(join(this.root, d))) {
        if (/^[0-9a-f]{62}$/.test(f)) names.push(d + f);
      }
    }
    return names;
  }

  /** Temp files left by an interrupted write, older than `minAgeMs`. */
  staleTempFiles(minAgeMs: number, now = Date.now()): string[] {
    const dir = join(this.root, BLOB_TMP_DIR);
    if (!existsSync(dir)) return [];
    return readdirSync(dir)
      .map((f) => join(dir, f))
      .filter((p) => now - statSync(p).mtimeMs >= minAgeMs);
  }

  /** When a blob was last written (or written again by an intake of the same content). */
  modifiedMs(blobName: string): number {
    return statSync(this.pathOf(blobName)).mtimeMs;
  }

  removeFile(path: string): void {
    unlinkSync(path);
  }
}

async function writeAll(fh: FileHandle, bufs: Buffer[]): Promise<void> {
  if (bufs.length === 0) return;
  let total = 0;
  for (const b of bufs) total += b.length;
  let { bytesWritten } = await fh.writev(bufs);
  if (bytesWritten === total) return;
  // Short write: finish the remainder in order.
  const all = Buffer.concat(bufs);
  while (bytesWritten < total) bytesWritten += (await fh.write(all, bytesWritten)).bytesWritten;
}

function corrupt(blobName: string, e: unknown): KesiError {
  if (e instanceof KesiError) return e;
  const why = e instanceof AgeError ? e.kind : 'unknown';
  return new KesiError('BLOB_CORRUPT', undefined, { blobName, why });
}
