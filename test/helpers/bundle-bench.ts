// The large-bundle benchmark, run in a process of its own (so that its peak RSS is the
// assembler's alone): `jiti test/helpers/bundle-bench.ts DIR`, where DIR holds the prepared
// inputs (see test/integration/bundle-bench.test.ts). Prints one line of JSON.
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PDFDocument } from 'pdf-lib';
import { assembleBundle } from '../../electron/bundle/assemble';
import type { BundleExhibit } from '../../electron/bundle/types';
import { loadExhibitPdf } from '../../electron/bundle/exhibits';
import { assembleSignedBundle, createSigningIdentity } from '../../electron/bundle/sign';
import { installFastStreamCopy } from '../../electron/bundle/stream-copy';
import { buildInput, type ExhibitDraft } from './bundle';

interface PhotoMeta {
  file: string;
  width: number;
  height: number;
  sha256: string;
  size: number;
}

function mb(bytes: number): number {
  return Math.round(bytes / 1024 / 1024);
}

/** The assembler's merge path alone: openPdf, copyPages, save (with the fast stream copy). */
async function merge(files: string[]): Promise<Uint8Array> {
  installFastStreamCopy();
  const out = await PDFDocument.create({ updateMetadata: false });
  for (const f of files) {
    const doc = await loadExhibitPdf(await readFile(f));
    const pages = await out.copyPages(doc, doc.getPageIndices());
    for (const p of pages) out.addPage(p);
  }
  return out.save({ useObjectStreams: true, objectsPerTick: 2000 });
}

async function main(): Promise<void> {
  const dir = process.argv[2] as string;
  const mode = process.argv[3] ?? 'bundle';
  const pdfDir = join(dir, 'pdfs');
  const pdfs = readdirSync(pdfDir)
    .filter((f) => f.endsWith('.pdf'))
    .sort()
    .map((f) => join(pdfDir, f));

  if (mode === 'merge') {
    // The PDF merge alone: pdf-lib (as the assembler does it) next to qpdf, same files.
    const t0 = performance.now();
    const merged = await merge(pdfs);
    const pdfLibMs = performance.now() - t0;
    writeFileSync(join(dir, 'merged-pdflib.pdf'), merged);
    const t1 = performance.now();
    try {
      execFileSync('qpdf', ['--empty', '--pages', ...pdfs, '--', join(dir, 'merged-qpdf.pdf')], {
        stdio: 'ignore',
      });
    } catch (e) {
      // exit 3: succeeded with warnings (damaged originals that qpdf repairs)
      if ((e as { status?: number }).status !== 3) throw e;
    }
    const qpdfMs = performance.now() - t1;
    const pages = (await PDFDocument.load(merged, { updateMetadata: false })).getPageCount();
    console.log(
      JSON.stringify({ files: pdfs.length, pages, pdfLibMs, qpdfMs, ratio: pdfLibMs / qpdfMs }),
    );
    return;
  }

  const photos = JSON.parse(readFileSync(join(dir, 'photos.json'), 'utf8')) as PhotoMeta[];
  const statements = readdirSync(join(dir, 'statements'))
    .filter((f) => f.endsWith('.txt'))
    .sort();
  const drafts: ExhibitDraft[] = [];
  // Contents are read from disk when the assembler reaches them, as the service would decrypt
  // them from the vault one at a time; hashes and sizes come from the catalogue (here, a file).
  for (const f of statements) {
    const text = readFileSync(join(dir, 'statements', f), 'utf8');
    drafts.push({
      title: `Statement ${f}`,
      kind: 'statement',
      originalName: f,
      mediaType: 'text/plain',
      original: Buffer.from(text),
      content: { type: 'text', text },
    });
  }
  for (const f of pdfs) {
    const bytes = readFileSync(f);
    drafts.push({
      title: `Document ${f.slice(pdfDir.length + 1)}`,
      kind: 'document',
      originalName: f.slice(pdfDir.length + 1),
      mediaType: 'application/pdf',
      original: bytes,
      content: { type: 'pdf', bytes: () => readFile(f) },
    });
  }
  photos.forEach((p, i) => {
    drafts.push({
      title: `Photograph ${i + 1}`,
      kind: 'photo',
      description: 'Synthetic 12-megapixel photograph for the benchmark.',
      capturedAt: '2026-03-14T06:26:53.000Z',
      camera: { make: 'TECNO', model: 'Spark 10' },
      originalName: `IMG_${1000 + i}.jpg`,
      mediaType: 'image/jpeg',
      original: Buffer.alloc(0),
      content: {
        type: 'image',
        pageImageJpeg: () => readFile(join(dir, 'photos', p.file)),
        width: p.width,
        height: p.height,
      },
    });
  });
  const input = buildInput(drafts);
  // The originals of the photos are not needed by the assembler (it prints the page image);
  // their hash and size are the catalogue's.
  const firstPhoto = drafts.length - photos.length;
  photos.forEach((p, i) => {
    const e = input.exhibits[firstPhoto + i] as BundleExhibit;
    e.sha256 = p.sha256;
    e.size = p.size;
  });
  drafts.length = 0;
  // The certificate is made before the clock starts: the vault keeps it, it is not per bundle.
  const identity = createSigningIdentity(
    { name: 'Wanjikũ Njeri', notBefore: '2026-01-01T00:00:00.000Z' },
    'bench',
  );
  const rssBefore = process.memoryUsage().rss;
  const t0 = performance.now();
  let peakSampled = 0;
  const timer = setInterval(() => {
    peakSampled = Math.max(peakSampled, process.memoryUsage().rss);
  }, 50);
  const generatedAt = '2026-04-02T08:00:00.000Z';
  const { pdf, manifest } =
    mode === 'signed'
      ? await assembleSignedBundle(input, {
          generatedAt,
          identity,
          signature: { name: 'Wanjikũ Njeri', reason: 'Court bundle', location: 'Nairobi' },
        })
      : await assembleBundle(input, { generatedAt });
  const ms = performance.now() - t0;
  clearInterval(timer);
  writeFileSync(join(dir, 'bundle.pdf'), pdf);
  console.log(
    JSON.stringify({
      ms,
      pages: manifest.pageCount,
      bytes: pdf.length,
      exhibits: manifest.exhibits.length,
      mode,
      rssBeforeMB: mb(rssBefore),
      peakRssMB: mb(process.resourceUsage().maxRSS * 1024),
      peakSampledMB: mb(peakSampled),
    }),
  );
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
