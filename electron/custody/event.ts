// The custody event: the lasting record of one handling of a case, an item or the vault.
// The format is specified in docs/CUSTODY.md; change neither without the other.
//
//   body  = every member except `hash` and `sig`
//   hash  = lower-case hex SHA-256 of the UTF-8 bytes of the RFC 8785 (JCS) text of the body
//   sig   = base64 Ed25519 signature, by the acting user's key, over the 32 raw bytes of hash

import { hash as digest, sign, verify, type KeyObject } from 'node:crypto';
import {
  CanonicalJsonError,
  canonicalize,
  canonicalizeString,
  type JsonObject,
  type JsonValue,
} from '../../shared/canonical-json';
import { KesiError } from '../../shared/errors';
import { KEY_ID_PATTERN, keyIdOfKey } from './keys';

export type { JsonValue } from '../../shared/canonical-json';

export const CUSTODY_FORMAT_VERSION = 1;

/** Actions recorded in a case chain. */
export const CASE_ACTIONS = [
  'create', // the case was opened (always event #1 of a case chain)
  'intake', // an item was taken in: a file, or a physical exhibit registered
  'view', // an item was opened, or a protected person's real name was shown
  'edit', // metadata of the case, an item or a person was changed
  'derive', // a redaction, page image or other derived item was made from an item
  'export', // an item left the vault: a court bundle, a copy, a print
  'transfer', // a physical exhibit changed hands or place
  'seal', // an exhibit bag was sealed, or a case/item was locked against changes
  'unseal', // the reverse of seal
  'verify', // an integrity check of the case or an item, and its result
  'dispose', // an item was returned, destroyed or otherwise disposed of
] as const;

/** Actions recorded in the vault chain. */
export const VAULT_ACTIONS = [
  'vault_create', // the vault was made (always event #1 of the vault chain)
  'user_add', // a user and their signing key were added
  'user_remove', // a user was removed; their key is revoked from then on
  'role_change', // a user's role changed
  'key_change', // a user's signing key, or a passphrase, recovery or escrow slot, changed
  'recover', // the vault was opened with the recovery or escrow key
  'tree_head', // a signed tree head over all events was made
  'verify', // an integrity check of the whole vault, and its result
  'cleanup', // leftovers of interrupted writes (no item's content) were deleted
] as const;

export type CaseAction = (typeof CASE_ACTIONS)[number];
export type VaultAction = (typeof VAULT_ACTIONS)[number];
export type CustodyAction = CaseAction | VaultAction;

/** Every action, each once ('verify' belongs to both chains). */
export const CUSTODY_ACTIONS: readonly CustodyAction[] = [
  ...new Set<CustodyAction>([...CASE_ACTIONS, ...VAULT_ACTIONS]),
];

const IN_CASE = 1;
const IN_VAULT = 2;
/** Which chains each action may appear in. */
const ACTION_CHAINS: ReadonlyMap<string, number> = new Map(
  CUSTODY_ACTIONS.map((a) => [
    a,
    ((CASE_ACTIONS as readonly string[]).includes(a) ? IN_CASE : 0) |
      ((VAULT_ACTIONS as readonly string[]).includes(a) ? IN_VAULT : 0),
  ]),
);
const ACTION_SET: ReadonlySet<string> = new Set(CUSTODY_ACTIONS);

export function isCustodyAction(action: string): action is CustodyAction {
  return ACTION_SET.has(action);
}

export const VAULT_CHAIN = 'vault';
const CASE_CHAIN_PREFIX = 'case:';

/** Case and item uids: 1 to 64 of A-Z a-z 0-9 _ - (a lower-case UUID fits). */
export const UID_PATTERN = /^[0-9A-Za-z_-]{1,64}$/;
const CHAIN_PATTERN = /^(?:vault|case:[0-9A-Za-z_-]{1,64})$/;
const USER_PATTERN = /^[\p{L}\p{N}._-]{1,64}$/u;
const ASCII_USER_PATTERN = /^[A-Za-z0-9._-]{1,64}$/;
const HASH_PATTERN = /^[0-9a-f]{64}$/;
const SIG_PATTERN = /^[A-Za-z0-9+/]{85}[AQgw]==$/;
/** YYYY-MM-DDTHH:MM:SS.mmmZ: 0 where a digit goes, else the character's code. */
const AT_SHAPE = Uint8Array.from('0000-00-00T00:00:00.000Z', (ch) =>
  ch === '0' ? 0 : ch.charCodeAt(0),
);
const APP_PATTERN = /^[a-z0-9][a-z0-9._-]{0,31}\/[0-9A-Za-z.+-]{1,32}$/;
const ACTION_PATTERN = /^[a-z][a-z0-9_]{0,31}$/;

