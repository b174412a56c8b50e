// Calls to the vault from components: `useCall` loads data, `useAction` runs a change; both keep
// the error, which `useErrorText` turns into words in the current language by its code.
import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorText } from '../lib/errors';

export interface CallState<T> {
  data: T | undefined;
  error: unknown;
  loading: boolean;
  reload(): void;
  setData(update: (prev: T | undefined) => T | undefined): void;
}

/** Runs `fn` now and whenever `deps` change; a stale answer never overwrites a newer one. */
export function useCall<T>(fn: () => Promise<T>, deps: readonly unknown[]): CallState<T> {
  const [data, setDataState] = useState<T | undefined>(undefined);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(true);
  const [tick, setTick] = useState(0);
  const fnRef = useRef(fn);
  fnRef.current = fn;
  useEffect(() => {
    let live = true;
    setLoading(true);
    setError(null);
    fnRef.current().then(
      (value) => {
        if (!live) return;
        setDataState(value);
        setLoading(false);
      },
      (e: unknown) => {
        if (!live) return;
        setError(e);
        setLoading(false);
      },
    );
    return () => {
      live = false;
    };
  }, [...deps, tick]);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  const setData = useCallback(
    (update: (prev: T | undefined) => T | undefined) => setDataState(update),
    [],
  );
  return { data, error, loading, reload, setData };
}

export interface ActionState<A extends unknown[], T> {
  run(...args: A): Promise<T | undefined>;
  busy: boolean;
  error: unknown;
  reset(): void;
}

/** A change started by the user: busy while it runs; the error kept until the next run. */
export function useAction<A extends unknown[], T>(
  fn: (...args: A) => Promise<T>,
): ActionState<A, T> {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const fnRef = useRef(fn);
  fnRef.current = fn;
  const run = useCallback(async (...args: A) => {
    setBusy(true);
    setError(null);
    try {
      return await fnRef.current(...args);
    } catch (e) {
      setError(e);
      return undefined;
    } finally {
      setBusy(false);
    }
  }, []);
  const reset = useCallback(() => setError(null), []);
  return { run, busy, error, reset };
}

/** Words for an error thrown by a `window.kesi` call, in the current language. */
export function useErrorText(): (e: unknown) => string {
  const { t } = useTranslation('errors');
  return useCallback((e: unknown) => errorText(t, e), [t]);
}
