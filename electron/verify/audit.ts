// The vault audit (`kesi audit`, the Audit screen): proves, from the vault alone, that nothing
// was altered between intake and now, or says exactly what was. Read-only; it writes nothing.
// What it checks and every problem code: docs/AUDIT.md.
//
//   catalogue  SQLCipher page authentication, SQLite integrity, foreign keys
//   log        stored columns vs the events, positions 1..n, signed tree heads vs the Merkle root
//   chains     every chain: hashes, links, numbering, recorded head, keys, signatures
//   keys       key ids, the signed record of each key, vault.json vs the catalogue
//   items      every item's intake record (hash, size, case), exhibit records, derivatives
//   blobs      every stored file decrypted and re-hashed, streaming
//   leftovers  stored files nothing refers to, interrupted writes
import { CustodyLog } from '../custody/log';
import type { ChainKeys } from '../custody/verify-chain';
import type { UnlockedVault } from '../vault/vault';
import { auditBlobs, auditLeftovers } from './audit-blobs';
import { auditChains } from './audit-chains';
import {
  AuditContext,
  nextTurn,
  Names,
  type CaseRow,
  type DerivativeRow,
  type ItemRow,
} from './audit-context';
import { auditItemRecords } from './audit-items';
import { auditKeys } from './audit-keys';
import { checkTreeHeads, scanLog, type KeyInfo, type LogScan } from './audit-log';
import type { AuditOptions, AuditProblem, AuditReport } from './audit-types';

export * from './audit-types';
export { formatAuditReport } from './audit-format';

interface Snapshot {
  names: Names;
  keys: Map<string, KeyInfo>;
  chainKeys: ChainKeys;
  scan: LogScan;
}

/**
 * Cases, items, derivatives, keys and the whole log, read in one synchronous step: nothing the
 * service commits meanwhile can fall between them (an item without its intake event, say).
 */
function snapshot(ctx: AuditContext): Snapshot {
  const cat = ctx.vault.catalogue;
  const db = cat.db;
  const cases = db.prepare(`SELECT id, uid, ref, title FROM cases ORDER BY id`).all() as CaseRow[];
  const items = db
    .prepare(
      `SELECT id, uid, case_id, kind, title, exhibit_number, size, sha256, blob_name, parent_id,
         metadata
       FROM items ORDER BY id`,
    )
    .all() as ItemRow[];
  const derivatives = db
    .prepare(`SELECT id, item_id, kind, page, blob_name, sha256 FROM derivatives ORDER BY id`)
    .all() as DerivativeRow[];
  const names = new Names(cases, items, derivatives);

  const userNames = new Map(cat.users.list({ includeRemoved: true }).map((u) => [u.id, u.name]));
  const keys = new Map<string, KeyInfo>();
  for (const k of cat.users.allKeys()) {
    keys.set(k.keyId, {
      keyId: k.keyId,
      user: userNames.get(k.userId) ?? `user row ${k.userId}`,
      publicKey: k.publicKey,
      createdAt: k.createdAt,
      revokedAt: k.revokedAt,
    });
  }
  const chainKeys = new CustodyLog(cat).keys();
  const scan = scanLog(ctx, names);
  return { names, keys, chainKeys, scan };
}

/**
 * Where each kind of problem goes in the report: causes before their consequences (a replaced
 * key before the signatures it breaks), the custody logs before the items and files.
 */
const GROUPS: readonly (readonly string[])[] = [
  ['catalogue_integrity'],
  [
    'header_unreadable',
    'vault_id_mismatch',
    'key_replaced',
    'key_unusable',
    'key_log_mismatch',
    'key_not_in_log',
    'key_not_in_log_unused',
    'key_header_mismatch',
    'key_not_in_catalogue',
    'key_not_in_header',
    'key_revocation_mismatch',
  ],
  // The chains: every code of docs/CUSTODY.md (not listed here), and these.
  ['head_missing', 'chain_without_case', 'case_not_recorded'],
  ['event_unreadable', 'event_columns_mismatch', 'event_unknown_item', 'position_gap'],
  [
    'tree_head_malformed',
    'tree_head_bad_signature',
    'tree_head_beyond_log',
    'tree_head_root_mismatch',
  ],
  [
    'item_not_recorded',
    'item_case_mismatch',
    'item_hash_mismatch',
    'item_size_mismatch',
    'exhibit_record_mismatch',
    'derivative_not_recorded',
  ],
  ['blob_missing', 'blob_corrupt', 'blob_wrong_content'],
  ['blob_unreferenced', 'blob_temp_file'],
];
const CHAIN_GROUP = 2;
const GROUP_OF = new Map(GROUPS.flatMap((codes, g) => codes.map((c) => [c, g] as const)));

function orderProblems(problems: AuditProblem[]): AuditProblem[] {
  const group = (p: AuditProblem): number => GROUP_OF.get(p.code) ?? CHAIN_GROUP;
  return problems
    .map((p, i) => ({ p, i, g: group(p) }))
    .sort((a, b) => a.g - b.g || a.i - b.i)
    .map((x) => x.p);
}

/**
 * Audits the whole vault. Resolves to a report listing every problem found (none: the vault is
 * intact). Rejects with KesiError CANCELLED when `signal` aborts, VAULT_LOCKED when the vault is
 * locked before or during the audit.
 */
export async function auditVault(
  vault: UnlockedVault,
  opts: AuditOptions = {},
): Promise<AuditReport> {
  const startedAt = new Date().toISOString();
  const ctx = new AuditContext(vault, opts);
  ctx.checkCancelled();

  ctx.progress('catalogue', 0, 1);
  for (const p of vault.catalogue.integrityCheck()) {
    ctx.add('catalogue_integrity', `The catalogue database is damaged: ${p}.`, {
      path: vault.catalogue.file,
    });
  }
  ctx.progress('catalogue', 1, 1);
  await nextTurn();
  ctx.checkCancelled();

  const { names, keys, chainKeys, scan } = snapshot(ctx);
  checkTreeHeads(ctx, names, scan, keys);
  await nextTurn();
  ctx.checkCancelled();

  const chains = await auditChains(ctx, names, chainKeys, scan.events);
  ctx.checkCancelled();

  auditKeys(ctx, names, keys, scan);
  auditItemRecords(ctx, names, scan.intake);
  await nextTurn();
  ctx.checkCancelled();

  const blobCounts = await auditBlobs(ctx, names);
  ctx.checkCancelled();
  auditLeftovers(ctx);

  const problems = orderProblems(ctx.problems);
  const report: AuditReport = {
    ok: !problems.some((p) => p.severity === 'error'),
    vaultId: vault.header.vaultId,
    vaultName: vault.header.name,
    startedAt,
    finishedAt: new Date().toISOString(),
    counts: {
      chains,
      events: scan.events,
      items: names.items.length,
      derivatives: names.derivatives.length,
      blobs: blobCounts.blobs,
      bytesChecked: blobCounts.bytesChecked,
    },
    problems,
  };
  return report;
}

/** The audit's verdict in one word for callers that need no details. */
export function auditVerdict(r: AuditReport): 'intact' | 'warnings' | 'broken' {
  if (!r.ok) return 'broken';
  return r.problems.length > 0 ? 'warnings' : 'intact';
}
