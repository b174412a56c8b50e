// The custody log as stored: one pass over every row in global order, checking that the stored
// columns (chain, seq, hash, action, time, case and item) agree with the event they file, that
// the global positions run 1..n without gaps, and that every signed tree head in the vault chain
// still matches the Merkle root of the events it fixed. The same pass collects what later steps
// compare against: each item's intake record and each key's signed record.
import { publicKeyFromRaw } from '../custody/keys';
import { isWellFormedHash, VAULT_CHAIN } from '../custody/event';
import {
  EMPTY_ROOT,
  leafHash,
  nodeHash,
  treeHeadProblem,
  verifyTreeHead,
  type SignedTreeHead,
} from '../custody/merkle';
import { formatEat } from '../../shared/time';
import { capital, short, plural, type AuditContext, type Names } from './audit-context';

interface StoredRow {
  pos: number;
  chain: string;
  seq: number;
  hash: string;
  action: string;
  case_id: number | null;
  item_id: number | null;
  at: string;
  event: string;
}

/** The first intake (or derive) event of an item, as recorded. */
export interface IntakeRecord {
  chain: string;
  seq: number;
  action: string;
  caseUid: unknown;
  sha256: unknown;
  size: unknown;
  derivatives: unknown;
}

/** The vault-chain event that issued a key (user_add or key_change), as recorded. */
export interface KeyRecord {
  seq: number;
  action: string;
  user: unknown;
  publicKey: unknown;
}

interface TreeHeadEntry {
  /** Rows stored before it (0-based index in global order). */
  index: number;
  pos: number;
  seq: number;
  details: unknown;
}

export interface LogScan {
  events: number;
  intake: Map<string, IntakeRecord>;
  keyRecords: Map<string, KeyRecord>;
  /** vaultId recorded by the vault_create event, if any. */
  vaultId: { value: unknown; seq: number } | null;
  treeHeads: TreeHeadEntry[];
  /** Key ids that signed at least one event or tree head. */
  signers: Set<string>;
  /** 32 bytes per event, in global order: the Merkle leaves. */
  leaves: Buffer;
}

/** What the tree-head check needs of a key. */
export interface KeyInfo {
  keyId: string;
  user: string;
  publicKey: string;
  createdAt: string;
  revokedAt: string | null;
}

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function quoted(x: unknown): string {
  return typeof x === 'string' ? `"${x}"` : x === null || x === undefined ? 'nothing' : String(x);
}

/** Reads and checks every stored event, in one synchronous pass. */
export function scanLog(ctx: AuditContext, names: Names): LogScan {
  const db = ctx.vault.catalogue.db;
  const total = (db.prepare(`SELECT count(*) AS n FROM custody_events`).get() as { n: number }).n;
  const scan: LogScan = {
    events: 0,
    intake: new Map(),
    keyRecords: new Map(),
    vaultId: null,
    treeHeads: [],
    signers: new Set(),
    leaves: Buffer.alloc(total * 32),
  };
  ctx.progress('log', 0, total);
  const rows = db
    .prepare(
      `SELECT pos, chain, seq, hash, action, case_id, item_id, at, event
       FROM custody_events ORDER BY pos`,
    )
    .iterate() as IterableIterator<StoredRow>;
  let expectedPos = 1;
  let i = 0;
  for (const row of rows) {
    if (i >= total) break; // appended after the count: left for the next audit
    if (row.pos !== expectedPos) {
      const from = expectedPos;
      const to = row.pos - 1;
      const n = to - from + 1;
      ctx.add(
        'position_gap',
        `${from === to ? `Position ${from}` : `Positions ${from} to ${to}`} of the custody log ${n === 1 ? 'holds' : 'hold'} no event: ${plural(n, 'event has', 'events have')} been deleted from the database (Kesi numbers every event it stores, across all logs, from 1 without gaps).`,
      );
    }
    expectedPos = row.pos + 1;
    checkRow(ctx, names, scan, row, i);
    i++;
  }
  scan.events = i;
  if (i < total) scan.leaves = scan.leaves.subarray(0, i * 32);
  ctx.progress('log', i, total);
  return scan;
}

