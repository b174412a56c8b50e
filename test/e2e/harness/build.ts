// Builds the renderer as `npm run build:renderer` does, into a folder of the test's own (so that
// a build running elsewhere in the working tree cannot change the files under test).
import { execFileSync } from 'node:child_process';
import { join, resolve } from 'node:path';

export const ROOT = resolve(__dirname, '../../..');

export interface BuildOptions {
  /**
   * Build as `npm run build:renderer` does from a shell: NODE_ENV=production. Under vitest,
   * NODE_ENV is "test", and Vite then bundles React's development runtime.
   * Default: true, so the tests run what ships.
   */
  production?: boolean;
}

export function buildRenderer(outDir: string, opts: BuildOptions = {}): void {
  execFileSync(
    process.execPath,
    [
      join(ROOT, 'node_modules/vite/bin/vite.js'),
      'build',
      '--config',
      join(ROOT, 'renderer/vite.config.ts'),
      '--outDir',
      outDir,
      '--emptyOutDir',
      '--logLevel',
      'warn',
    ],
    {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 300_000,
      ...((opts.production ?? true) ? { env: { ...process.env, NODE_ENV: 'production' } } : {}),
    },
  );
}
