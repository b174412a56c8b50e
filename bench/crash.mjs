// Crash consistency of intake, at length: the crash test (test/integration/crash.test.ts, which
// kills a `kesi add` 50 times) with 300 kills or more, then its report as a Markdown table.
// Not part of `npm run bench` (300 kills take about five minutes here). Run it with
//   npm run build:node && node bench/crash.mjs [KILLS] [SEED]
// (or KESI_CRASH_ITERATIONS and KESI_CRASH_SEED in the environment; KESI_CRASH_VERBOSE=1 prints
// every kill). A failure prints the seed and the kill that broke the vault; the same seed
// repeats the same delays, files and orders.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { machine, ROOT, row } from './lib.mjs';

const kills = Number(process.argv[2] ?? process.env.KESI_CRASH_ITERATIONS ?? 300);
const seed = Number(
  process.argv[3] ?? process.env.KESI_CRASH_SEED ?? Math.floor(Math.random() * 2 ** 31),
);
const work = mkdtempSync(join(tmpdir(), 'kesi-bench-crash-'));
try {
  const reportFile = join(work, 'report.json');
  execFileSync(
    process.execPath,
    [join(ROOT, 'node_modules', 'vitest', 'vitest.mjs'), 'run', 'test/integration/crash.test.ts'],
    {
      cwd: ROOT,
      stdio: 'inherit',
      env: {
        ...process.env,
        KESI_CRASH_ITERATIONS: String(kills),
        KESI_CRASH_SEED: String(seed),
        KESI_CRASH_REPORT: reportFile,
      },
    },
  );
  const r = JSON.parse(readFileSync(reportFile, 'utf8'));
  const date = new Date().toISOString().slice(0, 10);
  const mib = (r.bytesPerAdd / 2 ** 20).toFixed(1);
  console.log(`\n## Crash consistency of intake (${r.iterations} kills) — ${date}, ${machine()}\n`);
  console.log(
    `Seed ${r.seed}; ${r.vaults} vaults; each add takes ${r.filesPerAdd} files (${mib} MiB: ` +
      `statements, photos, large files taken in with --force) and runs ${r.addSeconds.toFixed(2)} s ` +
      `uninterrupted. ${r.seconds.toFixed(0)} s in all (children ${r.time.children} s, audits ` +
      `${r.time.audits} s, other checks ${r.time.checks} s, making files ${r.time.files} s).\n`,
  );
  console.log(row(['where the kill landed', 'kills']));
  console.log(row(['---', '---']));
  for (const [phase, n] of Object.entries(r.phases)) console.log(row([phase, n]));
  console.log(row(['(the add finished before the timer fired)', r.ends.finished]));
  console.log(
    `\nAfter every kill the vault opened, its audit found no error, and every committed item read ` +
      `back with its SHA-256, its derivatives and its intake event.`,
  );
  console.log(
    `Killed by the timer: ${r.ends.timer}; by the probe in a transaction or its COMMIT: ` +
      `${r.ends.probe} (the item kept: ${r.txKills.kept}, rolled back: ${r.txKills.rolledBack}, ` +
      `the final tree head's: ${r.txKills.treeHead}). Items committed: ${r.itemsCommitted}; files ` +
      `of killed adds not committed: ${r.filesLost}.`,
  );
  console.log(
    `Leftovers (audit warnings, at the last kill of each vault): ` +
      `${
        Object.entries(r.auditWarnings)
          .map(([code, n]) => `${code} ${n}`)
          .join(', ') || 'none'
      }.\n`,
  );
} finally {
  rmSync(work, { recursive: true, force: true });
}
