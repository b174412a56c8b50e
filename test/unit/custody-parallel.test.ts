import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  caseChainId,
  hashEventBody,
  nextEvent,
  type CustodyEvent,
} from '../../electron/custody/event';
import { generateSigningKey } from '../../electron/custody/keys';
import {
  SIG_INVALID,
  SIG_UNCHECKED,
  SIG_VALID,
  verifyChain,
  type ChainKey,
} from '../../electron/custody/verify-chain';
import {
  signatureWorkerFile,
  verifyChainParallel,
  verifySignaturesParallel,
} from '../../electron/custody/verify-parallel';
import { KesiError } from '../../shared/errors';

// `npm test` builds first, so the compiled worker is there; a bare `vitest run` may not have it.
const DIST_WORKER = join(
  __dirname,
  '..',
  '..',
  'dist',
  'electron',
  'custody',
  'signature-worker.js',
);

const alice = { user: 'wanjiku', ...generateSigningKey() };
const bob = { user: 'otieno', ...generateSigningKey() };
const KEYS = new Map<string, ChainKey>([
  [alice.keyId, { publicKey: alice.publicKeyRaw.toString('base64'), user: alice.user }],
  [bob.keyId, { publicKey: bob.publicKey, user: bob.user }],
]);

function makeChain(n: number): CustodyEvent[] {
  const chain = caseChainId('p-1');
  const events: CustodyEvent[] = [];
  for (let i = 0; i < n; i++) {
    const u = i % 3 === 0 ? alice : bob;
    events.push(
      nextEvent(
        chain,
        events[i - 1] ?? null,
        {
          action: i === 0 ? 'create' : 'view',
          itemUid: i === 0 ? null : `item-${i % 7}`,
          actor: { user: u.user, keyId: u.keyId },
          at: new Date(Date.UTC(2026, 2, 1) + i * 1000).toISOString(),
          details: { i },
          app: 'kesi/0.1.0',
        },
        u.privateKey,
      ),
    );
  }
  return events;
}

const EVENTS = makeChain(3000);

/** Some damage: an edit, an edit re-hashed, an unknown key, a bad signature string. */
function damaged(): CustodyEvent[] {
  const events = [...EVENTS];
  events[10] = { ...(events[10] as CustodyEvent), reason: 'edited' };
  const rehashed = { ...(events[2000] as CustodyEvent), place: 'moved' };
  events[2000] = { ...rehashed, hash: hashEventBody(rehashed) };
  const stranger = generateSigningKey();
  events[2500] = { ...(events[2500] as CustodyEvent), actor: { user: 'x', keyId: stranger.keyId } };
  const sig = Buffer.from((events[2999] as CustodyEvent).sig, 'base64');
  sig[0] = (sig[0] as number) ^ 1;
  events[2999] = { ...(events[2999] as CustodyEvent), sig: sig.toString('base64') };
  return events;
}

describe('verifySignaturesParallel', () => {
  it('finds no compiled worker beside the TypeScript sources, and checks in this thread', async () => {
    expect(signatureWorkerFile()).toBeNull();
    const status = await verifySignaturesParallel(EVENTS, KEYS);
    expect(status.every((s) => s === SIG_VALID)).toBe(true);
  });

  it('reports each signature as valid, invalid or unchecked', async () => {
    const events = damaged();
    const status = await verifySignaturesParallel(events, KEYS, { workerFile: null });
    expect(status[10]).toBe(SIG_VALID); // the signature covers the recorded hash
    expect(status[2000]).toBe(SIG_INVALID);
    expect(status[2500]).toBe(SIG_UNCHECKED);
    expect(status[2999]).toBe(SIG_INVALID);
    expect(status.filter((s) => s !== SIG_VALID)).toHaveLength(3);
  });

  it('gives the same problems as verifyChain, and reports progress', async () => {
    const events = damaged();
    const seen: number[] = [];
    const parallel = await verifyChainParallel(events, KEYS, {
      signatures: true,
      chunkSize: 500,
      onProgress: (done, total) => {
        expect(total).toBe(events.length);
        seen.push(done);
      },
    });
    expect(parallel).toEqual(verifyChain(events, KEYS, { signatures: true }));
    expect(parallel.map((p) => `${p.code}@${p.seq}`)).toEqual([
      'hash_mismatch@11',
      'bad_signature@2001',
      'broken_link@2002',
      'hash_mismatch@2501',
      'unknown_key@2501',
      'bad_signature@3000',
    ]);
    expect(seen.at(-1)).toBe(events.length);
    expect(await verifyChainParallel(events, KEYS, { signatures: false })).toEqual(
      verifyChain(events, KEYS, { signatures: false }),
    );
  });

  it('can be cancelled', async () => {
    const controller = new AbortController();
    const pending = verifySignaturesParallel(EVENTS, KEYS, {
      workerFile: null,
      chunkSize: 100,
      signal: controller.signal,
      onProgress: (done) => {
        if (done >= 500) controller.abort();
      },
    });
    await expect(pending).rejects.toBeInstanceOf(KesiError);
    await expect(pending).rejects.toMatchObject({ code: 'CANCELLED' });
  });

  it('falls back to this thread when a worker cannot start', async () => {
    const status = await verifySignaturesParallel(EVENTS, KEYS, {
      workerFile: join(__dirname, 'no-such-worker.js'),
      minForWorkers: 0,
    });
    expect(status.every((s) => s === SIG_VALID)).toBe(true);
  });

  it.skipIf(!existsSync(DIST_WORKER))('uses the compiled worker threads from dist/', async () => {
    const events = damaged();
    const status = await verifySignaturesParallel(events, KEYS, {
      workerFile: DIST_WORKER,
      workers: 2,
      chunkSize: 256,
      minForWorkers: 0,
    });
    const inThread = await verifySignaturesParallel(events, KEYS, { workerFile: null });
    expect(Array.from(status)).toEqual(Array.from(inThread));
    const problems = await verifyChainParallel(events, KEYS, {
      signatures: true,
      workerFile: DIST_WORKER,
      minForWorkers: 0,
    });
    expect(problems).toEqual(verifyChain(events, KEYS, { signatures: true }));
  });
});
