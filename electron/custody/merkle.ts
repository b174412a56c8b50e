// RFC 9162 §2.1 Merkle tree over the custody log, and signed tree heads.
//
//   MTH({})       = SHA-256()
//   MTH({d0})     = SHA-256(0x00 || d0)                                   (leaf hash)
//   MTH(D[0:n])   = SHA-256(0x01 || MTH(D[0:k]) || MTH(D[k:n]))           (node hash)
//                   with k the largest power of two smaller than n
//
// In Kesi the leaves are the 32 raw bytes of the event hashes, in the order the events were
// appended to the log (all chains together). The functions here take any leaf bytes, so that
// they can be checked against the published RFC 6962 test vectors.

import { hash as digest, sign, verify, type KeyObject } from 'node:crypto';
import { canonicalize } from '../../shared/canonical-json';
import { KesiError } from '../../shared/errors';
import { isCustodyTime, isWellFormedHash, isWellFormedSig } from './event';
import { KEY_ID_PATTERN, keyIdOfKey } from './keys';

export type Hash = Buffer;

/** The root of the empty tree: SHA-256 of nothing. */
export const EMPTY_ROOT: Hash = digest('sha256', Buffer.alloc(0), 'buffer');

const scratch = Buffer.alloc(65);

/** SHA-256(0x00 || data). */
export function leafHash(data: Uint8Array): Hash {
  if (data.length === 32) {
    scratch[0] = 0;
    scratch.set(data, 1);
    return digest('sha256', scratch.subarray(0, 33), 'buffer');
  }
  const buf = Buffer.allocUnsafe(1 + data.length);
  buf[0] = 0;
  buf.set(data, 1);
  return digest('sha256', buf, 'buffer');
}

/** SHA-256(0x01 || left || right). */
export function nodeHash(left: Uint8Array, right: Uint8Array): Hash {
  if (left.length !== 32 || right.length !== 32) throw new TypeError('a tree hash is 32 bytes');
  scratch[0] = 1;
  scratch.set(left, 1);
  scratch.set(right, 33);
  return digest('sha256', scratch, 'buffer');
}

/** Largest power of two strictly smaller than n (n >= 2). */
function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

function isSize(n: number): boolean {
  return Number.isSafeInteger(n) && n >= 0;
}

/** The tree hash (MTH) of the leaves; O(n) time, O(log n) memory beyond the leaf hashes. */
export function rootOf(leaves: readonly Uint8Array[]): Hash {
  if (leaves.length === 0) return EMPTY_ROOT;
  const stack: Hash[] = [];
  const sizes: number[] = [];
  for (const leaf of leaves) {
    let h = leafHash(leaf);
    let size = 1;
    while (sizes.length > 0 && sizes[sizes.length - 1] === size) {
      h = nodeHash(stack.pop() as Hash, h);
      sizes.pop();
      size *= 2;
    }
    stack.push(h);
    sizes.push(size);
  }
  let root = stack.pop() as Hash;
  while (stack.length > 0) root = nodeHash(stack.pop() as Hash, root);
  return root;
}

/**
 * A Merkle tree held in memory: every complete subtree hash is kept, so that after an O(n)
 * build any root, inclusion proof or consistency proof for any size up to n costs
 * O(log² n) hashes at most. Leaves can be appended.
 */
export class MerkleTree {
  /** levels[h][i] = hash of the complete subtree of 2^h leaves starting at leaf i·2^h. */
  private readonly levels: Hash[][] = [[]];

  constructor(leaves: readonly Uint8Array[] = []) {
    for (const leaf of leaves) this.append(leaf);
  }

  /** A tree from leaf hashes (SHA-256(0x00 || leaf)) already computed. */
  static fromLeafHashes(hashes: readonly Uint8Array[]): MerkleTree {
    const t = new MerkleTree();
    for (const h of hashes) t.appendLeafHash(h);
    return t;
  }

  get size(): number {
    return (this.levels[0] as Hash[]).length;
  }

  append(leaf: Uint8Array): void {
    this.appendLeafHash(leafHash(leaf));
  }

