// Creating, unlocking and locking a vault folder (DESIGN.md, "The vault"):
//   vault.json  public header        slots/*.age  the keyring, once per way in
//   catalogue.db SQLCipher 4          blobs/ab/cd…  one age file per distinct content
import { randomUUID, type KeyObject } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Role } from '../../shared/domain';
import { KesiError } from '../../shared/errors';
import { BlobStore, BLOBS_DIR } from '../blobs/store';
import { openCatalogue, type Catalogue } from '../catalogue';
import { CustodyLog, VAULT_CHAIN } from '../custody/log';
import {
  generateSigningKey,
  privateKeyFromPkcs8,
  privateKeyToPkcs8,
  publicKeyRawOf,
  keyIdOf,
} from '../custody/keys';
import {
  DEFAULT_SCRYPT_LOG_N,
  generateX25519Identity,
  isAgeIdentity,
  isAgeRecipient,
  recipientOf,
} from './age';
import type { Identity, Recipient } from './age';
import {
  readHeader,
  writeHeader,
  VAULT_FORMAT,
  VAULT_FORMAT_VERSION,
  type VaultHeader,
} from './header';
import { newKeyring, wipeKeyring, type Keyring } from './keyring';
import { checkLockout, clearFailures, recordFailure } from './lockout';
import { readSlot, removeSlotFile, SLOTS_DIR, writeSlot, type SigningJson } from './slots';

export const CATALOGUE_FILE = 'catalogue.db';
export const MIN_PASSPHRASE_LENGTH = 8;
/** Slots are opened only up to this scrypt cost, so a planted slot cannot stall the app. */
const MAX_SCRYPT_LOG_N = 22;

export interface UnlockedVault {
  dir: string;
  header: VaultHeader;
  keyring: Keyring;
  catalogue: Catalogue;
  blobs: BlobStore;
  /** scrypt cost for new passphrase slots. */
  kdfLogN: number;
}

export interface SignedInUser {
  id: number;
  name: string;
  role: Role;
  keyId: string;
  privateKey: KeyObject;
}

export interface VaultOptions {
  /** scrypt work factor for passphrase slots; the default makes one unlock take over 0.5 s. */
  kdfLogN?: number;
  now?: () => Date;
}

export function checkPassphrase(passphrase: string): void {
  if ([...passphrase].length < MIN_PASSPHRASE_LENGTH) {
    throw new KesiError(
      'WEAK_PASSPHRASE',
      `A passphrase needs at least ${MIN_PASSPHRASE_LENGTH} characters; a few unrelated words are best.`,
    );
  }
}

function mount(dir: string, header: VaultHeader, keyring: Keyring, kdfLogN: number): UnlockedVault {
  const catalogue = openCatalogue(join(dir, CATALOGUE_FILE), keyring.catalogueKey);
  const recipients: Recipient[] = header.blobRecipients.map((r) => ({
    type: 'x25519',
    recipient: r,
  }));
  const blobs = new BlobStore(
    dir,
    recipients,
    { type: 'x25519', identity: keyring.blobIdentity },
    keyring.nameKey,
  );
  return { dir, header, keyring, catalogue, blobs, kdfLogN };
}

export function lockVault(v: UnlockedVault): void {
  v.catalogue.close();
  wipeKeyring(v.keyring);
}

export interface CreateVaultInput extends VaultOptions {
  name?: string;
  admin: string;
  passphrase: string;
  escrowRecipient?: string;
}

export interface CreatedVault {
  vault: UnlockedVault;
  user: SignedInUser;
  /** The recovery key: shown once, to be printed and locked away. Never stored in the vault. */
  recoveryIdentity: string;
}

