// What a file really is, from its bytes, never from its name. Programs and scripts are refused
// outright; anything else Kesi does not know is refused too, but the caller may take such a
// file in deliberately as an "other document" (see OTHER_DOCUMENT and docs/INTAKE.md).
import { open } from 'node:fs/promises';
import type { ItemKind } from '../../shared/domain';
import { KesiError } from '../../shared/errors';
import { readFtyp, boxes } from './isobmff';
import {
  ZIP_EOCD_MAX_BYTES,
  findZipDirectory,
  isZipSignature,
  localEntries,
  parseCentralDirectory,
  zipEntriesFromTail,
} from './zip';

export type MediaFamily = 'image' | 'pdf' | 'document' | 'text' | 'audio' | 'video';

export interface SniffResult {
  mediaType: string;
  family: MediaFamily;
  /** The usual file name extension for this type, without the dot. */
  ext: string;
  suggestedKind: ItemKind;
  /** For text only: the encoding found. */
  charset?: 'utf-8' | 'utf-16le' | 'utf-16be';
}

export interface SniffOptions {
  /** The last bytes of the file (for ZIP-based files: the central directory is at the end). */
  tail?: Buffer;
  /** The names in a ZIP file's central directory, when the caller has read them already. */
  zipEntries?: string[];
  /** The whole file's size; when it equals head.length, head is the whole file. */
  size?: number;
  /** For OLE2/CFB files: the 128-byte root directory entry (it tells an installer apart). */
  cfbRootEntry?: Buffer;
}

/** How many bytes from the start of a file sniffing looks at. */
export const SNIFF_HEAD_BYTES = 64 * 1024;
/** PDF readers accept a header anywhere in the first 1024 bytes (ISO 32000-2, 7.5.2 note). */
export const PDF_HEADER_WINDOW = 1024;

/** What an unknown file becomes when the caller takes it in deliberately. */
export const OTHER_DOCUMENT: SniffResult = Object.freeze({
  mediaType: 'application/octet-stream',
  family: 'document',
  ext: 'bin',
  suggestedKind: 'other',
});

const KIND_BY_FAMILY: Record<MediaFamily, ItemKind> = {
  image: 'photo',
  pdf: 'document',
  document: 'document',
  text: 'document',
  audio: 'audio',
  video: 'video',
};

function result(
  mediaType: string,
  family: MediaFamily,
  ext: string,
  extra?: Partial<SniffResult>,
): SniffResult {
  return { mediaType, family, ext, suggestedKind: KIND_BY_FAMILY[family], ...extra };
}

function refuseExecutable(detected: string): never {
  throw new KesiError('EXECUTABLE_REFUSED', undefined, { detected });
}

function unsupported(detected: string | null, forcible = true): never {
  throw new KesiError('UNSUPPORTED_TYPE', undefined, { detected, forcible });
}

function startsWith(buf: Buffer, bytes: readonly number[], at = 0): boolean {
  if (buf.length < at + bytes.length) return false;
  for (let i = 0; i < bytes.length; i++) if (buf[at + i] !== bytes[i]) return false;
  return true;
}

function ascii(buf: Buffer, at: number, text: string): boolean {
  return buf.length >= at + text.length && buf.toString('latin1', at, at + text.length) === text;
}

const LNK_HEADER = [
  0x4c, 0x00, 0x00, 0x00, 0x01, 0x14, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0xc0, 0x00, 0x00, 0x00,
  0x00, 0x00, 0x00, 0x46,
];
const CFB_SIGNATURE = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];
const UTF8_BOM = [0xef, 0xbb, 0xbf];

// ---------------------------------------------------------------------------------------------
// Programs and scripts

