// The CLI contract of the vault issue, end to end through the built `kesi` command, with the
// real scrypt cost.
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync, existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateX25519Identity } from '../../electron/vault/age';
import { kesi } from '../helpers/cli';
import { tempDir } from '../helpers/tmp';

describe('kesi CLI', () => {
  it('runs the whole foundation flow', () => {
    const d = tempDir();
    const vault = join(d, 'vault');
    const escrow = generateX25519Identity();
    const env = { KESI_VAULT: vault, KESI_USER: 'amina', KESI_PASSPHRASE: 'amina long passphrase' };

    const init = kesi(
      ['init', '--escrow', escrow.recipient, '--recovery-out', join(d, 'recovery.txt'), '--json'],
      env,
    );
    expect(init.stderr).toBe('');
    expect(init.code).toBe(0);
    expect(JSON.parse(init.stdout)).toMatchObject({ admin: 'amina', escrow: escrow.recipient });
    expect(readFileSync(join(d, 'recovery.txt'), 'utf8')).toMatch(/^AGE-SECRET-KEY-1[0-9A-Z]+$/m);
    expect(statSync(join(d, 'recovery.txt')).mode & 0o777).toBe(0o600);
    expect(kesi(['init'], env).code).toBe(1); // already a vault

    const add = kesi(['user', 'add', 'otieno', '--role', 'investigator'], {
      ...env,
      KESI_NEW_PASSPHRASE: 'otieno long passphrase',
    });
    expect(add.code, add.stderr).toBe(0);
    const users = JSON.parse(kesi(['user', 'list', '--json'], env).stdout);
    expect(users.map((u: { name: string; role: string }) => `${u.name}:${u.role}`)).toEqual([
      'amina:admin',
      'otieno:investigator',
    ]);

    const inv = { ...env, KESI_USER: 'otieno', KESI_PASSPHRASE: 'otieno long passphrase' };
    const created = kesi(
      [
        'case',
        'create',
        'IMLU-2026-014',
        '--title',
        'Assault at Kayole police post',
        '--ob',
        'OB 12/03/2026',
        '--station',
        'Kayole',
        '--county',
        'Nairobi',
      ],
      inv,
    );
    expect(created.code, created.stderr).toBe(0);
    expect(
      kesi(
        [
          'person',
          'add',
          'IMLU-2026-014',
          '--name',
          'Achieng Otieno',
          '--role',
          'survivor',
          '--pseudonym',
          'Witness A',
          '--protected',
        ],
        inv,
      ).code,
    ).toBe(0);
    expect(
      kesi(
        [
          'person',
          'add',
          'IMLU-2026-014',
          '--name',
          'Cpl. Mwangi',
          '--role',
          'suspect_officer',
          '--service-number',
          '84521',
        ],
        inv,
      ).code,
    ).toBe(0);

    const f1 = join(d, 'statement.txt');
    const f2 = join(d, 'photo.bin');
    writeFileSync(f1, 'Statement of Witness A.\n');
    writeFileSync(f2, randomBytes(70_000));
    const sha2 = createHash('sha256').update(readFileSync(f2)).digest('hex');
    const addRes = kesi(
      ['add', 'IMLU-2026-014', f1, f2, join(d, 'missing.jpg'), '--force', '--json'],
      inv,
    );
    expect(addRes.code).toBe(1); // one file failed
    const results = JSON.parse(addRes.stdout);
    expect(results).toHaveLength(3);
    expect(results[0]).toMatchObject({ file: f1, status: 'added' });
    expect(results[1]).toMatchObject({ file: f2, status: 'added', sha256: sha2 });
    expect(results[2]).toMatchObject({ status: 'error', error: { code: 'FILE_NOT_FOUND' } });
    const dup = JSON.parse(kesi(['add', 'IMLU-2026-014', f2, '--force', '--json'], inv).stdout);
    expect(dup[0]).toMatchObject({ status: 'duplicate', itemId: results[1].itemId });
    const bad = JSON.parse(
      kesi(['add', 'IMLU-2026-014', f1, '--expect-sha256', 'b'.repeat(64), '--json'], inv).stdout,
    );
    expect(bad[0].error.code).toBe('HASH_MISMATCH');

    const items = JSON.parse(kesi(['items', 'IMLU-2026-014', '--json'], inv).stdout);
    expect(items).toHaveLength(2);
    const table = kesi(['items', 'IMLU-2026-014'], inv).stdout;
    expect(table).toContain('statement.txt');

    const hits = JSON.parse(kesi(['search', 'Kayole', '--json'], inv).stdout);
    expect(hits.some((h: { type: string }) => h.type === 'case')).toBe(true);
    // The protected survivor is found by pseudonym only: her real name finds nothing, so a
    // search cannot confirm who she is.
    expect(JSON.parse(kesi(['search', 'Achieng', '--json'], inv).stdout)).toEqual([]);
    const who = kesi(['search', 'Witness', '--json'], inv).stdout;
    expect(who).toContain('Witness A');
    expect(who).not.toContain('Achieng');
    const show = kesi(['case', 'show', 'IMLU-2026-014'], inv).stdout;
    expect(show).toContain('Witness A');
    expect(show).not.toContain('Achieng');

    const out = join(d, 'back.bin');
    const get = kesi(['get', String(results[1].itemId), '--out', out], inv);
    expect(get.code, get.stderr).toBe(0);
    expect(createHash('sha256').update(readFileSync(out)).digest('hex')).toBe(sha2);

    // Passphrase change, then recovery with the printed key and with the escrow identity.
    expect(
      kesi(['user', 'passwd', 'otieno'], {
        ...inv,
        KESI_NEW_PASSPHRASE: 'otieno second passphrase',
      }).code,
    ).toBe(0);
    expect(kesi(['items', 'IMLU-2026-014'], inv).code).toBe(1);
    const rec = kesi(['recover', '--key', join(d, 'recovery.txt'), '--user', 'amina'], {
      KESI_VAULT: vault,
      KESI_NEW_PASSPHRASE: 'recovered amina pass',
    });
    expect(rec.code, rec.stderr).toBe(0);
    expect(
      kesi(['case', 'list'], { ...env, KESI_PASSPHRASE: 'recovered amina pass' }).stdout,
    ).toContain('IMLU-2026-014');
    writeFileSync(join(d, 'escrow.key'), escrow.identity + '\n');
    const rec2 = kesi(['recover', '--key', join(d, 'escrow.key'), '--user', 'amina', '--json'], {
      KESI_VAULT: vault,
      KESI_NEW_PASSPHRASE: 'escrow amina pass',
    });
    expect(JSON.parse(rec2.stdout)).toMatchObject({ recoveredWith: 'escrow' });

    expect(
      kesi(['user', 'remove', 'otieno'], { ...env, KESI_PASSPHRASE: 'escrow amina pass' }).code,
    ).toBe(0);
    expect(existsSync(vault)).toBe(true);
  });

  it('exits 2 on bad usage and 1 on errors, with a clear message', () => {
    const d = tempDir();
    const env = {
      KESI_VAULT: join(d, 'v'),
      KESI_USER: 'amina',
      KESI_PASSPHRASE: 'amina long passphrase',
    };
    expect(kesi(['frobnicate'], env).code).toBe(2);
    expect(kesi(['case', 'create', 'X'], env).code).toBe(2); // --title missing
    expect(kesi(['items'], env).code).toBe(2);
    expect(kesi(['add', 'X', 'f', '--colour', 'red'], env).code).toBe(2);
    const none = kesi(['case', 'list'], env);
    expect(none.code).toBe(1);
    expect(none.stderr).toContain('There is no Kesi vault in this folder');
    expect(kesi(['init'], { ...env, KESI_PASSPHRASE: 'short' }).stderr).toContain(
      'WEAK_PASSPHRASE',
    );
    expect(kesi(['init'], env).code).toBe(0);
    const wrong = kesi(['case', 'list', '--json'], {
      ...env,
      KESI_PASSPHRASE: 'not the passphrase',
    });
    expect(wrong.code).toBe(1);
    expect(JSON.parse(wrong.stdout).error.code).toBe('WRONG_PASSPHRASE');
    expect(kesi(['case', 'show', 'NOPE'], env).stderr).toContain('CASE_NOT_FOUND');
    expect(kesi(['--help'], env).code).toBe(0);
  });
});
