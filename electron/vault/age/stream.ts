// The age payload: STREAM over ChaCha20-Poly1305 in 64 KiB chunks. Chunk i is sealed with the
// 12-byte nonce i (11 bytes, big-endian) || last flag (1 on the final chunk only). The final
// chunk is empty only when the whole plaintext is.
//
// Speed: one AEAD call per chunk (one createCipheriv with the native implementation), no copy
// of input that is sealed at once, and only the bytes a call has to keep for later are copied
// (into a buffer owned here), so callers may reuse their buffers as soon as push() returns.

import { aead } from './aead';
import type { AeadKey } from './aead';
import { AgeError } from './errors';
import { TAG_SIZE, hkdf32 } from './primitives';

export const CHUNK_SIZE = 64 * 1024;
export const ENCRYPTED_CHUNK_SIZE = CHUNK_SIZE + TAG_SIZE;
export const PAYLOAD_NONCE_SIZE = 16;

/** 2^48 chunks of 64 KiB is far beyond any file; the counter is a safe JS integer. */
const MAX_CHUNKS = 2 ** 48;

/** The payload key, bound to the AEAD implementation in use now (see aead.ts). */
export function payloadKey(fileKey: Uint8Array, nonce: Uint8Array): AeadKey {
  const raw = hkdf32(fileKey, nonce, 'payload');
  try {
    return aead().key(raw);
  } finally {
    raw.fill(0);
  }
}

/** The plaintext size of a payload of `size` bytes (after the 16-byte nonce), if well formed. */
export function plaintextSize(size: number): number | null {
  if (size < TAG_SIZE) return null;
  const chunks = Math.max(1, Math.ceil(size / ENCRYPTED_CHUNK_SIZE));
  const last = size - (chunks - 1) * ENCRYPTED_CHUNK_SIZE;
  if (last < TAG_SIZE || (last === TAG_SIZE && chunks > 1)) return null;
  return size - chunks * TAG_SIZE;
}

/** The encrypted payload size (without the nonce) of `size` plaintext bytes. */
export function encryptedSize(size: number): number {
  return size + Math.max(1, Math.ceil(size / CHUNK_SIZE)) * TAG_SIZE;
}

class ChunkNonce {
  readonly bytes = Buffer.alloc(12);
  counter = 0;

  /** The nonce for the current chunk. AeadKey keeps no reference to it, so it is reused. */
  set(last: boolean): Buffer {
    if (this.counter >= MAX_CHUNKS) throw new AgeError('unsupported', 'The file is too large.');
    this.bytes.writeUIntBE(this.counter, 5, 6);
    this.bytes[11] = last ? 1 : 0;
    return this.bytes;
  }
}

export class StreamSealer {
  private readonly key: AeadKey;
  private readonly nonce = new ChunkNonce();
  private readonly tail = Buffer.allocUnsafe(CHUNK_SIZE);
  private tailLength = 0;
  private finished = false;

  constructor(key: AeadKey) {
    this.key = key;
  }

  /** Encrypts what can be encrypted now. A full chunk is held back until more input or
   *  final(), because only then is it known whether it is the last one. */
  push(plain: Uint8Array): Buffer[] {
    if (this.finished) throw new Error('StreamSealer: push after final');
    const out: Buffer[] = [];
    let input = Buffer.from(plain.buffer, plain.byteOffset, plain.byteLength);
    if (this.tailLength > 0 && input.length > 0) {
      const n = Math.min(CHUNK_SIZE - this.tailLength, input.length);
      input.copy(this.tail, this.tailLength, 0, n);
      this.tailLength += n;
      input = input.subarray(n);
      if (input.length === 0) return out;
      out.push(this.seal(this.tail, false));
      this.tailLength = 0;
    }
    while (input.length > CHUNK_SIZE) {
      out.push(this.seal(input.subarray(0, CHUNK_SIZE), false));
      input = input.subarray(CHUNK_SIZE);
    }
    input.copy(this.tail, this.tailLength);
    this.tailLength += input.length;
    return out;
  }