/** The name of the executable format `head` starts with, or null. */
function executableKind(head: Buffer, text: boolean): string | null {
  if (ascii(head, 0, '\x7fELF')) return 'ELF';
  if (head.length >= 4) {
    const be = head.readUInt32BE(0);
    if (be === 0xfeedface || be === 0xfeedfacf || be === 0xcefaedfe || be === 0xcffaedfe) {
      return 'Mach-O';
    }
    // 0xCAFEBABE is both a Mach-O universal binary and a Java class file: a program either way.
    if (be === 0xcafebabe || be === 0xcafebabf || be === 0xbebafeca) return 'Mach-O/Java';
  }
  // "MZ" also starts ordinary words ("MZEE ..."); a DOS/PE header is binary, never text.
  if (ascii(head, 0, 'MZ') && !text) return 'MZ/PE';
  if (startsWith(head, LNK_HEADER)) return 'Windows shortcut';
  if (ascii(head, 0, 'dex\n') && head[7] === 0) return 'Android DEX';
  if (ascii(head, 0, '\0asm')) return 'WebAssembly';
  const bom = startsWith(head, UTF8_BOM) ? 3 : 0;
  if (ascii(head, bom, '#!') && !ascii(head, 0, '#!AMR')) return 'script (#!)';
  return null;
}

/** Where an OLE2/CFB file keeps its root directory entry, from the file header. */
export function cfbRootEntryOffset(head: Buffer): number | null {
  if (!startsWith(head, CFB_SIGNATURE) || head.length < 0x34) return null;
  const sectorShift = head.readUInt16LE(0x1e);
  const firstDirSector = head.readUInt32LE(0x30);
  if (sectorShift < 7 || sectorShift > 16 || firstDirSector >= 0xfffffffa) return null;
  return (firstDirSector + 1) * 2 ** sectorShift;
}

function cfbKind(head: Buffer, rootEntry: Buffer | undefined): 'installer' | 'office' | null {
  let entry = rootEntry;
  const at = cfbRootEntryOffset(head);
  if (!entry && at !== null && at + 128 <= head.length) entry = head.subarray(at, at + 128);
  if (!entry || entry.length < 0x60) return null;
  // Root CLSID {000C108x-0000-0000-C000-000000000046}: MSI (84), MSP patch (86), MST (82).
  const c = entry.subarray(0x50, 0x60);
  const tail = [0x00, 0x00, 0x00, 0x00, 0xc0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x46];
  if ([0x82, 0x84, 0x86].includes(c[0] ?? 0) && startsWith(c, [0x10, 0x0c, 0x00], 1)) {
    if (startsWith(c, tail, 4)) return 'installer';
  }
  return 'office';
}

// ---------------------------------------------------------------------------------------------
// ZIP-based formats

const ODT_MIMETYPE = 'application/vnd.oasis.opendocument.text';

