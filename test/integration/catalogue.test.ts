// The encrypted catalogue on real SQLCipher 4 files: opening, keys, format, settings, schema
// versions, migrations, constraints and the repositories.
import { createDecipheriv, createHmac, pbkdf2Sync, randomBytes } from 'node:crypto';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { describe, expect, it } from 'vitest';
import {
  MIGRATIONS,
  latestVersion,
  migrate,
  openCatalogue,
  type Migration,
} from '../../electron/catalogue';
import { KesiError } from '../../shared/errors';
import { fakeKeyId, fakePublicKey, newCatalogue, newKey, sha } from '../helpers/catalogue';
import { tempDir } from '../helpers/tmp';

function kesiCode(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    if (e instanceof KesiError) return e.code;
    throw e;
  }
  return undefined;
}

function kesiError(fn: () => unknown): KesiError {
  try {
    fn();
  } catch (e) {
    if (e instanceof KesiError) return e;
    throw e;
  }
  throw new Error('expected a KesiError');
}

/** A connection made without any Kesi code: the settings a recovery procedure would use. */
function rawOpen(file: string, key: Buffer): Database.Database {
  const db = new Database(file);
  db.pragma(`cipher = 'sqlcipher'`);
  db.pragma('legacy = 4');
  db.pragma(`key = "x'${key.toString('hex')}'"`);
  return db;
}

