// The custody commands of the CLI: exhibit, transfer, log and audit, on a real vault.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { kesi } from '../helpers/cli';
import { cameraJpeg } from '../helpers/images';
import { tempDir } from '../helpers/tmp';
import { ADMIN, ADMIN_PASS, newVault, openAs } from '../helpers/vault';

describe('kesi exhibit, transfer, log and audit', () => {
  it('records custody, prints the timeline, and audits the vault', async () => {
    const { dir, service } = await newVault();
    service.createCase({ ref: 'IPOA-7', title: 'Shooting at Kibera' });
    service.lock();
    const env = {
      KESI_VAULT: dir,
      KESI_USER: ADMIN,
      KESI_PASSPHRASE: ADMIN_PASS,
      KESI_PLACE: 'IMLU office, Nairobi',
    };
    const photo = join(tempDir(), 'wound.jpg');
    writeFileSync(photo, await cameraJpeg(400, 300, 5));
    const added = JSON.parse(
      kesi(['add', 'IPOA-7', photo, '--reason', 'Taken at KNH', '--json'], env).stdout,
    );
    expect(added[0].status).toBe('added');

    const ex = kesi(
      [
        'exhibit',
        'IPOA-7',
        '--title',
        'Spent cartridge',
        '--seal',
        'S-19',
        '--reason',
        'Recovered at the scene',
        '--json',
      ],
      env,
    );
    expect(ex.code, ex.stderr).toBe(0);
    const exhibitId = JSON.parse(ex.stdout).id as number;
    expect(kesi(['transfer', String(exhibitId), '--to', 'Ballistics lab'], env).code).toBe(2); // reason required
    const tr = kesi(
      [
        'transfer',
        String(exhibitId),
        '--to',
        'Ballistics lab',
        '--org',
        'DCI',
        '--seal',
        'B-3',
        '--reason',
        'Examination',
      ],
      env,
    );
    expect(tr.code, tr.stderr).toBe(0);
    expect(tr.stdout).toContain('now with Ballistics lab, DCI (seal B-3)');

    const text = kesi(['log', 'IPOA-7'], env).stdout;
    expect(text).toMatch(/#1 .* EAT {2}create/);
    expect(text).toContain('to Ballistics lab, DCI, seal B-3');
    expect(text).toContain('@ IMLU office, Nairobi');
    const events = JSON.parse(kesi(['log', 'IPOA-7', '--json'], env).stdout);
    expect(events.map((e: { action: string }) => e.action)).toEqual([
      'create',
      'intake',
      'intake',
      'transfer',
    ]);
    expect(events[1].reason).toBe('Taken at KNH');
    expect(events.every((e: { sig: string }) => e.sig.length === 88)).toBe(true);
    const itemLog = JSON.parse(kesi(['log', '--item', String(exhibitId), '--json'], env).stdout);
    expect(itemLog).toHaveLength(2);
    const vaultChain = JSON.parse(kesi(['log', '--vault-chain', '--json'], env).stdout);
    expect(vaultChain[0].action).toBe('vault_create');
    expect(vaultChain.some((e: { action: string }) => e.action === 'tree_head')).toBe(true);

    const audit = kesi(['audit'], env);
    expect(audit.code, audit.stdout + audit.stderr).toBe(0);
    const report = JSON.parse(kesi(['audit', '--json'], env).stdout);
    expect(report.ok).toBe(true);
    expect(report.problems.filter((p: { severity: string }) => p.severity === 'error')).toEqual([]);

    // One flipped byte in the photo's blob: the audit fails and names the item.
    const svc = await openAs(dir, ADMIN, ADMIN_PASS);
    const item = svc.getItem(added[0].itemId);
    const path = svc.vault.blobs.pathOf(item.blobName!);
    svc.lock();
    const bytes = readFileSync(path);
    bytes[bytes.length - 100]! ^= 0x40;
    writeFileSync(path, bytes);
    const bad = kesi(['audit'], env);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toContain('wound.jpg');
  });
});
