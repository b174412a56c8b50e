// electron/ipc.ts against the contract, with a fake ipcMain (Electron's binary is not needed:
// ipc.ts imports only electron's types).
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { IpcMainInvokeEvent } from 'electron';
import { describe, expect, it, vi } from 'vitest';
import { METHOD_NAMES, PROGRESS_CHANNEL, channelOf, isMethodName } from '../../shared/contract';
import type { Envelope } from '../../shared/envelope';
import { KesiError } from '../../shared/errors';
import { HANDLERS, createDispatcher, type DesktopHost } from '../../electron/app/dispatch';
import { Jobs } from '../../electron/app/jobs';
import { AppSession } from '../../electron/app/session';
import { isAppSender, registerIpc, type IpcMainLike } from '../../electron/ipc';
import { tempDir } from '../helpers/tmp';
import { TEST_LOG_N } from '../helpers/vault';

type Listener = (event: IpcMainInvokeEvent, ...args: unknown[]) => unknown;

/** Behaves like ipcMain: one handler per channel; invoking an unknown channel rejects. */
class FakeIpcMain {
  readonly handlers = new Map<string, Listener>();
  handle(channel: string, listener: Listener): void {
    if (this.handlers.has(channel)) {
      throw new Error(`Attempted to register a second handler for '${channel}'`);
    }
    this.handlers.set(channel, listener);
  }
  removeHandler(channel: string): void {
    this.handlers.delete(channel);
  }
  async invoke(channel: string, event: IpcMainInvokeEvent, ...args: unknown[]): Promise<unknown> {
    const h = this.handlers.get(channel);
    if (!h) throw new Error(`No handler registered for '${channel}'`);
    return h(event, ...args);
  }
  asIpcMain(): IpcMainLike {
    return this as unknown as IpcMainLike;
  }
}

