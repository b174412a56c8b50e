// Small helpers shared by the repositories: a statement cache, transactions, time, and the
// translation of SQLite constraint failures into KesiErrors.
import Database from 'better-sqlite3-multiple-ciphers';
import { KesiError } from '../../shared/errors';
import type { ErrorCode } from '../../shared/errors';

export type Db = Database.Database;
type Statement = Database.Statement<unknown[], unknown>;

export function nowIso(): string {
  return new Date().toISOString();
}

export function toInt(b: boolean | undefined): 0 | 1 {
  return b === true ? 1 : 0;
}

export class Sql {
  private readonly cache = new Map<string, Statement>();

  constructor(
    readonly db: Db,
    private readonly readonlyDb: boolean,
  ) {}

  stmt(source: string): Statement {
    let s = this.cache.get(source);
    if (s === undefined) {
      s = this.db.prepare<unknown[], unknown>(source);
      this.cache.set(source, s);
    }
    return s;
  }

  get<T>(source: string, ...params: unknown[]): T | undefined {
    return this.stmt(source).get(...params) as T | undefined;
  }

  all<T>(source: string, ...params: unknown[]): T[] {
    return this.stmt(source).all(...params) as T[];
  }

  run(source: string, ...params: unknown[]): Database.RunResult {
    return this.stmt(source).run(...params);
  }

  /** Insert and return the new row id as a number. */
  insert(source: string, ...params: unknown[]): number {
    return Number(this.run(source, ...params).lastInsertRowid);
  }

  /**
   * Run fn in one transaction (IMMEDIATE at the outermost level, a savepoint when nested).
   * fn must be synchronous: a transaction cannot span an await.
   */
  tx<T>(fn: () => T): T {
    const wrapped = this.db.transaction((): T => {
      const result = fn();
      if (isThenable(result)) {
        throw new TypeError('A catalogue transaction must not return a promise.');
      }
      return result;
    });
    return this.db.inTransaction || this.readonlyDb ? wrapped() : wrapped.immediate();
  }
}

function isThenable(v: unknown): boolean {
  return (
    typeof v === 'object' && v !== null && typeof (v as { then?: unknown }).then === 'function'
  );
}

/** Messages for named CHECK constraints that a caseworker can run into. */
const CONSTRAINT_MESSAGES: Record<string, string> = {
  persons_protected_pseudonym: 'A protected person needs a pseudonym.',
  items_subtype: 'Only a medical report has a subtype (P3, PRC, post-mortem, treatment notes).',
  items_blob: 'Only a physical exhibit can be recorded without a stored file.',
};

export interface UniqueMap {
  /** A "table.column" fragment of SQLite's UNIQUE message, and the error to throw instead. */
  [column: string]: ErrorCode | { code: ErrorCode; message: string };
}

export function sqliteCode(e: unknown): string | undefined {
  return e instanceof Database.SqliteError ? e.code : undefined;
}

/**
 * Rethrow a SQLite error as a KesiError when it is a constraint failure: the named unique
 * columns map to their codes; other constraint failures become BAD_INPUT naming the constraint.
 * Anything else is rethrown unchanged.
 */
export function rethrowConstraint(e: unknown, uniques: UniqueMap = {}): never {
  const code = sqliteCode(e);
  if (code === undefined || !code.startsWith('SQLITE_CONSTRAINT')) throw e;
  const message = (e as Error).message;
  if (code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY') {
    for (const [column, error] of Object.entries(uniques)) {
      if (!message.includes(column)) continue;
      throw typeof error === 'string'
        ? new KesiError(error)
        : new KesiError(error.code, error.message);
    }
  }
  const constraint = message.replace(/^[A-Z ]+constraint failed: /i, '');
  throw new KesiError('BAD_INPUT', CONSTRAINT_MESSAGES[constraint], {
    constraint,
    kind: code.replace('SQLITE_CONSTRAINT_', '').toLowerCase(),
  });
}

/** Build "col = @key" assignments for the defined fields of a patch. */
export function patchAssignments<P extends object>(
  patch: P,
  columns: { readonly [K in keyof P]-?: string },
  encode: (key: keyof P, value: unknown) => unknown = (_k, v) => v,
): { sets: string[]; params: Record<string, unknown> } {
  const sets: string[] = [];
  const params: Record<string, unknown> = {};
  for (const key of Object.keys(columns) as (keyof P & string)[]) {
    const value = patch[key];
    if (value === undefined) continue;
    sets.push(`${columns[key]} = @${key}`);
    params[key] = encode(key, value);
  }
  return { sets, params };
}
