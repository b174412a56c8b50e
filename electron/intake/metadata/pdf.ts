// PDF facts for the catalogue, read with pdf-lib: version, pages (size and rotation), producer,
// dates, encryption. pdf-lib parses objects one after another rather than trusting the xref
// table, so files with a damaged xref that readers repair load here too.
//
// Encryption: pdf-lib cannot decrypt. A file whose empty user password opens it (an "owner
// password only" file) is decrypted here with the standard security handler so that its page
// tree and document information can be read; a file that needs a user password is refused
// with ENCRYPTED_PDF. See docs/INTAKE.md.
import {
  PDFArray,
  PDFDict,
  PDFDocument,
  PDFHexString,
  PDFInvalidObject,
  PDFName,
  PDFNumber,
  PDFObjectParser,
  PDFObjectStreamParser,
  PDFRawStream,
  PDFRef,
  PDFString,
  PDFBool,
  type PDFContext,
  type PDFObject,
} from 'pdf-lib';
import { KesiError } from '../../../shared/errors';
import { PDF_HEADER_WINDOW } from '../sniff';
import {
  decryptObjectData,
  fileKeyForEmptyUserPassword,
  type CryptMethod,
  type StandardSecurity,
} from './pdf-security';

export interface PdfPage {
  /** MediaBox size in points (1/72 inch), as stored; null when the page has none. */
  width: number | null;
  height: number | null;
  /** /Rotate, clockwise degrees: 0, 90, 180 or 270. */
  rotation: number;
}

export interface PdfEncryption {
  /** 'RC4-40', 'RC4-128', 'AES-128' or 'AES-256'. */
  algorithm: string;
  /** Standard security handler revision (/R). */
  revision: number;
  /** The /P permission bits as a signed 32-bit number. */
  permissions: number;
  /** What the owner password forbids, as readers show it. */
  allowsPrinting: boolean;
  allowsCopying: boolean;
  allowsChanges: boolean;
}

export interface PdfMetadata {
  /** Version from the %PDF-x.y header, e.g. "1.7". */
  version: string;
  /** Bytes before the header (0 for a normal file). */
  headerOffset: number;
  pageCount: number;
  pages: PdfPage[];
  title: string | null;
  author: string | null;
  producer: string | null;
  creator: string | null;
  /** Dates in UTC; a date written without a time zone is taken as UTC. */
  createdAt: string | null;
  modifiedAt: string | null;
  createdAtRaw: string | null;
  modifiedAtRaw: string | null;
  encrypted: boolean;
  /** True for an encrypted file that opens without a password (owner password only). */
  ownerPasswordOnly: boolean;
  encryption: PdfEncryption | null;
  hasForm: boolean;
  hasAttachments: boolean;
  hasJavaScript: boolean;
}

// ---------------------------------------------------------------------------------------------
// Text and dates

// PDFDocEncoding (ISO 32000-2, Annex D) where it differs from Latin-1.
const PDF_DOC_ENCODING: Record<number, number> = {
  0x18: 0x02d8,
  0x19: 0x02c7,
  0x1a: 0x02c6,
  0x1b: 0x02d9,
  0x1c: 0x02dd,
  0x1d: 0x02db,
  0x1e: 0x02da,
  0x1f: 0x02dc,
  0x80: 0x2022,
  0x81: 0x2020,
  0x82: 0x2021,
  0x83: 0x2026,
  0x84: 0x2014,
  0x85: 0x2013,
  0x86: 0x0192,
  0x87: 0x2044,
  0x88: 0x2039,
  0x89: 0x203a,
  0x8a: 0x2212,
  0x8b: 0x2030,
  0x8c: 0x201e,
  0x8d: 0x201c,
  0x8e: 0x201d,
  0x8f: 0x2018,
  0x90: 0x2019,
  0x91: 0x201a,
  0x92: 0x2122,
  0x93: 0xfb01,
  0x94: 0xfb02,
  0x95: 0x0141,
  0x96: 0x0152,
  0x97: 0x0160,
  0x98: 0x0178,
  0x99: 0x017d,
  0x9a: 0x0131,
  0x9b: 0x0142,
  0x9c: 0x0153,
  0x9d: 0x0161,
  0x9e: 0x017e,
  0xa0: 0x20ac,
};

