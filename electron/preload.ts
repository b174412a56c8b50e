// The preload of the app window: defines `window.kesi`, a typed proxy with one async function
// per contract method over ipcRenderer.invoke('kesi:<method>', ...args), which returns the
// value of the reply's envelope or throws an Error carrying the error's code and message.
//
// Constraints, and how they are met:
// - A sandboxed preload is CommonJS that can require 'electron' and nothing else at runtime: a
//   relative import (e.g. shared/contract.ts) would fail when the window opens. Only `import
//   type` of the contract appears here; it is erased at compile time.
// - The method names therefore come from the main process, which imports the contract: it puts
//   them in the window's `additionalArguments` (`--kesi-methods=a,b,c`, made by
//   electron/app/preload-args.ts), which Electron appends to the renderer's process.argv, where
//   the preload reads them synchronously before any page script runs. No generated file to keep
//   in step, no synchronous IPC. The main process checks every call again anyway (an unknown
//   channel has no handler; arguments are parsed there).
// - contextBridge copies Errors thrown across worlds with their message only: a `code` property
//   would be lost. So the proxy itself is built in the page's own world, with
//   contextBridge.executeInMainWorld, around one bridged function that returns the raw envelope;
//   its errors are created in the page's world and keep `code` and `details`.
import { contextBridge, ipcRenderer, webUtils } from 'electron';
import type { KesiApi, KesiHost } from '../shared/contract';
import type { Envelope } from '../shared/envelope';

/** What installKesiApi puts on the page's window (the renderer declares it from the contract). */
export type InstalledApi = KesiApi;
/** What the preload exposes as window.kesiHost. */
export type InstalledHost = KesiHost;

// Kept equal to electron/app/preload-args.ts and shared/contract.ts (unit tests check).
const METHODS_ARG_PREFIX = '--kesi-methods=';
const METHOD_NAME_PATTERN = /^[a-z][A-Za-z0-9]{0,63}$/;
const CHANNEL_PREFIX = 'kesi:';
const PROGRESS_CHANNEL = 'kesi:progress';
const MEDIA_SCHEME = 'kesi-media';

/** The method names handed over by the main process, checked one by one. */
export function methodNamesFromArgv(argv: readonly string[]): string[] {
  const arg = argv.find((a) => a.startsWith(METHODS_ARG_PREFIX));
  if (arg === undefined) return [];
  const names = arg
    .slice(METHODS_ARG_PREFIX.length)
    .split(',')
    .filter((n) => METHOD_NAME_PATTERN.test(n));
  return [...new Set(names)];
}

/**
 * Runs in the page's world (serialised by executeInMainWorld, so it must use nothing from
 * outside itself): defines window.kesi over the bridged `invoke`.
 */
export function installKesiApi(
  names: string[],
  invoke: (method: string, args: unknown[]) => Promise<unknown>,
  target: object = globalThis,
): void {
  const fail = (error: unknown): never => {
    const e = (typeof error === 'object' && error !== null ? error : {}) as {
      code?: unknown;
      message?: unknown;
      details?: unknown;
    };
    const message = typeof e.message === 'string' ? e.message : 'Something went wrong inside Kesi.';
    throw Object.assign(new Error(message), {
      name: 'KesiCallError',
      code: typeof e.code === 'string' ? e.code : 'INTERNAL',
      details: e.details,
    });
  };
  const api: Record<string, (...args: unknown[]) => Promise<unknown>> = {};
  for (const name of names) {
    api[name] = async (...args: unknown[]) => {
      const reply = (await invoke(name, args)) as {
        ok?: unknown;
        value?: unknown;
        error?: unknown;
      } | null;
      if (reply !== null && typeof reply === 'object' && reply.ok === true) return reply.value;
      if (reply !== null && typeof reply === 'object' && reply.ok === false) {
        return fail(reply.error);
      }
      return fail({ code: 'INTERNAL', message: 'Kesi sent a reply that cannot be read.' });
    };
  }
  Object.defineProperty(target, 'kesi', {
    value: Object.freeze(api),
    enumerable: true,
    writable: false,
    configurable: false,
  });
}

const names = methodNamesFromArgv(process.argv);
const allowed = new Set(names);

function invoke(method: string, args: unknown[]): Promise<Envelope> {
  if (!allowed.has(method) || !Array.isArray(args)) {
    return Promise.resolve({
      ok: false,
      error: { code: 'BAD_INPUT', message: 'There is no such request.' },
    });
  }
  return ipcRenderer.invoke(`${CHANNEL_PREFIX}${method}`, ...args) as Promise<Envelope>;
}

contextBridge.executeInMainWorld({ func: installKesiApi, args: [names, invoke] });

// window.kesiHost (KesiHost in shared/contract.ts): what the page needs besides the contract.
// - pathForFile: the page sees File objects only; their paths (what addFiles takes) are read
//   here. Electron 32 and later no longer put a path on File.
// - mediaUrl: the kesi-media:// address of an item's bytes (same as shared mediaUrl).
// - onProgress: progress of long work, pushed by main to this window only; the IPC event
//   object (which carries the sender) never reaches the page.
export function mediaUrlOf(itemId: number, kind: string = 'original', page?: number): string {
  const tail = kind === 'page' && page !== undefined ? `/${page}` : '';
  return `${MEDIA_SCHEME}://item/${itemId}/${kind}${tail}`;
}

contextBridge.exposeInMainWorld('kesiHost', {
  mediaUrl: (itemId: number, kind?: string, page?: number): string =>
    mediaUrlOf(itemId, kind, page),
  pathForFile: (file: unknown): string | null => {
    try {
      const path = webUtils.getPathForFile(file as never);
      return path === '' ? null : path;
    } catch {
      return null;
    }
  },
  onProgress: (listener: (e: unknown) => void): (() => void) => {
    if (typeof listener !== 'function') return () => undefined;
    const relay = (_event: unknown, e: unknown): void => listener(e);
    ipcRenderer.on(PROGRESS_CHANNEL, relay);
    return () => {
      ipcRenderer.removeListener(PROGRESS_CHANNEL, relay);
    };
  },
});
