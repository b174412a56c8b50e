import { readFileSync } from 'node:fs';
import path from 'node:path';
import { crc32 } from 'node:zlib';
import { PDFDocument } from 'pdf-lib';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { captureTime, gpsReading } from '../../electron/intake/metadata/exif';
import { readImageMetadata, validateImage } from '../../electron/intake/metadata/image';
import { readMediaMetadata, readWavInfo } from '../../electron/intake/metadata/media';
import {
  decodePdfText,
  openPdf,
  parsePdfDate,
  readPdfMetadata,
  readStandardSecurity,
} from '../../electron/intake/metadata/pdf';
import {
  fileKeyForEmptyUserPassword,
  fileKeyForUserPassword,
  rc4,
} from '../../electron/intake/metadata/pdf-security';
import { readHeifPrimaryItem } from '../../electron/intake/isobmff';
import { MAX_INPUT_PIXELS } from '../../electron/intake/limits';
import { sniffBuffer } from '../../electron/intake/sniff';

const CORPUS = path.resolve(__dirname, '../../../shared/corpus');
const corpus = (name: string) => readFileSync(path.join(CORPUS, name));

beforeAll(() => {
  // pdf-lib reports the objects it cannot parse (encrypted object streams) on the console.
  vi.spyOn(console, 'warn').mockImplementation(() => undefined);
});
afterAll(() => {
  vi.restoreAllMocks();
});

describe('camera capture time', () => {
  it('reads DateTimeOriginal with the recorded offset and sub-seconds', () => {
    expect(captureTime('2023:10:06 22:53:51', '+02:00', '724')).toEqual({
      capturedAt: '2023-10-06T20:53:51.724Z',
      capturedAtRaw: '2023:10:06 22:53:51',
      capturedAtOffset: '+02:00',
      capturedAtAssumedOffset: false,
    });
    expect(captureTime('2020:01:01 01:00:00', '-05:00').capturedAt).toBe(
      '2020-01-01T06:00:00.000Z',
    );
  });

  it('assumes East Africa Time when no offset was recorded, and says so', () => {
    expect(captureTime('2011:01:13 14:33:39')).toEqual({
      capturedAt: '2011-01-13T11:33:39.000Z',
      capturedAtRaw: '2011:01:13 14:33:39',
      capturedAtOffset: '+03:00',
      capturedAtAssumedOffset: true,
    });
    // A malformed offset counts as none.
    expect(captureTime('2011:01:13 14:33:39', '3 hours').capturedAtAssumedOffset).toBe(true);
    // Just after midnight in Nairobi is the previous day in UTC.
    expect(captureTime('2026:03:01 01:30:00').capturedAt).toBe('2026-02-28T22:30:00.000Z');
  });

  it('treats zeroed, blank and impossible dates as absent', () => {
    for (const raw of ['0000:00:00 00:00:00', '    :  :     :  :', '', '\0\0\0', undefined, 42]) {
      expect(captureTime(raw).capturedAt, String(raw)).toBeNull();
      expect(captureTime(raw).capturedAtRaw).toBeNull();
      expect(captureTime(raw).capturedAtAssumedOffset).toBe(false);
    }
    // Impossible dates are not moments, but what the camera wrote is kept.
    expect(captureTime('2019:02:30 10:00:00')).toMatchObject({
      capturedAt: null,
      capturedAtRaw: '2019:02:30 10:00:00',
    });
    expect(captureTime('2019:13:01 10:00:00').capturedAt).toBeNull();
  });
});