  appendLeafHash(h: Uint8Array): void {
    if (h.length !== 32) throw new TypeError('a leaf hash is 32 bytes');
    let node: Hash = Buffer.from(h);
    let level = 0;
    for (;;) {
      const row = this.levels[level] as Hash[];
      row.push(node);
      if (row.length % 2 === 1) return;
      node = nodeHash(row[row.length - 2] as Hash, node);
      level++;
      if (this.levels.length === level) this.levels.push([]);
    }
  }

  leafHash(index: number): Hash {
    const h = (this.levels[0] as Hash[])[index];
    if (h === undefined) throw new RangeError(`no leaf ${index} in a tree of ${this.size}`);
    return h;
  }

  /** MTH(D[lo:hi]) for a range that the RFC 9162 recursion produces (lo aligned to a power
   * of two at least as large as the left part of the range). */
  private mth(lo: number, hi: number): Hash {
    const n = hi - lo;
    if (n === 0) return EMPTY_ROOT;
    if ((n & (n - 1)) === 0 && lo % n === 0) {
      const level = Math.log2(n);
      const h = this.levels[level]?.[lo / n];
      if (h !== undefined) return h;
    }
    if (n === 1) return this.leafHash(lo);
    const k = splitPoint(n);
    return nodeHash(this.mth(lo, lo + k), this.mth(lo + k, hi));
  }

  private checkSize(size: number): void {
    if (!isSize(size) || size > this.size) {
      throw new RangeError(`tree size ${size} is not between 0 and ${this.size}`);
    }
  }

  /** The tree hash of the first `size` leaves (default: all). */
  root(size = this.size): Hash {
    this.checkSize(size);
    return this.mth(0, size);
  }

  /** RFC 9162 §2.1.3.1 inclusion proof of leaf `index` in the tree of the first `size` leaves. */
  inclusionProof(index: number, size = this.size): Hash[] {
    this.checkSize(size);
    if (!isSize(index) || index >= size) {
      throw new RangeError(`leaf ${index} is not in a tree of ${size}`);
    }
    const proof: Hash[] = [];
    // PATH(m, D[lo:hi]), iteratively from the top; siblings are collected top-down and
    // returned leaf-first.
    let lo = 0;
    let hi = size;
    let m = index;
    while (hi - lo > 1) {
      const k = splitPoint(hi - lo);
      if (m < k) {
        proof.push(this.mth(lo + k, hi));
        hi = lo + k;
      } else {
        proof.push(this.mth(lo, lo + k));
        lo += k;
        m -= k;
      }
    }
    return proof.reverse();
  }

  /** RFC 9162 §2.1.4.1 consistency proof between the first `oldSize` leaves and `size`. */
  consistencyProof(oldSize: number, size = this.size): Hash[] {
    this.checkSize(size);
    if (!isSize(oldSize) || oldSize > size) {
      throw new RangeError(`old size ${oldSize} is not between 0 and ${size}`);
    }
    if (oldSize === 0 || oldSize === size) return [];
    // SUBPROOF(m, D[lo:hi], b), iteratively.
    const proof: Hash[] = [];
    let lo = 0;
    let hi = size;
    let m = oldSize;
    let complete = true;
    while (m !== hi - lo) {
      const k = splitPoint(hi - lo);
      if (m <= k) {
        proof.push(this.mth(lo + k, hi));
        hi = lo + k;
      } else {
        proof.push(this.mth(lo, lo + k));
        lo += k;
        m -= k;
        complete = false;
      }
    }
    if (!complete) proof.push(this.mth(lo, hi));
    return proof.reverse();
  }
}

/** RFC 9162 §2.1.3.1 inclusion proof of leaf `index`; O(n). */
export function inclusionProof(leaves: readonly Uint8Array[], index: number): Hash[] {
  return new MerkleTree(leaves).inclusionProof(index);
}

/** RFC 9162 §2.1.4.1 consistency proof from the first `oldSize` leaves to all of them; O(n). */
export function consistencyProof(leaves: readonly Uint8Array[], oldSize: number): Hash[] {
  return new MerkleTree(leaves).consistencyProof(oldSize);
}

function is32(x: unknown): x is Uint8Array {
  return x instanceof Uint8Array && x.length === 32;
}

