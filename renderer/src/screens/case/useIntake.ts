// One case's intake: files dropped anywhere on the case (or picked) go in as one batch at a time,
// with progress from the host and one result per file. The case screen owns it, so that the
// progress panel stays in view whichever tab is open.
import { useCallback, useEffect, useReducer, useState } from 'react';
import { host, kesi, newJobId } from '../../api';
import { IDLE, intakeReducer, type IntakeState } from '../../lib/intake';

export interface Intake {
  state: IntakeState;
  running: boolean;
  /** Files are being dragged over the case. */
  over: boolean;
  setOver(over: boolean): void;
  /** Accept files of an unknown type as documents. */
  force: boolean;
  setForce(force: boolean): void;
  start(files: readonly File[]): void;
  cancel(): void;
  clear(): void;
}

export function useIntake(caseRef: string, onAdded: () => void): Intake {
  const [state, dispatch] = useReducer(intakeReducer, IDLE);
  const [over, setOver] = useState(false);
  const [force, setForce] = useState(false);
  const running = state.phase === 'running';

  useEffect(() => host().onProgress((event) => dispatch({ type: 'progress', event })), []);

  const start = useCallback(
    (files: readonly File[]) => {
      if (running || files.length === 0) return;
      const paths: string[] = [];
      const unreadable: string[] = [];
      for (const f of files) {
        const p = host().pathForFile(f);
        if (p) paths.push(p);
        else unreadable.push(f.name);
      }
      const jobId = newJobId();
      dispatch({ type: 'start', jobId, paths, unreadable });
      if (paths.length === 0) {
        dispatch({ type: 'finished', results: [] });
        return;
      }
      kesi.addFiles({ caseRef, paths, force }, jobId).then(
        (results) => {
          dispatch({ type: 'finished', results });
          if (results.some((r) => r.status === 'added')) onAdded();
        },
        (error: unknown) => {
          dispatch({ type: 'failed', error });
          onAdded(); // a cancelled batch keeps what it finished
        },
      );
    },
    [running, caseRef, force, onAdded],
  );

  const cancel = useCallback(() => {
    if (state.jobId === null) return;
    dispatch({ type: 'cancelling' });
    void kesi.cancelJob(state.jobId).catch(() => undefined);
  }, [state.jobId]);

  const clear = useCallback(() => dispatch({ type: 'clear' }), []);

  return { state, running, over, setOver, force, setForce, start, cancel, clear };
}
