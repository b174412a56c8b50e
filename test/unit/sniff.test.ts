import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isKesiError } from '../../shared/errors';
import { zip } from '../helpers/zip';
import { inspect } from '../../electron/intake/inspect';
import {
  OTHER_DOCUMENT,
  SNIFF_HEAD_BYTES,
  sniff,
  sniffBuffer,
  sniffFile,
  sniffOrOther,
  type SniffOptions,
} from '../../electron/intake/sniff';

// ---------------------------------------------------------------------------------------------
const CONTENT_TYPES = '<?xml version="1.0"?><Types/>';
const docx = (extra: Array<[string, string | Buffer]> = []) =>
  zip([
    ['[Content_Types].xml', CONTENT_TYPES],
    ['_rels/.rels', '<Relationships/>'],
    ['word/document.xml', '<w:document/>'],
    ...extra,
  ]);
const odf = (mime: string) =>
  zip([
    ['mimetype', mime],
    ['content.xml', '<office:document-content/>'],
    ['META-INF/manifest.xml', '<manifest:manifest/>'],
  ]);

// ---------------------------------------------------------------------------------------------

function code(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (isKesiError(e)) return e.code;
    throw e;
  }
  return 'OK';
}

function details(fn: () => unknown): Record<string, unknown> | undefined {
  try {
    fn();
  } catch (e) {
    if (isKesiError(e)) return e.details;
  }
  return undefined;
}

const whole = (buf: Buffer, opts: SniffOptions = {}) => sniff(buf, { size: buf.length, ...opts });
const bytes = (...parts: Array<number[] | string | Buffer>) =>
  Buffer.concat(
    parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'latin1') : Buffer.from(p))),
  );

function ftyp(major: string, ...compatible: string[]): Buffer {
  const size = 16 + compatible.length * 4;
  const b = Buffer.alloc(size + 8);
  b.writeUInt32BE(size, 0);
  b.write('ftyp', 4, 'latin1');
  b.write(major, 8, 'latin1');
  compatible.forEach((c, i) => b.write(c, 16 + i * 4, 'latin1'));
  b.writeUInt32BE(8, size);
  b.write('mdat', size + 4, 'latin1');
  return b;
}

/** Two MPEG-1 layer III frames, 128 kbit/s, 44.1 kHz (417 bytes each). */
function mp3Frames(): Buffer {
  const frame = Buffer.alloc(417);
  frame.set([0xff, 0xfb, 0x90, 0x64]);
  return Buffer.concat([frame, frame]);
}

