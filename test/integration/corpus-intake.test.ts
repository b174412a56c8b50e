// Every file of the real-world corpus (shared/corpus) through the pure intake steps: sniff,
// metadata, validation and derivatives. Each file has an explicit expected outcome below; a
// corpus file without an entry fails the test.
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { isKesiError, type ErrorCode } from '../../shared/errors';
import { inspect } from '../../electron/intake/inspect';
import { makePageImage, makeThumbnail } from '../../electron/intake/derivatives';
import { sniffBuffer, sniffFile } from '../../electron/intake/sniff';
import { PAGE_LONG_EDGE, PAGE_SHORT_EDGE, THUMBNAIL_EDGE } from '../../electron/intake/limits';

const CORPUS = path.resolve(__dirname, '../../../shared/corpus');
const NOT_EVIDENCE = new Set(['README.md', 'MANIFEST.tsv']);

interface Accept {
  accept: string;
  /** Images: the size as displayed (after orientation). */
  display?: [number, number];
  /** Any subset of the metadata that must match. */
  meta?: Record<string, unknown>;
  /** Derivatives may be unavailable on this computer (HEVC decoder missing). */
  previewOptional?: boolean;
}
interface Refuse {
  refuse: ErrorCode;
}
type Expected = Accept | Refuse;

const JPEG = 'image/jpeg';
const PDF = 'application/pdf';
const EAT = { capturedAtOffset: '+03:00', capturedAtAssumedOffset: true };

