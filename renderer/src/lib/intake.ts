// The state of one intake batch: the paths dropped, progress pushed by the host, and one result
// per file at the end. A reducer, so the screen only dispatches. Pure.
import type { AddFileResultView, ProgressEvent } from '../../../shared/contract';

export interface IntakeProgress {
  done: number;
  total: number;
  file: string | null;
  bytesDone: number | null;
  bytesTotal: number | null;
}

export interface IntakeState {
  jobId: string | null;
  phase: 'idle' | 'running' | 'done' | 'failed';
  /** What was dropped or picked (files and folders); names only where no path was given. */
  paths: string[];
  /** Dropped things the host gave no path for (they cannot be taken in). */
  unreadable: string[];
  progress: IntakeProgress | null;
  results: AddFileResultView[];
  error: unknown;
  cancelling: boolean;
}

export type IntakeAction =
  | { type: 'start'; jobId: string; paths: string[]; unreadable: string[] }
  | { type: 'progress'; event: ProgressEvent }
  | { type: 'finished'; results: AddFileResultView[] }
  | { type: 'failed'; error: unknown }
  | { type: 'cancelling' }
  | { type: 'clear' };

export const IDLE: IntakeState = {
  jobId: null,
  phase: 'idle',
  paths: [],
  unreadable: [],
  progress: null,
  results: [],
  error: null,
  cancelling: false,
};

export function intakeReducer(state: IntakeState, action: IntakeAction): IntakeState {
  switch (action.type) {
    case 'start':
      return {
        ...IDLE,
        jobId: action.jobId,
        phase: 'running',
        paths: action.paths,
        unreadable: action.unreadable,
      };
    case 'progress': {
      const e = action.event;
      if (state.phase !== 'running' || e.jobId !== state.jobId || e.kind !== 'intake') return state;
      return {
        ...state,
        progress: {
          done: e.done,
          total: e.total,
          file: e.file ?? null,
          bytesDone: e.bytesDone ?? null,
          bytesTotal: e.bytesTotal ?? null,
        },
      };
    }
    case 'finished':
      return { ...state, phase: 'done', results: action.results, cancelling: false };
    case 'failed':
      return { ...state, phase: 'failed', error: action.error, cancelling: false };
    case 'cancelling':
      return state.phase === 'running' ? { ...state, cancelling: true } : state;
    case 'clear':
      return state.phase === 'running' ? state : IDLE;
  }
}

/**
 * What became of one file, as shown: a file the user's cancel stopped before it was taken in is
 * "cancelled" (nothing wrong with it), not an error.
 */
export type IntakeOutcome = 'added' | 'duplicate' | 'cancelled' | 'error';

export function outcomeOf(r: AddFileResultView): IntakeOutcome {
  return r.status === 'error' && r.error?.code === 'CANCELLED' ? 'cancelled' : r.status;
}

export type IntakeSummary = Record<IntakeOutcome, number>;

export function summarise(results: readonly AddFileResultView[]): IntakeSummary {
  const s: IntakeSummary = { added: 0, duplicate: 0, cancelled: 0, error: 0 };
  for (const r of results) s[outcomeOf(r)]++;
  return s;
}

/** Errors first (they need attention), then duplicates, added, cancelled; stable within each. */
export function orderResults(results: readonly AddFileResultView[]): AddFileResultView[] {
  const rank = { error: 0, duplicate: 1, added: 2, cancelled: 3 } as const;
  return results
    .map((r, i) => ({ r, i }))
    .sort((a, b) => rank[outcomeOf(a.r)] - rank[outcomeOf(b.r)] || a.i - b.i)
    .map((x) => x.r);
}

/** The fraction done (0..1): by bytes of the whole batch when the host sends them, else by files. */
export function fractionDone(p: IntakeProgress | null): number {
  if (p === null) return 0;
  if (p.bytesDone !== null && p.bytesTotal !== null && p.bytesTotal > 0) {
    return Math.min(1, Math.max(0, p.bytesDone / p.bytesTotal));
  }
  return p.total > 0 ? Math.min(1, Math.max(0, p.done / p.total)) : 0;
}

/** The last part of a path, for short display (the full path is in the title). */
export function baseName(path: string): string {
  const parts = path.split(/[\\/]/).filter((s) => s !== '');
  return parts[parts.length - 1] ?? path;
}
