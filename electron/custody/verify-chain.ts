// Verification of one custody chain: every way the log can have been damaged or tampered with,
// described for the caseworker or auditor who has to act on it. See docs/CUSTODY.md.

import { formatEat } from '../../shared/time';
import { KeyObject, verify } from 'node:crypto';
import {
  caseUidOfChain,
  eventShapeProblem,
  genesisActionOf,
  hashEventBody,
  hashWellFormedBody,
  isCustodyAction,
  isCustodyTime,
  isWellFormedHash,
  isWellFormedSig,
  VAULT_CHAIN,
  type CustodyEvent,
  type CustodyEventBody,
} from './event';
import { keyIdOf, publicKeyFromRaw, publicKeyRawOf } from './keys';

/** A public key the log may be signed with, as recorded for the vault's users. */
export interface ChainKey {
  /** A KeyObject, the 32 raw bytes, or the base64 of the 32 raw bytes (as in vault.json). */
  publicKey: KeyObject | Uint8Array | string;
  /** The user the key belongs to; when given, events signed with it must name this user. */
  user?: string;
  /** When the key was issued (ISO UTC); events dated before it are reported. */
  validFrom?: string | null;
  /** When the key was revoked (ISO UTC); events dated after it are reported. */
  revokedAt?: string | null;
}

/** Keys by key id. */
export type ChainKeys = ReadonlyMap<string, ChainKey>;

/** A trusted position in a chain: event `seq` has hash `hash`. */
export interface ChainPoint {
  seq: number;
  hash: string;
}

export interface VerifyChainOptions {
  /** Check each event's signature and key (slow: see verifyChainParallel). */
  signatures: boolean;
  /** The chain these events are meant to be; default: the chain of the first event. */
  chain?: string;
  /** Verify a continuation: the events start after this trusted point. Default: from #1. */
  after?: ChainPoint | null;
  /** The chain's recorded last event; catches events deleted from the end. */
  head?: ChainPoint | null;
  /** How far back in time an event may be dated compared with the one before it before a
   * warning is given. Default 5 minutes. */
  clockToleranceMs?: number;
}

export type ChainProblemCode =
  | 'malformed' // not a well-formed event; its contents cannot be trusted
  | 'hash_mismatch' // the contents were changed after the event was written
  | 'wrong_chain' // an event of another chain is stored in this one
  | 'unknown_action' // an action this version does not know (warning)
  | 'genesis' // the chain does not start with its opening action, or has a second one
  | 'out_of_order' // stored in the wrong place
  | 'duplicate' // the same event stored more than once
  | 'fork' // two different events with the same number
  | 'missing' // one or more events deleted
  | 'seq_skip' // numbering jumps although the link is intact
  | 'broken_link' // does not point to the event stored before it
  | 'truncated' // events deleted from the end (needs opts.head)
  | 'head_mismatch' // the last recorded event was replaced (needs opts.head)
  | 'beyond_head' // events after the recorded head (warning)
  | 'time_backwards' // dated earlier than the event before it (warning)
  | 'unknown_key' // signed with a key the vault does not have
  | 'key_replaced' // the key on record does not have the key id it is filed under
  | 'actor_mismatch' // the key belongs to another user
  | 'key_not_yet_valid' // dated before the key was issued
  | 'key_revoked' // dated after the key was revoked
  | 'bad_signature'; // the signature does not verify

export type ProblemSeverity = 'error' | 'warning';

export interface ChainProblem {
  code: ChainProblemCode;
  severity: ProblemSeverity;
  /** The chain verified. */
  chain: string;
  /** The event's number (for 'missing', the first missing number); null if not about one. */
  seq: number | null;
  /** The event's recorded hash (for 'missing', the deleted event's hash if known). */
  hash: string | null;
  /** Position of the event in the array given; null if not about a stored event. */
  index: number | null;
  /** What is wrong, in words for a caseworker or auditor. */
  message: string;
}

const WARNINGS: ReadonlySet<ChainProblemCode> = new Set([
  'unknown_action',
  'beyond_head',
  'time_backwards',
]);

export const DEFAULT_CLOCK_TOLERANCE_MS = 5 * 60 * 1000;

