// The age layer on a node:crypto without ChaCha20-Poly1305, as in Electron (BoringSSL): the
// cipher is missing from getCiphers() and createCipheriv refuses it. Everything must still
// work, on the fallback, without any change of settings.

import * as crypto from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';
import {
  AgeDecryptor,
  AgeEncryptor,
  currentAeadImplementation,
  decrypt,
  encrypt,
  generateX25519Identity,
  isChaCha20Poly1305Available,
  setAeadImplementation,
} from '../../electron/vault/age';

vi.mock('node:crypto', async (importOriginal) => {
  const real = await importOriginal<typeof crypto>();
  const refuse = (algorithm: string): void => {
    if (algorithm.toLowerCase() === 'chacha20-poly1305') throw new Error('Unknown cipher');
  };
  const without = {
    ...real,
    getCiphers: () => real.getCiphers().filter((c) => c !== 'chacha20-poly1305'),
    createCipheriv: ((algorithm: string, ...rest: unknown[]) => {
      refuse(algorithm);
      return (real.createCipheriv as (...args: unknown[]) => unknown)(algorithm, ...rest);
    }) as typeof real.createCipheriv,
    createDecipheriv: ((algorithm: string, ...rest: unknown[]) => {
      refuse(algorithm);
      return (real.createDecipheriv as (...args: unknown[]) => unknown)(algorithm, ...rest);
    }) as typeof real.createDecipheriv,
  };
  return { ...without, default: without };
});

describe('age without ChaCha20-Poly1305 in node:crypto', () => {
  it('sees the cipher as missing', () => {
    expect(isChaCha20Poly1305Available()).toBe(false);
    expect(() =>
      crypto.createCipheriv('chacha20-poly1305', Buffer.alloc(32), Buffer.alloc(12)),
    ).toThrow('Unknown cipher');
  });

  it('uses the fallback by itself, for keys and passphrases, whole and incremental', async () => {
    expect(currentAeadImplementation()).toBe('fallback');
    const { identity, recipient } = generateX25519Identity();
    const plain = crypto.randomBytes(3 * 64 * 1024 + 9);
    const file = await encrypt(plain, [{ type: 'x25519', recipient }]);
    expect((await decrypt(file, [{ type: 'x25519', identity }])).equals(plain)).toBe(true);

    const locked = await encrypt(plain, [{ type: 'scrypt', passphrase: 'p', logN: 10 }]);
    expect((await decrypt(locked, [{ type: 'scrypt', passphrase: 'p' }])).equals(plain)).toBe(true);
    await expect(decrypt(locked, [{ type: 'scrypt', passphrase: 'q' }])).rejects.toMatchObject({
      kind: 'no-match',
    });

    const enc = await AgeEncryptor.create([{ type: 'x25519', recipient }]);
    const parts = [enc.header, ...enc.push(plain), ...enc.final()];
    const { decryptor, consumed } = await AgeDecryptor.open(parts[0] as Buffer, [
      { type: 'x25519', identity },
    ]);
    const whole = Buffer.concat(parts);
    const rest = whole.subarray(consumed);
    const back = Buffer.concat([...decryptor.push(rest), ...decryptor.final()]);
    expect(back.equals(plain)).toBe(true);
    whole[whole.length - 1]! ^= 1;
    await expect(decrypt(whole, [{ type: 'x25519', identity }])).rejects.toMatchObject({
      kind: 'corrupt',
    });
  });

  it('refuses to be forced onto the missing native cipher', async () => {
    await expect(setAeadImplementation('native')).rejects.toMatchObject({ kind: 'unsupported' });
    await expect(encrypt(Buffer.from('x'), [generateRecipient()])).rejects.toMatchObject({
      kind: 'unsupported',
    });
    await setAeadImplementation('auto');
    expect(currentAeadImplementation()).toBe('fallback');
    expect((await encrypt(Buffer.from('x'), [generateRecipient()])).length).toBeGreaterThan(0);
  });
});

function generateRecipient(): { type: 'x25519'; recipient: string } {
  return { type: 'x25519', recipient: generateX25519Identity().recipient };
}
