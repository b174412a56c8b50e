// The assembler in a worker thread: the same bytes as in the calling thread, progress, cancel,
// errors, signing. The worker is compiled from the sources first (as the build does).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { assembleBundle } from '../../electron/bundle/assemble';
import { runBundle } from '../../electron/bundle/run';
import { assembleSignedBundle, createSigningIdentity } from '../../electron/bundle/sign';
import type { BundleProgress } from '../../electron/bundle/types';
import { buildInput, corpusFile, sampleDrafts, sha256, type ExhibitDraft } from '../helpers/bundle';

const AT = '2026-04-02T08:00:00.000Z';
const ROOT = join(__dirname, '..', '..');
const OUT = join(ROOT, 'test-artifacts', 'bundle-worker-build');
let workerFile: string;

beforeAll(() => {
  rmSync(OUT, { recursive: true, force: true });
  mkdirSync(OUT, { recursive: true });
  execFileSync(
    join(ROOT, 'node_modules', '.bin', 'tsc'),
    [
      '--outDir',
      OUT,
      '--rootDir',
      ROOT,
      '--module',
      'node16',
      '--moduleResolution',
      'node16',
      '--target',
      'ES2022',
      '--esModuleInterop',
      '--skipLibCheck',
      '--resolveJsonModule',
      '--types',
      'node',
      join(ROOT, 'electron', 'bundle', 'worker.ts'),
    ],
    { stdio: 'pipe' },
  );
  workerFile = join(OUT, 'electron', 'bundle', 'worker.js');
  expect(existsSync(workerFile)).toBe(true);
}, 120_000);

describe('the bundle worker', () => {
  it('makes the same bytes as the calling thread, reporting progress', async () => {
    const drafts = await sampleDrafts();
    const here = await assembleBundle(buildInput(drafts), { generatedAt: AT });
    const seen: BundleProgress[] = [];
    const there = await runBundle(buildInput(drafts), {
      generatedAt: AT,
      workerFile,
      onProgress: (p) => seen.push(p),
    });
    expect(sha256(there.pdf)).toBe(sha256(here.pdf));
    expect(there.manifest).toEqual(here.manifest);
    expect(seen.some((p) => p.phase === 'exhibits' && p.done === drafts.length)).toBe(true);
    expect(seen[seen.length - 1]).toMatchObject({ phase: 'finishing', done: 1 });
  });

  it('asks for bytes from loaders in this thread, and signs there too', async () => {
    const drafts = await sampleDrafts();
    const identity = createSigningIdentity(
      { name: 'Wanjikũ Njeri', notBefore: '2026-01-01T00:00:00.000Z' },
      'x',
    );
    const signature = { name: 'Wanjikũ Njeri', reason: 'Court bundle', location: 'Nairobi' };
    const here = await assembleSignedBundle(buildInput(drafts), {
      generatedAt: AT,
      identity,
      signature,
    });
    const input = buildInput(drafts);
    let loads = 0;
    for (const e of input.exhibits) {
      if (e.content.type === 'pdf') {
        const b = e.content.bytes as Uint8Array;
        e.content = { type: 'pdf', bytes: async () => (loads++, b) };
      }
    }
    const there = await runBundle(input, {
      generatedAt: AT,
      workerFile,
      sign: { identity, signature },
    });
    expect(sha256(there.pdf)).toBe(sha256(here.pdf));
    expect(loads).toBe(drafts.filter((d) => d.content.type === 'pdf').length);
  });

  it('passes errors back with their code and message, and cancels', async () => {
    const b = corpusFile('pdf-encrypted-rc4-r3-userpw-view-acrobat5.pdf');
    const bad: ExhibitDraft = {
      title: 'Sealed',
      kind: 'document',
      mediaType: 'application/pdf',
      original: b,
      content: { type: 'pdf', bytes: b },
    };
    await expect(
      runBundle(buildInput([bad]), { generatedAt: AT, workerFile }),
    ).rejects.toMatchObject({
      code: 'BUNDLE_EXHIBIT_UNREADABLE',
      message: expect.stringContaining('Exhibit PExh-1 (Sealed)'),
    });
    const failing = buildInput([
      {
        ...bad,
        content: {
          type: 'pdf',
          bytes: async () => {
            throw new Error('disk');
          },
        },
      },
    ]);
    await expect(runBundle(failing, { generatedAt: AT, workerFile })).rejects.toMatchObject({
      code: 'INTERNAL',
    });
    const ctl = new AbortController();
    const drafts = await sampleDrafts();
    const run = runBundle(buildInput(drafts), {
      generatedAt: AT,
      workerFile,
      signal: ctl.signal,
      onProgress: (p) => {
        if (p.done === 2) ctl.abort();
      },
    });
    await expect(run).rejects.toMatchObject({ code: 'CANCELLED' });
  });
});