  /** The final chunk (16 bytes for an empty plaintext). */
  final(): Buffer[] {
    if (this.finished) throw new Error('StreamSealer: final twice');
    this.finished = true;
    const out = [this.seal(this.tail.subarray(0, this.tailLength), true)];
    this.tail.fill(0);
    return out;
  }

  private seal(chunk: Buffer, last: boolean): Buffer {
    const sealed = this.key.seal(chunk, this.nonce.set(last));
    this.nonce.counter++;
    return sealed;
  }
}

export class StreamOpener {
  private readonly key: AeadKey;
  private readonly nonce = new ChunkNonce();
  private readonly tail = Buffer.allocUnsafe(ENCRYPTED_CHUNK_SIZE);
  private tailLength = 0;
  /** The final chunk has been opened. */
  private done = false;
  private error: Error | null = null;

  constructor(key: AeadKey) {
    this.key = key;
  }

  /** Decrypts every whole chunk available. Only authenticated plaintext is returned. After an
   *  error, every later call throws it again. */
  push(cipher: Uint8Array): Buffer[] {
    return this.latch(() => this.pushChunks(cipher));
  }

  /** The rest of the plaintext; throws if the payload did not end with a valid final chunk. */
  final(): Buffer[] {
    return this.latch(() => this.finalChunk());
  }

  private latch(step: () => Buffer[]): Buffer[] {
    if (this.error) throw this.error;
    try {
      return step();
    } catch (e) {
      this.error = e as Error;
      throw e;
    }
  }

  private pushChunks(cipher: Uint8Array): Buffer[] {
    const out: Buffer[] = [];
    let input = Buffer.from(cipher.buffer, cipher.byteOffset, cipher.byteLength);
    if (input.length === 0) return out;
    if (this.done) throw trailingData();
    if (this.tailLength > 0) {
      const n = Math.min(ENCRYPTED_CHUNK_SIZE - this.tailLength, input.length);
      input.copy(this.tail, this.tailLength, 0, n);
      this.tailLength += n;
      input = input.subarray(n);
      if (this.tailLength < ENCRYPTED_CHUNK_SIZE) return out;
      out.push(this.openFull(this.tail));
      this.tailLength = 0;
    }
    while (input.length >= ENCRYPTED_CHUNK_SIZE && !this.done) {
      out.push(this.openFull(input.subarray(0, ENCRYPTED_CHUNK_SIZE)));
      input = input.subarray(ENCRYPTED_CHUNK_SIZE);
    }
    if (this.done && input.length > 0) throw trailingData();
    input.copy(this.tail, this.tailLength);
    this.tailLength += input.length;
    return out;
  }

  private finalChunk(): Buffer[] {
    if (this.done) return [];
    const n = this.tailLength;
    if (n === 0) {
      throw new AgeError('truncated', 'The file ends before its final chunk.');
    }
    if (n < TAG_SIZE) throw new AgeError('truncated', 'The file ends inside a chunk.');
    if (n === TAG_SIZE && this.nonce.counter > 0) {
      throw new AgeError('corrupt', 'The final chunk is empty.');
    }
    const plain = this.open(this.tail.subarray(0, n), true);
    if (plain === null) throw chunkFailed(this.nonce.counter);
    this.done = true;
    return [plain];
  }

  /** A full-size chunk is normally not the last, but may be: try both, as age does. */
  private openFull(chunk: Buffer): Buffer {
    let plain = this.open(chunk, false);
    if (plain === null) {
      plain = this.open(chunk, true);
      if (plain === null) throw chunkFailed(this.nonce.counter);
      this.done = true;
    }
    return plain;
  }

  private open(chunk: Buffer, last: boolean): Buffer | null {
    const plain = this.key.open(chunk, this.nonce.set(last));
    if (plain !== null) this.nonce.counter++;
    return plain;
  }
}

function trailingData(): AgeError {
  return new AgeError('corrupt', 'Data follows the final chunk.');
}

function chunkFailed(index: number): AgeError {
  return new AgeError('corrupt', `Chunk ${index} does not authenticate: damaged or cut short.`);
}
