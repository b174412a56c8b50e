// Custody log benchmark: verifying 100,000 signed events, chain only and with signatures,
// against the goals in docs/CUSTODY.md, with `openssl speed ed25519` measured in the same run
// as the yardstick for this machine.
//
//   npx tsc -p tsconfig.build.json && node bench/custody.mjs [--events N] [--json]
//
// Runs the compiled code in dist/ (KESI_DIST overrides the folder), as the app does.

import { execFile } from 'node:child_process';
import { createHash, verify } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism, cpus } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const here = dirname(fileURLToPath(import.meta.url));
const dist = resolve(process.env.KESI_DIST ?? join(here, '..', 'dist'));
const entry = join(dist, 'electron', 'custody', 'index.js');
if (!existsSync(entry)) {
  console.error(`${entry} is missing: build first with  npx tsc -p tsconfig.build.json`);
  process.exit(2);
}
const require = createRequire(import.meta.url);
const custody = require(entry);

const args = process.argv.slice(2);
const argValue = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 && args[i + 1] !== undefined ? Number(args[i + 1]) : fallback;
};
const N = argValue('--events', 100_000);
const jsonOnly = args.includes('--json');
const log = (...a) => {
  if (!jsonOnly) console.log(...a);
};

const GOALS = { chainOnlyEventsPerSec: 200_000, withSignaturesEventsPerSec: 10_000 };

function seconds(t0) {
  return Number(process.hrtime.bigint() - t0) / 1e9;
}

function best(runs, fn) {
  let min = Infinity;
  let result;
  for (let r = 0; r < runs; r++) {
    const t0 = process.hrtime.bigint();
    result = fn();
    min = Math.min(min, seconds(t0));
  }
  return { s: min, result };
}

async function bestAsync(runs, fn) {
  let min = Infinity;
  let result;
  for (let r = 0; r < runs; r++) {
    const t0 = process.hrtime.bigint();
    result = await fn();
    min = Math.min(min, seconds(t0));
  }
  return { s: min, result };
}

// --- A realistic case chain: three users, mostly views and intakes with file details.
function makeChain(n) {
  const users = ['wanjiku', 'otieno', 'achieng.m'].map((user) => ({
    user,
    ...custody.generateSigningKey(),
  }));
  const keys = new Map(
    users.map((u) => [u.keyId, { publicKey: u.publicKeyRaw, user: u.user, validFrom: null }]),
  );
  const chain = custody.caseChainId('0b6f3c2e-8d1a-4f57-9a51-3c7e2d9f0a41');
  const actions = ['view', 'view', 'intake', 'edit', 'view', 'export', 'transfer', 'verify'];
  const t0 = Date.parse('2026-01-05T06:00:00.000Z');
  const events = [];
  let prev = null;
  for (let i = 0; i < n; i++) {
    const u = users[i % users.length];
    const action = i === 0 ? 'create' : actions[i % actions.length];
    const details =
      action === 'create'
        ? { ref: 'IMLU-2026-014', title: 'Death in custody, Kilimani police station' }
        : action === 'intake'
          ? {
              kind: 'photo',
              originalName: `IMG_${20260105 + i}.jpg`,
              mediaType: 'image/jpeg',
              size: 2_400_000 + i,
              sha256: createHash('sha256').update(String(i)).digest('hex'),
            }
          : action === 'transfer'
            ? { from: 'IMLU office, Nairobi', to: 'Government Chemist', sealNumber: `S-${i}` }
            : { note: 'routine' };
    const ev = custody.nextEvent(
      chain,
      prev,
      {
        action,
        itemUid: action === 'create' ? null : `item-${i % 500}`,
        actor: { user: u.user, keyId: u.keyId },
        at: new Date(t0 + i * 1000).toISOString(),
        place: 'IMLU office, Nairobi',
        reason: action === 'view' ? 'Preparing the court bundle' : null,
        details,
        app: 'kesi/0.1.0',
      },
      u.privateKey,
    );
    events.push(ev);
    prev = ev;
  }
  return { events, keys };
}

