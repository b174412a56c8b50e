import { sign, verify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  CUSTODY_ACTIONS,
  CASE_ACTIONS,
  VAULT_ACTIONS,
  buildEventBody,
  canonicalEventBody,
  canonicalWellFormedBody,
  caseChainId,
  caseUidOfChain,
  eventShapeProblem,
  hashEventBody,
  isCustodyTime,
  nextEvent,
  signEvent,
  verifyEventSignature,
  type CustodyEventBody,
} from '../../electron/custody/event';
import {
  generateSigningKey,
  keyIdOf,
  privateKeyFromPkcs8,
  privateKeyFromSeed,
  privateKeyToPkcs8,
  privateKeyToSeed,
  publicKeyFromRaw,
  publicKeyRawOf,
  signingKeyFrom,
} from '../../electron/custody/keys';
import { KesiError } from '../../shared/errors';

// RFC 8032 §7.1, test 1.
const RFC8032_SEED = '9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60';
const RFC8032_PUBLIC = 'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a';
const RFC8032_SIG_EMPTY =
  'e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b';

const testKey = signingKeyFrom(privateKeyFromSeed(Buffer.from(RFC8032_SEED, 'hex')));

// The worked example of docs/CUSTODY.md. If this test fails, the lasting format has changed.
const GOLDEN_BODY: CustodyEventBody = {
  v: 1,
  chain: 'case:7d0c5b8e-2f4a-4c1e-9b3d-6a8f1e2d4c5b',
  seq: 2,
  prev: '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08',
  action: 'intake',
  caseUid: '7d0c5b8e-2f4a-4c1e-9b3d-6a8f1e2d4c5b',
  itemUid: 'c2a4e6f8-1b3d-4f5a-8c7e-9d0b2a4c6e8f',
  actor: { user: 'wanjiku', keyId: '21fe31dfa154a261626bf854046fd227' },
  at: '2026-03-01T07:04:05.123Z',
  place: 'IMLU office, Nairobi',
  reason: 'Medical report (P3) received from Kenyatta National Hospital',
  details: {
    kind: 'medical_report',
    subtype: 'p3',
    originalName: 'P3 – Otieno.pdf',
    mediaType: 'application/pdf',
    size: 482113,
    sha256: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
  },
  app: 'kesi/0.1.0',
};
const GOLDEN_TEXT =
  '{"action":"intake","actor":{"keyId":"21fe31dfa154a261626bf854046fd227","user":"wanjiku"},' +
  '"app":"kesi/0.1.0","at":"2026-03-01T07:04:05.123Z",' +
  '"caseUid":"7d0c5b8e-2f4a-4c1e-9b3d-6a8f1e2d4c5b",' +
  '"chain":"case:7d0c5b8e-2f4a-4c1e-9b3d-6a8f1e2d4c5b",' +
  '"details":{"kind":"medical_report","mediaType":"application/pdf",' +
  '"originalName":"P3 – Otieno.pdf",' +
  '"sha256":"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",' +
  '"size":482113,"subtype":"p3"},"itemUid":"c2a4e6f8-1b3d-4f5a-8c7e-9d0b2a4c6e8f",' +
  '"place":"IMLU office, Nairobi",' +
  '"prev":"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",' +
  '"reason":"Medical report (P3) received from Kenyatta National Hospital","seq":2,"v":1}';
const GOLDEN_HASH = '8929ecf273334549dbb29d2b1d34eb36d8915edbd27a1d6b2dc4dd4b1aad0a47';
const GOLDEN_SIG =
  'E8wQhEk4UMRcra0ABPsrEhApWfRyM9Plx2ucIboj6Hv5ILu8m5GF8KoA/7ju1K4KZQii6ft1Yvbx2kT+ymtBCA==';

function body(overrides: Partial<Record<keyof CustodyEventBody, unknown>> = {}): CustodyEventBody {
  return { ...structuredClone(GOLDEN_BODY), ...overrides } as CustodyEventBody;
}

/** The text, or the error message when it throws. */
function outcome(fn: () => string): string {
  try {
    return fn();
  } catch (e) {
    return `error: ${(e as Error).message}`;
  }
}

