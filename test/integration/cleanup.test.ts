// `kesi cleanup`: leftovers of interrupted intakes (unreferenced blobs, temp files) are removed
// once old enough, young ones and everything an item refers to are kept, the removal is a signed
// vault-chain event, and an intake that loses its blob to a concurrent cleanup fails whole.
import { utimesSync, writeFileSync, existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BLOB_TMP_DIR } from '../../electron/blobs/store';
import { lockVault } from '../../electron/vault/vault';
import { cameraJpeg } from '../helpers/images';
import { kesi } from '../helpers/cli';
import { tempDir } from '../helpers/tmp';
import { ADMIN, ADMIN_PASS, addUser, newVault, openAs } from '../helpers/vault';

const HOURS_AGO = (h: number) => new Date(Date.now() - h * 3_600_000);

function age(path: string, hours: number): void {
  utimesSync(path, HOURS_AGO(hours), HOURS_AGO(hours));
}

async function vaultWithLeftovers() {
  const v = await newVault();
  const svc = v.service;
  svc.createCase({ ref: 'KE-1', title: 'Cleanup' });
  const photos = tempDir();
  const kept = join(photos, 'kept.jpg');
  writeFileSync(kept, await cameraJpeg(640, 480, 1));
  const [added] = await svc.addFiles({ caseRef: 'KE-1', paths: [kept] });
  expect(added?.status).toBe('added');
  // An intake killed after writing its blob, before recording it: an old one and a fresh one.
  const blobs = svc.vault.blobs;
  const old = await blobs.putBuffer(Buffer.from('left by an intake killed yesterday'));
  const young = await blobs.putBuffer(Buffer.from('being added right now'));
  age(blobs.pathOf(old.blobName), 25);
  const tmpDir = join(blobs.root, BLOB_TMP_DIR);
  mkdirSync(tmpDir, { recursive: true });
  const oldTemp = join(tmpDir, 'aaaaaaaaaaaaaaaaaaaaaaaa.age.tmp');
  writeFileSync(oldTemp, 'partial');
  age(oldTemp, 2);
  return { ...v, svc, old: old.blobName, young: young.blobName, oldTemp, itemId: added!.itemId! };
}