async function opensslSpeed() {
  try {
    const { stdout } = await promisify(execFile)('openssl', ['speed', '-seconds', '3', 'ed25519'], {
      timeout: 60_000,
    });
    // " 253 bits EdDSA (Ed25519)   0.0000s   0.0001s  35289.0  13155.0"
    const m = /Ed25519\)\s+([\d.]+)s\s+([\d.]+)s\s+([\d.]+)\s+([\d.]+)/.exec(stdout);
    if (!m) return { error: 'could not read the output of openssl speed' };
    return { signPerSec: Number(m[3]), verifyPerSec: Number(m[4]) };
  } catch (e) {
    return { error: String(e.message ?? e) };
  }
}

function nodeVerifyRate(events, keys, count) {
  const key = custody.publicKeyFromRaw(keys.get(events[0].actor.keyId).publicKey);
  const sample = events.filter((e) => e.actor.keyId === events[0].actor.keyId).slice(0, count);
  const msgs = sample.map((e) => Buffer.from(e.hash, 'hex'));
  const sigs = sample.map((e) => Buffer.from(e.sig, 'base64'));
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < msgs.length; i++) {
    if (!verify(null, msgs[i], key, sigs[i])) throw new Error('signature did not verify');
  }
  return msgs.length / seconds(t0);
}

const rate = (n, s) => Math.round(n / s);
const fmt = (x) => (typeof x === 'number' ? Math.round(x).toLocaleString('en-US') : String(x));

