// The contract's implementation on the privileged side, for any transport: Electron IPC
// (electron/ipc.ts) and the end-to-end test bridge call the same `dispatch`.
//   unknown method       -> BAD_INPUT, nothing called
//   arguments not valid  -> BAD_INPUT with the zod issues in words, nothing called
//   KesiError            -> { ok: false, error: { code, message, details? } }
//   anything else        -> INTERNAL, without internals; logged without the arguments
// Plain Node: no electron.
import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import {
  contract,
  isMethodName,
  type AuditReportView,
  type BundleVerifyView,
  type MethodName,
  type ParsedArgsOf,
  type ResultOf,
  type SavedFileView,
} from '../../shared/contract';
import { errorEnvelope, okEnvelope, type Envelope } from '../../shared/envelope';
import { ERROR_CODES, KesiError, isKesiError } from '../../shared/errors';
import { parseInput } from '../../shared/validate';
import { APP_ID } from '../../shared/version';
import type { KesiService } from '../service/service';
import { writeError, writeFileAtomic } from '../util/fs-atomic';
import { auditReportPdf } from '../verify/audit-pdf';
import { verifyBundleParts, verifyBundlePdf } from '../verify/bundle-verify';
import { checkBundleAgainstVault, vaultViewOf } from '../verify/bundle-vault';
import { Jobs, type Caller } from './jobs';
import { consoleLogger, describeUnexpected, type Logger } from './log';
import type { AppSession } from './session';

/** What a handler gets besides its arguments. */
export interface Call {
  session: AppSession;
  /** The window that called; undefined for a caller that cannot hear progress. */
  caller: Caller | undefined;
  jobs: Jobs;
  host: DesktopHost;
  state: DispatchState;
}

type Handler<M extends MethodName> = (
  call: Call,
  ...args: ParsedArgsOf<M>
) => ResultOf<M> | Promise<ResultOf<M>>;

/**
 * One handler per contract method. The mapped type makes the compiler check that every method
 * is implemented and that each service method returns what the contract promises.
 */
export const HANDLERS: { readonly [M in MethodName]: Handler<M> } = {
  vaultStatus: ({ session: s }) => s.status(),
  createVault: ({ session: s }, input) => s.create(input),
  unlock: ({ session: s }, input) => s.unlock(input.user, input.passphrase),
  unlockWithRecoveryKey: ({ session: s }, input) =>
    s.recover(input.user, input.recoveryKey, input.newPassphrase),
  lock: ({ session: s, jobs, state }) => {
    jobs.cancelAll();
    state.lastAudit = null;
    s.lock('request');
  },
  whoami: ({ session: s }) => s.service().whoami(),
  setAutoLock: ({ session: s }, minutes) => s.setAutoLockMinutes(minutes),
  getSettings: ({ session: s }) => s.settings(),
  setLanguage: ({ session: s }, language) => s.setLanguage(language),

  listUsers: ({ session: s }) => s.service().listUsers(),
  addUser: ({ session: s }, input) => s.service().addUser(input),
  changePassphrase: ({ session: s }, name, passphrase) =>
    s.service().changePassphrase(name, passphrase),
  removeUser: ({ session: s }, name) => s.service().removeUser(name),

  listCases: ({ session: s }, filter) => s.service().listCases(filter),
  getCase: ({ session: s }, ref) => s.service().getCase(ref),
  createCase: ({ session: s }, input) => s.service().createCase(input),
  updateCase: ({ session: s }, ref, patch) => s.service().updateCase(ref, patch),

  listPersons: ({ session: s }, ref) => s.service().listPersons(ref),
  addPerson: ({ session: s }, ref, input) => s.service().addPerson(ref, input),
  revealPerson: ({ session: s }, id, reason) => s.service().revealPerson(id, reason),

  listItems: ({ session: s }, ref) => s.service().listItemViews(ref),
  getItem: ({ session: s }, id) => s.service().getItemView(id),
  addFiles: (c, input, jobId) => {
    const service = c.session.service();
    return c.jobs.run('intake', jobId, c.caller, (job) => {
      let finished = 0;
      let last = { done: 0, total: input.paths.length, bytesDone: 0, bytesTotal: 0, file: '' };
      return service.addFiles(input, {
        signal: job.signal,
        onProgress: (p) => {
          last = {
            done: finished,
            total: p.total,
            bytesDone: p.doneBytes,
            bytesTotal: p.totalBytes,
            file: p.file,
          };
          job.report(last);
        },
        onResult: () => {
          finished++;
          job.report({ ...last, done: finished });
        },
      });
    });
  },
  exportItem: async (c, id, path, reason) => {
    const service = c.session.service();
    c.state.checkChosen(path);
    const item = await service.exportItem(id, path, reason);
    c.state.written.add(path);
    return { path, sha256: item.sha256, size: item.size };
  },
  updateItem: ({ session: s }, id, patch) => {
    const service = s.service();
    return service.getItemView(service.updateItem(id, patch).id);
  },
  transfer: ({ session: s }, id, input) => s.service().transfer(id, input),
  addExhibit: ({ session: s }, ref, input) => {
    const service = s.service();
    return service.getItemView(service.addExhibit(ref, input).id);
  },
  currentCustodian: ({ session: s }, id) => s.service().currentCustodian(id),
  itemLog: ({ session: s }, id) => s.service().itemLog(id),
  caseLog: ({ session: s }, ref) => s.service().caseLog(ref),
  vaultLog: ({ session: s }) => s.service().vaultLog(),

  search: ({ session: s }, query, caseRef) => s.service().search(query, caseRef),
  audit: async (c, jobId) => {
    const service = c.session.service();
    const report = await c.jobs.run('audit', jobId, c.caller, (job) =>
      service.audit({
        signal: job.signal,
        onProgress: (p) => job.report({ done: p.done, total: p.total, phase: p.phase }),
      }),
    );
    c.state.lastAudit = { service, report };
    return report;
  },
  exportAuditReport: async (c, path) => {
    const service = c.session.service();
    const last = c.state.lastAudit;
    if (last === null || last.service !== service) throw new KesiError('NO_AUDIT_REPORT');
    c.state.checkChosen(path);
    const pdf = await auditReportPdf(last.report, {
      exportedBy: service.user.name,
      exportedAt: new Date().toISOString(),
      app: APP_ID,
    });
    return c.state.writeChosen(path, pdf);
  },
  verifyBundle: (c, path, opts) =>
    verifyBundleFile(path, opts?.againstVault === true ? c.session.service() : null),

  listBundles: ({ session: s }, ref) => s.service().listBundles(ref),
  getBundle: ({ session: s }, uid) => s.service().getBundle(uid),
  defaultBundleSpec: ({ session: s }, ref, cover) => s.service().defaultBundleSpec(ref, cover),
  saveBundle: ({ session: s }, spec, uid) => s.service().saveBundle(spec, uid),
  generateBundle: async (c, uid, path, opts, jobId) => {
    const service = c.session.service();
    c.state.checkChosen(path);
    const generated = await c.jobs.run('bundle', jobId, c.caller, (job) =>
      service.generateBundle(uid, path, {
        ...(opts?.at === undefined ? {} : { at: opts.at }),
        signal: job.signal,
        onProgress: (p) => job.report({ done: p.done, total: p.total, phase: p.phase }),
      }),
    );
    c.state.written.add(path);
    return generated;
  },

  cancelJob: (c, jobId) => c.jobs.cancel(c.caller, jobId),
  chooseSavePath: async (c, name) => {
    c.session.service();
    const path = await c.host.chooseSavePath(name);
    if (path === null) return null;
    c.state.chosen.add(path);
    return path;
  },
  openPath: async (c, path) => {
    if (!c.state.written.has(path)) {
      throw new KesiError('FORBIDDEN', 'Kesi opens only the files it saved for you.');
    }
    await c.host.openPath(path);
  },
};

