// The page's only way to the vault: `window.kesi` (the contract, shared/contract.ts) and
// `window.kesiHost` (what only the host can give: media URLs, paths of dropped files, progress).
// Every call goes through `kesi` below, which notices VAULT_LOCKED (after the idle auto-lock, or
// a lock from elsewhere) and tells the app to go back to the unlock screen.
import type { KesiApi, KesiHost, MediaKind, ProgressEvent } from '../../shared/contract';
import { errorCodeOf } from '../../shared/envelope';

declare global {
  interface Window {
    kesi: KesiApi;
    kesiHost: KesiHost;
  }
}

export type { KesiHost, ProgressEvent };

const lockedListeners = new Set<() => void>();

/** Called whenever a call fails with VAULT_LOCKED; returns the unsubscribe function. */
export function onVaultLocked(listener: () => void): () => void {
  lockedListeners.add(listener);
  return () => lockedListeners.delete(listener);
}

function call(method: string, args: unknown[]): Promise<unknown> {
  const fn = (window.kesi as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>)[
    method
  ];
  if (typeof fn !== 'function') {
    return Promise.reject(
      Object.assign(new Error('There is no such request.'), { code: 'BAD_INPUT' }),
    );
  }
  return fn(...args).catch((e: unknown) => {
    if (errorCodeOf(e) === 'VAULT_LOCKED') for (const l of lockedListeners) l();
    throw e;
  });
}

/** `window.kesi`, with VAULT_LOCKED noticed on the way back. */
export const kesi: KesiApi = new Proxy({} as KesiApi, {
  // 'then' stays undefined so that the object is never taken for a promise.
  get: (_target, method) =>
    typeof method === 'string' && method !== 'then'
      ? (...args: unknown[]) => call(method, args)
      : undefined,
});

export function host(): KesiHost {
  return window.kesiHost;
}

export function mediaUrl(itemId: number, kind: MediaKind, page?: number): string {
  return host().mediaUrl(itemId, kind, page);
}

/** A job id for a long call, so that its progress events can be told apart. */
export function newJobId(): string {
  return crypto.randomUUID();
}
