// Signing keys: each key in the catalogue must be the key its id names, must have been issued
// by a signed event of the vault log (user_add or key_change) with the same public key and
// user, and must agree with the public copy in vault.json.
import { KesiError } from '../../shared/errors';
import { VAULT_CHAIN } from '../custody/event';
import { keyIdOf, publicKeyFromRaw } from '../custody/keys';
import { HEADER_FILE, readHeader, type VaultHeader } from '../vault/header';
import { short, type AuditContext, type Names } from './audit-context';
import type { KeyInfo, LogScan } from './audit-log';

function sameUser(a: string, b: string): boolean {
  return a.normalize('NFC').toLowerCase() === b.normalize('NFC').toLowerCase();
}

/** "The signing key 21fe… of amina": a sentence never starts with a user name. */
function theKey(k: KeyInfo): string {
  return `The signing key ${k.keyId} of ${k.user}`;
}

export function auditKeys(
  ctx: AuditContext,
  names: Names,
  keys: ReadonlyMap<string, KeyInfo>,
  scan: LogScan,
): void {
  ctx.progress('keys', 0, keys.size);
  const vaultFields = names.chainFields(VAULT_CHAIN);

  for (const k of keys.values()) {
    const whose = `${k.user}'s signing key ${k.keyId}`;
    const raw = Buffer.from(k.publicKey, 'base64');
    let usable = raw.length === 32;
    if (usable) {
      try {
        publicKeyFromRaw(raw);
      } catch {
        usable = false;
      }
    }
    if (!usable) {
      ctx.add(
        'key_unusable',
        `The public key on record for ${whose} is not an Ed25519 public key: nothing ${k.user} signed with it can be checked. The catalogue was changed outside Kesi.`,
      );
    } else if (keyIdOf(raw) !== k.keyId) {
      ctx.add(
        'key_replaced',
        `The public key on record for ${whose} is not the key with that id: it has been replaced in the catalogue. Every event and tree head ${k.user} signed with that key fails to verify.`,
      );
    }
    const record = scan.keyRecords.get(k.keyId);
    if (record === undefined) {
      if (scan.signers.has(k.keyId)) {
        ctx.add(
          'key_not_in_log',
          `${theKey(k)} is in the catalogue and has signed custody records, but no signed event of the vault log records it being issued: it was added outside Kesi, or the event that issued it was deleted. Whatever it signed proves nothing.`,
          vaultFields,
        );
      } else {
        ctx.add(
          'key_not_in_log_unused',
          `${theKey(k)} is in the catalogue, but no signed event of the vault log records it being issued; it has signed nothing. A change of key may have been interrupted.`,
          vaultFields,
        );
      }
    } else if (
      record.publicKey !== k.publicKey ||
      typeof record.user !== 'string' ||
      !sameUser(record.user, k.user)
    ) {
      const what =
        record.publicKey !== k.publicKey
          ? `public key ${short(String(record.publicKey))}, but the catalogue has ${short(k.publicKey)}`
          : `user ${String(record.user)}, but the catalogue gives it to ${k.user}`;
      ctx.add(
        'key_log_mismatch',
        `Key ${k.keyId} was issued (${record.action}, ${names.eventLabel(VAULT_CHAIN, record.seq)}) with ${what}: the key on record has been replaced or reassigned since.`,
        { ...vaultFields, seq: record.seq },
      );
    }
  }

  let header: VaultHeader;
  try {
    header = readHeader(ctx.vault.dir);
  } catch (e) {
    ctx.add(
      'header_unreadable',
      `The vault header (${HEADER_FILE}) cannot be read: ${e instanceof KesiError ? e.message : String(e)}`,
      { path: HEADER_FILE },
    );
    ctx.progress('keys', keys.size, keys.size);
    return;
  }
  if (header.vaultId !== ctx.vault.header.vaultId) {
    ctx.add(
      'vault_id_mismatch',
      `${HEADER_FILE} now names vault ${header.vaultId}, but the vault was opened as ${ctx.vault.header.vaultId}: the header was replaced while the vault was open.`,
      { path: HEADER_FILE },
    );
  }
  if (scan.vaultId !== null && scan.vaultId.value !== header.vaultId) {
    ctx.add(
      'vault_id_mismatch',
      `The vault log records the making of vault ${String(scan.vaultId.value)} (${names.eventLabel(VAULT_CHAIN, scan.vaultId.seq)}), but ${HEADER_FILE} names vault ${header.vaultId}: the header or the catalogue comes from another vault.`,
      { ...vaultFields, seq: scan.vaultId.seq, path: HEADER_FILE },
    );
  }

  const inHeader = new Map<string, { user: string; publicKey: string; revokedAt: string | null }>();
  for (const u of header.users) {
    for (const hk of u.keys) {
      inHeader.set(hk.keyId, { user: u.name, publicKey: hk.publicKey, revokedAt: hk.revokedAt });
    }
  }
  for (const k of keys.values()) {
    const h = inHeader.get(k.keyId);
    const whose = `${k.user}'s signing key ${k.keyId}`;
    if (h === undefined) {
      ctx.add(
        'key_not_in_header',
        `${theKey(k)} is in the catalogue but not in ${HEADER_FILE}, the public copy of the keys. A change of users may have been interrupted; the catalogue is what counts.`,
        { path: HEADER_FILE },
      );
      continue;
    }
    if (h.publicKey !== k.publicKey) {
      ctx.add(
        'key_header_mismatch',
        `The public key of ${whose} differs between the catalogue (${short(k.publicKey)}) and ${HEADER_FILE} (${short(h.publicKey)}): one of them has been replaced.`,
        { path: HEADER_FILE },
      );
    } else if (!sameUser(h.user, k.user)) {
      ctx.add(
        'key_header_mismatch',
        `Key ${k.keyId} belongs to ${k.user} in the catalogue but to ${h.user} in ${HEADER_FILE}: it has been reassigned.`,
        { path: HEADER_FILE },
      );
    }
    if ((h.revokedAt === null) !== (k.revokedAt === null)) {
      ctx.add(
        'key_revocation_mismatch',
        `${theKey(k)} is ${k.revokedAt === null ? 'current' : 'revoked'} in the catalogue but ${h.revokedAt === null ? 'current' : 'revoked'} in ${HEADER_FILE}. The catalogue is what counts; the vault log records every revocation.`,
        { path: HEADER_FILE },
      );
    }
  }
  for (const [keyId, h] of inHeader) {
    if (!keys.has(keyId)) {
      ctx.add(
        'key_not_in_catalogue',
        `${HEADER_FILE} lists ${h.user}'s signing key ${keyId}, but the catalogue has no such key: it was removed from the catalogue, or the catalogue is an older copy than the header.`,
        { path: HEADER_FILE },
      );
    }
  }
  ctx.progress('keys', keys.size, keys.size);
}
