import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { generateSigningKey } from '../../electron/custody/keys';
import {
  EMPTY_ROOT,
  MerkleTree,
  consistencyProof,
  eventLeaves,
  inclusionProof,
  leafHash,
  nodeHash,
  rootOf,
  signTreeHead,
  treeHeadOf,
  verifyConsistency,
  verifyInclusion,
  verifyTreeHead,
  type SignedTreeHead,
} from '../../electron/custody/merkle';
import { KesiError } from '../../shared/errors';

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const unhex = (s: string): Buffer => Buffer.from(s, 'hex');

// The RFC 6962 reference tree used by the Certificate Transparency implementations
// (certificate-transparency-go and transparency-dev/merkle test data): eight leaves, the roots
// of each prefix, and inclusion and consistency proofs between them.
const LEAVES = [
  '',
  '00',
  '10',
  '2021',
  '3031',
  '40414243',
  '5051525354555657',
  '606162636465666768696a6b6c6d6e6f',
].map(unhex);

const ROOTS = [
  '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
  'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
  'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
  'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
  '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
  '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
  'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
  '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
];

// [leaf index (0-based), tree size, proof]
const INCLUSION: [number, number, string[]][] = [
  [
    0,
    8,
    [
      '96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7',
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4',
    ],
  ],
  [
    5,
    8,
    [
      'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
      'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0',
      'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
    ],
  ],
  [2, 3, ['fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125']],
  [
    1,
    5,
    [
      '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
    ],
  ],
  [0, 1, []],
];

// [old size, new size, proof]
const CONSISTENCY: [number, number, string[]][] = [
  [1, 1, []],
  [
    1,
    8,
    [
      '96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7',
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4',
    ],
  ],
  [
    6,
    8,
    [
      '0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a',
      'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0',
      'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
    ],
  ],
  [
    2,
    5,
    [
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
    ],
  ],
];

/** The RFC 9162 definition, recursively, as the reference. */
function mth(leaves: readonly Uint8Array[]): Buffer {
  if (leaves.length === 0) return createHash('sha256').digest();
  if (leaves.length === 1) return leafHash(leaves[0] as Uint8Array);
  let k = 1;
  while (k * 2 < leaves.length) k *= 2;
  return nodeHash(mth(leaves.slice(0, k)), mth(leaves.slice(k)));
}

function randomLeaves(n: number, seed: number): Buffer[] {
  return Array.from({ length: n }, (_, i) => createHash('sha256').update(`${seed}:${i}`).digest());
}

function flipped(b: Uint8Array, bit = 3): Buffer {
  const c = Buffer.from(b);
  c[0] = (c[0] as number) ^ (1 << bit);
  return c;
}

/** Every way of spoiling a valid inclusion proof; none may verify. */
function inclusionProbes(
  index: number,
  size: number,
  proof: Buffer[],
  root: Buffer,
  leaf: Buffer,
): [string, () => boolean][] {
  const probes: [string, () => boolean][] = [
    ['index - 1', () => verifyInclusion(leaf, index - 1, size, proof, root)],
    ['index + 1', () => verifyInclusion(leaf, index + 1, size, proof, root)],
    ['index ^ 2', () => verifyInclusion(leaf, index ^ 2, size, proof, root)],
    ['size * 2', () => verifyInclusion(leaf, index, size * 2, proof, root)],
    ['size / 2', () => verifyInclusion(leaf, index, Math.floor(size / 2), proof, root)],
    [
      'wrong leaf',
      () => verifyInclusion(leafHash(Buffer.from('WrongLeaf')), index, size, proof, root),
    ],
    ['empty root', () => verifyInclusion(leaf, index, size, proof, EMPTY_ROOT)],
    ['flipped root', () => verifyInclusion(leaf, index, size, proof, flipped(root))],
    ['trailing root', () => verifyInclusion(leaf, index, size, [...proof, root], root)],
    ['preceding root', () => verifyInclusion(leaf, index, size, [root, ...proof], root)],
    ['short element', () => verifyInclusion(leaf, index, size, [...proof, Buffer.alloc(0)], root)],
  ];
  proof.forEach((_, i) => {
    const bad = proof.map((p, j) => (j === i ? flipped(p) : p));
    probes.push([`flipped proof[${i}]`, () => verifyInclusion(leaf, index, size, bad, root)]);
  });
  if (proof.length > 0) {
    probes.push([
      'removed element',
      () => verifyInclusion(leaf, index, size, proof.slice(0, -1), root),
    ]);
  }
  if (proof.length > 1) {
    const inserted = [proof[0] as Buffer, flipped(root), ...proof.slice(1)];
    probes.push(['inserted element', () => verifyInclusion(leaf, index, size, inserted, root)]);
  }
  return probes.filter(([name]) => !(name === 'index ^ 2' && (index ^ 2) === index));
}

