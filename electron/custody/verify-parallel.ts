// Signature checks spread over worker threads. An Ed25519 verification costs tens of
// microseconds, so for a large log the signatures dominate; the structural checks stay in the
// calling thread (they are two orders of magnitude cheaper).
//
// The workers run the compiled signature-worker.js that sits next to this file in
// dist/electron/custody/. When that file is absent (running from TypeScript sources, as under
// vitest) or a worker fails, the same checks run in the calling thread instead, in chunks
// between which the event loop gets a turn. Pass `workerFile` to point at a compiled worker
// explicitly. In a packaged app the worker must be outside the asar archive (asarUnpack).

import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { KesiError } from '../../shared/errors';
import type { CustodyEvent } from './event';
import {
  SIGNATURE_WORKER_ROLE,
  type SignatureChunk,
  type SignatureChunkResult,
} from './signature-worker-protocol';
import {
  checkSignaturesInThread,
  internals,
  planSignatureChecks,
  signatureProblems,
  sortProblems,
  type ChainKeys,
  type ChainProblem,
  type SignaturePlan,
  type VerifyChainOptions,
} from './verify-chain';

export interface ParallelOptions {
  /** Worker threads to use; default os.availableParallelism(). */
  workers?: number;
  /** Cancels the work; the promise then rejects with KesiError CANCELLED. */
  signal?: AbortSignal;
  /** Called after each chunk with the number of events done so far. */
  onProgress?: (done: number, total: number) => void;
  /** The compiled worker; default signature-worker.js beside this file; null: no workers. */
  workerFile?: string | null;
  /** Events per chunk handed to a worker; default 2048. */
  chunkSize?: number;
  /** Fewer events than this are checked in the calling thread; default 2048. */
  minForWorkers?: number;
}

/** The compiled worker beside this module, or null when running from sources. */
export function signatureWorkerFile(): string | null {
  const dir = typeof __dirname === 'string' ? __dirname : null;
  if (dir === null) return null;
  const file = join(dir, 'signature-worker.js');
  return existsSync(file) ? file : null;
}

function cancelled(): KesiError {
  return new KesiError('CANCELLED');
}

const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

async function checkInThread(
  events: readonly unknown[],
  plan: SignaturePlan,
  status: Uint8Array,
  chunks: number[],
  chunkSize: number,
  opts: ParallelOptions,
  progress: (count: number) => void,
): Promise<void> {
  for (const id of chunks) {
    if (opts.signal?.aborted) throw cancelled();
    const from = id * chunkSize;
    const to = Math.min(events.length, from + chunkSize);
    checkSignaturesInThread(events, plan, status, from, to);
    progress(to - from);
    await nextTurn();
  }
}

function pack(
  events: readonly unknown[],
  plan: SignaturePlan,
  id: number,
  chunkSize: number,
): { chunk: SignatureChunk; transfer: ArrayBuffer[] } {
  const from = id * chunkSize;
  const count = Math.min(events.length, from + chunkSize) - from;
  const hashes = new Uint8Array(count * 32);
  const sigs = new Uint8Array(count * 64);
  const keyOf = new Int32Array(count);
  const hb = Buffer.from(hashes.buffer);
  const sb = Buffer.from(sigs.buffer);
  for (let j = 0; j < count; j++) {
    const ki = plan.keyOf[from + j] as number;
    keyOf[j] = ki;
    if (ki < 0) continue;
    const ev = events[from + j] as CustodyEvent;
    hb.write(ev.hash, j * 32, 32, 'hex');
    sb.write(ev.sig, j * 64, 64, 'base64');
  }
  return {
    chunk: { id, count, hashes, sigs, keyOf },
    transfer: [hashes.buffer, sigs.buffer, keyOf.buffer],
  };
}

