import { describe, expect, it } from 'vitest';
import type { AddFileResultView, ProgressEvent } from '../../shared/contract';
import {
  IDLE,
  baseName,
  fractionDone,
  intakeReducer,
  orderResults,
  outcomeOf,
  summarise,
  type IntakeState,
} from '../../renderer/src/lib/intake';

const progress = (p: Partial<ProgressEvent>): ProgressEvent => ({
  jobId: 'job-1',
  kind: 'intake',
  done: 0,
  total: 3,
  ...p,
});

function started(): IntakeState {
  return intakeReducer(IDLE, {
    type: 'start',
    jobId: 'job-1',
    paths: ['/e/a.jpg', '/e/folder'],
    unreadable: ['made-in-page.txt'],
  });
}

describe('intake state', () => {
  it('follows the progress of its own job only', () => {
    let s = started();
    s = intakeReducer(s, { type: 'progress', event: progress({ jobId: 'other', done: 2 }) });
    expect(s.progress).toBeNull();
    s = intakeReducer(s, { type: 'progress', event: progress({ kind: 'bundle', done: 2 }) });
    expect(s.progress).toBeNull();
    s = intakeReducer(s, {
      type: 'progress',
      event: progress({ done: 1, file: '/e/folder/b.png', bytesDone: 50, bytesTotal: 200 }),
    });
    expect(s.progress).toEqual({
      done: 1,
      total: 3,
      file: '/e/folder/b.png',
      bytesDone: 50,
      bytesTotal: 200,
    });
    expect(fractionDone(s.progress)).toBe(0.25);
  });

  it('keeps the results and ignores late progress once finished', () => {
    const results: AddFileResultView[] = [
      { file: '/e/a.jpg', status: 'added', itemId: 1 },
      {
        file: '/e/folder/run.sh',
        status: 'error',
        error: { code: 'EXECUTABLE_REFUSED', message: 'x' },
      },
      { file: '/e/folder/b.png', status: 'duplicate', itemId: 2 },
      { file: '/e/folder/c.png', status: 'added', itemId: 3 },
      { file: '/e/d.png', status: 'error', error: { code: 'CANCELLED', message: 'x' } },
    ];
    let s = intakeReducer(started(), { type: 'finished', results });
    s = intakeReducer(s, { type: 'progress', event: progress({ done: 3 }) });
    expect(s.phase).toBe('done');
    expect(s.progress).toBeNull();
    // A file the cancel stopped is counted apart from the files that failed.
    expect(summarise(s.results)).toEqual({ added: 2, duplicate: 1, cancelled: 1, error: 1 });
    expect(results.map(outcomeOf)).toEqual(['added', 'error', 'duplicate', 'added', 'cancelled']);
    expect(orderResults(s.results).map((r) => baseName(r.file))).toEqual([
      'run.sh',
      'b.png',
      'a.jpg',
      'c.png',
      'd.png',
    ]);
    expect(intakeReducer(s, { type: 'clear' })).toEqual(IDLE);
  });

  it('cannot be cleared while it runs; a failure keeps its error', () => {
    const s = started();
    expect(intakeReducer(s, { type: 'clear' })).toBe(s);
    const cancelling = intakeReducer(s, { type: 'cancelling' });
    expect(cancelling.cancelling).toBe(true);
    const failed = intakeReducer(cancelling, { type: 'failed', error: { code: 'CANCELLED' } });
    expect(failed).toMatchObject({
      phase: 'failed',
      cancelling: false,
      error: { code: 'CANCELLED' },
    });
  });

  it('measures progress by bytes when known, else by files', () => {
    expect(fractionDone(null)).toBe(0);
    const base = { file: null, bytesDone: null, bytesTotal: null };
    expect(fractionDone({ ...base, done: 1, total: 4 })).toBe(0.25);
    expect(fractionDone({ ...base, done: 0, total: 0 })).toBe(0);
    expect(fractionDone({ ...base, done: 1, total: 4, bytesDone: 900, bytesTotal: 1000 })).toBe(
      0.9,
    );
    expect(fractionDone({ ...base, done: 1, total: 4, bytesDone: 2000, bytesTotal: 1000 })).toBe(1);
  });

  it('shows Windows and POSIX paths by their last part', () => {
    expect(baseName('C:\\Users\\amina\\IMG_1.jpg')).toBe('IMG_1.jpg');
    expect(baseName('/home/amina/evidence/')).toBe('evidence');
  });
});