describe('cleanup of leftovers', () => {
  it('removes old leftovers only, records it, and leaves the audit clean of them', async () => {
    const { svc, old, young, oldTemp, itemId } = await vaultWithLeftovers();
    const before = await svc.audit();
    expect(before.problems.map((p) => p.code).sort()).toEqual([
      'blob_temp_file',
      'blob_unreferenced',
      'blob_unreferenced',
    ]);

    const dry = svc.cleanup({ dryRun: true });
    expect(dry).toMatchObject({ blobs: [old], tempFiles: [expect.stringMatching(/\.age\.tmp$/)] });
    expect(dry.removed).toBe(false);
    expect(dry.keptYoung).toBe(1);
    expect(existsSync(svc.vault.blobs.pathOf(old))).toBe(true);
    expect(svc.vaultLog().some((e) => e.action === 'cleanup')).toBe(false);

    const done = svc.cleanup({ reason: 'leftovers after a power cut' });
    expect(done).toMatchObject({ removed: true, blobs: [old], keptYoung: 1, failed: [] });
    expect(existsSync(svc.vault.blobs.pathOf(old))).toBe(false);
    expect(existsSync(oldTemp)).toBe(false);
    expect(existsSync(svc.vault.blobs.pathOf(young))).toBe(true);
    const cleanupEvent = svc.vaultLog().find((e) => e.action === 'cleanup');
    expect(cleanupEvent).toMatchObject({
      action: 'cleanup',
      reason: 'leftovers after a power cut',
      details: { blobs: [old], tempFiles: 1, minAgeMinutes: 60 },
    });

    // The item's own blobs are untouched and read back; only the young leftover is reported.
    const { data, item } = await svc.readItem(itemId);
    expect(data.length).toBe(item.size);
    const after = await svc.audit();
    expect(after.problems.map((p) => p.code)).toEqual(['blob_unreferenced']);
    expect(after.problems[0]?.blobName).toBe(young);

    // --min-age 0 takes the young one too; then there is nothing left to do.
    expect(svc.cleanup({ minAgeMinutes: 0 }).blobs).toEqual([young]);
    expect(svc.cleanup({ minAgeMinutes: 0 })).toMatchObject({ blobs: [], tempFiles: [] });
    expect((await svc.audit()).ok).toBe(true);
    expect((await svc.audit()).problems).toEqual([]);
  });

  it('is for administrators only', async () => {
    const { svc, dir, old } = await vaultWithLeftovers();
    const pass = await addUser(svc, 'wanjiru', 'investigator');
    lockVault(svc.vault);
    const inv = await openAs(dir, 'wanjiru', pass);
    expect(() => inv.cleanup()).toThrow(expect.objectContaining({ code: 'FORBIDDEN' }));
    expect(existsSync(inv.vault.blobs.pathOf(old))).toBe(true);
  });

  it('never leaves an item without its file: an intake whose blob was cleaned up fails whole', async () => {
    const { service: svc } = await newVault();
    svc.createCase({ ref: 'KE-2', title: 'Race' });
    const dir = tempDir();
    const photo = join(dir, 'p.jpg');
    const bytes = await cameraJpeg(320, 240, 7);
    writeFileSync(photo, bytes);
    // Same content as a yesterday's leftover: the intake finds its blob already stored.
    const left = await svc.vault.blobs.putBuffer(bytes);
    age(svc.vault.blobs.pathOf(left.blobName), 30);
    // Writing the same content again marks the blob as just used, so a cleanup keeps it.
    await svc.vault.blobs.putBuffer(bytes);
    expect(svc.cleanup().blobs).not.toContain(left.blobName);
    // If it goes anyway (a cleanup with --min-age 0 between the intake's write and its
    // commit), the commit finds it missing under the write lock and records nothing.
    const blobs = svc.vault.blobs;
    const put = blobs.putBuffer.bind(blobs);
    blobs.putBuffer = async (data, opts) => {
      const r = await put(data, opts);
      if (r.blobName === left.blobName) svc.cleanup({ minAgeMinutes: 0 });
      return r;
    };
    const [r] = await svc.addFiles({ caseRef: 'KE-2', paths: [photo] });
    blobs.putBuffer = put;
    expect(r?.status).toBe('error');
    expect(r?.error?.code).toBe('BLOB_MISSING');
    expect(r?.error?.message).toMatch(/Add it again/);
    expect(svc.listItems('KE-2')).toEqual([]);
    const [again] = await svc.addFiles({ caseRef: 'KE-2', paths: [photo] });
    expect(again?.status).toBe('added');
    expect((await svc.audit()).problems.filter((p) => p.severity === 'error')).toEqual([]);
  });

  it('works from the command line', async () => {
    const { dir, svc, old } = await vaultWithLeftovers();
    lockVault(svc.vault);
    const env = { KESI_VAULT: dir, KESI_USER: ADMIN, KESI_PASSPHRASE: ADMIN_PASS };
    const dry = kesi(['cleanup', '--dry-run'], env);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toMatch(/Would delete 1 unreferenced blob\(s\) and 1 temp file\(s\)/);
    expect(dry.stdout).toContain(old);
    expect(dry.stdout).toMatch(/Kept 1 leftover\(s\) younger than 60 minute\(s\)/);
    expect(kesi(['cleanup', '--min-age', 'soon'], env).code).toBe(2);
    const run = kesi(['cleanup', '--json', '--reason', 'tidy'], env);
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ removed: true, blobs: [old] });
    expect(readdirSync(join(dir, 'blobs', BLOB_TMP_DIR))).toEqual([]);
    expect(kesi(['cleanup'], env).stdout).toMatch(/^Nothing to clean up\.\n/);
  });
});