function expectBadInput(fn: () => unknown, message: RegExp): void {
  let err: unknown;
  try {
    fn();
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(KesiError);
  expect((err as KesiError).code).toBe('BAD_INPUT');
  expect((err as KesiError).message).toMatch(message);
}

describe('signing keys', () => {
  it('derive the RFC 8032 test key from its seed and sign as RFC 8032 says', () => {
    expect(testKey.publicKeyRaw.toString('hex')).toBe(RFC8032_PUBLIC);
    expect(sign(null, Buffer.alloc(0), testKey.privateKey).toString('hex')).toBe(RFC8032_SIG_EMPTY);
  });

  it('have a key id: hex of the first 16 bytes of SHA-256 of the raw public key', () => {
    expect(testKey.keyId).toBe('21fe31dfa154a261626bf854046fd227');
    expect(keyIdOf(Buffer.from(RFC8032_PUBLIC, 'hex'))).toBe(testKey.keyId);
    expect(() => keyIdOf(new Uint8Array(31))).toThrow(TypeError);
  });

  it('round-trip through raw bytes, PKCS#8 and seed', () => {
    const k = generateSigningKey();
    expect(k.publicKeyRaw).toHaveLength(32);
    expect(k.keyId).toMatch(/^[0-9a-f]{32}$/);
    const pub = publicKeyFromRaw(k.publicKeyRaw);
    expect(publicKeyRawOf(pub).equals(k.publicKeyRaw)).toBe(true);
    const again = privateKeyFromPkcs8(privateKeyToPkcs8(k.privateKey));
    expect(signingKeyFrom(again).keyId).toBe(k.keyId);
    const seed = privateKeyToSeed(k.privateKey);
    expect(seed).toHaveLength(32);
    expect(signingKeyFrom(privateKeyFromSeed(seed)).keyId).toBe(k.keyId);
    const msg = Buffer.from('x');
    expect(verify(null, msg, pub, sign(null, msg, again))).toBe(true);
  });

  it('refuse keys that are not Ed25519', () => {
    expect(() => publicKeyFromRaw(new Uint8Array(33))).toThrow(TypeError);
    expect(() => privateKeyFromSeed(new Uint8Array(16))).toThrow(TypeError);
  });
});

describe('the event format', () => {
  it('lists every action once; verify belongs to both chains', () => {
    expect(new Set(CUSTODY_ACTIONS).size).toBe(CUSTODY_ACTIONS.length);
    expect(CASE_ACTIONS).toContain('verify');
    expect(VAULT_ACTIONS).toContain('verify');
    expect(CUSTODY_ACTIONS).toHaveLength(CASE_ACTIONS.length + VAULT_ACTIONS.length - 1);
  });

  it('hashes and signs the worked example of docs/CUSTODY.md exactly', () => {
    expect(canonicalEventBody(GOLDEN_BODY)).toBe(GOLDEN_TEXT);
    expect(hashEventBody(GOLDEN_BODY)).toBe(GOLDEN_HASH);
    const ev = signEvent(GOLDEN_BODY, testKey.privateKey);
    expect(ev.hash).toBe(GOLDEN_HASH);
    expect(ev.sig).toBe(GOLDEN_SIG);
    expect(verifyEventSignature(ev, testKey.publicKey)).toBe(true);
    // The signature is over the 32 raw bytes of the hash.
    expect(
      verify(
        null,
        Buffer.from(GOLDEN_HASH, 'hex'),
        testKey.publicKey,
        Buffer.from(GOLDEN_SIG, 'base64'),
      ),
    ).toBe(true);
  });

  it('never hashes hash or sig: hashEventBody(event) is event.hash', () => {
    const ev = signEvent(GOLDEN_BODY, testKey.privateKey);
    expect(hashEventBody(ev)).toBe(ev.hash);
    expect(canonicalEventBody(ev)).toBe(GOLDEN_TEXT);
  });

  it('returns a copy made from the hashed text', () => {
    const b = body({ details: { n: -0, list: [1, 2], gone: undefined } as never });
    const ev = signEvent(b, testKey.privateKey);
    (b.details.list as number[]).push(3);
    expect(ev.details).toEqual({ n: 0, list: [1, 2] });
    expect(hashEventBody(ev)).toBe(ev.hash);
    expect(Object.keys(ev).slice(-2)).toEqual(['hash', 'sig']);
  });

  it('is refused by verifyEventSignature when changed, or under another key', () => {
    const ev = signEvent(GOLDEN_BODY, testKey.privateKey);
    expect(verifyEventSignature({ ...ev, reason: 'changed' }, testKey.publicKey)).toBe(false);
    expect(verifyEventSignature({ ...ev, seq: 3 }, testKey.publicKey)).toBe(false);
    expect(verifyEventSignature(ev, generateSigningKey().publicKey)).toBe(false);
    const otherSig = sign(null, Buffer.from(ev.hash, 'hex'), generateSigningKey().privateKey);
    expect(
      verifyEventSignature({ ...ev, sig: otherSig.toString('base64') }, testKey.publicKey),
    ).toBe(false);
    expect(verifyEventSignature({ ...ev, sig: 'not base64' }, testKey.publicKey)).toBe(false);
  });

  it('the fast canonical writer agrees with RFC 8785 on varied bodies', () => {
    const texts = [null, '', 'IMLU "office"\n\\ Nairobi', 'Kisumu – Kondele 😀', '\u0007\u2028é'];
    let i = 0;
    for (const place of texts) {
      for (const reason of texts) {
        for (const seq of [1, 2, 999, 2 ** 53 - 1]) {
          const b = body({
            seq,
            prev: seq === 1 ? null : GOLDEN_BODY.prev,
            place,
            reason,
            itemUid: i % 2 === 0 ? null : 'item_-1',
            actor: { user: i % 3 === 0 ? 'Wanjikũ.M' : 'otieno', keyId: testKey.keyId },
            details: { z: [1.5e-7, true, null, { b: 'é', a: '\u0000' }], a: place },
          });
          i++;
          expect(eventShapeProblem(b, 'body', true)).toBeNull();
          expect(canonicalWellFormedBody(b)).toBe(canonicalEventBody(b));
        }
      }
    }
    const vault = body({
      chain: 'vault',
      caseUid: null,
      itemUid: null,
      action: 'user_add',
    });
    expect(canonicalWellFormedBody(vault)).toBe(canonicalEventBody(vault));
  });

  it('the fast canonical writer is never used on anything the shape check lets through wrongly', () => {
    // Every member set to awkward values: whatever the shape check accepts must canonicalize
    // the same both ways, so a crafted string can never make two different bodies hash alike.
    const awkward: unknown[] = [
      null,
      undefined,
      '',
      '"',
      'a"b',
      'a\\b',
      '\n',
      'x","seq":3,"v":"1',
      '😀',
      '\ud800',
      'case:x"',
      'case:',
      'vault',
      'case:abc',
      'abc',
      'view',
      'user_add',
      'Wanjikũ',
      GOLDEN_BODY.prev,
      GOLDEN_HASH.toUpperCase(),
      testKey.keyId,
      '2026-03-01T07:04:05.123Z',
      'kesi/0.1.0',
      0,
      1,
      -1,
      1.5,
      2 ** 53,
      true,
      [],
      {},
      { user: 'a"b', keyId: testKey.keyId },
      { user: 'ok', keyId: testKey.keyId, extra: 1 },
    ];
    let accepted = 0;
    for (const key of Object.keys(GOLDEN_BODY)) {
      for (const value of awkward) {
        const b = body({ [key]: value });
        if (eventShapeProblem(b, 'body', false) === null) {
          accepted++;
          expect(outcome(() => canonicalWellFormedBody(b))).toBe(
            outcome(() => canonicalEventBody(b)),
          );
        }
      }
    }
    expect(accepted).toBeGreaterThan(10);
  });
});

describe('signEvent refuses what is not a valid event', () => {
  it.each([
    ['a sequence number of 0', { seq: 0 }, /sequence number/],
    ['a fractional sequence number', { seq: 1.5 }, /sequence number/],
    ['a previous event on #1', { seq: 1 }, /first event/],
    ['no previous event on #2', { prev: null }, /link to the previous event/],
    ['an upper-case hash link', { prev: GOLDEN_BODY.prev?.toUpperCase() }, /link/],
    ['a vault action in a case', { action: 'user_add' }, /vault action/],
    ['an unknown action', { action: 'teleport' }, /not a custody action/],
    ['a case that is not its chain', { caseUid: 'other' }, /case does not match/],
    ['a bad chain id', { chain: 'case:' }, /chain id/],
    ['a bad item uid', { itemUid: 'a b' }, /item/],
    ['a time without milliseconds', { at: '2026-03-01T07:04:05Z' }, /time/],
    ['a time in Nairobi', { at: '2026-03-01T10:04:05.123+03:00' }, /time/],
    ['a day that does not exist', { at: '2026-02-29T07:04:05.123Z' }, /time/],
    ['a number as place', { place: 3 }, /place/],
    ['details that are an array', { details: [] }, /details/],
    ['details with a Date', { details: { when: new Date() } }, /Date is not a plain object/],
    ['a lone surrogate in the reason', { reason: 'x\ud800' }, /lone UTF-16 surrogate/],
    ['an unknown member', { extra: 1 }, /unknown member "extra"/],
    ['a hash member', { hash: GOLDEN_HASH }, /must not have a "hash"/],
    ['format version 2', { v: 2 }, /format version/],
    ['a bad app', { app: 'Kesi 0.1' }, /software/],
  ])('%s', (_name, overrides, message) => {
    expectBadInput(() => signEvent(body(overrides as never), testKey.privateKey), message);
  });

  it('a bad actor', () => {
    expectBadInput(
      () => signEvent(body({ actor: { user: 'a b', keyId: testKey.keyId } }), testKey.privateKey),
      /user name/,
    );
    expectBadInput(
      () =>
        signEvent(body({ actor: { user: 'a', keyId: testKey.keyId, x: 1 } }), testKey.privateKey),
      /actor/,
    );
  });

  it('a key that is not the actor’s', () => {
    expectBadInput(() => signEvent(body(), generateSigningKey().privateKey), /names key/);
  });

  it('a vault event that names a case or an item', () => {
    expectBadInput(
      () => signEvent(body({ chain: 'vault', action: 'user_add' }), testKey.privateKey),
      /vault chain but names a case/,
    );
    expectBadInput(
      () =>
        signEvent(body({ chain: 'vault', caseUid: null, action: 'user_add' }), testKey.privateKey),
      /vault chain but names an item/,
    );
  });
});

describe('building events', () => {
  it('derives seq, prev and caseUid from the chain and the previous event', () => {
    const chain = caseChainId('abc-123');
    expect(caseUidOfChain(chain)).toBe('abc-123');
    expect(caseUidOfChain('vault')).toBeNull();
    expect(caseUidOfChain('case:a:b')).toBeUndefined();
    const actor = { user: 'wanjiku', keyId: testKey.keyId };
    const first = nextEvent(
      chain,
      null,
      { action: 'create', actor, app: 'kesi/0.1.0' },
      testKey.privateKey,
    );
    expect(first).toMatchObject({
      seq: 1,
      prev: null,
      caseUid: 'abc-123',
      itemUid: null,
      place: null,
    });
    expect(isCustodyTime(first.at)).toBe(true);
    const second = nextEvent(
      chain,
      first,
      { action: 'view', itemUid: 'item-1', actor, app: 'kesi/0.1.0', reason: 'Review' },
      testKey.privateKey,
    );
    expect(second).toMatchObject({ seq: 2, prev: first.hash, itemUid: 'item-1', reason: 'Review' });
    expect(() =>
      buildEventBody('vault', first, { action: 'verify', actor, app: 'kesi/0.1.0' }),
    ).toThrow(KesiError);
    expect(() => caseChainId('a:b')).toThrow(TypeError);
  });

  it('accepts only real UTC instants written with milliseconds', () => {
    expect(isCustodyTime('2024-02-29T23:59:59.999Z')).toBe(true);
    expect(isCustodyTime('2000-02-29T00:00:00.000Z')).toBe(true);
    expect(isCustodyTime('1900-02-29T00:00:00.000Z')).toBe(false);
    expect(isCustodyTime('2026-04-31T00:00:00.000Z')).toBe(false);
    expect(isCustodyTime('2026-01-01T24:00:00.000Z')).toBe(false);
    expect(isCustodyTime('2026-01-01T00:60:00.000Z')).toBe(false);
    expect(isCustodyTime('2026-13-01T00:00:00.000Z')).toBe(false);
    expect(isCustodyTime('2026-01-01 00:00:00.000Z')).toBe(false);
    expect(isCustodyTime(new Date(0).toISOString())).toBe(true);
  });
});
