// electron/app/session.ts and idle.ts: the vault folder's status, create / unlock / recover /
// lock, and the idle auto-lock.
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { KesiError } from '../../shared/errors';
import { IdleTimer } from '../../electron/app/idle';
import { AppSession } from '../../electron/app/session';
import { tempDir } from '../helpers/tmp';
import { TEST_LOG_N } from '../helpers/vault';

const PASS = 'correct horse battery staple';

function newSession(opts: Partial<ConstructorParameters<typeof AppSession>[0]> = {}) {
  const dir = join(tempDir(), 'vault');
  return new AppSession({ dir, kdfLogN: TEST_LOG_N, log: () => undefined, ...opts });
}

afterEach(() => {
  vi.useRealTimers();
});

describe('AppSession', () => {
  it('reports a folder without a vault, then the vault and its users', async () => {
    const s = newSession();
    expect(s.status()).toMatchObject({ exists: false, unlocked: false, users: [], name: null });
    const created = await s.create({ name: 'IMLU', admin: 'amina', passphrase: PASS });
    expect(created.recoveryKey).toMatch(/^AGE-SECRET-KEY-1/);
    await s
      .service()
      .addUser({ name: 'otieno', role: 'investigator', passphrase: 'otieno pass 1' });
    expect(s.status()).toMatchObject({
      exists: true,
      unlocked: true,
      name: 'IMLU',
      users: [
        { name: 'amina', role: 'admin' },
        { name: 'otieno', role: 'investigator' },
      ],
    });
    s.lock();
  });

  it('locks: the service is dropped and its keys wiped; calls then say VAULT_LOCKED', async () => {
    const onLock = vi.fn();
    const s = newSession({ onLock });
    await s.create({ admin: 'amina', passphrase: PASS });
    const service = s.service();
    s.lock('request');
    expect(service.isLocked).toBe(true);
    expect(s.unlocked).toBe(false);
    expect(s.serviceOrNull()).toBeNull();
    expect(() => s.service()).toThrow(expect.objectContaining({ code: 'VAULT_LOCKED' }));
    expect(onLock).toHaveBeenCalledWith('request');
    s.lock('request'); // already locked: nothing happens
    expect(onLock).toHaveBeenCalledTimes(1);
  });

  it('unlocks with a passphrase, and refuses a wrong one', async () => {
    const s = newSession();
    await s.create({ admin: 'amina', passphrase: PASS });
    s.lock();
    await expect(s.unlock('amina', 'not the passphrase')).rejects.toMatchObject({
      code: 'WRONG_PASSPHRASE',
    });
    expect(s.unlocked).toBe(false);
    await expect(s.unlock('amina', PASS)).resolves.toMatchObject({ name: 'amina', role: 'admin' });
    s.lock();
  });

  it('refuses to create a vault where one exists', async () => {
    const s = newSession();
    await s.create({ admin: 'amina', passphrase: PASS });
    await expect(s.create({ admin: 'amina', passphrase: PASS })).rejects.toBeInstanceOf(KesiError);
  });

  it('recovers with the recovery key: new passphrase, signed in, old passphrase gone', async () => {
    const s = newSession();
    const { recoveryKey } = await s.create({ admin: 'amina', passphrase: PASS });
    s.lock();
    await expect(
      s.recover('amina', 'AGE-SECRET-KEY-1NOTAKEY', 'new pass phrase'),
    ).rejects.toMatchObject({ code: 'WRONG_RECOVERY_KEY' });
    const me = await s.recover('amina', recoveryKey, 'a brand new passphrase');
    expect(me).toMatchObject({ name: 'amina' });
    const actions = s
      .service()
      .vaultLog()
      .map((e) => e.action);
    expect(actions).toContain('recover');
    s.lock();
    await expect(s.unlock('amina', PASS)).rejects.toMatchObject({ code: 'WRONG_PASSPHRASE' });
    await expect(s.unlock('amina', 'a brand new passphrase')).resolves.toMatchObject({
      name: 'amina',
    });
    s.lock();
  });

  it('locks itself after the idle time, counted from the last activity', async () => {
    const s = newSession({ autoLockMinutes: 5 });
    await s.create({ admin: 'amina', passphrase: PASS });
    vi.useFakeTimers();
    s.setAutoLockMinutes(5); // re-arms the timer under the fake clock
    vi.advanceTimersByTime(4 * 60_000);
    s.touch();
    vi.advanceTimersByTime(4 * 60_000);
    expect(s.unlocked).toBe(true);
    vi.advanceTimersByTime(60_000 + 10);
    expect(s.unlocked).toBe(false);
  });

  it('does not lock itself while a call runs', async () => {
    const onLock = vi.fn();
    const s = newSession({ onLock });
    await s.create({ admin: 'amina', passphrase: PASS });
    vi.useFakeTimers();
    s.setAutoLockMinutes(1);
    let finish: () => void = () => undefined;
    const running = s.track(() => new Promise<void>((r) => (finish = r)));
    vi.advanceTimersByTime(5 * 60_000);
    expect(s.unlocked).toBe(true);
    finish();
    await running;
    vi.advanceTimersByTime(60_000 + 10);
    expect(s.unlocked).toBe(false);
    expect(onLock).toHaveBeenCalledWith('idle');
  });

  it('stores a new idle time through its callback', async () => {
    const onAutoLockChange = vi.fn();
    const s = newSession({ onAutoLockChange });
    expect(s.setAutoLockMinutes(30).autoLockMinutes).toBe(30);
    expect(onAutoLockChange).toHaveBeenCalledWith(30);
  });

  it('keeps the language, also while locked, and stores it through its callback', () => {
    const onLanguageChange = vi.fn();
    const s = newSession({ onLanguageChange, language: 'sw', autoLockMinutes: 7 });
    expect(s.settings()).toEqual({ language: 'sw', autoLockMinutes: 7 });
    expect(s.setLanguage('en')).toEqual({ language: 'en', autoLockMinutes: 7 });
    expect(onLanguageChange).toHaveBeenCalledWith('en');
    expect(newSession().settings().language).toBe('en');
  });
});

describe('IdleTimer', () => {
  it('fires once after the delay without activity, and never after stop()', () => {
    vi.useFakeTimers();
    const onIdle = vi.fn();
    const t = new IdleTimer({ delayMs: 1000, onIdle });
    t.start();
    vi.advanceTimersByTime(999);
    expect(onIdle).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(onIdle).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(10_000);
    expect(onIdle).toHaveBeenCalledTimes(1);
    t.start();
    t.stop();
    vi.advanceTimersByTime(10_000);
    expect(onIdle).toHaveBeenCalledTimes(1);
  });

  it('takes a shorter delay into account at once', () => {
    vi.useFakeTimers();
    const onIdle = vi.fn();
    const t = new IdleTimer({ delayMs: 60_000, onIdle });
    t.start();
    vi.advanceTimersByTime(10_000);
    t.setDelay(5_000);
    vi.advanceTimersByTime(1);
    expect(onIdle).toHaveBeenCalledTimes(1);
  });
});
