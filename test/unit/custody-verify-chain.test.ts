import { sign } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  caseChainId,
  hashEventBody,
  nextEvent,
  type CustodyAction,
  type CustodyEvent,
  type CustodyEventBody,
} from '../../electron/custody/event';
import { generateSigningKey, type SigningKey } from '../../electron/custody/keys';
import {
  chainVerdict,
  checkChainStructure,
  formatEat,
  verifyChain,
  type ChainKey,
  type ChainProblem,
} from '../../electron/custody/verify-chain';

const CHAIN = caseChainId('c0ffee00-0000-4000-8000-000000000001');
const T0 = Date.parse('2026-03-02T06:00:00.000Z');

interface User extends SigningKey {
  user: string;
}
const alice: User = { user: 'wanjiku', ...generateSigningKey() };
const bob: User = { user: 'otieno', ...generateSigningKey() };
const mallory: User = { user: 'mallory', ...generateSigningKey() };

function keysOf(...users: User[]): Map<string, ChainKey> {
  return new Map(users.map((u) => [u.keyId, { publicKey: u.publicKeyRaw, user: u.user }]));
}
const KEYS = keysOf(alice, bob);

function makeChain(n: number, chain = CHAIN): CustodyEvent[] {
  const events: CustodyEvent[] = [];
  const actions: CustodyAction[] = ['intake', 'view', 'edit', 'transfer', 'export'];
  for (let i = 0; i < n; i++) {
    const u = i % 2 === 0 ? alice : bob;
    const genesis = chain === 'vault' ? 'vault_create' : 'create';
    const action: CustodyAction =
      i === 0
        ? genesis
        : chain === 'vault'
          ? 'user_add'
          : (actions[i % actions.length] as CustodyAction);
    events.push(
      nextEvent(
        chain,
        events[i - 1] ?? null,
        {
          action,
          itemUid: chain === 'vault' || i === 0 ? null : `item-${i % 3}`,
          actor: { user: u.user, keyId: u.keyId },
          at: new Date(T0 + i * 60_000).toISOString(),
          place: 'IMLU office, Nairobi',
          reason: i % 2 ? 'Preparing the bundle' : null,
          details: { n: i },
          app: 'kesi/0.1.0',
        },
        u.privateKey,
      ),
    );
  }
  return events;
}

const BASE = makeChain(12);

/** A copy of the event with fields changed and, when `rehash`, a new hash (no valid signature). */
function forge(
  ev: CustodyEvent,
  changes: Partial<CustodyEventBody>,
  rehash: boolean,
): CustodyEvent {
  const out = { ...structuredClone(ev), ...changes } as CustodyEvent;
  if (rehash) out.hash = hashEventBody(out);
  return out;
}

function resign(ev: CustodyEvent, by: User): CustodyEvent {
  const out = { ...ev, hash: hashEventBody(ev) };
  out.sig = sign(null, Buffer.from(out.hash, 'hex'), by.privateKey).toString('base64');
  return out;
}

/** Re-links events[from..] to their predecessors and re-signs them with their actor's key. */
function relink(events: CustodyEvent[], from: number): void {
  for (let i = from; i < events.length; i++) {
    const ev = events[i] as CustodyEvent;
    const by = [alice, bob].find((u) => u.keyId === ev.actor.keyId) as User;
    events[i] = resign({ ...ev, prev: (events[i - 1] as CustodyEvent).hash }, by);
  }
}

function codes(problems: ChainProblem[]): string[] {
  return problems.map((p) => `${p.code}@${p.seq ?? '-'}`);
}

function errors(problems: ChainProblem[]): ChainProblem[] {
  return problems.filter((p) => p.severity === 'error');
}

function both(
  events: CustodyEvent[],
  keys = KEYS,
  opts: object = {},
): [ChainProblem[], ChainProblem[]] {
  return [
    verifyChain(events, keys, { signatures: false, ...opts }),
    verifyChain(events, keys, { signatures: true, ...opts }),
  ];
}

describe('verifyChain: an intact chain', () => {
  it('has no problems, with or without signatures', () => {
    const [plain, signed] = both(BASE);
    expect(plain).toEqual([]);
    expect(signed).toEqual([]);
    expect(chainVerdict(signed)).toBe('intact');
    expect(verifyChain([], KEYS, { signatures: true })).toEqual([]);
    expect(checkChainStructure(BASE)).toEqual([]);
  });

  it('accepts the vault chain and a continuation from a trusted point', () => {
    const vault = makeChain(4, 'vault');
    expect(both(vault)).toEqual([[], []]);
    const after = { seq: 5, hash: (BASE[4] as CustodyEvent).hash };
    expect(verifyChain(BASE.slice(5), KEYS, { signatures: true, after })).toEqual([]);
    expect(verifyChain(BASE.slice(4), KEYS, { signatures: true, after })).toEqual([]);
  });
});

