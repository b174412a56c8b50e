// A PDF's first page drawn at intake: every corpus PDF that goes in gets a preview (JPEG, 1000 px
// on the long edge, upright per /Rotate) and a thumbnail (WebP, 320 px), stored encrypted and
// named in the signed intake event; blank exactly where poppler draws the page blank too.
// Drawing is bounded: at the time limit there is no preview and the PDF still goes in. The
// worker thread (compiled from the sources first, as the build does) draws the same pixels as
// this thread.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { KesiError } from '../../shared/errors';
import { makePdfDerivatives } from '../../electron/intake/derivatives';
import type { PdfPage } from '../../electron/intake/metadata/pdf';
import { drawPdfFirstPage, pdfPreviewWorkerFile } from '../../electron/intake/pdf-preview';
import { PREVIEW_EDGE } from '../../electron/intake/pdf-render';
import type { KesiService } from '../../electron/service/service';
import { CORPUS } from '../fixtures/corpus-expectations';
import { tempDir } from '../helpers/tmp';
import { newVault } from '../helpers/vault';

const ROOT = join(__dirname, '..', '..');
const OUT = join(ROOT, 'test-artifacts', 'pdf-preview-worker-build');
const WORKER = join(OUT, 'electron', 'intake', 'pdf-preview-worker.js');

/** Corpus PDFs that are refused, as in corpus-intake.test.ts; every other one goes in. */
const REFUSED: Record<string, string> = {
  'broken-pdf-header-then-eof-only.pdf': 'CORRUPT_PDF',
  'pdf-encrypted-aes256-r6-userpw-view-acrobatXI.pdf': 'ENCRYPTED_PDF',
  'pdf-encrypted-rc4-r3-userpw-view-acrobat5.pdf': 'ENCRYPTED_PDF',
  'pdf-encrypted-userpw-openpassword-libreoffice.pdf': 'ENCRYPTED_PDF',
  'scan-kyocera-mfp-encrypted-userpw-ELXRTQWS.pdf': 'ENCRYPTED_PDF',
};
/** Accepted, but poppler refuses it: pdf.js (in its own reference tests) draws it. */
const POPPLER_REJECTS = 'broken-pdf-no-page-tree-pdfinfo-rejects.pdf';

const pdfs = readdirSync(CORPUS)
  .filter((f) => f.endsWith('.pdf'))
  .sort();

/** Standard deviation of the grey levels: 0 for a page of one colour. */
async function spread(img: Buffer): Promise<number> {
  const s = await sharp(img).greyscale().stats();
  return s.channels[0]?.stdev ?? 0;
}

/** poppler's own drawing of page 1 at 36 dpi, or null when poppler cannot open the file. */
function popplerPage(file: string): Buffer | null {
  try {
    return execFileSync('pdftoppm', ['-r', '36', '-f', '1', '-l', '1', '-png', file], {
      maxBuffer: 64 * 2 ** 20,
      stdio: ['ignore', 'pipe', 'ignore'],
    });
  } catch {
    return null;
  }
}

type Row = ReturnType<KesiService['vault']['catalogue']['derivatives']['listByItem']>[number];

interface Taken {
  firstPage: PdfPage;
  warnings: unknown;
  rows: Row[];
  preview: Buffer;
  thumbnail: Buffer;
  recorded: unknown;
  listedWithThumbnail: boolean;
}

