// The Electron main process: app lifecycle, the one window, the kesi-app:// and kesi-media://
// protocols, and the wiring of the contract. Everything with logic lives in electron/app/
// (plain Node, unit-tested); this file only connects it to Electron.
//
// The window's defences, in one place:
// - contextIsolation, sandbox, no Node in the page, webSecurity, no <webview>, no spellchecker
//   (on Linux it downloads dictionaries), no navigation on dropped files;
// - an in-memory session of its own (partition without "persist:"): nothing the page loads is
//   cached on disk;
// - the page comes from kesi-app://app (dist-renderer/), never file://; every response carries
//   the CSP (RENDERER_CSP) as a header, and onHeadersReceived adds it to anything else;
// - requests to any other scheme (http, https, file, ...) are cancelled: Kesi works offline;
// - navigation, redirects, window.open, downloads and every permission request are refused;
// - IPC: only the app's own top-level page may call (electron/ipc.ts).
import {
  app,
  BrowserWindow,
  dialog,
  ipcMain,
  protocol,
  session as sessions,
  shell,
  type Session,
  type WebContents,
} from 'electron';
import { join, resolve } from 'node:path';
import { MEDIA_SCHEME } from '../shared/contract';
import {
  APP_INDEX_URL,
  APP_ORIGIN,
  APP_SCHEME,
  RENDERER_CSP,
  createAppFileHandler,
} from './app/app-protocol';
import { createDispatcher, type DesktopHost } from './app/dispatch';
import { createMediaHandler } from './app/media';
import { methodsArgument } from './app/preload-args';
import { AppSession, type LockReason } from './app/session';
import { readSettings, writeSettings, type AppSettings } from './app/settings';
import { isAppSender, registerIpc } from './ipc';

const PARTITION = 'kesi';
const ALLOWED_SCHEMES = new Set([`${APP_SCHEME}:`, `${MEDIA_SCHEME}:`, 'blob:', 'data:']);

// Both schemes behave like https: a real origin, fetch(), and (for media) streaming for
// <video>/<audio>. This must happen before the app is ready.
protocol.registerSchemesAsPrivileged([
  { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
  {
    scheme: MEDIA_SCHEME,
    // corsEnabled: the page (kesi-app://app) fetches evidence bytes for pdf.js.
    privileges: {
      standard: true,
      secure: true,
      supportFetchAPI: true,
      stream: true,
      corsEnabled: true,
    },
  },
]);
app.enableSandbox();

/** The vault folder: --vault=DIR, then KESI_VAULT, then the settings, then <userData>/vault. */
function vaultDir(settingsDir: string | undefined): string {
  const flag = process.argv.find((a) => a.startsWith('--vault='));
  if (flag) return resolve(flag.slice('--vault='.length));
  if (process.env['KESI_VAULT']) return resolve(process.env['KESI_VAULT']);
  if (settingsDir) return resolve(settingsDir);
  return join(app.getPath('userData'), 'vault');
}

function hardenSession(ses: Session): void {
  ses.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  ses.setPermissionCheckHandler(() => false);
  ses.setDevicePermissionHandler(() => false);
  ses.on('will-download', (event) => event.preventDefault());
  ses.webRequest.onBeforeRequest((details, callback) => {
    let scheme = '';
    try {
      scheme = new URL(details.url).protocol;
    } catch {
      scheme = '';
    }
    callback({ cancel: !ALLOWED_SCHEMES.has(scheme) });
  });
  ses.webRequest.onHeadersReceived((details, callback) => {
    callback({
      responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [RENDERER_CSP] },
    });
  });
}

function hardenContents(contents: WebContents): void {
  contents.on('will-navigate', (event) => event.preventDefault());
  contents.on('will-frame-navigate', (event) => event.preventDefault());
  contents.on('will-redirect', (event) => event.preventDefault());
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
}

async function start(): Promise<void> {
  await app.whenReady();
  const settingsFile = join(app.getPath('userData'), 'settings.json');
  const settings = readSettings(settingsFile);
  const saveSettings = (change: AppSettings): void => {
    try {
      writeSettings(settingsFile, { ...readSettings(settingsFile), ...change });
    } catch (e) {
      console.error(`[kesi] settings not saved: ${e instanceof Error ? e.message : String(e)}`);
    }
  };
  let win: BrowserWindow | null = null;

  const backToUnlock = (reason: LockReason): void => {
    // A reload drops everything the page held (names, thumbnails) and shows the unlock screen.
    if (reason === 'idle' || reason === 'request') {
      setImmediate(() => win?.webContents.reload());
    }
  };
  const kesi = new AppSession({
    dir: vaultDir(settings.vaultDir),
    ...(settings.autoLockMinutes === undefined
      ? {}
      : { autoLockMinutes: settings.autoLockMinutes }),
    onLock: backToUnlock,
    ...(settings.language === undefined ? {} : { language: settings.language }),
    onAutoLockChange: (minutes) => saveSettings({ autoLockMinutes: minutes }),
    onLanguageChange: (language) => saveSettings({ language }),
  });

  // Files Kesi writes go only where the user chose in a save dialog of main's own; only those
  // are ever opened (electron/app/dispatch.ts keeps the lists).
  const desktop: DesktopHost = {
    chooseSavePath: async (suggestedName) => {
      const options = { defaultPath: join(app.getPath('documents'), suggestedName) };
      const r = win
        ? await dialog.showSaveDialog(win, options)
        : await dialog.showSaveDialog(options);
      return r.canceled || !r.filePath ? null : r.filePath;
    },
    openPath: async (path) => {
      const error = await shell.openPath(path);
      if (error !== '') throw new Error(error);
    },
  };
  registerIpc(
    ipcMain,
    createDispatcher(() => kesi, { host: desktop }),
    isAppSender,
  );

  const ses = sessions.fromPartition(PARTITION);
  hardenSession(ses);
  ses.protocol.handle(APP_SCHEME, createAppFileHandler(join(app.getAppPath(), 'dist-renderer')));
  ses.protocol.handle(
    MEDIA_SCHEME,
    createMediaHandler(() => kesi.serviceOrNull(), { allowOrigin: APP_ORIGIN }),
  );

  app.on('web-contents-created', (_event, contents) => hardenContents(contents));
  app.on('second-instance', () => {
    if (win) {
      if (win.isMinimized()) win.restore();
      win.focus();
    }
  });
  app.on('window-all-closed', () => app.quit());
  app.on('before-quit', () => kesi.lock('quit'));

  win = new BrowserWindow({
    width: 1280,
    height: 820,
    minWidth: 960,
    minHeight: 600,
    show: false,
    title: 'Kesi',
    backgroundColor: '#f4f4f2',
    webPreferences: {
      preload: join(__dirname, 'preload.js'),
      session: ses,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInSubFrames: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
      navigateOnDragDrop: false,
      safeDialogs: true,
      devTools: !app.isPackaged,
      additionalArguments: [methodsArgument()],
    },
  });
  hardenContents(win.webContents);
  win.webContents.on('input-event', () => kesi.touch());
  win.once('ready-to-show', () => win?.show());
  win.on('close', () => kesi.lock('close'));
  win.on('closed', () => {
    win = null;
  });
  await win.loadURL(APP_INDEX_URL);
}

if (!app.requestSingleInstanceLock()) {
  // One app per user: two processes on one vault would fight over its catalogue.
  app.quit();
} else {
  start().catch((e: unknown) => {
    console.error(
      `[kesi] start failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`,
    );
    app.exit(1);
  });
}
