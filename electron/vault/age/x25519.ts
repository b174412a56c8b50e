// X25519 keys as raw 32-byte strings, and the X25519 recipient stanza.
// node:crypto only takes X25519 keys as KeyObjects, so raw keys are wrapped in fixed DER
// prefixes (RFC 8410): PKCS#8 for private keys, SubjectPublicKeyInfo for public keys.

import { createPrivateKey, createPublicKey, diffieHellman, generateKeyPairSync } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { openFileKey, sealFileKey } from './aead';
import { decodeBase64, encodeBase64 } from './base64';
import { AgeError } from './errors';
import type { Stanza } from './header';
import { FILE_KEY_SIZE, TAG_SIZE, hkdf32 } from './primitives';

const PKCS8_PREFIX = Buffer.from('302e020100300506032b656e04220420', 'hex');
const SPKI_PREFIX = Buffer.from('302a300506032b656e032100', 'hex');
const STANZA_INFO = 'age-encryption.org/v1/X25519';

export const X25519_STANZA = 'X25519';
export const X25519_KEY_SIZE = 32;

export function x25519PrivateKey(raw: Uint8Array): KeyObject {
  return createPrivateKey({
    key: Buffer.concat([PKCS8_PREFIX, raw]),
    format: 'der',
    type: 'pkcs8',
  });
}

export function x25519PublicKey(raw: Uint8Array): KeyObject {
  return createPublicKey({ key: Buffer.concat([SPKI_PREFIX, raw]), format: 'der', type: 'spki' });
}

export function rawPublicKey(key: KeyObject): Buffer {
  const der = key.export({ format: 'der', type: 'spki' });
  return der.subarray(der.length - X25519_KEY_SIZE);
}

export function rawPrivateKey(key: KeyObject): Buffer {
  const der = key.export({ format: 'der', type: 'pkcs8' });
  return der.subarray(der.length - X25519_KEY_SIZE);
}

export function generateX25519KeyPair(): { secret: Buffer; public: Buffer } {
  const { privateKey, publicKey } = generateKeyPairSync('x25519');
  return { secret: rawPrivateKey(privateKey), public: rawPublicKey(publicKey) };
}

export function publicFromSecret(secret: Uint8Array): Buffer {
  return rawPublicKey(createPublicKey(x25519PrivateKey(secret)));
}

/** The shared secret, or null for a low-order point (all-zero result), which the spec says to
 *  abort on. OpenSSL refuses such points itself; the zero check covers any other backend. */
function sharedSecret(privateKey: KeyObject, peer: Uint8Array): Buffer | null {
  let secret: Buffer;
  try {
    secret = diffieHellman({ privateKey, publicKey: x25519PublicKey(peer) });
  } catch {
    return null;
  }
  return secret.every((b) => b === 0) ? null : secret;
}

export function wrapX25519(fileKey: Buffer, recipient: Buffer): Stanza {
  const ephemeral = generateKeyPairSync('x25519');
  const share = rawPublicKey(ephemeral.publicKey);
  const secret = sharedSecret(ephemeral.privateKey, recipient);
  if (secret === null) throw new AgeError('unsupported', 'The X25519 recipient is not usable.');
  const key = hkdf32(secret, Buffer.concat([share, recipient]), STANZA_INFO);
  return { type: X25519_STANZA, args: [encodeBase64(share)], body: sealFileKey(key, fileKey) };
}

/** An identity bound to its key objects, so that each file costs one DH per stanza only. */
export interface X25519Unwrapper {
  privateKey: KeyObject;
  recipient: Buffer;
}

export function x25519Unwrapper(secret: Buffer): X25519Unwrapper {
  return { privateKey: x25519PrivateKey(secret), recipient: publicFromSecret(secret) };
}

/** The file key if the stanza is ours, null if not; throws on a malformed X25519 stanza. */
export function unwrapX25519(stanza: Stanza, id: X25519Unwrapper): Buffer | null {
  const share = stanza.args.length === 1 ? decodeBase64(stanza.args[0] as string) : null;
  if (share === null || share.length !== X25519_KEY_SIZE) {
    throw new AgeError('bad-header', 'Invalid X25519 stanza arguments.');
  }
  if (stanza.body.length !== FILE_KEY_SIZE + TAG_SIZE) {
    throw new AgeError('bad-header', 'Invalid X25519 stanza body.');
  }
  const secret = sharedSecret(id.privateKey, share);
  if (secret === null) throw new AgeError('bad-header', 'X25519 stanza with a low-order share.');
  const key = hkdf32(secret, Buffer.concat([share, id.recipient]), STANZA_INFO);
  return openFileKey(key, stanza.body);
}
