// The court bundle through the real service: a vault whose case holds 200 camera photos (12 MP),
// 60 PDFs of about 10 pages (10 from ../shared/corpus, 50 made here) and 40 typed statements,
// bundled with `--all` by KesiService.generateBundle (decrypt, assemble in the worker, sign,
// write, record the export). Measured: the generation's time and peak RSS (its own process),
// the PDF merge alone next to `qpdf --empty --pages` over the same 60 files, and verification
// of the finished bundle (verifyBundlePdf, and the whole `kesi verify` command) next to
// `pdfsig`. Goals: ≤ 20 s and ≤ 1 GB for the bundle, merge within 4 × qpdf, verify ≤ 3 s.
//
// BENCH_DIR: the temp folder's parent; BENCH_BUNDLE_PHOTO_DIR: where the photos are kept
// between runs (see intake-photos.mjs); BENCH_KEEP=1 keeps the vault and the bundle.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { makePhotos, photoName } from './intake-photos.mjs';
import { machine, requireDist, ROOT, row } from './lib.mjs';

const PHOTOS = 200;
const MADE_PDFS = 50;
const STATEMENTS = 40;
const CORPUS = join(ROOT, '..', 'shared', 'corpus');
const CORPUS_PDFS = [
  'pdf-text-libreoffice-writer.pdf',
  'pdf-acroform-libreoffice.pdf',
  'pdf-google-docs-skia.pdf',
  'pdf-pdfa1b-ghostscript.pdf',
  'pdf-rotated-pages-pypdf.pdf',
  'pdf-mixed-page-sizes-6pages.pdf',
  'pdf-word-pdfmaker-linearized-4pages.pdf',
  'scan-book-page-macos-quartz.pdf',
  'pdf-mixed-rotation-distiller.pdf',
  'pdf-legal-size-word-ilovepdf.pdf',
];

