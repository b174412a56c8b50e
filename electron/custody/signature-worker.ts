// Worker thread for verifySignaturesParallel: checks Ed25519 signatures over event hashes.
// Loaded from the compiled file next to verify-parallel.js (dist/electron/custody/).
//
// workerData: { role, keys: Uint8Array[] }  raw 32-byte public keys, indexed
// in:  { id, count, hashes: Uint8Array (count*32), sigs: Uint8Array (count*64), keyOf: Int32Array }
// out: { id, status: Uint8Array }      SIG_UNCHECKED / SIG_VALID / SIG_INVALID per event

import { verify, type KeyObject } from 'node:crypto';
import { parentPort, workerData } from 'node:worker_threads';
import { publicKeyFromRaw } from './keys';
import {
  SIGNATURE_WORKER_ROLE,
  type SignatureChunk,
  type SignatureChunkResult,
} from './signature-worker-protocol';

const VALID = 1;
const INVALID = 2;

const data = workerData as { role?: unknown; keys?: Uint8Array[] } | null;
// Only as the signature worker: never when imported by accident into another thread.
if (parentPort !== null && data?.role === SIGNATURE_WORKER_ROLE && Array.isArray(data.keys)) {
  const port = parentPort;
  const raw = data.keys;
  const keys: (KeyObject | null)[] = raw.map((k) => (k.length === 32 ? publicKeyFromRaw(k) : null));
  port.on('message', (chunk: SignatureChunk) => {
    const status = new Uint8Array(chunk.count);
    const hashes = Buffer.from(chunk.hashes.buffer, chunk.hashes.byteOffset, chunk.hashes.length);
    const sigs = Buffer.from(chunk.sigs.buffer, chunk.sigs.byteOffset, chunk.sigs.length);
    for (let i = 0; i < chunk.count; i++) {
      const ki = chunk.keyOf[i] as number;
      if (ki < 0) continue;
      const key = keys[ki];
      if (key === undefined || key === null) continue;
      let ok = false;
      try {
        ok = verify(
          null,
          hashes.subarray(i * 32, i * 32 + 32),
          key,
          sigs.subarray(i * 64, i * 64 + 64),
        );
      } catch {
        ok = false;
      }
      status[i] = ok ? VALID : INVALID;
    }
    const result: SignatureChunkResult = { id: chunk.id, status };
    port.postMessage(result, [status.buffer]);
  });
}
