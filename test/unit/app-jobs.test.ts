// electron/app/jobs.ts: progress throttled per job, sent to the caller that started it only,
// and cancel by that caller only.
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ProgressEvent } from '../../shared/contract';
import { Jobs, THROTTLE_MS, type Caller } from '../../electron/app/jobs';

function caller(id: string): Caller & { events: ProgressEvent[] } {
  const events: ProgressEvent[] = [];
  return { id, events, sendProgress: (e) => void events.push(e) };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('Jobs', () => {
  it('sends at most one event per interval, the latest one, and always the last', async () => {
    vi.useFakeTimers();
    const jobs = new Jobs();
    const a = caller('a');
    let report!: (n: number) => void;
    let finish!: () => void;
    const done = jobs.run('intake', 'j', a, (job) => {
      report = (n) => job.report({ done: n, total: 1000 });
      return new Promise<void>((r) => (finish = r));
    });
    // A thousand updates within one interval: the first goes at once, the rest wait.
    for (let n = 1; n <= 1000; n++) report(n);
    expect(a.events.map((e) => e.done)).toEqual([1]);
    vi.advanceTimersByTime(THROTTLE_MS);
    expect(a.events.map((e) => e.done)).toEqual([1, 1000]);
    // Over one simulated second of steady updates: about 20 events, never more than 21.
    a.events.length = 0;
    for (let ms = 0; ms < 1000; ms++) {
      report(ms);
      vi.advanceTimersByTime(1);
    }
    expect(a.events.length).toBeGreaterThanOrEqual(19);
    expect(a.events.length).toBeLessThanOrEqual(21);
    // The final update is sent when the job ends, however soon after the previous one.
    report(999_999);
    finish();
    await done;
    expect(a.events.at(-1)).toEqual({ jobId: 'j', kind: 'intake', done: 999_999, total: 1000 });
  });

  it("cancels only the caller's own job, and refuses a job id already running", async () => {
    const jobs = new Jobs();
    const a = caller('a');
    const b = caller('b');
    let signal!: AbortSignal;
    const running = jobs.run('audit', 'x', a, (job) => {
      signal = job.signal;
      return new Promise((_r, reject) =>
        job.signal.addEventListener('abort', () => reject(new Error('stopped'))),
      );
    });
    await expect(jobs.run('audit', 'x', a, async () => 1)).rejects.toMatchObject({
      code: 'JOB_RUNNING',
    });
    // The same id in another window is another job.
    await expect(jobs.run('audit', 'x', b, async () => 2)).resolves.toBe(2);
    expect(jobs.cancel(b, 'x')).toBe(false);
    expect(signal.aborted).toBe(false);
    expect(jobs.cancel(a, 'x')).toBe(true);
    expect(signal.aborted).toBe(true);
    await expect(running).rejects.toThrow('stopped');
    expect(jobs.size).toBe(0);
  });

  it('gives a job without an id a signal that cancelAll stops, and reports nowhere', async () => {
    const jobs = new Jobs();
    const a = caller('a');
    let signal!: AbortSignal;
    const running = jobs.run('bundle', undefined, a, (job) => {
      signal = job.signal;
      job.report({ done: 1, total: 2 });
      return new Promise((_r, reject) =>
        job.signal.addEventListener('abort', () => reject(new Error('locked'))),
      );
    });
    expect(jobs.size).toBe(1);
    jobs.cancelAll();
    expect(signal.aborted).toBe(true);
    await expect(running).rejects.toThrow('locked');
    expect(a.events).toEqual([]);
  });
});