function sniffZip(head: Buffer, opts: SniffOptions): SniffResult {
  const locals = localEntries(head);
  let entries = opts.zipEntries;
  if (!entries && opts.tail) entries = zipEntriesFromTail(opts.tail) ?? undefined;
  if (!entries && opts.size !== undefined && opts.size === head.length) {
    entries = zipEntriesFromTail(head) ?? undefined;
  }
  const names = new Set([...(entries ?? []), ...locals.map((e) => e.name)]);
  const lower = new Set([...names].map((n) => n.toLowerCase()));

  // Java and Android packages, Windows app packages, iOS apps.
  if (lower.has('meta-inf/manifest.mf')) refuseExecutable('Java archive (JAR)');
  if (lower.has('classes.dex') || lower.has('androidmanifest.xml')) refuseExecutable('Android APK');
  if (lower.has('appxmanifest.xml') || lower.has('appxbundlemanifest.xml')) {
    refuseExecutable('Windows app package');
  }
  if ([...lower].some((n) => /^payload\/[^/]+\.app\//.test(n))) refuseExecutable('iOS app');
  // Word with macros: a program inside a document.
  if (lower.has('word/vbaproject.bin')) refuseExecutable('Word document with macros');

  // OpenDocument: the first entry is an uncompressed "mimetype" (ODF 1.2 part 3, 3.3).
  const first = locals[0];
  if (first && first.name === 'mimetype' && first.method === 0 && first.data) {
    const mime = first.data.toString('latin1').trim();
    if (mime === ODT_MIMETYPE) return result(ODT_MIMETYPE, 'document', 'odt');
    unsupported(mime);
  }

  if (names.has('[Content_Types].xml') && names.has('word/document.xml')) {
    return result(
      'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
      'document',
      'docx',
    );
  }
  if (!entries) {
    // Without the central directory a DOCX cannot be told from any other ZIP.
    unsupported('application/zip', false);
  }
  if (names.has('[Content_Types].xml')) unsupported('application/vnd.openxmlformats', true);
  unsupported('application/zip', true);
}

// ---------------------------------------------------------------------------------------------
// ISO BMFF (ftyp) formats

const HEIC_BRANDS = ['heic', 'heix', 'heim', 'heis', 'hevc', 'hevx', 'hevm', 'hevs'];
const HEIF_BRANDS = ['mif1', 'msf1', 'mif2'];
const AVIF_BRANDS = ['avif', 'avis'];
const M4A_BRANDS = ['M4A ', 'M4B ', 'M4P '];
const QT_BRANDS = ['qt  '];
const GPP_BRANDS = ['3gp4', '3gp5', '3gp6', '3gp7', '3ge6', '3ge7', '3gg6', '3gs7'];
const GPP2_BRANDS = ['3g2a', '3g2b', '3g2c'];
const MP4_BRANDS = [
  'isom',
  'iso2',
  'iso3',
  'iso4',
  'iso5',
  'iso6',
  'iso8',
  'mp41',
  'mp42',
  'mp71',
  'avc1',
  'dash',
  'M4V ',
  'M4VH',
  'M4VP',
  'mmp4',
  'MSNV',
  'NDAS',
  'XAVC',
  'f4v ',
  'MP4 ',
];

function ftypResult(brand: string): SniffResult | null {
  if (HEIC_BRANDS.includes(brand)) {
    const sequence = brand.startsWith('hev');
    return result(sequence ? 'image/heic-sequence' : 'image/heic', 'image', 'heic');
  }
  if (AVIF_BRANDS.includes(brand)) return result('image/avif', 'image', 'avif');
  if (HEIF_BRANDS.includes(brand)) {
    return result(brand === 'msf1' ? 'image/heif-sequence' : 'image/heif', 'image', 'heif');
  }
  if (M4A_BRANDS.includes(brand)) return result('audio/mp4', 'audio', 'm4a');
  if (QT_BRANDS.includes(brand)) return result('video/quicktime', 'video', 'mov');
  if (GPP_BRANDS.includes(brand)) return result('video/3gpp', 'video', '3gp');
  if (GPP2_BRANDS.includes(brand)) return result('video/3gpp2', 'video', '3g2');
  if (MP4_BRANDS.includes(brand)) return result('video/mp4', 'video', 'mp4');
  return null;
}

function sniffFtyp(head: Buffer): SniffResult | null {
  const ftyp = readFtyp(head);
  if (!ftyp) return null;
  if (HEIF_BRANDS.includes(ftyp.major)) {
    // The generic HEIF brand: a compatible brand may name the codec (HEVC or AV1).
    const codec = ftyp.compatible.find((b) => HEIC_BRANDS.includes(b) || AVIF_BRANDS.includes(b));
    if (codec) return ftypResult(codec);
  }
  const fromMajor = ftypResult(ftyp.major);
  if (fromMajor) return fromMajor;
  // An unknown major brand: the most specific compatible brand decides.
  const order = [
    HEIC_BRANDS,
    AVIF_BRANDS,
    HEIF_BRANDS,
    M4A_BRANDS,
    QT_BRANDS,
    GPP_BRANDS,
    GPP2_BRANDS,
    MP4_BRANDS,
  ];
  for (const group of order) {
    const hit = ftyp.compatible.find((b) => group.includes(b));
    if (hit) return ftypResult(hit);
  }
  unsupported(`ISO media (${ftyp.major.trim()})`);
}

/** Old QuickTime files have no 'ftyp': they start straight with movie atoms. */
function looksLikeQuickTime(head: Buffer): boolean {
  const first = head.length >= 8 ? head.toString('latin1', 4, 8) : '';
  if (!['moov', 'mdat', 'wide', 'free', 'skip', 'pnot'].includes(first)) return false;
  const found = boxes(head).map((b) => b.type);
  return found.includes('moov') || found.includes('mdat');
}

// ---------------------------------------------------------------------------------------------
// Audio

const MP3_BITRATES_V1_L3 = [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320];
const MP3_BITRATES_V2_L3 = [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160];
const MP3_RATES = [
  [11025, 12000, 8000], // MPEG 2.5
  [0, 0, 0],
  [22050, 24000, 16000], // MPEG 2
  [44100, 48000, 32000], // MPEG 1
];

/** Length of the MPEG audio layer III frame at `p`, or 0 when there is none. */
function mp3FrameLength(b: Buffer, p: number): number {
  if (p + 4 > b.length) return 0;
  if (b[p] !== 0xff || ((b[p + 1] ?? 0) & 0xe0) !== 0xe0) return 0;
  const b1 = b[p + 1] ?? 0;
  const b2 = b[p + 2] ?? 0;
  const version = (b1 >> 3) & 3;
  const layer = (b1 >> 1) & 3;
  const bitrateIndex = b2 >> 4;
  const rateIndex = (b2 >> 2) & 3;
  if (version === 1 || layer !== 1 || bitrateIndex === 0 || bitrateIndex === 15) return 0;
  if (rateIndex === 3) return 0;
  const kbps = (version === 3 ? MP3_BITRATES_V1_L3 : MP3_BITRATES_V2_L3)[bitrateIndex] ?? 0;
  const rate = MP3_RATES[version]?.[rateIndex] ?? 0;
  if (!kbps || !rate) return 0;
  const padding = (b2 >> 1) & 1;
  const coefficient = version === 3 ? 144 : 72;
  return Math.floor((coefficient * kbps * 1000) / rate) + padding;
}

function isMp3FrameStream(b: Buffer, p: number): boolean {
  const len = mp3FrameLength(b, p);
  if (!len) return false;
  // Two frames in a row, unless the buffer ends before the second one.
  return p + len + 4 > b.length || mp3FrameLength(b, p + len) > 0;
}

function sniffAudio(head: Buffer): SniffResult | null {
  if (ascii(head, 0, 'ID3') && head.length >= 10 && (head[3] ?? 0) >= 2 && (head[3] ?? 0) <= 4) {
    const size =
      (((head[6] ?? 0) & 0x7f) << 21) |
      (((head[7] ?? 0) & 0x7f) << 14) |
      (((head[8] ?? 0) & 0x7f) << 7) |
      ((head[9] ?? 0) & 0x7f);
    const after = 10 + size + ((head[5] ?? 0) & 0x10 ? 10 : 0);
    if (after + 4 <= head.length) {
      if (ascii(head, after, 'fLaC')) return result('audio/flac', 'audio', 'flac');
      // Some taggers leave zero padding after the tag.
      let p = after;
      while (p < head.length && head[p] === 0) p++;
      if (!isMp3FrameStream(head, p)) unsupported('audio with an ID3 tag');
    }
    return result('audio/mpeg', 'audio', 'mp3');
  }
  if (isMp3FrameStream(head, 0)) return result('audio/mpeg', 'audio', 'mp3');
  if ((ascii(head, 0, 'RIFF') || ascii(head, 0, 'RF64')) && ascii(head, 8, 'WAVE')) {
    return result('audio/wav', 'audio', 'wav');
  }
  if (ascii(head, 0, 'OggS')) {
    const theora = head.indexOf('theora', 28, 'latin1');
    if (theora > 0 && theora < 64) return result('video/ogg', 'video', 'ogv');
    if (ascii(head, 28, 'OpusHead')) return result('audio/ogg', 'audio', 'opus');
    return result('audio/ogg', 'audio', 'ogg');
  }
  if (ascii(head, 0, 'fLaC')) return result('audio/flac', 'audio', 'flac');
  if (ascii(head, 0, '#!AMR\n')) return result('audio/amr', 'audio', 'amr');
  if (ascii(head, 0, '#!AMR-WB\n')) return result('audio/amr-wb', 'audio', 'awb');
  return null;
}

// ---------------------------------------------------------------------------------------------
// Images

function sniffImage(head: Buffer): SniffResult | null {
  if (startsWith(head, [0xff, 0xd8, 0xff])) return result('image/jpeg', 'image', 'jpg');
  if (startsWith(head, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) {
    return result('image/png', 'image', 'png');
  }
  if (ascii(head, 0, 'GIF87a') || ascii(head, 0, 'GIF89a')) {
    return result('image/gif', 'image', 'gif');
  }
  if (ascii(head, 0, 'RIFF') && ascii(head, 8, 'WEBP'))
    return result('image/webp', 'image', 'webp');
  const tiff =
    startsWith(head, [0x49, 0x49, 0x2a, 0x00]) ||
    startsWith(head, [0x4d, 0x4d, 0x00, 0x2a]) ||
    startsWith(head, [0x49, 0x49, 0x2b, 0x00]) ||
    startsWith(head, [0x4d, 0x4d, 0x00, 0x2b]);
  if (tiff) {
    // Camera raw files are TIFF inside; a Canon CR2 says so at byte 8.
    if (ascii(head, 8, 'CR\x02')) unsupported('image/x-canon-cr2');
    return result('image/tiff', 'image', 'tiff');
  }
  return null;
}

// ---------------------------------------------------------------------------------------------
// Text

/** Bytes at the end of `b` that start a UTF-8 sequence the buffer cuts short. */
function incompleteUtf8Tail(b: Buffer): number {
  for (let back = 1; back <= 3 && back <= b.length; back++) {
    const c = b[b.length - back] ?? 0;
    if ((c & 0xc0) === 0x80) continue; // continuation byte: keep looking for the lead
    const need = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 1;
    return need > back ? back : 0;
  }
  return 0;
}

function mostlyPrintable(text: string): boolean {
  let bad = 0;
  let total = 0;
  for (const ch of text) {
    total++;
    const c = ch.codePointAt(0) ?? 0;
    if (c === 0) return false;
    const control =
      (c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d && c !== 0x0c && c !== 0x1a) ||
      c === 0x7f ||
      (c >= 0x80 && c < 0xa0) ||
      c === 0xfffd;
    if (control) bad++;
  }
  return total === 0 || bad / total <= 0.01;
}

/** The encoding of `head` when it is plain text, else null. */
export function textCharset(head: Buffer, whole: boolean): SniffResult['charset'] | null {
  const le = startsWith(head, [0xff, 0xfe]);
  const be = startsWith(head, [0xfe, 0xff]);
  if (le || be) {
    let body = head.subarray(2);
    if (body.length % 2 === 1) {
      if (whole) return null;
      body = body.subarray(0, body.length - 1);
    }
    if (be) body = Buffer.from(body).swap16();
    try {
      const text = new TextDecoder('utf-16le', { fatal: true }).decode(body);
      return mostlyPrintable(text) ? (le ? 'utf-16le' : 'utf-16be') : null;
    } catch {
      // A cut surrogate pair at the end of a partial head is fine; anything else is not text.
      if (whole) return null;
      try {
        const text = new TextDecoder('utf-16le', { fatal: true }).decode(
          body.subarray(0, body.length - 2),
        );
        return mostlyPrintable(text) ? (le ? 'utf-16le' : 'utf-16be') : null;
      } catch {
        return null;
      }
    }
  }
  if (head.includes(0)) return null;
  const cut = whole ? 0 : incompleteUtf8Tail(head);
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(
      head.subarray(0, head.length - cut),
    );
    return mostlyPrintable(text) ? 'utf-8' : null;
  } catch {
    return null;
  }
}

// ---------------------------------------------------------------------------------------------

/**
 * The type of a file from its first bytes (`head`, ideally SNIFF_HEAD_BYTES of them).
 * Throws KesiError FILE_EMPTY, EXECUTABLE_REFUSED or UNSUPPORTED_TYPE (details.forcible tells
 * whether the file may still be taken in as OTHER_DOCUMENT).
 */
export function sniff(head: Buffer, opts: SniffOptions = {}): SniffResult {
  if (head.length === 0) throw new KesiError('FILE_EMPTY');
  const whole = opts.size !== undefined && opts.size <= head.length;
  const charset = textCharset(head, whole);

  const exe = executableKind(head, charset !== null);
  if (exe) refuseExecutable(exe);
  if (startsWith(head, CFB_SIGNATURE)) {
    const kind = cfbKind(head, opts.cfbRootEntry);
    if (kind === 'installer') refuseExecutable('Windows Installer package');
    // Legacy Word/Excel/Outlook files: not taken as such, and they can carry macros.
    unsupported('application/x-ole-storage (legacy Office)', kind !== null);
  }
  if (isZipSignature(head)) return sniffZip(head, opts);

  const image = sniffImage(head);
  if (image) return image;
  const iso = sniffFtyp(head);
  if (iso) return iso;
  if (looksLikeQuickTime(head)) return result('video/quicktime', 'video', 'mov');
  const audio = sniffAudio(head);
  if (audio) return audio;

  const pdfAt = head.subarray(0, PDF_HEADER_WINDOW).indexOf('%PDF-', 0, 'latin1');
  if (pdfAt >= 0) return result('application/pdf', 'pdf', 'pdf');

  if (charset) return result('text/plain', 'text', 'txt', { charset });
  unsupported(null);
}

/** Like sniff, but a forcible unknown type comes back as OTHER_DOCUMENT when allowed. */
export function sniffOrOther(head: Buffer, opts: SniffOptions, allowOther: boolean): SniffResult {
  try {
    return sniff(head, opts);
  } catch (e) {
    if (
      allowOther &&
      e instanceof KesiError &&
      e.code === 'UNSUPPORTED_TYPE' &&
      e.details?.['forcible'] === true
    ) {
      return { ...OTHER_DOCUMENT };
    }
    throw e;
  }
}

/** Reads what sniffing needs from a file: its head and, for ZIP and OLE2 files, a little more. */
export async function sniffFile(path: string | Buffer): Promise<SniffResult> {
  const fh = await open(path, 'r');
  try {
    const { size } = await fh.stat();
    const read = async (position: number, length: number): Promise<Buffer> => {
      const buf = Buffer.alloc(Math.max(0, Math.min(length, size - position)));
      let done = 0;
      while (done < buf.length) {
        const { bytesRead } = await fh.read(buf, done, buf.length - done, position + done);
        if (bytesRead === 0) break;
        done += bytesRead;
      }
      return buf.subarray(0, done);
    };
    const head = await read(0, SNIFF_HEAD_BYTES);
    const opts: SniffOptions = { size };
    if (isZipSignature(head)) {
      const tailStart = Math.max(0, size - ZIP_EOCD_MAX_BYTES);
      const tail = await read(tailStart, size - tailStart);
      const loc = findZipDirectory(tail);
      if (loc) {
        const cdEnd = tailStart + loc.eocdIndex - loc.gapBeforeEocd;
        const cdStart = cdEnd - loc.size;
        if (cdStart >= 0 && loc.size <= 64 * 1024 * 1024) {
          opts.zipEntries = parseCentralDirectory(await read(cdStart, loc.size));
        }
      }
    } else {
      const at = cfbRootEntryOffset(head);
      if (at !== null) opts.cfbRootEntry = await read(at, 128);
    }
    return sniff(head, opts);
  } finally {
    await fh.close();
  }
}

/** Sniffs content already in memory: the head, plus the ZIP directory or OLE2 root entry. */
export function sniffBuffer(buf: Buffer): SniffResult {
  const head = buf.subarray(0, SNIFF_HEAD_BYTES);
  const opts: SniffOptions = { size: buf.length };
  if (isZipSignature(head)) {
    opts.tail = buf;
  } else {
    const at = cfbRootEntryOffset(head);
    if (at !== null && at + 128 <= buf.length) opts.cfbRootEntry = buf.subarray(at, at + 128);
  }
  return sniff(head, opts);
}
