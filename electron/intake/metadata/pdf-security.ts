// The PDF standard security handler (ISO 32000-2, 7.6.4): does the empty user password open
// the file, and if so, the file key and the per-object decryption. A file that opens with the
// empty user password has only an owner password (it restricts printing or copying, but any
// reader opens it without asking); a file that does not needs a password to be read at all.
import { createCipheriv, createDecipheriv, createHash } from 'node:crypto';

const PASSWORD_PAD = Buffer.from(
  '28bf4e5e4e758a4164004e56fffa01082e2e00b6d0683e802f0ca9fe6453697a',
  'hex',
);

export type CryptMethod = 'none' | 'RC4' | 'AESV2' | 'AESV3';

export interface StandardSecurity {
  /** /V: the algorithm version. */
  v: number;
  /** /R: the standard security handler revision. */
  r: number;
  /** File key length in bytes. */
  keyLength: number;
  o: Buffer;
  u: Buffer;
  oe: Buffer | null;
  ue: Buffer | null;
  p: number;
  encryptMetadata: boolean;
  /** The first element of the trailer /ID. */
  id0: Buffer;
  streamMethod: CryptMethod;
  stringMethod: CryptMethod;
}

/** RC4, written out: OpenSSL 3 keeps it in the legacy provider, which Node does not load. */
export function rc4(key: Buffer, data: Buffer): Buffer {
  const s = new Uint8Array(256);
  for (let i = 0; i < 256; i++) s[i] = i;
  for (let i = 0, j = 0; i < 256; i++) {
    j = (j + (s[i] ?? 0) + (key[i % key.length] ?? 0)) & 0xff;
    const t = s[i] ?? 0;
    s[i] = s[j] ?? 0;
    s[j] = t;
  }
  const out = Buffer.alloc(data.length);
  for (let n = 0, i = 0, j = 0; n < data.length; n++) {
    i = (i + 1) & 0xff;
    j = (j + (s[i] ?? 0)) & 0xff;
    const t = s[i] ?? 0;
    s[i] = s[j] ?? 0;
    s[j] = t;
    out[n] = (data[n] ?? 0) ^ (s[((s[i] ?? 0) + (s[j] ?? 0)) & 0xff] ?? 0);
  }
  return out;
}

function md5(...parts: Buffer[]): Buffer {
  const h = createHash('md5');
  for (const p of parts) h.update(p);
  return h.digest();
}

function padPassword(password: Buffer): Buffer {
  return Buffer.concat([password.subarray(0, 32), PASSWORD_PAD]).subarray(0, 32);
}

function int32le(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeInt32LE(n | 0);
  return b;
}

/** Algorithm 2: the file key for revisions 2-4 from a user password. */
function fileKeyR2to4(sec: StandardSecurity, password: Buffer): Buffer {
  const n = sec.r === 2 ? 5 : sec.keyLength;
  const parts = [padPassword(password), sec.o.subarray(0, 32), int32le(sec.p), sec.id0];
  if (sec.r >= 4 && !sec.encryptMetadata) parts.push(Buffer.from([0xff, 0xff, 0xff, 0xff]));
  let key = md5(...parts);
  if (sec.r >= 3) for (let i = 0; i < 50; i++) key = md5(key.subarray(0, n));
  return key.subarray(0, n);
}

/** Algorithms 4 and 5: the /U value a user password would produce, compared with /U. */
function userPasswordMatchesR2to4(sec: StandardSecurity, key: Buffer): boolean {
  if (sec.r === 2) return rc4(key, PASSWORD_PAD).equals(sec.u.subarray(0, 32));
  let x = rc4(key, md5(PASSWORD_PAD, sec.id0));
  for (let i = 1; i <= 19; i++) {
    const k = Buffer.from(key.map((b) => b ^ i));
    x = rc4(k, x);
  }
  return x.equals(sec.u.subarray(0, 16));
}

