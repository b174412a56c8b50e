// Long work the renderer started (an intake, a bundle, an audit): its AbortController, and the
// progress it reports, pushed to the window that started it. Each job belongs to one caller
// (one window): only that caller's cancelJob stops it, and only that caller hears its progress.
// Progress is throttled (at most one event per THROTTLE_MS; the latest one wins, and the last
// is always sent) so a batch of a thousand small files does not flood the page.
// Plain Node: no electron.
import type { JobKind, ProgressEvent } from '../../shared/contract';
import { KesiError } from '../../shared/errors';

/** About 20 events a second. */
export const THROTTLE_MS = 50;

/** Who called: a stable id of the window, and how to reach it. */
export interface Caller {
  id: string;
  sendProgress(event: ProgressEvent): void;
}

export type ProgressUpdate = Omit<ProgressEvent, 'jobId' | 'kind'>;

export interface JobHandle {
  readonly signal: AbortSignal;
  report(update: ProgressUpdate): void;
}

interface Running {
  owner: string;
  controller: AbortController;
}

export interface JobsOptions {
  throttleMs?: number;
  now?: () => number;
}

export class Jobs {
  private readonly running = new Map<string, Running>();
  private readonly throttleMs: number;
  private readonly now: () => number;
  private seq = 0;

  constructor(opts: JobsOptions = {}) {
    this.throttleMs = opts.throttleMs ?? THROTTLE_MS;
    this.now = opts.now ?? (() => Date.now());
  }

  /** How many jobs run now. */
  get size(): number {
    return this.running.size;
  }

  /**
   * Runs `fn` as a job. Without a job id or a caller it still gets a signal (never aborted but
   * by cancelAll) and a report that goes nowhere. A job id already running is refused.
   */
  async run<T>(
    kind: JobKind,
    jobId: string | undefined,
    caller: Caller | undefined,
    fn: (job: JobHandle) => Promise<T>,
  ): Promise<T> {
    const key = jobId === undefined ? null : this.key(caller, jobId);
    if (key !== null && this.running.has(key)) {
      throw new KesiError('JOB_RUNNING', undefined, { jobId });
    }
    const controller = new AbortController();
    const entry: Running = { owner: caller?.id ?? '', controller };
    const mapKey = key ?? `\u0001${++this.seq}`;
    this.running.set(mapKey, entry);
    const send =
      jobId !== undefined && caller !== undefined
        ? (u: ProgressUpdate) => caller.sendProgress({ jobId, kind, ...u })
        : null;
    const throttle = send ? new Throttle(send, this.throttleMs, this.now) : null;
    try {
      return await fn({
        signal: controller.signal,
        report: (u) => throttle?.push(u),
      });
    } finally {
      throttle?.flush();
      this.running.delete(mapKey);
    }
  }

  /** Stops the caller's job; false when it has no such job running. */
  cancel(caller: Caller | undefined, jobId: string): boolean {
    const entry = this.running.get(this.key(caller, jobId));
    if (entry === undefined) return false;
    entry.controller.abort();
    return true;
  }

  /** Stops every job (the vault is being locked). */
  cancelAll(): void {
    for (const e of this.running.values()) e.controller.abort();
  }

  private key(caller: Caller | undefined, jobId: string): string {
    return `${caller?.id ?? ''}\u0000${jobId}`;
  }
}

/** Sends the first update at once, then at most one per interval; flush sends what waits. */
class Throttle {
  private last = -Infinity;
  private pending: ProgressUpdate | null = null;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly send: (u: ProgressUpdate) => void,
    private readonly intervalMs: number,
    private readonly now: () => number,
  ) {}

  push(u: ProgressUpdate): void {
    const t = this.now();
    if (t - this.last >= this.intervalMs && this.timer === null) {
      this.emit(u, t);
      return;
    }
    this.pending = u;
    this.timer ??= setTimeout(() => this.flush(), Math.max(0, this.last + this.intervalMs - t));
  }

  flush(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    const u = this.pending;
    this.pending = null;
    if (u !== null) this.emit(u, this.now());
  }

  private emit(u: ProgressUpdate, t: number): void {
    this.last = t;
    try {
      this.send(u);
    } catch {
      // A window that went away cannot be told; the work goes on.
    }
  }
}
