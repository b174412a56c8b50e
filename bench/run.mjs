// npm run bench: every benchmark in turn. Each prints a Markdown table for BENCHMARKS.md.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './lib.mjs';

const only = process.argv.slice(2);
const benches = ['vault-add', 'custody', 'intake', 'bundle'].filter(
  (b) => existsSync(join(ROOT, 'bench', `${b}.mjs`)) && (only.length === 0 || only.includes(b)),
);
for (const b of benches) {
  console.log(`\n# ${b}`);
  execFileSync(process.execPath, [join(ROOT, 'bench', `${b}.mjs`)], { stdio: 'inherit' });
}
