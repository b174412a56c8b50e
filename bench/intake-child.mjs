// One side of the intake benchmark, in its own process so that its peak RSS is its own:
//   node bench/intake-child.mjs kesi WORK_DIR PHOTO_DIR [THREADS [STREAMS]]
//                                                          the photo folder through KesiService
//                                                          (THREADS: set sharp.concurrency first;
//                                                          STREAMS: split the folder's files
//                                                          between that many addFiles at once)
//   node bench/intake-child.mjs sharp PHOTO_DIR           sharp(buf).resize(2480).jpeg() per photo
//   node bench/intake-child.mjs steps WORK_DIR PHOTO_DIR N  each step of the intake of N photos,
//                                                          timed alone (the same library calls)
// Prints one JSON line: seconds, photos, peak RSS and (kesi) what was stored.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { requireDist } from './lib.mjs';

const [, , mode, ...args] = process.argv;

/**
 * Peak RSS of this process in MiB. Not process.resourceUsage().maxRSS: on Linux a child starts
 * with its parent's high-water mark (kept across fork and exec), so a large parent shows through.
 */
function peakRssMiB() {
  if (existsSync('/proc/self/status')) {
    const m = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync('/proc/self/status', 'utf8'));
    if (m) return Number(m[1]) / 1024;
  }
  return process.resourceUsage().maxRSS / 1024;
}

/** User and system CPU time of every thread of this process since `since`, in seconds. */
function cpuSeconds(since) {
  const d = process.cpuUsage(since);
  return (d.user + d.system) / 1e6;
}

let peakSampled = 0;
const timer = setInterval(() => {
  peakSampled = Math.max(peakSampled, process.memoryUsage.rss());
}, 50);

