// A 1,000-page bundle: 200 photos of 12 megapixels (as intake page images), 60 PDFs of about
// ten pages (corpus files and generated ones, half of them scan-like) and 40 typed
// statements. Slow: run with KESI_BENCH_BUNDLE=1. The assembly runs in a child process so that
// its peak RSS is measured alone; the merge of the 60 PDFs is timed next to qpdf in the same run.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { makePageImage } from '../../electron/intake/derivatives';
import {
  CORPUS,
  corpusFile,
  makePdf,
  makePhoto,
  sha256,
  tool,
  toolResult,
} from '../helpers/bundle';
import { tempDir } from '../helpers/tmp';

const RUN = process.env.KESI_BENCH_BUNDLE === '1';
const PHOTOS = 200;
const DISTINCT_PHOTOS = Number(process.env.KESI_BENCH_DISTINCT_PHOTOS ?? 20);
const PDFS = 60;
const STATEMENTS = 40;

/** A scan-like PDF: one greyscale JPEG per page at 200 dpi A4, as an office scanner makes. */
async function scanPdf(seed: number, pages: number): Promise<Uint8Array> {
  const doc = await PDFDocument.create({ updateMetadata: false });
  const font = await doc.embedFont(StandardFonts.Helvetica);
  const w = 1654;
  const h = 2339;
  const raw = Buffer.alloc(w * h, 245);
  let x = seed >>> 0;
  for (let r = 120; r < h - 120; r += 38) {
    for (let c = 140; c < w - 140; c++) {
      x = (x * 1103515245 + 12345) >>> 0;
      if (x >>> 28 < 9) for (let k = 0; k < 18; k++) raw[(r + k) * w + c] = 40 + ((x >>> 20) & 63);
    }
  }
  const jpeg = await sharp(raw, { raw: { width: w, height: h, channels: 1 } })
    .jpeg({ quality: 70 })
    .toBuffer();
  for (let i = 0; i < pages; i++) {
    const img = await doc.embedJpg(jpeg);
    const page = doc.addPage([595.28, 841.89]);
    page.drawImage(img, { x: 0, y: 0, width: 595.28, height: 841.89 });
    page.drawText(`Scan ${seed} page ${i + 1}`, { x: 40, y: 20, size: 8, font });
  }
  return doc.save();
}

function statement(n: number): string {
  const para = (k: number) =>
    `${k}. On the evening in question I was at the shop near the police post when the officers arrived. ` +
    'I saw them take the deceased into the station. I heard shouting for about an hour and later saw him carried out. '.repeat(
      2,
    );
  return [
    `STATEMENT OF WITNESS ${n}`,
    '',
    ...Array.from({ length: 20 }, (_, k) => para(k + 1)).flatMap((p) => [p, '']),
  ].join('\n');
}

describe.skipIf(!RUN)('a 1,000-page bundle', () => {
  it('is assembled within the time and memory goals; the PDF merge is timed next to qpdf', async () => {
    // KESI_BENCH_DIR keeps the inputs and the bundle for a look afterwards.
    const dir = process.env.KESI_BENCH_DIR ?? tempDir('kesi-bench-');
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    mkdirSync(join(dir, 'photos'));
    mkdirSync(join(dir, 'pdfs'));
    mkdirSync(join(dir, 'statements'));
    // Photos: 12 MP camera JPEGs turned into page images by the intake code.
    const distinct: {
      data: Buffer;
      width: number;
      height: number;
      sha256: string;
      size: number;
    }[] = [];
    for (let i = 0; i < DISTINCT_PHOTOS; i++) {
      const photo = await makePhoto(i % 3 === 0 ? 3000 : 4000, i % 3 === 0 ? 4000 : 3000, i + 1);
      const page = await makePageImage(photo);
      distinct.push({
        data: page.data,
        width: page.width,
        height: page.height,
        sha256: sha256(photo),
        size: photo.length,
      });
    }
    const photos = Array.from({ length: PHOTOS }, (_, i) => {
      const p = distinct[i % distinct.length]!;
      const file = `p${String(i).padStart(3, '0')}.jpg`;
      writeFileSync(join(dir, 'photos', file), p.data);
      return { file, width: p.width, height: p.height, sha256: p.sha256, size: p.size };
    });
    writeFileSync(join(dir, 'photos.json'), JSON.stringify(photos));
    // PDFs: the corpus files that intake accepts (up to 30 pages), then generated ones, half scans.
    const corpus = readdirSync(CORPUS)
      .filter(
        (f) => f.endsWith('.pdf') && !/encrypted|header-then-eof|no-page-tree|117pages/.test(f),
      )
      .sort();
    let n = 0;
    for (const f of corpus)
      writeFileSync(join(dir, 'pdfs', `${String(n++).padStart(2, '0')}-${f}`), corpusFile(f));
    while (n < PDFS) {
      const bytes = n % 2 === 0 ? await scanPdf(n, 18) : await makePdf(`Generated report ${n}`, 20);
      writeFileSync(join(dir, 'pdfs', `${String(n++).padStart(2, '0')}-generated.pdf`), bytes);
    }
    for (let i = 0; i < STATEMENTS; i++)
      writeFileSync(
        join(dir, 'statements', `s${String(i).padStart(2, '0')}.txt`),
        statement(i + 1),
      );

    const jiti = join(__dirname, '..', '..', 'node_modules', '.bin', 'jiti');
    const script = join(__dirname, '..', 'helpers', 'bundle-bench.ts');
    const merge = JSON.parse(
      execFileSync(jiti, [script, dir, 'merge'], { encoding: 'utf8' }).trim().split('\n').pop()!,
    );
    const bundle = JSON.parse(
      execFileSync(jiti, [script, dir, 'bundle'], { encoding: 'utf8', maxBuffer: 1 << 26 })
        .trim()
        .split('\n')
        .pop()!,
    );
    const signed = JSON.parse(
      execFileSync(jiti, [script, dir, 'signed'], { encoding: 'utf8', maxBuffer: 1 << 26 })
        .trim()
        .split('\n')
        .pop()!,
    );
    const report = {
      photos: PHOTOS,
      distinctPhotos: DISTINCT_PHOTOS,
      pdfs: PDFS,
      statements: STATEMENTS,
      bundle,
      signed,
      merge,
    };
    console.log(JSON.stringify(report, null, 2));
    const pdfPath = join(dir, 'bundle.pdf');
    const pages = Number(/Pages:\s+(\d+)/.exec(tool('pdfinfo', [pdfPath]))?.[1]);
    expect(pages).toBe(bundle.pages);
    expect(pages).toBeGreaterThanOrEqual(950);
    expect(bundle.ms).toBeLessThan(20_000);
    expect(bundle.peakRssMB).toBeLessThan(1024);
    expect(signed.ms).toBeLessThan(20_000);
    expect(signed.peakRssMB).toBeLessThan(1024);
    expect(toolResult('pdfsig', ['-nocert', pdfPath]).out).toContain('Signature is Valid');
  });
});
