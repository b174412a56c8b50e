// electron/preload.ts with a fake 'electron' module: the method names it reads from argv, the
// window.kesi it builds in the page's world, and the rule that it imports nothing at runtime
// but 'electron' (a sandboxed preload cannot).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createContext, runInContext } from 'node:vm';
import { afterAll, describe, expect, it, vi } from 'vitest';
import {
  MEDIA_SCHEME,
  METHOD_NAMES,
  PROGRESS_CHANNEL,
  mediaUrl,
  type KesiHost,
} from '../../shared/contract';
import { KesiError } from '../../shared/errors';
import { METHODS_ARG_PREFIX, methodsArgument } from '../../electron/app/preload-args';

const fake = vi.hoisted(() => {
  const invoke = vi.fn();
  const on = vi.fn();
  const removeListener = vi.fn();
  const executeInMainWorld = vi.fn();
  const exposeInMainWorld = vi.fn();
  const getPathForFile = vi.fn(() => '/home/amina/photo.jpg');
  return { invoke, on, removeListener, executeInMainWorld, exposeInMainWorld, getPathForFile };
});

vi.mock('electron', () => ({
  contextBridge: {
    executeInMainWorld: fake.executeInMainWorld,
    exposeInMainWorld: fake.exposeInMainWorld,
  },
  ipcRenderer: { invoke: fake.invoke, on: fake.on, removeListener: fake.removeListener },
  webUtils: { getPathForFile: fake.getPathForFile },
}));

const argvBefore = [...process.argv];
process.argv.push('--some-chromium-switch', methodsArgument());
const preload = await import('../../electron/preload');
afterAll(() => {
  process.argv.splice(0, process.argv.length, ...argvBefore);
});

type Api = Record<string, (...args: unknown[]) => Promise<unknown>>;

/** Runs the function handed to executeInMainWorld, as the page's world would. */
function installInto(): { api: Api; invoke: (m: string, a: unknown[]) => Promise<unknown> } {
  const script = fake.executeInMainWorld.mock.calls[0]?.[0] as {
    func: typeof preload.installKesiApi;
    args: [string[], (m: string, a: unknown[]) => Promise<unknown>];
  };
  // The page world's globalThis, played by a scratch object.
  const page: { kesi?: Api } = {};
  script.func(script.args[0], script.args[1], page);
  return { api: page.kesi!, invoke: script.args[1] };
}