function cfb(rootClsid: number[] | null): Buffer {
  const b = Buffer.alloc(512 * 3);
  b.set([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
  b.writeUInt16LE(9, 0x1e); // 512-byte sectors
  b.writeUInt32LE(rootClsid ? 0 : 0xfffffffe, 0x30); // first directory sector
  if (rootClsid) b.set(rootClsid, 512 + 0x50);
  return b;
}
const MSI_CLSID = [0x84, 0x10, 0x0c, 0x00, 0, 0, 0, 0, 0xc0, 0, 0, 0, 0, 0, 0, 0x46];
const WORD97_CLSID = [0x06, 0x09, 0x02, 0x00, 0, 0, 0, 0, 0xc0, 0, 0, 0, 0, 0, 0, 0x46];

describe('sniff: programs and scripts are refused', () => {
  const exe = (buf: Buffer) => code(() => whole(buf));

  it('refuses ELF, PE, Mach-O (thin and fat), Java classes, DEX and WebAssembly', () => {
    expect(exe(bytes('\x7fELF', [2, 1, 1, 0], Buffer.alloc(56)))).toBe('EXECUTABLE_REFUSED');
    const pe = Buffer.alloc(256);
    pe.write('MZ', 0, 'latin1');
    pe.writeUInt32LE(0x80, 0x3c);
    pe.write('PE\0\0', 0x80, 'latin1');
    expect(exe(pe)).toBe('EXECUTABLE_REFUSED');
    for (const magic of [0xfeedface, 0xfeedfacf, 0xcefaedfe, 0xcffaedfe, 0xcafebabe]) {
      const b = Buffer.alloc(64);
      b.writeUInt32BE(magic, 0);
      expect(exe(b), magic.toString(16)).toBe('EXECUTABLE_REFUSED');
    }
    expect(exe(bytes('dex\n035\0', Buffer.alloc(100)))).toBe('EXECUTABLE_REFUSED');
    expect(exe(bytes('\0asm', [1, 0, 0, 0]))).toBe('EXECUTABLE_REFUSED');
  });

  it('refuses #! scripts, with or without a byte order mark, but not AMR audio', () => {
    expect(exe(Buffer.from('#!/bin/sh\nrm -rf /\n'))).toBe('EXECUTABLE_REFUSED');
    expect(exe(Buffer.from('\uFEFF#!/usr/bin/env python3\nprint(1)\n'))).toBe('EXECUTABLE_REFUSED');
    expect(details(() => whole(Buffer.from('#!/bin/sh\n')))).toEqual({ detected: 'script (#!)' });
    expect(whole(bytes('#!AMR\n', [0x3c, 0x48, 0xf5]))).toMatchObject({
      mediaType: 'audio/amr',
      family: 'audio',
    });
  });

  it('refuses Windows shortcuts and installers', () => {
    const lnk = bytes(
      [0x4c, 0, 0, 0, 0x01, 0x14, 0x02, 0, 0, 0, 0, 0, 0xc0, 0, 0, 0, 0, 0, 0, 0x46],
      Buffer.alloc(60),
    );
    expect(exe(lnk)).toBe('EXECUTABLE_REFUSED');
    expect(exe(cfb(MSI_CLSID))).toBe('EXECUTABLE_REFUSED');
  });

  it('refuses Java, Android and macro-enabled Word packages', () => {
    const jar = zip([
      ['META-INF/MANIFEST.MF', 'Manifest-Version: 1.0\nMain-Class: A\n'],
      ['A.class', Buffer.from([0xca, 0xfe, 0xba, 0xbe])],
    ]);
    expect(exe(jar)).toBe('EXECUTABLE_REFUSED');
    const apk = zip([
      ['AndroidManifest.xml', Buffer.alloc(10)],
      ['classes.dex', bytes('dex\n035\0')],
    ]);
    expect(exe(apk)).toBe('EXECUTABLE_REFUSED');
    expect(exe(docx([['word/vbaProject.bin', Buffer.alloc(10)]]))).toBe('EXECUTABLE_REFUSED');
  });

  it('does not take a text that starts with "MZ" for a program', () => {
    expect(
      whole(Buffer.from('MZEE JUMA alisema kwamba polisi walifika saa tatu.\n')),
    ).toMatchObject({ mediaType: 'text/plain' });
  });
});

describe('sniff: documents', () => {
  it('knows a DOCX by [Content_Types].xml and word/document.xml', () => {
    expect(whole(docx())).toEqual({
      mediaType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
      family: 'document',
      ext: 'docx',
      suggestedKind: 'document',
    });
  });

  it('knows an ODT by its first, stored "mimetype" entry', () => {
    expect(whole(odf('application/vnd.oasis.opendocument.text'))).toMatchObject({
      mediaType: 'application/vnd.oasis.opendocument.text',
      ext: 'odt',
    });
    // Other OpenDocument types and plain archives are unknown, but may be forced in.
    const ods = () => whole(odf('application/vnd.oasis.opendocument.spreadsheet'));
    expect(code(ods)).toBe('UNSUPPORTED_TYPE');
    expect(details(ods)).toMatchObject({ forcible: true });
    const plain = () => whole(zip([['notes/a.txt', 'hello']]));
    expect(code(plain)).toBe('UNSUPPORTED_TYPE');
    expect(details(plain)).toMatchObject({ forcible: true });
  });

  it('needs the central directory when the head does not show what a ZIP holds', () => {
    // A big first entry pushes word/document.xml past the head.
    const big = docx();
    const padded = zip([
      ['[Content_Types].xml', CONTENT_TYPES],
      ['media/image1.bin', randomBytes(SNIFF_HEAD_BYTES + 1000)],
      ['word/document.xml', '<w:document/>'],
    ]);
    const head = padded.subarray(0, SNIFF_HEAD_BYTES);
    const unknown = () => sniff(head, { size: padded.length });
    expect(code(unknown)).toBe('UNSUPPORTED_TYPE');
    expect(details(unknown)).toMatchObject({ forcible: false }); // could be a JAR
    expect(sniff(head, { tail: padded.subarray(padded.length - 2000) }).ext).toBe('docx');
    expect(sniff(head, { zipEntries: ['[Content_Types].xml', 'word/document.xml'] }).ext).toBe(
      'docx',
    );
    expect(sniffBuffer(padded).ext).toBe('docx');
    expect(whole(big).ext).toBe('docx');
  });

  it('finds a PDF header within the first 1024 bytes, and not beyond', () => {
    const junk = Buffer.from('# a comment line\n'.repeat(40)); // 680 bytes
    const pdf = bytes(junk, '%PDF-2.0\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n');
    expect(whole(pdf)).toEqual({
      mediaType: 'application/pdf',
      family: 'pdf',
      ext: 'pdf',
      suggestedKind: 'document',
    });
    const far = bytes(Buffer.alloc(1100, 0x20), '%PDF-1.4\n', randomBytes(200), Buffer.alloc(4));
    expect(code(() => whole(far))).toBe('UNSUPPORTED_TYPE');
  });

  it('refuses legacy Office files, forcible only when they are known not to be installers', () => {
    const doc = () => whole(cfb(WORD97_CLSID));
    expect(code(doc)).toBe('UNSUPPORTED_TYPE');
    expect(details(doc)).toMatchObject({ forcible: true });
    const unreadable = () => whole(cfb(null));
    expect(details(unreadable)).toMatchObject({ forcible: false });
  });
});

describe('sniff: text', () => {
  it('accepts UTF-8, with or without a BOM, and UTF-16 with a BOM', () => {
    const statement = 'Shahidi alisema: "Nilimwona afisa akimpiga." — 12/03/2026, Kibera.\r\n';
    expect(whole(Buffer.from(statement))).toEqual({
      mediaType: 'text/plain',
      family: 'text',
      ext: 'txt',
      suggestedKind: 'document',
      charset: 'utf-8',
    });
    expect(whole(Buffer.from(`\uFEFF${statement}`)).charset).toBe('utf-8');
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(statement, 'utf16le')]);
    expect(whole(le).charset).toBe('utf-16le');
    const be = Buffer.concat([
      Buffer.from([0xfe, 0xff]),
      Buffer.from(statement, 'utf16le').swap16(),
    ]);
    expect(whole(be).charset).toBe('utf-16be');
    expect(whole(Buffer.from('ملاحظات الشاهد\n中文证词\n')).charset).toBe('utf-8');
  });

  it('tolerates a character cut by the end of the head, but not in a whole file', () => {
    const text = Buffer.from(`${'a'.repeat(100)}é`);
    const cut = text.subarray(0, text.length - 1);
    expect(sniff(cut, { size: cut.length + 1000 }).mediaType).toBe('text/plain');
    expect(code(() => whole(cut))).toBe('UNSUPPORTED_TYPE');
  });

  it('refuses binary junk, NULs, control characters and Latin-1', () => {
    expect(code(() => whole(Buffer.from('hello\0world')))).toBe('UNSUPPORTED_TYPE');
    expect(code(() => whole(Buffer.from('caf\xe9 au lait', 'latin1')))).toBe('UNSUPPORTED_TYPE');
    expect(code(() => whole(Buffer.from('\x01\x02\x03\x04 text'.repeat(10))))).toBe(
      'UNSUPPORTED_TYPE',
    );
    const junk = randomBytes(4096);
    junk[0] = 0x00; // never a known signature
    expect(code(() => whole(junk))).toBe('UNSUPPORTED_TYPE');
    expect(details(() => whole(junk))).toEqual({ detected: null, forcible: true });
    const utf16Nul = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('a\0b', 'utf16le')]);
    expect(code(() => whole(utf16Nul))).toBe('UNSUPPORTED_TYPE');
  });

  it('refuses an empty file', () => {
    expect(code(() => whole(Buffer.alloc(0)))).toBe('FILE_EMPTY');
  });
});

