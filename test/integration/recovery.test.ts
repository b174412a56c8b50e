// Follows docs/RECOVERY.md step by step with standard tools: the real `age` command for the key
// slots and the blobs, and a bare SQLCipher 4 connection (raw key, no Kesi code) for the catalogue.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { describe, expect, it } from 'vitest';
import { generateX25519Identity } from '../../electron/vault/age';
import { readHeader } from '../../electron/vault/header';
import { tempDir } from '../helpers/tmp';
import { ADMIN_PASS, newVault } from '../helpers/vault';

interface SlotJson {
  keyring: { catalogueKey: string; blobIdentity: string; nameKey: string };
}

function openWithRawKey(file: string, hexKey: string) {
  const db = new Database(file, { readonly: true });
  db.pragma(`cipher='sqlcipher'`);
  db.pragma('legacy=4');
  db.pragma(`key="x'${hexKey}'"`);
  return db;
}

describe('recovery with standard tools (docs/RECOVERY.md)', () => {
  it('passphrase, recovery key and escrow identity each recover every original', async () => {
    const escrow = generateX25519Identity();
    const { dir, service, recoveryIdentity } = await newVault({
      escrowRecipient: escrow.recipient,
    });
    service.createCase({ ref: 'REC-1', title: 'Recovery drill' });
    const work = tempDir();
    const originals = ['statement.txt', 'p3-form.txt'].map((name, i) => {
      const p = join(work, name);
      writeFileSync(p, `${name}: evidence body ${i}\n`.repeat(5000));
      return p;
    });
    await service.addFiles({ caseRef: 'REC-1', paths: originals });
    service.lock(); // the app is gone; only the folder and the keys remain

    writeFileSync(join(work, 'recovery.txt'), `# recovery key\n${recoveryIdentity}\n`);
    writeFileSync(join(work, 'escrow-identity.txt'), `${escrow.identity}\n`);
    const userSlot = readHeader(dir).slots.find((s) => s.type === 'passphrase')!.file;

    const ways: [string, () => void][] = [
      [
        'passphrase',
        () =>
          execFileSync('python3', [
            join(__dirname, '../helpers/age-tty.py'),
            join(work, 'k1.json'),
            join(dir, userSlot),
            ADMIN_PASS,
          ]),
      ],
      [
        'recovery',
        () =>
          execFileSync('age', [
            '-d',
            '-i',
            join(work, 'recovery.txt'),
            '-o',
            join(work, 'k2.json'),
            join(dir, 'slots/recovery.age'),
          ]),
      ],
      [
        'escrow',
        () =>
          execFileSync('age', [
            '-d',
            '-i',
            join(work, 'escrow-identity.txt'),
            '-o',
            join(work, 'k3.json'),
            join(dir, 'slots/escrow.age'),
          ]),
      ],
    ];
    for (const [i, [way, step1]] of ways.entries()) {
      step1();
      const slot = JSON.parse(readFileSync(join(work, `k${i + 1}.json`), 'utf8')) as SlotJson;
      expect(slot.keyring.catalogueKey, way).toMatch(/^[0-9a-f]{64}$/);

      const db = openWithRawKey(join(dir, 'catalogue.db'), slot.keyring.catalogueKey);
      const rows = db
        .prepare('SELECT original_name, sha256, blob_name FROM items ORDER BY id')
        .all() as {
        original_name: string;
        sha256: string;
        blob_name: string;
      }[];
      db.close();
      expect(rows.map((r) => r.original_name)).toEqual(['statement.txt', 'p3-form.txt']);

      const keyFile = join(work, 'blob.key');
      writeFileSync(keyFile, slot.keyring.blobIdentity + '\n');
      for (const r of rows) {
        const blob = join(dir, 'blobs', r.blob_name.slice(0, 2), r.blob_name.slice(2));
        const plain = execFileSync('age', ['-d', '-i', keyFile, blob]);
        expect(createHash('sha256').update(plain).digest('hex')).toBe(r.sha256);
        // The escrow identity opens blobs directly, too.
        const viaEscrow = execFileSync('age', [
          '-d',
          '-i',
          join(work, 'escrow-identity.txt'),
          blob,
        ]);
        expect(viaEscrow.equals(plain)).toBe(true);
        // The documented shell pipeline computes the blob name from the hash and the name key.
        const name = execFileSync('bash', [
          '-c',
          `printf %s ${r.sha256} | xxd -r -p | openssl dgst -sha256 -mac HMAC -macopt hexkey:${slot.keyring.nameKey}`,
        ]).toString();
        expect(name.trim().split(/\s+/).pop()).toBe(r.blob_name);
      }
    }
  });
});
