// Interoperability with the reference TypeScript implementation (the age-encryption package).

import { randomBytes } from 'node:crypto';
import * as typage from 'age-encryption';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  currentAeadImplementation,
  decrypt,
  encrypt,
  generateX25519Identity,
  recipientOf,
  setAeadImplementation,
} from '../../electron/vault/age';

const K = 64 * 1024;
const SIZES = [0, 1, K - 1, K, K + 1, 2 * K, 2 * K + 1, 300 * 1024];

async function theirDecrypt(file: Uint8Array, identity: string | { passphrase: string }) {
  const d = new typage.Decrypter();
  if (typeof identity === 'string') d.addIdentity(identity);
  else d.addPassphrase(identity.passphrase);
  return Buffer.from(await d.decrypt(file));
}

// Every test below runs on both ChaCha20-Poly1305 implementations: node:crypto, and the pure-JS
// fallback that Electron (BoringSSL) needs.
describe.each(['native', 'fallback'] as const)('%s ChaCha20-Poly1305', (implementation) => {
  beforeAll(async () => {
    await setAeadImplementation(implementation);
    expect(currentAeadImplementation()).toBe(implementation);
  });
  afterAll(() => setAeadImplementation('auto'));

  describe('interop with the age-encryption package', () => {
    it('agrees on key encodings', async () => {
      const theirs = await typage.generateX25519Identity();
      expect(recipientOf(theirs)).toBe(await typage.identityToRecipient(theirs));
      const ours = generateX25519Identity();
      expect(await typage.identityToRecipient(ours.identity)).toBe(ours.recipient);
    });

    it.each(SIZES)('they decrypt what we encrypt to X25519 (%i bytes)', async (n) => {
      const { identity, recipient } = generateX25519Identity();
      const plain = randomBytes(n);
      const file = await encrypt(plain, [{ type: 'x25519', recipient }]);
      expect((await theirDecrypt(file, identity)).equals(plain)).toBe(true);
    });

    it.each(SIZES)('we decrypt what they encrypt to X25519 (%i bytes)', async (n) => {
      const identity = await typage.generateX25519Identity();
      const e = new typage.Encrypter();
      e.addRecipient(await typage.identityToRecipient(identity));
      const plain = randomBytes(n);
      const file = await e.encrypt(plain);
      expect((await decrypt(file, [{ type: 'x25519', identity }])).equals(plain)).toBe(true);
    });

    it('works both ways with two recipients', async () => {
      const a = generateX25519Identity();
      const b = await typage.generateX25519Identity();
      const bRecipient = await typage.identityToRecipient(b);
      const plain = randomBytes(K + 5);
      const ours = await encrypt(plain, [
        { type: 'x25519', recipient: a.recipient },
        { type: 'x25519', recipient: bRecipient },
      ]);
      expect((await theirDecrypt(ours, a.identity)).equals(plain)).toBe(true);
      expect((await theirDecrypt(ours, b)).equals(plain)).toBe(true);
      const e = new typage.Encrypter();
      e.addRecipient(a.recipient);
      e.addRecipient(bRecipient);
      const theirs = await e.encrypt(plain);
      expect(
        (await decrypt(theirs, [{ type: 'x25519', identity: a.identity }])).equals(plain),
      ).toBe(true);
    });

    it.each([0, 1, K, 2 * K + 1])('they decrypt our passphrase files (%i bytes)', async (n) => {
      const plain = randomBytes(n);
      const file = await encrypt(plain, [{ type: 'scrypt', passphrase: 'pass word', logN: 10 }]);
      expect((await theirDecrypt(file, { passphrase: 'pass word' })).equals(plain)).toBe(true);
    });

    it.each([0, 1, K, 2 * K + 1])('we decrypt their passphrase files (%i bytes)', async (n) => {
      const e = new typage.Encrypter();
      e.setScryptWorkFactor(10);
      e.setPassphrase('pass wörd');
      const plain = randomBytes(n);
      const file = await e.encrypt(plain);
      const out = await decrypt(file, [{ type: 'scrypt', passphrase: 'pass wörd' }]);
      expect(out.equals(plain)).toBe(true);
    });

    it('they refuse what we refuse: a damaged payload', async () => {
      const { identity, recipient } = generateX25519Identity();
      const file = await encrypt(randomBytes(1000), [{ type: 'x25519', recipient }]);
      file[file.length - 1]! ^= 1;
      await expect(theirDecrypt(file, identity)).rejects.toThrow();
      await expect(decrypt(file, [{ type: 'x25519', identity }])).rejects.toMatchObject({
        kind: 'corrupt',
      });
    });
  });
});