/** Algorithm 2.B (ISO 32000-2, 7.6.4.3.4): the revision 6 hash. */
export function hashR6(password: Buffer, salt: Buffer, userKey: Buffer): Buffer {
  let k = createHash('sha256').update(password).update(salt).update(userKey).digest();
  let e = Buffer.alloc(0);
  for (let round = 0; round < 64 || (e[e.length - 1] ?? 0) > round - 32; round++) {
    const k1 = Buffer.concat([password, k, userKey]);
    const block = Buffer.alloc(k1.length * 64);
    for (let i = 0; i < 64; i++) k1.copy(block, i * k1.length);
    const cipher = createCipheriv('aes-128-cbc', k.subarray(0, 16), k.subarray(16, 32));
    cipher.setAutoPadding(false);
    e = Buffer.concat([cipher.update(block), cipher.final()]);
    // The first 16 bytes of E as a 128-bit number, mod 3: 256 = 1 (mod 3), so sum the bytes.
    let sum = 0;
    for (let i = 0; i < 16; i++) sum += e[i] ?? 0;
    const hash = ['sha256', 'sha384', 'sha512'][sum % 3] ?? 'sha256';
    k = createHash(hash).update(e).digest();
  }
  return k.subarray(0, 32);
}

function hashR5orR6(sec: StandardSecurity, password: Buffer, salt: Buffer): Buffer {
  if (sec.r === 5) return createHash('sha256').update(password).update(salt).digest();
  return hashR6(password, salt, Buffer.alloc(0));
}

/**
 * The file key when `password` is the user password, or null when it is not. Revisions 2-4
 * take the password in PDFDocEncoding, 5-6 in UTF-8 (SASLprep'd); at most 32 / 127 bytes.
 * Throws for revisions this handler does not know.
 */
export function fileKeyForUserPassword(sec: StandardSecurity, password: Buffer): Buffer | null {
  if (sec.r >= 2 && sec.r <= 4) {
    const key = fileKeyR2to4(sec, password);
    return userPasswordMatchesR2to4(sec, key) ? key : null;
  }
  if (sec.r === 5 || sec.r === 6) {
    if (sec.u.length < 48 || !sec.ue || sec.ue.length < 32) throw new Error('bad /U or /UE');
    const pw = password.subarray(0, 127);
    const validationSalt = sec.u.subarray(32, 40);
    const keySalt = sec.u.subarray(40, 48);
    if (!hashR5orR6(sec, pw, validationSalt).equals(sec.u.subarray(0, 32))) return null;
    const intermediate = hashR5orR6(sec, pw, keySalt);
    const decipher = createDecipheriv('aes-256-cbc', intermediate, Buffer.alloc(16));
    decipher.setAutoPadding(false);
    return Buffer.concat([decipher.update(sec.ue.subarray(0, 32)), decipher.final()]);
  }
  throw new Error(`unknown standard security handler revision ${sec.r}`);
}

/** The file key when the file opens without a password (owner password only), else null. */
export function fileKeyForEmptyUserPassword(sec: StandardSecurity): Buffer | null {
  return fileKeyForUserPassword(sec, Buffer.alloc(0));
}

/** Decrypts one string or stream of object (num, gen) with the file key. */
export function decryptObjectData(
  method: CryptMethod,
  fileKey: Buffer,
  num: number,
  gen: number,
  data: Buffer,
): Buffer {
  if (method === 'none') return data;
  if (method === 'AESV3') return aesCbcDecrypt('aes-256-cbc', fileKey, data);
  const salt = method === 'AESV2' ? Buffer.from('sAlT', 'latin1') : Buffer.alloc(0);
  const objectId = Buffer.from([num & 0xff, (num >> 8) & 0xff, (num >> 16) & 0xff]);
  const generation = Buffer.from([gen & 0xff, (gen >> 8) & 0xff]);
  const key = md5(fileKey, objectId, generation, salt).subarray(
    0,
    Math.min(fileKey.length + 5, 16),
  );
  return method === 'RC4' ? rc4(key, data) : aesCbcDecrypt('aes-128-cbc', key, data);
}

function aesCbcDecrypt(algorithm: string, key: Buffer, data: Buffer): Buffer {
  // The first 16 bytes are the IV; PKCS#5 padding follows the plaintext.
  if (data.length < 32 || data.length % 16 !== 0) return Buffer.alloc(0);
  const decipher = createDecipheriv(algorithm, key, data.subarray(0, 16));
  decipher.setAutoPadding(false);
  const plain = Buffer.concat([decipher.update(data.subarray(16)), decipher.final()]);
  const pad = plain[plain.length - 1] ?? 0;
  return pad >= 1 && pad <= 16 ? plain.subarray(0, plain.length - pad) : plain;
}