async function main() {
  log(`Custody log benchmark: ${N.toLocaleString('en-US')} events, ${availableParallelism()} cores (${cpus()[0]?.model ?? 'unknown CPU'}), Node ${process.version}`);
  const opensslPending = opensslSpeed(); // runs in its own process; measured before our work
  const openssl = await opensslPending;

  let t0 = process.hrtime.bigint();
  const { events, keys } = makeChain(N);
  const makeS = seconds(t0);
  log(`  made and signed the chain in ${makeS.toFixed(1)} s`);

  // Sanity: the chain is intact.
  const check = custody.verifyChain(events, keys, { signatures: false });
  if (check.length > 0) throw new Error(`unexpected problems: ${check[0].message}`);

  const hashOnly = best(3, () => {
    for (const e of events) custody.hashEventBody(e);
  });
  const chainOnly = best(5, () => custody.verifyChain(events, keys, { signatures: false }));
  const workerFile = custody.signatureWorkerFile();
  const parallel = await bestAsync(2, () =>
    custody.verifyChainParallel(events, keys, { signatures: true }),
  );
  if (parallel.result.length > 0) throw new Error(`unexpected: ${parallel.result[0].message}`);
  const sigOnly = await bestAsync(2, () => custody.verifySignaturesParallel(events, keys));
  const inThreadN = Math.min(N, 20_000);
  const inThread = best(1, () =>
    custody.verifyChain(events.slice(0, inThreadN), keys, { signatures: true }),
  );
  const nodeVerify = nodeVerifyRate(events, keys, 10_000);

  const leaves = custody.eventLeaves(events);
  const merkleRoot = best(3, () => custody.rootOf(leaves));
  t0 = process.hrtime.bigint();
  const tree = new custody.MerkleTree(leaves);
  const treeBuildS = seconds(t0);
  t0 = process.hrtime.bigint();
  const root = tree.root();
  let proofs = 0;
  for (let i = 0; i < N; i += Math.max(1, Math.floor(N / 1000))) {
    const p = tree.inclusionProof(i);
    if (!custody.verifyInclusion(tree.leafHash(i), i, N, p, root)) throw new Error('proof failed');
    proofs++;
  }
  const proofS = seconds(t0);

  const results = {
    events: N,
    cores: availableParallelism(),
    node: process.version,
    workers: workerFile === null ? 'none (worker file not found)' : availableParallelism(),
    chainOnlyEventsPerSec: rate(N, chainOnly.s),
    withSignaturesEventsPerSec: rate(N, parallel.s),
    signaturesOnlyParallelPerSec: rate(N, sigOnly.s),
    withSignaturesInThreadEventsPerSec: rate(inThreadN, inThread.s),
    hashEventBodyPerSec: rate(N, hashOnly.s),
    nodeVerifyPerSecOneCore: Math.round(nodeVerify),
    opensslVerifyPerSecOneCore: openssl.verifyPerSec ?? null,
    opensslSignPerSecOneCore: openssl.signPerSec ?? null,
    opensslError: openssl.error ?? null,
    ratios: {
      parallelVsOpensslOneCore: openssl.verifyPerSec ? +(rate(N, parallel.s) / openssl.verifyPerSec).toFixed(2) : null,
      inThreadVsOpensslOneCore: openssl.verifyPerSec ? +(rate(inThreadN, inThread.s) / openssl.verifyPerSec).toFixed(2) : null,
      nodeVerifyVsOpenssl: openssl.verifyPerSec ? +(nodeVerify / openssl.verifyPerSec).toFixed(2) : null,
    },
    merkle: {
      rootOfMs: +(merkleRoot.s * 1000).toFixed(1),
      treeBuildMs: +(treeBuildS * 1000).toFixed(1),
      inclusionProofsPerSec: rate(proofs, proofS),
    },
    goals: {
      chainOnly: { goal: GOALS.chainOnlyEventsPerSec, met: rate(N, chainOnly.s) >= GOALS.chainOnlyEventsPerSec },
      withSignatures: {
        goal: GOALS.withSignaturesEventsPerSec,
        met: rate(N, parallel.s) >= GOALS.withSignaturesEventsPerSec,
      },
    },
    makeAndSignSeconds: +makeS.toFixed(2),
  };

  const rows = [
    ['verifyChain, chain only (hash + links)', results.chainOnlyEventsPerSec, GOALS.chainOnlyEventsPerSec],
    ['verifyChainParallel, with signatures', results.withSignaturesEventsPerSec, GOALS.withSignaturesEventsPerSec],
    ['verifySignaturesParallel (signatures only)', results.signaturesOnlyParallelPerSec, ''],
    [`verifyChain with signatures, one thread (${inThreadN})`, results.withSignaturesInThreadEventsPerSec, ''],
    ['hashEventBody (JCS + SHA-256)', results.hashEventBodyPerSec, ''],
    ['node crypto.verify Ed25519, one core', results.nodeVerifyPerSecOneCore, ''],
    ['openssl speed ed25519 verify, one core', results.opensslVerifyPerSecOneCore ?? openssl.error, ''],
    ['Merkle inclusion proof + verify (tree of N)', results.merkle.inclusionProofsPerSec, ''],
  ];
  log('');
  log(`${'measure'.padEnd(48)} ${'per second'.padStart(12)} ${'goal'.padStart(10)}`);
  log('-'.repeat(72));
  for (const [name, v, goal] of rows) {
    const ok = goal === '' ? '' : v >= goal ? '  met' : '  NOT MET';
    log(`${name.padEnd(48)} ${fmt(v).padStart(12)} ${fmt(goal).padStart(10)}${ok}`);
  }
  log('-'.repeat(72));
  log(`Merkle root of ${fmt(N)} leaves: ${results.merkle.rootOfMs} ms; full tree: ${results.merkle.treeBuildMs} ms`);
  if (openssl.verifyPerSec) {
    log(`with signatures / openssl one core: ${results.ratios.parallelVsOpensslOneCore}x; one thread / openssl: ${results.ratios.inThreadVsOpensslOneCore}x; node verify / openssl: ${results.ratios.nodeVerifyVsOpenssl}x`);
  }
  log('');
  console.log(JSON.stringify(results, null, jsonOnly ? 2 : undefined));
  if (!results.goals.chainOnly.met || !results.goals.withSignatures.met) process.exitCode = 1;
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