export async function createVault(dir: string, input: CreateVaultInput): Promise<CreatedVault> {
  checkPassphrase(input.passphrase);
  if (input.escrowRecipient !== undefined && !isAgeRecipient(input.escrowRecipient)) {
    throw new KesiError(
      'BAD_INPUT',
      'The escrow key must be an age public key starting with "age1".',
    );
  }
  if (existsSync(join(dir, 'vault.json'))) throw new KesiError('VAULT_EXISTS', undefined, { dir });
  if (existsSync(dir) && readdirSync(dir).length > 0) {
    throw new KesiError('VAULT_EXISTS', 'The folder is not empty. Choose an empty or new folder.');
  }
  mkdirSync(join(dir, SLOTS_DIR), { recursive: true, mode: 0o700 });
  mkdirSync(join(dir, BLOBS_DIR), { recursive: true, mode: 0o700 });
  const now = (input.now ?? (() => new Date()))().toISOString();
  const kdfLogN = input.kdfLogN ?? DEFAULT_SCRYPT_LOG_N;
  const keyring = newKeyring();
  const recovery = generateX25519Identity();
  const vaultId = randomUUID();
  const signing = generateSigningKey();

  const header: VaultHeader = {
    format: VAULT_FORMAT,
    version: VAULT_FORMAT_VERSION,
    vaultId,
    name: input.name ?? 'Kesi vault',
    createdAt: now,
    blobRecipients: [recipientOf(keyring.blobIdentity)],
    slots: [],
    users: [],
  };
  if (input.escrowRecipient) header.blobRecipients.push(input.escrowRecipient);

  const userSlot = `${SLOTS_DIR}/user-${randomUUID()}.age`;
  await writeSlot(
    dir,
    userSlot,
    vaultId,
    keyring,
    { type: 'scrypt', passphrase: input.passphrase, logN: kdfLogN },
    signingJson(input.admin, signing.keyId, signing.privateKey),
  );
  header.slots.push({
    type: 'passphrase',
    id: slotId(userSlot),
    user: input.admin,
    file: userSlot,
  });
  const recoverySlot = `${SLOTS_DIR}/recovery.age`;
  await writeSlot(dir, recoverySlot, vaultId, keyring, {
    type: 'x25519',
    recipient: recovery.recipient,
  });
  header.slots.push({
    type: 'recovery',
    id: 'recovery',
    recipient: recovery.recipient,
    file: recoverySlot,
  });
  if (input.escrowRecipient) {
    const escrowSlot = `${SLOTS_DIR}/escrow.age`;
    await writeSlot(dir, escrowSlot, vaultId, keyring, {
      type: 'x25519',
      recipient: input.escrowRecipient,
    });
    header.slots.push({
      type: 'escrow',
      id: 'escrow',
      recipient: input.escrowRecipient,
      file: escrowSlot,
    });
  }

  const vault = mount(dir, header, keyring, kdfLogN);
  const publicKey = publicKeyRawOf(signing.privateKey).toString('base64');
  const row = vault.catalogue.tx(() => {
    const u = vault.catalogue.users.insert({ name: input.admin, role: 'admin', createdAt: now });
    vault.catalogue.users.addKey({ userId: u.id, keyId: signing.keyId, publicKey, createdAt: now });
    // The vault chain opens with the vault's making and its first administrator.
    const log = new CustodyLog(vault.catalogue);
    const signer = { user: input.admin, keyId: signing.keyId, privateKey: signing.privateKey };
    log.append(
      {
        chain: VAULT_CHAIN,
        action: 'vault_create',
        at: now,
        details: {
          vaultId,
          name: header.name,
          recovery: recovery.recipient,
          escrow: input.escrowRecipient ?? null,
        },
      },
      signer,
    );
    log.append(
      {
        chain: VAULT_CHAIN,
        action: 'user_add',
        at: now,
        details: { user: input.admin, role: 'admin', keyId: signing.keyId, publicKey },
      },
      signer,
    );
    return u;
  });
  header.users.push({
    name: input.admin,
    role: 'admin',
    keys: [{ keyId: signing.keyId, publicKey, createdAt: now, revokedAt: null }],
    removedAt: null,
  });
  // The header is written last: a folder without vault.json is not (yet) a vault.
  writeHeader(dir, header);
  return {
    vault,
    user: {
      id: row.id,
      name: row.name,
      role: 'admin',
      keyId: signing.keyId,
      privateKey: signing.privateKey,
    },
    recoveryIdentity: recovery.identity,
  };
}

export function signingJson(user: string, keyId: string, privateKey: KeyObject): SigningJson {
  return { user, keyId, privateKey: privateKeyToPkcs8(privateKey).toString('base64') };
}

