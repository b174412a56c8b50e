// Turning what a user dropped (files and folders) into a flat list of files to take in, keeping
// names that are not valid UTF-8 as raw bytes so that such files can still be opened.
import { lstat, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { KesiError } from '../../shared/errors';

export interface FileEntry {
  /** The path as the file system knows it (raw bytes when the name is not UTF-8). */
  path: string | Buffer;
  /** The path as shown to people. */
  display: string;
  /** The file name, decoded (invalid bytes become U+FFFD). */
  name: string;
  /** Hex of the raw name bytes, when the name is not valid UTF-8. */
  rawNameHex: string | null;
  size: number;
}

/** Operating-system litter that is never evidence and is skipped inside folders. */
const JUNK = /^(\.DS_Store|Thumbs\.db|desktop\.ini|\._.*)$/i;

function decodeName(raw: Buffer): { name: string; rawNameHex: string | null } {
  const name = raw.toString('utf8');
  return { name, rawNameHex: Buffer.from(name, 'utf8').equals(raw) ? null : raw.toString('hex') };
}

/**
 * Expands folders (recursively, in name order). A path that cannot be read becomes an entry with
 * size -1 so that the intake reports its error in place: the batch goes on.
 */
export async function expandPaths(paths: string[]): Promise<FileEntry[]> {
  const out: FileEntry[] = [];
  for (const p of paths) {
    const base = p.split(/[\\/]/).pop() ?? p;
    const st = await lstat(p).catch(() => undefined);
    if (st?.isDirectory()) await walk(Buffer.from(p), p, out);
    else out.push({ path: p, display: p, name: base, rawNameHex: null, size: st?.size ?? -1 });
  }
  return out;
}

async function walk(dir: Buffer, display: string, out: FileEntry[]): Promise<void> {
  const names = (await readdir(dir, { encoding: 'buffer' })).sort(Buffer.compare);
  for (const raw of names) {
    const { name, rawNameHex } = decodeName(raw);
    if (JUNK.test(name)) continue;
    const path = Buffer.concat([dir, Buffer.from('/'), raw]);
    const shown = join(display, name);
    const st = await lstat(path).catch(() => undefined);
    if (st?.isDirectory()) await walk(path, shown, out);
    else
      out.push({
        path: rawNameHex ? path : path.toString('utf8'),
        display: shown,
        name,
        rawNameHex,
        size: st?.size ?? -1,
      });
  }
}

/** The specific error for a file system failure on `display`. */
export function fileError(e: unknown, display: string): KesiError {
  if (e instanceof KesiError) return e;
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case 'ENOENT':
      return display.includes('\uFFFD')
        ? new KesiError(
            'FILE_NAME_INVALID',
            `The name of ${display} is not valid text; add the folder that holds it instead.`,
            { path: display },
          )
        : new KesiError('FILE_NOT_FOUND', `The file ${display} was not found.`, { path: display });
    case 'EACCES':
    case 'EPERM':
      return new KesiError('FILE_UNREADABLE', `Kesi is not allowed to read ${display}.`, {
        path: display,
      });
    case 'ENAMETOOLONG':
      return new KesiError(
        'FILE_NAME_INVALID',
        `The path of ${display} is too long for this computer.`,
        { path: display },
      );
    case 'ELOOP':
      return new KesiError('FILE_IS_SYMLINK', undefined, { path: display });
    case 'EISDIR':
      return new KesiError('FILE_NOT_REGULAR', undefined, { path: display });
    default:
      return new KesiError(
        'FILE_UNREADABLE',
        `The file ${display} cannot be read (${code ?? 'unknown error'}).`,
        { path: display },
      );
  }
}