const EXPECTED: Record<string, Expected> = {
  // Real camera and phone JPEGs
  'photo-orient1-gps-apple-iphone4.jpg': {
    accept: JPEG,
    display: [1296, 968],
    meta: {
      make: 'Apple',
      model: 'iPhone 4',
      orientation: 1,
      capturedAt: '2011-01-13T11:33:39.000Z',
      capturedAtRaw: '2011:01:13 14:33:39',
      ...EAT,
      gps: { latitude: 41.853, longitude: 12.4888333, altitude: null },
    },
  },
  'photo-orient3-gps-apple-iphone5.jpg': {
    accept: JPEG,
    display: [3264, 2448],
    meta: { orientation: 3, width: 3264, height: 2448, model: 'iPhone 5' },
  },
  'photo-orient6-gps-zero-samsung-galaxy-s.jpg': {
    accept: JPEG,
    display: [480, 640],
    meta: {
      orientation: 6,
      gps: null,
      gpsNullIsland: true,
      capturedAt: '2011-04-02T15:30:10.000Z',
    },
  },
  'photo-orient6-samsung-sm-j327t1.jpg': {
    accept: JPEG,
    display: [1932, 2576],
    meta: { orientation: 6, width: 2576, height: 1932, gps: null, gpsNullIsland: false },
  },
  'photo-orient6-sony-cybershot.jpg': {
    accept: JPEG,
    display: [450, 311],
    meta: { orientation: 6, make: 'SONY', capturedAt: '2001-11-27T15:33:44.000Z' },
  },
  'photo-orient8-canon-powershot-a85.jpg': {
    accept: JPEG,
    display: [2272, 1704],
    meta: { orientation: 8, model: 'Canon PowerShot A85' },
  },
  'photo-orient1-gps-htc-desire.jpg': {
    accept: JPEG,
    display: [776, 909],
    meta: { gps: { latitude: 45.5006667, longitude: 9.1103333, altitude: 217 } },
  },
  'photo-orient1-gps-sony-dsc-hx5v.jpg': {
    // An IFD0 entry of type 0 makes a whole-IFD EXIF parse fail; the picked tags still come.
    accept: JPEG,
    display: [730, 547],
    meta: { make: 'SONY', model: 'DSC-HX5V', gps: { latitude: 51.778615, longitude: 8.3656381 } },
  },
  'photo-orient1-gps-fujifilm-s1pro-photoshop.jpg': {
    accept: JPEG,
    display: [600, 400],
    meta: { software: 'Adobe Photoshop 7.0', gps: { latitude: 54.9896667, longitude: -1.9141667 } },
  },
  'photo-no-orientation-tag-reconyx-trailcam.jpg': {
    accept: JPEG,
    display: [2048, 1440],
    meta: { orientation: null, appliedOrientation: 1, make: 'RECONYX' },
  },
  'photo-zero-datetimeoriginal-nikon-e885.jpg': {
    accept: JPEG,
    display: [600, 450],
    meta: { capturedAt: null, capturedAtRaw: null, capturedAtAssumedOffset: false },
  },
  'photo-no-datetimeoriginal-nokia-3110c.jpg': {
    accept: JPEG,
    display: [1024, 1280],
    meta: { capturedAt: null, make: 'Nokia', model: '3110c' },
  },
  'scan-film-kodak-clas-hr200.jpg': {
    accept: JPEG,
    display: [1536, 1024],
    meta: { capturedAt: null, make: 'Eastman Kodak Company' },
  },
  'photo-minilab-orient6-blank-date-zero-padded-fujifilm-sp2500.jpg': {
    accept: JPEG,
    display: [121, 81],
    meta: { orientation: 6, capturedAt: null, capturedAtRaw: null },
  },
  'photo-1x1-iphonexr-gps-paintnet.jpg': {
    accept: JPEG,
    display: [1, 1],
    meta: { model: 'iPhone XR', gps: { latitude: 43.8594694, longitude: 15.5032833 } },
  },
  'broken-truncated-sony-xperia-e5823.jpg': { refuse: 'CORRUPT_IMAGE' },
  'broken-dnl-height0-beach.jpg': { refuse: 'CORRUPT_IMAGE' },
  'photo-gps-ifd-empty-motorola-moto-g9.jpg': {
    accept: JPEG,
    display: [4640, 3472],
    meta: { gps: null, gpsNullIsland: false, capturedAt: '2025-06-01T13:59:26.023Z' },
  },
  'photo-document-handwritten-notes-no-exif.jpg': {
    accept: JPEG,
    display: [5117, 3411],
    meta: { make: null, capturedAt: null, orientation: null },
  },
  'stub8x8-orient8-pentax-k10d.jpg': {
    accept: JPEG,
    display: [8, 8],
    meta: { orientation: 8, make: 'PENTAX Corporation' },
  },
  'stub8x8-gps-google-pixel8pro.jpg': {
    // The camera recorded its offset (+02:00): no assumption.
    accept: JPEG,
    display: [8, 8],
    meta: {
      capturedAt: '2023-10-06T20:53:51.724Z',
      capturedAtOffset: '+02:00',
      capturedAtAssumedOffset: false,
      gps: { latitude: 40.4000694, longitude: -3.7146472 },
    },
  },
  'stub8x8-gps-gopro-hero6.jpg': {
    accept: JPEG,
    display: [8, 8],
    meta: { serialNumber: 'C3221324657219', gps: { latitude: 40.6584192, longitude: -73.9933543 } },
  },
  // Generated orientation test cards: all portrait once shown upright
  'testcard-orient2-mirror-portrait.jpg': {
    accept: JPEG,
    display: [1200, 1800],
    meta: { orientation: 2 },
  },
  'testcard-orient4-mirror-portrait.jpg': {
    accept: JPEG,
    display: [1200, 1800],
    meta: { orientation: 4 },
  },
  'testcard-orient5-transpose-portrait.jpg': {
    accept: JPEG,
    display: [1200, 1800],
    meta: { orientation: 5, width: 1800, height: 1200 },
  },
  'testcard-orient7-transverse-portrait.jpg': {
    accept: JPEG,
    display: [1200, 1800],
    meta: { orientation: 7, width: 1800, height: 1200 },
  },
  // HEIF: libheif applies irot/imir; the EXIF orientation is recorded but not applied
  'heic-gps-apple-iphone7.heic': {
    accept: 'image/heic',
    display: [4032, 3024],
    previewOptional: true,
    meta: {
      format: 'heif',
      compression: 'hevc',
      model: 'iPhone 7',
      gps: { latitude: 41.2203, longitude: -96.071625 },
      heifTransform: { rotation: 0, mirrorAxis: null },
    },
  },
  'heic-orient6-samsung-galaxy-s10.heic': {
    accept: 'image/heic',
    display: [3024, 4032],
    previewOptional: true,
    meta: {
      width: 4032,
      height: 3024,
      orientation: 6,
      appliedOrientation: 1,
      heifTransform: { rotation: 270, mirrorAxis: null },
      gps: null,
    },
  },
  // Other image formats
  'webp-exif-gps-htc-desire.webp': {
    accept: 'image/webp',
    display: [776, 909],
    meta: { make: 'HTC', gps: { latitude: 45.5006667, longitude: 9.1103333 } },
  },
  'webp-animated-lossy.webp': {
    accept: 'image/webp',
    display: [320, 240],
    meta: { frames: 101, fullyDecoded: true },
  },
  'gif-photo-500x375.gif': { accept: 'image/gif', display: [500, 375], meta: { frames: 1 } },
  'gif-animated-invalid-xmp.gif': {
    accept: 'image/gif',
    display: [48, 22],
    meta: { frames: 23, fullyDecoded: true },
  },
  'png-with-exif-chunk.png': {
    accept: 'image/png',
    display: [256, 256],
    meta: { software: 'Acme-software: 1.0.0.0' },
  },
  'png-mathematica-plot.png': { accept: 'image/png', display: [800, 800] },
  'tiff-scanner-epson-v800-vuescan.tiff': {
    accept: 'image/tiff',
    display: [425, 640],
    meta: { make: 'Epson', density: 1066 },
  },
  'tiff-multipage-g4-jpeg-irfanview.tif': {
    accept: 'image/tiff',
    display: [4670, 6170],
    meta: { frames: 5, fullyDecoded: true },
  },
  // PDFs
  'pdf-text-libreoffice-writer.pdf': {
    accept: PDF,
    meta: { version: '1.5', pageCount: 1, producer: 'LibreOffice 6.4', encrypted: false },
  },
  'pdf-encrypted-userpw-openpassword-libreoffice.pdf': { refuse: 'ENCRYPTED_PDF' },
  'pdf-acroform-libreoffice.pdf': { accept: PDF, meta: { pageCount: 1, hasForm: true } },
  'pdf-acroform-pdflatex.pdf': { accept: PDF, meta: { pageCount: 1, hasForm: true } },
  'pdf-117pages-pdflatex-3heights-optimized.pdf': {
    accept: PDF,
    meta: { pageCount: 117, createdAt: '2016-12-31T17:43:23.000Z' },
  },
  'pdf-arabic-embedded-font-weasyprint.pdf': {
    accept: PDF,
    meta: { pageCount: 1, producer: 'WeasyPrint 54.1' },
  },
  'pdf-rotated-pages-pypdf.pdf': {
    accept: PDF,
    meta: {
      pageCount: 4,
      pages: [90, 180, 270, 0].map((rotation) => ({ width: 595.28, height: 841.89, rotation })),
    },
  },
  'pdf-google-docs-skia.pdf': {
    accept: PDF,
    meta: { pageCount: 1, producer: 'Skia/PDF m103 Google Docs Renderer' },
  },
  'pdf-pdfa1b-ghostscript.pdf': { accept: PDF, meta: { pageCount: 1 } },
  'pdf-embedded-file-attachment-pypdf.pdf': {
    accept: PDF,
    meta: { pageCount: 1, hasAttachments: true },
  },
  'pdf-annotations-fpdf2.pdf': { accept: PDF, meta: { pageCount: 1, version: '1.6' } },
  'pdf20-simple.pdf': {
    accept: PDF,
    meta: { version: '2.0', pageCount: 1, pages: [{ width: 612, height: 396, rotation: 0 }] },
  },
  'pdf20-utf8-strings-outlines.pdf': {
    // UTF-8 text strings (PDF 2.0) with a BOM; startxref is wrong but the objects read fine.
    accept: PDF,
    meta: {
      version: '2.0',
      pageCount: 1,
      producer: 'By hand',
      createdAt: '2021-12-30T02:46:41.000Z',
    },
  },
  'pdf20-offset-start-junk-before-header.pdf': {
    accept: PDF,
    meta: { version: '2.0', headerOffset: 656, pageCount: 1 },
  },
  'scan-kodak-capture-cheque-size.pdf': {
    accept: PDF,
    meta: { pages: [{ width: 459, height: 223, rotation: 0 }] },
  },
  'scan-book-page-macos-quartz.pdf': {
    accept: PDF,
    meta: { version: '1.3', pages: [{ width: 384, height: 470.88, rotation: 0 }] },
  },
  'scan-ccitt-g4-tiff2pdf-pdf11.pdf': { accept: PDF, meta: { version: '1.1', pageCount: 1 } },
  'scan-rotate90-skewed-linearized-ghostscript.pdf': {
    accept: PDF,
    meta: { pages: [{ width: 792, height: 612, rotation: 90 }] },
  },
  'pdf-mixed-page-sizes-6pages.pdf': {
    accept: PDF,
    meta: {
      pageCount: 6,
      pages: [
        { width: 384, height: 470.88, rotation: 0 },
        { width: 2160, height: 2160, rotation: 0 },
        { width: 718.5, height: 300, rotation: 0 },
        { width: 718.5, height: 300, rotation: 0 },
        { width: 612, height: 792, rotation: 0 },
        { width: 792, height: 612, rotation: 0 },
      ],
    },
  },
  'broken-pdf-header-then-eof-only.pdf': { refuse: 'CORRUPT_PDF' },
  'scan-kyocera-mfp-encrypted-userpw-ELXRTQWS.pdf': { refuse: 'ENCRYPTED_PDF' },
  'scan-ricoh-mpc3003-ocr-rotate270-a5.pdf': {
    accept: PDF,
    meta: { pages: [{ width: 595.2, height: 419.52, rotation: 270 }] },
  },
  'scan-canon-missing-startxref.pdf': { accept: PDF, meta: { pageCount: 1, creator: 'Canon' } },
  'scan-imageonly-2pages-damaged-xref.pdf': { accept: PDF, meta: { pageCount: 2 } },
  'pdf-word2013-damaged-xref.pdf': {
    accept: PDF,
    meta: { pageCount: 1, producer: 'Microsoft® Word 2013' },
  },
  'pdf-word2019-damaged-xref.pdf': {
    accept: PDF,
    meta: { pageCount: 1, author: 'Windows ユーザー' },
  },
  'pdf-cjk-japanese-pingfang-macos-pages-pdf13.pdf': { accept: PDF, meta: { pageCount: 1 } },
  'pdf-multiscript-chinese-arabic-olchiki-meetei-acrobat.pdf': {
    accept: PDF,
    meta: { pageCount: 1 },
  },
  'pdf-legal-size-word-ilovepdf.pdf': {
    accept: PDF,
    meta: { pages: [{ width: 612, height: 1008, rotation: 0 }] },
  },
  'pdf-a3-landscape-word2016.pdf': {
    accept: PDF,
    meta: { pages: [{ width: 1190.52, height: 841.92, rotation: 0 }] },
  },
  'pdf-letter-landscape-aspose-cells-pdftk.pdf': {
    // CreationDate "20120219204058Z" lacks the "D:" prefix.
    accept: PDF,
    meta: {
      createdAt: '2012-02-19T20:40:58.000Z',
      pages: [{ width: 792, height: 612, rotation: 0 }],
    },
  },
  'pdf-ownerpw-only-aes256-acrobat-linearized.pdf': {
    accept: PDF,
    meta: {
      pageCount: 1,
      encrypted: true,
      ownerPasswordOnly: true,
      encryption: { algorithm: 'AES-256', revision: 6, allowsCopying: false },
      producer: 'Adobe Acrobat Pro (64-bit) 23.3.20244',
    },
  },
  'pdf-ownerpw-only-rc4-reportbuilder-pdf13.pdf': {
    accept: PDF,
    meta: {
      pageCount: 1,
      encrypted: true,
      ownerPasswordOnly: true,
      encryption: { algorithm: 'RC4-40', revision: 2, allowsCopying: false },
      producer: 'ReportBuilder',
    },
  },
  'pdf-mixed-rotation-distiller.pdf': {
    accept: PDF,
    meta: { pages: [{ rotation: 0 }, { rotation: 90 }] },
  },
  'pdf-word-pdfmaker-linearized-4pages.pdf': { accept: PDF, meta: { pageCount: 4 } },
  'pdf-pdf12-clibpdf-wide-page.pdf': {
    accept: PDF,
    meta: { version: '1.2', pages: [{ width: 1188, height: 842, rotation: 0 }] },
  },
  'broken-pdf-no-page-tree-pdfinfo-rejects.pdf': {
    // poppler gives up; pdf-lib (like pdf.js) finds the page by scanning the objects, and the
    // bundle merges it with pdf-lib, so it is taken in.
    accept: PDF,
    meta: { pageCount: 1 },
  },
  'pdf-encrypted-aes256-r6-userpw-view-acrobatXI.pdf': { refuse: 'ENCRYPTED_PDF' },
  'pdf-encrypted-rc4-r3-userpw-view-acrobat5.pdf': { refuse: 'ENCRYPTED_PDF' },
};

