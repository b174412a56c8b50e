// The API implementation: composes vault, catalogue, blobs and the custody log, and enforces
// roles. Every state change, view and export writes a signed custody event in the same
// transaction. The CLI, the Electron IPC layer and the end-to-end tests all call this one class.
import { createHash, randomBytes } from 'node:crypto';
import { open, rename, unlink, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { Case, Item, Person, User } from '../../shared/domain';
import { writeError } from '../util/fs-atomic';
import { KesiError, toErrorData } from '../../shared/errors';
import {
  AddFilesInput,
  CaseFilter,
  CaseInput,
  CasePatch,
  ExhibitInput,
  ItemPatchInput,
  NewUserInput,
  PersonInput,
  TransferInput,
} from '../../shared/inputs';
import type { ItemPreviews } from '../../shared/contract';
import { can, type Permission } from '../../shared/roles';
import { parseInput } from '../../shared/validate';
import { canonicalize } from '../../shared/canonical-json';
import type { CaseRecord, ItemRecord, SearchHit } from '../catalogue';
import { generateSigningKey, publicKeyRawOf } from '../custody/keys';
import { caseChainId, CustodyLog, VAULT_CHAIN, type Signer } from '../custody/log';
import type { CustodyEvent, JsonValue } from '../custody/event';
import {
  lockVault,
  removeUserSlot,
  writeHeader,
  writeUserSlot,
  type SignedInUser,
  type UnlockedVault,
} from '../vault/vault';
import { auditVault, type AuditOptions, type AuditReport } from '../verify/audit';
import { expandPaths, type FileEntry } from './files';
import {
  commitFile,
  DEFAULT_MAX_FILE_BYTES,
  IN_MEMORY_MAX,
  prepareFile,
  type IntakeContext,
  type PreparedFile,
} from './intake';
import { DEFAULT_CLEANUP_MIN_AGE_MINUTES, findLeftovers, type Leftovers } from './cleanup';
import type { AddFileResult } from './results';
import * as bundles from './bundles';
import type {
  BundleContext,
  BundleCover,
  BundleRecord,
  GeneratedBundle,
  GenerateOptions,
} from './bundles';
import type { BundleSpec } from '../../shared/bundle-spec';

export interface ServiceOptions {
  now?: () => Date;
  /** Where the work happens, recorded in every custody event (e.g. "IMLU office, Nairobi"). */
  place?: string | null;
  maxFileBytes?: number;
}

export interface IntakeProgress {
  index: number;
  total: number;
  file: string;
  fileBytes: number;
  fileSize: number;
  doneBytes: number;
  totalBytes: number;
}

export interface AddFilesControl {
  signal?: AbortSignal;
  onResult?: (r: AddFileResult) => void;
  onProgress?: (p: IntakeProgress) => void;
}

/** A person as the service shows them: a protected person's real name is withheld. */
export type PersonView = Omit<Person, 'fullName'> & {
  fullName: string | null;
  displayName: string;
};

export interface CleanupOptions {
  dryRun?: boolean;
  minAgeMinutes?: number;
  reason?: string;
}

export interface CleanupResult extends Leftovers {
  /** False for a dry run (or when there was nothing to remove). */
  removed: boolean;
  /** Paths that could not be removed (kept, and not recorded as removed). */
  failed: string[];
}

export interface Custodian {
  name: string;
  organisation: string | null;
  place: string | null;
  seal: string | null;
  since: string;
}

export class KesiService {
  private readonly now: () => Date;
  private readonly place: string | null;
  private readonly maxFileBytes: number;
  private locked = false;
  readonly log: CustodyLog;

  constructor(
    readonly vault: UnlockedVault,
    readonly user: SignedInUser,
    opts: ServiceOptions = {},
  ) {
    this.now = opts.now ?? (() => new Date());
    this.place = opts.place ?? null;
    this.maxFileBytes = opts.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
    this.log = new CustodyLog(vault.catalogue);
  }

  private get cat() {
    if (this.locked) throw new KesiError('VAULT_LOCKED');
    return this.vault.catalogue;
  }

  private get signer(): Signer {
    return { user: this.user.name, keyId: this.user.keyId, privateKey: this.user.privateKey };
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

  private record(
    chain: string,
    action: CustodyEvent['action'],
    extra: {
      caseId?: number;
      item?: ItemRecord;
      reason?: string | null;
      details?: Record<string, JsonValue>;
      at?: string;
      place?: string | null;
    } = {},
  ): CustodyEvent {
    return this.log.append(
      {
        chain,
        action,
        caseId: extra.caseId ?? extra.item?.caseId ?? null,
        itemId: extra.item?.id ?? null,
        itemUid: extra.item?.uid ?? null,
        place: extra.place === undefined ? this.place : extra.place,
        reason: extra.reason ?? null,
        details: extra.details ?? {},
        at: extra.at ?? this.iso(),
      },
      this.signer,
    );
  }

  /**
   * Locks the session: signs a tree head over the log if it grew (an anchor for later
   * consistency proofs), closes the catalogue and wipes the keys held in memory.
   */
  lock(): void {
    if (this.locked) return;
    try {
      if (this.log.sinceLastTreeHead() > 0) this.log.recordTreeHead(this.signer, this.iso());
    } finally {
      this.locked = true;
      lockVault(this.vault);
    }
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
    return this.cat.users.list({ includeRemoved: true });
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
      this.record(VAULT_CHAIN, 'user_add', {
        at: now,
        details: { user: u.name, role: u.role, keyId: key.keyId, publicKey },
      });
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
      this.cat.tx(() =>
        this.record(VAULT_CHAIN, 'key_change', {
          details: { user: target.name, change: 'passphrase' },
        }),
      );
      return;
    }
    this.require('users.manage');
    await resetUserKey(this.vault, target, newPassphrase, this.iso(), this.signer, 'admin_reset');
  }

  removeUser(name: string): void {
    this.require('users.manage');
    const target = this.cat.users.byName(name);
    if (!target || target.removedAt) throw new KesiError('USER_NOT_FOUND');
    if (target.role === 'admin' && this.cat.users.countActiveAdmins() <= 1) {
      throw new KesiError('LAST_ADMIN');
    }
    const now = this.iso();
    this.cat.tx(() => {
      this.cat.users.markRemoved(target.id, now);
      this.record(VAULT_CHAIN, 'user_remove', { at: now, details: { user: target.name } });
    });
    const hu = this.vault.header.users.find(
      (u) => u.name.toLowerCase() === target.name.toLowerCase(),
    );
    if (hu) hu.removedAt = now;
    removeUserSlot(this.vault, target.name);
  }

  // ---- cases and persons ---------------------------------------------------------------------

  createCase(raw: CaseInput): CaseRecord {
    this.require('cases.write');
    const input = parseInput(CaseInput, raw);
    const now = this.iso();
    return this.cat.tx(() => {
      const c = this.cat.cases.insert({ ...input, createdAt: now, createdBy: this.user.id });
      this.record(caseChainId(c.uid), 'create', { caseId: c.id, at: now, details: caseFacts(c) });
      return c;
    });
  }

  listCases(filter: CaseFilter = {}): Case[] {
    return this.cat.cases.list(parseInput(CaseFilter, filter));
  }

  getCase(ref: string): CaseRecord {
    return this.cat.cases.getByRef(ref);
  }

  updateCase(ref: string, raw: CasePatch): CaseRecord {
    this.require('cases.write');
    const patch = parseInput(CasePatch, raw);
    const c = this.cat.cases.getByRef(ref);
    const now = this.iso();
    return this.cat.tx(() => {
      const updated = this.cat.cases.update(c.id, { ...patch, updatedAt: now });
      this.record(caseChainId(c.uid), 'edit', {
        caseId: c.id,
        at: now,
        details: { case: changes(c, updated, Object.keys(patch)) },
      });
      return updated;
    });
  }

  addPerson(ref: string, raw: PersonInput): PersonView {
    this.require('persons.write');
    const input = parseInput(PersonInput, raw);
    const c = this.cat.cases.getByRef(ref);
    const now = this.iso();
    return this.cat.tx(() => {
      const p = this.cat.persons.insert({ ...input, caseId: c.id, createdAt: now });
      // A protected person's real name never enters the log: logs travel in court bundles.
      this.record(caseChainId(c.uid), 'edit', {
        caseId: c.id,
        at: now,
        details: {
          personAdded: {
            id: p.id,
            role: p.role,
            name: maskPerson(p).displayName,
            protected: p.protected,
            minor: p.minor,
          },
        },
      });
      return maskPerson(p);
    });
  }

  listPersons(ref: string): PersonView[] {
    const c = this.cat.cases.getByRef(ref);
    return this.cat.persons.listByCase(c.id).map(maskPerson);
  }

  /** A protected person's real name and contact, shown on purpose and logged as a view. */
  revealPerson(personId: number, reason: string): PersonView & { fullName: string } {
    this.require('persons.reveal');
    if (!reason.trim()) throw new KesiError('BAD_INPUT', 'Say why the real name is needed.');
    const p = this.cat.persons.get(personId);
    const c = this.cat.cases.get(p.caseId);
    this.cat.tx(() =>
      this.record(caseChainId(c.uid), 'view', {
        caseId: c.id,
        reason,
        details: { revealedPerson: { id: p.id, pseudonym: p.pseudonym } },
      }),
    );
    return { ...maskPerson(p), fullName: p.fullName, contact: p.contact };
  }

  // ---- items ---------------------------------------------------------------------------------

  /**
   * Takes files and folders into a case, one result per file; one bad file never stops the batch.
   * Cancelling stops before the next file (and inside a large one); every file already added
   * stays complete, nothing half-done is recorded.
   */
  async addFiles(
    raw: AddFilesInput,
    control: AddFilesControl | ((r: AddFileResult) => void) = {},
  ): Promise<AddFileResult[]> {
    this.require('items.add');
    const ctl: AddFilesControl = typeof control === 'function' ? { onResult: control } : control;
    const input = parseInput(AddFilesInput, raw);
    const c = this.cat.cases.getByRef(input.caseRef);
    const files = await expandPaths(input.paths);
    if (input.exhibitNumber !== undefined && files.length > 1) {
      throw new KesiError('BAD_INPUT', 'An exhibit number can be given for one file at a time.');
    }
    const totalBytes = files.reduce((n, f) => n + Math.max(0, f.size), 0);
    const bytesBefore: number[] = [];
    files.reduce((n, f, i) => ((bytesBefore[i] = n), n + Math.max(0, f.size)), 0);
    const ctxFor = (index: number, f: FileEntry): IntakeContext => ({
      vault: this.vault,
      log: this.log,
      signer: this.signer,
      userId: this.user.id,
      place: this.place,
      now: () => this.iso(),
      maxFileBytes: this.maxFileBytes,
      signal: ctl.signal,
      onBytes: ctl.onProgress
        ? (b) =>
            ctl.onProgress?.({
              index,
              total: files.length,
              file: f.display,
              fileBytes: b,
              fileSize: f.size,
              doneBytes: (bytesBefore[index] ?? 0) + b,
              totalBytes,
            })
        : undefined,
    });
    // A two-stage pipeline: while one file commits (and its libvips work finishes), the next one
    // is read, hashed, inspected and encrypted. Files still commit one by one, in order, so the
    // custody chain follows the batch order. Large (streamed) files are not overlapped.
    type Prep = { ok: true; value: PreparedFile | AddFileResult } | { ok: false; error: unknown };
    const prepare = (index: number): Promise<Prep> => {
      const f = files[index] as FileEntry;
      if (ctl.signal?.aborted) {
        return Promise.resolve({ ok: false, error: new KesiError('CANCELLED') });
      }
      return prepareFile(ctxFor(index, f), c, f, input).then(
        (value): Prep => ({ ok: true, value }),
        (error: unknown): Prep => ({ ok: false, error }),
      );
    };
    const overlap = (index: number): boolean =>
      (files[index]?.size ?? Infinity) <= IN_MEMORY_MAX &&
      (files[index - 1]?.size ?? Infinity) <= IN_MEMORY_MAX;
    const results: AddFileResult[] = [];
    let next: Promise<Prep> | null = null;
    for (const [index, f] of files.entries()) {
      const current: Promise<Prep> = next ?? prepare(index);
      next = null;
      if (index + 1 < files.length && overlap(index + 1)) next = prepare(index + 1);
      const p = await current;
      let r: AddFileResult;
      try {
        if (!p.ok) throw p.error;
        r = 'status' in p.value ? p.value : commitFile(ctxFor(index, f), c, p.value, input);
      } catch (e) {
        r = { file: f.display, status: 'error', error: toErrorData(e) };
      }
      results.push(r);
      ctl.onResult?.(r);
    }
    return results;
  }

  /** Registers a physical exhibit (clothing, a cartridge case): no file, a custodian from now on. */
  addExhibit(ref: string, raw: ExhibitInput): ItemRecord {
    this.require('items.add');
    const input = parseInput(ExhibitInput, raw);
    const c = this.cat.cases.getByRef(ref);
    const now = this.iso();
    // The exhibit's record is its content: its hash pins what was registered.
    const record = {
      title: input.title,
      description: input.description ?? null,
      seal: input.seal ?? null,
      registeredAt: now,
      registeredBy: this.user.name,
    };
    const bytes = Buffer.from(canonicalize(record), 'utf8');
    return this.cat.tx(() => {
      const it = this.cat.items.insert({
        caseId: c.id,
        kind: 'physical_exhibit',
        title: input.title,
        description: input.description ?? null,
        exhibitNumber: input.exhibitNumber ?? null,
        capturedAt: input.capturedAt ? new Date(input.capturedAt).toISOString() : null,
        capturedBy: input.capturedBy ?? null,
        source: input.source ?? null,
        originalName: null,
        size: bytes.length,
        mediaType: 'application/vnd.kesi.physical-exhibit+json',
        sha256: createHash('sha256').update(bytes).digest('hex'),
        blobName: null,
        metadata: { record },
        createdAt: now,
        createdBy: this.user.id,
      });
      this.record(caseChainId(c.uid), 'intake', {
        item: it,
        at: now,
        reason: input.reason ?? null,
        place: input.place ?? this.place,
        details: {
          kind: 'physical_exhibit',
          title: it.title,
          sha256: it.sha256,
          record: record as unknown as Record<string, JsonValue>,
          custodian: {
            name: input.custodian ?? this.user.name,
            organisation: input.organisation ?? null,
            place: input.place ?? this.place,
            seal: input.seal ?? null,
          },
        },
      });
      return it;
    });
  }

  /** Records that a physical exhibit (or a copy of evidence) changed hands or place. */
  transfer(itemId: number, raw: TransferInput): CustodyEvent {
    this.require('items.transfer');
    const input = parseInput(TransferInput, raw);
    const it = this.cat.items.get(itemId);
    const c = this.cat.cases.get(it.caseId);
    return this.cat.tx(() =>
      this.record(caseChainId(c.uid), 'transfer', {
        item: it,
        reason: input.reason,
        place: input.place ?? this.place,
        details: {
          from: this.currentCustodian(itemId) as unknown as JsonValue,
          to: {
            name: input.to,
            organisation: input.organisation ?? null,
            place: input.place ?? null,
            seal: input.seal ?? null,
          },
        },
      }),
    );
  }

  /** Who holds an item now: the last transfer, or whoever took it in. */
  currentCustodian(itemId: number): Custodian {
    const events = this.log.itemEvents(itemId);
    for (let i = events.length - 1; i >= 0; i--) {
      const e = events[i]!;
      if (e.action === 'transfer') {
        const to = e.details['to'] as {
          name: string;
          organisation: string | null;
          place: string | null;
          seal: string | null;
        };
        return { ...to, since: e.at };
      }
      if (e.action === 'intake') {
        const cu = e.details['custodian'] as Omit<Custodian, 'since'> | undefined;
        return cu
          ? { ...cu, since: e.at }
          : { name: e.actor.user, organisation: null, place: e.place, seal: null, since: e.at };
      }
    }
    throw new KesiError('CUSTODY_BROKEN', `Item ${itemId} has no intake event in the custody log.`);
  }

  updateItem(itemId: number, raw: ItemPatchInput): ItemRecord {
    this.require('items.edit');
    const patch = parseInput(ItemPatchInput, raw);
    const it = this.cat.items.get(itemId);
    const c = this.cat.cases.get(it.caseId);
    const { reason, ...fields } = patch;
    return this.cat.tx(() => {
      const updated = this.cat.items.update(itemId, fields);
      this.record(caseChainId(c.uid), 'edit', {
        item: it,
        reason: reason ?? null,
        details: { item: changes(it, updated, Object.keys(fields)) },
      });
      return updated;
    });
  }

  listItems(ref: string): ItemRecord[] {
    const c = this.cat.cases.getByRef(ref);
    return this.cat.items.listByCase(c.id);
  }

  getItem(id: number): ItemRecord {
    return this.cat.items.get(id);
  }

  /** A case's items with the previews each one has (the app's list). */
  listItemViews(ref: string): (ItemRecord & { previews: ItemPreviews })[] {
    const items = this.listItems(ref);
    const kinds = this.cat.derivatives.kindsByCase(this.cat.cases.getByRef(ref).id);
    return items.map((it) => withPreviews(it, kinds.get(it.id)));
  }

  getItemView(id: number): ItemRecord & { previews: ItemPreviews } {
    const it = this.getItem(id);
    return withPreviews(it, new Set(this.cat.derivatives.listByItem(id).map((d) => d.kind)));
  }

  /** The custody events of a case (or the vault chain), oldest first. */
  caseLog(ref: string): CustodyEvent[] {
    const c = this.cat.cases.getByRef(ref);
    return this.log.chainEvents(caseChainId(c.uid));
  }

  vaultLog(): CustodyEvent[] {
    return this.log.chainEvents(VAULT_CHAIN);
  }

  itemLog(itemId: number): CustodyEvent[] {
    this.cat.items.get(itemId);
    return this.log.itemEvents(itemId);
  }

  /** Writes an item's original to `outPath`, decrypted and checked against its SHA-256. */
  async exportItem(id: number, outPath: string, reason?: string): Promise<ItemRecord> {
    this.require('items.read');
    const item = this.cat.items.get(id);
    if (!item.blobName) {
      throw new KesiError('BAD_INPUT', `Item ${id} is a physical exhibit; it has no stored file.`);
    }
    const tmp = join(
      dirname(outPath),
      `.${basename(outPath)}.${randomBytes(6).toString('hex')}.part`,
    );
    // A temp file beside the target, renamed into place once the whole file is written and its
    // hash checked: a failure (no such folder, disk full, a damaged blob) leaves nothing there.
    let out: FileHandle | undefined;
    try {
      out = await open(tmp, 'wx', 0o600);
      const fh = out;
      await this.vault.blobs.readVerified(item.blobName, item.sha256, async (chunk) => {
        await fh.write(chunk);
      });
      await fh.sync();
      await fh.close();
      out = undefined;
      await rename(tmp, outPath);
    } catch (e) {
      await out?.close().catch(() => undefined);
      await unlink(tmp).catch(() => undefined);
      throw writeError(nameItem(e, item), outPath, 'The original');
    }
    this.cat.tx(() =>
      this.record(caseChainId(this.cat.cases.get(item.caseId).uid), 'export', {
        item,
        reason: reason ?? null,
        details: { sha256: item.sha256, to: 'file', fileName: basename(outPath) },
      }),
    );
    return item;
  }

  /** The original's bytes in memory (for viewers); checked against its SHA-256; logged. */
  async readItem(id: number): Promise<{ item: ItemRecord; data: Buffer }> {
    this.require('items.read');
    const item = this.cat.items.get(id);
    if (!item.blobName) throw new KesiError('BAD_INPUT', `Item ${id} has no stored file.`);
    let data: Buffer;
    try {
      data = await this.vault.blobs.readBuffer(item.blobName, item.sha256);
    } catch (e) {
      throw nameItem(e, item);
    }
    this.cat.tx(() =>
      this.record(caseChainId(this.cat.cases.get(item.caseId).uid), 'view', {
        item,
        details: { sha256: item.sha256 },
      }),
    );
    return { item, data };
  }

  /**
   * Audits the whole vault: every chain and signature, every blob decrypted and re-hashed, keys,
   * tree heads, leftovers and the database's own integrity. The result is recorded as a signed
   * `verify` event in the vault chain (unless the log itself cannot take it).
   */
  async audit(opts: AuditOptions = {}): Promise<AuditReport> {
    this.require('audit.run');
    const report = await auditVault(this.vault, opts);
    const errors = report.problems.filter((p) => p.severity === 'error').length;
    this.cat.tx(() =>
      this.record(VAULT_CHAIN, 'verify', {
        details: {
          scope: 'vault',
          ok: report.ok,
          errors,
          warnings: report.problems.length - errors,
          events: report.counts.events,
          items: report.counts.items,
        },
      }),
    );
    return report;
  }

  /**
   * Deletes leftovers of interrupted writes: unreferenced blobs and temp files older than
   * minAgeMinutes (default 60). With dryRun, only lists them. Recorded as a signed "cleanup"
   * event in the vault chain naming every blob removed.
   */
  cleanup(opts: CleanupOptions = {}): CleanupResult {
    this.require('vault.maintain');
    const minutes = opts.minAgeMinutes ?? DEFAULT_CLEANUP_MIN_AGE_MINUTES;
    if (!Number.isFinite(minutes) || minutes < 0) {
      throw new KesiError('BAD_INPUT', 'The minimum age is a number of minutes, 0 or more.');
    }
    const minAgeMs = minutes * 60_000;
    if (opts.dryRun) {
      return { ...findLeftovers(this.vault, minAgeMs, Date.now()), removed: false, failed: [] };
    }
    // Under the write lock: an intake's commit cannot refer to a blob while it is removed.
    return this.cat.tx((): CleanupResult => {
      const found = findLeftovers(this.vault, minAgeMs, Date.now());
      const failed: string[] = [];
      const gone = (path: string): boolean => {
        try {
          this.vault.blobs.removeFile(path);
          return true;
        } catch (e) {
          if ((e as NodeJS.ErrnoException).code === 'ENOENT') return true;
          failed.push(path);
          return false;
        }
      };
      const blobs = found.blobs.filter((name) => gone(this.vault.blobs.pathOf(name)));
      const tempFiles = found.tempFiles.filter((rel) => gone(join(this.vault.dir, rel)));
      if (blobs.length + tempFiles.length > 0) {
        this.record(VAULT_CHAIN, 'cleanup', {
          reason: opts.reason ?? null,
          details: {
            blobs,
            tempFiles: tempFiles.length,
            bytes: found.bytes,
            minAgeMinutes: minutes,
          },
        });
      }
      return { ...found, blobs, tempFiles, removed: true, failed };
    });
  }

  search(query: string, caseRef?: string): SearchHit[] {
    const caseId = caseRef === undefined ? undefined : this.cat.cases.getByRef(caseRef).id;
    return this.cat.search(query, caseId === undefined ? {} : { caseId });
  }

  // ---- court bundles (electron/service/bundles.ts) -------------------------------------------

  private get bundleCtx(): BundleContext {
    return {
      cat: this.cat,
      vault: this.vault,
      user: this.user,
      log: this.log,
      signer: this.signer,
      place: this.place,
      now: () => this.iso(),
      require: (p) => this.require(p),
    };
  }

  listBundles(caseRef: string): BundleRecord[] {
    return bundles.listBundles(this.bundleCtx, caseRef);
  }

  getBundle(uid: string): BundleRecord {
    return bundles.getBundle(this.bundleCtx, uid);
  }

  /** The default spec of a case (sections by kind, items in intake order); not saved. */
  defaultBundleSpec(caseRef: string, cover?: BundleCover): BundleSpec {
    return bundles.defaultSpec(this.bundleCtx, caseRef, cover);
  }

  /** Saves a new bundle spec, or replaces the spec of bundle `uid`. */
  saveBundle(spec: BundleSpec, uid?: string): BundleRecord {
    return bundles.saveBundle(this.bundleCtx, spec, uid);
  }

  /** Generates the signed bundle PDF at `outPath` (whole or not at all) and records the export. */
  generateBundle(uid: string, outPath: string, opts?: GenerateOptions): Promise<GeneratedBundle> {
    return bundles.generateBundle(this.bundleCtx, uid, outPath, opts);
  }

  /** The bytes generateBundle wrote at that generation time, made again (no file, no event). */
  regenerateBundleBytes(uid: string, generatedAt: string): Promise<Uint8Array> {
    return bundles.regenerateBundleBytes(this.bundleCtx, uid, generatedAt);
  }
}

function caseFacts(c: Case): Record<string, JsonValue> {
  return {
    ref: c.ref,
    title: c.title,
    obNumber: c.obNumber,
    policeStation: c.policeStation,
    county: c.county,
    incidentDate: c.incidentDate,
  };
}

/** {field: {from, to}} for the fields a patch named. */
function changes<T extends object>(
  before: T,
  after: T,
  fields: string[],
): Record<string, JsonValue> {
  const out: Record<string, JsonValue> = {};
  for (const f of fields) {
    const from = (before as Record<string, unknown>)[f] ?? null;
    const to = (after as Record<string, unknown>)[f] ?? null;
    if (from !== to) out[f] = { from: from as JsonValue, to: to as JsonValue };
  }
  return out;
}

/** What anyone may see of a person: a protected person's name and contact are withheld. */
function maskPerson(p: Person): PersonView {
  const displayName = p.protected && p.pseudonym ? p.pseudonym : p.fullName;
  return {
    ...p,
    fullName: p.protected ? null : p.fullName,
    contact: p.protected ? null : p.contact,
    displayName,
  };
}

/** Blob errors name the item, so that a caseworker knows which evidence is affected. */
export function nameItem(e: unknown, item: Item): unknown {
  if (e instanceof KesiError && (e.code === 'BLOB_CORRUPT' || e.code === 'BLOB_MISSING')) {
    const what = describeItem(item);
    const msg =
      e.code === 'BLOB_CORRUPT'
        ? `The stored file of ${what} has been altered or damaged: it no longer matches its SHA-256 ${item.sha256}.`
        : `The stored file of ${what} is missing from the vault.`;
    return new KesiError(e.code, msg, { ...e.details, itemId: item.id, sha256: item.sha256 });
  }
  return e;
}

export function describeItem(item: Pick<Item, 'id' | 'title' | 'exhibitNumber'>): string {
  return `item ${item.id} "${item.title}"${item.exhibitNumber ? ` (${item.exhibitNumber})` : ''}`;
}

/**
 * Gives a user a new signing key and passphrase slot; their old key is revoked, not deleted.
 * Order matters for a crash at any point: the new key is known before the slot uses it, and the
 * old keys are revoked only once the new slot is in place.
 */
function withPreviews(
  it: ItemRecord,
  kinds: ReadonlySet<string> | undefined,
): ItemRecord & { previews: ItemPreviews } {
  return {
    ...it,
    previews: {
      thumbnail: kinds?.has('thumbnail') ?? false,
      page: kinds?.has('page_image') ?? false,
    },
  };
}

export async function resetUserKey(
  v: UnlockedVault,
  target: User,
  passphrase: string,
  now: string,
  actor: Signer | null,
  why: 'admin_reset' | 'recovery' | 'escrow',
): Promise<void> {
  const key = generateSigningKey();
  const publicKey = publicKeyRawOf(key.privateKey).toString('base64');
  const old = v.catalogue.users.keys(target.id).filter((k) => k.revokedAt === null);
  v.catalogue.users.addKey({ userId: target.id, keyId: key.keyId, publicKey, createdAt: now });
  await writeUserSlot(v, target.name, passphrase, key.keyId, key.privateKey);
  const log = new CustodyLog(v.catalogue);
  // After a recovery nobody is signed in: the user's new key signs the record of its own making.
  const signer = actor ?? { user: target.name, keyId: key.keyId, privateKey: key.privateKey };
  v.catalogue.tx(() => {
    for (const k of old) v.catalogue.users.revokeKey(k.keyId, now);
    if (why !== 'admin_reset')
      log.append(
        {
          chain: VAULT_CHAIN,
          action: 'recover',
          at: now,
          details: { user: target.name, with: why },
        },
        signer,
      );
    log.append(
      {
        chain: VAULT_CHAIN,
        action: 'key_change',
        at: now,
        details: {
          user: target.name,
          change: why,
          keyId: key.keyId,
          publicKey,
          revoked: old.map((k) => k.keyId),
        },
      },
      signer,
    );
  });
  const hu = v.header.users.find((u) => u.name.toLowerCase() === target.name.toLowerCase());
  if (hu) {
    for (const k of hu.keys) k.revokedAt ??= now;
    hu.keys.push({ keyId: key.keyId, publicKey, createdAt: now, revokedAt: null });
  }
  writeHeader(v.dir, v.header);
}