function equal32(a: Uint8Array, b: Uint8Array): boolean {
  return Buffer.compare(a, b) === 0;
}

/**
 * True when an inclusion proof as a bundle carries it (hex strings, read from a file that may
 * have been altered, so every member is checked) leads from its event's hash to `root`.
 */
export function inclusionProofHolds(
  p: { eventHash: string; leafIndex: number; treeSize: number; path: string[] },
  root: Uint8Array,
): boolean {
  return (
    isWellFormedHash(p.eventHash) &&
    typeof p.leafIndex === 'number' &&
    typeof p.treeSize === 'number' &&
    Array.isArray(p.path) &&
    p.path.every(isWellFormedHash) &&
    verifyInclusion(
      leafHash(Buffer.from(p.eventHash, 'hex')),
      p.leafIndex,
      p.treeSize,
      p.path.map((h) => Buffer.from(h, 'hex')),
      root,
    )
  );
}

/**
 * RFC 9162 §2.1.3.2: true if `proof` shows that the leaf with hash `leafHash` (SHA-256(0x00 ||
 * leaf)) is leaf `index` of the tree of `treeSize` leaves whose root is `root`.
 */
export function verifyInclusion(
  leafHashValue: Uint8Array,
  index: number,
  treeSize: number,
  proof: readonly Uint8Array[],
  root: Uint8Array,
): boolean {
  if (!isSize(index) || !isSize(treeSize) || index >= treeSize) return false;
  if (!is32(leafHashValue) || !is32(root) || !proof.every(is32)) return false;
  let fn = index;
  let sn = treeSize - 1;
  let r: Uint8Array = leafHashValue;
  for (const p of proof) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      r = nodeHash(p, r);
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn = Math.floor(fn / 2);
          sn = Math.floor(sn / 2);
        }
      }
    } else {
      r = nodeHash(r, p);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 && equal32(r, root);
}

/**
 * RFC 9162 §2.1.4.2: true if `proof` shows that the tree of `newSize` leaves with root
 * `newRoot` extends the tree of `oldSize` leaves with root `oldRoot` (append-only growth).
 * Outside the RFC's 0 < oldSize < newSize: equal sizes need an empty proof and equal roots;
 * an old size of 0 needs an empty proof and the empty root (every tree extends it).
 */
export function verifyConsistency(
  oldSize: number,
  newSize: number,
  oldRoot: Uint8Array,
  newRoot: Uint8Array,
  proof: readonly Uint8Array[],
): boolean {
  if (!isSize(oldSize) || !isSize(newSize) || oldSize > newSize) return false;
  if (!is32(oldRoot) || !is32(newRoot) || !proof.every(is32)) return false;
  if (oldSize === 0) return proof.length === 0 && equal32(oldRoot, EMPTY_ROOT);
  if (oldSize === newSize) return proof.length === 0 && equal32(oldRoot, newRoot);
  if (proof.length === 0) return false;
  const path: Uint8Array[] = (oldSize & (oldSize - 1)) === 0 ? [oldRoot, ...proof] : [...proof];
  let fn = oldSize - 1;
  let sn = newSize - 1;
  while (fn % 2 === 1) {
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  let fr = path[0] as Uint8Array;
  let sr = fr;
  for (let i = 1; i < path.length; i++) {
    const c = path[i] as Uint8Array;
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn = Math.floor(fn / 2);
          sn = Math.floor(sn / 2);
        }
      }
    } else {
      sr = nodeHash(sr, c);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 && equal32(fr, oldRoot) && equal32(sr, newRoot);
}

/** The leaves of the custody tree: the 32 raw bytes of each event hash, in log order. */
export function eventLeaves(events: readonly { hash: string }[]): Buffer[] {
  return events.map((e) => {
    if (!isWellFormedHash(e.hash)) throw new TypeError('an event hash is 64 hex digits');
    return Buffer.from(e.hash, 'hex');
  });
}

// ---------------------------------------------------------------------------------------------
// Signed tree heads

export interface TreeHeadBody {
  v: 1;
  /** Number of events covered: the first treeSize events of the log. */
  treeSize: number;
  /** Lower-case hex MTH of their hashes. */
  rootHash: string;
  /** When the head was made; ISO 8601 UTC with milliseconds. */
  at: string;
  signer: { user: string; keyId: string };
}