// ---------------------------------------------------------------------------------------------
// Wording

/** Kept as an export of this module for its callers; the one implementation is shared/time. */
export { formatEat };

function short(hash: string | null | undefined): string {
  return typeof hash === 'string' ? hash.slice(0, 12) + '…' : '(none)';
}

function chainName(chain: string): string {
  const uid = caseUidOfChain(chain);
  if (uid === undefined) return `"${chain}"`;
  return uid === null ? 'the vault log' : `the log of case ${uid}`;
}

function num(seq: number): string {
  return `#${seq}`;
}

function range(a: number, b: number): string {
  return a === b ? `Event #${a} is` : `Events #${a} to #${b} are`;
}

/** "event #12 (view by alice, 2026-03-01 10:04:05 EAT)" as far as the event allows. */
function describeEvent(ev: Record<string, unknown>, seq: number | null): string {
  const parts: string[] = [];
  if (typeof ev.action === 'string') parts.push(ev.action);
  const actor = ev.actor as { user?: unknown } | null | undefined;
  if (typeof actor === 'object' && actor !== null && typeof actor.user === 'string') {
    parts.push(`by ${actor.user}`);
  }
  const at = isCustodyTime(ev.at) ? `, ${formatEat(ev.at)}` : '';
  const what = parts.length > 0 || at !== '' ? ` (${parts.join(' ')}${at})` : '';
  return `${seq === null ? 'the event' : `event ${num(seq)}`}${what}`;
}

function capital(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

function problem(
  code: ChainProblemCode,
  chain: string,
  seq: number | null,
  hash: string | null,
  index: number | null,
  message: string,
): ChainProblem {
  return {
    code,
    severity: WARNINGS.has(code) ? 'warning' : 'error',
    chain,
    seq,
    hash,
    index,
    message,
  };
}

// ---------------------------------------------------------------------------------------------
// Structure: shapes, hashes, numbering, links, times

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/**
 * The events that take part in the numbering and link checks, as parallel arrays (a log can
 * hold hundreds of thousands of events; one small object each would keep the garbage
 * collector busy). A well-formed event's members are read from the event itself; for the
 * others, what could be used is kept aside in `odd`.
 */
class Entries {
  count = 0;
  readonly index: Int32Array;
  readonly seq: Float64Array;
  readonly intact: Uint8Array;
  private readonly odd = new Map<number, OddEntry>();

  constructor(
    private readonly events: readonly unknown[],
    capacity: number,
  ) {
    this.index = new Int32Array(capacity);
    this.seq = new Float64Array(capacity);
    this.intact = new Uint8Array(capacity);
  }

  add(index: number, seq: number, intact: boolean, odd: OddEntry | null): void {
    const k = this.count++;
    this.index[k] = index;
    this.seq[k] = seq;
    this.intact[k] = intact ? 1 : 0;
    if (odd !== null) this.odd.set(k, odd);
  }

  ev(k: number): Record<string, unknown> {
    return this.events[this.index[k] as number] as Record<string, unknown>;
  }
  /** The recorded hash, if well formed. */
  hash(k: number): string | null {
    const o = this.odd.size > 0 ? this.odd.get(k) : undefined;
    return o !== undefined ? o.hash : (this.ev(k).hash as string);
  }
  /** The recorded link, if well formed (null also for #1). */
  prev(k: number): string | null {
    const o = this.odd.size > 0 ? this.odd.get(k) : undefined;
    return o !== undefined ? o.prev : (this.ev(k).prev as string | null);
  }
  at(k: number): string | null {
    const o = this.odd.size > 0 ? this.odd.get(k) : undefined;
    return o !== undefined ? o.at : (this.ev(k).at as string);
  }
  action(k: number): string | null {
    const o = this.odd.size > 0 ? this.odd.get(k) : undefined;
    return o !== undefined ? o.action : (this.ev(k).action as string);
  }
}

interface OddEntry {
  hash: string | null;
  prev: string | null;
  at: string | null;
  action: string | null;
}

/** The chain these events are checked against. */
function expectedChain(events: readonly unknown[], opts: VerifyChainOptions): string {
  if (opts.chain !== undefined) return opts.chain;
  for (const ev of events) if (isRecord(ev) && typeof ev.chain === 'string') return ev.chain;
  return VAULT_CHAIN;
}

/**
 * Indices (into `seqs`) of a longest non-decreasing subsequence: the events that are in
 * order. The others were moved. O(n log n).
 */
function inOrder(seqs: ArrayLike<number>): Set<number> {
  const tails: number[] = []; // tails[l] = index of the last element of the best run of length l+1
  const before = new Int32Array(seqs.length).fill(-1);
  for (let i = 0; i < seqs.length; i++) {
    const s = seqs[i] as number;
    let lo = 0;
    let hi = tails.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((seqs[tails[mid] as number] as number) <= s) lo = mid + 1;
      else hi = mid;
    }
    if (lo > 0) before[i] = tails[lo - 1] as number;
    tails[lo] = i;
  }
  const keep = new Set<number>();
  for (let i = tails.length > 0 ? (tails[tails.length - 1] as number) : -1; i >= 0;) {
    keep.add(i);
    i = before[i] as number;
  }
  return keep;
}