describe('GPS position', () => {
  it('applies the hemisphere references', () => {
    const r = gpsReading({
      GPSLatitude: [1, 17, 31.2],
      GPSLatitudeRef: 'S',
      GPSLongitude: [36, 49, 1.2],
      GPSLongitudeRef: 'E',
      GPSAltitude: 1795.5,
      GPSAltitudeRef: 0,
      GPSDateStamp: '2026:03:01',
      GPSTimeStamp: [9, 15, 30],
    });
    expect(r).toEqual({
      gps: { latitude: -1.292, longitude: 36.817, altitude: 1795.5 },
      gpsNullIsland: false,
      gpsTimestamp: '2026-03-01T09:15:30.000Z',
    });
  });

  it('treats 0,0 as no fix and records it', () => {
    const r = gpsReading({
      GPSLatitude: [0, 0, 0],
      GPSLatitudeRef: 'N',
      GPSLongitude: [0, 0, 0],
      GPSLongitudeRef: 'E',
    });
    expect(r).toEqual({ gps: null, gpsNullIsland: true, gpsTimestamp: null });
  });

  it('treats empty, partial and impossible positions as absent', () => {
    expect(gpsReading({}).gps).toBeNull();
    expect(
      gpsReading({ GPSLatitude: [null, null, null], GPSLongitude: [null, null, null] }),
    ).toEqual({ gps: null, gpsNullIsland: false, gpsTimestamp: null });
    // No hemisphere: the sign is unknown.
    expect(gpsReading({ GPSLatitude: [1, 0, 0], GPSLongitude: [36, 0, 0] }).gps).toBeNull();
    expect(
      gpsReading({
        GPSLatitude: [91, 0, 0],
        GPSLatitudeRef: 'N',
        GPSLongitude: [36, 0, 0],
        GPSLongitudeRef: 'E',
      }).gps,
    ).toBeNull();
  });

  it('puts an altitude below sea level below zero', () => {
    const r = gpsReading({
      GPSLatitude: [31, 30, 0],
      GPSLatitudeRef: 'N',
      GPSLongitude: [35, 28, 0],
      GPSLongitudeRef: 'E',
      GPSAltitude: 430,
      GPSAltitudeRef: new Uint8Array([1]),
    });
    expect(r.gps?.altitude).toBe(-430);
  });
});

describe('image metadata and validation', () => {
  it('reads HEIF orientation from irot, records the EXIF tag without applying it', async () => {
    const buf = corpus('heic-orient6-samsung-galaxy-s10.heic');
    expect(readHeifPrimaryItem(buf)).toEqual({
      width: 4032,
      height: 3024,
      rotation: 270,
      mirrorAxis: null,
      transforms: ['irot'],
    });
    const meta = await readImageMetadata(buf);
    expect(meta).toMatchObject({
      width: 4032,
      height: 3024,
      displayWidth: 3024,
      displayHeight: 4032,
      orientation: 6,
      appliedOrientation: 1,
    });
    // Structure only: this libvips has no HEVC decoder.
    const v = await validateImage(buf);
    expect(v.format).toBe('heif');
    expect([v.width, v.height]).toEqual([3024, 4032]);
  });

  it('refuses a truncated image as corrupt', async () => {
    const jpeg = await sharp({
      create: { width: 400, height: 300, channels: 3, background: '#8a5' },
    })
      .jpeg()
      .toBuffer();
    await expect(validateImage(jpeg)).resolves.toMatchObject({ fullyDecoded: true });
    const cut = jpeg.subarray(0, Math.floor(jpeg.length * 0.6));
    await expect(validateImage(cut)).rejects.toMatchObject({ code: 'CORRUPT_IMAGE' });
    await expect(validateImage(Buffer.from('not an image'))).rejects.toMatchObject({
      code: 'CORRUPT_IMAGE',
    });
  });

  it('refuses an image with too many pixels before decoding it', async () => {
    const png = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#000' } })
      .png()
      .toBuffer();
    // Rewrite IHDR to claim 20000 x 20000 (400 MP), with a correct CRC.
    const huge = Buffer.from(png);
    huge.writeUInt32BE(20000, 16);
    huge.writeUInt32BE(20000, 20);
    huge.writeUInt32BE(crc32(huge.subarray(12, 29)), 29);
    expect(20000 * 20000).toBeGreaterThan(MAX_INPUT_PIXELS);
    await expect(readImageMetadata(huge)).rejects.toMatchObject({ code: 'IMAGE_TOO_LARGE' });
    await expect(validateImage(huge)).rejects.toMatchObject({ code: 'IMAGE_TOO_LARGE' });
  });
});

