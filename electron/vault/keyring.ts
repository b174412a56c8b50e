// The vault keyring: every secret needed to read a vault. It exists on disk only inside age-encrypted
// slot files (slots/*.age), one copy per way in: each user's passphrase, the recovery key, escrow.
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { generateX25519Identity } from './age';

export interface Keyring {
  /** Raw 256-bit SQLCipher key of catalogue.db. */
  catalogueKey: Buffer;
  /** age X25519 identity that decrypts every blob. */
  blobIdentity: string;
  /** HMAC key that turns a content hash into a blob file name. */
  nameKey: Buffer;
}

export const KeyringJson = z.object({
  catalogueKey: z.string().regex(/^[0-9a-f]{64}$/),
  blobIdentity: z.string().startsWith('AGE-SECRET-KEY-1'),
  nameKey: z.string().regex(/^[0-9a-f]{64}$/),
});
export type KeyringJson = z.infer<typeof KeyringJson>;

export function newKeyring(): Keyring {
  return {
    catalogueKey: randomBytes(32),
    blobIdentity: generateX25519Identity().identity,
    nameKey: randomBytes(32),
  };
}

export function keyringToJson(k: Keyring): KeyringJson {
  return {
    catalogueKey: k.catalogueKey.toString('hex'),
    blobIdentity: k.blobIdentity,
    nameKey: k.nameKey.toString('hex'),
  };
}

export function keyringFromJson(j: KeyringJson): Keyring {
  return {
    catalogueKey: Buffer.from(j.catalogueKey, 'hex'),
    blobIdentity: j.blobIdentity,
    nameKey: Buffer.from(j.nameKey, 'hex'),
  };
}

/** Best effort: overwrite key bytes when the vault locks (strings cannot be wiped in JS). */
export function wipeKeyring(k: Keyring): void {
  k.catalogueKey.fill(0);
  k.nameKey.fill(0);
}
