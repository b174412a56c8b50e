// A growing delay after repeated wrong passphrases, kept in the vault folder so that it holds
// across app restarts and CLI calls. It slows guessing at the keyboard; against a copied vault the
// protection is the scrypt cost of each slot (DESIGN.md), which no file here can weaken.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { KesiError } from '../../shared/errors';
import { writeFileAtomic } from '../util/fs-atomic';

export const LOCKOUT_FILE = 'unlock-attempts.json';
/** Wrong passphrases allowed before any delay. */
export const FREE_ATTEMPTS = 3;
export const MAX_DELAY_SECONDS = 300;

const State = z.record(z.string(), z.object({ failures: z.number().int(), last: z.string() }));
type State = z.infer<typeof State>;

function load(dir: string): State {
  const file = join(dir, LOCKOUT_FILE);
  if (!existsSync(file)) return {};
  try {
    const parsed = State.safeParse(JSON.parse(readFileSync(file, 'utf8')));
    return parsed.success ? parsed.data : {};
  } catch {
    return {};
  }
}

function save(dir: string, state: State): void {
  writeFileAtomic(join(dir, LOCKOUT_FILE), JSON.stringify(state) + '\n');
}

/** Seconds to wait after `failures` consecutive wrong passphrases: 0,0,0,2,4,8,… up to 300. */
export function delayAfter(failures: number): number {
  if (failures < FREE_ATTEMPTS) return 0;
  return Math.min(2 ** (failures - FREE_ATTEMPTS + 1), MAX_DELAY_SECONDS);
}

/** Throws UNLOCK_DELAYED when this user must still wait before another try. */
export function checkLockout(dir: string, user: string, now = new Date()): void {
  const entry = load(dir)[user.toLowerCase()];
  if (!entry) return;
  const readyAt = Date.parse(entry.last) + delayAfter(entry.failures) * 1000;
  const wait = Math.ceil((readyAt - now.getTime()) / 1000);
  if (wait > 0) {
    throw new KesiError(
      'UNLOCK_DELAYED',
      `Too many wrong passphrases for ${user}. Try again in ${wait} second${wait === 1 ? '' : 's'}.`,
      { retryAfterSeconds: wait, failures: entry.failures },
    );
  }
}

export function recordFailure(dir: string, user: string, now = new Date()): number {
  const state = load(dir);
  const key = user.toLowerCase();
  const failures = (state[key]?.failures ?? 0) + 1;
  state[key] = { failures, last: now.toISOString() };
  save(dir, state);
  return failures;
}

export function clearFailures(dir: string, user: string): void {
  const state = load(dir);
  const key = user.toLowerCase();
  if (state[key] === undefined) return;
  delete state[key];
  save(dir, state);
}