/** A PDF text string's bytes as text: UTF-16BE/LE or UTF-8 with a BOM, else PDFDocEncoding. */
export function decodePdfText(bytes: Uint8Array): string {
  const b = Buffer.from(bytes);
  let text: string;
  if (b[0] === 0xfe && b[1] === 0xff) {
    const body = Buffer.from(b.subarray(2, 2 + ((b.length - 2) & ~1)));
    text = body.swap16().toString('utf16le');
  } else if (b[0] === 0xff && b[1] === 0xfe) {
    text = b.subarray(2, 2 + ((b.length - 2) & ~1)).toString('utf16le');
  } else if (b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) {
    text = b.subarray(3).toString('utf8');
  } else {
    text = String.fromCharCode(...[...b].map((c) => PDF_DOC_ENCODING[c] ?? c));
  }
  // eslint-disable-next-line no-control-regex
  return text.replace(/\u0000/g, '').trim();
}

/** The bytes of a string object. pdf-lib's own hex decoding trips over embedded spaces. */
export function stringBytes(obj: PDFObject | undefined): Buffer | null {
  if (obj instanceof PDFString) return Buffer.from(obj.asBytes());
  if (obj instanceof PDFHexString) {
    const hex = obj.asString().replace(/[^0-9A-Fa-f]/g, '');
    return Buffer.from(hex.length % 2 === 1 ? `${hex}0` : hex, 'hex');
  }
  return null;
}

function textOf(obj: PDFObject | undefined): string | null {
  const bytes = stringBytes(obj);
  if (!bytes) return null;
  const text = decodePdfText(bytes);
  return text === '' ? null : text;
}

/**
 * A PDF date ("D:YYYYMMDDHHmmSSOHH'mm'", ISO 32000-2 7.9.4), leniently: the "D:" prefix, the
 * apostrophes and the trailing fields may be missing. Without a time zone, UTC is assumed.
 */
export function parsePdfDate(raw: string | null): string | null {
  if (!raw) return null;
  const s = raw.replace(/^\uFEFF/, '').trim();
  const m =
    /^(?:D:)?(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?\s*(?:(Z)|([+-])(\d{2})'?(?:(\d{2})'?)?)?/.exec(
      s,
    );
  if (!m) return null;
  const year = Number(m[1]);
  const month = Number(m[2] ?? '1');
  const day = Number(m[3] ?? '1');
  const hour = Number(m[4] ?? '0');
  const minute = Number(m[5] ?? '0');
  const second = Number(m[6] ?? '0');
  if (year < 1970 || year > 2200 || month < 1 || month > 12 || day < 1 || day > 31) return null;
  if (hour > 23 || minute > 59 || second > 59) return null;
  let offsetMinutes = 0;
  if (m[8]) {
    offsetMinutes = (m[8] === '-' ? -1 : 1) * (Number(m[9]) * 60 + Number(m[10] ?? '0'));
  }
  const t = Date.UTC(year, month - 1, day, hour, minute, second) - offsetMinutes * 60_000;
  const check = new Date(Date.UTC(year, month - 1, day));
  if (check.getUTCDate() !== day) return null;
  return new Date(t).toISOString();
}

// ---------------------------------------------------------------------------------------------
// Security

const bytesOf = stringBytes;

function numberOf(obj: PDFObject | undefined, fallback: number): number {
  return obj instanceof PDFNumber ? obj.asNumber() : fallback;
}

function cryptMethod(dict: PDFDict, filterName: string, v: number): CryptMethod {
  if (v < 4) return 'RC4';
  const filter = dict.lookup(PDFName.of(filterName));
  const name = filter instanceof PDFName ? filter.decodeText() : 'Identity';
  if (name === 'Identity') return 'none';
  const cf = dict.lookup(PDFName.of('CF'));
  const entry = cf instanceof PDFDict ? cf.lookup(PDFName.of(name)) : undefined;
  const cfm = entry instanceof PDFDict ? entry.lookup(PDFName.of('CFM')) : undefined;
  const method = cfm instanceof PDFName ? cfm.decodeText() : 'None';
  if (method === 'V2') return 'RC4';
  if (method === 'AESV2') return 'AESV2';
  if (method === 'AESV3') return 'AESV3';
  if (method === 'None') return 'none';
  throw new KesiError('ENCRYPTED_PDF', undefined, { reason: `unknown crypt filter ${method}` });
}

