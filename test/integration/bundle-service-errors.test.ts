// What goes wrong when a bundle is generated: bad exhibits named by their number, nothing left
// where the bundle was asked for, cancelling, roles, and each user's own signing certificate.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { BundleSpec } from '../../shared/bundle-spec';
import type { KesiError } from '../../shared/errors';
import { caseChainId } from '../../electron/custody/log';
import type { KesiService } from '../../electron/service/service';
import { corpusFile, hasTools, toolResult } from '../helpers/bundle';
import { DEMO_CASE_REF, demoVault, plantItem } from '../helpers/bundle-vault';
import { tempDir } from '../helpers/tmp';
import { ADMIN, ADMIN_PASS, addUser, openAs } from '../helpers/vault';

let dir: string;
let svc: KesiService;
/** The demo case's own items, before the bad ones are added. */
let goodSpec: BundleSpec;

function specOf(items: { itemUid: string; exhibitNumber: string }[]): BundleSpec {
  return {
    v: 1,
    caseRef: DEMO_CASE_REF,
    title: 'Prosecution bundle of documents',
    court: "Chief Magistrate's Court at Milimani",
    caseNumber: 'Criminal Case No. E123 of 2026',
    parties: 'Republic v. Kiprono Kibet Langat',
    preparedBy: 'Achieng Atieno Odera, IMLU',
    date: '2026-04-02',
    usePseudonyms: true,
    sections: [{ title: 'Exhibits', items }],
  };
}

function firstStatement(s: KesiService) {
  const it = s.listItems(DEMO_CASE_REF).find((i) => i.kind === 'statement');
  if (!it) throw new Error('the demo case has no statement');
  return it;
}

async function failure(p: Promise<unknown>): Promise<KesiError> {
  try {
    await p;
  } catch (e) {
    return e as KesiError;
  }
  throw new Error('expected a failure');
}

/** Generates into an empty folder, expects an error, and checks the folder is still empty. */
async function failsCleanly(s: KesiService, uid: string, opts = {}): Promise<KesiError> {
  const out = tempDir('kesi-out-');
  const e = await failure(s.generateBundle(uid, join(out, 'bundle.pdf'), opts));
  expect(readdirSync(out)).toEqual([]);
  return e;
}

function exportsOf(s: KesiService, bundleUid: string) {
  const c = s.getCase(DEMO_CASE_REF);
  return s.log
    .chainEvents(caseChainId(c.uid))
    .filter(
      (e) =>
        e.action === 'export' &&
        ((e.details['bundle'] as { uid?: string } | undefined)?.uid === bundleUid ||
          e.details['bundleUid'] === bundleUid),
    );
}

beforeAll(async () => {
  ({ dir, service: svc } = await demoVault());
  goodSpec = svc.defaultBundleSpec(DEMO_CASE_REF);
}, 60_000);

