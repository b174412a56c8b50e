// Shared helpers of the benchmark scripts: references measured in the same run, and reporting.
import { execFileSync, spawnSync } from 'node:child_process';
import { cpus, totalmem } from 'node:os';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const requireDist = createRequire(join(ROOT, 'dist', 'electron', 'x.js'));

export function machine() {
  const c = cpus();
  return `${c.length} × ${c[0]?.model.trim() ?? 'unknown CPU'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
}

/** `openssl speed -evp ALG` throughput for 16 KiB blocks, in MB/s. */
export function opensslSpeed(alg, seconds = 2) {
  const out = execFileSync(
    'openssl',
    ['speed', '-seconds', String(seconds), '-bytes', '16384', '-evp', alg],
    {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    },
  );
  const line = out.trim().split('\n').pop();
  const kbs = parseFloat(line.trim().split(/\s+/).pop().replace(/k$/, ''));
  return (kbs * 1000) / 1e6;
}

/** `dd if=/dev/zero of=FILE bs=1M count=N conv=fsync` throughput, in MB/s. */
export function ddFsync(file, mib) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync('dd', ['if=/dev/zero', `of=${file}`, 'bs=1M', `count=${mib}`, 'conv=fsync'], {
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(r.stderr);
  const s = Number(process.hrtime.bigint() - t0) / 1e9;
  return (mib * 2 ** 20) / s / 1e6;
}

export function row(cells) {
  return `| ${cells.join(' | ')} |`;
}
