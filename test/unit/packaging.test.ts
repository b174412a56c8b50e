// electron-builder.yml, read as text: the four targets, the native SQLCipher module rebuilt for
// Electron, and every worker thread's script (and the files the workers read) outside the asar,
// where worker_threads and pdf.js can load them. electron-builder itself cannot run here.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(__dirname, '..', '..');
const config = readFileSync(join(ROOT, 'electron-builder.yml'), 'utf8');

/** The entries of a top-level YAML list, e.g. asarUnpack. */
function listOf(key: string): string[] {
  const lines = config.split('\n');
  const start = lines.findIndex((l) => l === `${key}:`);
  expect(start, `${key} is in electron-builder.yml`).toBeGreaterThanOrEqual(0);
  const out: string[] = [];
  for (const l of lines.slice(start + 1)) {
    if (/^\s*#/.test(l)) continue;
    const m = /^\s+-\s+'?([^']+?)'?\s*$/.exec(l);
    if (!m) break;
    out.push(m[1]!);
  }
  return out;
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? filesUnder(p) : [p];
  });
}

/** A glob of the kind the config uses: ** for any folders, * within a name. */
function matches(glob: string, path: string): boolean {
  const re = glob
    .split('**/')
    .map((part) => part.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*'))
    .join('(?:.*/)?');
  return new RegExp(`^${re}$`).test(path);
}

describe('electron-builder.yml', () => {
  it('builds for Windows (NSIS), macOS (dmg) and Linux (AppImage, deb)', () => {
    for (const t of ['nsis', 'dmg', 'AppImage', 'deb'])
      expect(config).toMatch(new RegExp(`- ${t}\\b`));
  });

  it('rebuilds the native modules for Electron and keeps them out of the asar', () => {
    expect(config).toMatch(/^npmRebuild: true$/m);
    expect(listOf('asarUnpack')).toContain('**/*.node');
  });

  it("unpacks every worker thread's compiled script, and the packages workers read as files", () => {
    const unpacked = listOf('asarUnpack');
    const workers = filesUnder(join(ROOT, 'electron'))
      .filter((f) => /worker\.ts$/.test(f))
      .map((f) => relative(ROOT, f).replace(/\.ts$/, '.js'));
    expect(workers.length).toBeGreaterThanOrEqual(3);
    for (const w of workers) {
      expect(
        unpacked.some((g) => matches(g, `dist/${w}`)),
        `dist/${w} is unpacked`,
      ).toBe(true);
    }
    for (const pkg of ['sharp', 'pdfjs-dist', '@napi-rs/canvas']) {
      expect(
        unpacked.some((g) => matches(g, `node_modules/${pkg}/package.json`)),
        `${pkg} is unpacked`,
      ).toBe(true);
    }
  });

  it('ships the compiled code, the renderer and the resources', () => {
    expect(listOf('files')).toEqual(
      expect.arrayContaining(['dist/**/*', 'dist-renderer/**/*', 'resources/**/*']),
    );
  });
});
