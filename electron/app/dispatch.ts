// The contract's implementation on the privileged side, for any transport: Electron IPC
// (electron/ipc.ts) and the end-to-end test bridge call the same `dispatch`.
//   unknown method       -> BAD_INPUT, nothing called
//   arguments not valid  -> BAD_INPUT with the zod issues in words, nothing called
//   KesiError            -> { ok: false, error: { code, message, details? } }
//   anything else        -> INTERNAL, without internals; logged without the arguments
// Plain Node: no electron.
import {
  contract,
  isMethodName,
  type MethodName,
  type ParsedArgsOf,
  type ResultOf,
} from '../../shared/contract';
import { errorEnvelope, okEnvelope, type Envelope } from '../../shared/envelope';
import { ERROR_CODES, KesiError, isKesiError } from '../../shared/errors';
import { parseInput } from '../../shared/validate';
import { consoleLogger, describeUnexpected, type Logger } from './log';
import type { AppSession } from './session';

type Handler<M extends MethodName> = (
  session: AppSession,
  ...args: ParsedArgsOf<M>
) => ResultOf<M> | Promise<ResultOf<M>>;

/**
 * One handler per contract method. The mapped type makes the compiler check that every method
 * is implemented and that each service method returns what the contract promises.
 */
export const HANDLERS: { readonly [M in MethodName]: Handler<M> } = {
  vaultStatus: (s) => s.status(),
  createVault: (s, input) => s.create(input),
  unlock: (s, input) => s.unlock(input.user, input.passphrase),
  unlockWithRecoveryKey: (s, input) =>
    s.recover(input.user, input.recoveryKey, input.newPassphrase),
  lock: (s) => s.lock('request'),
  whoami: (s) => s.service().whoami(),
  setAutoLock: (s, minutes) => s.setAutoLockMinutes(minutes),

  listUsers: (s) => s.service().listUsers(),
  addUser: (s, input) => s.service().addUser(input),
  changePassphrase: (s, name, passphrase) => s.service().changePassphrase(name, passphrase),
  removeUser: (s, name) => s.service().removeUser(name),

  listCases: (s, filter) => s.service().listCases(filter),
  getCase: (s, ref) => s.service().getCase(ref),
  createCase: (s, input) => s.service().createCase(input),
  updateCase: (s, ref, patch) => s.service().updateCase(ref, patch),

  listPersons: (s, ref) => s.service().listPersons(ref),
  addPerson: (s, ref, input) => s.service().addPerson(ref, input),
  revealPerson: (s, id, reason) => s.service().revealPerson(id, reason),

  listItems: (s, ref) => s.service().listItems(ref),
  getItem: (s, id) => s.service().getItem(id),
  addFiles: (s, input) => s.service().addFiles(input),
  updateItem: (s, id, patch) => s.service().updateItem(id, patch),
  transfer: (s, id, input) => s.service().transfer(id, input),
  addExhibit: (s, ref, input) => s.service().addExhibit(ref, input),
  currentCustodian: (s, id) => s.service().currentCustodian(id),
  itemLog: (s, id) => s.service().itemLog(id),
  caseLog: (s, ref) => s.service().caseLog(ref),
  vaultLog: (s) => s.service().vaultLog(),

  search: (s, query, caseRef) => s.service().search(query, caseRef),
  audit: (s) => s.service().audit(),
};

/** The part of AppSession the dispatcher uses (tests pass a fake). */
export type DispatchSession = Pick<AppSession, 'track'>;

export type Dispatch = (method: string, rawArgs: unknown) => Promise<Envelope>;

export interface DispatcherOptions {
  log?: Logger;
}

export function createDispatcher(
  getSession: () => AppSession,
  opts: DispatcherOptions = {},
): Dispatch {
  const log = opts.log ?? consoleLogger;
  return async (method, rawArgs) => {
    if (!isMethodName(method)) {
      return errorEnvelope(
        new KesiError('BAD_INPUT', 'There is no such request.', {
          method: String(method).slice(0, 64),
        }).toData(),
      );
    }
    let args: unknown[];
    try {
      args = parseInput(contract[method].args, rawArgs) as unknown[];
    } catch (e) {
      return errorEnvelope(isKesiError(e) ? e.toData() : internal());
    }
    const session = getSession();
    const handler = HANDLERS[method] as (s: AppSession, ...a: unknown[]) => unknown;
    try {
      const value = await session.track(() => handler(session, ...args));
      return okEnvelope(value);
    } catch (e) {
      if (isKesiError(e)) return errorEnvelope(e.toData());
      log(describeUnexpected(`${method} failed`, e));
      return errorEnvelope(internal());
    }
  };
}

function internal() {
  return { code: 'INTERNAL' as const, message: ERROR_CODES.INTERNAL };
}
