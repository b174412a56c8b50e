// The app's export of an original and its check of a bundle against the open vault, through the
// dispatcher the IPC handlers use, on the demo vault: only where the user chose, the bytes
// checked, the export logged; a bundle made again from the vault byte for byte.
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Envelope } from '../../shared/envelope';
import type {
  BundleVerifyView,
  CustodyEventView,
  ItemView,
  SavedFileView,
} from '../../shared/contract';
import { createDispatcher } from '../../electron/app/dispatch';
import { AppSession } from '../../electron/app/session';
import { DEMO_CASE_REF, DEMO_COVER, demoVault, suiteDir } from '../helpers/bundle-vault';
import { appendIncrementalUpdate } from '../helpers/tamper-pdf';
import { ADMIN, ADMIN_PASS, TEST_LOG_N } from '../helpers/vault';

let work: string;
let session: AppSession;
let nextPath = '';
let call: (method: string, ...args: unknown[]) => Promise<Envelope>;

const valueOf = <T>(e: Envelope): T => {
  if (!e.ok) throw new Error(`${e.error.code}: ${e.error.message}`);
  return e.value as T;
};

beforeAll(async () => {
  const demo = await demoVault();
  demo.service.lock();
  work = suiteDir('kesi-app-export-');
  session = new AppSession({ dir: demo.dir, kdfLogN: TEST_LOG_N });
  const dispatch = createDispatcher(() => session, {
    log: () => undefined,
    host: { chooseSavePath: async () => nextPath, openPath: async () => undefined },
  });
  call = (method, ...args) => dispatch(method, args);
  valueOf(await call('unlock', { user: ADMIN, passphrase: ADMIN_PASS }));
}, 180_000);

describe('exporting an original', () => {
  it('writes the decrypted file where the user chose, checked, and logs the export', async () => {
    const items = valueOf<ItemView[]>(await call('listItems', DEMO_CASE_REF));
    const photo = items.find((i) => i.kind === 'photo');
    expect(photo).toBeDefined();
    nextPath = join(work, 'exported photo.jpg');
    expect(await call('chooseSavePath', 'photo.jpg')).toEqual({ ok: true, value: nextPath });
    const saved = valueOf<SavedFileView>(
      await call('exportItem', photo!.id, nextPath, 'Sent to the prosecution counsel'),
    );
    const bytes = readFileSync(nextPath);
    expect(saved).toEqual({ path: nextPath, sha256: photo!.sha256, size: photo!.size });
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(photo!.sha256);

    const log = valueOf<CustodyEventView[]>(await call('caseLog', DEMO_CASE_REF));
    expect(log.at(-1)).toMatchObject({
      action: 'export',
      itemUid: photo!.uid,
      reason: 'Sent to the prosecution counsel',
      details: { sha256: photo!.sha256, fileName: 'exported photo.jpg' },
    });
  });

  it('writes nowhere the user did not choose, and says a physical exhibit has no file', async () => {
    const items = valueOf<ItemView[]>(await call('listItems', DEMO_CASE_REF));
    const elsewhere = join(work, 'not chosen.jpg');
    expect(await call('exportItem', items[0]!.id, elsewhere)).toMatchObject({
      ok: false,
      error: { code: 'SAVE_PATH_NOT_CHOSEN' },
    });
    expect(existsSync(elsewhere)).toBe(false);

    const shirt = items.find((i) => i.kind === 'physical_exhibit');
    expect(shirt).toBeDefined();
    nextPath = join(work, 'shirt.bin');
    await call('chooseSavePath', 'shirt.bin');
    expect(await call('exportItem', shirt!.id, nextPath)).toMatchObject({
      ok: false,
      error: { code: 'BAD_INPUT' },
    });
    expect(existsSync(nextPath)).toBe(false);
  });

  it('says why it cannot write into a folder that is not there, leaves nothing and logs nothing', async () => {
    const items = valueOf<ItemView[]>(await call('listItems', DEMO_CASE_REF));
    const photo = items.find((i) => i.kind === 'photo')!;
    const before = valueOf<CustodyEventView[]>(await call('caseLog', DEMO_CASE_REF)).length;
    nextPath = join(work, 'no such folder', 'photo.jpg');
    await call('chooseSavePath', 'photo.jpg');
    const r = await call('exportItem', photo.id, nextPath, 'For the prosecution');
    expect(r).toMatchObject({ ok: false, error: { code: 'FILE_WRITE_FAILED' } });
    expect(!r.ok && r.error.message).toMatch(/the folder does not exist/);
    expect(existsSync(join(work, 'no such folder'))).toBe(false);
    expect(valueOf<CustodyEventView[]>(await call('caseLog', DEMO_CASE_REF))).toHaveLength(before);
    // The audit report likewise.
    valueOf(await call('audit'));
    await call('chooseSavePath', 'report.pdf');
    expect(await call('exportAuditReport', nextPath)).toMatchObject({
      ok: false,
      error: { code: 'FILE_WRITE_FAILED' },
    });
  });
});

describe('checking a bundle against the open vault', () => {
  let pdf: string;

  beforeAll(async () => {
    const service = session.service();
    const saved = service.saveBundle(service.defaultBundleSpec(DEMO_CASE_REF, DEMO_COVER));
    pdf = join(work, 'bundle.pdf');
    await service.generateBundle(saved.uid, pdf, { at: new Date().toISOString() });
  }, 120_000);

  it('on its own: no vault checks; against the vault: the same bytes made again', async () => {
    const alone = valueOf<BundleVerifyView>(await call('verifyBundle', pdf));
    expect(alone.ok).toBe(true);
    expect(alone.vault).toBeUndefined();
    expect(alone.checks['vault']).toBe('skipped');

    const checked = valueOf<BundleVerifyView>(
      await call('verifyBundle', pdf, { againstVault: true }),
    );
    expect(checked.problems).toEqual([]);
    expect(checked.checks['vault']).toBe('pass');
    expect(checked.vault).toMatchObject({
      user: ADMIN,
      comparison: 'identical',
      exportedBy: ADMIN,
      itemsChecked: checked.exhibits.length,
    });
  });

  it('reports a file changed after it was signed, and needs an unlocked vault', async () => {
    const changed = join(work, 'changed.pdf');
    writeFileSync(changed, await appendIncrementalUpdate(readFileSync(pdf), 'Edited'));
    const r = valueOf<BundleVerifyView>(
      await call('verifyBundle', changed, { againstVault: true }),
    );
    expect(r.ok).toBe(false);
    expect(r.vault?.comparison).not.toBe('identical');

    const copy = join(work, 'copy.pdf');
    copyFileSync(pdf, copy);
    valueOf(await call('lock'));
    expect(await call('verifyBundle', copy, { againstVault: true })).toMatchObject({
      ok: false,
      error: { code: 'VAULT_LOCKED' },
    });
    // The file alone needs no vault.
    expect(valueOf<BundleVerifyView>(await call('verifyBundle', copy)).ok).toBe(true);
  });
});