function slotId(file: string): string {
  return file.replace(/^slots\//, '').replace(/\.age$/, '');
}

export function passphraseSlotOf(header: VaultHeader, user: string) {
  const lower = user.toLowerCase();
  return header.slots.find((s) => s.type === 'passphrase' && s.user.toLowerCase() === lower) as
    Extract<VaultHeader['slots'][number], { type: 'passphrase' }> | undefined;
}

export async function unlockVault(
  dir: string,
  userName: string,
  passphrase: string,
  opts: VaultOptions = {},
): Promise<{ vault: UnlockedVault; user: SignedInUser }> {
  const header = readHeader(dir);
  const slot = passphraseSlotOf(header, userName);
  if (!slot)
    throw new KesiError('USER_NOT_FOUND', `There is no user called ${userName} in this vault.`);
  const now = (opts.now ?? (() => new Date()))();
  checkLockout(dir, userName, now);
  const opened = await readSlot(dir, slot.file, header.vaultId, {
    type: 'scrypt',
    passphrase,
    maxLogN: MAX_SCRYPT_LOG_N,
  });
  if (!opened) {
    recordFailure(dir, userName, now);
    throw new KesiError('WRONG_PASSPHRASE', `The passphrase for ${userName} is not correct.`);
  }
  clearFailures(dir, userName);
  if (!opened.signing)
    throw new KesiError('VAULT_CORRUPT', `The key slot of ${userName} has no signing key.`);
  const vault = mount(dir, header, opened.keyring, opts.kdfLogN ?? DEFAULT_SCRYPT_LOG_N);
  try {
    const row = vault.catalogue.users.byName(userName);
    if (!row || row.removedAt)
      throw new KesiError('USER_NOT_FOUND', `${userName} is no longer a user of this vault.`);
    const privateKey = privateKeyFromPkcs8(Buffer.from(opened.signing.privateKey, 'base64'));
    const keyId = keyIdOf(publicKeyRawOf(privateKey));
    const key = vault.catalogue.users.findKey(keyId);
    if (!key || key.userId !== row.id || key.revokedAt !== null) {
      throw new KesiError(
        'VAULT_CORRUPT',
        `The signing key of ${userName} is not a current key of that user in the catalogue.`,
      );
    }
    return { vault, user: { id: row.id, name: row.name, role: row.role, keyId, privateKey } };
  } catch (e) {
    lockVault(vault);
    throw e;
  }
}

/**
 * Opens a vault with the recovery key or the organisation's escrow key (an age identity), when
 * every passphrase is lost. There is no signed-in user: the only thing to do is set a passphrase.
 */
export async function unlockWithKey(
  dir: string,
  identity: string,
  opts: VaultOptions = {},
): Promise<{ vault: UnlockedVault; slot: 'recovery' | 'escrow' }> {
  if (!isAgeIdentity(identity.trim())) {
    throw new KesiError('WRONG_RECOVERY_KEY', 'A recovery key starts with AGE-SECRET-KEY-1.');
  }
  const header = readHeader(dir);
  const id: Identity = { type: 'x25519', identity: identity.trim() };
  for (const s of header.slots) {
    if (s.type === 'passphrase') continue;
    const opened = await readSlot(dir, s.file, header.vaultId, id);
    if (opened)
      return {
        vault: mount(dir, header, opened.keyring, opts.kdfLogN ?? DEFAULT_SCRYPT_LOG_N),
        slot: s.type,
      };
  }
  throw new KesiError('WRONG_RECOVERY_KEY');
}

/** Writes (or rewrites) a user's passphrase slot. Only slot files and the header change. */
export async function writeUserSlot(
  v: UnlockedVault,
  user: string,
  passphrase: string,
  keyId: string,
  privateKey: KeyObject,
): Promise<void> {
  checkPassphrase(passphrase);
  const existing = passphraseSlotOf(v.header, user);
  const file = existing?.file ?? `${SLOTS_DIR}/user-${randomUUID()}.age`;
  await writeSlot(
    v.dir,
    file,
    v.header.vaultId,
    v.keyring,
    { type: 'scrypt', passphrase, logN: v.kdfLogN },
    signingJson(user, keyId, privateKey),
  );
  if (!existing) {
    v.header.slots.push({ type: 'passphrase', id: slotId(file), user, file });
    writeHeader(v.dir, v.header);
  }
}

export function removeUserSlot(v: UnlockedVault, user: string): void {
  const existing = passphraseSlotOf(v.header, user);
  if (!existing) return;
  v.header.slots = v.header.slots.filter((s) => s !== existing);
  writeHeader(v.dir, v.header);
  removeSlotFile(v.dir, existing.file);
}

export { writeHeader };
