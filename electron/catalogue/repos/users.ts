import type { Role, User } from '../../../shared/domain';
import { KesiError } from '../../../shared/errors';
import { nowIso, rethrowConstraint } from '../sql';
import type { Sql } from '../sql';
import type { NewUser, NewUserKey, UserKey } from '../types';

interface UserRow {
  id: number;
  name: string;
  role: Role;
  created_at: string;
  removed_at: string | null;
  key_id: string | null;
  public_key: string | null;
}

interface UserKeyRow {
  id: number;
  user_id: number;
  key_id: string;
  public_key: string;
  created_at: string;
  revoked_at: string | null;
}

/** The form of a user name that decides uniqueness: NFC, lower case. */
export function userNameKey(name: string): string {
  return name.normalize('NFC').toLowerCase();
}

// A user's current key is their newest key that is not revoked.
const SELECT_USER = `
  SELECT u.id, u.name, u.role, u.created_at, u.removed_at, k.key_id, k.public_key
  FROM users u
  LEFT JOIN user_keys k ON k.id = (
    SELECT id FROM user_keys
    WHERE user_id = u.id AND revoked_at IS NULL
    ORDER BY created_at DESC, id DESC LIMIT 1)`;

function toUser(r: UserRow): User {
  return {
    id: r.id,
    name: r.name,
    role: r.role,
    // Empty until the user has a key that is not revoked.
    keyId: r.key_id ?? '',
    publicKey: r.public_key ?? '',
    createdAt: r.created_at,
    removedAt: r.removed_at,
  };
}

function toKey(r: UserKeyRow): UserKey {
  return {
    id: r.id,
    userId: r.user_id,
    keyId: r.key_id,
    publicKey: r.public_key,
    createdAt: r.created_at,
    revokedAt: r.revoked_at,
  };
}

const KEY_UNIQUES = {
  'user_keys.key_id': { code: 'BAD_INPUT', message: 'That signing key is already registered.' },
} as const;

export class UsersRepo {
  constructor(private readonly sql: Sql) {}

  /** Add a user (and, when given, their first key, in the same transaction). */
  insert(input: NewUser): User {
    return this.sql.tx(() => {
      let id: number;
      try {
        id = this.sql.insert(
          `INSERT INTO users (name, name_key, role, created_at) VALUES (?, ?, ?, ?)`,
          input.name,
          userNameKey(input.name),
          input.role,
          input.createdAt ?? nowIso(),
        );
      } catch (e) {
        rethrowConstraint(e, { 'users.name_key': 'USER_EXISTS' });
      }
      if (input.key !== undefined) this.addKey({ ...input.key, userId: id });
      return this.get(id);
    });
  }

  find(id: number): User | undefined {
    const r = this.sql.get<UserRow>(`${SELECT_USER} WHERE u.id = ?`, id);
    return r && toUser(r);
  }

  get(id: number): User {
    const u = this.find(id);
    if (u === undefined) throw new KesiError('USER_NOT_FOUND');
    return u;
  }

  /** Case-insensitive; undefined when there is no such user. */
  byName(name: string): User | undefined {
    const r = this.sql.get<UserRow>(`${SELECT_USER} WHERE u.name_key = ?`, userNameKey(name));
    return r && toUser(r);
  }

  getByName(name: string): User {
    const u = this.byName(name);
    if (u === undefined) throw new KesiError('USER_NOT_FOUND');
    return u;
  }

  /** Users by name; removed users only when asked for. */
  list(opts: { includeRemoved?: boolean } = {}): User[] {
    const where = opts.includeRemoved === true ? '' : 'WHERE u.removed_at IS NULL';
    return this.sql.all<UserRow>(`${SELECT_USER} ${where} ORDER BY u.name_key, u.id`).map(toUser);
  }

  countActiveAdmins(): number {
    const r = this.sql.get<{ n: number }>(
      `SELECT count(*) AS n FROM users WHERE role = 'admin' AND removed_at IS NULL`,
    );
    return r?.n ?? 0;
  }

