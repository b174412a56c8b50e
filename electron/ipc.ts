// The Electron transport of the contract: one ipcMain handler per contract method, on the
// channel `kesi:<method>`. Each call: the sender must be a top-level frame of the app's own
// origin (kesi-app://app), or the reply is FORBIDDEN and nothing else runs; then `dispatch`
// parses the arguments with the contract's zod schema and calls the service. Replies are
// always envelopes; nothing is thrown across IPC (Electron would put internals in the
// message). Only electron types are imported here, so tests pass a fake ipcMain.
import type { IpcMain, IpcMainInvokeEvent } from 'electron';
import { METHOD_NAMES, channelOf } from '../shared/contract';
import { errorEnvelope, type Envelope } from '../shared/envelope';
import { KesiError } from '../shared/errors';
import { isAppUrl } from './app/app-protocol';
import type { Dispatch } from './app/dispatch';

export type SenderCheck = (event: IpcMainInvokeEvent) => boolean;
export type IpcMainLike = Pick<IpcMain, 'handle' | 'removeHandler'>;

/** The app's own page, in its top-level frame (not an iframe, not a navigated-away frame). */
export function isAppSender(event: IpcMainInvokeEvent): boolean {
  const frame = event.senderFrame;
  return frame !== null && frame.parent === null && isAppUrl(frame.url);
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
      return dispatch(method, args);
    });
    return channel;
  });
  return () => {
    for (const c of channels) ipcMain.removeHandler(c);
  };
}
