// What every audit step shares: the vault, the names of cases and items as the catalogue holds
// them (read once, in one synchronous step), the problems found so far, progress and cancel.
import { relative } from 'node:path';
import { KesiError } from '../../shared/errors';
import { caseUidOfChain, VAULT_CHAIN } from '../custody/event';
import type { UnlockedVault } from '../vault/vault';
import {
  AUDIT_CODES,
  type AuditCode,
  type AuditOptions,
  type AuditPhase,
  type AuditProblem,
} from './audit-types';

export interface CaseRow {
  id: number;
  uid: string;
  ref: string;
  title: string;
}

export interface ItemRow {
  id: number;
  uid: string;
  case_id: number;
  kind: string;
  title: string;
  exhibit_number: string | null;
  size: number;
  sha256: string;
  blob_name: string | null;
  parent_id: number | null;
  metadata: string;
}

export interface DerivativeRow {
  id: number;
  item_id: number;
  kind: string;
  page: number | null;
  blob_name: string;
  sha256: string;
}

/** Cases and items by id and uid, and how to name them in a message. */
export class Names {
  readonly caseById = new Map<number, CaseRow>();
  readonly caseByUid = new Map<string, CaseRow>();
  readonly itemById = new Map<number, ItemRow>();
  readonly itemByUid = new Map<string, ItemRow>();

  constructor(
    cases: readonly CaseRow[],
    readonly items: readonly ItemRow[],
    readonly derivatives: readonly DerivativeRow[],
  ) {
    for (const c of cases) {
      this.caseById.set(c.id, c);
      this.caseByUid.set(c.uid, c);
    }
    for (const it of items) {
      this.itemById.set(it.id, it);
      this.itemByUid.set(it.uid, it);
    }
  }

  /** The case of a case chain, if the catalogue has it. */
  caseOfChain(chain: string): CaseRow | undefined {
    const uid = caseUidOfChain(chain);
    return typeof uid === 'string' ? this.caseByUid.get(uid) : undefined;
  }

  /** "the custody log of case KE-1" / "the vault log". */
  chainLabel(chain: string): string {
    if (chain === VAULT_CHAIN) return 'the vault log';
    const uid = caseUidOfChain(chain);
    if (uid === undefined || uid === null) return `the log "${chain}"`;
    const c = this.caseByUid.get(uid);
    return c ? `the custody log of case ${c.ref}` : `the custody log of case ${uid}`;
  }

  /** "event #5 of the custody log of case KE-1". */
  eventLabel(chain: string, seq: number | null | undefined): string {
    return `${seq === null || seq === undefined ? 'an event' : `event #${seq}`} of ${this.chainLabel(chain)}`;
  }

  /** 'item 7 "Post-mortem report" (exhibit PExh-3) of case KE-1'. */
  itemLabel(it: ItemRow): string {
    const exhibit = it.exhibit_number ? ` (exhibit ${it.exhibit_number})` : '';
    const c = this.caseById.get(it.case_id);
    return `item ${it.id} "${it.title}"${exhibit}${c ? ` of case ${c.ref}` : ''}`;
  }

  /** The case ref and chain fields of a problem about a chain. */
  chainFields(chain: string): Pick<AuditProblem, 'chain' | 'caseRef'> {
    const c = this.caseOfChain(chain);
    return c ? { chain, caseRef: c.ref } : { chain };
  }

  /** The item and case fields of a problem about an item. */
  itemFields(it: ItemRow): Pick<AuditProblem, 'itemId' | 'caseRef'> {
    const c = this.caseById.get(it.case_id);
    return c ? { itemId: it.id, caseRef: c.ref } : { itemId: it.id };
  }
}

export class AuditContext {
  readonly problems: AuditProblem[] = [];

  constructor(
    readonly vault: UnlockedVault,
    private readonly opts: AuditOptions,
  ) {}

  get signal(): AbortSignal | undefined {
    return this.opts.signal;
  }

  add(
    code: AuditCode,
    message: string,
    fields: Omit<AuditProblem, 'severity' | 'code' | 'message'> = {},
  ): void {
    this.problems.push({ severity: AUDIT_CODES[code], code, message, ...fields });
  }

  push(p: AuditProblem): void {
    this.problems.push(p);
  }

  progress(phase: AuditPhase, done: number, total: number): void {
    this.opts.onProgress?.({ phase, done, total });
  }

  /** Throws CANCELLED when asked to stop, VAULT_LOCKED when the vault was locked meanwhile. */
  checkCancelled(): void {
    if (this.opts.signal?.aborted) throw new KesiError('CANCELLED');
    if (!this.vault.catalogue.isOpen) throw new KesiError('VAULT_LOCKED');
  }

  /** A path inside the vault folder, relative to it, with forward slashes. */
  vaultPath(path: string): string {
    return relative(this.vault.dir, path).split('\\').join('/');
  }
}

export function capital(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

export function short(hash: string | null | undefined): string {
  return typeof hash === 'string' && hash.length > 12 ? `${hash.slice(0, 12)}…` : String(hash);
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString('en-GB')} ${n === 1 ? one : many}`;
}

export const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