/** Every way of spoiling a valid, non-trivial consistency proof; none may verify. */
function consistencyProbes(
  m: number,
  n: number,
  proof: Buffer[],
  r1: Buffer,
  r2: Buffer,
): [string, () => boolean][] {
  const probes: [string, () => boolean][] = [
    ['m - 1', () => verifyConsistency(m - 1, n, r1, r2, proof)],
    ['m + 1', () => verifyConsistency(m + 1, n, r1, r2, proof)],
    ['m ^ 2', () => verifyConsistency(m ^ 2, n, r1, r2, proof)],
    ['n * 2', () => verifyConsistency(m, n * 2, r1, r2, proof)],
    ['n / 2', () => verifyConsistency(m, Math.floor(n / 2), r1, r2, proof)],
    ['wrong root1', () => verifyConsistency(m, n, flipped(r1), r2, proof)],
    ['wrong root2', () => verifyConsistency(m, n, r1, flipped(r2), proof)],
    ['swapped roots', () => verifyConsistency(m, n, r2, r1, proof)],
    ['empty proof', () => verifyConsistency(m, n, r1, r2, [])],
    ['trailing root1', () => verifyConsistency(m, n, r1, r2, [...proof, r1])],
    ['trailing root2', () => verifyConsistency(m, n, r1, r2, [...proof, r2])],
    ['preceding root1', () => verifyConsistency(m, n, r1, r2, [r1, ...proof])],
    ['preceding root2', () => verifyConsistency(m, n, r1, r2, [r2, ...proof])],
    ['preceding proof[0]', () => verifyConsistency(m, n, r1, r2, [proof[0] as Buffer, ...proof])],
    ['truncated', () => verifyConsistency(m, n, r1, r2, proof.slice(0, -1))],
  ];
  proof.forEach((_, i) => {
    const bad = proof.map((p, j) => (j === i ? flipped(p, 4) : p));
    probes.push([`flipped proof[${i}]`, () => verifyConsistency(m, n, r1, r2, bad)]);
  });
  // Changing m can land on another valid statement only if it is the same tree (m === n).
  return probes.filter(([name]) => !(name === 'm ^ 2' && ((m ^ 2) === m || (m ^ 2) === n)));
}

function passing(probes: [string, () => boolean][]): string[] {
  return probes.filter(([, check]) => check()).map(([name]) => name);
}