/** A window (webContents) that records what main sends it. */
class FakeSender {
  readonly sent: [string, unknown][] = [];
  destroyed = false;
  constructor(readonly id: number) {}
  send(channel: string, payload: unknown): void {
    this.sent.push([channel, payload]);
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
}

function eventFrom(
  url: string | null,
  parent: unknown = null,
  sender: FakeSender = new FakeSender(1),
): IpcMainInvokeEvent {
  return {
    senderFrame: url === null ? null : { url, parent },
    sender,
  } as unknown as IpcMainInvokeEvent;
}

const APP = eventFrom('kesi-app://app/index.html');

/** A session whose service is a set of spies. */
function fakeSession(service: Record<string, (...a: unknown[]) => unknown>) {
  const session = {
    track: vi.fn(async (fn: () => unknown) => fn()),
    service: () => service,
    status: vi.fn(() => ({ dir: '/v', exists: false })),
  };
  return session as unknown as AppSession;
}

function setUp(
  service: Record<string, (...a: unknown[]) => unknown> = {},
  opts: { host?: DesktopHost } = {},
) {
  const ipc = new FakeIpcMain();
  const log = vi.fn();
  const session = fakeSession(service);
  const dispatch = vi.fn(
    createDispatcher(() => session, { log, jobs: new Jobs({ throttleMs: 0 }), ...opts }),
  );
  const unregister = registerIpc(ipc.asIpcMain(), dispatch);
  return { ipc, log, dispatch, unregister, session };
}

describe('registerIpc', () => {
  it('registers one handler per contract method, and removes them again', () => {
    const { ipc, unregister } = setUp();
    expect([...ipc.handlers.keys()].sort()).toEqual(METHOD_NAMES.map(channelOf).sort());
    expect(Object.keys(HANDLERS).sort()).toEqual([...METHOD_NAMES].sort());
    unregister();
    expect(ipc.handlers.size).toBe(0);
  });

  it('answers a good call with {ok: true, value}', async () => {
    const getCase = vi.fn((ref: unknown) => ({ ref, title: 'Kamau' }));
    const { ipc } = setUp({ getCase });
    const reply = await ipc.invoke('kesi:getCase', APP, 'IMLU-2026-014');
    expect(reply).toEqual({ ok: true, value: { ref: 'IMLU-2026-014', title: 'Kamau' } });
    expect(getCase).toHaveBeenCalledWith('IMLU-2026-014');
  });

  it('passes parsed arguments (trimmed, defaults filled in) to the service', async () => {
    const addPerson = vi.fn(() => ({ id: 1 }));
    const { ipc } = setUp({ addPerson });
    await ipc.invoke('kesi:addPerson', APP, 'C-1', { role: 'witness', fullName: '  Wanjiru ' });
    expect(addPerson).toHaveBeenCalledWith('C-1', {
      role: 'witness',
      fullName: 'Wanjiru',
      protected: false,
      minor: false,
    });
  });

  it('rejects an unknown method', async () => {
    const { ipc, dispatch } = setUp();
    // No handler exists for it: Electron rejects the invoke itself.
    await expect(ipc.invoke('kesi:deleteEverything', APP)).rejects.toThrow(/No handler/);
    expect(dispatch).not.toHaveBeenCalled();
    // And the dispatcher, reached by another transport, refuses it too.
    const d = createDispatcher(() => fakeSession({}));
    for (const name of ['deleteEverything', 'toString', '__proto__', 'constructor']) {
      const reply = await d(name, []);
      expect(reply).toMatchObject({ ok: false, error: { code: 'BAD_INPUT' } });
    }
  });

  it('rejects bad arguments with a readable BAD_INPUT, without calling the service', async () => {
    const getItem = vi.fn();
    const createCase = vi.fn();
    const { ipc } = setUp({ getItem, createCase });
    const cases: [string, unknown[]][] = [
      ['kesi:getItem', ['12']],
      ['kesi:getItem', [-1]],
      ['kesi:getItem', []],
      ['kesi:getItem', [1, 2]],
      ['kesi:createCase', [{ ref: 'C 1', title: 'x' }]],
      ['kesi:createCase', [{ ref: 'C-1' }]],
      ['kesi:createCase', [null]],
    ];
    for (const [channel, args] of cases) {
      const reply = (await ipc.invoke(channel, APP, ...args)) as Envelope;
      expect(reply.ok).toBe(false);
      if (reply.ok) continue;
      expect(reply.error.code).toBe('BAD_INPUT');
      expect(reply.error.message).toMatch(/^The request is not valid: .+\.$/);
    }
    const reply = (await ipc.invoke('kesi:createCase', APP, { ref: 'C-1' })) as Envelope;
    expect(reply).toMatchObject({ ok: false, error: { message: expect.stringMatching(/title/) } });
    expect(getItem).not.toHaveBeenCalled();
    expect(createCase).not.toHaveBeenCalled();
  });

  it('rejects a foreign sender with FORBIDDEN, without dispatching', async () => {
    const listCases = vi.fn(() => []);
    const { ipc, dispatch } = setUp({ listCases });
    const foreign = [
      eventFrom('https://evil.example/index.html'),
      eventFrom('file:///home/amina/index.html'),
      eventFrom('kesi-app://evil/index.html'),
      eventFrom('kesi-app://app@evil/index.html'),
      eventFrom('kesi-media://item/1/original'),
      eventFrom('kesi-app://app/index.html', { url: 'kesi-app://app/' }), // an iframe
      eventFrom(null), // a frame that is gone
      eventFrom(''),
    ];
    for (const event of foreign) {
      const reply = await ipc.invoke('kesi:listCases', event);
      expect(reply).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    }
    expect(dispatch).not.toHaveBeenCalled();
    expect(listCases).not.toHaveBeenCalled();
  });

  it('treats a sender check that throws as a foreign sender', async () => {
    const ipc = new FakeIpcMain();
    const dispatch = vi.fn();
    registerIpc(ipc.asIpcMain(), dispatch, () => {
      throw new Error('frame disposed');
    });
    const reply = await ipc.invoke('kesi:vaultStatus', APP);
    expect(reply).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(dispatch).not.toHaveBeenCalled();
  });

  it('accepts the app page (any path or hash of kesi-app://app)', () => {
    expect(isAppSender(APP)).toBe(true);
    expect(isAppSender(eventFrom('kesi-app://app/#/cases/IMLU-1'))).toBe(true);
  });

  it('returns a KesiError as {ok: false, error: {code, message}}', async () => {
    const getCase = vi.fn(() => {
      throw new KesiError('CASE_NOT_FOUND', 'There is no case IMLU-9.', { ref: 'IMLU-9' });
    });
    const { ipc, log } = setUp({ getCase });
    const reply = await ipc.invoke('kesi:getCase', APP, 'IMLU-9');
    expect(reply).toEqual({
      ok: false,
      error: {
        code: 'CASE_NOT_FOUND',
        message: 'There is no case IMLU-9.',
        details: { ref: 'IMLU-9' },
      },
    });
    expect(log).not.toHaveBeenCalled();
  });

  it('returns any other error as INTERNAL, and logs it without the arguments', async () => {
    const changePassphrase = vi.fn(async () => {
      throw new TypeError('Cannot read properties of undefined (reading "slots")');
    });
    const { ipc, log } = setUp({ changePassphrase });
    const secret = 'my very secret passphrase';
    const reply = await ipc.invoke('kesi:changePassphrase', APP, 'amina', secret);
    expect(reply).toEqual({
      ok: false,
      error: { code: 'INTERNAL', message: 'Something went wrong inside Kesi.' },
    });
    expect(log).toHaveBeenCalledTimes(1);
    const line = String(log.mock.calls[0]?.[0]);
    expect(line).toContain('changePassphrase');
    expect(line).toContain('TypeError');
    expect(line).not.toContain(secret);
  });

  it('runs every call as tracked activity (the idle lock waits for it)', async () => {
    const { ipc, session } = setUp({ vaultLog: () => [] });
    await ipc.invoke('kesi:vaultLog', APP);
    expect(session.track).toHaveBeenCalledTimes(1);
  });
});

describe('long work over IPC: progress and cancel', () => {
  const A = new FakeSender(1);
  const B = new FakeSender(2);
  const fromA = eventFrom('kesi-app://app/index.html', null, A);
  const fromB = eventFrom('kesi-app://app/index.html', null, B);

  it('keeps the progress channel out of the method names', () => {
    expect(isMethodName(PROGRESS_CHANNEL.slice('kesi:'.length))).toBe(false);
  });

  it('delivers progress to the window that asked, and to no other', async () => {
    A.sent.length = 0;
    B.sent.length = 0;
    const addFiles = vi.fn(
      async (
        input: { paths: string[] },
        ctl: {
          onProgress: (p: object) => void;
          onResult: (r: object) => void;
          signal: AbortSignal;
        },
      ) => {
        for (const [index, file] of input.paths.entries()) {
          ctl.onProgress({
            index,
            total: 2,
            file,
            fileBytes: 10,
            fileSize: 10,
            doneBytes: index * 10 + 10,
            totalBytes: 20,
          });
          ctl.onResult({ file, status: 'added' });
        }
        return input.paths.map((file) => ({ file, status: 'added' }));
      },
    );
    const { ipc } = setUp({ addFiles: addFiles as never });
    const reply = await ipc.invoke(
      'kesi:addFiles',
      fromA,
      { caseRef: 'C-1', paths: ['/photos/a.jpg', '/photos/b.jpg'] },
      'intake-1',
    );
    expect(reply).toMatchObject({ ok: true });
    expect(B.sent).toEqual([]);
    expect(A.sent.length).toBeGreaterThan(0);
    for (const [channel, e] of A.sent) {
      expect(channel).toBe(PROGRESS_CHANNEL);
      expect(e).toMatchObject({ jobId: 'intake-1', kind: 'intake', total: 2 });
    }
    expect(A.sent.at(-1)?.[1]).toMatchObject({ done: 2, total: 2, bytesDone: 20, bytesTotal: 20 });
    // Without a job id, the same call reports to nobody.
    A.sent.length = 0;
    await ipc.invoke('kesi:addFiles', fromA, { caseRef: 'C-1', paths: ['/photos/a.jpg'] });
    expect(A.sent).toEqual([]);
  });

  it('sends nothing to a window that is gone, and the work goes on', async () => {
    const gone = new FakeSender(3);
    gone.destroyed = true;
    const audit = vi.fn(async (o: { onProgress: (p: object) => void }) => {
      o.onProgress({ phase: 'blobs', done: 1, total: 2 });
      return { ok: true, problems: [] };
    });
    const { ipc } = setUp({ audit: audit as never });
    const reply = await ipc.invoke(
      'kesi:audit',
      eventFrom('kesi-app://app/', null, gone),
      'audit-1',
    );
    expect(reply).toMatchObject({ ok: true, value: { ok: true } });
    expect(gone.sent).toEqual([]);
  });

  it("cancels a job of the window that asks, and no other window's", async () => {
    let started!: () => void;
    const running = new Promise<void>((r) => (started = r));
    const audit = vi.fn(
      (o: { signal: AbortSignal }) =>
        new Promise((_resolve, reject) => {
          started();
          o.signal.addEventListener('abort', () =>
            reject(new KesiError('CANCELLED', 'The audit was stopped.')),
          );
        }),
    );
    const { ipc } = setUp({ audit: audit as never });
    const pending = ipc.invoke('kesi:audit', fromA, 'audit-7');
    await running;
    // Another window cannot stop it, nor can a job id that is not running.
    expect(await ipc.invoke('kesi:cancelJob', fromB, 'audit-7')).toEqual({
      ok: true,
      value: false,
    });
    expect(await ipc.invoke('kesi:cancelJob', fromA, 'audit-8')).toEqual({
      ok: true,
      value: false,
    });
    // The same job id cannot be started twice.
    expect(await ipc.invoke('kesi:audit', fromA, 'audit-7')).toMatchObject({
      ok: false,
      error: { code: 'JOB_RUNNING' },
    });
    expect(await ipc.invoke('kesi:cancelJob', fromA, 'audit-7')).toEqual({ ok: true, value: true });
    expect(await pending).toMatchObject({ ok: false, error: { code: 'CANCELLED' } });
    // Once it ended, the id is free again and there is nothing left to cancel.
    expect(await ipc.invoke('kesi:cancelJob', fromA, 'audit-7')).toEqual({
      ok: true,
      value: false,
    });
  });

  it('rejects bad job ids and paths before anything runs', async () => {
    const audit = vi.fn();
    const generateBundle = vi.fn();
    const chooseSavePath = vi.fn(async () => '/tmp/x.pdf');
    const { ipc } = setUp(
      { audit, generateBundle },
      { host: { chooseSavePath, openPath: vi.fn() } },
    );
    const cases: [string, unknown[]][] = [
      ['kesi:audit', ['../../etc']],
      ['kesi:audit', [42]],
      ['kesi:cancelJob', []],
      ['kesi:cancelJob', ['a b']],
      ['kesi:generateBundle', ['b1', 'relative/out.pdf']],
      ['kesi:generateBundle', ['b1', '/tmp/out.pdf', { at: 'yesterday' }]],
      ['kesi:generateBundle', ['b1', '/tmp/out.pdf', { pages: 3 }]],
      ['kesi:chooseSavePath', ['../../.bashrc']],
      ['kesi:chooseSavePath', ['/etc/passwd']],
      ['kesi:openPath', ['C:relative']],
      ['kesi:verifyBundle', ['bundle.pdf']],
      ['kesi:exportAuditReport', [null]],
    ];
    for (const [channel, args] of cases) {
      const reply = await ipc.invoke(channel, APP, ...args);
      expect(reply, `${channel} ${JSON.stringify(args)}`).toMatchObject({
        ok: false,
        error: { code: 'BAD_INPUT' },
      });
    }
    expect(audit).not.toHaveBeenCalled();
    expect(generateBundle).not.toHaveBeenCalled();
    expect(chooseSavePath).not.toHaveBeenCalled();
  });

  it('writes only where a save dialog chose, and opens only what it wrote', async () => {
    const dir = tempDir();
    const target = join(dir, 'bundle.pdf');
    const generateBundle = vi.fn(async (uid: string, path: string) => ({ uid, path }));
    const host: DesktopHost = {
      chooseSavePath: vi.fn(async () => target),
      openPath: vi.fn(async () => undefined),
    };
    const { ipc } = setUp({ generateBundle: generateBundle as never }, { host });
    expect(await ipc.invoke('kesi:generateBundle', APP, 'b1', target)).toMatchObject({
      ok: false,
      error: { code: 'SAVE_PATH_NOT_CHOSEN' },
    });
    expect(await ipc.invoke('kesi:openPath', APP, target)).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
    expect(generateBundle).not.toHaveBeenCalled();
    expect(host.openPath).not.toHaveBeenCalled();

    expect(await ipc.invoke('kesi:chooseSavePath', APP, 'bundle.pdf')).toEqual({
      ok: true,
      value: target,
    });
    expect(await ipc.invoke('kesi:generateBundle', APP, 'b1', target)).toMatchObject({ ok: true });
    expect(generateBundle).toHaveBeenCalledWith('b1', target, expect.objectContaining({}));
    expect(await ipc.invoke('kesi:openPath', APP, target)).toEqual({ ok: true, value: undefined });
    expect(host.openPath).toHaveBeenCalledWith(target);
    // Another file of the same folder is still out of reach.
    expect(await ipc.invoke('kesi:openPath', APP, join(dir, 'other.pdf'))).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
  });

  it('will not export an audit report before an audit ran in this session', async () => {
    const host: DesktopHost = { chooseSavePath: async () => '/tmp/r.pdf', openPath: vi.fn() };
    const { ipc } = setUp({}, { host });
    await ipc.invoke('kesi:chooseSavePath', APP, 'r.pdf');
    expect(await ipc.invoke('kesi:exportAuditReport', APP, '/tmp/r.pdf')).toMatchObject({
      ok: false,
      error: { code: 'NO_AUDIT_REPORT' },
    });
  });
});

describe('the contract over IPC, against a real vault', () => {
  it('creates a vault, works in it, locks and unlocks', async () => {
    const dir = join(tempDir(), 'vault');
    const session = new AppSession({ dir, kdfLogN: TEST_LOG_N });
    const ipc = new FakeIpcMain();
    registerIpc(
      ipc.asIpcMain(),
      createDispatcher(() => session, { log: () => undefined }),
    );
    const call = (m: string, ...args: unknown[]) =>
      ipc.invoke(`kesi:${m}`, APP, ...args) as Promise<Envelope>;

    expect(await call('vaultStatus')).toMatchObject({
      ok: true,
      value: { dir, exists: false, unlocked: false, users: [] },
    });
    expect(await call('whoami')).toMatchObject({ ok: false, error: { code: 'VAULT_LOCKED' } });

    const created = await call('createVault', {
      name: 'IMLU Nairobi',
      admin: 'amina',
      passphrase: 'correct horse battery staple',
    });
    expect(created).toMatchObject({
      ok: true,
      value: {
        recoveryKey: expect.stringMatching(/^AGE-SECRET-KEY-1/),
        user: { name: 'amina', role: 'admin', vaultName: 'IMLU Nairobi' },
      },
    });

    expect(
      await call('createCase', { ref: 'IMLU-2026-014', title: 'Death in custody' }),
    ).toMatchObject({ ok: true, value: { ref: 'IMLU-2026-014', status: 'open' } });
    expect(await call('listCases')).toMatchObject({ ok: true, value: [{ ref: 'IMLU-2026-014' }] });
    expect(await call('getCase', 'NOPE-1')).toMatchObject({
      ok: false,
      error: { code: 'CASE_NOT_FOUND' },
    });
    const exhibit = await call('addExhibit', 'IMLU-2026-014', { title: 'Blood-stained shirt' });
    expect(exhibit).toMatchObject({ ok: true, value: { kind: 'physical_exhibit' } });
    const id = exhibit.ok ? (exhibit.value as { id: number }).id : 0;
    expect(await call('currentCustodian', id)).toMatchObject({
      ok: true,
      value: { name: 'amina' },
    });
    expect(await call('search', 'shirt')).toMatchObject({ ok: true, value: [{ type: 'item' }] });

    expect(await call('lock')).toEqual({ ok: true, value: undefined });
    expect(await call('listCases')).toMatchObject({ ok: false, error: { code: 'VAULT_LOCKED' } });
    expect(await call('unlock', { user: 'amina', passphrase: 'wrong wrong wrong' })).toMatchObject({
      ok: false,
      error: { code: 'WRONG_PASSPHRASE' },
    });
    expect(
      await call('unlock', { user: 'amina', passphrase: 'correct horse battery staple' }),
    ).toMatchObject({ ok: true, value: { name: 'amina' } });
    const log = await call('caseLog', 'IMLU-2026-014');
    expect(log.ok && (log.value as { action: string }[]).map((e) => e.action)).toEqual([
      'create',
      'intake',
    ]);
    session.lock();
  });

  it('audits with progress, then saves the report as a PDF where the user chose', async () => {
    const dir = join(tempDir(), 'vault');
    const out = join(tempDir(), 'audit report.pdf');
    const session = new AppSession({ dir, kdfLogN: TEST_LOG_N });
    const ipc = new FakeIpcMain();
    const opened: string[] = [];
    registerIpc(
      ipc.asIpcMain(),
      createDispatcher(() => session, {
        log: () => undefined,
        host: {
          chooseSavePath: async () => out,
          openPath: async (p) => void opened.push(p),
        },
      }),
    );
    const win = new FakeSender(9);
    const from = eventFrom('kesi-app://app/index.html', null, win);
    const call = (m: string, ...args: unknown[]) =>
      ipc.invoke(`kesi:${m}`, from, ...args) as Promise<Envelope>;
    await call('createVault', {
      name: 'IMLU Nairobi',
      admin: 'amina',
      passphrase: 'correct horse battery staple',
    });
    await call('createCase', { ref: 'IMLU-2026-014', title: 'Death in custody' });
    await call('addExhibit', 'IMLU-2026-014', { title: 'Blood-stained shirt' });

    const audit = await call('audit', 'audit-1');
    expect(audit).toMatchObject({ ok: true, value: { ok: true, problems: [] } });
    const events = win.sent.map(([, e]) => e as { jobId: string; kind: string; done: number });
    expect(events.length).toBeGreaterThan(0);
    expect(events.every((e) => e.jobId === 'audit-1' && e.kind === 'audit')).toBe(true);

    expect(await call('chooseSavePath', 'audit report.pdf')).toEqual({ ok: true, value: out });
    const saved = await call('exportAuditReport', out);
    expect(saved).toMatchObject({ ok: true, value: { path: out } });
    const bytes = readFileSync(out);
    expect(saved.ok && (saved.value as { sha256: string }).sha256).toBe(
      createHash('sha256').update(bytes).digest('hex'),
    );
    const text = execFileSync('pdftotext', ['-layout', out, '-'], { encoding: 'utf8' });
    expect(text).toContain('Kesi vault audit');
    expect(text).toContain('IMLU Nairobi');
    expect(text).toMatch(/Result: INTACT\. Every check passed/);
    expect(text).toContain('by amina');
    expect(text).toMatch(/2 custody logs with \d+ events/);
    expect(execFileSync('pdfinfo', [out], { encoding: 'utf8' })).toMatch(/Pages:\s+1/);
    expect(await call('openPath', out)).toEqual({ ok: true, value: undefined });
    expect(opened).toEqual([out]);

    // After a lock the report is gone with the session.
    await call('lock');
    await call('unlock', { user: 'amina', passphrase: 'correct horse battery staple' });
    await call('chooseSavePath', 'audit report.pdf');
    expect(await call('exportAuditReport', out)).toMatchObject({
      ok: false,
      error: { code: 'NO_AUDIT_REPORT' },
    });
    session.lock();
  });
});
