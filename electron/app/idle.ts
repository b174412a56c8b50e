// The idle auto-lock timer. Activity only stamps a time (cheap enough for every mouse move);
// one timer runs and, when it fires early because of activity, waits for the remainder.
// Work in progress (an intake, an audit) holds the lock off: closing the catalogue under a
// running operation would abort it halfway. Plain Node, so tests drive it with fake timers.

export interface IdleTimerOptions {
  /** Idle time before onIdle, in milliseconds. */
  delayMs: number;
  onIdle: () => void;
  now?: () => number;
}

export class IdleTimer {
  private delayMs: number;
  private readonly onIdle: () => void;
  private readonly now: () => number;
  private last: number;
  private busy = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;

  constructor(opts: IdleTimerOptions) {
    this.delayMs = opts.delayMs;
    this.onIdle = opts.onIdle;
    this.now = opts.now ?? (() => Date.now());
    this.last = this.now();
  }

  get running(): boolean {
    return this.timer !== null;
  }

  /** Starts (or restarts) counting from now. */
  start(): void {
    this.last = this.now();
    this.arm(this.delayMs);
  }

  stop(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }

  /** Activity: the idle time counts from now. */
  touch(): void {
    this.last = this.now();
  }

  setDelay(delayMs: number): void {
    this.delayMs = delayMs;
    if (this.running) this.arm(Math.max(0, this.last + delayMs - this.now()));
  }

  /** Runs `fn` as activity that holds the lock off until it ends. */
  async hold<T>(fn: () => Promise<T> | T): Promise<T> {
    this.busy++;
    this.touch();
    try {
      return await fn();
    } finally {
      this.busy--;
      this.touch();
    }
  }

  private arm(ms: number): void {
    this.stop();
    const t = setTimeout(() => this.fire(), ms);
    // Never keeps a plain Node process (tests, tools) alive on its own.
    if (typeof t === 'object' && typeof t.unref === 'function') t.unref();
    this.timer = t;
  }

  private fire(): void {
    this.timer = null;
    const left = this.last + this.delayMs - this.now();
    if (this.busy > 0) return this.arm(this.delayMs);
    if (left > 0) return this.arm(left);
    this.onIdle();
  }
}