function checkStructure(
  events: readonly unknown[],
  chain: string,
  opts: VerifyChainOptions,
  out: ChainProblem[],
): void {
  const tolerance = opts.clockToleranceMs ?? DEFAULT_CLOCK_TOLERANCE_MS;
  const entries = new Entries(events, events.length);

  // 1. Each event on its own.
  let lastIntactHash: string | null = null;
  for (let i = 0; i < events.length; i++) {
    const raw = events[i];
    if (!isRecord(raw)) {
      out.push(
        problem(
          'malformed',
          chain,
          null,
          null,
          i,
          `The entry at position ${i + 1} of the log is not a custody event.`,
        ),
      );
      continue;
    }
    const ev = raw;
    // The hash is checked against the recomputed one below, the signature by the signature
    // checks (chain-only verification does not look at signatures at all).
    let shape = eventShapeProblem(ev, 'event-body', false, lastIntactHash);
    const seq =
      shape === null || (typeof ev.seq === 'number' && Number.isSafeInteger(ev.seq) && ev.seq >= 1)
        ? (ev.seq as number)
        : null;

    let computed: string | null = null;
    try {
      const body = ev as unknown as CustodyEventBody;
      computed = shape === null ? hashWellFormedBody(body) : hashEventBody(body);
    } catch (e) {
      shape ??= `its contents are not plain JSON (${e instanceof Error ? e.message : String(e)})`;
    }
    const intact = computed !== null && computed === ev.hash;
    lastIntactHash = intact ? computed : null;
    const hash = intact || isWellFormedHash(ev.hash) ? (ev.hash as string) : null;
    if (shape === null && hash === null) shape = 'its hash is not valid';
    if (shape !== null) {
      const where = seq === null ? ` at position ${i + 1} of the log` : '';
      out.push(
        problem(
          'malformed',
          chain,
          seq,
          hash,
          i,
          `${capital(describeEvent(ev, seq))}${where} is not a valid custody event: ${shape}.`,
        ),
      );
    }
    if (computed !== null && hash !== null && !intact) {
      out.push(
        problem(
          'hash_mismatch',
          chain,
          seq,
          hash,
          i,
          `${capital(describeEvent(ev, seq))} has been altered: its contents no longer match the hash recorded when it was written (${short(hash)}). A field was changed after the event was recorded.`,
        ),
      );
    }
    if (shape === null && !isCustodyAction(ev.action as string)) {
      out.push(
        problem(
          'unknown_action',
          chain,
          seq,
          hash,
          i,
          `${capital(describeEvent(ev, seq))} records the action "${String(ev.action)}", which this version of Kesi does not know; it may come from a newer version. Its integrity was still checked.`,
        ),
      );
    }
    if (ev.chain !== chain && typeof ev.chain === 'string') {
      out.push(
        problem(
          'wrong_chain',
          chain,
          seq,
          hash,
          i,
          `${capital(describeEvent(ev, seq))} belongs to ${chainName(ev.chain)} but is stored in ${chainName(chain)}.`,
        ),
      );
      continue;
    }
    if (seq === null) continue;
    if (shape === null) {
      entries.add(i, seq, intact, null);
    } else {
      entries.add(i, seq, intact, {
        hash,
        prev: isWellFormedHash(ev.prev) ? ev.prev : null,
        at: isCustodyTime(ev.at) ? ev.at : null,
        action: typeof ev.action === 'string' ? ev.action : null,
      });
    }
  }

  // 2. Storage order: events not in a longest in-order run were moved.
  const n = entries.count;
  const seqOf = entries.seq;
  let ordered = true;
  for (let k = 1; k < n && ordered; k++) {
    if ((seqOf[k] as number) < (seqOf[k - 1] as number)) ordered = false;
  }
  // order[j] = the entry that comes j-th in chain order (by seq; stable).
  let order: Int32Array | null = null;
  if (!ordered) {
    const keep = inOrder(seqOf.subarray(0, n));
    for (let k = 0; k < n; k++) {
      if (keep.has(k)) continue;
      const s = seqOf[k] as number;
      const a = k > 0 ? (seqOf[k - 1] as number) : null;
      const b = k + 1 < n ? (seqOf[k + 1] as number) : null;
      const between =
        a !== null && b !== null
          ? `between ${num(a)} and ${num(b)}`
          : a !== null
            ? `after ${num(a)}`
            : b !== null
              ? `before ${num(b)}`
              : '';
      out.push(
        problem(
          'out_of_order',
          chain,
          s,
          entries.hash(k),
          entries.index[k] as number,
          `${capital(describeEvent(entries.ev(k), s))} is stored out of order, ${between}: the events have been reordered.`,
        ),
      );
    }
    order = Int32Array.from({ length: n }, (_, k) => k).sort(
      (x, y) => (seqOf[x] as number) - (seqOf[y] as number) || x - y,
    );
  }
  const at = (j: number): number => (order === null ? j : (order[j] as number));

  // 3. Numbering and links, in chain order.
  const start = opts.after ? opts.after.seq + 1 : 1;
  const genesis = genesisActionOf(chain);
  let last = -1; // entry of the last event accepted into the chain
  let lastHash: string | null = opts.after ? opts.after.hash : null;
  let lastHashKnown = true;
  let expected = start;
  for (let j = 0; j < n;) {
    const first = at(j);
    const s = seqOf[first] as number;
    let end = j + 1;
    while (end < n && seqOf[at(end)] === s) end++;
    const next = end < n ? at(end) : -1;
    const groupStart = j;
    j = end;

    if (s < start) {
      for (let g = groupStart; g < end; g++) {
        const e = at(g);
        if (opts.after && s === opts.after.seq && entries.hash(e) === opts.after.hash) continue;
        out.push(
          problem(
            'fork',
            chain,
            s,
            entries.hash(e),
            entries.index[e] as number,
            `${capital(describeEvent(entries.ev(e), s))} comes before the trusted point the check starts from (${num(start - 1)}, ${short(lastHash)}) and does not match it.`,
          ),
        );
      }
      continue;
    }

    // Which of several events numbered s is the one the chain goes through.
    let c = first;
    if (end - groupStart > 1) {
      const group = Array.from({ length: end - groupStart }, (_, g) => at(groupStart + g));
      const hashes = group.map((e) => entries.hash(e));
      if (new Set(hashes).size === 1 && hashes[0] !== null) {
        out.push(
          problem(
            'duplicate',
            chain,
            s,
            hashes[0] as string,
            entries.index[group[1] as number] as number,
            `${capital(describeEvent(entries.ev(first), s))} is stored ${group.length} times; the copies are identical.`,
          ),
        );
      } else {
        const nextPrev = next >= 0 && seqOf[next] === s + 1 ? entries.prev(next) : null;
        const followed = group.find(
          (e) => entries.hash(e) !== null && entries.hash(e) === nextPrev,
        );
        c =
          followed ??
          group.find(
            (e) =>
              entries.intact[e] === 1 && lastHashKnown && (s === 1 || entries.prev(e) === lastHash),
          ) ??
          group.find((e) => entries.intact[e] === 1) ??
          first;
        const cHash = entries.hash(c);
        const seen = new Set<string | null>([cHash]);
        for (const e of group) {
          const eHash = entries.hash(e);
          if (seen.has(eHash)) continue;
          seen.add(eHash);
          const why =
            followed !== undefined
              ? `Event ${num(s + 1)} follows the one with hash ${short(cHash)}, so the one with hash ${short(eHash)} is not part of the original log: it was inserted or substituted.`
              : `One of them was inserted or substituted.`;
          out.push(
            problem(
              'fork',
              chain,
              s,
              eHash,
              entries.index[e] as number,
              `There are two different events numbered ${num(s)}: ${describeEvent(entries.ev(c), s)} with hash ${short(cHash)}, and ${describeEvent(entries.ev(e), s)} with hash ${short(eHash)}. ${why}`,
            ),
          );
        }
      }
    }

    const cPrev = entries.prev(c);
    const cIndex = entries.index[c] as number;
    if (s > expected) {
      if (last < 0 && !opts.after) {
        out.push(
          problem(
            'missing',
            chain,
            expected,
            null,
            null,
            `${range(expected, s - 1)} missing from the start of ${chainName(chain)}: it begins at ${num(s)}. ${expected === s - 1 ? 'It has' : 'They have'} been deleted.`,
          ),
        );
      } else if (lastHashKnown && cPrev !== null && cPrev === lastHash) {
        out.push(
          problem(
            'seq_skip',
            chain,
            expected,
            null,
            cIndex,
            `The numbering jumps from ${num(expected - 1)} to ${num(s)}, although ${describeEvent(entries.ev(c), s)} links directly to ${num(expected - 1)}: the events were numbered wrongly when they were written.`,
          ),
        );
      } else {
        const recorded =
          s === expected + 1 && cPrev !== null
            ? ` Event ${num(s)} records the hash of the deleted event as ${short(cPrev)}.`
            : '';
        out.push(
          problem(
            'missing',
            chain,
            expected,
            s === expected + 1 ? cPrev : null,
            null,
            `${range(expected, s - 1)} missing: the log goes from ${num(expected - 1)} to ${num(s)}. ${expected === s - 1 ? 'It has' : 'They have'} been deleted.${recorded}`,
          ),
        );
      }
    } else if (s > 1 && lastHashKnown && cPrev !== null && cPrev !== lastHash) {
      out.push(
        problem(
          'broken_link',
          chain,
          s,
          entries.hash(c),
          cIndex,
          last >= 0
            ? `${capital(describeEvent(entries.ev(c), s))} does not follow on from ${num(s - 1)}: it was written after an event with hash ${short(cPrev)}, but ${num(s - 1)} as stored has hash ${short(lastHash)}. Event ${num(s - 1)} has been replaced, or altered and re-hashed, since.`
            : `${capital(describeEvent(entries.ev(c), s))} does not follow on from the trusted point ${num(s - 1)} (${short(lastHash)}): it records ${short(cPrev)}.`,
        ),
      );
    }

    const action = entries.action(c);
    if (s === 1 && action !== null && action !== genesis) {
      out.push(
        problem(
          'genesis',
          chain,
          s,
          entries.hash(c),
          cIndex,
          `${capital(chainName(chain))} should begin with "${genesis}", but ${describeEvent(entries.ev(c), s)} is "${action}".`,
        ),
      );
    } else if (s > 1 && action === genesis) {
      out.push(
        problem(
          'genesis',
          chain,
          s,
          entries.hash(c),
          cIndex,
          `${capital(describeEvent(entries.ev(c), s))} is a second "${genesis}": only event #1 may be.`,
        ),
      );
    }

    const cAt = entries.at(c);
    const lastAt = last >= 0 ? entries.at(last) : null;
    if (lastAt !== null && cAt !== null && cAt < lastAt) {
      const behind = Date.parse(lastAt) - Date.parse(cAt);
      if (behind > tolerance) {
        out.push(
          problem(
            'time_backwards',
            chain,
            s,
            entries.hash(c),
            cIndex,
            `${capital(describeEvent(entries.ev(c), s))} is dated ${formatDuration(behind)} earlier than ${describeEvent(entries.ev(last), seqOf[last] as number)}: the computer's clock may have been wrong or changed.`,
          ),
        );
      }
    }

    last = c;
    lastHash = entries.hash(c);
    lastHashKnown = lastHash !== null;
    expected = s + 1;
  }

  // 4. The end of the chain, against its recorded head.
  const head = opts.head;
  if (head) {
    const lastSeq = expected - 1;
    if (lastSeq < head.seq) {
      out.push(
        problem(
          'truncated',
          chain,
          lastSeq + 1,
          lastSeq + 1 === head.seq ? head.hash : null,
          null,
          `${range(lastSeq + 1, head.seq)} missing from the end of ${chainName(chain)}: it ends at ${num(lastSeq)}, but ${num(head.seq)} was recorded as its last event. ${lastSeq + 1 === head.seq ? 'It has' : 'They have'} been deleted.`,
        ),
      );
    } else {
      const atHead: number[] = [];
      for (let k = 0; k < n; k++) if (seqOf[k] === head.seq) atHead.push(k);
      if (!atHead.some((k) => entries.hash(k) === head.hash)) {
        const e = atHead[0];
        out.push(
          problem(
            'head_mismatch',
            chain,
            head.seq,
            e === undefined ? null : entries.hash(e),
            e === undefined ? null : (entries.index[e] as number),
            `${capital(e === undefined ? `event ${num(head.seq)}` : describeEvent(entries.ev(e), head.seq))} is not the event recorded as ${num(head.seq)} (${short(head.hash)}): it has been replaced.`,
          ),
        );
      }
      if (lastSeq > head.seq) {
        out.push(
          problem(
            'beyond_head',
            chain,
            head.seq + 1,
            null,
            null,
            `${chainName(chain) === 'the vault log' ? 'The vault log' : capital(chainName(chain))} has events after ${num(head.seq)}, which was recorded as its last: the record of its end is out of date.`,
          ),
        );
      }
    }
  }
}

