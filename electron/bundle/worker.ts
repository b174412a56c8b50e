// The bundle worker thread: assembles (and signs) a bundle off the main thread, asking the
// main thread for each exhibit's bytes when it gets to it. Started by run.ts.
import { parentPort } from 'node:worker_threads';
import { KesiError, toErrorData } from '../../shared/errors';
import { assembleBundle } from './assemble';
import { assembleSignedBundle } from './sign';
import type { BundleExhibit, BundleInput, BundleProgress, ExhibitContent } from './types';
import type { FromWorker, StartMessage, ToWorker, WireContent } from './worker-protocol';

const port = parentPort;
if (!port) throw new Error('the bundle worker runs as a worker thread');

const pending = new Map<
  number,
  { resolve: (b: Uint8Array) => void; reject: (e: unknown) => void }
>();
const controller = new AbortController();

function post(message: FromWorker, transfer: ArrayBuffer[] = []): void {
  port?.postMessage(message, transfer);
}

function loader(load: number): () => Promise<Uint8Array> {
  return () =>
    new Promise<Uint8Array>((resolve, reject) => {
      pending.set(load, { resolve, reject });
      post({ type: 'load', load });
    });
}

function content(c: WireContent): ExhibitContent {
  switch (c.type) {
    case 'pdf':
      return { type: 'pdf', bytes: loader(c.load) };
    case 'docx':
      return { type: 'docx', bytes: loader(c.load) };
    case 'image':
      return {
        type: 'image',
        pageImageJpeg: loader(c.load),
        width: c.width,
        height: c.height,
        ...(c.pageImageSha256 !== undefined ? { pageImageSha256: c.pageImageSha256 } : {}),
      };
    default:
      return c;
  }
}

async function start(m: StartMessage): Promise<void> {
  const input: BundleInput = {
    ...m.input,
    exhibits: m.input.exhibits.map((e): BundleExhibit => ({ ...e, content: content(e.content) })),
  };
  const opts = {
    generatedAt: m.generatedAt,
    signal: controller.signal,
    onProgress: (progress: BundleProgress) => post({ type: 'progress', progress }),
  };
  try {
    const { pdf, manifest } = m.sign
      ? await assembleSignedBundle(input, { ...opts, ...m.sign })
      : await assembleBundle(input, opts);
    const whole = pdf.byteOffset === 0 && pdf.byteLength === pdf.buffer.byteLength;
    post({ type: 'done', pdf, manifest }, whole ? [pdf.buffer as ArrayBuffer] : []);
  } catch (e) {
    post({ type: 'error', error: toErrorData(e instanceof KesiError ? e : internal(e)) });
  }
}

function internal(e: unknown): KesiError {
  return new KesiError('INTERNAL', undefined, {
    reason: e instanceof Error ? e.message.slice(0, 300) : String(e),
  });
}

port.on('message', (m: ToWorker) => {
  switch (m.type) {
    case 'start':
      void start(m);
      break;
    case 'bytes': {
      const p = pending.get(m.load);
      pending.delete(m.load);
      p?.resolve(m.bytes);
      break;
    }
    case 'bytes-error': {
      const p = pending.get(m.load);
      pending.delete(m.load);
      p?.reject(new KesiError(m.error.code, m.error.message, m.error.details));
      break;
    }
    case 'cancel':
      controller.abort();
      break;
  }
});