function corpusFiles(): string[] {
  return readdirSync(CORPUS)
    .filter((f) => !NOT_EVIDENCE.has(f))
    .sort();
}

/** The size makePageImage should give for a displayed size: fit inside the A4 box, no growth. */
function pageFit(w: number, h: number): [number, number] {
  const [bw, bh] = w > h ? [PAGE_LONG_EDGE, PAGE_SHORT_EDGE] : [PAGE_SHORT_EDGE, PAGE_LONG_EDGE];
  const s = Math.min(1, bw / w, bh / h);
  return [Math.round(w * s), Math.round(h * s)];
}

const SMALL = 24;

/** Grey pixels of an image squeezed to SMALL x SMALL, without applying any orientation. */
async function tiny(buf: Buffer): Promise<Uint8Array> {
  const { data } = await sharp(buf)
    .resize(SMALL, SMALL, { fit: 'fill' })
    .flatten({ background: '#ffffff' })
    .greyscale()
    .raw()
    .toBuffer({ resolveWithObject: true });
  return new Uint8Array(data);
}

/** EXIF orientation (CIPA DC-008, 4.6.4) applied by hand to a square grey image. */
function orientByHand(px: Uint8Array, orientation: number): Uint8Array {
  const n = SMALL;
  const out = new Uint8Array(n * n);
  for (let y = 0; y < n; y++) {
    for (let x = 0; x < n; x++) {
      // (sx, sy): where the displayed pixel (x, y) is stored
      let sx = x;
      let sy = y;
      switch (orientation) {
        case 2:
          sx = n - 1 - x;
          break;
        case 3:
          sx = n - 1 - x;
          sy = n - 1 - y;
          break;
        case 4:
          sy = n - 1 - y;
          break;
        case 5:
          sx = y;
          sy = x;
          break;
        case 6:
          sx = y;
          sy = n - 1 - x;
          break;
        case 7:
          sx = n - 1 - y;
          sy = n - 1 - x;
          break;
        case 8:
          sx = n - 1 - y;
          sy = x;
          break;
      }
      out[y * n + x] = px[sy * n + sx] ?? 0;
    }
  }
  return out;
}