function formatDuration(ms: number): string {
  const minutes = Math.round(ms / 60000);
  if (minutes < 120) return `${minutes} minutes`;
  const hours = Math.round(minutes / 60);
  if (hours < 48) return `${hours} hours`;
  return `${Math.round(hours / 24)} days`;
}

// ---------------------------------------------------------------------------------------------
// Keys and signatures

/** Signature check result per event. */
export const SIG_UNCHECKED = 0;
export const SIG_VALID = 1;
export const SIG_INVALID = 2;

export interface ResolvedKey {
  keyId: string;
  publicKey: KeyObject | null;
  raw: Buffer | null;
  user: string | undefined;
  validFrom: number | null;
  revokedAt: number | null;
  /** The key on record does not have the key id it is filed under. */
  replaced: boolean;
  /** Why the key on record cannot be used, or null. */
  unusable: string | null;
}

/** Which key checks which event, and what is wrong with keys and actors already. */
export interface SignaturePlan {
  keys: ResolvedKey[];
  /** Per event: index into keys, or -1 when the signature cannot be checked. */
  keyOf: Int32Array;
  problems: ChainProblem[];
}

function resolveKey(keyId: string, k: ChainKey): ResolvedKey {
  const r: ResolvedKey = {
    keyId,
    publicKey: null,
    raw: null,
    user: k.user,
    validFrom: k.validFrom ? Date.parse(k.validFrom) : null,
    revokedAt: k.revokedAt ? Date.parse(k.revokedAt) : null,
    replaced: false,
    unusable: null,
  };
  try {
    if (k.publicKey instanceof KeyObject) {
      r.raw = publicKeyRawOf(k.publicKey);
      r.publicKey = k.publicKey.type === 'public' ? k.publicKey : publicKeyFromRaw(r.raw);
    } else {
      r.raw =
        typeof k.publicKey === 'string'
          ? Buffer.from(k.publicKey, 'base64')
          : Buffer.from(k.publicKey);
      r.publicKey = publicKeyFromRaw(r.raw);
    }
    r.replaced = keyIdOf(r.raw) !== keyId;
  } catch {
    r.unusable = 'it is not an Ed25519 public key';
    r.raw = null;
    r.publicKey = null;
  }
  return r;
}