describe('PDF text and dates', () => {
  it('parses PDF dates leniently, in UTC', () => {
    expect(parsePdfDate("D:20161231184323+01'00'")).toBe('2016-12-31T17:43:23.000Z');
    expect(parsePdfDate("D:20120219171627-06'00'")).toBe('2012-02-19T23:16:27.000Z');
    expect(parsePdfDate('D:20230623063933Z')).toBe('2023-06-23T06:39:33.000Z');
    expect(parsePdfDate("D:20220904103240Z00'00'")).toBe('2022-09-04T10:32:40.000Z');
    expect(parsePdfDate('20120219204058Z')).toBe('2012-02-19T20:40:58.000Z');
    expect(parsePdfDate('D:20130801125645')).toBe('2013-08-01T12:56:45.000Z');
    expect(parsePdfDate("\uFEFFD:20211230134641+11'00'")).toBe('2021-12-30T02:46:41.000Z');
    expect(parsePdfDate('D:2015')).toBe('2015-01-01T00:00:00.000Z');
    for (const bad of ['', 'yesterday', 'D:20151340', 'D:20150230', null]) {
      expect(parsePdfDate(bad), String(bad)).toBeNull();
    }
  });

  it('decodes UTF-16, UTF-8 and PDFDocEncoding text strings', () => {
    const utf16 = Buffer.concat([
      Buffer.from([0xfe, 0xff]),
      Buffer.from('Ripoti ya P3 — 表', 'utf16le').swap16(),
    ]);
    expect(decodePdfText(utf16)).toBe('Ripoti ya P3 — 表');
    expect(decodePdfText(Buffer.from('\uFEFFBy hand'))).toBe('By hand');
    expect(decodePdfText(Buffer.from([0x80, 0x20, 0xa0, 0x20, 0x93, 0xe9]))).toBe('• € ﬁé');
  });
});

describe('PDF security', () => {
  it('implements RC4', () => {
    expect(rc4(Buffer.from('Key'), Buffer.from('Plaintext')).toString('hex')).toBe(
      'bbf316e8d940af0ad3',
    );
  });

  // The corpus documents the user passwords of its encrypted files: they must open them, so the
  // key derivations are right, and the empty password must not, so the refusal is right.
  const files: Array<[string, string, number]> = [
    ['pdf-encrypted-aes256-r6-userpw-view-acrobatXI.pdf', 'view', 6],
    ['pdf-encrypted-rc4-r3-userpw-view-acrobat5.pdf', 'view', 3],
    ['pdf-encrypted-userpw-openpassword-libreoffice.pdf', 'openpassword', 3],
    ['scan-kyocera-mfp-encrypted-userpw-ELXRTQWS.pdf', 'ELXRTQWS', 4],
  ];
  for (const [file, password, revision] of files) {
    it(`opens ${file} with its user password only`, async () => {
      const sec = await readStandardSecurity(corpus(file));
      expect(sec?.r).toBe(revision);
      if (!sec) return;
      expect(fileKeyForEmptyUserPassword(sec)).toBeNull();
      expect(fileKeyForUserPassword(sec, Buffer.from('wrong'))).toBeNull();
      expect(fileKeyForUserPassword(sec, Buffer.from(password))?.length).toBe(sec.keyLength);
    });
  }

  it('opens owner-password-only files without a password', async () => {
    for (const file of [
      'pdf-ownerpw-only-aes256-acrobat-linearized.pdf',
      'pdf-ownerpw-only-rc4-reportbuilder-pdf13.pdf',
    ]) {
      const sec = await readStandardSecurity(corpus(file));
      expect(sec && fileKeyForEmptyUserPassword(sec)).toBeInstanceOf(Buffer);
    }
  });
});

