// The app's session: the configured vault folder, and the signed-in KesiService or none.
// Locking (on demand, after the idle time, on window close and quit) drops the service: the
// service signs a tree head, closes the catalogue and wipes the keys. Plain Node: no electron.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type {
  AppSettingsView,
  CreatedVaultView,
  Language,
  VaultStatus,
  WhoAmI,
} from '../../shared/contract';
import { KesiError } from '../../shared/errors';
import { KesiService, resetUserKey, type ServiceOptions } from '../service/service';
import { readHeader } from '../vault/header';
import {
  createVault,
  lockVault,
  unlockVault,
  unlockWithKey,
  type VaultOptions,
} from '../vault/vault';
import { IdleTimer } from './idle';
import { consoleLogger, describeUnexpected, type Logger } from './log';

export const DEFAULT_AUTO_LOCK_MINUTES = 10;

export type LockReason = 'request' | 'idle' | 'close' | 'quit' | 'replaced';

export interface SessionOptions {
  /** The vault folder. */
  dir: string;
  autoLockMinutes?: number;
  language?: Language;
  /** Called after every lock (main returns the window to the unlock screen). */
  onLock?: (reason: LockReason) => void;
  /** Called when the user changes the idle time (main stores it). */
  onAutoLockChange?: (minutes: number) => void;
  /** Called when the user switches the language (main stores it). */
  onLanguageChange?: (language: Language) => void;
  /** scrypt cost of new passphrase slots (tests use a low one). */
  kdfLogN?: number;
  service?: ServiceOptions;
  now?: () => Date;
  log?: Logger;
}

export class AppSession {
  readonly dir: string;
  private current: KesiService | null = null;
  private minutes: number;
  private language: Language;
  private readonly idle: IdleTimer;
  /** Session changes (create, unlock, recover, lock) run one at a time. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly opts: SessionOptions) {
    this.dir = opts.dir;
    this.minutes = opts.autoLockMinutes ?? DEFAULT_AUTO_LOCK_MINUTES;
    this.language = opts.language ?? 'en';
    this.idle = new IdleTimer({
      delayMs: this.minutes * 60_000,
      onIdle: () => this.lock('idle'),
    });
  }

  get unlocked(): boolean {
    return this.current !== null;
  }

  get autoLockMinutes(): number {
    return this.minutes;
  }

  /** The signed-in service; VAULT_LOCKED when nobody is signed in. */
  service(): KesiService {
    if (this.current === null || this.current.isLocked) throw new KesiError('VAULT_LOCKED');
    return this.current;
  }

  /** The signed-in service or null, without throwing (for the media protocol). */
  serviceOrNull(): KesiService | null {
    return this.current !== null && !this.current.isLocked ? this.current : null;
  }

  /** User activity (an IPC call, a key press, a mouse move): the idle time restarts. */
  touch(): void {
    this.idle.touch();
  }

  /** Runs one call as activity; the session does not lock itself while it runs. */
  track<T>(fn: () => Promise<T> | T): Promise<T> {
    return this.idle.hold(fn);
  }

  status(): VaultStatus {
    const exists = existsSync(join(this.dir, 'vault.json'));
    const header = exists ? readHeader(this.dir) : null;
    return {
      dir: this.dir,
      exists,
      name: header?.name ?? null,
      vaultId: header?.vaultId ?? null,
      users: (header?.users ?? [])
        .filter((u) => u.removedAt === null)
        .map((u) => ({ name: u.name, role: u.role })),
      unlocked: this.unlocked,
      autoLockMinutes: this.minutes,
    };
  }

  setAutoLockMinutes(minutes: number): VaultStatus {
    this.minutes = minutes;
    this.idle.setDelay(minutes * 60_000);
    this.opts.onAutoLockChange?.(minutes);
    return this.status();
  }

  settings(): AppSettingsView {
    return { language: this.language, autoLockMinutes: this.minutes };
  }

  setLanguage(language: Language): AppSettingsView {
    this.language = language;
    this.opts.onLanguageChange?.(language);
    return this.settings();
  }

  create(input: {
    name?: string | undefined;
    admin: string;
    passphrase: string;
    escrowRecipient?: string | undefined;
  }): Promise<CreatedVaultView> {
    return this.serial(async () => {
      const created = await createVault(this.dir, {
        ...this.vaultOptions(),
        admin: input.admin,
        passphrase: input.passphrase,
        ...(input.name === undefined ? {} : { name: input.name }),
        ...(input.escrowRecipient === undefined ? {} : { escrowRecipient: input.escrowRecipient }),
      });
      this.end('replaced');
      const service = this.begin(new KesiService(created.vault, created.user, this.opts.service));
      return { recoveryKey: created.recoveryIdentity, user: service.whoami() };
    });
  }

  unlock(user: string, passphrase: string): Promise<WhoAmI> {
    return this.serial(async () => {
      this.end('replaced');
      const { vault, user: u } = await unlockVault(this.dir, user, passphrase, this.vaultOptions());
      return this.begin(new KesiService(vault, u, this.opts.service)).whoami();
    });
  }

  /**
   * Every passphrase lost: the recovery (or escrow) key opens the vault, the user gets a new
   * passphrase and signing key (recorded in the vault chain), and is then signed in with it.
   */
  recover(user: string, recoveryKey: string, newPassphrase: string): Promise<WhoAmI> {
    return this.serial(async () => {
      this.end('replaced');
      const { vault, slot } = await unlockWithKey(this.dir, recoveryKey, this.vaultOptions());
      try {
        const target = vault.catalogue.users.byName(user);
        if (!target || target.removedAt) throw new KesiError('USER_NOT_FOUND');
        const now = (this.opts.now ?? (() => new Date()))().toISOString();
        await resetUserKey(vault, target, newPassphrase, now, null, slot);
      } finally {
        lockVault(vault);
      }
      const opened = await unlockVault(this.dir, user, newPassphrase, this.vaultOptions());
      return this.begin(new KesiService(opened.vault, opened.user, this.opts.service)).whoami();
    });
  }

  /** Locks now. Safe to call when already locked. */
  lock(reason: LockReason = 'request'): void {
    if (this.end(reason)) this.opts.onLock?.(reason);
  }

  private begin(service: KesiService): KesiService {
    this.current = service;
    this.idle.start();
    return service;
  }

  /** Drops the service; true if there was one. */
  private end(_reason: LockReason): boolean {
    this.idle.stop();
    const s = this.current;
    if (s === null) return false;
    this.current = null;
    try {
      s.lock();
    } catch (e) {
      // The keys are wiped even when the closing tree head cannot be written (service.lock).
      (this.opts.log ?? consoleLogger)(describeUnexpected('lock', e));
    }
    return true;
  }

  private vaultOptions(): VaultOptions {
    return {
      ...(this.opts.kdfLogN === undefined ? {} : { kdfLogN: this.opts.kdfLogN }),
      ...(this.opts.now === undefined ? {} : { now: this.opts.now }),
    };
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn, fn);
    this.queue = run.catch(() => undefined);
    return run;
  }
}