/** Files bigger than this are not read for verification (a bundle is far smaller). */
export const MAX_VERIFY_BYTES = 2 * 1024 * 1024 * 1024 - 1;

/** Checks a bundle file on its own, and against the open vault when a service is given. */
async function verifyBundleFile(
  path: string,
  service: KesiService | null,
): Promise<BundleVerifyView> {
  let bytes: Buffer;
  try {
    const st = await stat(path);
    if (!st.isFile()) throw new KesiError('FILE_NOT_REGULAR');
    if (st.size > MAX_VERIFY_BYTES) throw new KesiError('FILE_TOO_LARGE');
    bytes = await readFile(path);
  } catch (e) {
    if (isKesiError(e)) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    throw new KesiError(code === 'ENOENT' ? 'FILE_NOT_FOUND' : 'FILE_UNREADABLE', undefined, {
      file: basename(path),
    });
  }
  const file = new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const report =
    service === null
      ? await verifyBundlePdf(file)
      : await checkBundleAgainstVault(await verifyBundleParts(file), file, vaultViewOf(service));
  return { ...report, file: { ...report.file, name: basename(path) }, path };
}

/** Where the user chose to save files, and what Kesi wrote there, in this window's life. */
export class DispatchState {
  /** Paths the user chose in a save dialog: the only places Kesi writes to. */
  readonly chosen = new Set<string>();
  /** Files Kesi wrote: the only files openPath opens. */
  readonly written = new Set<string>();
  lastAudit: { service: KesiService; report: AuditReportView } | null = null;

  checkChosen(path: string): void {
    if (!this.chosen.has(path)) throw new KesiError('SAVE_PATH_NOT_CHOSEN');
  }

  writeChosen(path: string, data: Uint8Array): SavedFileView {
    this.checkChosen(path);
    const buf = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
    try {
      writeFileAtomic(path, buf);
    } catch (e) {
      throw writeError(e, path, 'The file');
    }
    this.written.add(path);
    return { path, sha256: createHash('sha256').update(buf).digest('hex'), size: buf.length };
  }
}

/** The desktop around the window: a save dialog, and opening a file in its usual program. */
export interface DesktopHost {
  chooseSavePath(suggestedName: string): Promise<string | null>;
  openPath(path: string): Promise<void>;
}

/** A host for callers without a desktop (tests, a headless bridge): it can choose nothing. */
export const NO_DESKTOP: DesktopHost = {
  chooseSavePath: () => Promise.resolve(null),
  openPath: () => Promise.reject(new KesiError('FORBIDDEN', 'Files cannot be opened here.')),
};

/** The part of AppSession the dispatcher uses (tests pass a fake). */
export type DispatchSession = Pick<AppSession, 'track'>;

export type Dispatch = (method: string, rawArgs: unknown, caller?: Caller) => Promise<Envelope>;

export interface DispatcherOptions {
  log?: Logger;
  /** Save dialog and file opening (main: Electron's dialog and shell). */
  host?: DesktopHost;
  jobs?: Jobs;
}

export function createDispatcher(
  getSession: () => AppSession,
  opts: DispatcherOptions = {},
): Dispatch {
  const log = opts.log ?? consoleLogger;
  const host = opts.host ?? NO_DESKTOP;
  const jobs = opts.jobs ?? new Jobs();
  const state = new DispatchState();
  return async (method, rawArgs, caller) => {
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
    const handler = HANDLERS[method] as (c: Call, ...a: unknown[]) => unknown;
    const call: Call = { session, caller, jobs, host, state };
    try {
      const value = await session.track(() => handler(call, ...args));
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
