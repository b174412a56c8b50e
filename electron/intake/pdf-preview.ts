// Drawing a PDF's first page for its preview, bounded: one worker thread, started when the first
// PDF comes and stopped when idle, draws one PDF at a time; a PDF that takes longer than the time
// limit has its thread killed (a hostile file can make a parser loop) and gets no preview. The
// bytes go to the thread in memory, never through a file. Without the compiled worker (running
// from sources, as under the tests' TypeScript loader) the drawing runs in this thread, stopped
// between its steps at the limit.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { PreviewReply, PreviewRequest } from './pdf-preview-protocol';
import { renderFirstPage, type RenderedPage } from './pdf-render';

/** Time allowed for one PDF's first page (pdf.js drew every corpus PDF in under 0.7 s). */
export const PDF_PREVIEW_TIMEOUT_MS = 5000;
/** A worker with nothing to draw for this long is stopped, giving back pdf.js's memory. */
const IDLE_MS = 30_000;
/** A PDF that makes pdf.js's heap grow past this kills the worker, not the app. */
const WORKER_HEAP_MB = 1024;

export interface PdfPreviewOptions {
  timeoutMs?: number;
  /** The compiled worker; default pdf-preview-worker.js beside this file; null: this thread. */
  workerFile?: string | null;
}

/** The compiled worker beside this module, or null when running from sources. */
export function pdfPreviewWorkerFile(): string | null {
  const dir = typeof __dirname === 'string' ? __dirname : null;
  if (dir === null) return null;
  const file = join(dir, 'pdf-preview-worker.js');
  return existsSync(file) ? file : null;
}

interface Job {
  data: Uint8Array;
  timeoutMs: number;
  resolve: (p: RenderedPage) => void;
  reject: (e: Error) => void;
}

class PreviewThread {
  private worker: Worker | null = null;
  private queue: Job[] = [];
  private running: { id: number; job: Job; timer: NodeJS.Timeout } | null = null;
  private nextId = 1;
  private idle: NodeJS.Timeout | null = null;

  constructor(private readonly file: string) {}

  render(data: Uint8Array, timeoutMs: number): Promise<RenderedPage> {
    return new Promise((resolve, reject) => {
      this.queue.push({ data, timeoutMs, resolve, reject });
      this.pump();
    });
  }

  private start(): Worker {
    const w = new Worker(this.file, { resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB } });
    w.unref(); // an idle preview thread never keeps the CLI running
    w.on('message', (m: PreviewReply) => {
      const r = this.running;
      if (r === null || r.id !== m.id) return;
      this.finish();
      if (m.ok) r.job.resolve(m.page);
      else r.job.reject(new Error(m.reason));
    });
    const died = (why: string) => {
      if (this.worker !== w) return;
      this.worker = null;
      const r = this.running;
      if (r) {
        this.finish();
        r.job.reject(new Error(why));
      }
    };
    w.on('error', (e) => died(`the preview thread failed: ${e.message.slice(0, 200)}`));
    w.on('exit', (code) => died(`the preview thread stopped (${code})`));
    return w;
  }

  private pump(): void {
    if (this.running !== null) return;
    const job = this.queue.shift();
    if (job === undefined) {
      this.idle ??= setTimeout(() => this.stop(), IDLE_MS).unref();
      return;
    }
    if (this.idle) clearTimeout(this.idle);
    this.idle = null;
    const w = (this.worker ??= this.start());
    const id = this.nextId++;
    // The timer is not unref'd: a drawing under way keeps the process alive until it ends.
    const timer = setTimeout(() => {
      this.stop();
      job.reject(new Error(`the first page took longer than ${job.timeoutMs / 1000} s to draw`));
    }, job.timeoutMs);
    this.running = { id, job, timer };
    const msg: PreviewRequest = { id, data: job.data, timeoutMs: job.timeoutMs };
    w.postMessage(msg, [job.data.buffer as ArrayBuffer]);
  }

  private finish(): void {
    if (this.running) clearTimeout(this.running.timer);
    this.running = null;
    setImmediate(() => this.pump());
  }

  /** Kills the thread (at the time limit, or when idle); the next PDF starts a new one. */
  private stop(): void {
    const w = this.worker;
    this.worker = null;
    if (this.idle) clearTimeout(this.idle);
    this.idle = null;
    if (this.running) this.finish();
    if (w) void w.terminate();
  }
}

const threads = new Map<string, PreviewThread>();

/**
 * The first page of a PDF drawn upright at PREVIEW_EDGE pixels on its long edge, as RGBA on
 * white. Rejects (with a plain Error saying why) when pdf.js cannot draw it or the time limit
 * passes; the caller decides what that means.
 */
export async function drawPdfFirstPage(
  buf: Uint8Array,
  opts: PdfPreviewOptions = {},
): Promise<RenderedPage> {
  const timeoutMs = opts.timeoutMs ?? PDF_PREVIEW_TIMEOUT_MS;
  const file = opts.workerFile === undefined ? pdfPreviewWorkerFile() : opts.workerFile;
  const copy = Uint8Array.from(buf); // pdf.js takes over the bytes it is given
  if (file === null) return renderFirstPage(copy, Date.now() + timeoutMs);
  let t = threads.get(file);
  if (t === undefined) threads.set(file, (t = new PreviewThread(file)));
  return t.render(copy, timeoutMs);
}
