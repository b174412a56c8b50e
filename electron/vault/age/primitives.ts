// The few primitives the header needs, all from node:crypto. The AEAD is in aead.ts.

import { createHmac, getCiphers, hkdfSync } from 'node:crypto';

export const AEAD = 'chacha20-poly1305';
export const TAG_SIZE = 16;
export const FILE_KEY_SIZE = 16;

let aeadAvailable: boolean | undefined;

/** Whether this runtime's crypto has ChaCha20-Poly1305. Node (OpenSSL) does; Electron's
 *  BoringSSL build does not expose it to createCipheriv, and the fallback in aead.ts is used. */
export function isChaCha20Poly1305Available(): boolean {
  aeadAvailable ??= getCiphers().includes(AEAD);
  return aeadAvailable;
}

export function hkdf32(ikm: Uint8Array, salt: Uint8Array, info: string): Buffer {
  return Buffer.from(hkdfSync('sha256', ikm, salt, info, 32));
}

export function hmacSha256(key: Uint8Array, data: Uint8Array): Buffer {
  return createHmac('sha256', key).update(data).digest();
}