describe('the preload', () => {
  it('reads the method names the main process put in argv', () => {
    expect(preload.methodNamesFromArgv(process.argv)).toEqual([...METHOD_NAMES]);
    expect(methodsArgument().startsWith(METHODS_ARG_PREFIX)).toBe(true);
  });

  it('ignores names that are not plain identifiers, and a missing argument', () => {
    expect(
      preload.methodNamesFromArgv([
        `${METHODS_ARG_PREFIX}listCases,__proto__,a.b,../x,listCases,,Upper,getItem`,
      ]),
    ).toEqual(['listCases', 'getItem']);
    expect(preload.methodNamesFromArgv(['--other'])).toEqual([]);
  });

  it('builds window.kesi in the page world with one function per method', async () => {
    expect(fake.executeInMainWorld).toHaveBeenCalledTimes(1);
    const { api } = installInto();
    expect(Object.keys(api).sort()).toEqual([...METHOD_NAMES].sort());
    expect(Object.isFrozen(api)).toBe(true);

    fake.invoke.mockResolvedValueOnce({ ok: true, value: [{ ref: 'IMLU-1' }] });
    await expect(api['listCases']!({ status: 'open' })).resolves.toEqual([{ ref: 'IMLU-1' }]);
    expect(fake.invoke).toHaveBeenLastCalledWith('kesi:listCases', { status: 'open' });
  });

  it('throws an Error that keeps the code and message of an error reply', async () => {
    const { api } = installInto();
    fake.invoke.mockResolvedValueOnce({
      ok: false,
      error: new KesiError('WRONG_PASSPHRASE', 'The passphrase for amina is not correct.').toData(),
    });
    const err = await api['unlock']!({ user: 'amina', passphrase: 'x' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    expect(err).toMatchObject({
      name: 'KesiCallError',
      code: 'WRONG_PASSPHRASE',
      message: 'The passphrase for amina is not correct.',
    });
  });

  it('builds the proxy from its own source alone (executeInMainWorld serialises it)', async () => {
    // Evaluated in a fresh realm, as in the page's world: no module scope to lean on.
    const page: { kesi?: Api } = {};
    createContext(page);
    const func = runInContext(`(${preload.installKesiApi.toString()})`, page) as (
      names: string[],
      invoke: (m: string, a: unknown[]) => Promise<unknown>,
    ) => void;
    const invoke = vi.fn(async () => ({ ok: false, error: { code: 'FORBIDDEN', message: 'No.' } }));
    func(['whoami'], invoke);
    expect(Object.keys(page.kesi ?? {})).toEqual(['whoami']);
    await expect(page.kesi!['whoami']!()).rejects.toMatchObject({
      name: 'KesiCallError',
      code: 'FORBIDDEN',
      message: 'No.',
    });
  });

  it('treats a malformed reply as INTERNAL', async () => {
    const { api } = installInto();
    fake.invoke.mockResolvedValueOnce('nonsense');
    await expect(api['vaultStatus']!()).rejects.toMatchObject({ code: 'INTERNAL' });
  });

  it('sends nothing for a method the main process did not name', async () => {
    const { invoke } = installInto();
    fake.invoke.mockClear();
    await expect(invoke('deleteEverything', [])).resolves.toMatchObject({
      ok: false,
      error: { code: 'BAD_INPUT' },
    });
    expect(fake.invoke).not.toHaveBeenCalled();
  });

  it('exposes window.kesiHost: file paths, media addresses, progress, and nothing else', () => {
    expect(fake.exposeInMainWorld).toHaveBeenCalledTimes(1);
    const [key, host] = fake.exposeInMainWorld.mock.calls[0] as [string, KesiHost];
    expect(key).toBe('kesiHost');
    expect(Object.keys(host).sort()).toEqual(['mediaUrl', 'onProgress', 'pathForFile']);
    expect(host.pathForFile({ name: 'photo.jpg' })).toBe('/home/amina/photo.jpg');
    // A File made in the page has no path: Electron gives "" (or throws for a non-File).
    fake.getPathForFile.mockReturnValueOnce('');
    expect(host.pathForFile({ name: 'made-in-page.txt' })).toBeNull();
    fake.getPathForFile.mockImplementationOnce(() => {
      throw new TypeError('not a File');
    });
    expect(host.pathForFile({ name: 'x' })).toBeNull();
  });

  it('builds media addresses exactly as the contract does', () => {
    const host = (fake.exposeInMainWorld.mock.calls[0] as [string, KesiHost])[1];
    for (const [id, kind, page] of [
      [7, 'original', undefined],
      [7, 'thumbnail', undefined],
      [12, 'page', undefined],
      [12, 'page', 3],
    ] as const) {
      expect(host.mediaUrl(id, kind, page)).toBe(mediaUrl(id, kind, page));
    }
  });

  it('relays progress events without the IPC event, and stops on request', () => {
    const host = (fake.exposeInMainWorld.mock.calls[0] as [string, KesiHost])[1];
    const listener = vi.fn();
    const stop = host.onProgress(listener);
    expect(fake.on).toHaveBeenCalledTimes(1);
    const [channel, relay] = fake.on.mock.calls[0] as [string, (ev: unknown, e: unknown) => void];
    expect(channel).toBe(PROGRESS_CHANNEL);
    const event = { jobId: 'j1', kind: 'intake', done: 1, total: 2 };
    relay({ sender: { send: () => undefined }, ports: [] }, event);
    expect(listener).toHaveBeenCalledWith(event);
    expect(listener.mock.calls[0]).toHaveLength(1);
    stop();
    expect(fake.removeListener).toHaveBeenCalledWith(PROGRESS_CHANNEL, relay);
  });

  it('imports nothing at runtime but electron, and agrees with the contract constants', () => {
    const src = readFileSync(join(__dirname, '../../electron/preload.ts'), 'utf8');
    const imports = [...src.matchAll(/^import\s+(type\s+)?[^'"]*from\s+'([^']+)';/gm)];
    expect(imports.length).toBeGreaterThan(0);
    for (const [, isType, from] of imports) {
      if (!isType) expect(from).toBe('electron');
    }
    expect(src).not.toMatch(/\brequire\(/);
    expect(src).toContain(`const METHODS_ARG_PREFIX = '${METHODS_ARG_PREFIX}';`);
    expect(src).toContain("const CHANNEL_PREFIX = 'kesi:';");
    expect(src).toContain(`const PROGRESS_CHANNEL = '${PROGRESS_CHANNEL}';`);
    expect(src).toContain(`const MEDIA_SCHEME = '${MEDIA_SCHEME}';`);
  });
});
