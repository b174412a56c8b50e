// The scrypt (passphrase) recipient stanza. Derivation runs on the libuv thread pool so that a
// half-second unlock does not block the event loop.

import { randomBytes, scrypt } from 'node:crypto';
import { openFileKey, sealFileKey } from './aead';
import { decodeBase64, encodeBase64 } from './base64';
import { AgeError } from './errors';
import type { Stanza } from './header';
import { FILE_KEY_SIZE, TAG_SIZE } from './primitives';
import { DEFAULT_MAX_SCRYPT_LOG_N, DEFAULT_SCRYPT_LOG_N } from './types';

export const SCRYPT_STANZA = 'scrypt';
const SALT_LABEL = Buffer.from('age-encryption.org/v1/scrypt');
const SALT_SIZE = 16;
const R = 8;
const P = 1;
/** The most age itself will produce or open. */
const LOG_N_LIMIT = 30;

function deriveKey(passphrase: string, salt: Buffer, logN: number): Promise<Buffer> {
  const N = 2 ** logN;
  // OpenSSL needs 128*r*(N + p + 2) bytes; Node's default maxmem (32 MiB) stops at logN 14.
  const maxmem = 128 * R * (N + P + 2) + 1024 * 1024;
  return new Promise((resolve, reject) => {
    scrypt(
      Buffer.from(passphrase, 'utf8'),
      Buffer.concat([SALT_LABEL, salt]),
      32,
      { N, r: R, p: P, maxmem },
      (err, key) => (err ? reject(err) : resolve(key)),
    );
  });
}

function checkLogN(logN: number): void {
  if (!Number.isInteger(logN) || logN < 1 || logN > LOG_N_LIMIT) {
    throw new AgeError('unsupported', `The scrypt work factor must be 1 to ${LOG_N_LIMIT}.`);
  }
}

export async function wrapScrypt(
  fileKey: Buffer,
  passphrase: string,
  logN: number = DEFAULT_SCRYPT_LOG_N,
): Promise<Stanza> {
  checkLogN(logN);
  const salt = randomBytes(SALT_SIZE);
  const key = await deriveKey(passphrase, salt, logN);
  return {
    type: SCRYPT_STANZA,
    args: [encodeBase64(salt), String(logN)],
    body: sealFileKey(key, fileKey),
  };
}

/** The file key, or null for a wrong passphrase; throws on a malformed stanza or one that asks
 *  for more work than maxLogN. */
export async function unwrapScrypt(
  stanza: Stanza,
  passphrase: string,
  maxLogN: number = DEFAULT_MAX_SCRYPT_LOG_N,
): Promise<Buffer | null> {
  const [saltText, logNText] = stanza.args;
  const salt = stanza.args.length === 2 ? decodeBase64(saltText as string) : null;
  if (salt === null || salt.length !== SALT_SIZE || !/^[1-9][0-9]*$/.test(logNText ?? '')) {
    throw new AgeError('bad-header', 'Invalid scrypt stanza arguments.');
  }
  if (stanza.body.length !== FILE_KEY_SIZE + TAG_SIZE) {
    throw new AgeError('bad-header', 'Invalid scrypt stanza body.');
  }
  const logN = Number(logNText);
  if (logN > Math.min(maxLogN, LOG_N_LIMIT)) {
    throw new AgeError('unsupported', `The scrypt work factor ${logNText} is above the limit.`);
  }
  return openFileKey(await deriveKey(passphrase, salt, logN), stanza.body);
}