function checkRow(
  ctx: AuditContext,
  names: Names,
  scan: LogScan,
  row: StoredRow,
  index: number,
): void {
  let ev: Record<string, unknown> | null = null;
  try {
    const parsed: unknown = JSON.parse(row.event);
    if (isRecord(parsed)) ev = parsed;
  } catch {
    ev = null;
  }
  const where = `The event stored at position ${row.pos} (filed as ${names.eventLabel(row.chain, row.seq)})`;
  const leafHex = ev !== null && isWellFormedHash(ev.hash) ? ev.hash : row.hash;
  scan.leaves.write(leafHex, index * 32, 32, 'hex');
  if (ev === null) {
    ctx.add(
      'event_unreadable',
      `${where} cannot be read: it is not a custody event. Its record has been overwritten or damaged.`,
      { ...names.chainFields(row.chain), seq: row.seq },
    );
    return;
  }

  // The columns are what Kesi looks events up by; the event is what was hashed and signed.
  const diffs: string[] = [];
  if (ev.chain !== row.chain) {
    diffs.push(
      `it is filed in ${names.chainLabel(row.chain)}, but the event is of ${typeof ev.chain === 'string' ? names.chainLabel(ev.chain) : quoted(ev.chain)}`,
    );
  }
  if (ev.seq !== row.seq)
    diffs.push(`it is filed as #${row.seq}, but the event is #${String(ev.seq)}`);
  if (ev.hash !== row.hash) {
    diffs.push(
      `it is filed with hash ${short(row.hash)}, but the event records ${short(String(ev.hash))}`,
    );
  }
  if (ev.action !== row.action) {
    diffs.push(`it is filed as action "${row.action}", but the event records ${quoted(ev.action)}`);
  }
  if (ev.at !== row.at) {
    diffs.push(
      `it is filed as made ${formatEat(row.at)}, but the event records ${typeof ev.at === 'string' ? formatEat(ev.at) : quoted(ev.at)}`,
    );
  }
  const caseUid = ev.caseUid;
  const expectedCase =
    caseUid === null
      ? null
      : typeof caseUid === 'string'
        ? names.caseByUid.get(caseUid)
        : undefined;
  if (expectedCase !== undefined && (expectedCase?.id ?? null) !== row.case_id) {
    const filed = row.case_id === null ? 'no case' : caseName(names, row.case_id);
    diffs.push(
      `it is filed under ${filed}, but the event is about ${expectedCase === null ? 'no case' : `case ${expectedCase.ref}`}`,
    );
  }
  const itemUid = ev.itemUid;
  if (itemUid === null) {
    if (row.item_id !== null) {
      diffs.push(`it is filed under ${itemName(names, row.item_id)}, but the event names no item`);
    }
  } else if (typeof itemUid === 'string') {
    const it = names.itemByUid.get(itemUid);
    if (it === undefined) {
      ctx.add(
        'event_unknown_item',
        `${where} is about item ${itemUid}, which is not in the catalogue: the item has been deleted from the database.`,
        { ...names.chainFields(row.chain), seq: row.seq },
      );
    } else if (it.id !== row.item_id) {
      const filed = row.item_id === null ? 'no item' : itemName(names, row.item_id);
      diffs.push(`it is filed under ${filed}, but the event is about ${names.itemLabel(it)}`);
    }
  }
  if (diffs.length > 0) {
    const it = typeof itemUid === 'string' ? names.itemByUid.get(itemUid) : undefined;
    ctx.add(
      'event_columns_mismatch',
      `${where} is filed with facts that differ from the event itself: ${diffs.join('; ')}. The database was changed outside Kesi.`,
      { ...names.chainFields(row.chain), seq: row.seq, ...(it ? { itemId: it.id } : {}) },
    );
  }

  // What later steps compare against.
  const details = isRecord(ev.details) ? ev.details : {};
  if (isRecord(ev.actor) && typeof ev.actor.keyId === 'string') scan.signers.add(ev.actor.keyId);
  const seq = typeof ev.seq === 'number' ? ev.seq : row.seq;
  const chain = typeof ev.chain === 'string' ? ev.chain : row.chain;
  if (
    chain !== VAULT_CHAIN &&
    (ev.action === 'intake' || ev.action === 'derive') &&
    typeof itemUid === 'string' &&
    !scan.intake.has(itemUid)
  ) {
    scan.intake.set(itemUid, {
      chain,
      seq,
      action: ev.action,
      caseUid,
      sha256: details.sha256,
      size: details.size,
      derivatives: details.derivatives,
    });
  }
  if (chain === VAULT_CHAIN) {
    if (
      (ev.action === 'user_add' || ev.action === 'key_change') &&
      typeof details.keyId === 'string' &&
      !scan.keyRecords.has(details.keyId)
    ) {
      scan.keyRecords.set(details.keyId, {
        seq,
        action: ev.action,
        user: details.user,
        publicKey: details.publicKey,
      });
    } else if (ev.action === 'vault_create' && scan.vaultId === null) {
      scan.vaultId = { value: details.vaultId, seq };
    } else if (ev.action === 'tree_head') {
      scan.treeHeads.push({ index, pos: row.pos, seq, details: ev.details });
      const signer = isRecord(details.signer) ? details.signer.keyId : undefined;
      if (typeof signer === 'string') scan.signers.add(signer);
    }
  }
}

