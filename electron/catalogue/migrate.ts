// The migration runner: each pending migration in its own transaction, user_version set in the
// same transaction, and a database newer than this code refused before anything is touched.
import { KesiError } from '../../shared/errors';
import { MIGRATIONS } from './migrations';
import type { Migration } from './migrations';
import type { Db } from './sql';

export function schemaVersion(db: Db): number {
  return Number(db.pragma('user_version', { simple: true }));
}

export function latestVersion(migrations: readonly Migration[] = MIGRATIONS): number {
  return migrations.at(-1)?.version ?? 0;
}

function assertWellFormed(migrations: readonly Migration[]): void {
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) {
      throw new Error(`Migration ${m.name} has version ${m.version}; expected ${i + 1}.`);
    }
  });
}

/** Throws VAULT_TOO_NEW when the database was written by a newer schema than these migrations. */
export function assertNotTooNew(db: Db, migrations: readonly Migration[] = MIGRATIONS): number {
  const current = schemaVersion(db);
  const latest = latestVersion(migrations);
  if (current > latest) {
    throw new KesiError('VAULT_TOO_NEW', undefined, { schemaVersion: current, supported: latest });
  }
  return current;
}

export interface MigrationResult {
  from: number;
  to: number;
}

/**
 * Bring the database up to the latest schema. Each migration runs in its own IMMEDIATE
 * transaction with foreign-key enforcement off and a foreign_key_check at its end (the order
 * SQLite documents for schema changes); a failure rolls that migration back completely and
 * leaves user_version at the last migration that succeeded.
 */
export function migrate(db: Db, migrations: readonly Migration[] = MIGRATIONS): MigrationResult {
  assertWellFormed(migrations);
  const from = assertNotTooNew(db, migrations);
  const pending = migrations.filter((m) => m.version > from);
  if (pending.length === 0) return { from, to: from };

  const foreignKeys = Number(db.pragma('foreign_keys', { simple: true })) === 1;
  db.pragma('foreign_keys = OFF');
  try {
    for (const m of pending) {
      const step = db.transaction(() => {
        m.up(db);
        const problems = db.pragma('foreign_key_check') as unknown[];
        if (problems.length > 0) {
          throw new Error(`${problems.length} rows break foreign keys after the migration`);
        }
        db.pragma(`user_version = ${m.version}`);
      });
      try {
        step.immediate();
      } catch (e) {
        if (e instanceof KesiError) throw e;
        throw new KesiError(
          'INTERNAL',
          'The catalogue could not be upgraded for this version of Kesi. The failed step was undone.',
          {
            migration: m.version,
            name: m.name,
            cause: e instanceof Error ? e.message : String(e),
          },
        );
      }
    }
  } finally {
    if (foreignKeys) db.pragma('foreign_keys = ON');
  }
  return { from, to: schemaVersion(db) };
}
