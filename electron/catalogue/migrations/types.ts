import type Database from 'better-sqlite3-multiple-ciphers';

/**
 * One step of the catalogue schema. A migration, once released, never changes: fixes are new
 * migrations. It runs inside its own transaction with foreign keys deferred to a check at its
 * end, and must not depend on application code that may change later (write the SQL out).
 */
export interface Migration {
  readonly version: number;
  readonly name: string;
  up(db: Database.Database): void;
}
