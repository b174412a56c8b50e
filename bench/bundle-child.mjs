// One step of the court-bundle benchmark, in its own process so that its peak RSS is its own:
//   node bench/bundle-child.mjs prepare VAULT_DIR INPUT_DIR   a vault with one case holding the
//                                                             photos, PDFs and statements
//   node bench/bundle-child.mjs generate VAULT_DIR OUT.pdf    KesiService.generateBundle (--all)
//   node bench/bundle-child.mjs merge OUT.pdf PDF...          the assembler's merge path alone
//   node bench/bundle-child.mjs verify FILE.pdf               verifyBundlePdf on the file
// Prints one JSON line.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { requireDist } from './lib.mjs';

export const USER = 'amina';
export const PASS = 'bench passphrase, long enough';
export const CASE = 'BENCH-1';
const KDF_LOG_N = 12;

function peakRssMiB() {
  if (existsSync('/proc/self/status')) {
    const m = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync('/proc/self/status', 'utf8'));
    if (m) return Number(m[1]) / 1024;
  }
  return process.resourceUsage().maxRSS / 1024;
}

const seconds = (t0) => Number(process.hrtime.bigint() - t0) / 1e9;
const [, , mode, ...args] = process.argv;
const out = {};

if (mode === 'prepare') {
  const [vaultDir, inputDir] = args;
  const { createVault } = requireDist('./vault/vault.js');
  const { KesiService } = requireDist('./service/service.js');
  const created = await createVault(vaultDir, {
    admin: USER,
    passphrase: PASS,
    kdfLogN: KDF_LOG_N,
  });
  const svc = new KesiService(created.vault, created.user);
  svc.createCase({ ref: CASE, title: 'Benchmark case', county: 'Nairobi' });
  const t0 = process.hrtime.bigint();
  const counts = {};
  for (const [kind, sub] of [
    ['statement', 'statements'],
    ['medical_report', 'pdfs'],
    ['photo', 'photos'],
  ]) {
    const dir = join(inputDir, sub);
    const paths = readdirSync(dir)
      .sort()
      .map((f) => join(dir, f));
    const results = await svc.addFiles({ caseRef: CASE, paths, kind });
    const bad = results.filter((r) => r.status !== 'added');
    if (bad.length) throw new Error(`not added: ${JSON.stringify(bad.slice(0, 3))}`);
    counts[sub] = results.length;
  }
  svc.lock();
  out.intakeSeconds = seconds(t0);
  out.counts = counts;
} else if (mode === 'generate') {
  const [vaultDir, pdfPath] = args;
  const { unlockVault } = requireDist('./vault/vault.js');
  const { KesiService } = requireDist('./service/service.js');
  const t0 = process.hrtime.bigint();
  const { vault, user } = await unlockVault(vaultDir, USER, PASS, { kdfLogN: KDF_LOG_N });
  const svc = new KesiService(vault, user);
  const unlocked = seconds(t0);
  const spec = svc.defaultBundleSpec(CASE, {
    court: "Chief Magistrate's Court at Milimani",
    caseNumber: 'Criminal Case No. E999 of 2026',
    parties: 'Republic v. A. N. Other',
    preparedBy: 'Amina Njeri, advocate',
    date: '2026-11-21',
  });
  const t1 = process.hrtime.bigint();
  const saved = svc.saveBundle(spec);
  const r = await svc.generateBundle(saved.uid, pdfPath);
  out.generateSeconds = seconds(t1);
  out.unlockSeconds = unlocked;
  out.pages = r.pages ?? r.pageCount;
  out.bytes = r.bytes ?? r.size;
  out.sha256 = r.sha256;
  svc.lock();
} else if (mode === 'merge') {
  const [outPath, ...pdfs] = args;
  const { PDFDocument } = requireDist('pdf-lib');
  const { loadExhibitPdf } = requireDist('./bundle/exhibits.js');
  const { installFastStreamCopy } = requireDist('./bundle/stream-copy.js');
  installFastStreamCopy();
  const t0 = process.hrtime.bigint();
  const doc = await PDFDocument.create({ updateMetadata: false });
  for (const f of pdfs) {
    const src = await loadExhibitPdf(await readFile(f));
    for (const p of await doc.copyPages(src, src.getPageIndices())) doc.addPage(p);
  }
  await writeFile(outPath, await doc.save({ useObjectStreams: false, objectsPerTick: 2000 }));
  out.mergeSeconds = seconds(t0);
  out.pages = doc.getPageCount();
} else if (mode === 'verify') {
  const [file] = args;
  const { verifyBundlePdf } = requireDist('./verify/bundle-verify.js');
  const t0 = process.hrtime.bigint();
  const report = await verifyBundlePdf(await readFile(file));
  out.verifySeconds = seconds(t0);
  out.ok = report.ok;
} else {
  console.error('usage: see the head of this file');
  process.exit(2);
}
out.peakRssMiB = peakRssMiB();
console.log(JSON.stringify(out));