describe('sniff: images, audio and video', () => {
  it('knows image signatures', () => {
    const cases: Array<[Buffer, string]> = [
      [bytes([0xff, 0xd8, 0xff, 0xe0], Buffer.alloc(20)), 'image/jpeg'],
      [bytes([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], Buffer.alloc(20)), 'image/png'],
      [bytes('GIF89a', Buffer.alloc(20)), 'image/gif'],
      [bytes('GIF87a', Buffer.alloc(20)), 'image/gif'],
      [bytes('RIFF', [0, 1, 0, 0], 'WEBPVP8 ', Buffer.alloc(20)), 'image/webp'],
      [bytes('II*\0', [8, 0, 0, 0], Buffer.alloc(20)), 'image/tiff'],
      [bytes('MM\0*', [0, 0, 0, 8], Buffer.alloc(20)), 'image/tiff'],
      [ftyp('heic', 'mif1', 'heic'), 'image/heic'],
      [ftyp('mif1', 'mif1', 'heic'), 'image/heic'],
      [ftyp('mif1', 'mif1'), 'image/heif'],
      [ftyp('avif', 'mif1', 'avif'), 'image/avif'],
    ];
    for (const [buf, type] of cases) {
      const r = whole(buf);
      expect(r.mediaType, type).toBe(type);
      expect(r.family).toBe('image');
      expect(r.suggestedKind).toBe('photo');
    }
    // A Canon raw file is TIFF inside, but not a picture Kesi can show.
    expect(code(() => whole(bytes('II*\0', [16, 0, 0, 0], 'CR\x02\0', Buffer.alloc(20))))).toBe(
      'UNSUPPORTED_TYPE',
    );
  });

  it('knows ISO media brands', () => {
    expect(whole(ftyp('M4A ', 'M4A ', 'isom'))).toMatchObject({
      mediaType: 'audio/mp4',
      ext: 'm4a',
      suggestedKind: 'audio',
    });
    expect(whole(ftyp('qt  ', 'qt  '))).toMatchObject({ mediaType: 'video/quicktime', ext: 'mov' });
    for (const brand of ['isom', 'mp41', 'mp42', 'avc1']) {
      expect(whole(ftyp(brand, 'isom')), brand).toMatchObject({
        mediaType: 'video/mp4',
        family: 'video',
        suggestedKind: 'video',
      });
    }
    expect(whole(ftyp('3gp4', '3gp4'))).toMatchObject({ mediaType: 'video/3gpp' });
    expect(whole(ftyp('XYZW', 'XYZW', 'mp42')).mediaType).toBe('video/mp4');
    expect(code(() => whole(ftyp('crx ', 'crx ')))).toBe('UNSUPPORTED_TYPE');
    // Old QuickTime: no ftyp, straight to the movie atoms.
    const moov = Buffer.alloc(16);
    moov.writeUInt32BE(8, 0);
    moov.write('wide', 4, 'latin1');
    moov.writeUInt32BE(8, 8);
    moov.write('mdat', 12, 'latin1');
    expect(whole(moov).mediaType).toBe('video/quicktime');
  });

  it('knows MP3 (ID3 or frame sync), WAV, Ogg, Opus and FLAC', () => {
    expect(whole(mp3Frames())).toMatchObject({ mediaType: 'audio/mpeg', ext: 'mp3' });
    const id3 = bytes('ID3', [4, 0, 0, 0, 0, 0, 10], Buffer.alloc(10), mp3Frames());
    expect(whole(id3).mediaType).toBe('audio/mpeg');
    const wav = bytes('RIFF', [36, 0, 0, 0], 'WAVEfmt ', Buffer.alloc(30));
    expect(whole(wav)).toMatchObject({ mediaType: 'audio/wav', family: 'audio' });
    const ogg = bytes('OggS', Buffer.alloc(24), 'OpusHead', Buffer.alloc(20));
    expect(whole(ogg)).toMatchObject({ mediaType: 'audio/ogg', ext: 'opus' });
    expect(whole(bytes('OggS', Buffer.alloc(24), '\x01vorbis', Buffer.alloc(20))).ext).toBe('ogg');
    expect(whole(bytes('fLaC', Buffer.alloc(40))).mediaType).toBe('audio/flac');
    // A lone byte pair that merely looks like frame sync is not MP3.
    expect(code(() => whole(bytes([0xff, 0xfb, 0x90, 0x64], Buffer.alloc(500, 7))))).toBe(
      'UNSUPPORTED_TYPE',
    );
  });
});

