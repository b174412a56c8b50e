// Every custody chain verified in full: structure, the recorded head, keys and signatures
// (verifyChainParallel), with each problem named by its case reference and event number.
import { caseChainId, VAULT_CHAIN } from '../custody/event';
import type { CustodyEvent } from '../custody/event';
import { CustodyLog } from '../custody/log';
import type { ChainKeys, ChainPoint, ChainProblem } from '../custody/verify-chain';
import { verifyChainParallel } from '../custody/verify-parallel';
import { capital, nextTurn, type AuditContext, type Names } from './audit-context';
import type { AuditProblem } from './audit-types';

const CASE_MENTION = /\bcase ([0-9A-Za-z_-]{1,64})\b/g;

/** A chain's events as stored (an unreadable record stays in place, as its raw text). */
function readChain(ctx: AuditContext, chain: string): unknown[] {
  const rows = ctx.vault.catalogue.db
    .prepare(`SELECT event FROM custody_events WHERE chain = ? ORDER BY pos`)
    .all(chain) as { event: string }[];
  return rows.map((r) => {
    try {
      return JSON.parse(r.event) as unknown;
    } catch {
      return r.event;
    }
  });
}

function toAuditProblem(p: ChainProblem, events: readonly unknown[], names: Names): AuditProblem {
  // Chain messages name cases by uid; an auditor knows them by reference.
  const message = p.message.replace(CASE_MENTION, (whole, uid: string) => {
    const c = names.caseByUid.get(uid);
    return c ? `case ${c.ref}` : whole;
  });
  // Named once: most messages about the end or start of a chain already name it.
  const c = names.caseOfChain(p.chain);
  const named = c ? message.includes(`case ${c.ref}`) : message.includes('the vault log');
  const out: AuditProblem = {
    severity: p.severity,
    code: p.code,
    message: named ? message : `${capital(names.chainLabel(p.chain))}: ${message}`,
    ...names.chainFields(p.chain),
  };
  if (p.seq !== null) out.seq = p.seq;
  const ev = p.index !== null ? events[p.index] : undefined;
  const itemUid = (ev as { itemUid?: unknown } | undefined)?.itemUid;
  if (typeof itemUid === 'string') {
    const it = names.itemByUid.get(itemUid);
    if (it) out.itemId = it.id;
  }
  return out;
}

/** Verifies every chain; returns how many there are. */
export async function auditChains(
  ctx: AuditContext,
  names: Names,
  keys: ChainKeys,
  totalEvents: number,
): Promise<number> {
  const log = new CustodyLog(ctx.vault.catalogue);
  // The vault log first, then the cases by reference.
  const chains = log.chains().sort((a, b) => {
    if (a === b) return 0;
    if (a === VAULT_CHAIN || b === VAULT_CHAIN) return a === VAULT_CHAIN ? -1 : 1;
    const ra = names.caseOfChain(a)?.ref;
    const rb = names.caseOfChain(b)?.ref;
    if (ra !== undefined && rb !== undefined) return ra.localeCompare(rb, 'en', { numeric: true });
    return ra !== undefined ? -1 : rb !== undefined ? 1 : a < b ? -1 : 1;
  });
  let done = 0;
  let total = totalEvents;
  ctx.progress('chains', 0, total);
  for (const chain of chains) {
    ctx.checkCancelled();
    // Events and head read together, so that an append in between cannot mismatch them.
    const events = readChain(ctx, chain);
    const head: ChainPoint | null = log.head(chain);
    total = Math.max(total, done + events.length);
    const fields = names.chainFields(chain);
    const caseUid = chain.startsWith('case:') ? chain.slice(5) : null;
    if (caseUid !== null && !names.caseByUid.has(caseUid)) {
      ctx.add(
        'chain_without_case',
        `${capital(names.chainLabel(chain))} has ${events.length} events, but the catalogue has no case ${caseUid}: the case has been deleted from the database.`,
        fields,
      );
    }
    if (head === null && events.length > 0) {
      ctx.add(
        'head_missing',
        `The record of where ${names.chainLabel(chain)} ends is missing: it has been deleted from the database, so events deleted from the end of this log could not be noticed.`,
        fields,
      );
    }
    const before = done;
    const problems = await verifyChainParallel(events as CustodyEvent[], keys, {
      signatures: true,
      chain,
      head,
      ...(ctx.signal ? { signal: ctx.signal } : {}),
      onProgress: (d) => ctx.progress('chains', before + d, total),
    });
    // A replaced or unusable key is reported once, by the key check, naming its user.
    for (const p of problems)
      if (p.code !== 'key_replaced') ctx.push(toAuditProblem(p, events, names));
    done += events.length;
    ctx.progress('chains', done, total);
    await nextTurn();
  }
  const known = new Set(chains);
  for (const c of names.caseById.values()) {
    if (!known.has(caseChainId(c.uid))) {
      ctx.add(
        'case_not_recorded',
        `Case ${c.ref} ("${c.title}") has no custody log: it was put into the catalogue outside Kesi, or its whole log was deleted.`,
        { chain: caseChainId(c.uid), caseRef: c.ref },
      );
    }
  }
  return chains.length;
}
