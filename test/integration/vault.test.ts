import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { KesiError } from '../../shared/errors';
import { DEFAULT_SCRYPT_LOG_N, generateX25519Identity } from '../../electron/vault/age';
import { readHeader } from '../../electron/vault/header';
import { delayAfter } from '../../electron/vault/lockout';
import { createVault, unlockVault, unlockWithKey, lockVault } from '../../electron/vault/vault';
import { resetUserKey } from '../../electron/service/service';
import { tempDir } from '../helpers/tmp';
import { ADMIN, ADMIN_PASS, addUser, newVault, openAs, TEST_LOG_N } from '../helpers/vault';

function snapshot(dir: string, under: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const f of readdirSync(d)) {
      const p = join(d, f);
      if (statSync(p).isDirectory()) walk(p);
      else out[relative(dir, p)] = createHash('sha256').update(readFileSync(p)).digest('hex');
    }
  };
  walk(join(dir, under));
  return out;
}

async function expectCode(p: Promise<unknown>, code: string) {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(KesiError);
  expect((e as KesiError).code).toBe(code);
  return e as KesiError;
}

describe('vault', () => {
  it('creates a vault, reopens it, and rejects a wrong passphrase', async () => {
    const { dir, service } = await newVault();
    service.createCase({ ref: 'IMLU-2026-001', title: 'Death in custody, Kilimani' });
    service.lock();

    const again = await openAs(dir, ADMIN, ADMIN_PASS);
    expect(again.listCases().map((c) => c.ref)).toEqual(['IMLU-2026-001']);
    expect(again.whoami().role).toBe('admin');
    again.lock();

    const e = await expectCode(openAs(dir, ADMIN, 'not the passphrase'), 'WRONG_PASSPHRASE');
    expect(e.message).toContain('amina');
    await expectCode(openAs(dir, 'nobody', ADMIN_PASS), 'USER_NOT_FOUND');
  });

  it('lays out the folder as DESIGN.md says, with no secret in the header', async () => {
    const { dir, service, recoveryIdentity } = await newVault();
    service.lock();
    const header = readHeader(dir);
    expect(header.format).toBe('kesi-vault');
    expect(header.slots.map((s) => s.type).sort()).toEqual(['passphrase', 'recovery']);
    expect(header.users[0]?.keys[0]?.publicKey).toMatch(/^[A-Za-z0-9+/]{43}=$/);
    const text = readFileSync(join(dir, 'vault.json'), 'utf8');
    expect(text).not.toContain('AGE-SECRET-KEY');
    expect(text).not.toContain(recoveryIdentity);
    // The catalogue is encrypted from its first byte.
    expect(readFileSync(join(dir, 'catalogue.db')).subarray(0, 16).toString('latin1')).not.toBe(
      'SQLite format 3\0',
    );
  });

  it('uses an scrypt cost of at least 2^18 for passphrase slots by default', async () => {
    expect(DEFAULT_SCRYPT_LOG_N).toBeGreaterThanOrEqual(18);
    const dir = join(tempDir(), 'v');
    const created = await createVault(dir, { admin: ADMIN, passphrase: ADMIN_PASS });
    lockVault(created.vault);
    const slot = readHeader(dir).slots.find((s) => s.type === 'passphrase');
    const stanza = readFileSync(join(dir, slot!.file), 'latin1').split('\n')[1];
    expect(stanza).toMatch(/^-> scrypt \S+ (\d+)$/);
    expect(Number(stanza!.split(' ')[3])).toBeGreaterThanOrEqual(18);
  });

  it('slows down repeated wrong passphrases and resets after success', async () => {
    const { dir, service } = await newVault();
    service.lock();
    const t0 = new Date('2026-11-21T10:00:00Z');
    const at = (s: number) => new Date(t0.getTime() + s * 1000);
    for (let i = 0; i < 3; i++) {
      await expectCode(unlockVault(dir, ADMIN, 'wrong', { now: () => at(i) }), 'WRONG_PASSPHRASE');
    }
    // A fourth try straight away must wait, even with the right passphrase.
    const e = await expectCode(
      unlockVault(dir, ADMIN, ADMIN_PASS, { now: () => at(3) }),
      'UNLOCK_DELAYED',
    );
    expect(e.details?.['retryAfterSeconds']).toBe(delayAfter(3) - 1);
    await expectCode(
      unlockVault(dir, ADMIN, 'wrong', { now: () => at(2 + delayAfter(3)) }),
      'WRONG_PASSPHRASE',
    );
    await expectCode(
      unlockVault(dir, ADMIN, ADMIN_PASS, { now: () => at(3 + delayAfter(3)) }),
      'UNLOCK_DELAYED',
    );
    expect(delayAfter(4)).toBeGreaterThan(delayAfter(3));
    const ok = await unlockVault(dir, ADMIN, ADMIN_PASS, {
      now: () => at(2 + delayAfter(3) + delayAfter(4)),
      kdfLogN: TEST_LOG_N,
    });
    lockVault(ok.vault);
    // Success clears the count.
    await expectCode(unlockVault(dir, ADMIN, 'wrong', { now: () => at(1000) }), 'WRONG_PASSPHRASE');
    const again = await unlockVault(dir, ADMIN, ADMIN_PASS, { now: () => at(1001) });
    lockVault(again.vault);
  });

  it('refuses a vault from a newer version with a clear message', async () => {
    const { dir, service } = await newVault();
    service.lock();
    const h = JSON.parse(readFileSync(join(dir, 'vault.json'), 'utf8'));
    h.version = 99;
    writeFileSync(join(dir, 'vault.json'), JSON.stringify(h));
    const e = await expectCode(openAs(dir, ADMIN, ADMIN_PASS), 'VAULT_TOO_NEW');
    expect(e.message).toMatch(/newer|Update Kesi/);
  });

  it('adding, re-keying and removing users rewrites slots only, never data', async () => {
    const { dir, service } = await newVault();
    service.createCase({ ref: 'C1', title: 'Case one' });
    const file = join(tempDir(), 'statement.txt');
    writeFileSync(file, 'I saw the officers at the gate.');
    await service.addFiles({ caseRef: 'C1', paths: [file] });
    const blobsBefore = snapshot(dir, 'blobs');

    const pass = await addUser(service, 'baraka', 'investigator');
    await service.changePassphrase(ADMIN, 'a brand new admin passphrase');
    await service.changePassphrase('baraka', 'reset by the admin');
    service.removeUser('baraka');
    service.lock();

    expect(snapshot(dir, 'blobs')).toEqual(blobsBefore);
    await expectCode(openAs(dir, 'baraka', pass), 'USER_NOT_FOUND');
    await expectCode(openAs(dir, ADMIN, ADMIN_PASS), 'WRONG_PASSPHRASE');
    const admin = await openAs(dir, ADMIN, 'a brand new admin passphrase');
    expect(admin.listItems('C1')).toHaveLength(1);
    const users = admin.listUsers();
    expect(users.find((u) => u.name === 'baraka')?.removedAt).not.toBeNull();
    expect(() => admin.removeUser(ADMIN)).toThrow(/last administrator/);
    admin.lock();
  });

  it('an admin reset gives the user a new key and revokes the old one', async () => {
    const { dir, service } = await newVault();
    await addUser(service, 'wanjiku', 'lawyer', 'first passphrase');
    const before = service.listUsers().find((u) => u.name === 'wanjiku')!;
    await service.changePassphrase('wanjiku', 'second passphrase');
    service.lock();
    await expectCode(openAs(dir, 'wanjiku', 'first passphrase'), 'WRONG_PASSPHRASE');
    const w = await openAs(dir, 'wanjiku', 'second passphrase');
    expect(w.whoami().keyId).not.toBe(before.keyId);
    w.lock();
  });

  it('opens with the recovery key alone, and with the escrow identity alone', async () => {
    const escrow = generateX25519Identity();
    const { dir, service, recoveryIdentity } = await newVault({
      escrowRecipient: escrow.recipient,
    });
    service.createCase({ ref: 'C1', title: 'Case one' });
    const file = join(tempDir(), 'p3.txt');
    writeFileSync(file, 'P3 form: injuries consistent with blunt force.');
    const [added] = await service.addFiles({ caseRef: 'C1', paths: [file] });
    service.lock();

    for (const [identity, slot] of [
      [recoveryIdentity, 'recovery'],
      [escrow.identity, 'escrow'],
    ] as const) {
      const { vault, slot: used } = await unlockWithKey(dir, identity, { kdfLogN: TEST_LOG_N });
      expect(used).toBe(slot);
      const item = vault.catalogue.items.get(added!.itemId!);
      const data = await vault.blobs.readBuffer(item.blobName!, item.sha256);
      expect(data.toString()).toContain('blunt force');
      // The passphrase is lost: set a new one for the admin.
      const admin = vault.catalogue.users.byName(ADMIN)!;
      await resetUserKey(
        vault,
        admin,
        `recovered with ${slot}`,
        new Date().toISOString(),
        null,
        slot,
      );
      lockVault(vault);
      const svc = await openAs(dir, ADMIN, `recovered with ${slot}`);
      expect(svc.listItems('C1')).toHaveLength(1);
      svc.lock();
    }
    await expectCode(unlockWithKey(dir, generateX25519Identity().identity), 'WRONG_RECOVERY_KEY');
  });
});
