// The Electron transport of the contract: one ipcMain handler per contract method, on the
// channel `kesi:<method>`. Each call: the sender must be a top-level frame of the app's own
// origin (kesi-app://app), or the reply is FORBIDDEN and nothing else runs; then `dispatch`
// parses the arguments with the contract's zod schema and calls the service. Replies are
// always envelopes; nothing is thrown across IPC (Electron would put internals in the
// message). Only electron types are imported here, so tests pass a fake ipcMain.
//
// Progress of long work goes back on PROGRESS_CHANNEL to the webContents that made the call,
// and to no other: each window is its own caller (electron/app/jobs.ts), so one window can
// neither hear nor cancel another's jobs.
import type { IpcMain, IpcMainInvokeEvent, WebContents } from 'electron';
import { METHOD_NAMES, PROGRESS_CHANNEL, channelOf, type ProgressEvent } from '../shared/contract';
import { errorEnvelope, type Envelope } from '../shared/envelope';
import { KesiError } from '../shared/errors';
import { isAppUrl } from './app/app-protocol';
import type { Dispatch } from './app/dispatch';
import type { Caller } from './app/jobs';

export type SenderCheck = (event: IpcMainInvokeEvent) => boolean;
export type IpcMainLike = Pick<IpcMain, 'handle' | 'removeHandler'>;

/** The app's own page, in its top-level frame (not an iframe, not a navigated-away frame). */
export function isAppSender(event: IpcMainInvokeEvent): boolean {
  const frame = event.senderFrame;
  return frame !== null && frame.parent === null && isAppUrl(frame.url);
}

/** The window behind a call, as a caller that hears its own progress. */
export function callerOf(sender: Pick<WebContents, 'id' | 'send' | 'isDestroyed'>): Caller {
  return {
    id: `webContents:${sender.id}`,
    sendProgress: (e: ProgressEvent) => {
      if (!sender.isDestroyed()) sender.send(PROGRESS_CHANNEL, e);
    },
  };
}

const FORBIDDEN_SENDER = (): Envelope =>
  errorEnvelope(new KesiError('FORBIDDEN', 'This request did not come from Kesi.').toData());

/** Registers every contract method; returns a function that removes them again. */
export function registerIpc(
  ipcMain: IpcMainLike,
  dispatch: Dispatch,
  isTrustedSender: SenderCheck = isAppSender,
): () => void {
  const channels = METHOD_NAMES.map((method) => {
    const channel = channelOf(method);
    ipcMain.handle(channel, async (event: IpcMainInvokeEvent, ...args: unknown[]) => {
      let trusted = false;
      try {
        trusted = isTrustedSender(event);
      } catch {
        trusted = false;
      }
      if (!trusted) return FORBIDDEN_SENDER();
      return dispatch(method, args, callerOf(event.sender));
    });
    return channel;
  });
  return () => {
    for (const c of channels) ipcMain.removeHandler(c);
  };
}
