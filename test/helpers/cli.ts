// Runs the built `kesi` command (bin/kesi -> dist/electron/cli.js) as a child process.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const ROOT = resolve(__dirname, '../..');
export const KESI_BIN = join(ROOT, 'bin', 'kesi');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function kesi(args: string[], env: Record<string, string> = {}, input?: string): CliResult {
  if (!existsSync(join(ROOT, 'dist', 'electron', 'cli.js'))) {
    throw new Error('The CLI is not built: run `npm run build` (npm test does it first).');
  }
  const r = spawnSync(process.execPath, [KESI_BIN, ...args], {
    env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '', ...env },
    encoding: 'utf8',
    input: input ?? '',
    maxBuffer: 64 << 20,
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}
