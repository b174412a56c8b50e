// Just enough of the ZIP format (APPNOTE 6.3) to tell what a ZIP-based file is: the names in
// its central directory, and the first local entry (ODF's stored "mimetype"). Nothing is
// decompressed here.

const SIG_LOCAL = 0x04034b50;
const SIG_CENTRAL = 0x02014b50;
const SIG_EOCD = 0x06054b50;
const SIG_EOCD64 = 0x06064b50;
const SIG_EOCD64_LOCATOR = 0x07064b50;

/** The largest the end of central directory record can be: 22 bytes plus a 64 KiB comment. */
export const ZIP_EOCD_MAX_BYTES = 22 + 0xffff;

export function isZipSignature(head: Buffer): boolean {
  if (head.length < 4) return false;
  const sig = head.readUInt32LE(0);
  // A local file header, or the end record of an empty archive.
  return sig === SIG_LOCAL || sig === SIG_EOCD;
}

export interface ZipDirectoryLocation {
  /** Offset of the central directory from the start of the archive, as recorded. */
  offset: number;
  /** Size of the central directory in bytes. */
  size: number;
  /** Number of entries it holds. */
  entries: number;
  /** Where the end record starts, counted from the start of the buffer it was found in. */
  eocdIndex: number;
  /** Bytes between the end of the central directory and the end record (ZIP64 records). */
  gapBeforeEocd: number;
}

/** Finds the end of central directory record in the last bytes of an archive. */
export function findZipDirectory(tail: Buffer): ZipDirectoryLocation | null {
  const lowest = Math.max(0, tail.length - ZIP_EOCD_MAX_BYTES);
  for (let i = tail.length - 22; i >= lowest; i--) {
    if (tail.readUInt32LE(i) !== SIG_EOCD) continue;
    const commentLength = tail.readUInt16LE(i + 20);
    if (i + 22 + commentLength > tail.length) continue;
    let entries = tail.readUInt16LE(i + 10);
    let size = tail.readUInt32LE(i + 12);
    let offset = tail.readUInt32LE(i + 16);
    let gap = 0;
    const locator = i - 20;
    if (locator >= 0 && tail.readUInt32LE(locator) === SIG_EOCD64_LOCATOR) {
      // ZIP64: the real numbers are in the ZIP64 end record just before the locator.
      const rec = locator - 56;
      if (rec >= 0 && tail.readUInt32LE(rec) === SIG_EOCD64) {
        entries = Number(tail.readBigUInt64LE(rec + 32));
        size = Number(tail.readBigUInt64LE(rec + 40));
        offset = Number(tail.readBigUInt64LE(rec + 48));
        gap = 56 + 20;
      } else {
        gap = 20;
      }
    }
    return { offset, size, entries, eocdIndex: i, gapBeforeEocd: gap };
  }
  return null;
}

/** Entry names from the bytes of a central directory. Stops quietly at the first bad record. */
export function parseCentralDirectory(cd: Buffer, maxEntries = 100_000): string[] {
  const names: string[] = [];
  let p = 0;
  while (p + 46 <= cd.length && names.length < maxEntries) {
    if (cd.readUInt32LE(p) !== SIG_CENTRAL) break;
    const flags = cd.readUInt16LE(p + 8);
    const nameLength = cd.readUInt16LE(p + 28);
    const extraLength = cd.readUInt16LE(p + 30);
    const commentLength = cd.readUInt16LE(p + 32);
    const end = p + 46 + nameLength;
    if (end > cd.length) break;
    const raw = cd.subarray(p + 46, end);
    names.push(raw.toString(flags & 0x800 ? 'utf8' : 'latin1'));
    p = end + extraLength + commentLength;
  }
  return names;
}

/** Entry names, when the whole central directory lies inside `tail` (the end of the file). */
export function zipEntriesFromTail(tail: Buffer): string[] | null {
  const loc = findZipDirectory(tail);
  if (!loc) return null;
  const start = loc.eocdIndex - loc.gapBeforeEocd - loc.size;
  if (start < 0) return null;
  return parseCentralDirectory(tail.subarray(start, start + loc.size));
}

export interface LocalEntry {
  name: string;
  method: number;
  /** The stored bytes, when they lie inside the buffer and the size is known up front. */
  data: Buffer | null;
}

/**
 * Local file headers read one after another from the start of the archive, as far as `head`
 * reaches. Used when no central directory is at hand, and for ODF's first entry.
 */
export function localEntries(head: Buffer, max = 64): LocalEntry[] {
  const out: LocalEntry[] = [];
  let p = 0;
  while (p + 30 <= head.length && out.length < max) {
    if (head.readUInt32LE(p) !== SIG_LOCAL) break;
    const flags = head.readUInt16LE(p + 6);
    const method = head.readUInt16LE(p + 8);
    const compressedSize = head.readUInt32LE(p + 18);
    const nameLength = head.readUInt16LE(p + 26);
    const extraLength = head.readUInt16LE(p + 28);
    const nameEnd = p + 30 + nameLength;
    if (nameEnd > head.length) break;
    const name = head.subarray(p + 30, nameEnd).toString(flags & 0x800 ? 'utf8' : 'latin1');
    const dataStart = nameEnd + extraLength;
    const sizeKnown = (flags & 0x08) === 0 && compressedSize !== 0xffffffff;
    const dataEnd = dataStart + compressedSize;
    const data = sizeKnown && dataEnd <= head.length ? head.subarray(dataStart, dataEnd) : null;
    out.push({ name, method, data });
    if (!sizeKnown) break; // the next header's position is unknown without the directory
    p = dataEnd;
  }
  return out;
}