describe('exhibits that cannot go in a bundle', () => {
  it('a broken PDF: named, and no file left behind', async () => {
    const broken = await plantItem(
      svc,
      DEMO_CASE_REF,
      corpusFile('broken-pdf-header-then-eof-only.pdf'),
      {
        title: 'Damaged scan',
        kind: 'document',
        mediaType: 'application/pdf',
        originalName: 'scan.pdf',
      },
    );
    const b = svc.saveBundle(
      specOf([
        { itemUid: firstStatement(svc).uid, exhibitNumber: 'PExh-1' },
        { itemUid: broken.uid, exhibitNumber: 'PExh-2' },
      ]),
    );
    const e = await failsCleanly(svc, b.uid);
    expect(e.code).toBe('BUNDLE_EXHIBIT_UNREADABLE');
    expect(e.message).toContain('Exhibit PExh-2 (Damaged scan)');
    expect(e.message).toContain('damaged');
    expect(exportsOf(svc, b.uid)).toEqual([]);
    expect(svc.getBundle(b.uid).lastSha256).toBeNull();
  });

  it('a PDF that needs a password', async () => {
    const locked = await plantItem(
      svc,
      DEMO_CASE_REF,
      corpusFile('pdf-encrypted-userpw-openpassword-libreoffice.pdf'),
      {
        title: 'Locked letter',
        kind: 'document',
        mediaType: 'application/pdf',
        originalName: 'l.pdf',
      },
    );
    const b = svc.saveBundle(specOf([{ itemUid: locked.uid, exhibitNumber: 'MFI-7' }]));
    const e = await failsCleanly(svc, b.uid);
    expect(e.code).toBe('BUNDLE_EXHIBIT_UNREADABLE');
    expect(e.message).toContain('Exhibit MFI-7 (Locked letter)');
    expect(e.message).toContain('password');
  });

  it('a HEIC photo, which this computer cannot decode into a page image', async () => {
    const heic = join(tempDir('kesi-heic-'), 'IMG_0001.heic');
    writeFileSync(heic, corpusFile('heic-gps-apple-iphone7.heic'));
    const [r] = await svc.addFiles({
      caseRef: DEMO_CASE_REF,
      paths: [heic],
      title: 'iPhone photo',
    });
    expect(r?.status).toBe('added');
    const item = svc.getItem(r?.itemId ?? 0);
    const b = svc.saveBundle(specOf([{ itemUid: item.uid, exhibitNumber: 'PExh-9' }]));
    const e = await failsCleanly(svc, b.uid);
    expect(e.code).toBe('BUNDLE_EXHIBIT_UNREADABLE');
    expect(e.message).toContain('Exhibit PExh-9 (iPhone photo)');
    expect(e.message).toContain('HEIC');
    expect(e.details?.['cause']).toBe('NO_PAGE_IMAGE');
  });

  it('an item removed since the spec was saved', async () => {
    const b = svc.saveBundle(
      specOf([{ itemUid: firstStatement(svc).uid, exhibitNumber: 'PExh-1' }]),
    );
    // The stored spec now names an item this vault does not hold (as after a removal).
    const row = svc.vault.catalogue.bundles.findByUid(b.uid);
    const spec = specOf([
      { itemUid: firstStatement(svc).uid, exhibitNumber: 'PExh-1' },
      { itemUid: '0b7a4c2e-91d3-4f5e-8a6b-2c4d6e8f0a1b', exhibitNumber: 'PExh-2' },
    ]);
    svc.vault.catalogue.bundles.update(row?.id ?? 0, { spec });
    const e = await failsCleanly(svc, b.uid);
    expect(e.code).toBe('BUNDLE_EXHIBIT_MISSING');
    expect(e.message).toContain('Exhibit PExh-2');
    expect(e.message).toContain('removed');
  });

  it('a stored file altered on disk', async () => {
    const st = firstStatement(svc);
    const b = svc.saveBundle(specOf([{ itemUid: st.uid, exhibitNumber: 'PExh-1' }]));
    const blob = join(dir, 'blobs', (st.blobName ?? '').slice(0, 2), (st.blobName ?? '').slice(2));
    const original = readFileSync(blob);
    const bad = Buffer.from(original);
    bad[bad.length - 20] = (bad[bad.length - 20] ?? 0) ^ 0xff;
    writeFileSync(blob, bad);
    try {
      const e = await failsCleanly(svc, b.uid);
      expect(e.code).toBe('BLOB_CORRUPT');
      expect(e.message).toContain(`Exhibit PExh-1 (${st.title})`);
    } finally {
      writeFileSync(blob, original);
    }
  });
});

describe('cancelling', () => {
  it('stops, leaves no file and records no export', async () => {
    const b = svc.saveBundle(goodSpec);
    const ctl = new AbortController();
    let seen = 0;
    const e = await failsCleanly(svc, b.uid, {
      signal: ctl.signal,
      onProgress: () => {
        seen++;
        ctl.abort();
      },
    });
    expect(seen).toBeGreaterThan(0);
    expect(e.code).toBe('CANCELLED');
    expect(exportsOf(svc, b.uid)).toEqual([]);
  });
});