function meanDifference(a: Uint8Array, b: Uint8Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += Math.abs((a[i] ?? 0) - (b[i] ?? 0));
  return sum / a.length;
}

describe('real-world corpus through intake', () => {
  beforeAll(() => {
    // pdf-lib reports the damaged objects it skips on the console.
    vi.spyOn(console, 'warn').mockImplementation(() => undefined);
  });
  afterAll(() => {
    vi.restoreAllMocks();
  });

  it('has an expected outcome for every corpus file, and the corpus is as listed', () => {
    const files = corpusFiles();
    expect(files).toEqual(Object.keys(EXPECTED).sort());
    expect(files).toHaveLength(75);
    const manifest = readFileSync(path.join(CORPUS, 'MANIFEST.tsv'), 'utf8')
      .trim()
      .split('\n')
      .slice(1)
      .map((line) => line.split('\t'));
    expect(manifest.map((cols) => cols[0]).sort()).toEqual(files);
    for (const cols of manifest) {
      const buf = readFileSync(path.join(CORPUS, cols[0] ?? ''));
      expect(createHash('sha256').update(buf).digest('hex'), cols[0]).toBe(cols[6]);
    }
  });

  const outcomes: Record<string, number> = {};
  afterAll(() => {
    console.info('corpus outcomes', outcomes);
  });

  for (const file of Object.keys(EXPECTED).sort()) {
    const expected = EXPECTED[file] as Expected;
    it(`${file}: ${'accept' in expected ? `accepted as ${expected.accept}` : `refused, ${expected.refuse}`}`, async () => {
      const full = path.join(CORPUS, file);
      const buf = readFileSync(full);
      // The same answer from the file on disk as from the bytes in memory.
      let fromFile: unknown;
      let fromBuffer: unknown;
      try {
        fromFile = await sniffFile(full);
      } catch (e) {
        fromFile = isKesiError(e) ? e.code : e;
      }
      try {
        fromBuffer = sniffBuffer(buf);
      } catch (e) {
        fromBuffer = isKesiError(e) ? e.code : e;
      }
      expect(fromFile).toEqual(fromBuffer);

      if ('refuse' in expected) {
        const error = await inspect(buf).then(
          () => null,
          (e: unknown) => e,
        );
        expect(isKesiError(error), String(error)).toBe(true);
        expect(isKesiError(error) && error.code).toBe(expected.refuse);
        outcomes[`refused ${expected.refuse}`] = (outcomes[`refused ${expected.refuse}`] ?? 0) + 1;
        return;
      }

      const result = await inspect(buf);
      outcomes[`accepted ${result.sniff.mediaType}`] =
        (outcomes[`accepted ${result.sniff.mediaType}`] ?? 0) + 1;
      expect(result.sniff.mediaType).toBe(expected.accept);
      if (expected.meta) expect(result.metadata).toMatchObject(expected.meta);
      if (result.sniff.family !== 'image') {
        expect(result.derivatives).toBeNull();
        return;
      }
      expect(result.sniff.suggestedKind).toBe('photo');
      const [dw, dh] = expected.display ?? [0, 0];
      expect([result.metadata['displayWidth'], result.metadata['displayHeight']]).toEqual([dw, dh]);
      expect(result.metadata['capturedAt']).toBe(result.capturedAt);

      if (!result.derivatives) {
        expect(expected.previewOptional, 'derivatives missing').toBe(true);
        expect(result.warnings.map((w) => w.code)).toEqual(['PREVIEW_UNAVAILABLE']);
        await expect(makePageImage(buf)).rejects.toMatchObject({ code: 'PREVIEW_UNAVAILABLE' });
        return;
      }
      expect(result.warnings).toEqual([]);
      expect(result.metadata['fullyDecoded']).toBe(true);
      const { page, thumbnail } = result.derivatives;

      // Upright and fitted: the page image has the displayed proportions.
      expect(page.mediaType).toBe('image/jpeg');
      const [pw, ph] = pageFit(dw, dh);
      expect(Math.abs(page.width - pw)).toBeLessThanOrEqual(1);
      expect(Math.abs(page.height - ph)).toBeLessThanOrEqual(1);
      const pageMeta = await sharp(page.data).metadata();
      expect([pageMeta.format, pageMeta.width, pageMeta.height]).toEqual([
        'jpeg',
        page.width,
        page.height,
      ]);
      // Stripped: no EXIF (so no GPS, no serial), no XMP, no orientation tag left to re-apply.
      expect(pageMeta.exif).toBeUndefined();
      expect(pageMeta.xmp).toBeUndefined();
      expect(pageMeta.orientation).toBeUndefined();

      expect(thumbnail.mediaType).toBe('image/webp');
      expect(Math.max(thumbnail.width, thumbnail.height)).toBe(
        Math.min(THUMBNAIL_EDGE, Math.max(page.width, page.height)),
      );
      expect(thumbnail.width >= thumbnail.height).toBe(page.width >= page.height);
      const thumbMeta = await sharp(thumbnail.data).metadata();
      expect(thumbMeta.exif).toBeUndefined();

      // Upright for real: the page image's pixels are the stored pixels turned by hand as the
      // EXIF orientation says (only worth checking where there is a picture to compare).
      const orientation = Number(result.metadata['appliedOrientation']);
      if (dw >= 64 && dh >= 64 && result.metadata['frames'] === 1) {
        const expectedPixels = orientByHand(await tiny(buf), orientation);
        const actual = await tiny(page.data);
        const right = meanDifference(actual, expectedPixels);
        expect(right, 'page image differs from the upright original').toBeLessThan(12);
        if (orientation !== 1) {
          // ...and the unturned original really is different, so the check means something.
          const wrong = meanDifference(actual, await tiny(buf));
          expect(wrong).toBeGreaterThan(right);
        }
      }

      // A thumbnail made straight from the original agrees with the one made from the page
      // (give or take the rounding of the intermediate size).
      const direct = await makeThumbnail(buf);
      expect(Math.abs(direct.width - thumbnail.width)).toBeLessThanOrEqual(1);
      expect(Math.abs(direct.height - thumbnail.height)).toBeLessThanOrEqual(1);
    });
  }
});
