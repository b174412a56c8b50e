// The two ChaCha20-Poly1305 implementations (node:crypto, and the pure-JS fallback used where
// node:crypto lacks the cipher) must give the same bytes, and agree with RFC 8439.

import { createCipheriv, randomBytes, randomInt } from 'node:crypto';
import { chacha20poly1305 } from '@noble/ciphers/chacha.js';
import { afterAll, describe, expect, it } from 'vitest';
import {
  AgeEncryptor,
  currentAeadImplementation,
  decrypt,
  encryptedSize,
  generateX25519Identity,
  setAeadImplementation,
} from '../../electron/vault/age';
import { aead } from '../../electron/vault/age/aead';
import type { Aead, AeadImplementation } from '../../electron/vault/age/aead';
import { StreamSealer } from '../../electron/vault/age/stream';

const hex = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ''), 'hex');

// RFC 8439 §2.8.2.
const RFC = {
  key: hex('808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f'),
  nonce: hex('070000004041424344454647'),
  aad: hex('50515253c0c1c2c3c4c5c6c7'),
  plain: Buffer.from(
    "Ladies and Gentlemen of the class of '99: If I could offer you only one tip for the " +
      'future, sunscreen would be it.',
  ),
  cipher: hex(`
    d31a8d34648e60db7b86afbc53ef7ec2 a4aded51296e08fea9e2b5a736ee62d6
    3dbea45e8ca9671282fafb69da92728b 1a71de0a9e060b2905d6a5b67ecd3b36
    92ddbd7f2d778b8c9803aee328091b58 fab324e4fad675945585808b4831d7bc
    3ff4def08e4b7a9de576d26586cec64b 6116`),
  tag: hex('1ae10b594f09e26a7e902ecbd0600691'),
};

/** node:crypto (OpenSSL) as the reference, with associated data when given. */
function referenceSeal(key: Uint8Array, nonce: Uint8Array, plain: Uint8Array, aad?: Buffer) {
  const c = createCipheriv('chacha20-poly1305', key, nonce, { authTagLength: 16 });
  if (aad) c.setAAD(aad, { plaintextLength: plain.length });
  const ct = c.update(plain);
  c.final();
  return { cipher: ct, tag: c.getAuthTag() };
}

async function implementation(name: AeadImplementation): Promise<Aead> {
  await setAeadImplementation(name);
  return aead();
}

afterAll(() => setAeadImplementation('auto'));