const out = {};
if (mode === 'sharp') {
  const [photoDir] = args;
  const sharp = requireDist('sharp');
  const files = readdirSync(photoDir)
    .filter((f) => f.endsWith('.jpg'))
    .sort();
  const t0 = process.hrtime.bigint();
  const cpu0 = process.cpuUsage();
  let bytesOut = 0;
  for (const f of files) {
    const buf = readFileSync(join(photoDir, f));
    bytesOut += (await sharp(buf).resize(2480).jpeg().toBuffer()).length;
  }
  out.seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  out.cpuSeconds = cpuSeconds(cpu0);
  out.photos = files.length;
  out.bytesOut = bytesOut;
} else if (mode === 'kesi') {
  const [workDir, photoDir, threads, streams = '1'] = args;
  if (threads) requireDist('sharp').concurrency(Number(threads));
  out.sharpThreads = requireDist('sharp').concurrency();
  out.streams = Number(streams);
  const { createVault } = requireDist('./vault/vault.js');
  const { KesiService } = requireDist('./service/service.js');
  const created = await createVault(join(workDir, `vault-${out.sharpThreads}-${streams}`), {
    admin: 'bench',
    passphrase: 'benchmark passphrase',
    kdfLogN: 10,
  });
  const svc = new KesiService(created.vault, created.user);
  svc.createCase({ ref: 'BENCH', title: 'Benchmark' });
  const t0 = process.hrtime.bigint();
  const cpu0 = process.cpuUsage();
  let results;
  if (out.streams === 1) {
    // A folder dropped on a case, as a caseworker does with a phone's photos.
    results = await svc.addFiles({ caseRef: 'BENCH', paths: [photoDir] });
  } else {
    // What overlapping files would give: the files dealt out to several intakes at once.
    const files = readdirSync(photoDir)
      .sort()
      .map((f) => join(photoDir, f));
    const parts = Array.from({ length: out.streams }, (_, k) =>
      files.filter((_f, i) => i % out.streams === k),
    );
    results = (
      await Promise.all(parts.map((paths) => svc.addFiles({ caseRef: 'BENCH', paths })))
    ).flat();
  }
  out.seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  out.cpuSeconds = cpuSeconds(cpu0);
  const bad = results.filter((r) => r.status !== 'added');
  if (bad.length) throw new Error(`not added: ${JSON.stringify(bad.slice(0, 3))}`);
  out.photos = results.length;
  let derivatives = 0;
  for (const it of svc.listItems('BENCH')) {
    derivatives += created.vault.catalogue.derivatives.listByItem(it.id).length;
  }
  out.derivatives = derivatives;
  svc.lock();
} else if (mode === 'steps') {
  // The intake's steps one after the other, as electron/service/intake.ts runs them for a
  // photo, each timed on its own; the catalogue transaction is what the full intake adds.
  const [workDir, photoDir, count] = args;
  const { createVault } = requireDist('./vault/vault.js');
  const { sniffBuffer } = requireDist('./intake/sniff.js');
  const { readImageMetadata } = requireDist('./intake/metadata/image.js');
  const { makePageImage, makeThumbnailFromPage } = requireDist('./intake/derivatives.js');
  const sharp = requireDist('sharp');
  const created = await createVault(join(workDir, 'steps-vault'), {
    admin: 'bench',
    passphrase: 'benchmark passphrase',
    kdfLogN: 10,
  });
  const blobs = created.vault.blobs;
  const files = readdirSync(photoDir)
    .filter((f) => f.endsWith('.jpg'))
    .sort()
    .slice(0, Number(count));
  const steps = {};
  const time = async (name, fn) => {
    const t0 = process.hrtime.bigint();
    const r = await fn();
    steps[name] = (steps[name] ?? 0) + Number(process.hrtime.bigint() - t0) / 1e9;
    return r;
  };
  for (const f of files) {
    const buf = await time('read the file', () => readFileSync(join(photoDir, f)));
    await time('SHA-256', () => createHash('sha256').update(buf).digest('hex'));
    await time('sniff', () => sniffBuffer(buf));
    await time('metadata (header, EXIF)', () => readImageMetadata(buf));
    const page = await time('page image (decode, orient, resize, JPEG q85)', () =>
      makePageImage(buf),
    );
    const thumb = await time('thumbnail from the page image', () => makeThumbnailFromPage(page));
    await time('original: encrypt, write, fsync, rename', () => blobs.putBuffer(buf));
    await time('derivatives: encrypt, write, fsync, rename', async () => {
      await blobs.putBuffer(page.data);
      await blobs.putBuffer(thumb.data);
    });
  }
  // What could be had: libvips with a thread per core (sharp's default on glibc Linux is one, to
  // limit memory fragmentation), two photos' page images at once, and the three blobs of a photo
  // written at once (into a second vault, so that every write is a new file again).
  const threads = sharp.concurrency();
  sharp.concurrency(availableParallelism());
  for (const f of files) {
    const buf = readFileSync(join(photoDir, f));
    await time(`(compare) page image with sharp.concurrency(${sharp.concurrency()})`, () =>
      makePageImage(buf),
    );
  }
  sharp.concurrency(threads);
  const pairs = files.slice(0, files.length - (files.length % 2));
  for (let i = 0; i < pairs.length; i += 2) {
    const bufs = [pairs[i], pairs[i + 1]].map((f) => readFileSync(join(photoDir, f)));
    await time('(compare) page images of two photos at once', async () => {
      await Promise.all(bufs.map((b) => makePageImage(b)));
    });
  }
  const again = await createVault(join(workDir, 'steps-vault-2'), {
    admin: 'bench',
    passphrase: 'benchmark passphrase',
    kdfLogN: 10,
  });
  for (const f of files) {
    const buf = readFileSync(join(photoDir, f));
    const page = await makePageImage(buf);
    const thumb = await makeThumbnailFromPage(page);
    await time('(compare) the three blobs written at once', () =>
      Promise.all([buf, page.data, thumb.data].map((b) => again.vault.blobs.putBuffer(b))),
    );
  }
  again.vault.catalogue.close();
  out.photos = files.length;
  out.steps = steps;
  created.vault.catalogue.close();
} else {
  throw new Error(`unknown mode ${mode}`);
}
clearInterval(timer);
out.maxRssMiB = peakRssMiB();
out.sampledPeakMiB = peakSampled / 2 ** 20;
process.stdout.write(JSON.stringify(out));
