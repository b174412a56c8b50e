// The API implementation: composes vault, catalogue and blobs, and enforces roles. The CLI, the
// Electron IPC layer and the end-to-end tests all call this one class.
import { createWriteStream } from 'node:fs';
import { lstat, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { Case, Item, Person, User } from '../../shared/domain';
import { KesiError, toErrorData } from '../../shared/errors';
import {
  AddFilesInput,
  CaseFilter,
  CaseInput,
  CasePatch,
  NewUserInput,
  PersonInput,
} from '../../shared/inputs';
import { can, type Permission } from '../../shared/roles';
import { parseInput } from '../../shared/validate';
import { generateSigningKey, publicKeyRawOf } from '../custody/keys';
import {
  lockVault,
  removeUserSlot,
  writeHeader,
  writeUserSlot,
  type SignedInUser,
  type UnlockedVault,
} from '../vault/vault';
import type { AddFileResult } from './results';
import type { SearchHit } from '../catalogue';

export interface ServiceOptions {
  now?: () => Date;
}

/** A person as the service shows them: a protected person's real name is withheld. */
export type PersonView = Omit<Person, 'fullName'> & {
  fullName: string | null;
  displayName: string;
};

export class KesiService {
  private readonly now: () => Date;
  private locked = false;

  constructor(
    readonly vault: UnlockedVault,
    readonly user: SignedInUser,
    opts: ServiceOptions = {},
  ) {
    this.now = opts.now ?? (() => new Date());
  }

  private get cat() {
    if (this.locked) throw new KesiError('VAULT_LOCKED');
    return this.vault.catalogue;
  }

  private require(permission: Permission): void {
    if (this.locked) throw new KesiError('VAULT_LOCKED');
    if (!can(this.user.role, permission)) {
      throw new KesiError('FORBIDDEN', `A user with the role "${this.user.role}" cannot do this.`, {
        permission,
      });
    }
  }

  private iso(): string {
    return this.now().toISOString();
  }

  lock(): void {
    if (this.locked) return;
    this.locked = true;
    lockVault(this.vault);
  }

  get isLocked(): boolean {
    return this.locked;
  }

  // ---- users ---------------------------------------------------------------------------------

  whoami(): {
    name: string;
    role: User['role'];
    keyId: string;
    vaultName: string;
    vaultId: string;
  } {
    return {
      name: this.user.name,
      role: this.user.role,
      keyId: this.user.keyId,
      vaultName: this.vault.header.name,
      vaultId: this.vault.header.vaultId,
    };
  }

  listUsers(): User[] {
    return this.cat.users.list();
  }

  async addUser(raw: NewUserInput): Promise<User> {
    this.require('users.manage');
    const input = parseInput(NewUserInput, raw);
    if (this.cat.users.byName(input.name)) {
      throw new KesiError('USER_EXISTS', `There is already a user called ${input.name}.`);
    }
    const key = generateSigningKey();
    const publicKey = publicKeyRawOf(key.privateKey).toString('base64');
    const now = this.iso();
    // The slot goes first: a crash after it leaves an unusable slot, never a user without a key.
    await writeUserSlot(this.vault, input.name, input.passphrase, key.keyId, key.privateKey);
    const user = this.cat.tx(() => {
      const u = this.cat.users.insert({ name: input.name, role: input.role, createdAt: now });
      this.cat.users.addKey({ userId: u.id, keyId: key.keyId, publicKey, createdAt: now });
      return u;
    });
    this.vault.header.users.push({
      name: input.name,
      role: input.role,
      keys: [{ keyId: key.keyId, publicKey, createdAt: now, revokedAt: null }],
      removedAt: null,
    });
    writeHeader(this.vault.dir, this.vault.header);
    return this.cat.users.get(user.id);
  }

  /**
   * Sets a new passphrase. For oneself the signing key is kept; for another user (an admin's
   * reset) their old key is unknown here, so they get a new one and the old one is revoked.
   */
  async changePassphrase(name: string, newPassphrase: string): Promise<void> {
    const target = this.cat.users.byName(name);
    if (!target || target.removedAt) throw new KesiError('USER_NOT_FOUND');
    if (target.id === this.user.id) {
      await writeUserSlot(
        this.vault,
        target.name,
        newPassphrase,
        this.user.keyId,
        this.user.privateKey,
      );
      return;
    }
    this.require('users.manage');
    await resetUserKey(this.vault, target, newPassphrase, this.iso());
  }

  removeUser(name: string): void {
    this.require('users.manage');
    const target = this.cat.users.byName(name);
    if (!target || target.removedAt) throw new KesiError('USER_NOT_FOUND');
    if (target.role === 'admin' && this.cat.users.countActiveAdmins() <= 1) {
      throw new KesiError('LAST_ADMIN');
    }
    const now = this.iso();
    this.cat.users.markRemoved(target.id, now);
    const hu = this.vault.header.users.find(
      (u) => u.name.toLowerCase() === target.name.toLowerCase(),
    );
    if (hu) hu.removedAt = now;
    removeUserSlot(this.vault, target.name);
  }

  // ---- cases and persons ---------------------------------------------------------------------

  createCase(raw: CaseInput): Case {
    this.require('cases.write');
    const input = parseInput(CaseInput, raw);
    return this.cat.cases.insert({ ...input, createdAt: this.iso(), createdBy: this.user.id });
  }

  listCases(filter: CaseFilter = {}): Case[] {
    return this.cat.cases.list(parseInput(CaseFilter, filter));
  }

  getCase(ref: string): Case {
    return this.cat.cases.getByRef(ref);
  }

  updateCase(ref: string, raw: CasePatch): Case {
    this.require('cases.write');
    const patch = parseInput(CasePatch, raw);
    const c = this.cat.cases.getByRef(ref);
    return this.cat.cases.update(c.id, { ...patch, updatedAt: this.iso() });
  }

  addPerson(ref: string, raw: PersonInput): PersonView {
    this.require('persons.write');
    const input = parseInput(PersonInput, raw);
    const c = this.cat.cases.getByRef(ref);
    return maskPerson(this.cat.persons.insert({ ...input, caseId: c.id, createdAt: this.iso() }));
  }

  listPersons(ref: string): PersonView[] {
    const c = this.cat.cases.getByRef(ref);
    return this.cat.persons.listByCase(c.id).map(maskPerson);
  }

  // ---- items ---------------------------------------------------------------------------------

  /** Adds files to a case, one result per file; one bad file never stops the batch. */
  async addFiles(
    raw: AddFilesInput,
    onResult?: (r: AddFileResult) => void,
  ): Promise<AddFileResult[]> {
    this.require('items.add');
    const input = parseInput(AddFilesInput, raw);
    const c = this.cat.cases.getByRef(input.caseRef);
    const results: AddFileResult[] = [];
    for (const path of input.paths) {
      let r: AddFileResult;
      try {
        r = await this.addOneFile(c, path, input);
      } catch (e) {
        r = { file: path, status: 'error', error: toErrorData(e) };
      }
      results.push(r);
      onResult?.(r);
    }
    return results;
  }

  private async addOneFile(
    c: Case,
    path: string,
    input: ReturnType<typeof AddFilesInput.parse>,
  ): Promise<AddFileResult> {
    const st = await lstat(path).catch((e: NodeJS.ErrnoException) => {
      throw new KesiError(e.code === 'ENOENT' ? 'FILE_NOT_FOUND' : 'FILE_UNREADABLE', undefined, {
        path,
      });
    });
    if (st.isSymbolicLink()) throw new KesiError('FILE_IS_SYMLINK', undefined, { path });
    if (!st.isFile()) throw new KesiError('FILE_NOT_REGULAR', undefined, { path });
    if (st.size === 0) throw new KesiError('FILE_EMPTY', undefined, { path });
    const put = await this.vault.blobs
      .putFile(path, input.expectSha256 ? { expectSha256: input.expectSha256 } : {})
      .catch((e: unknown) => {
        if (e instanceof KesiError) throw e;
        throw new KesiError('FILE_UNREADABLE', undefined, { path });
      });
    const existing = this.cat.items.findByCaseAndSha(c.id, put.sha256);
    if (existing) {
      return { file: path, status: 'duplicate', itemId: existing.id, sha256: put.sha256 };
    }
    const name = basename(path);
    const item = this.cat.items.insert({
      caseId: c.id,
      kind: input.kind ?? 'document',
      subtype: input.subtype ?? null,
      title: input.title ?? name,
      description: input.description ?? null,
      exhibitNumber: input.exhibitNumber ?? null,
      capturedAt: input.capturedAt ? new Date(input.capturedAt).toISOString() : null,
      capturedBy: input.capturedBy ?? null,
      source: input.source ?? null,
      originalName: name,
      size: put.size,
      mediaType: 'application/octet-stream',
      sha256: put.sha256,
      blobName: put.blobName,
      metadata: {},
      parentId: null,
      createdAt: this.iso(),
      createdBy: this.user.id,
    });
    return { file: path, status: 'added', itemId: item.id, sha256: put.sha256 };
  }

  listItems(ref: string): Item[] {
    const c = this.cat.cases.getByRef(ref);
    return this.cat.items.listByCase(c.id);
  }

  getItem(id: number): Item {
    return this.cat.items.get(id);
  }

  /** Writes an item's original to `outPath`, decrypted and checked against its SHA-256. */
  async exportItem(id: number, outPath: string): Promise<Item> {
    this.require('items.read');
    const item = this.cat.items.get(id);
    if (!item.blobName) {
      throw new KesiError('BAD_INPUT', `Item ${id} is a physical exhibit; it has no stored file.`);
    }
    const tmp = join(
      dirname(outPath),
      `.${basename(outPath)}.${randomBytes(6).toString('hex')}.part`,
    );
    const out = createWriteStream(tmp, { flags: 'wx', mode: 0o600 });
    try {
      await this.vault.blobs.readVerified(item.blobName, item.sha256, (chunk) =>
        out.write(chunk) ? undefined : new Promise<void>((r) => out.once('drain', () => r())),
      );
      await new Promise<void>((res, rej) =>
        out.end((err?: Error | null) => (err ? rej(err) : res())),
      );
      await rename(tmp, outPath);
    } catch (e) {
      out.destroy();
      await unlink(tmp).catch(() => undefined);
      throw nameItem(e, item);
    }
    return item;
  }

  /** The original's bytes in memory (for viewers); checked against its SHA-256. */
  async readItem(id: number): Promise<{ item: Item; data: Buffer }> {
    this.require('items.read');
    const item = this.cat.items.get(id);
    if (!item.blobName) throw new KesiError('BAD_INPUT', `Item ${id} has no stored file.`);
    try {
      return { item, data: await this.vault.blobs.readBuffer(item.blobName, item.sha256) };
    } catch (e) {
      throw nameItem(e, item);
    }
  }

  search(query: string, caseRef?: string): SearchHit[] {
    const caseId = caseRef === undefined ? undefined : this.cat.cases.getByRef(caseRef).id;
    return this.cat.search(query, caseId === undefined ? {} : { caseId });
  }
}

function maskPerson(p: Person): PersonView {
  const displayName = p.protected && p.pseudonym ? p.pseudonym : p.fullName;
  return { ...p, fullName: p.protected ? null : p.fullName, displayName };
}

/** Blob errors name the item, so that a caseworker knows which evidence is affected. */
function nameItem(e: unknown, item: Item): unknown {
  if (e instanceof KesiError && (e.code === 'BLOB_CORRUPT' || e.code === 'BLOB_MISSING')) {
    const what = `item ${item.id} "${item.title}"${item.exhibitNumber ? ` (${item.exhibitNumber})` : ''}`;
    const msg =
      e.code === 'BLOB_CORRUPT'
        ? `The stored file of ${what} has been altered or damaged: it no longer matches its SHA-256 ${item.sha256}.`
        : `The stored file of ${what} is missing from the vault.`;
    return new KesiError(e.code, msg, { ...e.details, itemId: item.id, sha256: item.sha256 });
  }
  return e;
}

/** Gives a user a new signing key and passphrase slot; their old key is revoked, not deleted. */
export async function resetUserKey(
  v: UnlockedVault,
  target: User,
  passphrase: string,
  now: string,
): Promise<void> {
  const key = generateSigningKey();
  const publicKey = publicKeyRawOf(key.privateKey).toString('base64');
  // Order matters for a crash at any point: the new key is known before the slot uses it, and
  // the old keys are revoked only once the new slot is in place.
  const old = v.catalogue.users.keys(target.id).filter((k) => k.revokedAt === null);
  v.catalogue.users.addKey({ userId: target.id, keyId: key.keyId, publicKey, createdAt: now });
  await writeUserSlot(v, target.name, passphrase, key.keyId, key.privateKey);
  v.catalogue.tx(() => {
    for (const k of old) v.catalogue.users.revokeKey(k.keyId, now);
  });
  const hu = v.header.users.find((u) => u.name.toLowerCase() === target.name.toLowerCase());
  if (hu) {
    for (const k of hu.keys) k.revokedAt ??= now;
    hu.keys.push({ keyId: key.keyId, publicKey, createdAt: now, revokedAt: null });
  }
  writeHeader(v.dir, v.header);
}
