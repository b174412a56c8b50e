// Messages between verifySignaturesParallel and its worker threads (signature-worker.ts).

/** workerData.role of a signature worker. */
export const SIGNATURE_WORKER_ROLE = 'kesi-custody-signatures';

/** A chunk of events to check: count hashes (32 bytes each), signatures (64 bytes each) and
 * the index of the public key of each (-1: do not check). */
export interface SignatureChunk {
  id: number;
  count: number;
  hashes: Uint8Array;
  sigs: Uint8Array;
  keyOf: Int32Array;
}

/** SIG_UNCHECKED (0), SIG_VALID (1) or SIG_INVALID (2) per event of the chunk. */
export interface SignatureChunkResult {
  id: number;
  status: Uint8Array;
}
