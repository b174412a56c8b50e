// `kesi verify` on the 1,000-page signed bundle (about 320 MB): verifyBundlePdf in this process
// (file already read) and the whole command (a new Node process: start, read, verify, print),
// next to `pdfsig -nocert` and `qpdf --check` on the same file in the same run. Goal: ≤ 3 s.
//
//   npx tsc -p tsconfig.build.json && node bench/verify.mjs
//
// The bundle is the one test/integration/bundle-bench.test.ts writes; it is made first when
// KESI_BENCH_DIR (default /tmp/kesi-bench-verify) holds none. Prints a Markdown table, then the
// same figures as JSON.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { machine, requireDist, ROOT, row } from './lib.mjs';

if (!existsSync(join(ROOT, 'dist', 'electron', 'verify', 'bundle-verify.js'))) {
  console.error(
    'dist/electron/verify is missing: build first with  npx tsc -p tsconfig.build.json',
  );
  process.exit(2);
}
const GOAL_SECONDS = 3;
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const dir = process.env.KESI_BENCH_DIR ?? '/tmp/kesi-bench-verify';
const file = join(dir, 'bundle.pdf');

function isSigned(path) {
  if (!existsSync(path)) return false;
  const r = spawnSync('pdfsig', ['-nocert', path], { encoding: 'utf8' });
  return /Signature #1/.test(r.stdout);
}

if (!isSigned(file)) {
  console.error(`Making the 1,000-page bundle in ${dir} (about a minute)…`);
  execFileSync('npx', ['vitest', 'run', 'test/integration/bundle-bench.test.ts'], {
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, KESI_BENCH_BUNDLE: '1', KESI_BENCH_DIR: dir },
  });
}

const { verifyBundlePdf } = requireDist('./verify/bundle-verify.js');
const seconds = (t0) => Number(process.hrtime.bigint() - t0) / 1e9;

/** Fastest and slowest of `runs` runs. */
async function timed(runs, fn) {
  const all = [];
  let last;
  for (let r = 0; r < runs; r++) {
    const t0 = process.hrtime.bigint();
    last = await fn();
    all.push(seconds(t0));
  }
  return { best: Math.min(...all), worst: Math.max(...all), last };
}

/** The references run once: `qpdf --check` alone takes a minute or more on this file. */
function tool(cmd, args) {
  return timed(1, () => {
    const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 1 << 26 });
    return { code: r.status, out: r.stdout + r.stderr };
  });
}

const load = [loadavg()[0]];
const bytes = statSync(file).size;
const pdf = readFileSync(file);
const inProcess = await timed(RUNS, () => verifyBundlePdf(pdf));
const report = inProcess.last;
const cli = await timed(RUNS, () => {
  const r = spawnSync(process.execPath, [join(ROOT, 'bin', 'kesi'), 'verify', file, '--json'], {
    encoding: 'utf8',
    maxBuffer: 1 << 28,
  });
  return { code: r.status, report: JSON.parse(r.stdout) };
});
const pdfsig = await tool('pdfsig', ['-nocert', file]);
const qpdf = await tool('qpdf', ['--check', file]);
load.push(loadavg()[0]);

const errors = [
  ...new Set(report.problems.filter((p) => p.severity === 'error').map((p) => p.code)),
];
const f = (s) => `${s.best.toFixed(2)} s${s.worst > s.best ? ` (–${s.worst.toFixed(2)})` : ''}`;
console.log(`Machine: ${machine()}; load average ${load.map((l) => l.toFixed(1)).join(' → ')}`);
console.log(
  `Bundle: ${report.pages} pages, ${(bytes / 1e6).toFixed(0)} MB, ${report.exhibits.length} exhibits; ` +
    `fastest of ${RUNS} runs (slowest in brackets); the references once\n`,
);
console.log(row(['measure', 'time', 'goal']));
console.log(row(['---', '---', '---']));
console.log(row(['verifyBundlePdf (file in memory)', f(inProcess), '']));
console.log(row(['`kesi verify FILE --json` (new process)', f(cli), `≤ ${GOAL_SECONDS} s`]));
console.log(row(['reference: `pdfsig -nocert FILE`', f(pdfsig), '']));
console.log(row(['reference: `qpdf --check FILE`', f(qpdf), '']));
console.log(
  `\nVerdict: ${report.ok ? 'verified' : `not verified (${errors.join(', ')})`}; ` +
    `checks ${Object.entries(report.checks)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}; exit code ${cli.last.code}.`,
);
console.log(
  JSON.stringify({
    pages: report.pages,
    bytes,
    exhibits: report.exhibits.length,
    ok: report.ok,
    errors,
    verifySeconds: inProcess.best,
    cliSeconds: cli.best,
    pdfsigSeconds: pdfsig.best,
    qpdfCheckSeconds: qpdf.best,
    withinGoal: cli.best <= GOAL_SECONDS,
    load,
  }),
);
