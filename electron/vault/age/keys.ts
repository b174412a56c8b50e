// age X25519 keys as text: recipients "age1…" (lower case) and identities
// "AGE-SECRET-KEY-1…" (upper case), as age-keygen writes them.

import { bech32Decode, bech32Encode } from './bech32';
import { AgeError } from './errors';
import { X25519_KEY_SIZE, generateX25519KeyPair, publicFromSecret } from './x25519';

const RECIPIENT_HRP = 'age';
const IDENTITY_HRP = 'AGE-SECRET-KEY-';

function decodeKey(s: string, hrp: string): Buffer | null {
  try {
    const { hrp: found, data } = bech32Decode(s);
    return found === hrp && data.length === X25519_KEY_SIZE ? data : null;
  } catch {
    return null;
  }
}

/** The 32-byte public key of an "age1…" recipient. */
export function parseRecipient(s: string): Buffer {
  const key = decodeKey(s, RECIPIENT_HRP);
  if (key === null) throw new AgeError('unsupported', 'Not an age X25519 recipient.');
  return key;
}

/** The 32-byte secret of an "AGE-SECRET-KEY-1…" identity. */
export function parseIdentity(s: string): Buffer {
  const key = decodeKey(s, IDENTITY_HRP);
  if (key === null) throw new AgeError('unsupported', 'Not an age X25519 identity.');
  return key;
}

export function encodeRecipient(publicKey: Uint8Array): string {
  return bech32Encode(RECIPIENT_HRP, publicKey);
}

export function encodeIdentity(secret: Uint8Array): string {
  return bech32Encode(IDENTITY_HRP, secret);
}

export function isAgeRecipient(s: string): boolean {
  return decodeKey(s, RECIPIENT_HRP) !== null;
}

export function isAgeIdentity(s: string): boolean {
  return decodeKey(s, IDENTITY_HRP) !== null;
}

export function generateX25519Identity(): { identity: string; recipient: string } {
  const pair = generateX25519KeyPair();
  const identity = encodeIdentity(pair.secret);
  pair.secret.fill(0);
  return { identity, recipient: encodeRecipient(pair.public) };
}

/** The recipient of an identity, like `age-keygen -y`. */
export function recipientOf(identity: string): string {
  const secret = parseIdentity(identity);
  try {
    return encodeRecipient(publicFromSecret(secret));
  } finally {
    secret.fill(0);
  }
}
