// Runs the assembler in a worker thread, so that the window never freezes while a bundle of a
// thousand pages is made. The exhibits' bytes stay in this thread until the worker asks for
// them, one exhibit at a time; progress comes back as it goes; an aborted signal cancels it.
// Without the compiled worker (running from sources, as under the tests' TypeScript loader)
// the same work runs in this thread.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { KesiError, toErrorData } from '../../shared/errors';
import { assembleBundle, type AssembledBundle } from './assemble';
import { loadBytes } from './exhibits';
import { assembleSignedBundle, type SignatureDetails, type SigningIdentity } from './sign';
import type { BundleInput, BundleProgress, BytesSource } from './types';
import type { FromWorker, ToWorker, WireExhibit } from './worker-protocol';

export interface RunBundleOptions {
  generatedAt: string;
  onProgress?: (p: BundleProgress) => void;
  signal?: AbortSignal;
  /** Sign the PDF (PAdES) with this identity. */
  sign?: { identity: SigningIdentity; signature: Omit<SignatureDetails, 'signingTime'> };
  /** The compiled worker; default worker.js beside this file; null: run in this thread. */
  workerFile?: string | null;
}

/** The compiled worker beside this module, or null when running from sources. */
export function bundleWorkerFile(): string | null {
  const dir = typeof __dirname === 'string' ? __dirname : null;
  if (dir === null) return null;
  const file = join(dir, 'worker.js');
  return existsSync(file) ? file : null;
}

export async function runBundle(
  input: BundleInput,
  opts: RunBundleOptions,
): Promise<AssembledBundle> {
  const workerFile = opts.workerFile === undefined ? bundleWorkerFile() : opts.workerFile;
  if (workerFile === null) {
    const common = {
      generatedAt: opts.generatedAt,
      onProgress: opts.onProgress,
      signal: opts.signal,
    };
    return opts.sign
      ? assembleSignedBundle(input, { ...common, ...opts.sign })
      : assembleBundle(input, common);
  }
  if (opts.signal?.aborted) throw new KesiError('CANCELLED');

  // Every byte source stays here; the worker gets a number to ask for it by.
  const sources: BytesSource[] = [];
  const wire: WireExhibit[] = input.exhibits.map((e) => {
    const c = e.content;
    const keep = (src: BytesSource) => sources.push(src) - 1;
    switch (c.type) {
      case 'pdf':
        return { ...e, content: { type: 'pdf', load: keep(c.bytes) } };
      case 'docx':
        return { ...e, content: { type: 'docx', load: keep(c.bytes) } };
      case 'image':
        return {
          ...e,
          content: {
            type: 'image',
            load: keep(c.pageImageJpeg),
            width: c.width,
            height: c.height,
            ...(c.pageImageSha256 !== undefined ? { pageImageSha256: c.pageImageSha256 } : {}),
          },
        };
      default:
        return { ...e, content: c };
    }
  });

  const worker = new Worker(workerFile);
  const send = (m: ToWorker, transfer: ArrayBuffer[] = []) => worker.postMessage(m, transfer);
  return new Promise<AssembledBundle>((resolve, reject) => {
    let settled = false;
    const finish = (fn: () => void) => {
      if (settled) return;
      settled = true;
      opts.signal?.removeEventListener('abort', onAbort);
      void worker.terminate();
      fn();
    };
    const onAbort = () => send({ type: 'cancel' });
    opts.signal?.addEventListener('abort', onAbort);
    worker.on('message', (m: FromWorker) => {
      switch (m.type) {
        case 'load': {
          const src = sources[m.load];
          if (src === undefined) return;
          loadBytes(src).then(
            (bytes) => {
              // A copy goes over (structured clone); the caller's bytes are left as they are.
              send({ type: 'bytes', load: m.load, bytes });
              sources[m.load] = new Uint8Array(0); // asked for once; let it go
            },
            (e: unknown) => send({ type: 'bytes-error', load: m.load, error: toErrorData(e) }),
          );
          break;
        }
        case 'progress':
          opts.onProgress?.(m.progress);
          break;
        case 'done':
          finish(() => resolve({ pdf: m.pdf, manifest: m.manifest }));
          break;
        case 'error':
          finish(() => reject(new KesiError(m.error.code, m.error.message, m.error.details)));
          break;
      }
    });
    worker.on('error', (e) =>
      finish(() =>
        reject(new KesiError('INTERNAL', undefined, { reason: e.message.slice(0, 300) })),
      ),
    );
    worker.on('exit', (code) => {
      if (!settled)
        finish(() =>
          reject(
            new KesiError('INTERNAL', undefined, { reason: `the bundle worker stopped (${code})` }),
          ),
        );
    });
    send({
      type: 'start',
      input: { ...input, exhibits: wire },
      generatedAt: opts.generatedAt,
      sign: opts.sign ?? null,
    });
  });
}