export interface SignedTreeHead extends TreeHeadBody {
  /** Base64 Ed25519 signature over the UTF-8 bytes of the JCS text of the head without sig. */
  sig: string;
}

const HEAD_KEYS = new Set(['v', 'treeSize', 'rootHash', 'at', 'signer', 'sig']);
const USER_PATTERN = /^[\p{L}\p{N}._-]{1,64}$/u;

/** Why `x` is not a well-formed tree head, or null. */
export function treeHeadProblem(x: unknown, withSig: boolean): string | null {
  if (typeof x !== 'object' || x === null || Array.isArray(x)) return 'it is not a JSON object';
  const h = x as Record<string, unknown>;
  for (const k of Object.keys(h)) {
    if (!HEAD_KEYS.has(k) || (!withSig && k === 'sig')) return `it has an unexpected member "${k}"`;
  }
  if (h.v !== 1) return `its format version is ${String(h.v)}, not 1`;
  if (typeof h.treeSize !== 'number' || !isSize(h.treeSize)) return 'its tree size is not valid';
  if (!isWellFormedHash(h.rootHash)) return 'its root hash is not a SHA-256';
  if (!isCustodyTime(h.at)) return 'its time is not an ISO 8601 UTC time with milliseconds';
  const s = h.signer as Record<string, unknown> | null | undefined;
  if (
    typeof s !== 'object' ||
    s === null ||
    Object.keys(s).length !== 2 ||
    typeof s.user !== 'string' ||
    !USER_PATTERN.test(s.user) ||
    typeof s.keyId !== 'string' ||
    !KEY_ID_PATTERN.test(s.keyId)
  ) {
    return 'its signer is not valid';
  }
  if (withSig && !isWellFormedSig(h.sig)) return 'its signature is not 64 bytes of base64';
  return null;
}

function headMessage(head: TreeHeadBody): Buffer {
  const { sig: _sig, ...body } = head as TreeHeadBody & { sig?: unknown };
  return Buffer.from(canonicalize(body), 'utf8');
}

/** The head of the tree over `leaves` (or a MerkleTree), unsigned. */
export function treeHeadOf(
  leaves: readonly Uint8Array[] | MerkleTree,
  signer: { user: string; keyId: string },
  at: string = new Date().toISOString(),
): TreeHeadBody {
  const tree = leaves instanceof MerkleTree ? leaves : null;
  const root = tree ? tree.root() : rootOf(leaves as readonly Uint8Array[]);
  const treeSize = tree ? tree.size : (leaves as readonly Uint8Array[]).length;
  return {
    v: 1,
    treeSize,
    rootHash: root.toString('hex'),
    at,
    signer: { user: signer.user, keyId: signer.keyId },
  };
}

/** Signs a tree head. Throws KesiError BAD_INPUT if it is malformed or the key is not the signer's. */
export function signTreeHead(head: TreeHeadBody, privateKey: KeyObject): SignedTreeHead {
  const problem = treeHeadProblem(head, false);
  if (problem !== null)
    throw new KesiError('BAD_INPUT', `This tree head cannot be signed: ${problem}.`);
  if (keyIdOfKey(privateKey) !== head.signer.keyId) {
    throw new KesiError('BAD_INPUT', 'This tree head names another key than the one signing it.');
  }
  const body: TreeHeadBody = {
    v: 1,
    treeSize: head.treeSize,
    rootHash: head.rootHash,
    at: head.at,
    signer: { user: head.signer.user, keyId: head.signer.keyId },
  };
  const sig = sign(null, headMessage(body), privateKey).toString('base64');
  return { ...body, sig };
}

/** True if the head is well formed and its signature is valid under `publicKey`. Never throws. */
export function verifyTreeHead(head: SignedTreeHead, publicKey: KeyObject): boolean {
  if (treeHeadProblem(head, true) !== null) return false;
  try {
    return verify(null, headMessage(head), publicKey, Buffer.from(head.sig, 'base64'));
  } catch {
    return false;
  }
}