/**
 * A pattern test that remembers the strings that passed (up to 256, then it starts afresh).
 * Events repeat the same chain id, users, key ids, actions and app, so most tests become one
 * set lookup.
 */
function memoTest(pattern: RegExp): (s: unknown) => s is string {
  const passed = new Set<string>();
  return (s: unknown): s is string => {
    if (typeof s !== 'string') return false;
    if (passed.has(s)) return true;
    if (!pattern.test(s)) return false;
    if (passed.size >= 256) passed.clear();
    passed.add(s);
    return true;
  };
}
const isChainId = memoTest(CHAIN_PATTERN);
const isActionName = memoTest(ACTION_PATTERN);
const isUid = memoTest(UID_PATTERN);
const isKeyId = memoTest(KEY_ID_PATTERN);
const isAppName = memoTest(APP_PATTERN);
const isAsciiUser = memoTest(ASCII_USER_PATTERN);

export function caseChainId(caseUid: string): string {
  if (!UID_PATTERN.test(caseUid)) throw new TypeError(`not a valid case uid: ${caseUid}`);
  return CASE_CHAIN_PREFIX + caseUid;
}

/** The case uid of a case chain id, null for the vault chain, undefined if not a chain id. */
export function caseUidOfChain(chain: string): string | null | undefined {
  if (!CHAIN_PATTERN.test(chain)) return undefined;
  return chain === VAULT_CHAIN ? null : chain.slice(CASE_CHAIN_PREFIX.length);
}

/** The action every chain starts with, and only with. */
export function genesisActionOf(chain: string): CustodyAction {
  return chain === VAULT_CHAIN ? 'vault_create' : 'create';
}

export interface CustodyActor {
  /** User name, as in the users table and vault.json. */
  user: string;
  /** keyIdOf() the user's public key. */
  keyId: string;
}

export interface CustodyEventBody {
  v: 1;
  /** 'vault', or 'case:<case uid>'. */
  chain: string;
  /** 1-based position in its chain. */
  seq: number;
  /** hash of event seq - 1 of the same chain; null for seq 1. */
  prev: string | null;
  action: CustodyAction;
  /** The case of a case chain (equal to the uid in `chain`); null in the vault chain. */
  caseUid: string | null;
  /** The item concerned, if any; always null in the vault chain. */
  itemUid: string | null;
  actor: CustodyActor;
  /** UTC, ISO 8601 with milliseconds: 2026-03-01T07:04:05.123Z. */
  at: string;
  /** Where it happened, in the user's words ("IMLU office, Nairobi"), or null. */
  place: string | null;
  /** Why, in the user's words, or null. */
  reason: string | null;
  /** Action-specific facts (hashes, file names, recipients...). */
  details: Record<string, JsonValue>;
  /** Software that wrote the event: 'kesi/0.1.0'. */
  app: string;
}

export interface CustodyEvent extends CustodyEventBody {
  /** Lower-case hex SHA-256 of the JCS text of the body. */
  hash: string;
  /** Base64 Ed25519 signature over the 32 raw bytes of `hash`. */
  sig: string;
}

const BODY_KEYS: ReadonlySet<string> = new Set([
  'v',
  'chain',
  'seq',
  'prev',
  'action',
  'caseUid',
  'itemUid',
  'actor',
  'at',
  'place',
  'reason',
  'details',
  'app',
]);
const EVENT_KEYS: ReadonlySet<string> = new Set([...BODY_KEYS, 'hash', 'sig']);

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/** A plain object (of this realm or another, or without prototype): no inherited members. */
function isPlainRecord(x: unknown): x is Record<string, unknown> {
  if (typeof x !== 'object' || x === null || Array.isArray(x)) return false;
  const proto: unknown = Object.getPrototypeOf(x);
  return proto === null || Object.getPrototypeOf(proto) === null;
}

