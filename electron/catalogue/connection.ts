// Opening the catalogue as a standard SQLCipher 4 database keyed with a raw 256-bit key, and
// the connection settings every Kesi connection uses.
import { existsSync } from 'node:fs';
import Database from 'better-sqlite3-multiple-ciphers';
import { KesiError } from '../../shared/errors';
import { assertNotTooNew } from './migrate';
import type { Migration } from './migrations';
import { MIGRATIONS } from './migrations';
import { sqliteCode } from './sql';
import type { Db } from './sql';

export const CATALOGUE_KEY_BYTES = 32;
export const BUSY_TIMEOUT_MS = 5000;

export interface ConnectionOptions {
  readonly?: boolean;
  /** Refuse to create the file when it is missing (always so when readonly). */
  mustExist?: boolean;
  migrations?: readonly Migration[];
}

function causeOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/**
 * Open and key the database, check the key, refuse a newer schema, and apply the connection
 * settings. Migrations are the caller's business.
 */
export function openEncrypted(file: string, key: Buffer, opts: ConnectionOptions = {}): Db {
  if (!Buffer.isBuffer(key) || key.length !== CATALOGUE_KEY_BYTES) {
    throw new KesiError('INTERNAL', 'The catalogue key must be 256 bits.');
  }
  const readonly = opts.readonly === true;
  const mustExist = readonly || opts.mustExist === true;
  if (mustExist && !existsSync(file)) {
    throw new KesiError('VAULT_CORRUPT', 'The catalogue file is missing from the vault.');
  }
  let db: Db;
  try {
    db = new Database(file, { readonly, fileMustExist: mustExist, timeout: BUSY_TIMEOUT_MS });
  } catch (e) {
    throw new KesiError('VAULT_CORRUPT', 'The catalogue file cannot be opened.', {
      cause: causeOf(e),
    });
  }
  try {
    applyKey(db, key);
    assertNotTooNew(db, opts.migrations ?? MIGRATIONS);
    configure(db, readonly);
    return db;
  } catch (e) {
    db.close();
    throw e;
  }
}

function applyKey(db: Db, key: Buffer): void {
  // SQLCipher 4 defaults (legacy=4): AES-256-CBC, HMAC-SHA512, 4096-byte pages. A key given
  // as x'<64 hex digits>' is used as is, without key derivation; the salt stays in the file.
  if (db.pragma(`cipher = 'sqlcipher'`, { simple: true }) !== 'sqlcipher') {
    throw new KesiError('INTERNAL', 'This build of SQLite cannot read SQLCipher databases.');
  }
  if (Number(db.pragma('legacy = 4', { simple: true })) !== 4) {
    throw new KesiError('INTERNAL', 'This build of SQLite cannot use the SQLCipher 4 format.');
  }
  if (db.pragma(`key = "x'${key.toString('hex')}'"`, { simple: true }) !== 'ok') {
    throw new KesiError('INTERNAL', 'The catalogue key was not accepted.');
  }
  try {
    db.prepare('SELECT count(*) FROM sqlite_schema').get();
  } catch (e) {
    if (sqliteCode(e) === 'SQLITE_NOTADB') throw new KesiError('CATALOGUE_KEY_WRONG');
    throw new KesiError('VAULT_CORRUPT', 'The catalogue cannot be read.', { cause: causeOf(e) });
  }
}

function configure(db: Db, readonly: boolean): void {
  db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  // Temporary tables, indices and sort spills stay in memory: no plaintext temp files.
  db.pragma('temp_store = MEMORY');
  db.pragma('foreign_keys = ON');
  db.pragma('trusted_schema = OFF');
  db.pragma('cell_size_check = ON');
  if (readonly) return;
  const mode = db.pragma('journal_mode = WAL', { simple: true });
  if (mode !== 'wal') {
    throw new KesiError('INTERNAL', `The catalogue could not use write-ahead logging (${mode}).`);
  }
  db.pragma('synchronous = FULL');
}