/** Finds the /Encrypt dictionary and /ID, also when pdf-lib kept a trailer without them. */
function findEncryption(
  context: PDFContext,
  buf: Buffer,
): { dict: PDFDict; ref: PDFRef | null; id0: Buffer } | null {
  let encrypt: PDFObject | undefined = context.trailerInfo.Encrypt;
  const id: PDFObject | undefined = context.trailerInfo.ID;
  // Fallbacks for trailers pdf-lib dropped (e.g. a linearized file's first-page trailer).
  let text: string | null = null;
  const raw = () => (text ??= buf.toString('latin1'));
  if (!encrypt) {
    const m = /\/Encrypt\s+(\d+)\s+(\d+)\s+R/.exec(raw());
    if (m) encrypt = PDFRef.of(Number(m[1]), Number(m[2]));
  }
  if (!encrypt) return null;
  const ref = encrypt instanceof PDFRef ? encrypt : null;
  const dict = context.lookup(encrypt);
  if (!(dict instanceof PDFDict)) {
    throw new KesiError('CORRUPT_PDF', undefined, { reason: 'unreadable /Encrypt dictionary' });
  }
  let id0: Buffer | null = null;
  const idArray = id ? context.lookup(id) : undefined;
  if (idArray instanceof PDFArray && idArray.size() > 0) id0 = bytesOf(idArray.get(0));
  if (!id0) {
    const m = /\/ID\s*\[\s*<([0-9A-Fa-f\s]*)>/.exec(raw());
    if (m?.[1]) id0 = Buffer.from(m[1].replace(/\s+/g, ''), 'hex');
  }
  return { dict, ref, id0: id0 ?? Buffer.alloc(0) };
}

function standardSecurity(dict: PDFDict, id0: Buffer): StandardSecurity {
  const filter = dict.lookup(PDFName.of('Filter'));
  if (!(filter instanceof PDFName) || filter.decodeText() !== 'Standard') {
    // Certificate (public-key) security: only the recipient's private key opens it.
    throw new KesiError('ENCRYPTED_PDF', undefined, {
      reason: 'not the standard (password) security handler',
    });
  }
  const v = numberOf(dict.lookup(PDFName.of('V')), 0);
  const r = numberOf(dict.lookup(PDFName.of('R')), 2);
  const o = bytesOf(dict.lookup(PDFName.of('O')));
  const u = bytesOf(dict.lookup(PDFName.of('U')));
  if (!o || !u) throw new KesiError('CORRUPT_PDF', undefined, { reason: 'no /O or /U' });
  let keyLength = 5;
  if (v >= 5) keyLength = 32;
  else if (v === 4) keyLength = 16;
  else if (v >= 2) keyLength = Math.floor(numberOf(dict.lookup(PDFName.of('Length')), 40) / 8);
  const em = dict.lookup(PDFName.of('EncryptMetadata'));
  return {
    v,
    r,
    keyLength: Math.min(Math.max(keyLength, 5), 32),
    o,
    u,
    oe: bytesOf(dict.lookup(PDFName.of('OE'))),
    ue: bytesOf(dict.lookup(PDFName.of('UE'))),
    p: numberOf(dict.lookup(PDFName.of('P')), -4),
    encryptMetadata: !(em instanceof PDFBool) || em.asBoolean(),
    id0,
    streamMethod: cryptMethod(dict, 'StmF', v),
    stringMethod: cryptMethod(dict, 'StrF', v),
  };
}

function describe(sec: StandardSecurity): PdfEncryption {
  const method = sec.streamMethod === 'none' ? sec.stringMethod : sec.streamMethod;
  const algorithm =
    method === 'AESV3'
      ? 'AES-256'
      : method === 'AESV2'
        ? 'AES-128'
        : `RC4-${sec.r === 2 ? 40 : sec.keyLength * 8}`;
  return {
    algorithm,
    revision: sec.r,
    permissions: sec.p,
    allowsPrinting: (sec.p & 0x4) !== 0,
    allowsCopying: (sec.p & 0x10) !== 0,
    allowsChanges: (sec.p & 0x8) !== 0,
  };
}

function decryptStrings(
  obj: PDFObject,
  decrypt: (b: Buffer) => Buffer,
  seen: Set<PDFObject>,
): PDFObject {
  if (obj instanceof PDFString || obj instanceof PDFHexString) {
    return PDFHexString.of(decrypt(stringBytes(obj) ?? Buffer.alloc(0)).toString('hex'));
  }
  if (seen.has(obj)) return obj;
  if (obj instanceof PDFDict) {
    seen.add(obj);
    // A signature's /Contents is never encrypted (ISO 32000-2, 7.6.2).
    const signature = obj.has(PDFName.of('ByteRange'));
    for (const [key, value] of obj.entries()) {
      if (signature && key === PDFName.of('Contents')) continue;
      const next = decryptStrings(value, decrypt, seen);
      if (next !== value) obj.set(key, next);
    }
  } else if (obj instanceof PDFArray) {
    seen.add(obj);
    for (let i = 0; i < obj.size(); i++) {
      const value = obj.get(i);
      const next = decryptStrings(value, decrypt, seen);
      if (next !== value) obj.set(i, next);
    }
  }
  return obj;
}

/** Decrypts every string and stream in place, and parses the object streams it unlocks. */
async function decryptDocument(
  context: PDFContext,
  sec: StandardSecurity,
  key: Buffer,
  encryptRef: PDFRef | null,
): Promise<void> {
  const objectStreams: PDFRawStream[] = [];
  for (const [ref, original] of context.enumerateIndirectObjects()) {
    if (encryptRef && ref === encryptRef) continue;
    const num = ref.objectNumber;
    const gen = ref.generationNumber;
    const strings = (b: Buffer) => decryptObjectData(sec.stringMethod, key, num, gen, b);
    let obj: PDFObject = original;
    if (obj instanceof PDFInvalidObject) {
      // An object stream whose encrypted content pdf-lib could not inflate lands here raw.
      const bytes = new Uint8Array(obj.sizeInBytes());
      obj.copyBytesInto(bytes, 0);
      try {
        obj = PDFObjectParser.forBytes(bytes, context).parseObject();
      } catch {
        continue;
      }
    }
    if (obj instanceof PDFRawStream) {
      const type = obj.dict.lookup(PDFName.of('Type'));
      if (type === PDFName.of('XRef')) continue; // never encrypted
      decryptStrings(obj.dict, strings, new Set());
      const plainMetadata = type === PDFName.of('Metadata') && !sec.encryptMetadata;
      const contents = plainMetadata
        ? obj.contents
        : decryptObjectData(sec.streamMethod, key, num, gen, Buffer.from(obj.contents));
      const stream = PDFRawStream.of(obj.dict, contents);
      context.assign(ref, stream);
      if (type === PDFName.of('ObjStm')) objectStreams.push(stream);
    } else {
      const next = decryptStrings(obj, strings, new Set());
      if (next !== original) context.assign(ref, next);
    }
  }
  // Objects inside object streams are not encrypted again (ISO 32000-2, 7.5.7).
  for (const stream of objectStreams) {
    try {
      await PDFObjectStreamParser.forStream(stream).parseIntoContext();
    } catch {
      // a damaged object stream: the page tree check below decides whether the file is usable
    }
  }
}

// ---------------------------------------------------------------------------------------------

export function readPdfHeader(buf: Buffer): { version: string; offset: number } | null {
  const window = buf.subarray(0, PDF_HEADER_WINDOW + 16).toString('latin1');
  const m = /%PDF-(\d+\.\d+)/.exec(window);
  if (!m || m.index > PDF_HEADER_WINDOW) return null;
  return { version: m[1] ?? '', offset: m.index };
}

/** The standard security handler parameters of an encrypted PDF, or null if not encrypted. */
export async function readStandardSecurity(buf: Buffer): Promise<StandardSecurity | null> {
  let doc: PDFDocument;
  try {
    doc = await PDFDocument.load(buf, { ignoreEncryption: true, updateMetadata: false });
  } catch (e) {
    throw new KesiError('CORRUPT_PDF', undefined, { reason: String(e).slice(0, 200) });
  }
  const found = findEncryption(doc.context, buf);
  return found ? standardSecurity(found.dict, found.id0) : null;
}

export interface OpenedPdf {
  doc: PDFDocument;
  version: string;
  headerOffset: number;
  encryption: PdfEncryption | null;
}

/**
 * Loads a PDF with pdf-lib, decrypting an owner-password-only file. Throws CORRUPT_PDF when it
 * cannot be read or has no pages, ENCRYPTED_PDF when it needs a password to open.
 */
export async function openPdf(buf: Buffer): Promise<OpenedPdf> {
  const header = readPdfHeader(buf);
  if (!header) throw new KesiError('CORRUPT_PDF', undefined, { reason: 'no %PDF- header' });
  let doc: PDFDocument;
  try {
    doc = await PDFDocument.load(buf, {
      ignoreEncryption: true,
      updateMetadata: false,
      throwOnInvalidObject: false,
    });
  } catch (e) {
    throw new KesiError('CORRUPT_PDF', undefined, { reason: String(e).slice(0, 200) });
  }
  let encryption: PdfEncryption | null = null;
  const found = findEncryption(doc.context, buf);
  if (found) {
    const sec = standardSecurity(found.dict, found.id0);
    encryption = describe(sec);
    let key: Buffer | null;
    try {
      key = fileKeyForEmptyUserPassword(sec);
    } catch (e) {
      throw new KesiError('ENCRYPTED_PDF', undefined, { reason: String(e).slice(0, 200) });
    }
    if (!key) {
      throw new KesiError('ENCRYPTED_PDF', undefined, {
        algorithm: encryption.algorithm,
        revision: sec.r,
      });
    }
    await decryptDocument(doc.context, sec, key, found.ref);
    // The decrypted document no longer needs (and must not claim) encryption.
    doc.context.trailerInfo.Encrypt = undefined;
  }
  try {
    if (doc.getPageCount() === 0) throw new Error('no pages');
  } catch (e) {
    throw new KesiError('CORRUPT_PDF', undefined, {
      reason: e instanceof Error ? e.message.slice(0, 200) : 'no page tree',
    });
  }
  return { doc, version: header.version, headerOffset: header.offset, encryption };
}

function pageOf(page: ReturnType<PDFDocument['getPages']>[number]): PdfPage {
  let width: number | null = null;
  let height: number | null = null;
  try {
    const box = page.getMediaBox();
    width = Math.round(Math.abs(box.width) * 100) / 100;
    height = Math.round(Math.abs(box.height) * 100) / 100;
  } catch {
    // no MediaBox on the page or its parents
  }
  let rotation = 0;
  try {
    const angle = page.getRotation().angle;
    rotation = (((Math.round(angle / 90) * 90) % 360) + 360) % 360;
  } catch {
    rotation = 0;
  }
  return { width, height, rotation };
}

function scanFeatures(
  doc: PDFDocument,
): Pick<PdfMetadata, 'hasForm' | 'hasAttachments' | 'hasJavaScript'> {
  const catalog = doc.catalog;
  const acroForm = catalog.lookup(PDFName.of('AcroForm'));
  const fields = acroForm instanceof PDFDict ? acroForm.lookup(PDFName.of('Fields')) : undefined;
  const hasForm = fields instanceof PDFArray && fields.size() > 0;
  const names = catalog.lookup(PDFName.of('Names'));
  const hasAttachments =
    names instanceof PDFDict && names.lookup(PDFName.of('EmbeddedFiles')) !== undefined;
  let hasJavaScript =
    names instanceof PDFDict && names.lookup(PDFName.of('JavaScript')) !== undefined;
  if (!hasJavaScript) {
    for (const [, obj] of doc.context.enumerateIndirectObjects()) {
      const dict = obj instanceof PDFDict ? obj : obj instanceof PDFRawStream ? obj.dict : null;
      if (!dict) continue;
      if (dict.get(PDFName.of('S')) === PDFName.of('JavaScript') || dict.has(PDFName.of('JS'))) {
        hasJavaScript = true;
        break;
      }
    }
  }
  return { hasForm, hasAttachments, hasJavaScript };
}

/** Reads a PDF's metadata. Throws CORRUPT_PDF or ENCRYPTED_PDF (see openPdf). */
export async function readPdfMetadata(buf: Buffer): Promise<PdfMetadata> {
  const { doc, version, headerOffset, encryption } = await openPdf(buf);
  const pages = doc.getPages().map(pageOf);
  const infoRef = doc.context.trailerInfo.Info;
  const info = infoRef ? doc.context.lookup(infoRef) : undefined;
  const field = (name: string): string | null =>
    info instanceof PDFDict ? textOf(info.lookup(PDFName.of(name))) : null;
  const createdAtRaw = field('CreationDate');
  const modifiedAtRaw = field('ModDate');
  return {
    version,
    headerOffset,
    pageCount: pages.length,
    pages,
    title: field('Title'),
    author: field('Author'),
    producer: field('Producer'),
    creator: field('Creator'),
    createdAt: parsePdfDate(createdAtRaw),
    modifiedAt: parsePdfDate(modifiedAtRaw),
    createdAtRaw,
    modifiedAtRaw,
    encrypted: encryption !== null,
    ownerPasswordOnly: encryption !== null,
    encryption,
    ...scanFeatures(doc),
  };
}
