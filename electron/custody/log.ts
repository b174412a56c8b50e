// The custody log as stored in the catalogue (migration 0002): appends signed events in the same
// transaction as the change they record, and reads chains back for display and verification.
import type { KeyObject } from 'node:crypto';
import type { Catalogue } from '../catalogue';
import { APP_ID } from '../../shared/version';
import { KesiError } from '../../shared/errors';
import {
  caseChainId,
  nextEvent,
  VAULT_CHAIN,
  type CustodyAction,
  type CustodyEvent,
  type JsonValue,
} from './event';
import { eventLeaves, MerkleTree, signTreeHead, treeHeadOf, type SignedTreeHead } from './merkle';
import type { ChainKey, ChainPoint } from './verify-chain';

export interface Signer {
  user: string;
  keyId: string;
  privateKey: KeyObject;
}

export interface AppendInput {
  chain: string;
  action: CustodyAction;
  caseId?: number | null;
  itemId?: number | null;
  itemUid?: string | null;
  place?: string | null;
  reason?: string | null;
  details?: Record<string, JsonValue>;
  at?: string;
}

/** An event with its global position (1-based; the Merkle leaf index is pos - 1). */
export interface StoredEvent {
  pos: number;
  event: CustodyEvent;
}

interface EventRow {
  pos: number;
  event: string;
}

export { caseChainId, VAULT_CHAIN };

export class CustodyLog {
  constructor(private readonly cat: Catalogue) {}

  private get db() {
    return this.cat.db;
  }

  /** Appends one signed event. Call inside `catalogue.tx` with the change it records. */
  append(input: AppendInput, signer: Signer): CustodyEvent {
    if (!this.db.inTransaction) {
      throw new KesiError(
        'INTERNAL',
        'A custody event must be written with the change it records.',
      );
    }
    const previous = this.head(input.chain);
    const event = nextEvent(
      input.chain,
      previous ? { chain: input.chain, seq: previous.seq, hash: previous.hash } : null,
      {
        action: input.action,
        itemUid: input.itemUid ?? null,
        actor: { user: signer.user, keyId: signer.keyId },
        at: input.at ?? new Date().toISOString(),
        place: input.place ?? null,
        reason: input.reason ?? null,
        details: input.details ?? {},
        app: APP_ID,
      },
      signer.privateKey,
    );
    this.db
      .prepare(
        `INSERT INTO custody_events (chain, seq, hash, action, case_id, item_id, at, event)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        event.chain,
        event.seq,
        event.hash,
        event.action,
        input.caseId ?? null,
        input.itemId ?? null,
        event.at,
        JSON.stringify(event),
      );
    this.db
      .prepare(
        `INSERT INTO custody_heads (chain, seq, hash) VALUES (?, ?, ?)
         ON CONFLICT(chain) DO UPDATE SET seq = excluded.seq, hash = excluded.hash`,
      )
      .run(event.chain, event.seq, event.hash);
    return event;
  }

  head(chain: string): ChainPoint | null {
    const r = this.db.prepare(`SELECT seq, hash FROM custody_heads WHERE chain = ?`).get(chain) as
      ChainPoint | undefined;
    return r ?? null;
  }

  /** Every chain that has a recorded head or any event. */
  chains(): string[] {
    const rows = this.db
      .prepare(
        `SELECT chain FROM custody_heads UNION SELECT DISTINCT chain FROM custody_events ORDER BY 1`,
      )
      .all() as { chain: string }[];
    return rows.map((r) => r.chain);
  }

  /** A chain's events in stored order (verification must see them as stored, not as sorted). */
  chainEvents(chain: string): CustodyEvent[] {
    const rows = this.db
      .prepare(`SELECT pos, event FROM custody_events WHERE chain = ? ORDER BY pos`)
      .all(chain) as EventRow[];
    return rows.map((r) => JSON.parse(r.event) as CustodyEvent);
  }

  all(): StoredEvent[] {
    const rows = this.db
      .prepare(`SELECT pos, event FROM custody_events ORDER BY pos`)
      .all() as EventRow[];
    return rows.map((r) => ({ pos: r.pos, event: JSON.parse(r.event) as CustodyEvent }));
  }

  itemEvents(itemId: number): CustodyEvent[] {
    const rows = this.db
      .prepare(`SELECT pos, event FROM custody_events WHERE item_id = ? ORDER BY pos`)
      .all(itemId) as EventRow[];
    return rows.map((r) => JSON.parse(r.event) as CustodyEvent);
  }

  count(): number {
    return (this.db.prepare(`SELECT count(*) AS n FROM custody_events`).get() as { n: number }).n;
  }

  /** Events appended after the newest tree head (0 when the newest event is a tree head). */
  sinceLastTreeHead(): number {
    const r = this.db
      .prepare(`SELECT max(pos) AS p FROM custody_events WHERE action = 'tree_head'`)
      .get() as { p: number | null };
    return this.count() - (r.p ?? 0);
  }

  /**
   * Signs a tree head over every event so far and records it in the vault chain. The head is an
   * anchor: a later consistency proof shows the log has only grown since.
   */
  recordTreeHead(signer: Signer, at = new Date().toISOString()): SignedTreeHead {
    return this.cat.tx(() => {
      const tree = new MerkleTree(eventLeaves(this.all().map((s) => s.event)));
      const head = signTreeHead(
        treeHeadOf(tree, { user: signer.user, keyId: signer.keyId }, at),
        signer.privateKey,
      );
      this.append(
        {
          chain: VAULT_CHAIN,
          action: 'tree_head',
          details: head as unknown as Record<string, JsonValue>,
          at,
        },
        signer,
      );
      return head;
    });
  }

  /** Every signing key the vault has known, by key id, for verification. */
  keys(): Map<string, ChainKey> {
    const names = new Map(this.cat.users.list({ includeRemoved: true }).map((u) => [u.id, u.name]));
    const keys = new Map<string, ChainKey>();
    for (const k of this.cat.users.allKeys()) {
      keys.set(k.keyId, {
        publicKey: k.publicKey,
        user: names.get(k.userId) ?? '',
        validFrom: k.createdAt,
        revokedAt: k.revokedAt,
      });
    }
    return keys;
  }
}
