// A `kesi add` killed with SIGKILL at random points must never leave a vault that does not open,
// fails its audit, or has lost or damaged a committed item (DESIGN.md: "Nothing is ever lost").
// KESI_CRASH_ITERATIONS (default 50) and KESI_CRASH_SEED (default: random, printed) reproduce a
// run; KESI_CRASH_REPORT names a JSON file for the report (bench/crash.mjs runs 300 this way).
import { writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { crashSummary, runCrashSeries } from '../helpers/crash';

const iterations = Number(process.env['KESI_CRASH_ITERATIONS'] ?? 50);
const seed = Number(process.env['KESI_CRASH_SEED'] ?? Math.floor(Math.random() * 2 ** 31));
const verbose = process.env['KESI_CRASH_VERBOSE'] === '1';

describe('intake under SIGKILL', () => {
  it(
    `keeps the vault whole through ${iterations} kills (seed ${seed})`,
    async () => {
      console.log(`crash test seed ${seed} (KESI_CRASH_SEED=${seed} repeats this run)`);
      const report = await runCrashSeries({
        iterations,
        seed,
        log: verbose ? (l) => console.log(l) : undefined,
      });
      console.log(crashSummary(report));
      if (process.env['KESI_CRASH_REPORT']) {
        writeFileSync(process.env['KESI_CRASH_REPORT'], JSON.stringify(report, null, 2));
      }
      // The kills met the add at each of its stages.
      if (iterations >= 20) {
        expect(report.phases.startup, 'kills before any file was touched').toBeGreaterThan(0);
        expect(
          report.phases['blob write'] + report.phases['blob fsync'],
          'kills while a blob was being written',
        ).toBeGreaterThan(0);
        expect(report.phases.commit, 'kills during a COMMIT').toBeGreaterThan(0);
        expect(report.itemsCommitted, 'items committed between kills').toBeGreaterThan(0);
      }
    },
    Math.max(120_000, iterations * 4_000),
  );
});