describe('ChaCha20-Poly1305 implementations', () => {
  it('chooses node:crypto by default where it has the cipher, and can be forced', async () => {
    await setAeadImplementation('auto');
    expect(currentAeadImplementation()).toBe('native');
    await setAeadImplementation('fallback');
    expect(currentAeadImplementation()).toBe('fallback');
    expect(aead().name).toBe('fallback');
    await setAeadImplementation('native');
    expect(aead().name).toBe('native');
    await expect(setAeadImplementation('openssl' as AeadImplementation)).rejects.toThrow(TypeError);
    expect(currentAeadImplementation()).toBe('native');
  });

  it('the reference and the library reproduce RFC 8439 §2.8.2 (with its associated data)', () => {
    const ref = referenceSeal(RFC.key, RFC.nonce, RFC.plain, RFC.aad);
    expect(ref.cipher.equals(RFC.cipher)).toBe(true);
    expect(ref.tag.equals(RFC.tag)).toBe(true);
    const noble = chacha20poly1305(RFC.key, RFC.nonce, RFC.aad).encrypt(RFC.plain);
    expect(Buffer.from(noble).equals(Buffer.concat([RFC.cipher, RFC.tag]))).toBe(true);
  });

  it.each(['native', 'fallback'] as const)(
    '%s: RFC 8439 §2.8.2 ciphertext; tag as node:crypto without associated data',
    async (name) => {
      // age uses no associated data: the ciphertext is the RFC's, the tag is over it alone.
      const key = (await implementation(name)).key(RFC.key);
      const sealed = key.seal(RFC.plain, RFC.nonce);
      expect(sealed.subarray(0, RFC.plain.length).equals(RFC.cipher)).toBe(true);
      const noAad = referenceSeal(RFC.key, RFC.nonce, RFC.plain).tag;
      expect(sealed.subarray(RFC.plain.length).equals(noAad)).toBe(true);
      expect(key.open(sealed, RFC.nonce)?.equals(RFC.plain)).toBe(true);
      // The RFC's own tag covers associated data this interface does not take.
      expect(key.open(Buffer.concat([RFC.cipher, RFC.tag]), RFC.nonce)).toBeNull();
    },
  );

  it('gives the same bytes both ways on random inputs of many sizes', async () => {
    const native = await implementation('native');
    const fallback = await implementation('fallback');
    const K = 64 * 1024;
    const sizes = [0, 1, 15, 16, 17, 31, 32, 33, 63, 64, 65, 127, 128, 129, 255, 256, 1000];
    sizes.push(4095, 4096, 4097, K - 1, K, K + 1, 3 * K + 5);
    for (let i = 0; i < 40; i++) sizes.push(randomInt(0, 2 * K));
    for (const n of sizes) {
      const raw = randomBytes(32);
      const nonce = randomBytes(12);
      const plain = randomBytes(n);
      const a = native.key(raw);
      const b = fallback.key(raw);
      const sealed = a.seal(plain, nonce);
      expect(sealed.length, `size ${n}`).toBe(n + 16);
      expect(b.seal(plain, nonce).equals(sealed), `size ${n}`).toBe(true);
      expect(b.open(sealed, nonce)?.equals(plain), `size ${n}`).toBe(true);
      expect(a.open(sealed, nonce)?.equals(plain), `size ${n}`).toBe(true);
      const damaged = Buffer.from(sealed);
      damaged[randomInt(0, damaged.length)]! ^= 1 << randomInt(0, 8);
      expect(a.open(damaged, nonce), `size ${n}`).toBeNull();
      expect(b.open(damaged, nonce), `size ${n}`).toBeNull();
      const otherNonce = Buffer.from(nonce);
      otherNonce[11]! ^= 1;
      expect(b.open(sealed, otherNonce), `size ${n}`).toBeNull();
    }
  });

  it.each(['native', 'fallback'] as const)(
    '%s: takes unaligned views, copies the key, keeps no reference to its arguments',
    async (name) => {
      const impl = await implementation(name);
      const backing = randomBytes(1000);
      const raw = Buffer.from(backing.subarray(1, 33));
      const nonce = backing.subarray(3, 15);
      const plain = backing.subarray(5, 505);
      const expected = referenceSeal(raw, nonce, plain);
      const key = impl.key(raw);
      raw.fill(0);
      const sealed = key.seal(plain, nonce);
      expect(sealed.equals(Buffer.concat([expected.cipher, expected.tag]))).toBe(true);
      const input = Buffer.concat([Buffer.alloc(1), sealed]).subarray(1);
      const opened = key.open(input, nonce);
      input.fill(0);
      expect(opened?.equals(plain)).toBe(true);
      expect(key.open(sealed.subarray(0, 15), nonce)).toBeNull();
    },
  );

  it('seals the same payload stream with either implementation under one key', async () => {
    const raw = randomBytes(32);
    const plain = randomBytes(5 * 64 * 1024 + 77);
    const payload = async (name: AeadImplementation): Promise<Buffer> => {
      const sealer = new StreamSealer((await implementation(name)).key(raw));
      const out: Buffer[] = [];
      for (let off = 0; off < plain.length; off += 50_000) {
        out.push(...sealer.push(plain.subarray(off, off + 50_000)));
      }
      return Buffer.concat([...out, ...sealer.final()]);
    };
    const native = await payload('native');
    expect(native.length).toBe(encryptedSize(plain.length));
    expect((await payload('fallback')).equals(native)).toBe(true);
  });

  it('reads with one implementation what the other wrote', async () => {
    const { identity, recipient } = generateX25519Identity();
    const plain = randomBytes(200_000);
    for (const writer of ['native', 'fallback'] as const) {
      await setAeadImplementation(writer);
      const enc = await AgeEncryptor.create([{ type: 'x25519', recipient }]);
      const file = Buffer.concat([enc.header, ...enc.push(plain), ...enc.final()]);
      for (const reader of ['native', 'fallback'] as const) {
        await setAeadImplementation(reader);
        const back = await decrypt(file, [{ type: 'x25519', identity }]);
        expect(back.equals(plain), `${writer} -> ${reader}`).toBe(true);
      }
    }
  });
});
