// ChaCha20-Poly1305 (RFC 8439, no associated data), the one AEAD age uses: for stanza bodies
// (zero nonce, one-time key) and for payload chunks (STREAM nonces, one key per file).
//
// Two implementations behind one interface: node:crypto when the runtime has the cipher (Node,
// on OpenSSL), and a pure-JS fallback (chacha-fallback.ts) when it does not (Electron, on
// BoringSSL). Both give the same bytes; only speed differs.
//
// The fallback is an ES module, loaded on first use by loadAead(), which every asynchronous
// entry point of the age layer awaits before doing anything. Synchronous code below those entry
// points then calls aead().

import { createCipheriv, createDecipheriv, createSecretKey } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { loadChaChaFallback } from './chacha-fallback';
import { AgeError } from './errors';
import { AEAD, TAG_SIZE, isChaCha20Poly1305Available } from './primitives';

/** ChaCha20-Poly1305 under one key. Each call seals or opens one message with its own nonce. */
export interface AeadKey {
  /** ciphertext || 16-byte tag, in a new buffer. Keeps no reference to `plain` or `nonce`. */
  seal(plain: Uint8Array, nonce: Uint8Array): Buffer;
  /** The plaintext in a new buffer, or null when `sealed` (ciphertext || tag) does not
   *  authenticate under this key and `nonce`. Keeps no reference to its arguments. */
  open(sealed: Uint8Array, nonce: Uint8Array): Buffer | null;
}

export type AeadImplementation = 'native' | 'fallback';

export interface Aead {
  readonly name: AeadImplementation;
  /** A key of 32 bytes. The bytes are copied: the caller may wipe or reuse `raw` on return. */
  key(raw: Uint8Array): AeadKey;
}

class NativeKey implements AeadKey {
  private readonly key: KeyObject;

  constructor(raw: Uint8Array) {
    this.key = createSecretKey(raw);
  }

  seal(plain: Uint8Array, nonce: Uint8Array): Buffer {
    const c = createCipheriv(AEAD, this.key, nonce, { authTagLength: TAG_SIZE });
    const ct = c.update(plain);
    c.final();
    return Buffer.concat([ct, c.getAuthTag()], plain.length + TAG_SIZE);
  }

  open(sealed: Uint8Array, nonce: Uint8Array): Buffer | null {
    if (sealed.length < TAG_SIZE) return null;
    const split = sealed.length - TAG_SIZE;
    const d = createDecipheriv(AEAD, this.key, nonce, { authTagLength: TAG_SIZE });
    d.setAuthTag(sealed.subarray(split));
    const plain = d.update(sealed.subarray(0, split));
    try {
      d.final();
    } catch {
      return null;
    }
    return plain;
  }
}

const NATIVE: Aead = {
  name: 'native',
  key: (raw) => new NativeKey(raw),
};

let choice: AeadImplementation | 'auto' = 'auto';
let fallback: Aead | undefined;
let fallbackLoading: Promise<Aead> | undefined;

function wanted(): AeadImplementation {
  if (choice !== 'auto') return choice;
  return isChaCha20Poly1305Available() ? 'native' : 'fallback';
}

function native(): Aead {
  if (!isChaCha20Poly1305Available()) {
    throw new AgeError('unsupported', 'This runtime has no ChaCha20-Poly1305 in node:crypto.');
  }
  return NATIVE;
}

function loadFallback(): Promise<Aead> {
  fallbackLoading ??= loadChaChaFallback().then(
    (loaded) => (fallback = loaded),
    (e: unknown) => {
      // Let a later call try again rather than remember the failure.
      fallbackLoading = undefined;
      const why = e instanceof Error ? e.message : String(e);
      throw new AgeError('unsupported', `The ChaCha20-Poly1305 fallback did not load: ${why}`);
    },
  );
  return fallbackLoading;
}

/** The implementation in use, loading the fallback the first time it is needed. */
export async function loadAead(): Promise<Aead> {
  if (wanted() === 'native') return native();
  return fallback ?? (await loadFallback());
}

/** The implementation in use, for synchronous code that runs after loadAead() has resolved. */
export function aead(): Aead {
  if (wanted() === 'native') return native();
  if (fallback) return fallback;
  throw new Error('The ChaCha20-Poly1305 fallback is used before loadAead() has loaded it.');
}

/**
 * For tests only: forces an implementation ('native' or 'fallback'), or goes back to choosing
 * by what the runtime has ('auto', the default). Takes effect at once for files opened or
 * created afterwards; files already open keep theirs. The promise resolves when the chosen
 * implementation is ready, so that synchronous helpers can be called right after it, and rejects
 * ('unsupported') when 'native' is forced on a runtime without it. The app never calls this.
 */
export async function setAeadImplementation(
  implementation: AeadImplementation | 'auto',
): Promise<void> {
  if (!['native', 'fallback', 'auto'].includes(implementation)) {
    throw new TypeError(`Unknown AEAD implementation: ${String(implementation)}`);
  }
  choice = implementation;
  await loadAead();
}

/** Which implementation files opened or created now would use. */
export function currentAeadImplementation(): AeadImplementation {
  return wanted();
}

const ZERO_NONCE = Buffer.alloc(12);

/** Wraps a file key under a one-time key (zero nonce, as the stanzas use it). */
export function sealFileKey(key: Uint8Array, fileKey: Uint8Array): Buffer {
  return aead().key(key).seal(fileKey, ZERO_NONCE);
}

/** The file key, or null when the body does not authenticate under `key`. */
export function openFileKey(key: Uint8Array, body: Buffer): Buffer | null {
  return aead().key(key).open(body, ZERO_NONCE);
}