describe('taking unknown files in as other documents', () => {
  it('turns a forcible refusal into an "other document", never a program', () => {
    const junk = bytes([0x00, 0x01], randomBytes(100));
    expect(sniffOrOther(junk, { size: junk.length }, true)).toEqual(OTHER_DOCUMENT);
    expect(code(() => sniffOrOther(junk, { size: junk.length }, false))).toBe('UNSUPPORTED_TYPE');
    const elf = bytes('\x7fELF', Buffer.alloc(60));
    expect(code(() => sniffOrOther(elf, {}, true))).toBe('EXECUTABLE_REFUSED');
    const msi = cfb(MSI_CLSID);
    expect(code(() => sniffOrOther(msi, {}, true))).toBe('EXECUTABLE_REFUSED');
  });

  it('does the same through inspect', async () => {
    const junk = bytes([0x00, 0x01], randomBytes(100));
    const r = await inspect(junk, { allowOther: true });
    expect(r.sniff).toEqual(OTHER_DOCUMENT);
    expect(r.sniff.suggestedKind).toBe('other');
    await expect(inspect(junk)).rejects.toMatchObject({ code: 'UNSUPPORTED_TYPE' });
    await expect(inspect(Buffer.from('#!/bin/sh\n'), { allowOther: true })).rejects.toMatchObject({
      code: 'EXECUTABLE_REFUSED',
    });
    const text = await inspect(Buffer.from('statement\n'));
    expect(text.metadata).toEqual({ charset: 'utf-8' });
  });
});