describe('PDF metadata', () => {
  it('reads pages, rotation and document information', async () => {
    const doc = await PDFDocument.create();
    doc.setProducer('Kesi test');
    doc.setTitle('Taarifa ya shahidi');
    doc.setCreationDate(new Date('2026-03-01T09:00:00Z'));
    doc.addPage([595.28, 841.89]);
    doc.addPage([841.89, 595.28]).setRotation({ type: 'degrees', angle: 90 } as never);
    const buf = Buffer.from(await doc.save());
    expect(sniffBuffer(buf).mediaType).toBe('application/pdf');
    const meta = await readPdfMetadata(buf);
    expect(meta).toMatchObject({
      version: '1.7',
      headerOffset: 0,
      pageCount: 2,
      pages: [
        { width: 595.28, height: 841.89, rotation: 0 },
        { width: 841.89, height: 595.28, rotation: 90 },
      ],
      title: 'Taarifa ya shahidi',
      producer: 'Kesi test',
      createdAt: '2026-03-01T09:00:00.000Z',
      encrypted: false,
      ownerPasswordOnly: false,
      encryption: null,
    });
  });

  it('refuses what is not a readable PDF', async () => {
    await expect(readPdfMetadata(Buffer.from('%PDF-1.4\n%%EOF\n'))).rejects.toMatchObject({
      code: 'CORRUPT_PDF',
    });
    await expect(readPdfMetadata(Buffer.from('hello'))).rejects.toMatchObject({
      code: 'CORRUPT_PDF',
    });
  });

  it('hands over an owner-password-only PDF decrypted, so its pages can be merged', async () => {
    const { doc, encryption } = await openPdf(
      corpus('pdf-ownerpw-only-aes256-acrobat-linearized.pdf'),
    );
    expect(encryption).toMatchObject({ algorithm: 'AES-256', allowsCopying: false });
    const out = await PDFDocument.create();
    const [page] = await out.copyPages(doc, [0]);
    if (page) out.addPage(page);
    const again = await readPdfMetadata(Buffer.from(await out.save()));
    expect(again).toMatchObject({ pageCount: 1, encrypted: false });
  });
});

describe('audio and video', () => {
  it('reads a WAV duration from its header', () => {
    const wav = Buffer.alloc(44 + 176_400);
    wav.write('RIFF', 0, 'latin1');
    wav.writeUInt32LE(wav.length - 8, 4);
    wav.write('WAVEfmt ', 8, 'latin1');
    wav.writeUInt32LE(16, 16);
    wav.writeUInt16LE(1, 20); // PCM
    wav.writeUInt16LE(2, 22); // stereo
    wav.writeUInt32LE(44_100, 24);
    wav.writeUInt32LE(176_400, 28); // bytes per second
    wav.writeUInt16LE(4, 32);
    wav.writeUInt16LE(16, 34);
    wav.write('data', 36, 'latin1');
    wav.writeUInt32LE(176_400, 40);
    const sniffed = sniffBuffer(wav);
    expect(sniffed.mediaType).toBe('audio/wav');
    expect(readMediaMetadata(wav, sniffed)).toEqual({
      durationSeconds: 1,
      createdAt: null,
      sampleRate: 44_100,
      channels: 2,
    });
    // A recorder that died before fixing the header: the file size bounds the data.
    wav.writeUInt32LE(0xffffffff, 40);
    expect(readWavInfo(wav.subarray(0, 44 + 88_200)).durationSeconds).toBe(0.5);
  });

  it('reads an MP4 duration and creation time from mvhd', () => {
    const box = (type: string, body: Buffer) => {
      const head = Buffer.alloc(8);
      head.writeUInt32BE(8 + body.length, 0);
      head.write(type, 4, 'latin1');
      return Buffer.concat([head, body]);
    };
    const ftyp = box('ftyp', Buffer.from('isom\0\0\x02\0isomiso2mp41', 'latin1'));
    const mvhd = Buffer.alloc(100);
    const created = Date.UTC(2026, 2, 1, 9, 0, 0) / 1000 + 2_082_844_800;
    mvhd.writeUInt32BE(created, 4);
    mvhd.writeUInt32BE(created, 8);
    mvhd.writeUInt32BE(600, 12); // timescale
    mvhd.writeUInt32BE(600 * 95 + 300, 16); // 95.5 s
    const mp4 = Buffer.concat([
      ftyp,
      box('mdat', Buffer.alloc(64)),
      box('moov', box('mvhd', mvhd)),
    ]);
    const sniffed = sniffBuffer(mp4);
    expect(sniffed.mediaType).toBe('video/mp4');
    expect(readMediaMetadata(mp4, sniffed)).toMatchObject({
      durationSeconds: 95.5,
      createdAt: '2026-03-01T09:00:00.000Z',
    });
  });
});
