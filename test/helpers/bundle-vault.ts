// Real vaults for the bundle service tests: the demo case, and items planted the way an older
// or damaged vault could hold them (files that today's intake would refuse).
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import type { ItemKind } from '../../shared/domain';
import type { ItemRecord } from '../../electron/catalogue';
import { caseChainId } from '../../electron/custody/log';
import { createDemoVault, DEMO_CASE_REF } from '../../electron/demo/demo';
import type { KesiService } from '../../electron/service/service';
import { ADMIN, ADMIN_PASS, openAs, TEST_LOG_N } from './vault';

export { DEMO_CASE_REF };

/** The cover the bundle tests give the demo case. */
export const DEMO_COVER = {
  court: "Chief Magistrate's Court at Milimani",
  caseNumber: 'Criminal Case No. E123 of 2026',
  parties: 'Republic v. Kiprono Kibet Langat',
  preparedBy: 'Achieng Atieno Odera, IMLU',
  date: '2026-04-02',
};

const kept: string[] = [];

/** A temp folder that lasts the whole test file (tempDir's go after each test). */
export function suiteDir(prefix = 'kesi-'): string {
  const d = mkdtempSync(join(tmpdir(), prefix));
  kept.push(d);
  return d;
}

afterAll(() => {
  for (const d of kept.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A fresh demo vault, opened by its administrator. */
export async function demoVault(): Promise<{ dir: string; service: KesiService }> {
  const dir = join(suiteDir('kesi-bundle-'), 'vault');
  await createDemoVault(dir, { admin: ADMIN, passphrase: ADMIN_PASS, kdfLogN: TEST_LOG_N });
  return { dir, service: await openAs(dir, ADMIN, ADMIN_PASS) };
}

/**
 * Records an item straight in the catalogue, blob and signed intake event included, bypassing
 * the intake checks: how an item taken in by an older version (an encrypted or broken PDF, an
 * image without a page image) sits in a vault.
 */
export async function plantItem(
  svc: KesiService,
  caseRef: string,
  bytes: Buffer,
  f: { title: string; kind: ItemKind; mediaType: string; originalName: string },
): Promise<ItemRecord> {
  const cat = svc.vault.catalogue;
  const c = cat.cases.getByRef(caseRef);
  const put = await svc.vault.blobs.putBuffer(bytes);
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const at = new Date().toISOString();
  return cat.tx(() => {
    const it = cat.items.insert({
      caseId: c.id,
      kind: f.kind,
      title: f.title,
      originalName: f.originalName,
      size: bytes.length,
      mediaType: f.mediaType,
      sha256,
      blobName: put.blobName,
      createdAt: at,
      createdBy: svc.user.id,
    });
    svc.log.append(
      {
        chain: caseChainId(c.uid),
        action: 'intake',
        caseId: c.id,
        itemId: it.id,
        itemUid: it.uid,
        at,
        details: {
          kind: f.kind,
          originalName: f.originalName,
          mediaType: f.mediaType,
          size: bytes.length,
          sha256,
        },
      },
      { user: svc.user.name, keyId: svc.user.keyId, privateKey: svc.user.privateKey },
    );
    return it;
  });
}

/** Names in a folder other than the ones expected (left-over temporary files). */
export function strayFiles(dir: string, expected: string[] = []): string[] {
  return readdirSync(dir).filter((n) => !expected.includes(n));
}