describe('sniffFile', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'kesi-sniff-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads the ZIP directory from the end of the file', async () => {
    const big = zip([
      ['[Content_Types].xml', CONTENT_TYPES],
      ['media/image1.bin', randomBytes(200_000)],
      ['word/document.xml', '<w:document/>'],
    ]);
    const docxPath = path.join(dir, 'statement.bin');
    writeFileSync(docxPath, big);
    expect((await sniffFile(docxPath)).ext).toBe('docx');
    const jar = zip([
      ['a/b.txt', randomBytes(100_000)],
      ['META-INF/MANIFEST.MF', 'Manifest-Version: 1.0\n'],
    ]);
    const jarPath = path.join(dir, 'photo.jpg');
    writeFileSync(jarPath, jar);
    await expect(sniffFile(jarPath)).rejects.toMatchObject({ code: 'EXECUTABLE_REFUSED' });
  });

  it('reads the OLE2 root entry wherever it is', async () => {
    const msiPath = path.join(dir, 'setup.doc');
    writeFileSync(msiPath, cfb(MSI_CLSID));
    await expect(sniffFile(msiPath)).rejects.toMatchObject({ code: 'EXECUTABLE_REFUSED' });
  });

  it('judges a whole small text file as whole', async () => {
    const p = path.join(dir, 'note.txt');
    writeFileSync(p, Buffer.from(`${'a'.repeat(10)}\xc3`, 'latin1'));
    await expect(sniffFile(p)).rejects.toMatchObject({ code: 'UNSUPPORTED_TYPE' });
    writeFileSync(p, 'Maelezo ya shahidi\n');
    expect(await sniffFile(p)).toMatchObject({ mediaType: 'text/plain', charset: 'utf-8' });
  });
});
