// The second transport of the contract (DESIGN.md, "One contract, two transports"): the built
// renderer in real Chromium, its window.kesi bridged with Playwright's exposeBinding to the real
// dispatcher (electron/app/dispatch.ts) over a real vault in a temp folder. The init script
// defines, before any page script runs:
// - window.kesi: the preload's own installKesiApi (same proxy, same error rebuilding), over
//   the binding instead of ipcRenderer.invoke;
// - window.kesiHost: mediaUrl -> this server's /media/ routes; pathForFile -> the paths of
//   File objects the test made and registered (as webUtils.getPathForFile gives the paths of
//   dropped files); onProgress -> the events main would send on PROGRESS_CHANNEL.
// Calls from any frame but the page's main frame, or from another origin, are refused as
// electron/ipc.ts refuses a foreign sender.
import { chromium, type Browser, type Frame, type Page } from 'playwright-core';
import { METHOD_NAMES, type ProgressEvent } from '../../../shared/contract';
import { errorEnvelope } from '../../../shared/envelope';
import { KesiError } from '../../../shared/errors';
import { createDispatcher, type DesktopHost } from '../../../electron/app/dispatch';
import type { AppSession } from '../../../electron/app/session';
import type { Caller } from '../../../electron/app/jobs';
import { MEDIA_PREFIX } from './server';

export const CHROMIUM = '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export interface Bridge {
  browser: Browser;
  page: Page;
  /** Every progress event sent to the page. */
  progress: ProgressEvent[];
  /** Paths the save "dialog" gave, and files the page asked to open. */
  chosen: string[];
  opened: string[];
  /** Uncaught page errors and console errors. */
  pageErrors: string[];
  /** Responses with an HTTP error status: "404 /path". */
  failedResponses: string[];
  close(): Promise<void>;
}

export interface BridgeOptions {
  origin: string;
  session: AppSession;
  /** The preload's installKesiApi, as source text. */
  installKesiApi: string;
  /** Where the save "dialog" puts a file of this name. */
  savePathFor(name: string): string;
}

function initScript(installKesiApi: string): string {
  return `(() => {
  const paths = new WeakMap();
  const listeners = new Set();
  Object.defineProperty(window, '__kesiE2E', {
    value: Object.freeze({
      register(file, path) { paths.set(file, path); },
      emit(e) { for (const l of [...listeners]) { try { l(e); } catch (err) { console.error(err); } } },
    }),
  });
  Object.defineProperty(window, 'kesiHost', {
    value: Object.freeze({
      mediaUrl: (itemId, kind = 'original', page) =>
        '${MEDIA_PREFIX}item/' + itemId + '/' + kind + (kind === 'page' && page !== undefined ? '/' + page : ''),
      pathForFile: (file) => paths.get(file) ?? null,
      onProgress: (listener) => {
        if (typeof listener !== 'function') return () => undefined;
        listeners.add(listener);
        return () => { listeners.delete(listener); };
      },
    }),
    enumerable: true,
  });
  (${installKesiApi})(${JSON.stringify(METHOD_NAMES)}, (method, args) => window.__kesiInvoke(method, args));
})();`;
}

export async function openBridge(opts: BridgeOptions): Promise<Bridge> {
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  const context = await browser.newContext({ viewport: { width: 1280, height: 820 } });
  const page = await context.newPage();
  const progress: ProgressEvent[] = [];
  const chosen: string[] = [];
  const opened: string[] = [];
  const pageErrors: string[] = [];
  const failedResponses: string[] = [];
  page.on('pageerror', (e) => pageErrors.push(String(e)));
  page.on('console', (m) => {
    if (m.type() === 'error') pageErrors.push(m.text());
  });
  page.on('response', (r) => {
    if (r.status() >= 400) failedResponses.push(`${r.status()} ${new URL(r.url()).pathname}`);
  });

  const host: DesktopHost = {
    chooseSavePath: async (name) => {
      const path = opts.savePathFor(name);
      chosen.push(path);
      return path;
    },
    openPath: async (path) => void opened.push(path),
  };
  const dispatch = createDispatcher(() => opts.session, { host, log: () => undefined });
  const caller: Caller = {
    id: 'e2e-page',
    sendProgress: (e) => {
      progress.push(e);
      page
        .evaluate((ev) => (globalThis as unknown as E2eWindow).__kesiE2E.emit(ev), e)
        .catch(() => undefined);
    },
  };
  await page.exposeBinding(
    '__kesiInvoke',
    async (source: { frame: Frame }, method: unknown, args: unknown) => {
      const trusted =
        source.frame === page.mainFrame() && new URL(source.frame.url()).origin === opts.origin;
      if (!trusted) {
        return errorEnvelope(
          new KesiError('FORBIDDEN', 'This request did not come from Kesi.').toData(),
        );
      }
      return dispatch(String(method), args, caller);
    },
  );
  await page.addInitScript({ content: initScript(opts.installKesiApi) });
  return {
    browser,
    page,
    progress,
    chosen,
    opened,
    pageErrors,
    failedResponses,
    close: () => browser.close(),
  };
}

/** What the init script adds to window, for page.evaluate callbacks. */
export interface E2eWindow {
  __kesiE2E: { register(file: unknown, path: string): void; emit(e: ProgressEvent): void };
}
