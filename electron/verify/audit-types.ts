// The vault audit's report: what was checked and every problem found, in words an auditor can
// act on. The codes are listed in docs/AUDIT.md; change neither without the other.

export type AuditSeverity = 'error' | 'warning';

export interface AuditProblem {
  severity: AuditSeverity;
  code: string;
  /** What is wrong, naming the item (id, title, exhibit number) or the event (log, case, #). */
  message: string;
  itemId?: number;
  /** The case reference, for problems in or about a case's custody log. */
  caseRef?: string;
  /** The custody chain id: `vault` or `case:<uid>`. */
  chain?: string;
  /** The event's number in its chain. */
  seq?: number;
  blobName?: string;
  /** A file inside the vault folder, relative to it. */
  path?: string;
}

export interface AuditCounts {
  /** Custody chains verified (one per case, plus the vault chain). */
  chains: number;
  /** Custody events stored. */
  events: number;
  items: number;
  derivatives: number;
  /** Distinct stored files decrypted and hashed. */
  blobs: number;
  /** Plaintext bytes decrypted and hashed. */
  bytesChecked: number;
}

export interface AuditReport {
  /** True when no problem has severity 'error'. */
  ok: boolean;
  vaultId: string;
  /** The vault's name, from its header. */
  vaultName?: string;
  /** ISO UTC. */
  startedAt: string;
  finishedAt: string;
  counts: AuditCounts;
  problems: AuditProblem[];
}

export interface AuditProgress {
  /** One of AUDIT_PHASES. */
  phase: string;
  done: number;
  total: number;
}

export interface AuditOptions {
  /** Cancels the audit; it then rejects with KesiError CANCELLED. */
  signal?: AbortSignal;
  onProgress?: (p: AuditProgress) => void;
}

/** The phases, in the order they run. */
export const AUDIT_PHASES = [
  'catalogue', // SQLCipher page authentication, SQLite integrity and foreign keys
  'log', // stored columns of each event, global positions, tree heads
  'chains', // each chain: hashes, links, numbering, heads, keys and signatures (done = events)
  'keys', // vault.json against user_keys, key ids, the signed records of each key
  'items', // each item and derivative against its intake record
  'blobs', // every stored file decrypted and re-hashed (done = bytes)
  'leftovers', // stored files nothing refers to, interrupted writes
] as const;
export type AuditPhase = (typeof AUDIT_PHASES)[number];

/** Problem codes of the audit itself (the chain codes of docs/CUSTODY.md come on top). */
export const AUDIT_CODES = {
  // catalogue
  catalogue_integrity: 'error',
  // the stored log
  event_unreadable: 'error',
  event_columns_mismatch: 'error',
  event_unknown_item: 'error',
  position_gap: 'error',
  head_missing: 'error',
  chain_without_case: 'error',
  case_not_recorded: 'error',
  vault_id_mismatch: 'error',
  // signed tree heads
  tree_head_malformed: 'error',
  tree_head_bad_signature: 'error',
  tree_head_beyond_log: 'error',
  tree_head_root_mismatch: 'error',
  // keys
  header_unreadable: 'error',
  key_replaced: 'error',
  key_unusable: 'error',
  key_header_mismatch: 'error',
  key_not_in_catalogue: 'error',
  key_not_in_header: 'warning',
  key_revocation_mismatch: 'warning',
  key_not_in_log: 'error',
  key_not_in_log_unused: 'warning',
  key_log_mismatch: 'error',
  // items and their records
  item_not_recorded: 'error',
  item_hash_mismatch: 'error',
  item_case_mismatch: 'error',
  item_size_mismatch: 'error',
  exhibit_record_mismatch: 'error',
  derivative_not_recorded: 'warning',
  // stored files
  blob_missing: 'error',
  blob_corrupt: 'error',
  blob_wrong_content: 'error',
  blob_unreferenced: 'warning',
  blob_temp_file: 'warning',
} as const satisfies Record<string, AuditSeverity>;
export type AuditCode = keyof typeof AUDIT_CODES;
