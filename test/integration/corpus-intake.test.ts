// Every file of the real-world corpus (shared/corpus) through the pure intake steps: sniff,
// metadata, validation and derivatives. Each file has an explicit expected outcome below; a
// corpus file without an entry fails the test. The table is in test/fixtures/corpus-expectations.ts.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { isKesiError } from '../../shared/errors';
import { inspect } from '../../electron/intake/inspect';
import { makePageImage, makeThumbnail } from '../../electron/intake/derivatives';
import { sniffBuffer, sniffFile } from '../../electron/intake/sniff';
import { PAGE_LONG_EDGE, PAGE_SHORT_EDGE, THUMBNAIL_EDGE } from '../../electron/intake/limits';

import { CORPUS, EXPECTED, corpusFiles, type Expected } from '../fixtures/corpus-expectations';

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