export function planSignatureChecks(
  events: readonly unknown[],
  keys: ChainKeys,
  chain: string,
): SignaturePlan {
  const resolved = new Map<string, number>();
  const plan: SignaturePlan = {
    keys: [],
    keyOf: new Int32Array(events.length).fill(-1),
    problems: [],
  };
  const out = plan.problems;
  for (let i = 0; i < events.length; i++) {
    const ev = events[i];
    if (!isRecord(ev)) continue;
    const seq = typeof ev.seq === 'number' && Number.isSafeInteger(ev.seq) ? ev.seq : null;
    const hash = isWellFormedHash(ev.hash) ? ev.hash : null;
    const actor = ev.actor as { user?: unknown; keyId?: unknown } | undefined;
    if (!isRecord(actor) || typeof actor.keyId !== 'string') continue;
    const keyId = actor.keyId;
    let ki = resolved.get(keyId);
    if (ki === undefined) {
      const k = keys.get(keyId);
      if (k === undefined) {
        out.push(
          problem(
            'unknown_key',
            chain,
            seq,
            hash,
            i,
            `${capital(describeEvent(ev, seq))} is signed with key ${keyId}, which is not a key of this vault: its signature cannot be checked.`,
          ),
        );
        continue;
      }
      const r = resolveKey(keyId, k);
      ki = plan.keys.length;
      plan.keys.push(r);
      resolved.set(keyId, ki);
      if (r.unusable !== null || r.replaced) {
        out.push(
          problem(
            'key_replaced',
            chain,
            null,
            null,
            null,
            r.unusable !== null
              ? `The public key on record for key ${keyId}${r.user ? ` (${r.user})` : ''} is unusable: ${r.unusable}. Events signed with it cannot be checked.`
              : `The public key on record for key ${keyId}${r.user ? ` (${r.user})` : ''} is not the key with that id: it has been replaced. Events signed with it will not verify.`,
          ),
        );
      }
    }
    const r = plan.keys[ki] as ResolvedKey;
    if (r.user !== undefined && actor.user !== r.user) {
      out.push(
        problem(
          'actor_mismatch',
          chain,
          seq,
          hash,
          i,
          `${capital(describeEvent(ev, seq))} says it was done by ${String(actor.user)}, but key ${keyId} belongs to ${r.user}.`,
        ),
      );
    }
    if (isCustodyTime(ev.at)) {
      const t = Date.parse(ev.at);
      if (r.validFrom !== null && t < r.validFrom) {
        out.push(
          problem(
            'key_not_yet_valid',
            chain,
            seq,
            hash,
            i,
            `${capital(describeEvent(ev, seq))} is dated before key ${keyId}${r.user ? ` of ${r.user}` : ''} was issued (${formatEat(new Date(r.validFrom).toISOString())}).`,
          ),
        );
      }
      if (r.revokedAt !== null && t > r.revokedAt) {
        out.push(
          problem(
            'key_revoked',
            chain,
            seq,
            hash,
            i,
            `${capital(describeEvent(ev, seq))} is signed with key ${keyId}${r.user ? ` of ${r.user}` : ''}, which had been revoked on ${formatEat(new Date(r.revokedAt).toISOString())}.`,
          ),
        );
      }
    }
    if (r.publicKey === null || hash === null) continue;
    if (isWellFormedSig(ev.sig)) {
      plan.keyOf[i] = ki;
    } else {
      out.push(
        problem(
          'bad_signature',
          chain,
          seq,
          hash,
          i,
          `${capital(describeEvent(ev, seq))} has no valid signature: it is missing or is not 64 bytes of base64.`,
        ),
      );
    }
  }
  return plan;
}

