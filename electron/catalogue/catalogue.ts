// The catalogue: one encrypted SQLCipher 4 database per vault, its repositories composed.
import { KesiError } from '../../shared/errors';
import { verifyCipherPages } from './cipher-check';
import { openEncrypted } from './connection';
import type { ConnectionOptions } from './connection';
import { latestVersion, migrate, schemaVersion } from './migrate';
import { MIGRATIONS } from './migrations';
import { BundlesRepo } from './repos/bundles';
import { CasesRepo } from './repos/cases';
import { DerivativesRepo } from './repos/derivatives';
import { ItemsRepo } from './repos/items';
import { PersonsRepo } from './repos/persons';
import { SearchRepo } from './repos/search';
import { UsersRepo } from './repos/users';
import { Sql } from './sql';
import type { Db } from './sql';
import type { SearchHit, SearchOptions } from './types';

export type CatalogueOptions = ConnectionOptions;

/**
 * Open (creating when allowed) the catalogue at file with its raw 256-bit key, and bring its
 * schema up to date. Throws CATALOGUE_KEY_WRONG for a key that does not open it, VAULT_TOO_NEW
 * for a schema newer than this code, CATALOGUE_NEEDS_UPGRADE when a read-only open finds an
 * older schema.
 */
export function openCatalogue(file: string, key: Buffer, opts: CatalogueOptions = {}): Catalogue {
  const db = openEncrypted(file, key, opts);
  try {
    const migrations = opts.migrations ?? MIGRATIONS;
    if (opts.readonly === true) {
      const version = schemaVersion(db);
      if (version < latestVersion(migrations)) {
        throw new KesiError('CATALOGUE_NEEDS_UPGRADE', undefined, { schemaVersion: version });
      }
    } else {
      migrate(db, migrations);
    }
    return new Catalogue(db, file, key, opts.readonly === true);
  } catch (e) {
    db.close();
    throw e;
  }
}

export class Catalogue {
  readonly users: UsersRepo;
  readonly cases: CasesRepo;
  readonly persons: PersonsRepo;
  readonly items: ItemsRepo;
  readonly derivatives: DerivativesRepo;
  readonly bundles: BundlesRepo;
  private readonly sql: Sql;
  private readonly searchRepo: SearchRepo;
  private readonly key: Buffer;

  /** Use openCatalogue. */
  constructor(
    readonly db: Db,
    readonly file: string,
    key: Buffer,
    readonly readonly: boolean,
  ) {
    // A private copy, wiped on close; needed to verify page authentication codes.
    this.key = Buffer.from(key);
    this.sql = new Sql(db, readonly);
    this.users = new UsersRepo(this.sql);
    this.cases = new CasesRepo(this.sql);
    this.persons = new PersonsRepo(this.sql);
    this.items = new ItemsRepo(this.sql);
    this.derivatives = new DerivativesRepo(this.sql);
    this.bundles = new BundlesRepo(this.sql);
    this.searchRepo = new SearchRepo(this.sql);
  }

  get isOpen(): boolean {
    return this.db.open;
  }

  get schemaVersion(): number {
    return schemaVersion(this.db);
  }

  /**
   * Run fn in one transaction: all of it is committed or none. Synchronous only; nested calls
   * become savepoints.
   */
  tx<T>(fn: () => T): T {
    return this.sql.tx(fn);
  }

  search(query: string, opts?: SearchOptions): SearchHit[] {
    return this.searchRepo.search(query, opts);
  }

  /** Every blob name the catalogue refers to (items and derivatives). */
  allBlobNames(): string[] {
    return [...new Set([...this.items.allBlobNames(), ...this.derivatives.allBlobNames()])].sort();
  }

  /** Copy the write-ahead log into the database file and truncate it. */
  checkpoint(): void {
    if (this.readonly) return;
    this.db.pragma('wal_checkpoint(TRUNCATE)');
  }

  /**
   * Problems found, [] when all is well: page authentication codes of the file and its WAL,
   * SQLite's integrity check (which includes the full-text index), and foreign keys.
   */
  integrityCheck(): string[] {
    const problems: string[] = [];
    try {
      problems.push(...verifyCipherPages(this.file, this.key));
    } catch (e) {
      problems.push(`the catalogue file cannot be read: ${(e as Error).message}`);
    }
    try {
      const rows = this.db.pragma('integrity_check') as { integrity_check: string }[];
      for (const r of rows) if (r.integrity_check !== 'ok') problems.push(r.integrity_check);
    } catch (e) {
      problems.push(`integrity check failed: ${(e as Error).message}`);
    }
    try {
      const rows = this.db.pragma('foreign_key_check') as {
        table: string;
        rowid: number | null;
        parent: string;
      }[];
      for (const r of rows) {
        problems.push(`${r.table} row ${String(r.rowid)} refers to a missing ${r.parent} row`);
      }
    } catch (e) {
      problems.push(`foreign key check failed: ${(e as Error).message}`);
    }
    return problems;
  }

  /** Close the connection (checkpointing the WAL) and wipe the key copy. Idempotent. */
  close(): void {
    if (this.db.open) this.db.close();
    this.key.fill(0);
  }
}