describe('PDF previews at intake', () => {
  const taken = new Map<string, Taken>();
  const outcome: Record<string, string> = {};
  let auditProblems: unknown[] = [];

  // The vault lives for this block's first test only (temp folders go after each test), so
  // everything is read out of it here.
  beforeAll(async () => {
    const { service } = await newVault();
    service.createCase({ ref: 'PDF', title: 'PDF previews' });
    const results = await service.addFiles({
      caseRef: 'PDF',
      paths: pdfs.map((f) => join(CORPUS, f)),
    });
    const events = service.caseLog('PDF').filter((e) => e.action === 'intake');
    const listed = service.listItemViews('PDF');
    for (const [i, r] of results.entries()) {
      const name = pdfs[i]!;
      outcome[name] = r.error?.code ?? r.status;
      if (r.status !== 'added') continue;
      const id = r.itemId!;
      const item = service.getItem(id);
      const rows = service.vault.catalogue.derivatives
        .listByItem(id)
        .sort((a, b) => a.kind.localeCompare(b.kind));
      // Stored encrypted; readBuffer checks each against its SHA-256.
      const read = (kind: string) => {
        const d = rows.find((x) => x.kind === kind);
        return d ? service.vault.blobs.readBuffer(d.blobName, d.sha256) : Buffer.alloc(0);
      };
      taken.set(name, {
        firstPage: (item.metadata['pages'] as PdfPage[])[0]!,
        warnings: item.metadata['warnings'],
        rows,
        preview: await read('preview'),
        thumbnail: await read('thumbnail'),
        recorded: events.find((e) => e.itemUid === item.uid)?.details['derivatives'],
        listedWithThumbnail: listed.find((x) => x.id === id)?.previews.thumbnail ?? false,
      });
    }
    auditProblems = (await service.audit()).problems;
    service.lock();
  }, 300_000);

  it('takes in or refuses every corpus PDF as before', () => {
    expect(pdfs.length).toBe(39);
    for (const name of pdfs) expect(outcome[name], name).toBe(REFUSED[name] ?? 'added');
    expect(taken.size).toBe(34);
    expect(auditProblems).toEqual([]);
  });

  it('gives every PDF that goes in a preview and a thumbnail, recorded in its intake event', async () => {
    for (const [name, t] of taken) {
      expect(t.warnings, name).toBeUndefined();
      expect(
        t.rows.map((d) => [d.kind, d.mediaType]),
        name,
      ).toEqual([
        ['preview', 'image/jpeg'],
        ['thumbnail', 'image/webp'],
      ]);
      const [preview, thumb] = t.rows as [Row, Row];
      const pm = await sharp(t.preview).metadata();
      const tm = await sharp(t.thumbnail).metadata();
      expect([pm.format, pm.width, pm.height], name).toEqual([
        'jpeg',
        preview.width,
        preview.height,
      ]);
      expect([tm.format, tm.width, tm.height], name).toEqual(['webp', thumb.width, thumb.height]);
      expect(Math.max(pm.width, pm.height), name).toBe(PREVIEW_EDGE);
      expect(Math.max(tm.width, tm.height), name).toBe(320);
      expect(pm.width > pm.height, name).toBe(tm.width > tm.height);
      // Nothing carried over from the PDF: no EXIF, XMP or IPTC.
      expect([pm.exif, pm.xmp, pm.iptc, tm.exif, tm.xmp], name).toEqual([
        undefined,
        undefined,
        undefined,
        undefined,
        undefined,
      ]);
      expect(t.recorded, name).toEqual(
        t.rows.map((d) => ({ kind: d.kind, sha256: d.sha256, mediaType: d.mediaType })),
      );
      expect(t.listedWithThumbnail, name).toBe(true);
    }
  });

  it('turns the preview as the first page /Rotate says', () => {
    const seen: Record<string, string> = {};
    for (const [name, t] of taken) {
      const preview = t.rows.find((d) => d.kind === 'preview')!;
      const wide = (t.firstPage.width ?? 0) > (t.firstPage.height ?? 0);
      const turned = t.firstPage.rotation % 180 === 90;
      const shape = (preview.width ?? 0) > (preview.height ?? 0) ? 'landscape' : 'portrait';
      expect(shape, name).toBe(wide !== turned ? 'landscape' : 'portrait');
      seen[name] = `${t.firstPage.rotation} ${shape}`;
    }
    // Portrait A4 pages with /Rotate 90; a landscape A5 scan with /Rotate 270; a landscape scan
    // with /Rotate 90; a landscape A3 page without /Rotate.
    expect(seen['pdf-rotated-pages-pypdf.pdf']).toBe('90 landscape');
    expect(seen['scan-ricoh-mpc3003-ocr-rotate270-a5.pdf']).toBe('270 portrait');
    expect(seen['scan-rotate90-skewed-linearized-ghostscript.pdf']).toBe('90 portrait');
    expect(seen['pdf-a3-landscape-word2016.pdf']).toBe('0 landscape');
  });

  it('is blank exactly where poppler draws the first page blank', async () => {
    const blank: string[] = [];
    for (const [name, t] of taken) {
      const ours = (await spread(t.preview)) > 1;
      const reference = popplerPage(join(CORPUS, name));
      if (reference === null) {
        expect(name).toBe(POPPLER_REJECTS);
        expect(ours, name).toBe(true);
        continue;
      }
      expect(ours, name).toBe((await spread(reference)) > 1);
      if (!ours) blank.push(name);
    }
    // Acrobat's owner-password sample has an empty first page.
    expect(blank).toEqual(['pdf-ownerpw-only-aes256-acrobat-linearized.pdf']);
  });
});