function caseName(names: Names, id: number): string {
  const c = names.caseById.get(id);
  return c ? `case ${c.ref}` : `case row ${id}`;
}

function itemName(names: Names, id: number): string {
  const it = names.itemById.get(id);
  return it ? names.itemLabel(it) : `item row ${id}`;
}

/**
 * Merkle roots (RFC 9162) of the first `size` leaves for each wanted size, in one pass with a
 * stack of O(log n) subtree hashes.
 */
export function prefixRoots(leaves: Buffer, sizes: Iterable<number>): Map<number, string> {
  const want = new Set(sizes);
  const roots = new Map<number, string>();
  if (want.has(0)) roots.set(0, EMPTY_ROOT.toString('hex'));
  let last = 0;
  for (const s of want) last = Math.max(last, s);
  const count = Math.min(last, Math.floor(leaves.length / 32));
  const stack: Buffer[] = [];
  const heights: number[] = [];
  for (let i = 0; i < count; i++) {
    let h = leafHash(leaves.subarray(i * 32, i * 32 + 32));
    let size = 1;
    while (heights.length > 0 && heights[heights.length - 1] === size) {
      h = nodeHash(stack.pop() as Buffer, h);
      heights.pop();
      size *= 2;
    }
    stack.push(h);
    heights.push(size);
    if (want.has(i + 1)) {
      let root = stack[stack.length - 1] as Buffer;
      for (let j = stack.length - 2; j >= 0; j--) root = nodeHash(stack[j] as Buffer, root);
      roots.set(i + 1, root.toString('hex'));
    }
  }
  return roots;
}

/** Every tree head in the vault chain: well formed, validly signed, and still the root. */
export function checkTreeHeads(
  ctx: AuditContext,
  names: Names,
  scan: LogScan,
  keys: ReadonlyMap<string, KeyInfo>,
): void {
  const pending: { entry: TreeHeadEntry; head: SignedTreeHead; where: string }[] = [];
  for (const entry of scan.treeHeads) {
    const fields = { ...names.chainFields(VAULT_CHAIN), seq: entry.seq };
    const label = `The signed tree head recorded as ${names.eventLabel(VAULT_CHAIN, entry.seq)}`;
    const bad = treeHeadProblem(entry.details, true);
    if (bad !== null) {
      ctx.add('tree_head_malformed', `${label} is not a valid signed tree head: ${bad}.`, fields);
      continue;
    }
    const head = entry.details as SignedTreeHead;
    const signer = head.signer;
    const where = `${label} (signed by ${signer.user}, ${formatEat(head.at)})`;
    const key = keys.get(signer.keyId);
    if (key === undefined) {
      ctx.add(
        'tree_head_bad_signature',
        `${where} is signed with key ${signer.keyId}, which is not a key of this vault: it cannot be checked.`,
        fields,
      );
    } else if (key.user !== signer.user) {
      ctx.add(
        'tree_head_bad_signature',
        `${where} names ${signer.user} as its signer, but key ${signer.keyId} belongs to ${key.user}.`,
        fields,
      );
    } else {
      let valid = false;
      try {
        valid = verifyTreeHead(head, publicKeyFromRaw(Buffer.from(key.publicKey, 'base64')));
      } catch {
        valid = false;
      }
      if (!valid) {
        ctx.add(
          'tree_head_bad_signature',
          `${where} does not verify with ${key.user}'s key ${key.keyId}: the head was altered after it was signed, or the public key on record has been replaced.`,
          fields,
        );
      }
    }
    if (head.treeSize > entry.index) {
      ctx.add(
        'tree_head_beyond_log',
        `${where} states that the custody log held ${plural(head.treeSize, 'event')} when it was signed, but only ${plural(entry.index, 'event is', 'events are')} stored before it now: events from before that time have been deleted.`,
        fields,
      );
      continue;
    }
    pending.push({ entry, head, where });
  }
  if (pending.length === 0) return;
  const roots = prefixRoots(
    scan.leaves,
    pending.map((p) => p.head.treeSize),
  );
  for (const { entry, head, where } of pending) {
    const root = roots.get(head.treeSize);
    if (root !== head.rootHash) {
      ctx.add(
        'tree_head_root_mismatch',
        `${capital(where)} fixed the first ${plural(head.treeSize, 'event')} of the custody log with Merkle root ${short(head.rootHash)}, but those events as stored now give ${short(root)}. Events written before this head was signed have since been changed, removed, reordered or rewritten, even if each of them still carries a valid signature (for example, re-signed with a stolen key).`,
        { ...names.chainFields(VAULT_CHAIN), seq: entry.seq },
      );
    }
  }
}