  /** Refuses (LAST_ADMIN) to take away the last active administrator. */
  markRemoved(id: number, at: string = nowIso()): User {
    return this.sql.tx(() => {
      const u = this.get(id);
      if (u.removedAt !== null) return u;
      this.assertNotLastAdmin(u);
      this.sql.run(`UPDATE users SET removed_at = ? WHERE id = ?`, at, id);
      return this.get(id);
    });
  }

  /** Refuses (LAST_ADMIN) to demote the last active administrator. */
  setRole(id: number, role: Role): User {
    return this.sql.tx(() => {
      const u = this.get(id);
      if (u.removedAt !== null) throw new KesiError('USER_NOT_FOUND');
      if (role !== 'admin') this.assertNotLastAdmin(u);
      try {
        this.sql.run(`UPDATE users SET role = ? WHERE id = ?`, role, id);
      } catch (e) {
        rethrowConstraint(e);
      }
      return this.get(id);
    });
  }

  private assertNotLastAdmin(u: User): void {
    if (u.role === 'admin' && u.removedAt === null && this.countActiveAdmins() <= 1) {
      throw new KesiError('LAST_ADMIN');
    }
  }

  /** Register a signing key; it becomes the user's current key. */
  addKey(key: NewUserKey & { userId: number }): UserKey {
    return this.sql.tx(() => {
      this.get(key.userId);
      let id: number;
      try {
        id = this.sql.insert(
          `INSERT INTO user_keys (user_id, key_id, public_key, created_at) VALUES (?, ?, ?, ?)`,
          key.userId,
          key.keyId,
          key.publicKey,
          key.createdAt ?? nowIso(),
        );
      } catch (e) {
        rethrowConstraint(e, KEY_UNIQUES);
      }
      const r = this.sql.get<UserKeyRow>(`SELECT * FROM user_keys WHERE id = ?`, id);
      if (r === undefined) throw new KesiError('INTERNAL');
      return toKey(r);
    });
  }

  /** Revoke a key; the user's current key becomes their newest other key that is not revoked. */
  revokeKey(keyId: string, at: string = nowIso()): UserKey {
    return this.sql.tx(() => {
      const k = this.findKey(keyId);
      if (k === undefined) throw new KesiError('BAD_INPUT', 'There is no such key.');
      if (k.revokedAt !== null) return k;
      this.sql.run(`UPDATE user_keys SET revoked_at = ? WHERE key_id = ?`, at, keyId);
      return { ...k, revokedAt: at };
    });
  }

  /** Revoke every key of the user that is not revoked yet (before giving them a new one). */
  revokeKeys(userId: number, at: string = nowIso()): number {
    return this.sql.run(
      `UPDATE user_keys SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL`,
      at,
      userId,
    ).changes;
  }

  /** The user's newest key that is not revoked. */
  currentKey(userId: number): UserKey | undefined {
    const r = this.sql.get<UserKeyRow>(
      `SELECT * FROM user_keys WHERE user_id = ? AND revoked_at IS NULL
       ORDER BY created_at DESC, id DESC LIMIT 1`,
      userId,
    );
    return r && toKey(r);
  }

  /** Any key, current, replaced or revoked: what verifying old custody events needs. */
  findKey(keyId: string): UserKey | undefined {
    const r = this.sql.get<UserKeyRow>(`SELECT * FROM user_keys WHERE key_id = ?`, keyId);
    return r && toKey(r);
  }

  /** All keys of a user, oldest first. */
  keys(userId: number): UserKey[] {
    return this.sql
      .all<UserKeyRow>(`SELECT * FROM user_keys WHERE user_id = ? ORDER BY created_at, id`, userId)
      .map(toKey);
  }

  /** Every key of every user, oldest first (for vault.json and for verification). */
  allKeys(): UserKey[] {
    return this.sql.all<UserKeyRow>(`SELECT * FROM user_keys ORDER BY created_at, id`).map(toKey);
  }
}
