// Adds one file to a fresh vault and reports time and peak RSS (run in its own process so that
// the RSS is the add's alone).
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { requireDist } from './lib.mjs';

// Peak RSS of this process alone (resourceUsage().maxRSS starts from the parent's on Linux).
const vmHwmMiB = () =>
  Number(/VmHWM:\s+(\d+)/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1] ?? 0) / 1024;

const [, , workDir, src] = process.argv;
const { createVault } = requireDist('./vault/vault.js');
const { KesiService } = requireDist('./service/service.js');

const created = await createVault(join(workDir, 'vault'), {
  admin: 'bench',
  passphrase: 'benchmark passphrase',
  kdfLogN: 10,
});
const svc = new KesiService(created.vault, created.user);
svc.createCase({ ref: 'BENCH', title: 'Benchmark' });
let peakSampled = 0;
const timer = setInterval(
  () => (peakSampled = Math.max(peakSampled, process.memoryUsage.rss())),
  50,
);
const t0 = process.hrtime.bigint();
const [r] = await svc.addFiles({ caseRef: 'BENCH', paths: [src], force: true });
const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
clearInterval(timer);
if (r.status !== 'added') throw new Error(JSON.stringify(r));
svc.lock();
process.stdout.write(
  JSON.stringify({
    seconds,
    maxRssMiB: vmHwmMiB(),
    sampledPeakMiB: peakSampled / 2 ** 20,
  }),
);