/** Checks the signatures of events[from..to) in this thread, writing SIG_* into `status`. */
export function checkSignaturesInThread(
  events: readonly unknown[],
  plan: SignaturePlan,
  status: Uint8Array,
  from = 0,
  to = events.length,
): void {
  for (let i = from; i < to; i++) {
    const ki = plan.keyOf[i] as number;
    if (ki < 0) continue;
    const key = (plan.keys[ki] as ResolvedKey).publicKey as KeyObject;
    const ev = events[i] as CustodyEvent;
    let ok = false;
    try {
      ok = verify(null, Buffer.from(ev.hash, 'hex'), key, Buffer.from(ev.sig, 'base64'));
    } catch {
      ok = false;
    }
    status[i] = ok ? SIG_VALID : SIG_INVALID;
  }
}

/** Problems for the signatures that did not verify. */
export function signatureProblems(
  events: readonly unknown[],
  plan: SignaturePlan,
  status: Uint8Array,
  chain: string,
): ChainProblem[] {
  const out: ChainProblem[] = [];
  for (let i = 0; i < events.length; i++) {
    if (status[i] !== SIG_INVALID) continue;
    const ev = events[i] as Record<string, unknown>;
    const seq = typeof ev.seq === 'number' ? ev.seq : null;
    const r = plan.keys[plan.keyOf[i] as number] as ResolvedKey;
    const owner = r.user ? `${r.user}'s key ${r.keyId}` : `key ${r.keyId}`;
    out.push(
      problem(
        'bad_signature',
        chain,
        seq,
        typeof ev.hash === 'string' ? ev.hash : null,
        i,
        r.replaced
          ? `${capital(describeEvent(ev, seq))} does not verify with the public key on record for ${owner}, which has been replaced.`
          : `${capital(describeEvent(ev, seq))} is not validly signed by ${owner}: the event was altered and its hash recomputed, or it was signed by someone else.`,
      ),
    );
  }
  return out;
}

