// vault.json: the public header of a vault. Readable without any key, so that the unlock screen can
// list users and an auditor can see which recipients protect the data. It holds no secret.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { Role } from '../../shared/domain';
import { KesiError } from '../../shared/errors';
import { writeFileAtomic } from '../util/fs-atomic';

export const VAULT_FORMAT = 'kesi-vault';
/** Bump when the folder layout or a slot format changes incompatibly. */
export const VAULT_FORMAT_VERSION = 1;

const SlotEntry = z.discriminatedUnion('type', [
  z.object({ type: z.literal('passphrase'), id: z.string(), user: z.string(), file: z.string() }),
  z.object({
    type: z.literal('recovery'),
    id: z.string(),
    recipient: z.string(),
    file: z.string(),
  }),
  z.object({ type: z.literal('escrow'), id: z.string(), recipient: z.string(), file: z.string() }),
]);
export type SlotEntry = z.infer<typeof SlotEntry>;

const UserKey = z.object({
  keyId: z.string(),
  publicKey: z.string(),
  createdAt: z.string(),
  revokedAt: z.string().nullable(),
});

const HeaderUser = z.object({
  name: z.string(),
  role: Role,
  keys: z.array(UserKey),
  removedAt: z.string().nullable(),
});
export type HeaderUser = z.infer<typeof HeaderUser>;

export const VaultHeader = z.object({
  format: z.literal(VAULT_FORMAT),
  version: z.number().int().positive(),
  vaultId: z.string().uuid(),
  name: z.string(),
  createdAt: z.string(),
  /** Every blob is encrypted to all of these: the vault's blob key, and the escrow key if set. */
  blobRecipients: z.array(z.string()).min(1),
  slots: z.array(SlotEntry),
  users: z.array(HeaderUser),
});
export type VaultHeader = z.infer<typeof VaultHeader>;

export const HEADER_FILE = 'vault.json';

export function readHeader(dir: string): VaultHeader {
  const file = join(dir, HEADER_FILE);
  if (!existsSync(file)) throw new KesiError('VAULT_NOT_FOUND', undefined, { dir });
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    throw new KesiError('VAULT_CORRUPT', 'The vault header (vault.json) is not valid JSON.');
  }
  const version = (raw as { version?: unknown } | null)?.version;
  if (typeof version === 'number' && version > VAULT_FORMAT_VERSION) {
    throw new KesiError(
      'VAULT_TOO_NEW',
      `This vault uses format ${version}; this version of Kesi reads up to format ${VAULT_FORMAT_VERSION}. Update Kesi to open it.`,
    );
  }
  const parsed = VaultHeader.safeParse(raw);
  if (!parsed.success) {
    throw new KesiError(
      'VAULT_CORRUPT',
      'The vault header (vault.json) is not a Kesi vault header.',
    );
  }
  return parsed.data;
}

export function writeHeader(dir: string, header: VaultHeader): void {
  writeFileAtomic(join(dir, HEADER_FILE), JSON.stringify(header, null, 2) + '\n', 0o644);
}