describe('RFC 9162 Merkle tree: reference vectors', () => {
  it('the empty tree hashes to SHA-256 of nothing', () => {
    expect(hex(rootOf([]))).toBe(
      'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    );
    expect(new MerkleTree().root().equals(EMPTY_ROOT)).toBe(true);
  });

  it('computes the root of every prefix of the reference tree', () => {
    const tree = new MerkleTree(LEAVES);
    for (let n = 1; n <= 8; n++) {
      expect(hex(rootOf(LEAVES.slice(0, n)))).toBe(ROOTS[n - 1]);
      expect(hex(tree.root(n))).toBe(ROOTS[n - 1]);
    }
  });

  it.each(INCLUSION)('inclusion proof of leaf %i in a tree of %i', (index, size, expected) => {
    const leaves = LEAVES.slice(0, size);
    const proof = inclusionProof(leaves, index);
    expect(proof.map(hex)).toEqual(expected);
    const root = unhex(ROOTS[size - 1] as string);
    const leaf = leafHash(LEAVES[index] as Buffer);
    expect(verifyInclusion(leaf, index, size, expected.map(unhex), root)).toBe(true);
    expect(passing(inclusionProbes(index, size, proof, root, leaf))).toEqual([]);
  });

  it.each(CONSISTENCY)('consistency proof from %i to %i', (m, n, expected) => {
    const proof = consistencyProof(LEAVES.slice(0, n), m);
    expect(proof.map(hex)).toEqual(expected);
    const r1 = unhex(ROOTS[m - 1] as string);
    const r2 = unhex(ROOTS[n - 1] as string);
    expect(verifyConsistency(m, n, r1, r2, expected.map(unhex))).toBe(true);
    if (m !== n) expect(passing(consistencyProbes(m, n, proof, r1, r2))).toEqual([]);
  });

  it('refuses impossible parameters', () => {
    const leaf = leafHash(Buffer.from('data'));
    for (const [index, size] of [
      [0, 0],
      [1, 0],
      [2, 1],
      [-1, 4],
      [0.5, 4],
    ] as const) {
      expect(verifyInclusion(leaf, index, size, [], leaf)).toBe(false);
      expect(verifyInclusion(leaf, index, size, [], EMPTY_ROOT)).toBe(false);
    }
    // A one-leaf tree: the root is the leaf hash, the proof is empty.
    expect(verifyInclusion(leaf, 0, 1, [], leaf)).toBe(true);
    expect(verifyInclusion(leaf, 0, 1, [], Buffer.alloc(0))).toBe(false);
    expect(verifyConsistency(0, 5, EMPTY_ROOT, leaf, [])).toBe(true);
    expect(verifyConsistency(0, 5, leaf, leaf, [])).toBe(false);
    expect(verifyConsistency(3, 3, leaf, leaf, [])).toBe(true);
    expect(verifyConsistency(3, 3, leaf, EMPTY_ROOT, [])).toBe(false);
    expect(verifyConsistency(3, 3, leaf, leaf, [leaf])).toBe(false);
    expect(verifyConsistency(4, 3, leaf, leaf, [leaf])).toBe(false);
    expect(() => inclusionProof(LEAVES, 8)).toThrow(RangeError);
    expect(() => consistencyProof(LEAVES, 9)).toThrow(RangeError);
  });
});

describe('RFC 9162 Merkle tree: every proof of every small tree', () => {
  const N = 64;
  const leaves = randomLeaves(N, 1);
  const tree = new MerkleTree(leaves);
  const hashes = leaves.map(leafHash);
  const roots = Array.from({ length: N + 1 }, (_, n) => mth(leaves.slice(0, n)));

  it('agrees with the recursive definition for every size', () => {
    for (let n = 0; n <= N; n++) {
      expect(rootOf(leaves.slice(0, n)).equals(roots[n] as Buffer)).toBe(true);
      expect(tree.root(n).equals(roots[n] as Buffer)).toBe(true);
    }
    for (const n of [127, 128, 129, 300, 1000]) {
      const big = randomLeaves(n, n);
      expect(rootOf(big).equals(mth(big))).toBe(true);
    }
  });

  it('verifies every inclusion proof for n <= 64, and no corrupted one', () => {
    let checked = 0;
    for (let n = 1; n <= N; n++) {
      const root = roots[n] as Buffer;
      for (let i = 0; i < n; i++) {
        const proof = tree.inclusionProof(i, n);
        expect(verifyInclusion(hashes[i] as Buffer, i, n, proof, root)).toBe(true);
        if (i % 7 === 0 || n % 9 === 0) {
          expect(passing(inclusionProbes(i, n, proof, root, hashes[i] as Buffer))).toEqual([]);
        }
        checked++;
      }
    }
    expect(checked).toBe((N * (N + 1)) / 2);
    // The free function builds the same proofs.
    expect(inclusionProof(leaves.slice(0, 37), 20)).toEqual(tree.inclusionProof(20, 37));
  });

  it('verifies every consistency proof for m <= n <= 64, and no corrupted one', () => {
    for (let n = 1; n <= N; n++) {
      for (let m = 0; m <= n; m++) {
        const proof = tree.consistencyProof(m, n);
        const r1 = roots[m] as Buffer;
        const r2 = roots[n] as Buffer;
        expect(verifyConsistency(m, n, r1, r2, proof)).toBe(true);
        if (m > 0 && m < n) {
          expect(passing(consistencyProbes(m, n, proof, r1, r2))).toEqual([]);
          // A rewritten history (one old leaf changed) can never be proven consistent.
          const forged = [...leaves.slice(0, n)];
          forged[m - 1] = flipped(forged[m - 1] as Buffer);
          expect(verifyConsistency(m, n, r1, mth(forged), consistencyProof(forged, m))).toBe(false);
        }
      }
    }
    expect(consistencyProof(leaves.slice(0, 40), 13)).toEqual(tree.consistencyProof(13, 40));
  });

  it('grows by appending, and from leaf hashes', () => {
    const t = new MerkleTree();
    for (let n = 0; n < N; n++) {
      expect(t.root().equals(roots[n] as Buffer)).toBe(true);
      t.append(leaves[n] as Buffer);
    }
    expect(
      MerkleTree.fromLeafHashes(hashes)
        .root()
        .equals(roots[N] as Buffer),
    ).toBe(true);
    expect(() => t.appendLeafHash(new Uint8Array(31))).toThrow(TypeError);
  });
});

describe('signed tree heads', () => {
  const signer = { user: 'wanjiku', ...generateSigningKey() };
  const events = randomLeaves(1000, 7).map((b) => ({ hash: b.toString('hex') }));
  const leaves = eventLeaves(events);

  it('cover the event hashes as leaves, and verify', () => {
    const head = treeHeadOf(
      leaves,
      { user: signer.user, keyId: signer.keyId },
      '2026-03-01T07:00:00.000Z',
    );
    expect(head).toEqual({
      v: 1,
      treeSize: 1000,
      rootHash: hex(mth(leaves)),
      at: '2026-03-01T07:00:00.000Z',
      signer: { user: 'wanjiku', keyId: signer.keyId },
    });
    expect(treeHeadOf(new MerkleTree(leaves), head.signer, head.at)).toEqual(head);
    const sth = signTreeHead(head, signer.privateKey);
    expect(sth.sig).toMatch(/^[A-Za-z0-9+/]{86}==$/);
    expect(verifyTreeHead(sth, signer.publicKey)).toBe(true);
    expect(
      verifyTreeHead(JSON.parse(JSON.stringify(sth)) as SignedTreeHead, signer.publicKey),
    ).toBe(true);
  });

  it('fail when changed, or under another key', () => {
    const sth = signTreeHead(treeHeadOf(leaves, signer), signer.privateKey);
    expect(verifyTreeHead({ ...sth, treeSize: 999 }, signer.publicKey)).toBe(false);
    expect(verifyTreeHead({ ...sth, rootHash: hex(EMPTY_ROOT) }, signer.publicKey)).toBe(false);
    expect(verifyTreeHead({ ...sth, at: '2026-03-01T07:00:00.001Z' }, signer.publicKey)).toBe(
      false,
    );
    expect(verifyTreeHead({ ...sth, extra: 1 } as SignedTreeHead, signer.publicKey)).toBe(false);
    expect(verifyTreeHead(sth, generateSigningKey().publicKey)).toBe(false);
  });

  it('cannot be signed with a key other than the signer’s', () => {
    const head = treeHeadOf(leaves, { user: signer.user, keyId: generateSigningKey().keyId });
    expect(() => signTreeHead(head, signer.privateKey)).toThrow(KesiError);
    expect(() => signTreeHead({ ...head, treeSize: -1 }, signer.privateKey)).toThrow(/tree size/);
    expect(() => eventLeaves([{ hash: 'xyz' }])).toThrow(TypeError);
  });
});
