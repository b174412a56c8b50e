// Pure-JS ChaCha20-Poly1305, for runtimes whose node:crypto lacks it.
//
// Why this exists: Electron builds Node against BoringSSL instead of OpenSSL, and BoringSSL's
// createCipheriv has no 'chacha20-poly1305' ("Unknown cipher", electron/electron#24024). Without
// it the desktop app's main process could neither read nor write any vault blob or key slot,
// since every age file seals its file key and its payload with that cipher. Everything else age
// needs (X25519, HKDF, HMAC, scrypt, SHA-256, randomBytes) is in Electron's node:crypto.
//
// When the runtime has the cipher (plain Node: the CLI, the tests), the native implementation in
// aead.ts is used and this module is never loaded. When it does not, aead.ts loads this one,
// which uses @noble/ciphers (audited, no dependencies). The output is byte for byte the same as
// the native one: test/unit/age-aead.test.ts checks that, and the age tests run under both.
//
// @noble/ciphers is an ES module only; this file compiles to CommonJS, so it is loaded with a
// dynamic import(), which the compiler keeps as is under "module": "node16".

import type { Aead, AeadKey } from './aead';
import { TAG_SIZE } from './primitives';

const KEY_SIZE = 32;
const NONCE_SIZE = 12;

type ChaCha20Poly1305 = Awaited<ReturnType<typeof importNoble>>['chacha20poly1305'];

function importNoble() {
  return import('@noble/ciphers/chacha.js');
}

class FallbackKey implements AeadKey {
  private readonly cipher: ChaCha20Poly1305;
  /** A private copy: @noble/ciphers reads the key by reference. */
  private readonly key: Uint8Array;

  constructor(cipher: ChaCha20Poly1305, raw: Uint8Array) {
    if (raw.length !== KEY_SIZE) throw new RangeError('Invalid key length');
    this.cipher = cipher;
    this.key = Uint8Array.from(raw);
  }

  seal(plain: Uint8Array, nonce: Uint8Array): Buffer {
    checkNonce(nonce);
    const out = Buffer.allocUnsafe(plain.length + TAG_SIZE);
    this.cipher(this.key, nonce).encrypt(plain, out);
    return out;
  }

  open(sealed: Uint8Array, nonce: Uint8Array): Buffer | null {
    checkNonce(nonce);
    if (sealed.length < TAG_SIZE) return null;
    const out = Buffer.allocUnsafe(sealed.length - TAG_SIZE);
    try {
      // Checks the tag before it decrypts anything into `out`.
      this.cipher(this.key, nonce).decrypt(sealed, out);
    } catch {
      return null;
    }
    return out;
  }
}

function checkNonce(nonce: Uint8Array): void {
  if (nonce.length !== NONCE_SIZE) throw new RangeError('Invalid nonce length');
}

export async function loadChaChaFallback(): Promise<Aead> {
  const { chacha20poly1305 } = await importNoble();
  return {
    name: 'fallback',
    key: (raw) => new FallbackKey(chacha20poly1305, raw),
  };
}
