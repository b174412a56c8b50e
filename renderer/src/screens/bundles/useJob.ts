// A long call (a bundle, an audit) run as a job: its progress events from window.kesiHost, and a
// cancel that asks main to stop it. The page never blocks: the call runs in main (or its
// worker) and this only listens.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { ProgressEvent } from '../../../../shared/contract';
import { host, kesi, newJobId } from '../../api';

export interface JobState {
  /** The job running now, or null. */
  jobId: string | null;
  progress: ProgressEvent | null;
  cancelling: boolean;
  /** Runs `fn` with a new job id; progress for that id is kept until it ends. */
  run<T>(fn: (jobId: string) => Promise<T>): Promise<T>;
  cancel(): void;
}

export function useJob(): JobState {
  const [jobId, setJobId] = useState<string | null>(null);
  const [progress, setProgress] = useState<ProgressEvent | null>(null);
  const [cancelling, setCancelling] = useState(false);
  const current = useRef<string | null>(null);

  useEffect(
    () =>
      host().onProgress((e) => {
        if (e.jobId === current.current) setProgress(e);
      }),
    [],
  );

  const run = useCallback(async <T>(fn: (id: string) => Promise<T>): Promise<T> => {
    const id = newJobId();
    current.current = id;
    setJobId(id);
    setProgress(null);
    setCancelling(false);
    try {
      return await fn(id);
    } finally {
      current.current = null;
      setJobId(null);
      setCancelling(false);
    }
  }, []);

  const cancel = useCallback(() => {
    const id = current.current;
    if (id === null) return;
    setCancelling(true);
    void kesi.cancelJob(id).catch(() => undefined);
  }, []);

  return { jobId, progress, cancelling, run, cancel };
}

/** done/total as a whole percentage, or null when the total is not known yet. */
export function percent(p: ProgressEvent | null): number | null {
  if (p === null || p.total <= 0) return null;
  return Math.max(0, Math.min(100, Math.round((p.done / p.total) * 100)));
}