const DAYS_IN_MONTH = [0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function digits(s: string, from: number, count: number): number {
  let n = 0;
  for (let i = from; i < from + count; i++) n = n * 10 + s.charCodeAt(i) - 48;
  return n;
}

/**
 * True if `at` is a real instant written exactly as Date.prototype.toISOString writes it
 * (years 0000 to 9999): "2026-03-01T07:04:05.123Z".
 */
export function isCustodyTime(at: unknown): at is string {
  if (typeof at !== 'string' || at.length !== 24) return false;
  for (let i = 0; i < 24; i++) {
    const c = at.charCodeAt(i);
    const want = AT_SHAPE[i] as number;
    if (want === 0 ? c < 48 || c > 57 : c !== want) return false;
  }
  const year = digits(at, 0, 4);
  const month = digits(at, 5, 2);
  const day = digits(at, 8, 2);
  if (month < 1 || month > 12 || day < 1) return false;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const days = month === 2 && leap ? 29 : (DAYS_IN_MONTH[month] as number);
  return day <= days && digits(at, 11, 2) < 24 && digits(at, 14, 2) < 60 && digits(at, 17, 2) < 60;
}

function isUserName(x: unknown): x is string {
  return isAsciiUser(x) || (typeof x === 'string' && USER_PATTERN.test(x));
}

/**
 * What eventShapeProblem checks: 'body', a body alone (no hash or sig member allowed);
 * 'event', a whole event; 'event-body', a whole event whose hash and sig members are allowed
 * but left for the caller to check (the verifier compares the hash with the recomputed one).
 */
export type ShapeCheck = 'body' | 'event' | 'event-body';

/**
 * Why `x` is not a well-formed event or body (see ShapeCheck), or null.
 * With `knownActionsOnly` false, an action this version does not know passes, so that a
 * verifier can still check events written by a newer version (see verifyChain).
 * The JSON-ness of `details` is checked when the body is canonicalized, not here.
 */
export function eventShapeProblem(
  x: unknown,
  what: ShapeCheck,
  knownActionsOnly: boolean,
  /** A hash already known to be well formed; a `prev` equal to it needs no further test. */
  knownHash: string | null = null,
): string | null {
  if (!isPlainRecord(x)) return 'it is not a JSON object';
  // Count the members; only when the count is off is it worth finding out what is wrong.
  const allowed = what === 'body' ? BODY_KEYS : EVENT_KEYS;
  let members = 0;
  for (const _ in x) members++;
  // With the count right, a member replaced by another leaves a body member undefined, which
  // every test below refuses; hash and sig are not tested below, so they are looked for here.
  if (
    members !== allowed.size ||
    (what !== 'body' && !(Object.hasOwn(x, 'hash') && Object.hasOwn(x, 'sig')))
  ) {
    const own = Object.keys(x);
    const extra = own.find((k) => !allowed.has(k));
    if (extra !== undefined) {
      return extra === 'hash' || extra === 'sig'
        ? `a body must not have a "${extra}" member`
        : `it has an unknown member "${extra}"`;
    }
    const missing = [...allowed].find((k) => !own.includes(k));
    if (missing !== undefined) return `its "${missing}" member is missing`;
    return 'it is not a plain JSON object';
  }
  if (x.v !== CUSTODY_FORMAT_VERSION) return `its format version is ${String(x.v)}, not 1`;
  const chain = x.chain;
  if (!isChainId(chain)) return 'its chain id is not valid';
  const seq = x.seq;
  if (typeof seq !== 'number' || !Number.isSafeInteger(seq) || seq < 1) {
    return 'its sequence number is not a positive whole number';
  }
  const prev = x.prev;
  if (
    seq === 1
      ? prev !== null
      : typeof prev !== 'string' || (prev !== knownHash && !isWellFormedHash(prev))
  ) {
    return seq === 1
      ? 'it is the first event of its chain but names a previous event'
      : 'its link to the previous event is missing or not a SHA-256';
  }
  const action = x.action;
  if (!isActionName(action)) return 'its action is not valid';
  const inVault = chain === VAULT_CHAIN;
  const caseUid = x.caseUid;
  if (
    inVault
      ? caseUid !== null
      : typeof caseUid !== 'string' ||
        caseUid.length !== chain.length - CASE_CHAIN_PREFIX.length ||
        !chain.endsWith(caseUid)
  ) {
    return inVault
      ? 'it is in the vault chain but names a case'
      : 'its case does not match its chain';
  }
  const itemUid = x.itemUid;
  if (itemUid !== null) {
    if (!isUid(itemUid)) return 'its item is not valid';
    if (inVault) return 'it is in the vault chain but names an item';
  }
  const where = ACTION_CHAINS.get(action);
  if (where !== undefined) {
    if ((where & (inVault ? IN_VAULT : IN_CASE)) === 0) {
      return inVault
        ? `"${action}" is a case action but the event is in the vault chain`
        : `"${action}" is a vault action but the event is in a case chain`;
    }
  } else if (knownActionsOnly) {
    return `"${action}" is not a custody action`;
  }
  const actor = x.actor;
  if (!isPlainRecord(actor)) return 'its actor is not valid';
  let actorMembers = 0;
  for (const _ in actor) actorMembers++;
  if (actorMembers !== 2) return 'its actor is not valid';
  if (!isUserName(actor.user)) return 'its user name is not valid';
  if (!isKeyId(actor.keyId)) return 'its key id is not valid';
  if (!isCustodyTime(x.at)) return 'its time is not an ISO 8601 UTC time with milliseconds';
  if (x.place !== null && typeof x.place !== 'string') return 'its place is not text';
  if (x.reason !== null && typeof x.reason !== 'string') return 'its reason is not text';
  if (!isRecord(x.details)) return 'its details are not a JSON object';
  if (!isAppName(x.app)) return 'its software name is not valid';
  if (what === 'event') {
    if (!isWellFormedHash(x.hash)) return 'its hash is not valid';
    if (!isWellFormedSig(x.sig)) return 'its signature is not 64 bytes of base64';
  }
  return null;
}

export function isWellFormedHash(x: unknown): x is string {
  return typeof x === 'string' && HASH_PATTERN.test(x);
}

export function isWellFormedSig(x: unknown): x is string {
  return typeof x === 'string' && SIG_PATTERN.test(x);
}

/** The RFC 8785 text that is hashed: the body, without any `hash` or `sig` member. */
export function canonicalEventBody(body: CustodyEventBody): string {
  const {
    hash: _hash,
    sig: _sig,
    ...rest
  } = body as CustodyEventBody & {
    hash?: unknown;
    sig?: unknown;
  };
  return canonicalize(rest);
}

function quotedOrNull(s: string | null): string {
  return s === null ? 'null' : '"' + s + '"';
}

/** canonicalize(value), with errors located inside the body (`$.details.when`). */
function canonicalMember(name: string, value: unknown): string {
  try {
    return typeof value === 'string' ? canonicalizeString(value) : canonicalize(value);
  } catch (e) {
    if (e instanceof CanonicalJsonError) {
      throw new CanonicalJsonError(e.reason, `$.${name}${e.path.slice(1)}`);
    }
    throw e;
  }
}

/**
 * canonicalEventBody for an event or body that eventShapeProblem has accepted, written
 * directly in RFC 8785 member order. Every string but place and reason is then known to need
 * no escaping. Several times faster; the tests hold it equal to canonicalEventBody.
 */
export function canonicalWellFormedBody(b: CustodyEventBody): string {
  return (
    '{"action":"' +
    b.action +
    '","actor":{"keyId":"' +
    b.actor.keyId +
    '","user":"' +
    b.actor.user +
    '"},"app":"' +
    b.app +
    '","at":"' +
    b.at +
    '","caseUid":' +
    quotedOrNull(b.caseUid) +
    ',"chain":"' +
    b.chain +
    '","details":' +
    canonicalMember('details', b.details) +
    ',"itemUid":' +
    quotedOrNull(b.itemUid) +
    ',"place":' +
    (b.place === null ? 'null' : canonicalMember('place', b.place)) +
    ',"prev":' +
    quotedOrNull(b.prev) +
    ',"reason":' +
    (b.reason === null ? 'null' : canonicalMember('reason', b.reason)) +
    ',"seq":' +
    String(b.seq) +
    ',"v":1}'
  );
}

/** hashEventBody for an event or body that eventShapeProblem has accepted; faster. */
export function hashWellFormedBody(b: CustodyEventBody): string {
  return digest('sha256', canonicalWellFormedBody(b), 'hex');
}

/**
 * Lower-case hex SHA-256 of the canonical body. A `hash` or `sig` member, as on a whole
 * event, is never part of the body, so hashEventBody(event) recomputes event.hash.
 * Throws CanonicalJsonError if the body holds a value that is not JSON.
 */
export function hashEventBody(body: CustodyEventBody): string {
  return digest('sha256', canonicalEventBody(body), 'hex');
}

/**
 * Checks the body, hashes it and signs the hash with the actor's private key. The returned
 * event is a fresh copy parsed from exactly the text that was hashed (sorted members, no
 * undefined members, -0 as 0), followed by hash and sig, so later changes to `body` cannot
 * change it.
 * Throws KesiError BAD_INPUT if the body is not a valid event or the key is not the actor's.
 */
export function signEvent(body: CustodyEventBody, privateKey: KeyObject): CustodyEvent {
  const problem = eventShapeProblem(body, 'body', true);
  if (problem !== null) {
    throw new KesiError('BAD_INPUT', `This custody event cannot be recorded: ${problem}.`);
  }
  if (keyIdOfKey(privateKey) !== body.actor.keyId) {
    throw new KesiError(
      'BAD_INPUT',
      `This custody event cannot be recorded: it names key ${body.actor.keyId}, but the signing key is ${keyIdOfKey(privateKey)}.`,
    );
  }
  let text: string;
  try {
    text = canonicalize(body);
  } catch (e) {
    throw new KesiError(
      'BAD_INPUT',
      `This custody event cannot be recorded: ${e instanceof Error ? e.message : String(e)}.`,
    );
  }
  const hash = digest('sha256', text, 'hex');
  const sig = sign(null, Buffer.from(hash, 'hex'), privateKey).toString('base64');
  // Parsed from the hashed text with hash and sig appended: a deep copy in canonical member
  // order, shaped like an event read back from storage.
  return JSON.parse(`${text.slice(0, -1)},"hash":"${hash}","sig":"${sig}"}`) as CustodyEvent;
}

/** True if Ed25519 `sig` is valid for hex `hash` under `publicKey`; never throws. */
export function verifyHashSignature(hash: string, sig: string, publicKey: KeyObject): boolean {
  if (!isWellFormedHash(hash) || !isWellFormedSig(sig)) return false;
  try {
    return verify(null, Buffer.from(hash, 'hex'), publicKey, Buffer.from(sig, 'base64'));
  } catch {
    return false;
  }
}

/**
 * True only if the event is well formed, its hash is the hash of its body (nothing was
 * changed), and its signature is valid under `publicKey`. Never throws.
 */
export function verifyEventSignature(ev: CustodyEvent, publicKey: KeyObject): boolean {
  if (eventShapeProblem(ev, 'event', false) !== null) return false;
  let recomputed: string;
  try {
    recomputed = hashEventBody(ev);
  } catch {
    return false;
  }
  return recomputed === ev.hash && verifyHashSignature(ev.hash, ev.sig, publicKey);
}

/** What a caller supplies for a new event; the chain position is filled in from the last one. */
export interface NewEventInput {
  action: CustodyAction;
  itemUid?: string | null;
  actor: CustodyActor;
  /** Default: now. */
  at?: string;
  place?: string | null;
  reason?: string | null;
  details?: Record<string, JsonValue>;
  /** 'kesi/<version>' of the running app. */
  app: string;
}

/**
 * The body of the event that follows `previous` (null: the first event) in `chain`.
 * seq, prev and caseUid are derived, so they cannot disagree with the chain.
 */
export function buildEventBody(
  chain: string,
  previous: Pick<CustodyEvent, 'chain' | 'seq' | 'hash'> | null,
  input: NewEventInput,
): CustodyEventBody {
  const caseUid = caseUidOfChain(chain);
  if (caseUid === undefined) throw new KesiError('BAD_INPUT', `"${chain}" is not a chain id.`);
  if (previous !== null && previous.chain !== chain) {
    throw new KesiError('BAD_INPUT', `The previous event is in chain ${previous.chain}.`);
  }
  const details: JsonObject = input.details ?? {};
  return {
    v: CUSTODY_FORMAT_VERSION,
    chain,
    seq: previous === null ? 1 : previous.seq + 1,
    prev: previous === null ? null : previous.hash,
    action: input.action,
    caseUid,
    itemUid: input.itemUid ?? null,
    actor: { user: input.actor.user, keyId: input.actor.keyId },
    at: input.at ?? new Date().toISOString(),
    place: input.place ?? null,
    reason: input.reason ?? null,
    details,
    app: input.app,
  };
}

/** buildEventBody + signEvent. */
export function nextEvent(
  chain: string,
  previous: Pick<CustodyEvent, 'chain' | 'seq' | 'hash'> | null,
  input: NewEventInput,
  privateKey: KeyObject,
): CustodyEvent {
  return signEvent(buildEventBody(chain, previous, input), privateKey);
}
