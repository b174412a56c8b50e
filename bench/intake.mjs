// Intake of camera photos: 300 distinct 12 MP JPEGs (4000 × 3000, 3–6 MB, one in four taken
// upright with EXIF orientation 6) dropped as a folder on a case through the real KesiService:
// hash, validate, page image and thumbnail, encrypt, fsync, commit with its custody event. Next
// to it, in the same run and over the same files, a plain sharp loop (sharp(buf).resize(2480)
// .jpeg() per photo) as the reference. Each side runs in its own process for its peak RSS.
//
// BENCH_PHOTOS (default 300) sets the count; BENCH_DIR the temp folder's parent; BENCH_PHOTO_DIR
// a folder where the photos are kept between runs (made again when it holds others). The steps of the
// intake are then timed one by one over BENCH_STEP_PHOTOS (default 40) of the photos, to show
// where the time goes. BENCH_PROFILE=1 also writes a CPU profile of the intake process (node
// --cpu-prof) and prints its main thread's self time (most of the work is in libvips' threads).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { HEIGHT, makePhotos, WIDTH } from './intake-photos.mjs';
import { machine, ROOT, row } from './lib.mjs';

const PHOTOS = Number(process.env.BENCH_PHOTOS ?? 300);
const PROFILE = process.env.BENCH_PROFILE === '1';
const STEP_PHOTOS = Math.min(PHOTOS, Number(process.env.BENCH_STEP_PHOTOS ?? 40));
const GOAL = 0.15;

function child(args, nodeArgs = []) {
  return JSON.parse(
    execFileSync(
      process.execPath,
      [...nodeArgs, join(ROOT, 'bench', 'intake-child.mjs'), ...args],
      { encoding: 'utf8', maxBuffer: 16 << 20 },
    ),
  );
}

/** Self time of a CPU profile by function (or by file with byFile), largest first. */
function profileSummary(file, top = 18) {
  const prof = JSON.parse(readFileSync(file, 'utf8'));
  const byId = new Map(prof.nodes.map((n) => [n.id, n]));
  const self = new Map();
  let total = 0;
  prof.samples.forEach((id, i) => {
    const f = byId.get(id).callFrame;
    const where = f.url
      .replace(/^file:\/\//, '')
      .replace(/.*node_modules\//, '')
      .replace(`${ROOT}/`, '');
    const key = `${f.functionName || '(anonymous)'} ${where ? `${where}:${f.lineNumber + 1}` : ''}`;
    const dt = prof.timeDeltas[i] ?? 0;
    total += dt;
    self.set(key, (self.get(key) ?? 0) + dt);
  });
  return [...self]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([k, us]) => `${((100 * us) / total).toFixed(1).padStart(5)} %  ${k}`);
}

const work = mkdtempSync(join(process.env.BENCH_DIR ?? tmpdir(), 'kesi-bench-intake-'));
try {
  const photoDir = process.env.BENCH_PHOTO_DIR ?? join(work, 'photos');
  const loadBefore = loadavg();
  const t0 = process.hrtime.bigint();
  const set = await makePhotos(photoDir, PHOTOS);
  const makeSeconds = Number(process.hrtime.bigint() - t0) / 1e9;

  const ref = child(['sharp', photoDir]);
  const profDir = join(work, 'profile');
  const kesi = child(
    ['kesi', work, photoDir],
    PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${profDir}`] : [],
  );

  // What overlapping files would give: two addFiles at once, each with half of the photos.
  const kesiOverlap = child(['kesi', work, photoDir, '', '2']);
  const steps = STEP_PHOTOS > 0 ? child(['steps', work, photoDir, String(STEP_PHOTOS)]) : null;

  const date = new Date().toISOString().slice(0, 10);
  const per = (s) => s / PHOTOS;
  const mb = (b) => (b / 1e6).toFixed(1);
  console.log(`\n## Intake of ${PHOTOS} camera photos — ${date}, ${machine()}\n`);
  console.log(
    `${set.count} JPEGs of ${WIDTH} × ${HEIGHT}, ${mb(set.min)}–${mb(set.max)} MB (mean ${mb(set.totalBytes / set.count)} MB, ` +
      `${(set.totalBytes / 2 ** 30).toFixed(2)} GiB), ${set.reused ? 'kept from an earlier run' : `made in ${makeSeconds.toFixed(0)} s`}.\n`,
  );
  console.log(row(['measure', 's/photo', 'total s', 'ratio', 'CPU s/photo', 'peak RSS', 'goal']));
  console.log(row(['---', '---', '---', '---', '---', '---', '---']));
  console.log(
    row([
      `kesi intake (KesiService.addFiles: validate, page image, thumbnail, encrypt, fsync, commit; libvips threads: ${kesi.sharpThreads})`,
      per(kesi.seconds).toFixed(3),
      kesi.seconds.toFixed(1),
      '1.00',
      per(kesi.cpuSeconds).toFixed(3),
      `${kesi.maxRssMiB.toFixed(0)} MiB`,
      `< ${GOAL} s/photo`,
    ]),
  );
  console.log(
    row([
      'sharp(buf).resize(2480).jpeg() per photo, same files (sharp defaults)',
      per(ref.seconds).toFixed(3),
      ref.seconds.toFixed(1),
      `kesi/sharp = ${(kesi.seconds / ref.seconds).toFixed(2)}`,
      per(ref.cpuSeconds).toFixed(3),
      `${ref.maxRssMiB.toFixed(0)} MiB`,
      '',
    ]),
  );
  console.log(
    row([
      `two addFiles at once, half of the photos each (libvips threads: ${kesiOverlap.sharpThreads})`,
      per(kesiOverlap.seconds).toFixed(3),
      kesiOverlap.seconds.toFixed(1),
      `${(kesiOverlap.seconds / kesi.seconds).toFixed(2)}`,
      per(kesiOverlap.cpuSeconds).toFixed(3),
      `${kesiOverlap.maxRssMiB.toFixed(0)} MiB`,
      '',
    ]),
  );
  const met = per(kesi.seconds) < GOAL;
  const load = (l) => l.map((x) => x.toFixed(1)).join(' ');
  console.log(
    `\n${kesi.photos} photos added with ${kesi.derivatives} derivatives; goal ${met ? 'met' : 'missed'}. ` +
      `Load average ${load(loadBefore)} before, ${load(loadavg())} after (this machine's other work ` +
      `shows in the wall times; the CPU times are this process's own, all threads).`,
  );
  if (steps) {
    console.log(`\nThe intake's steps, each timed alone over ${steps.photos} of the photos:\n`);
    console.log(row(['step', 's/photo', 'share of the whole intake']));
    console.log(row(['---', '---', '---']));
    const whole = per(kesi.seconds);
    let sum = 0;
    for (const [name, s] of Object.entries(steps.steps)) {
      const p = s / steps.photos;
      if (!name.startsWith('(')) sum += p;
      console.log(
        row([
          name,
          p.toFixed(3),
          name.startsWith('(') ? '' : `${((100 * p) / whole).toFixed(0)} %`,
        ]),
      );
    }
    console.log(
      row([
        'the rest: catalogue transaction, custody event, fsyncs of the WAL',
        Math.max(0, whole - sum).toFixed(3),
        `${((100 * Math.max(0, whole - sum)) / whole).toFixed(0)} %`,
      ]),
    );
  }
  if (PROFILE) {
    const [file] = readdirSync(profDir);
    console.log('\nWhere the intake process spent its main-thread time (self time):\n');
    for (const l of profileSummary(join(profDir, file))) console.log(`    ${l}`);
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
