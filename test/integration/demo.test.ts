// The demo vault: an invented case whose files are made on the spot, taken in for real.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { createDemoVault, DEMO_CASE_REF } from '../../electron/demo/demo';
import { DEMO_PEOPLE, demoP3Report, demoPhotos } from '../../electron/demo/files';
import type { KesiService } from '../../electron/service/service';
import { demoVault } from '../helpers/bundle-vault';
import { tempDir } from '../helpers/tmp';
import { ADMIN_PASS, TEST_LOG_N } from '../helpers/vault';

let svc: KesiService;

beforeAll(async () => {
  ({ service: svc } = await demoVault());
}, 60_000);

describe('kesi demo', () => {
  it('holds a case with invented people, one of them a protected witness', () => {
    const c = svc.getCase(DEMO_CASE_REF);
    expect(c.court).toBe("Chief Magistrate's Court at Milimani");
    const persons = svc.listPersons(DEMO_CASE_REF);
    expect(persons.map((p) => p.role)).toEqual([
      'survivor',
      'witness',
      'suspect_officer',
      'medical_officer',
    ]);
    const witness = persons.find((p) => p.role === 'witness');
    expect(witness).toMatchObject({ protected: true, fullName: null, displayName: 'PW2' });
    // The real name never enters the custody log.
    expect(JSON.stringify(svc.caseLog(DEMO_CASE_REF))).not.toContain(DEMO_PEOPLE.witness);
  });

  it('holds statements, a P3 report, camera photos and a physical exhibit in custody', async () => {
    const items = svc.listItems(DEMO_CASE_REF);
    expect(items.map((i) => i.kind)).toEqual([
      'statement',
      'statement',
      'statement',
      'medical_report',
      'photo',
      'photo',
      'photo',
      'physical_exhibit',
    ]);
    const sw = items.find((i) => i.originalName === 'taarifa-ya-shahidi-sw.txt');
    const { data } = await svc.readItem(sw?.id ?? 0);
    expect(data.toString('utf8')).toContain('Wanjikũ Njeri Kamau');
    expect(data.toString('utf8')).toContain('Taarifa hii ni ya kweli');

    const p3 = items.find((i) => i.kind === 'medical_report');
    expect(p3).toMatchObject({ subtype: 'p3', mediaType: 'application/pdf' });
    expect(p3?.metadata).toMatchObject({ pageCount: 2, encrypted: false });

    for (const photo of items.filter((i) => i.kind === 'photo')) {
      expect(photo.metadata['make']).toMatch(/TECNO|Canon/);
      expect(photo.metadata['model']).toBeTruthy();
      expect(photo.capturedAt).toMatch(/^2026-03-1[34]T/);
      const page = svc.vault.catalogue.derivatives
        .listByItem(photo.id)
        .find((d) => d.kind === 'page_image');
      expect(page).toBeDefined();
    }
    // The shirt was photographed with the camera held upright: stored sideways, orientation 6,
    // and its page image is upright (taller than wide).
    const shirt = items.find((i) => i.originalName === 'IMG_20260314_093410.jpg');
    expect(shirt?.metadata['orientation']).toBe(6);
    const page = svc.vault.catalogue.derivatives
      .listByItem(shirt?.id ?? 0)
      .find((d) => d.kind === 'page_image');
    expect((page?.height ?? 0) > (page?.width ?? 0)).toBe(true);

    const exhibit = items.find((i) => i.kind === 'physical_exhibit');
    expect(svc.currentCustodian(exhibit?.id ?? 0)).toMatchObject({
      name: 'Government Chemist, Nairobi',
      seal: 'IMLU-SEAL-0412',
    });
  });

  it('passes the vault audit', async () => {
    const report = await svc.audit();
    expect(report.ok, JSON.stringify(report.problems)).toBe(true);
  });

  it('makes the same files every time', async () => {
    expect(Buffer.from(await demoP3Report()).equals(Buffer.from(await demoP3Report()))).toBe(true);
    const [a, b] = [await demoPhotos(), await demoPhotos()];
    expect(a.map((p) => p.bytes.toString('base64'))).toEqual(
      b.map((p) => p.bytes.toString('base64')),
    );
  });

  it('refuses a folder that is not empty', async () => {
    const dir = tempDir('kesi-demo-');
    writeFileSync(join(dir, 'notes.txt'), 'mine');
    await expect(
      createDemoVault(dir, { admin: 'amina', passphrase: ADMIN_PASS, kdfLogN: TEST_LOG_N }),
    ).rejects.toMatchObject({ code: 'VAULT_EXISTS' });
  });
});