function child(args) {
  const r = spawnSync(process.execPath, [join(ROOT, 'bench', 'bundle-child.mjs'), ...args], {
    encoding: 'utf8',
    maxBuffer: 16 << 20,
  });
  if (r.status !== 0) throw new Error(`bundle-child ${args[0]} failed:\n${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop());
}

function timedTool(cmd, args, okCodes = [0]) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 1 << 26 });
  const s = Number(process.hrtime.bigint() - t0) / 1e9;
  if (!okCodes.includes(r.status ?? -1)) throw new Error(`${cmd} exit ${r.status}: ${r.stderr}`);
  return { seconds: s, stdout: r.stdout };
}

/** A report-like PDF of `pages` pages of text, as a clinic or station printer writes it. */
async function makeReport(path, n, pages) {
  const { PDFDocument, StandardFonts } = requireDist('pdf-lib');
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  for (let p = 0; p < pages; p++) {
    const page = doc.addPage([595.28, 841.89]);
    page.drawText(`Report ${n}, page ${p + 1} of ${pages}`, { x: 60, y: 780, size: 14, font });
    for (let l = 0; l < 40; l++) {
      page.drawText(`${l + 1}. Findings recorded at examination, line ${l + 1} of report ${n}.`, {
        x: 60,
        y: 740 - l * 17,
        size: 10,
        font,
      });
    }
  }
  writeFileSync(path, await doc.save());
}

function statement(n) {
  const para =
    'I was at the junction near the market when officers arrived and ordered everyone to lie ' +
    'down. I saw the officer in charge strike the deceased twice with a baton. ';
  const body = Array.from({ length: 12 + (n % 20) }, (_, i) => `${i + 1}. ${para.repeat(2)}`);
  return `STATEMENT OF WITNESS ${n}\n\n${body.join('\n\n')}\n\nSigned: Witness ${n}\n`;
}

const work = mkdtempSync(join(process.env.BENCH_DIR ?? tmpdir(), 'kesi-bench-bundle-'));
try {
  const loadBefore = loadavg();
  const input = join(work, 'input');
  const photoSrc = process.env.BENCH_BUNDLE_PHOTO_DIR ?? join(work, 'photo-src');
  const t0 = process.hrtime.bigint();
  await makePhotos(photoSrc, PHOTOS);
  for (const d of ['photos', 'pdfs', 'statements']) mkdirSync(join(input, d), { recursive: true });
  for (let i = 0; i < PHOTOS; i++) {
    const name = photoName(i);
    copyFileSync(join(photoSrc, name), join(input, 'photos', name));
  }
  const pdfs = [];
  for (const f of CORPUS_PDFS) {
    const to = join(input, 'pdfs', `c-${f}`);
    copyFileSync(join(CORPUS, f), to);
    pdfs.push(to);
  }
  for (let i = 0; i < MADE_PDFS; i++) {
    const to = join(input, 'pdfs', `m-${String(i).padStart(3, '0')}.pdf`);
    await makeReport(to, i + 1, 9 + (i % 6));
    pdfs.push(to);
  }
  for (let i = 0; i < STATEMENTS; i++) {
    writeFileSync(join(input, 'statements', `s-${String(i).padStart(3, '0')}.txt`), statement(i));
  }
  const makeSeconds = Number(process.hrtime.bigint() - t0) / 1e9;

  const vault = join(work, 'vault');
  const prep = child(['prepare', vault, input]);
  const out = join(work, 'bundle.pdf');
  const gen = child(['generate', vault, out]);
  const pdfinfoPages = Number(/Pages:\s+(\d+)/.exec(timedTool('pdfinfo', [out]).stdout)?.[1]);

  const merge = child(['merge', join(work, 'merged-pdflib.pdf'), ...pdfs]);
  // exit 3: done with warnings (qpdf repairs some of the corpus files as it reads them)
  const qpdf = timedTool(
    'qpdf',
    ['--empty', '--pages', ...pdfs, '--', join(work, 'q.pdf')],
    [0, 3],
  );

  const verify = child(['verify', out]);
  const cli = timedTool(process.execPath, [join(ROOT, 'bin', 'kesi'), 'verify', out], [0]);
  const pdfsig = timedTool('pdfsig', ['-nocert', out]);
  const loadAfter = loadavg();

  const date = new Date().toISOString().slice(0, 10);
  const f = (x, d = 2) => x.toFixed(d);
  console.log(`\n## Court bundle through the service — ${date}, ${machine()}\n`);
  console.log(
    `${prep.counts.photos} photos (12 MP), ${prep.counts.pdfs} PDFs, ${prep.counts.statements} statements taken in (${f(prep.intakeSeconds, 1)} s; inputs made in ${f(makeSeconds, 1)} s).\n`,
  );
  console.log(row(['measure', 'seconds', 'peak RSS', 'reference', 'ratio', 'goal']));
  console.log(row(['---', '---', '---', '---', '---', '---']));
  console.log(
    row([
      `generateBundle --all: ${gen.pages} pages (pdfinfo ${pdfinfoPages}), ${f(gen.bytes / 1e6, 0)} MB, signed`,
      f(gen.generateSeconds),
      `${f(gen.peakRssMiB, 0)} MiB`,
      '',
      '',
      '≤ 20 s, ≤ 1 GB',
    ]),
  );
  console.log(
    row([
      `merge of the ${pdfs.length} PDFs (${merge.pages} pages), pdf-lib as the assembler does it`,
      f(merge.mergeSeconds),
      `${f(merge.peakRssMiB, 0)} MiB`,
      `qpdf --empty --pages ${f(qpdf.seconds)} s`,
      `${f(merge.mergeSeconds / qpdf.seconds)} ×`,
      '≤ 4 × qpdf',
    ]),
  );
  console.log(
    row([
      `verifyBundlePdf (file in memory): ${verify.ok ? 'valid' : 'NOT VALID'}`,
      f(verify.verifySeconds),
      `${f(verify.peakRssMiB, 0)} MiB`,
      `pdfsig -nocert ${f(pdfsig.seconds)} s`,
      `${f(verify.verifySeconds / pdfsig.seconds)} ×`,
      '≤ 3 s',
    ]),
  );
  console.log(
    row([
      '`kesi verify FILE.pdf` (whole command)',
      f(cli.seconds),
      '',
      `pdfsig -nocert ${f(pdfsig.seconds)} s`,
      `${f(cli.seconds / pdfsig.seconds)} ×`,
      '≤ 3 s',
    ]),
  );
  const met =
    gen.generateSeconds <= 20 &&
    gen.peakRssMiB * 1.048576 <= 1000 &&
    merge.mergeSeconds <= 4 * qpdf.seconds &&
    cli.seconds <= 3;
  console.log(
    `\nGoals ${met ? 'met' : 'NOT met'}. Load average ${loadBefore.map((x) => f(x, 1)).join(' ')} before, ${loadAfter.map((x) => f(x, 1)).join(' ')} after.`,
  );
  console.log(
    JSON.stringify({
      prep,
      gen,
      pdfinfoPages,
      merge,
      qpdf: qpdf.seconds,
      verify,
      cli: cli.seconds,
      pdfsig: pdfsig.seconds,
    }),
  );
} finally {
  if (process.env.BENCH_KEEP) console.error(`kept ${work}`);
  else rmSync(work, { recursive: true, force: true });
}
