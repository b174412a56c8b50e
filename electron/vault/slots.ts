// Key slots: the keyring, age-encrypted once per way in. A passphrase slot also carries that user's
// Ed25519 signing key, so the key is protected by the user's passphrase and nothing else.
import { existsSync, mkdirSync, readFileSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { KesiError } from '../../shared/errors';
import { writeFileAtomic } from '../util/fs-atomic';
import { AgeError, decrypt, encrypt, type Identity, type Recipient } from './age';
import { KeyringJson, keyringFromJson, keyringToJson, type Keyring } from './keyring';

export const SLOTS_DIR = 'slots';

const SigningJson = z.object({
  user: z.string(),
  keyId: z.string(),
  /** PKCS#8 DER, base64. */
  privateKey: z.string(),
});
export type SigningJson = z.infer<typeof SigningJson>;

const SlotPayload = z.object({
  format: z.literal('kesi-slot'),
  v: z.literal(1),
  vaultId: z.string(),
  keyring: KeyringJson,
  signing: SigningJson.optional(),
});
type SlotPayload = z.infer<typeof SlotPayload>;

export interface OpenedSlot {
  keyring: Keyring;
  signing: SigningJson | undefined;
}

export function slotPath(vaultDir: string, file: string): string {
  return join(vaultDir, file);
}

export async function writeSlot(
  vaultDir: string,
  file: string,
  vaultId: string,
  keyring: Keyring,
  recipient: Recipient,
  signing?: SigningJson,
): Promise<void> {
  mkdirSync(join(vaultDir, SLOTS_DIR), { recursive: true, mode: 0o700 });
  const payload: SlotPayload = {
    format: 'kesi-slot',
    v: 1,
    vaultId,
    keyring: keyringToJson(keyring),
    ...(signing ? { signing } : {}),
  };
  const sealed = await encrypt(Buffer.from(JSON.stringify(payload), 'utf8'), [recipient]);
  writeFileAtomic(slotPath(vaultDir, file), sealed);
}

/** Opens a slot; `null` when the identity does not fit (wrong passphrase or key). */
export async function readSlot(
  vaultDir: string,
  file: string,
  vaultId: string,
  identity: Identity,
): Promise<OpenedSlot | null> {
  const path = slotPath(vaultDir, file);
  if (!existsSync(path)) {
    throw new KesiError('VAULT_CORRUPT', `The key slot ${file} is missing from the vault.`);
  }
  let plain: Buffer;
  try {
    plain = await decrypt(readFileSync(path), [identity]);
  } catch (e) {
    if (e instanceof AgeError && e.kind === 'no-match') return null;
    throw new KesiError('VAULT_CORRUPT', `The key slot ${file} is damaged.`);
  }
  const parsed = SlotPayload.safeParse(JSON.parse(plain.toString('utf8')));
  plain.fill(0);
  if (!parsed.success || parsed.data.vaultId !== vaultId) {
    throw new KesiError('VAULT_CORRUPT', `The key slot ${file} does not belong to this vault.`);
  }
  return { keyring: keyringFromJson(parsed.data.keyring), signing: parsed.data.signing };
}

export function removeSlotFile(vaultDir: string, file: string): void {
  const path = slotPath(vaultDir, file);
  if (existsSync(path)) unlinkSync(path);
}