describe('opening the encrypted catalogue', () => {
  it('creates, closes and reopens with the same key', () => {
    const f = newCatalogue();
    f.cat.cases.insert({
      ref: 'IMLU-2026-001',
      title: 'Kisumu custody death',
      createdBy: f.adminId,
    });
    const cat = f.reopen();
    expect(cat.cases.getByRef('IMLU-2026-001').title).toBe('Kisumu custody death');
    expect(cat.schemaVersion).toBe(latestVersion());
    cat.close();
    cat.close(); // idempotent
    expect(cat.isOpen).toBe(false);
  });

  it('refuses a wrong key with CATALOGUE_KEY_WRONG', () => {
    const f = newCatalogue();
    f.cat.close();
    const e = kesiError(() => openCatalogue(f.file, newKey()));
    expect(e.code).toBe('CATALOGUE_KEY_WRONG');
    expect(e.message).toMatch(/does not open the catalogue/);
    // The file is untouched by the failed attempt.
    expect(openCatalogue(f.file, f.key).cases.list()).toEqual([]);
  });

  it('refuses a file that is not a catalogue, and a key of the wrong size', () => {
    const dir = tempDir();
    const junk = join(dir, 'junk.db');
    writeFileSync(junk, randomBytes(8192));
    expect(kesiCode(() => openCatalogue(junk, newKey()))).toBe('CATALOGUE_KEY_WRONG');
    expect(kesiCode(() => openCatalogue(join(dir, 'x.db'), randomBytes(16)))).toBe('INTERNAL');
  });

  it('refuses a missing file when it must exist, and when read-only', () => {
    const missing = join(tempDir(), 'nope.db');
    expect(kesiCode(() => openCatalogue(missing, newKey(), { mustExist: true }))).toBe(
      'VAULT_CORRUPT',
    );
    expect(kesiCode(() => openCatalogue(missing, newKey(), { readonly: true }))).toBe(
      'VAULT_CORRUPT',
    );
    expect(existsSync(missing)).toBe(false);
  });

  it('is a standard SQLCipher 4 file: encrypted from byte 0, page 1 decrypts with the raw key', () => {
    const f = newCatalogue();
    f.cat.persons.insert({
      caseId: f.cat.cases.insert({ ref: 'C-1', title: 'Plaintext probe', createdBy: f.adminId }).id,
      role: 'survivor',
      fullName: 'Nyokabi Plaintextprobe',
    });
    f.cat.close();
    const bytes = readFileSync(f.file);
    expect(bytes.subarray(0, 16).toString('latin1')).not.toBe('SQLite format 3\0');
    expect(bytes.includes(Buffer.from('Plaintextprobe'))).toBe(false);
    expect(bytes.includes(Buffer.from('CREATE TABLE'))).toBe(false);

    // Decrypt page 1 by the published SQLCipher 4 format, with node:crypto only: 4096-byte
    // pages, 16-byte salt, reserve = 16-byte IV + 64-byte HMAC-SHA512, raw key (no KDF), the
    // HMAC key = PBKDF2-HMAC-SHA512(key, salt ^ 0x3a, 2 iterations).
    const page = bytes.subarray(0, 4096);
    const salt = page.subarray(0, 16);
    const iv = page.subarray(4096 - 80, 4096 - 64);
    const hmacKey = pbkdf2Sync(f.key, Buffer.from(salt.map((b) => b ^ 0x3a)), 2, 32, 'sha512');
    const mac = createHmac('sha512', hmacKey)
      .update(page.subarray(16, 4096 - 64))
      .update(Buffer.from([1, 0, 0, 0]))
      .digest();
    expect(mac.equals(page.subarray(4096 - 64))).toBe(true);
    const d = createDecipheriv('aes-256-cbc', f.key, iv).setAutoPadding(false);
    const plain = Buffer.concat([d.update(page.subarray(16, 4096 - 80)), d.final()]);
    // Header bytes 16..23 of SQLite: page size 4096, WAL write/read versions, 80 reserved bytes.
    expect([...plain.subarray(0, 8)]).toEqual([0x10, 0x00, 2, 2, 80, 64, 32, 32]);
  });

  it('opens with a bare SQLCipher 4 connection (no Kesi code) and the raw key', () => {
    const f = newCatalogue();
    f.cat.cases.insert({ ref: 'C-1', title: 'Bare', createdBy: f.adminId });
    f.cat.close();
    const db = rawOpen(f.file, f.key);
    try {
      expect(db.prepare('SELECT title FROM cases').pluck().get()).toBe('Bare');
    } finally {
      db.close();
    }
  });

  it('uses WAL, synchronous FULL, foreign keys, in-memory temp storage and STRICT tables', () => {
    const { cat } = newCatalogue();
    expect(cat.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(cat.db.pragma('synchronous', { simple: true })).toBe(2);
    expect(cat.db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(cat.db.pragma('temp_store', { simple: true })).toBe(2);
    expect(Number(cat.db.pragma('busy_timeout', { simple: true }))).toBeGreaterThan(0);
    const tables = cat.db
      .prepare(
        `SELECT name, strict FROM pragma_table_list
         WHERE schema = 'main' AND type = 'table' AND name NOT LIKE 'sqlite_%'
           AND name NOT LIKE 'search_index_%'`,
      )
      .all() as { name: string; strict: number }[];
    expect(tables.map((t) => t.name).sort()).toEqual(
      [
        'bundles',
        'cases',
        'custody_events',
        'custody_heads',
        'derivatives',
        'items',
        'persons',
        'signing_identities',
        'user_keys',
        'users',
      ].sort(),
    );
    for (const t of tables) expect(t, t.name).toEqual({ name: t.name, strict: 1 });
  });

  it('checkpoints the WAL into the file', () => {
    const f = newCatalogue();
    f.cat.cases.insert({ ref: 'C-1', title: 'WAL', createdBy: f.adminId });
    expect(statSync(`${f.file}-wal`).size).toBeGreaterThan(0);
    f.cat.checkpoint();
    expect(statSync(`${f.file}-wal`).size).toBe(0);
  });

  it('opens read-only: reads work, writes are refused', () => {
    const f = newCatalogue();
    f.cat.cases.insert({ ref: 'C-1', title: 'Read only', createdBy: f.adminId });
    const ro = f.reopen({ readonly: true });
    expect(ro.cases.getByRef('C-1').title).toBe('Read only');
    expect(() => ro.cases.insert({ ref: 'C-2', title: 'No', createdBy: f.adminId })).toThrow(
      /readonly/,
    );
    expect(ro.integrityCheck()).toEqual([]);
  });
});

describe('schema versions and migrations', () => {
  const extra = (up: Migration['up']): Migration => ({
    version: MIGRATIONS.length + 1,
    name: 'extra',
    up,
  });

  it('refuses a catalogue whose user_version is newer than this code (VAULT_TOO_NEW)', () => {
    const f = newCatalogue();
    f.cat.close();
    const db = rawOpen(f.file, f.key);
    db.pragma(`user_version = ${latestVersion() + 1}`);
    db.close();
    const e = kesiError(() => openCatalogue(f.file, f.key));
    expect(e.code).toBe('VAULT_TOO_NEW');
    expect(e.details).toMatchObject({ schemaVersion: latestVersion() + 1 });
    expect(kesiCode(() => openCatalogue(f.file, f.key, { readonly: true }))).toBe('VAULT_TOO_NEW');
    // Nothing was changed by the refusals.
    const again = rawOpen(f.file, f.key);
    expect(again.pragma('user_version', { simple: true })).toBe(latestVersion() + 1);
    again.close();
  });

  it('applies a new migration in order and records its version', () => {
    const f = newCatalogue();
    f.cat.close();
    const m2 = extra((db) =>
      db.exec('CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT) STRICT'),
    );
    const cat = openCatalogue(f.file, f.key, { migrations: [...MIGRATIONS, m2] });
    expect(cat.schemaVersion).toBe(MIGRATIONS.length + 1);
    expect(cat.db.prepare(`SELECT count(*) FROM notes`).pluck().get()).toBe(0);
    cat.close();
    // Code that knows only version 1 now refuses it.
    expect(kesiCode(() => openCatalogue(f.file, f.key))).toBe('VAULT_TOO_NEW');
  });

  it('rolls a failing migration back completely', () => {
    const f = newCatalogue();
    f.cat.cases.insert({ ref: 'C-1', title: 'Before', createdBy: f.adminId });
    f.cat.close();
    const broken = extra((db) => {
      db.exec(`CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT) STRICT`);
      db.exec(`UPDATE cases SET title = 'After'`);
      db.exec(`DROP INDEX items_sha256`);
      db.exec(`INSERT INTO nowhere VALUES (1)`); // fails
    });
    const e = kesiError(() =>
      openCatalogue(f.file, f.key, { migrations: [...MIGRATIONS, broken] }),
    );
    expect(e.code).toBe('INTERNAL');
    expect(e.details).toMatchObject({ migration: MIGRATIONS.length + 1, name: 'extra' });

    const cat = openCatalogue(f.file, f.key);
    expect(cat.schemaVersion).toBe(MIGRATIONS.length);
    expect(cat.cases.getByRef('C-1').title).toBe('Before');
    const names = cat.db.prepare(`SELECT name FROM sqlite_schema`).pluck().all();
    expect(names).not.toContain('notes');
    expect(names).toContain('items_sha256');
    expect(cat.db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(cat.integrityCheck()).toEqual([]);
  });

  it('rolls back a migration that leaves broken foreign keys', () => {
    const f = newCatalogue();
    f.cat.close();
    const orphan = extra((db) => {
      db.exec(`INSERT INTO persons (case_id, role, full_name, created_at)
               VALUES (999, 'witness', 'Nobody', '2026-01-01T00:00:00.000Z')`);
    });
    const e = kesiError(() =>
      openCatalogue(f.file, f.key, { migrations: [...MIGRATIONS, orphan] }),
    );
    expect(e.details).toMatchObject({ migration: MIGRATIONS.length + 1 });
    const cat = openCatalogue(f.file, f.key);
    expect(cat.schemaVersion).toBe(MIGRATIONS.length);
    expect(cat.db.prepare(`SELECT count(*) FROM persons`).pluck().get()).toBe(0);
  });

  it('refuses migrations that are not numbered 1, 2, 3, …', () => {
    const db = new Database(':memory:');
    const gap: Migration = { version: MIGRATIONS.length + 2, name: 'gap', up: () => undefined };
    expect(() => migrate(db, [...MIGRATIONS, gap])).toThrow(
      new RegExp(`expected ${MIGRATIONS.length + 1}`),
    );
    db.close();
  });

  it('will not open an older schema read-only (CATALOGUE_NEEDS_UPGRADE)', () => {
    const file = join(tempDir(), 'old.db');
    const key = newKey();
    openCatalogue(file, key, { migrations: [] }).close();
    expect(kesiCode(() => openCatalogue(file, key, { readonly: true }))).toBe(
      'CATALOGUE_NEEDS_UPGRADE',
    );
    const cat = openCatalogue(file, key);
    expect(cat.schemaVersion).toBe(latestVersion());
  });
});

describe('constraints', () => {
  const item = (caseId: number, createdBy: number, over: Record<string, unknown> = {}) => ({
    caseId,
    kind: 'photo' as const,
    title: 'Injury to left arm',
    size: 1234,
    mediaType: 'image/jpeg',
    sha256: sha('photo'),
    blobName: 'ab'.repeat(32),
    createdBy,
    ...over,
  });

  it('STRICT and CHECK reject bad rows written directly', () => {
    const { cat, adminId } = newCatalogue();
    const c = cat.cases.insert({ ref: 'C-1', title: 'Constraints', createdBy: adminId });
    const now = new Date().toISOString();
    const insertItem = cat.db.prepare(
      `INSERT INTO items (uid, case_id, kind, title, size, media_type, sha256, blob_name,
         metadata, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const good: unknown[] = [
      '00000000-0000-4000-8000-000000000001',
      c.id,
      'photo',
      't',
      1,
      'image/png',
      sha('x'),
      'b1',
      '{}',
      now,
      adminId,
    ];
    const bad = (i: number, v: unknown) => {
      const row = [...good];
      row[i] = v;
      return () => insertItem.run(...row);
    };
    expect(bad(4, 'twelve')).toThrow(/cannot store TEXT value in INTEGER column/);
    expect(bad(2, 'painting')).toThrow(/items_kind_enum/);
    expect(bad(6, sha('x').toUpperCase())).toThrow(/items_sha256_hex/);
    expect(bad(6, 'abc')).toThrow(/items_sha256_hex/);
    expect(bad(8, '{not json')).toThrow(/items_metadata_object/);
    expect(bad(8, '[1,2]')).toThrow(/items_metadata_object/);
    expect(bad(9, '2026-01-01 10:00:00')).toThrow(/items_created_at_iso/);
    expect(bad(0, 'not-a-uuid')).toThrow(/items_uid_uuid/);
    expect(bad(1, 999)).toThrow(/FOREIGN KEY/);
    expect(bad(7, null)).toThrow(/items_blob/);
    insertItem.run(...good);

    expect(() =>
      cat.db.prepare(`UPDATE users SET role = 'superuser' WHERE id = ?`).run(adminId),
    ).toThrow(/users_role_enum/);
    expect(() =>
      cat.db.prepare(`UPDATE cases SET status = 'pending' WHERE id = ?`).run(c.id),
    ).toThrow(/cases_status_enum/);
    expect(() =>
      cat.db.prepare(`UPDATE cases SET incident_date = '2026-02-30' WHERE id = ?`).run(c.id),
    ).toThrow(/cases_incident_date_date/);
    expect(() =>
      cat.db
        .prepare(`UPDATE user_keys SET public_key = 'not base64!' WHERE user_id = ?`)
        .run(adminId),
    ).toThrow(/user_keys_public_key_ed25519/);
  });

  it('repositories turn constraint failures into clear KesiErrors', () => {
    const { cat, adminId } = newCatalogue();
    const c = cat.cases.insert({ ref: 'C-1', title: 'Constraints', createdBy: adminId });
    const e = kesiError(() =>
      cat.persons.insert({ caseId: c.id, role: 'witness', fullName: 'Jane', protected: true }),
    );
    expect(e.code).toBe('BAD_INPUT');
    expect(e.message).toBe('A protected person needs a pseudonym.');
    expect(
      kesiError(() => cat.items.insert(item(c.id, adminId, { subtype: 'p3' }))).message,
    ).toMatch(/Only a medical report has a subtype/);
    expect(
      kesiError(() => cat.items.insert(item(c.id, adminId, { blobName: null }))).message,
    ).toMatch(/physical exhibit/);
    expect(kesiCode(() => cat.items.insert(item(c.id, adminId, { sha256: 'xyz' })))).toBe(
      'BAD_INPUT',
    );
    expect(kesiCode(() => cat.items.insert(item(999, adminId)))).toBe('CASE_NOT_FOUND');
    expect(kesiCode(() => cat.items.insert(item(c.id, 999)))).toBe('USER_NOT_FOUND');
    expect(kesiCode(() => cat.items.insert(item(c.id, adminId, { parentId: 999 })))).toBe(
      'ITEM_NOT_FOUND',
    );
    expect(
      kesiCode(() => cat.persons.insert({ caseId: 999, role: 'witness', fullName: 'X' })),
    ).toBe('CASE_NOT_FOUND');
    expect(kesiCode(() => cat.cases.insert({ ref: 'C-2', title: 'X', createdBy: 999 }))).toBe(
      'USER_NOT_FOUND',
    );
    expect(
      kesiCode(() =>
        cat.cases.insert({
          ref: 'C-3',
          title: 'X',
          incidentDate: '2026-13-01',
          createdBy: adminId,
        }),
      ),
    ).toBe('BAD_INPUT');
    // A physical exhibit has no stored file.
    const exhibit = cat.items.insert(
      item(c.id, adminId, { kind: 'physical_exhibit', blobName: null, size: 0, title: 'Shirt' }),
    );
    expect(exhibit.blobName).toBeNull();
  });
});

describe('transactions', () => {
  it('commits all or nothing, and refuses async work', () => {
    const { cat, adminId } = newCatalogue();
    expect(() =>
      cat.tx(() => {
        cat.cases.insert({ ref: 'C-1', title: 'One', createdBy: adminId });
        cat.cases.insert({ ref: 'C-2', title: 'Two', createdBy: adminId });
        throw new Error('stop');
      }),
    ).toThrow('stop');
    expect(cat.cases.list()).toEqual([]);
    expect(() => cat.tx(() => Promise.resolve(1))).toThrow(/promise/);
    expect(cat.db.inTransaction).toBe(false);
    const n = cat.tx(() => {
      cat.cases.insert({ ref: 'C-3', title: 'Three', createdBy: adminId });
      return cat.tx(() => cat.cases.list().length); // nested: a savepoint
    });
    expect(n).toBe(1);
  });
});

describe('integrity check', () => {
  it('is clean for a healthy catalogue and names a damaged page', () => {
    const f = newCatalogue();
    const c = f.cat.cases.insert({ ref: 'C-1', title: 'Integrity', createdBy: f.adminId });
    for (let i = 0; i < 200; i++) {
      f.cat.persons.insert({ caseId: c.id, role: 'witness', fullName: `Witness ${i} `.repeat(20) });
    }
    expect(f.cat.integrityCheck()).toEqual([]); // pages in the WAL
    f.cat.checkpoint();
    expect(f.cat.integrityCheck()).toEqual([]); // pages in the file
    f.cat.close();

    const bytes = readFileSync(f.file);
    const pages = bytes.length / 4096;
    expect(pages).toBeGreaterThan(5);
    const target = pages - 1; // a page near the end, 1-based
    const at = (target - 1) * 4096 + 100;
    bytes[at] = (bytes[at] ?? 0) ^ 0xff;
    writeFileSync(f.file, bytes);
    const cat = openCatalogue(f.file, f.key);
    const problems = cat.integrityCheck();
    expect(problems.length).toBeGreaterThan(0);
    expect(problems[0]).toMatch(new RegExp(`page ${target}\\b`));
    cat.close();
  });
});

describe('users', () => {
  it('round trips users and keys; names are unique regardless of case', () => {
    const { cat, adminId } = newCatalogue();
    const admin = cat.users.get(adminId);
    expect(admin).toMatchObject({ name: 'amina', role: 'admin', removedAt: null });
    expect(admin.keyId).toMatch(/^[0-9a-f]{32}$/);
    expect(admin.publicKey).toHaveLength(44);
    expect(admin.createdAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(cat.users.byName('AMINA')?.id).toBe(adminId);
    expect(cat.users.byName('nobody')).toBeUndefined();
    expect(kesiCode(() => cat.users.getByName('nobody'))).toBe('USER_NOT_FOUND');
    expect(kesiCode(() => cat.users.insert({ name: 'Amina', role: 'lawyer' }))).toBe('USER_EXISTS');

    const omer = cat.users.insert({
      name: 'Ömer',
      role: 'investigator',
      createdAt: '2026-01-02T03:04:05.678Z',
    });
    expect(omer).toMatchObject({ keyId: '', publicKey: '', createdAt: '2026-01-02T03:04:05.678Z' });
    expect(cat.users.byName('öMER')?.id).toBe(omer.id);
    expect(kesiCode(() => cat.users.insert({ name: 'ÖMER', role: 'lawyer' }))).toBe('USER_EXISTS');

    const k1 = cat.users.addKey({
      userId: omer.id,
      keyId: fakeKeyId(),
      publicKey: fakePublicKey(),
      createdAt: '2026-01-02T03:04:05.678Z',
    });
    const k2 = cat.users.addKey({
      userId: omer.id,
      keyId: fakeKeyId(),
      publicKey: fakePublicKey(),
      createdAt: '2026-02-02T03:04:05.678Z',
    });
    expect(cat.users.get(omer.id).keyId).toBe(k2.keyId);
    expect(cat.users.currentKey(omer.id)?.keyId).toBe(k2.keyId);
    expect(
      kesiCode(() =>
        cat.users.addKey({ userId: omer.id, keyId: k1.keyId, publicKey: fakePublicKey() }),
      ),
    ).toBe('BAD_INPUT');
    cat.users.revokeKey(k2.keyId, '2026-03-01T00:00:00.000Z');
    expect(cat.users.get(omer.id).keyId).toBe(k1.keyId);
    expect(cat.users.findKey(k2.keyId)?.revokedAt).toBe('2026-03-01T00:00:00.000Z');
    expect(cat.users.revokeKeys(omer.id)).toBe(1);
    expect(cat.users.currentKey(omer.id)).toBeUndefined();
    expect(cat.users.get(omer.id).keyId).toBe('');
    expect(cat.users.keys(omer.id).map((k) => k.keyId)).toEqual([k1.keyId, k2.keyId]);

    expect(cat.users.list().map((u) => u.name)).toEqual(['amina', 'Ömer']);
    cat.users.markRemoved(omer.id);
    expect(cat.users.list().map((u) => u.name)).toEqual(['amina']);
    expect(cat.users.list({ includeRemoved: true })).toHaveLength(2);
  });

  it('never removes or demotes the last active administrator', () => {
    const { cat, adminId } = newCatalogue();
    expect(cat.users.countActiveAdmins()).toBe(1);
    expect(kesiCode(() => cat.users.markRemoved(adminId))).toBe('LAST_ADMIN');
    expect(kesiCode(() => cat.users.setRole(adminId, 'auditor'))).toBe('LAST_ADMIN');
    const second = cat.users.insert({ name: 'baraka', role: 'admin' });
    expect(cat.users.countActiveAdmins()).toBe(2);
    cat.users.markRemoved(adminId, '2026-05-01T00:00:00.000Z');
    expect(cat.users.get(adminId).removedAt).toBe('2026-05-01T00:00:00.000Z');
    expect(cat.users.countActiveAdmins()).toBe(1);
    expect(kesiCode(() => cat.users.setRole(second.id, 'lawyer'))).toBe('LAST_ADMIN');
  });
});

describe('cases', () => {
  it('round trips, refuses duplicate references, lists with filters, updates', () => {
    const { cat, adminId } = newCatalogue();
    const c = cat.cases.insert({
      ref: 'IMLU-2026-014',
      title: 'Death in custody, Kondele',
      obNumber: 'OB 23/14/03/2026',
      policeStation: 'Kondele Police Station',
      county: 'Kisumu',
      incidentDate: '2026-03-14',
      court: 'High Court at Kisumu',
      courtCaseNumber: 'HCCR E014 of 2026',
      accountableOfficer: 'Ruth Achieng',
      createdBy: adminId,
      createdAt: '2026-03-15T08:00:00.000Z',
    });
    expect(c).toMatchObject({
      ref: 'IMLU-2026-014',
      status: 'open',
      county: 'Kisumu',
      createdAt: '2026-03-15T08:00:00.000Z',
      updatedAt: '2026-03-15T08:00:00.000Z',
      createdBy: adminId,
    });
    expect(c.uid).toMatch(/^[0-9a-f-]{36}$/);
    expect(cat.cases.getByRef('imlu-2026-014').id).toBe(c.id);
    expect(cat.cases.findByUid(c.uid)?.id).toBe(c.id);
    expect(cat.cases.findByRef('NOPE')).toBeUndefined();
    const nf = kesiError(() => cat.cases.getByRef('NOPE'));
    expect(nf.code).toBe('CASE_NOT_FOUND');
    expect(
      kesiCode(() =>
        cat.cases.insert({ ref: 'IMLU-2026-014', title: 'Again', createdBy: adminId }),
      ),
    ).toBe('CASE_EXISTS');
    expect(
      kesiCode(() =>
        cat.cases.insert({ ref: 'imlu-2026-014', title: 'Again', createdBy: adminId }),
      ),
    ).toBe('CASE_EXISTS');

    const d = cat.cases.insert({
      ref: 'IJM-2026-002',
      title: 'Torture, Mathare',
      county: 'Nairobi',
      createdBy: adminId,
      createdAt: '2026-03-16T08:00:00.000Z',
    });
    expect(cat.cases.list().map((x) => x.ref)).toEqual(['IJM-2026-002', 'IMLU-2026-014']);
    expect(cat.cases.list({ county: 'kisumu' }).map((x) => x.ref)).toEqual(['IMLU-2026-014']);
    expect(cat.cases.list({ text: 'mathare' }).map((x) => x.ref)).toEqual(['IJM-2026-002']);
    expect(cat.cases.list({ text: 'kondele' }).map((x) => x.ref)).toEqual(['IMLU-2026-014']);
    expect(cat.cases.list({ text: '!!' })).toHaveLength(2);

    const u = cat.cases.update(c.id, {
      status: 'closed',
      court: null,
      updatedAt: '2026-04-01T00:00:00.000Z',
    });
    expect(u).toMatchObject({
      status: 'closed',
      court: null,
      updatedAt: '2026-04-01T00:00:00.000Z',
      title: c.title,
    });
    expect(cat.cases.list({ status: 'closed' }).map((x) => x.id)).toEqual([c.id]);
    expect(kesiCode(() => cat.cases.update(d.id, { ref: 'IMLU-2026-014' }))).toBe('CASE_EXISTS');
    expect(kesiCode(() => cat.cases.update(999, { title: 'x' }))).toBe('CASE_NOT_FOUND');
    const renamed = cat.cases.update(d.id, { ref: 'IJM-2026-003' });
    expect(renamed.ref).toBe('IJM-2026-003');
    expect(renamed.updatedAt > d.updatedAt).toBe(true);
  });
});

describe('persons', () => {
  it('round trips, lists by case, updates', () => {
    const { cat, adminId } = newCatalogue();
    const c = cat.cases.insert({ ref: 'C-1', title: 'Persons', createdBy: adminId });
    const p = cat.persons.insert({
      caseId: c.id,
      role: 'survivor',
      fullName: 'Wanjirū Kamau',
      pseudonym: 'PW1',
      protected: true,
      minor: true,
      contact: '+254 700 000000',
    });
    expect(p).toMatchObject({
      caseId: c.id,
      role: 'survivor',
      fullName: 'Wanjirū Kamau',
      pseudonym: 'PW1',
      protected: true,
      minor: true,
      serviceNumber: null,
    });
    const o = cat.persons.insert({
      caseId: c.id,
      role: 'suspect_officer',
      fullName: 'John Doe',
      serviceNumber: '236541',
    });
    expect(o).toMatchObject({
      protected: false,
      minor: false,
      pseudonym: null,
      serviceNumber: '236541',
    });
    expect(cat.persons.listByCase(c.id).map((x) => x.id)).toEqual([p.id, o.id]);
    expect(cat.persons.update(p.id, { protected: false, pseudonym: null })).toMatchObject({
      protected: false,
      pseudonym: null,
    });
    expect(kesiCode(() => cat.persons.update(p.id, { protected: true }))).toBe('BAD_INPUT');
    expect(cat.persons.get(p.id).protected).toBe(false);
    expect(kesiCode(() => cat.persons.get(999))).toBe('PERSON_NOT_FOUND');
    expect(kesiCode(() => cat.persons.update(999, { contact: 'x' }))).toBe('PERSON_NOT_FOUND');
  });
});

describe('items, derivatives and bundles', () => {
  it('round trips items and finds them by hash', () => {
    const { cat, adminId } = newCatalogue();
    const c = cat.cases.insert({ ref: 'C-1', title: 'Items', createdBy: adminId });
    const c2 = cat.cases.insert({ ref: 'C-2', title: 'Other', createdBy: adminId });
    const p3 = cat.items.insert({
      caseId: c.id,
      kind: 'medical_report',
      subtype: 'p3',
      title: 'P3 form, Dr Otieno',
      description: 'Examined 15 March 2026',
      exhibitNumber: 'PExh 1',
      capturedAt: '2026-03-15T10:00:00+03:00',
      capturedBy: 'Dr Otieno',
      source: 'Kisumu County Referral Hospital',
      originalName: 'p3-scan.pdf',
      size: 482113,
      mediaType: 'application/pdf',
      sha256: sha('p3'),
      blobName: 'f'.repeat(64),
      metadata: { pages: 2, producer: 'Scanner' },
      createdBy: adminId,
      createdAt: '2026-03-15T12:00:00.000Z',
    });
    expect(p3).toMatchObject({
      caseId: c.id,
      kind: 'medical_report',
      subtype: 'p3',
      exhibitNumber: 'PExh 1',
      capturedAt: '2026-03-15T10:00:00+03:00',
      size: 482113,
      sha256: sha('p3'),
      metadata: { pages: 2, producer: 'Scanner' },
      parentId: null,
      createdBy: adminId,
      createdAt: '2026-03-15T12:00:00.000Z',
    });
    expect(cat.items.get(p3.id)).toEqual(p3);
    expect(cat.items.findByUid(p3.uid)?.id).toBe(p3.id);
    expect(kesiCode(() => cat.items.get(999))).toBe('ITEM_NOT_FOUND');
    expect(cat.items.find(999)).toBeUndefined();

    const redacted = cat.items.insert({
      caseId: c.id,
      kind: 'medical_report',
      subtype: 'p3',
      title: 'P3 form (redacted)',
      size: 400000,
      mediaType: 'application/pdf',
      sha256: sha('p3-redacted'),
      blobName: 'e'.repeat(64),
      parentId: p3.id,
      metadata: { redactedFrom: sha('p3'), reason: 'protect PW1' },
      createdBy: adminId,
    });
    expect(cat.items.listDerived(p3.id).map((i) => i.id)).toEqual([redacted.id]);
    expect(
      kesiCode(() =>
        cat.items.insert({ ...redacted, uid: undefined, caseId: c2.id, exhibitNumber: null }),
      ),
    ).toBe('BAD_INPUT');

    // The same content in another case reuses the blob.
    const again = cat.items.insert({
      caseId: c2.id,
      kind: 'document',
      title: 'Copy',
      size: 482113,
      mediaType: 'application/pdf',
      sha256: sha('p3'),
      blobName: 'f'.repeat(64),
      createdBy: adminId,
    });
    expect(cat.items.findByCaseAndSha(c.id, sha('p3'))?.id).toBe(p3.id);
    expect(cat.items.findByCaseAndSha(c2.id, sha('p3'))?.id).toBe(again.id);
    expect(cat.items.findByCaseAndSha(c2.id, sha('nothing'))).toBeUndefined();
    expect(cat.items.findAnyBySha(sha('p3'))?.id).toBe(p3.id);
    expect(cat.items.listByCase(c.id).map((i) => i.id)).toEqual([p3.id, redacted.id]);
    expect(cat.items.allBlobNames()).toEqual(['e'.repeat(64), 'f'.repeat(64)]);

    const u = cat.items.update(p3.id, {
      title: 'P3 form',
      description: null,
      exhibitNumber: 'PExh 2',
      capturedBy: 'Dr A. Otieno',
    });
    expect(u).toMatchObject({
      title: 'P3 form',
      description: null,
      exhibitNumber: 'PExh 2',
      sha256: sha('p3'),
      blobName: 'f'.repeat(64),
    });
    expect(kesiCode(() => cat.items.update(redacted.id, { exhibitNumber: 'pexh 2' }))).toBe(
      'EXHIBIT_NUMBER_EXISTS',
    );
    expect(cat.items.update(again.id, { exhibitNumber: 'PExh 2' }).exhibitNumber).toBe('PExh 2'); // other case
    expect(kesiCode(() => cat.items.update(again.id, { subtype: 'p3' }))).toBe('BAD_INPUT');
    expect(kesiCode(() => cat.items.update(999, { title: 'x' }))).toBe('ITEM_NOT_FOUND');
  });

  it('round trips derivatives and bundles', () => {
    const { cat, adminId } = newCatalogue();
    const c = cat.cases.insert({ ref: 'C-1', title: 'Bundles', createdBy: adminId });
    const photo = cat.items.insert({
      caseId: c.id,
      kind: 'photo',
      title: 'Scene',
      size: 10,
      mediaType: 'image/jpeg',
      sha256: sha('scene'),
      blobName: 'a'.repeat(64),
      createdBy: adminId,
    });
    const thumb = cat.derivatives.insert({
      itemId: photo.id,
      kind: 'thumbnail',
      mediaType: 'image/webp',
      blobName: 'b'.repeat(64),
      sha256: sha('thumb'),
      width: 256,
      height: 192,
    });
    const page1 = cat.derivatives.insert({
      itemId: photo.id,
      kind: 'page_image',
      mediaType: 'image/png',
      blobName: 'c'.repeat(64),
      sha256: sha('p1'),
      width: 1240,
      height: 1754,
      page: 1,
    });
    expect(thumb).toMatchObject({
      itemId: photo.id,
      kind: 'thumbnail',
      width: 256,
      height: 192,
      page: null,
    });
    expect(cat.derivatives.findFor(photo.id, 'thumbnail')?.id).toBe(thumb.id);
    expect(cat.derivatives.findFor(photo.id, 'page_image', 1)?.id).toBe(page1.id);
    expect(cat.derivatives.findFor(photo.id, 'page_image', 2)).toBeUndefined();
    expect(cat.derivatives.listByItem(photo.id)).toHaveLength(2);
    expect(
      kesiCode(() =>
        cat.derivatives.insert({
          itemId: 999,
          kind: 'preview',
          mediaType: 'x/y',
          blobName: 'd',
          sha256: sha('d'),
        }),
      ),
    ).toBe('ITEM_NOT_FOUND');
    expect(
      kesiCode(() =>
        cat.derivatives.insert({
          itemId: photo.id,
          kind: 'preview',
          mediaType: 'x/y',
          blobName: 'd',
          sha256: sha('d'),
          width: 0,
        }),
      ),
    ).toBe('BAD_INPUT');
    expect(cat.allBlobNames()).toEqual(['a'.repeat(64), 'b'.repeat(64), 'c'.repeat(64)]);
    expect(cat.derivatives.remove(page1.id)).toBe('c'.repeat(64));
    expect(cat.derivatives.listByItem(photo.id)).toHaveLength(1);

    const spec = {
      sections: [{ title: 'Medical evidence', items: [photo.uid] }],
      cover: { court: 'High Court' },
    };
    const b = cat.bundles.insert({ caseId: c.id, title: 'Trial bundle', spec, createdBy: adminId });
    expect(b).toMatchObject({
      caseId: c.id,
      title: 'Trial bundle',
      spec,
      lastGeneratedAt: null,
      lastSha256: null,
    });
    expect(cat.bundles.findByUid(b.uid)?.id).toBe(b.id);
    const g = cat.bundles.markGenerated(b.id, {
      at: '2026-06-01T09:00:00.000Z',
      sha256: sha('pdf'),
    });
    expect(g).toMatchObject({
      lastGeneratedAt: '2026-06-01T09:00:00.000Z',
      lastSha256: sha('pdf'),
    });
    expect(
      cat.bundles.update(b.id, { title: 'Trial bundle v2', spec: { sections: [] } }),
    ).toMatchObject({ title: 'Trial bundle v2', spec: { sections: [] } });
    expect(cat.bundles.listByCase(c.id)).toHaveLength(1);
    expect(kesiCode(() => cat.bundles.get(999))).toBe('BUNDLE_NOT_FOUND');
    expect(
      kesiCode(() => cat.bundles.markGenerated(b.id, { at: 'yesterday', sha256: sha('x') })),
    ).toBe('BAD_INPUT');
    expect(cat.integrityCheck()).toEqual([]);
  });
});
