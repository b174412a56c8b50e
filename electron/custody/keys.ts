// Ed25519 signing keys for the custody log, with node:crypto only.
//
// A user's public key travels as its 32 raw bytes (RFC 8032 encoding; base64 in vault.json).
// Its key id is the lower-case hex of the first 16 bytes of SHA-256(raw public key): 32 hex
// digits, short enough to print, long enough that no two keys share one by accident.
// Private keys are stored as PKCS#8 DER (what `openssl pkey -inform DER` reads), or as the
// 32-byte RFC 8032 seed.

import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
} from 'node:crypto';

/** DER prefix of an Ed25519 SubjectPublicKeyInfo (RFC 8410); the raw key follows. */
const SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');
/** DER prefix of an Ed25519 PKCS#8 PrivateKeyInfo (RFC 8410); the 32-byte seed follows. */
const PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

export const KEY_ID_PATTERN = /^[0-9a-f]{32}$/;

export interface SigningKey {
  privateKey: KeyObject;
  publicKey: KeyObject;
  /** The 32 raw bytes of the public key. */
  publicKeyRaw: Buffer;
  keyId: string;
}

function requireEd25519(key: KeyObject, type: 'public' | 'private'): void {
  if (key.asymmetricKeyType !== 'ed25519' || key.type !== type) {
    throw new TypeError(`expected an Ed25519 ${type} key`);
  }
}

/** Key id: hex of the first 16 bytes of SHA-256 over the 32 raw public key bytes. */
export function keyIdOf(publicKeyRaw: Uint8Array): string {
  if (publicKeyRaw.length !== 32) throw new TypeError('an Ed25519 public key is 32 bytes');
  return createHash('sha256').update(publicKeyRaw).digest('hex').slice(0, 32);
}

/** A public KeyObject from its 32 raw bytes. */
export function publicKeyFromRaw(raw: Uint8Array): KeyObject {
  if (raw.length !== 32) throw new TypeError('an Ed25519 public key is 32 bytes');
  return createPublicKey({
    key: Buffer.concat([SPKI_PREFIX, raw]),
    format: 'der',
    type: 'spki',
  });
}

/** The 32 raw bytes of the public half of an Ed25519 key (public or private). */
export function publicKeyRawOf(key: KeyObject): Buffer {
  const pub = key.type === 'private' ? createPublicKey(key) : key;
  requireEd25519(pub, 'public');
  const der = pub.export({ format: 'der', type: 'spki' });
  return Buffer.from(der.subarray(SPKI_PREFIX.length));
}

/** The signing key, public key and key id that belong to an Ed25519 private key. */
export function signingKeyFrom(privateKey: KeyObject): SigningKey {
  requireEd25519(privateKey, 'private');
  const publicKey = createPublicKey(privateKey);
  const publicKeyRaw = publicKeyRawOf(publicKey);
  return { privateKey, publicKey, publicKeyRaw, keyId: keyIdOf(publicKeyRaw) };
}

/** A fresh Ed25519 key pair. */
export function generateSigningKey(): SigningKey {
  return signingKeyFrom(generateKeyPairSync('ed25519').privateKey);
}

export function privateKeyToPkcs8(key: KeyObject): Buffer {
  requireEd25519(key, 'private');
  return key.export({ format: 'der', type: 'pkcs8' });
}

export function privateKeyFromPkcs8(der: Uint8Array): KeyObject {
  const key = createPrivateKey({ key: Buffer.from(der), format: 'der', type: 'pkcs8' });
  requireEd25519(key, 'private');
  return key;
}

/** The 32-byte RFC 8032 seed of a private key. */
export function privateKeyToSeed(key: KeyObject): Buffer {
  const der = privateKeyToPkcs8(key);
  if (der.length !== PKCS8_PREFIX.length + 32 || !der.subarray(0, 16).equals(PKCS8_PREFIX)) {
    throw new TypeError('unexpected PKCS#8 encoding of an Ed25519 key');
  }
  return Buffer.from(der.subarray(PKCS8_PREFIX.length));
}

/** A private key from its 32-byte RFC 8032 seed. */
export function privateKeyFromSeed(seed: Uint8Array): KeyObject {
  if (seed.length !== 32) throw new TypeError('an Ed25519 seed is 32 bytes');
  return privateKeyFromPkcs8(Buffer.concat([PKCS8_PREFIX, seed]));
}

// Key ids of private keys already seen, so that signing many events derives each id once.
const keyIdCache = new WeakMap<KeyObject, string>();

/** The key id of the public half of a private or public key (cached per KeyObject). */
export function keyIdOfKey(key: KeyObject): string {
  let id = keyIdCache.get(key);
  if (id === undefined) {
    id = keyIdOf(publicKeyRawOf(key));
    keyIdCache.set(key, id);
  }
  return id;
}
