// electron/ipc.ts against the contract, with a fake ipcMain (Electron's binary is not needed:
// ipc.ts imports only electron's types).
import { join } from 'node:path';
import type { IpcMainInvokeEvent } from 'electron';
import { describe, expect, it, vi } from 'vitest';
import { METHOD_NAMES, channelOf } from '../../shared/contract';
import type { Envelope } from '../../shared/envelope';
import { KesiError } from '../../shared/errors';
import { HANDLERS, createDispatcher } from '../../electron/app/dispatch';
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

function eventFrom(url: string | null, parent: unknown = null): IpcMainInvokeEvent {
  return {
    senderFrame: url === null ? null : { url, parent },
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

function setUp(service: Record<string, (...a: unknown[]) => unknown> = {}) {
  const ipc = new FakeIpcMain();
  const log = vi.fn();
  const session = fakeSession(service);
  const dispatch = vi.fn(createDispatcher(() => session, { log }));
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
});