/** A one-page PDF whose page tree says /Count 0: pdf-lib finds the page, pdf.js refuses it. */
function miscountedPdf(): Buffer {
  const objs = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 0 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 100] >>',
  ];
  let out = '%PDF-1.7\n';
  const offsets: number[] = [];
  objs.forEach((o, i) => {
    offsets.push(out.length);
    out += `${i + 1} 0 obj\n${o}\nendobj\n`;
  });
  const xref = out.length;
  out += `xref\n0 ${objs.length + 1}\n0000000000 65535 f \n`;
  for (const o of offsets) out += `${String(o).padStart(10, '0')} 00000 n \n`;
  out += `trailer\n<< /Size ${objs.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}

describe('a PDF that pdf.js cannot draw', () => {
  it('goes in without a preview, with a warning, and its intake event lists no derivatives', async () => {
    const { service } = await newVault();
    service.createCase({ ref: 'X', title: 'No preview' });
    const path = join(tempDir(), 'miscounted.pdf');
    writeFileSync(path, miscountedPdf());
    const [r] = await service.addFiles({ caseRef: 'X', paths: [path] });
    expect(r?.status).toBe('added');
    const item = service.getItem(r!.itemId!);
    expect(item.metadata['pageCount']).toBe(1);
    expect(item.metadata['warnings']).toEqual([
      { code: 'PREVIEW_UNAVAILABLE', message: expect.stringMatching(/first page of this PDF/) },
    ]);
    expect(service.vault.catalogue.derivatives.listByItem(item.id)).toEqual([]);
    expect(service.getItemView(item.id).previews).toEqual({ thumbnail: false, page: false });
    const ev = service.caseLog('X').find((e) => e.action === 'intake');
    expect(ev?.details['derivatives']).toEqual([]);
    expect((await service.audit()).problems).toEqual([]);
    service.lock();
  });
});

describe('drawing a PDF, bounded', () => {
  const rotated = join(CORPUS, 'pdf-rotated-pages-pypdf.pdf');

  it('gives up at the time limit: no preview, a reason', async () => {
    const buf = await import('node:fs').then((fs) => fs.readFileSync(rotated));
    const err = await makePdfDerivatives(buf, { timeoutMs: 0, workerFile: null }).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(KesiError);
    expect((err as KesiError).code).toBe('PREVIEW_UNAVAILABLE');
  });

  it('says why when the bytes are no PDF pdf.js can open', async () => {
    const err = await makePdfDerivatives(Buffer.from('%PDF-1.7\n%%EOF\n'), {
      workerFile: null,
    }).catch((e: unknown) => e);
    expect((err as KesiError).code).toBe('PREVIEW_UNAVAILABLE');
    expect(String((err as KesiError).details?.['reason'])).toMatch(/invalid pdf/i);
  });

  it('scales a page with a huge MediaBox to the pixel budget', async () => {
    const { PDFDocument } = await import('pdf-lib');
    const doc = await PDFDocument.create();
    doc.addPage([14400, 200]).drawText('a till slip 200 inches long', { x: 20, y: 80, size: 60 });
    const bytes = Buffer.from(await doc.save());
    const { preview, thumbnail } = await makePdfDerivatives(bytes, { workerFile: null });
    expect([preview.width, preview.height]).toEqual([PREVIEW_EDGE, 14]);
    expect([thumbnail.width, thumbnail.height]).toEqual([320, 4]);
  });

  describe('in the worker thread', () => {
    beforeAll(() => {
      expect(pdfPreviewWorkerFile()).toBeNull(); // from sources: no worker beside them
      rmSync(OUT, { recursive: true, force: true });
      mkdirSync(OUT, { recursive: true });
      execFileSync(
        join(ROOT, 'node_modules', '.bin', 'tsc'),
        [
          ...['--outDir', OUT, '--rootDir', ROOT, '--module', 'node16'],
          ...['--moduleResolution', 'node16', '--target', 'ES2022', '--esModuleInterop'],
          ...['--skipLibCheck', '--resolveJsonModule', '--types', 'node'],
          join(ROOT, 'electron', 'intake', 'pdf-preview-worker.ts'),
        ],
        { stdio: 'pipe' },
      );
      expect(existsSync(WORKER)).toBe(true);
    }, 120_000);

    it('draws the same pixels as this thread', async () => {
      const buf = await import('node:fs').then((fs) => fs.readFileSync(rotated));
      const here = await drawPdfFirstPage(buf, { workerFile: null });
      const there = await drawPdfFirstPage(buf, { workerFile: WORKER });
      expect([there.width, there.height, there.rotate]).toEqual([
        here.width,
        here.height,
        here.rotate,
      ]);
      expect(Buffer.from(there.pixels).equals(Buffer.from(here.pixels))).toBe(true);
    });

    it('kills the thread at the time limit, then draws the next PDF in a new one', async () => {
      const buf = await import('node:fs').then((fs) => fs.readFileSync(rotated));
      const slow = drawPdfFirstPage(buf, { workerFile: WORKER, timeoutMs: 1 });
      const next = drawPdfFirstPage(buf, { workerFile: WORKER });
      await expect(slow).rejects.toThrow(/longer than/);
      expect((await next).width).toBe(PREVIEW_EDGE);
    });
  });
});