/** Runs the signature checks of `plan`; resolves to SIG_* per event. */
export function runSignatureChecks(
  events: readonly unknown[],
  plan: SignaturePlan,
  opts: ParallelOptions = {},
): Promise<Uint8Array> {
  const n = events.length;
  const status = new Uint8Array(n);
  const chunkSize = Math.max(1, opts.chunkSize ?? 2048);
  const chunkCount = Math.ceil(n / chunkSize);
  const allChunks = Array.from({ length: chunkCount }, (_, i) => i);
  let done = 0;
  const progress = (count: number): void => {
    done += count;
    opts.onProgress?.(done, n);
  };
  if (opts.signal?.aborted) return Promise.reject(cancelled());

  const file = opts.workerFile === undefined ? signatureWorkerFile() : opts.workerFile;
  const workerCount = Math.min(Math.max(1, opts.workers ?? availableParallelism()), chunkCount);
  if (file === null || n < (opts.minForWorkers ?? 2048) || workerCount < 1) {
    return checkInThread(events, plan, status, allChunks, chunkSize, opts, progress).then(
      () => status,
    );
  }

  return new Promise<Uint8Array>((resolve, reject) => {
    const keys = plan.keys.map((k) => (k.raw ? new Uint8Array(k.raw) : new Uint8Array(0)));
    const queue = [...allChunks];
    let remaining = chunkCount;
    let settled = false;
    interface Slot {
      worker: Worker;
      inFlight: Set<number>;
      alive: boolean;
    }
    const slots: Slot[] = [];

    const stopAll = (): void => {
      for (const s of slots) {
        s.alive = false;
        void s.worker.terminate();
      }
    };
    const finish = (error: unknown): void => {
      if (settled) return;
      settled = true;
      opts.signal?.removeEventListener('abort', onAbort);
      stopAll();
      if (error === null) resolve(status);
      else reject(error);
    };
    const onAbort = (): void => finish(cancelled());
    opts.signal?.addEventListener('abort', onAbort, { once: true });

    const feed = (s: Slot): void => {
      const id = queue.shift();
      if (id === undefined) return;
      s.inFlight.add(id);
      const { chunk, transfer } = pack(events, plan, id, chunkSize);
      s.worker.postMessage(chunk, transfer);
    };
    const fail = (s: Slot): void => {
      if (!s.alive || settled) return;
      s.alive = false;
      void s.worker.terminate();
      queue.unshift(...s.inFlight);
      s.inFlight.clear();
      if (slots.some((o) => o.alive)) {
        for (const o of slots) if (o.alive && o.inFlight.size < 2) feed(o);
        return;
      }
      // No worker left: finish here.
      const rest = queue.splice(0);
      checkInThread(events, plan, status, rest, chunkSize, opts, progress).then(
        () => finish(null),
        (e: unknown) => finish(e),
      );
    };

    for (let w = 0; w < workerCount; w++) {
      let worker: Worker;
      try {
        worker = new Worker(file, { workerData: { role: SIGNATURE_WORKER_ROLE, keys } });
      } catch {
        continue;
      }
      const slot: Slot = { worker, inFlight: new Set(), alive: true };
      slots.push(slot);
      worker.on('message', (r: SignatureChunkResult) => {
        if (settled || !slot.inFlight.delete(r.id)) return;
        status.set(r.status, r.id * chunkSize);
        remaining--;
        progress(r.status.length);
        if (remaining === 0) finish(null);
        else feed(slot);
      });
      worker.on('error', () => fail(slot));
      worker.on('exit', () => fail(slot));
      // Two chunks each, so a worker never waits for a busy calling thread.
      feed(slot);
      feed(slot);
    }
    if (slots.length === 0) {
      checkInThread(events, plan, status, queue.splice(0), chunkSize, opts, progress).then(
        () => finish(null),
        (e: unknown) => finish(e),
      );
    }
  });
}

/**
 * Checks the signature of every event on worker threads. Resolves to SIG_UNCHECKED (0: the
 * signature or key is unusable, see verifyChain for why), SIG_VALID (1) or SIG_INVALID (2)
 * per event.
 */
export function verifySignaturesParallel(
  events: readonly CustodyEvent[],
  keys: ChainKeys,
  opts: ParallelOptions = {},
): Promise<Uint8Array> {
  const plan = planSignatureChecks(
    events,
    keys,
    internals.expectedChain(events, { signatures: true }),
  );
  return runSignatureChecks(events, plan, opts);
}

/**
 * verifyChain, with the signatures checked on worker threads while the structure is checked
 * here. Same problems, same order.
 */
export async function verifyChainParallel(
  events: readonly CustodyEvent[],
  keys: ChainKeys,
  opts: VerifyChainOptions & ParallelOptions,
): Promise<ChainProblem[]> {
  const chain = internals.expectedChain(events, opts);
  const out: ChainProblem[] = [];
  if (!opts.signatures) {
    internals.checkStructure(events, chain, opts, out);
    return sortProblems(out);
  }
  const plan = planSignatureChecks(events, keys, chain);
  const pending = runSignatureChecks(events, plan, opts);
  internals.checkStructure(events, chain, opts, out);
  const status = await pending;
  out.push(...plan.problems, ...signatureProblems(events, plan, status, chain));
  return sortProblems(out);
}