const CODE_ORDER: readonly ChainProblemCode[] = [
  'key_replaced',
  'malformed',
  'wrong_chain',
  'missing',
  'seq_skip',
  'out_of_order',
  'duplicate',
  'fork',
  'hash_mismatch',
  'broken_link',
  'bad_signature',
  'unknown_key',
  'actor_mismatch',
  'key_not_yet_valid',
  'key_revoked',
  'genesis',
  'unknown_action',
  'time_backwards',
  'truncated',
  'head_mismatch',
  'beyond_head',
];
const CODE_RANK = new Map(CODE_ORDER.map((c, i) => [c, i]));

/** Problems about the chain as a whole first, then by event number, then by kind. */
export function sortProblems(problems: ChainProblem[]): ChainProblem[] {
  return problems.sort(
    (a, b) =>
      (a.seq ?? -1) - (b.seq ?? -1) ||
      (CODE_RANK.get(a.code) ?? 99) - (CODE_RANK.get(b.code) ?? 99) ||
      (a.index ?? -1) - (b.index ?? -1),
  );
}

/** The structural checks (no keys needed): shapes, hashes, numbering, links, times. */
export function checkChainStructure(
  events: readonly CustodyEvent[],
  opts: Omit<VerifyChainOptions, 'signatures'> = {},
): ChainProblem[] {
  const out: ChainProblem[] = [];
  checkStructure(
    events,
    expectedChain(events, { ...opts, signatures: false }),
    opts as VerifyChainOptions,
    out,
  );
  return sortProblems(out);
}

/**
 * Verifies one chain, given in stored order. Returns every problem found, or [] if the chain
 * is intact. With `signatures`, also checks each event's key and Ed25519 signature here, in
 * this thread; verifyChainParallel does the same work on worker threads.
 */
export function verifyChain(
  events: readonly CustodyEvent[],
  keys: ChainKeys,
  opts: VerifyChainOptions,
): ChainProblem[] {
  const chain = expectedChain(events, opts);
  const out: ChainProblem[] = [];
  checkStructure(events, chain, opts, out);
  if (opts.signatures) {
    const plan = planSignatureChecks(events, keys, chain);
    const status = new Uint8Array(events.length);
    checkSignaturesInThread(events, plan, status);
    out.push(...plan.problems, ...signatureProblems(events, plan, status, chain));
  }
  return sortProblems(out);
}

/** 'intact', 'warnings' (only warnings) or 'broken' (at least one error). */
export function chainVerdict(problems: readonly ChainProblem[]): 'intact' | 'warnings' | 'broken' {
  if (problems.length === 0) return 'intact';
  return problems.some((p) => p.severity === 'error') ? 'broken' : 'warnings';
}

/** Internal pieces shared with the parallel verifier. */
export const internals = { expectedChain, checkStructure };
