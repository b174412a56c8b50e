// Crash-safe file replacement: write a temp file beside the target, fsync it, rename it over the
// target, then fsync the directory so the rename itself survives a power cut.
import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, openSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { KesiError, type ErrorCode } from '../../shared/errors';

export function fsyncDir(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch {
    // Some platforms (Windows) cannot open a directory for fsync; the rename is still atomic.
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

export function writeFileAtomic(target: string, data: Buffer | string, mode = 0o600): void {
  const tmp = join(dirname(target), `.${randomBytes(8).toString('hex')}.tmp`);
  const fd = openSync(tmp, 'wx', mode);
  try {
    const buf = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    let off = 0;
    while (off < buf.length) off += writeSync(fd, buf, off, buf.length - off);
    fsyncSync(fd);
  } catch (e) {
    closeSync(fd);
    unlinkSync(tmp);
    throw e;
  }
  closeSync(fd);
  renameSync(tmp, target);
  fsyncDir(dirname(target));
}

const WRITE_FAILURES: Record<string, string> = {
  ENOENT: 'the folder does not exist',
  EACCES: 'you may not write in that folder',
  EPERM: 'you may not write in that folder',
  EROFS: 'the disk is read-only',
  ENOSPC: 'the disk is full',
  EDQUOT: 'the disk quota is used up',
  EISDIR: 'a folder has that name',
};

/**
 * A failure to write `what` to `outPath` as a KesiError a caseworker understands (the folder
 * missing, not writable, the disk full); KesiErrors pass through.
 */
export function writeError(
  e: unknown,
  outPath: string,
  what: string,
  code: ErrorCode = 'FILE_WRITE_FAILED',
): unknown {
  if (e instanceof KesiError) return e;
  const sys = (e as NodeJS.ErrnoException).code ?? 'unknown';
  return new KesiError(
    code,
    `${what} could not be written to ${outPath}: ${WRITE_FAILURES[sys] ?? `the system said ${sys}`}.`,
    { code: sys },
  );
}