describe('verifyChain: tampering', () => {
  it('a deleted event: names the missing number and the deleted hash', () => {
    const events = BASE.filter((e) => e.seq !== 6);
    for (const problems of both(events)) {
      expect(codes(problems)).toEqual(['missing@6']);
      const [p] = problems as [ChainProblem];
      expect(p.message).toMatch(/^Event #6 is missing/);
      expect(p.message).toMatch(/goes from #5 to #7/);
      expect(p.hash).toBe((BASE[5] as CustodyEvent).hash);
      expect(p.severity).toBe('error');
      expect(chainVerdict(problems)).toBe('broken');
    }
  });

  it('several deleted events, at the start, in the middle and at the end', () => {
    const events = BASE.filter((e) => ![1, 2, 5, 6, 7, 12].includes(e.seq));
    const problems = verifyChain(events, KEYS, {
      signatures: true,
      head: { seq: 12, hash: (BASE[11] as CustodyEvent).hash },
    });
    expect(codes(problems)).toEqual(['missing@1', 'missing@5', 'truncated@12']);
    expect(problems[0]?.message).toMatch(/^Events #1 to #2 are missing from the start/);
    expect(problems[1]?.message).toMatch(/^Events #5 to #7 are missing/);
    expect(problems[2]?.message).toMatch(/^Event #12 is missing from the end/);
    // Without the recorded head, deleting the last events cannot be seen from the chain alone.
    expect(verifyChain(BASE.slice(0, 10), KEYS, { signatures: true })).toEqual([]);
  });

  it('two swapped events: names them as out of order, and nothing else', () => {
    const events = [...BASE];
    [events[4], events[5]] = [events[5] as CustodyEvent, events[4] as CustodyEvent];
    for (const problems of both(events)) {
      expect(problems).toHaveLength(1);
      const [p] = problems as [ChainProblem];
      expect(p.code).toBe('out_of_order');
      expect([5, 6]).toContain(p.seq);
      expect(p.message).toMatch(/Event #(5|6) .*is stored out of order, between #(6|4) and #(7|5)/);
    }
  });

  it('an event moved far away is the one reported', () => {
    const events = [BASE[11] as CustodyEvent, ...BASE.slice(0, 11)];
    expect(codes(verifyChain(events, KEYS, { signatures: true }))).toEqual(['out_of_order@12']);
    expect(verifyChain(events, KEYS, { signatures: true })[0]?.message).toMatch(/before #1/);
  });

  it('two events swapped by renumbering them: both are altered', () => {
    const events = [...BASE];
    const a = BASE[4] as CustodyEvent;
    const b = BASE[5] as CustodyEvent;
    events[4] = forge(b, { seq: 5, prev: a.prev }, false);
    events[5] = forge(a, { seq: 6, prev: b.hash }, false);
    const problems = verifyChain(events, KEYS, { signatures: true });
    expect(codes(errors(problems)).filter((c) => c.startsWith('hash_mismatch'))).toEqual([
      'hash_mismatch@5',
      'hash_mismatch@6',
    ]);
    // Renumbered and re-hashed as well: the signatures no longer match.
    events[4] = forge(b, { seq: 5, prev: a.prev }, true);
    events[5] = forge(a, { seq: 6, prev: (events[4] as CustodyEvent).hash }, true);
    const signed = verifyChain(events, KEYS, { signatures: true });
    expect(codes(signed)).toEqual(['bad_signature@5', 'bad_signature@6', 'broken_link@7']);
    expect(codes(verifyChain(events, KEYS, { signatures: false }))).toEqual(['broken_link@7']);
  });

  it('an edited field: the event that was changed, and only it', () => {
    const events = [...BASE];
    events[6] = forge(BASE[6] as CustodyEvent, { reason: 'nothing to see' }, false);
    for (const problems of both(events)) {
      expect(codes(problems)).toEqual(['hash_mismatch@7']);
      expect(problems[0]?.message).toMatch(
        /^Event #7 \(\w+ by \w+, 2026-03-02 09:06:00 EAT\) has been altered/,
      );
    }
    events[6] = forge(BASE[6] as CustodyEvent, { details: { n: 6, extra: true } }, false);
    expect(codes(verifyChain(events, KEYS, { signatures: true }))).toEqual(['hash_mismatch@7']);
  });

  it('an edited and re-hashed event: the next link breaks and its signature fails', () => {
    const events = [...BASE];
    events[6] = forge(BASE[6] as CustodyEvent, { place: 'Elsewhere' }, true);
    expect(codes(verifyChain(events, KEYS, { signatures: false }))).toEqual(['broken_link@8']);
    const signed = verifyChain(events, KEYS, { signatures: true });
    expect(codes(signed)).toEqual(['bad_signature@7', 'broken_link@8']);
    expect(signed[0]?.message).toMatch(/Event #7 .* is not validly signed by wanjiku's key/);
    expect(signed[1]?.message).toMatch(/Event #8 .*does not follow on from #7/);
  });

  it('a replaced public key: the key and every event it signed are reported', () => {
    const keys = keysOf(alice, bob);
    keys.set(bob.keyId, { publicKey: mallory.publicKeyRaw, user: bob.user });
    const problems = verifyChain(BASE, keys, { signatures: true });
    const bobSeqs = BASE.filter((e) => e.actor.user === bob.user).map((e) => e.seq);
    expect(codes(problems)).toEqual([
      'key_replaced@-',
      ...bobSeqs.map((s) => `bad_signature@${s}`),
    ]);
    expect(problems[0]?.message).toMatch(/has been replaced/);
    expect(problems[1]?.message).toMatch(
      /Event #2 .*public key on record .* which has been replaced/,
    );
    // Chain-only verification does not look at keys.
    expect(verifyChain(BASE, keys, { signatures: false })).toEqual([]);
  });

  it('an event forged and signed with a substituted key: the substitution is reported', () => {
    const events = [...BASE];
    events[11] = resign(forge(BASE[11] as CustodyEvent, { reason: 'rewritten' }, false), mallory);
    const keys = keysOf(alice, bob);
    keys.set(bob.keyId, { publicKey: mallory.publicKeyRaw, user: bob.user });
    const problems = verifyChain(events, keys, { signatures: true });
    // The forged #12 verifies under the substituted key, but the key is not the one with that
    // id, and all of the real bob's events now fail.
    expect(codes(problems)).toEqual([
      'key_replaced@-',
      ...[2, 4, 6, 8, 10].map((s) => `bad_signature@${s}`),
    ]);
  });

  it('a key the vault does not have, and a key of another user', () => {
    expect(codes(verifyChain(BASE, keysOf(alice), { signatures: true }))).toEqual(
      BASE.filter((e) => e.actor.user === bob.user).map((e) => `unknown_key@${e.seq}`),
    );
    const keys = keysOf(alice, bob);
    keys.set(bob.keyId, { publicKey: bob.publicKeyRaw, user: 'someone' });
    const problems = verifyChain(BASE, keys, { signatures: true });
    expect(new Set(problems.map((p) => p.code))).toEqual(new Set(['actor_mismatch']));
    expect(problems[0]?.message).toMatch(
      /says it was done by otieno, but key .* belongs to someone/,
    );
  });

  it('events dated outside the life of their key', () => {
    const keys = keysOf(alice, bob);
    keys.set(bob.keyId, {
      publicKey: bob.publicKey,
      user: bob.user,
      validFrom: new Date(T0 + 3 * 60_000).toISOString(),
      revokedAt: new Date(T0 + 8 * 60_000).toISOString(),
    });
    expect(codes(verifyChain(BASE, keys, { signatures: true }))).toEqual([
      'key_not_yet_valid@2',
      'key_revoked@10',
      'key_revoked@12',
    ]);
  });

  it('an event of another chain slipped in', () => {
    const other = makeChain(3, caseChainId('other-case'));
    const events = [...BASE.slice(0, 3), other[2] as CustodyEvent, ...BASE.slice(3)];
    const problems = verifyChain(events, KEYS, { signatures: true });
    expect(codes(problems)).toEqual(['wrong_chain@3']);
    expect(problems[0]?.message).toMatch(
      /belongs to the log of case other-case but is stored in the log of case c0ffee00/,
    );
    expect(problems[0]?.index).toBe(3);
  });

  it('a duplicated event, and a substituted one next to the original', () => {
    const dup = [...BASE.slice(0, 5), BASE[4] as CustodyEvent, ...BASE.slice(5)];
    expect(codes(verifyChain(dup, KEYS, { signatures: true }))).toEqual(['duplicate@5']);
    const fake = forge(BASE[4] as CustodyEvent, { reason: 'inserted' }, true);
    const fork = [...BASE.slice(0, 5), fake, ...BASE.slice(5)];
    const problems = verifyChain(fork, KEYS, { signatures: true });
    expect(codes(problems)).toEqual(['fork@5', 'bad_signature@5']);
    expect(problems[0]?.hash).toBe(fake.hash);
    expect(problems[0]?.index).toBe(5);
    expect(problems[0]?.message).toMatch(
      /two different events numbered #5.*Event #6 follows the one with hash/,
    );
  });

  it('a replaced last event is caught by the recorded head', () => {
    const events = [...BASE];
    events[11] = forge(BASE[11] as CustodyEvent, { reason: 'rewritten' }, true);
    const head = { seq: 12, hash: (BASE[11] as CustodyEvent).hash };
    expect(codes(verifyChain(events, KEYS, { signatures: false, head }))).toEqual([
      'head_mismatch@12',
    ]);
    expect(
      codes(
        verifyChain(BASE, KEYS, {
          signatures: false,
          head: { seq: 10, hash: (BASE[9] as CustodyEvent).hash },
        }),
      ),
    ).toEqual(['beyond_head@11']);
  });
});

describe('verifyChain: other faults', () => {
  it('a clock that went back: a warning beyond the tolerance only', () => {
    const events = [...BASE];
    const early = (ms: number): CustodyEvent =>
      resign(
        {
          ...(BASE[3] as CustodyEvent),
          at: new Date(Date.parse((BASE[2] as CustodyEvent).at) - ms).toISOString(),
        },
        bob,
      );
    events[3] = early(2 * 60_000);
    relink(events, 4);
    expect(verifyChain(events, KEYS, { signatures: true })).toEqual([]);
    events[3] = early(3 * 60 * 60_000);
    relink(events, 4);
    const problems = verifyChain(events, KEYS, { signatures: true });
    expect(codes(problems)).toEqual(['time_backwards@4']);
    expect(problems[0]?.severity).toBe('warning');
    expect(problems[0]?.message).toMatch(/dated 3 hours earlier than event #3/);
    expect(chainVerdict(problems)).toBe('warnings');
    expect(
      verifyChain(events, KEYS, { signatures: false, clockToleranceMs: 4 * 3600_000 }),
    ).toEqual([]);
  });

  it('a chain that does not start with its opening action, or opens twice', () => {
    const events = makeChain(3);
    events[0] = resign({ ...(events[0] as CustodyEvent), action: 'view' }, alice);
    events[1] = resign(
      { ...(events[1] as CustodyEvent), prev: (events[0] as CustodyEvent).hash, action: 'create' },
      bob,
    );
    events[2] = resign(
      { ...(events[2] as CustodyEvent), prev: (events[1] as CustodyEvent).hash },
      alice,
    );
    const problems = verifyChain(events, KEYS, { signatures: true });
    expect(codes(problems)).toEqual(['genesis@1', 'genesis@2']);
    expect(problems[0]?.message).toMatch(/should begin with "create"/);
  });

  it('entries that are not events at all', () => {
    const events = [...BASE] as unknown[];
    events[3] = null;
    events[7] = { ...(BASE[7] as CustodyEvent), seq: 'eight' };
    events[9] = { ...(BASE[9] as CustodyEvent), details: { when: new Date(0) } };
    events[10] = { ...(BASE[10] as CustodyEvent), sig: 'short' };
    const problems = verifyChain(events as CustodyEvent[], KEYS, { signatures: true });
    expect(codes(problems)).toEqual([
      'malformed@-',
      'malformed@-',
      'hash_mismatch@-',
      'missing@4',
      'missing@8',
      'malformed@10',
      'bad_signature@11',
    ]);
    expect(problems[0]?.message).toMatch(/position 4 of the log is not a custody event/);
    expect(problems[1]?.message).toMatch(/at position 8 .* sequence number/);
    expect(problems.find((p) => p.seq === 10)?.message).toMatch(
      /Event #10 .*contents are not plain JSON .*details\.when/,
    );
    expect(problems.find((p) => p.seq === 11)?.message).toMatch(/has no valid signature/);
    // A malformed signature is the signature check's business.
    expect(
      verifyChain(events as CustodyEvent[], KEYS, { signatures: false }).map((p) => p.seq),
    ).not.toContain(11);
  });

  it('an action from a newer version: a warning, and the event is still checked', () => {
    const events = makeChain(3);
    const body = { ...(events[2] as CustodyEvent), action: 'geotag' } as unknown as CustodyEvent;
    events[2] = resign(body, alice);
    const problems = verifyChain(events, KEYS, { signatures: true });
    expect(codes(problems)).toEqual(['unknown_action@3']);
    expect(problems[0]?.severity).toBe('warning');
    events[2] = { ...(events[2] as CustodyEvent), reason: 'changed' };
    expect(codes(verifyChain(events, KEYS, { signatures: true }))).toEqual([
      'hash_mismatch@3',
      'unknown_action@3',
    ]);
  });

  it('shows times in East Africa Time', () => {
    expect(formatEat('2026-03-01T21:30:00.000Z')).toBe('2026-03-02 00:30:00 EAT');
  });
});