describe('writing', () => {
  it('says so when the folder cannot take the file, and records no export', async () => {
    const b = svc.saveBundle(goodSpec);
    const out = join(tempDir('kesi-out-'), 'no-such-folder', 'bundle.pdf');
    const e = await failure(svc.generateBundle(b.uid, out));
    expect(e.code).toBe('BUNDLE_WRITE_FAILED');
    expect(e.message).toContain('the folder does not exist');
    expect(exportsOf(svc, b.uid)).toEqual([]);
  });

  it('leaves a file already at the path as it was when generation fails', async () => {
    const dirOut = tempDir('kesi-out-');
    const out = join(dirOut, 'bundle.pdf');
    writeFileSync(out, 'the earlier bundle');
    const b = svc.saveBundle(goodSpec);
    const ctl = new AbortController();
    ctl.abort();
    const e = await failure(svc.generateBundle(b.uid, out, { signal: ctl.signal }));
    expect(e.code).toBe('CANCELLED');
    expect(readFileSync(out, 'utf8')).toBe('the earlier bundle');
    expect(readdirSync(dirOut)).toEqual(['bundle.pdf']);
  });
});

describe.runIf(hasTools())('who may build bundles, and whose signature they carry', () => {
  it('refuses roles without bundles.write; a lawyer signs with a certificate of their own', async () => {
    const lawyerPass = await addUser(svc, 'achieng', 'lawyer');
    const invPass = await addUser(svc, 'kamau', 'investigator');
    const audPass = await addUser(svc, 'auditor1', 'auditor');
    const mine = svc.saveBundle(goodSpec);
    const first = await svc.generateBundle(mine.uid, join(tempDir('kesi-out-'), 'a.pdf'));
    svc.lock();

    for (const [name, pass] of [
      ['kamau', invPass],
      ['auditor1', audPass],
    ] as const) {
      const other = await openAs(dir, name, pass);
      try {
        expect(() => other.saveBundle(mine.spec)).toThrow(/cannot do this/);
        const e = await failsCleanly(other, mine.uid);
        expect(e.code).toBe('FORBIDDEN');
        expect(other.listBundles(DEMO_CASE_REF).length).toBeGreaterThan(0);
      } finally {
        other.lock();
      }
    }

    const lawyer = await openAs(dir, 'achieng', lawyerPass);
    try {
      // Only the user who generated a bundle can make its signed bytes again.
      const e = await failure(lawyer.regenerateBundleBytes(mine.uid, first.generatedAt));
      expect(e.code).toBe('BUNDLE_OTHER_SIGNER');
      expect(e.message).toContain(ADMIN);

      const out = join(tempDir('kesi-out-'), 'lawyer.pdf');
      const r = await lawyer.generateBundle(mine.uid, out);
      const sig = toolResult('pdfsig', ['-nocert', out]).out;
      expect(sig).toContain('Signature is Valid');
      expect(sig).toContain('Signer Certificate Common Name: achieng');
      expect(sha(await lawyer.regenerateBundleBytes(mine.uid, r.generatedAt))).toBe(r.sha256);
    } finally {
      lawyer.lock();
    }

    // Two users, two certificates, each recorded in the vault chain.
    const admin = await openAs(dir, ADMIN, ADMIN_PASS);
    try {
      const certs = admin.vaultLog().filter((e) => e.details['change'] === 'bundle_certificate');
      expect(certs.map((e) => e.details['user'])).toEqual([ADMIN, 'achieng']);
      expect(certs[0]?.details['certificateSha256']).not.toBe(
        certs[1]?.details['certificateSha256'],
      );
      // A new signing key (a passphrase reset by an administrator) gets a new certificate.
      await admin.changePassphrase('achieng', 'a new lawyer passphrase');
      svc = admin;
    } finally {
      admin.lock();
    }
    const reset = await openAs(dir, 'achieng', 'a new lawyer passphrase');
    try {
      await reset.generateBundle(mine.uid, join(tempDir('kesi-out-'), 'b.pdf'));
      const certs = reset.vaultLog().filter((e) => e.details['change'] === 'bundle_certificate');
      expect(certs).toHaveLength(3);
      expect(certs[2]?.details['signingKeyId']).toBe(reset.user.keyId);
      const report = await reset.audit();
      expect(report.ok, JSON.stringify(report.problems)).toBe(true);
    } finally {
      reset.lock();
    }
  }, 60_000);
});

function sha(b: Uint8Array): string {
  return createHash('sha256').update(b).digest('hex');
}
