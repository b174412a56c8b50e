// Court bundles through the service, on a real vault: the demo case plus corpus files taken in
// for real, generated in the bundle worker, checked with qpdf, pdfinfo, pdftotext, pdfsig,
// pdfdetach and pdftoppm.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { BundleManifest } from '../../electron/bundle/manifest';
import { caseChainId } from '../../electron/custody/log';
import { leafHash, verifyInclusion } from '../../electron/custody/merkle';
import type { KesiService } from '../../electron/service/service';
import type { KesiError } from '../../shared/errors';
import { corpusFile, hasTools, makeDocx, tool, toolResult } from '../helpers/bundle';
import { DEMO_CASE_REF, DEMO_COVER, demoVault, suiteDir } from '../helpers/bundle-vault';
import { tempDir } from '../helpers/tmp';
import { ADMIN } from '../helpers/vault';

const ARTIFACTS = join(__dirname, '..', '..', 'test-artifacts', 'bundle-service');
/** The first generation's time: now, as a caseworker would generate it. */
let AT: string;
const COVER = DEMO_COVER;

let svc: KesiService;
let out: string;
let uid: string;
let result: Awaited<ReturnType<KesiService['generateBundle']>>;
let manifest: BundleManifest;

async function failure(p: Promise<unknown>): Promise<KesiError> {
  try {
    await p;
  } catch (e) {
    return e as KesiError;
  }
  throw new Error('expected a failure');
}

function sha256(b: Uint8Array): string {
  return createHash('sha256').update(b).digest('hex');
}

async function addCorpus(name: string, fields: Record<string, unknown> = {}): Promise<void> {
  const dir = suiteDir('kesi-corpus-');
  const path = join(dir, name);
  writeFileSync(path, corpusFile(name));
  const [r] = await svc.addFiles({ caseRef: DEMO_CASE_REF, paths: [path], ...fields });
  expect(r?.status, JSON.stringify(r)).toBe('added');
}

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  ({ service: svc } = await demoVault());
  // Real corpus files next to the generated ones: rotated pages, a sideways phone photo.
  await addCorpus('pdf-rotated-pages-pypdf.pdf', { kind: 'document', title: 'Arabic letter' });
  await addCorpus('photo-orient6-samsung-sm-j327t1.jpg', { title: 'Phone photo of the cell' });
  const docx = join(suiteDir('kesi-docx-'), 'ob-extract.docx');
  writeFileSync(
    docx,
    makeDocx(['OCCURRENCE BOOK EXTRACT', 'OB 41/14/03/2026: complaint of assault received.']),
  );
  const [r] = await svc.addFiles({ caseRef: DEMO_CASE_REF, paths: [docx], kind: 'document' });
  expect(r?.status).toBe('added');

  const saved = svc.saveBundle(svc.defaultBundleSpec(DEMO_CASE_REF, COVER));
  uid = saved.uid;
  out = join(suiteDir('kesi-out-'), 'bundle.pdf');
  result = await svc.generateBundle(uid, out);
  AT = result.generatedAt;
  const json = join(suiteDir('kesi-manifest-'), 'm.json');
  tool('pdfdetach', ['-save', '1', '-o', json, out]);
  manifest = JSON.parse(readFileSync(json, 'utf8')) as BundleManifest;
}, 120_000);

describe.runIf(hasTools())('generateBundle on a real vault', () => {
  it('stores the default spec: sections by kind, items in intake order', () => {
    const b = svc.getBundle(uid);
    expect(b.createdBy).toBe(ADMIN);
    expect(b.caseRef).toBe(DEMO_CASE_REF);
    expect(b.spec.sections.map((s) => s.title)).toEqual([
      'Statements',
      'Medical reports',
      'Photographs',
      'Documents',
      'Physical exhibits',
    ]);
    const items = svc.listItems(DEMO_CASE_REF);
    const photos = items.filter((i) => i.kind === 'photo').map((i) => i.uid);
    expect(b.spec.sections[2]?.items.map((i) => i.itemUid)).toEqual(photos);
    expect(b.spec.sections.flatMap((s) => s.items.map((i) => i.exhibitNumber))).toEqual(
      Array.from({ length: items.length }, (_, i) => `PExh-${i + 1}`),
    );
    expect(svc.listBundles(DEMO_CASE_REF).map((x) => x.uid)).toEqual([uid]);
  });

  it('writes a PDF that qpdf finds sound, with as many pages as the index says', () => {
    expect(toolResult('qpdf', ['--check', out]).code).toBe(0);
    const pages = Number(/Pages:\s+(\d+)/.exec(tool('pdfinfo', [out]))?.[1]);
    expect(pages).toBe(result.pages);
    expect(pages).toBe(manifest.pageCount);
    expect(manifest.appendix.certificate.lastPage).toBe(pages);
    expect(readFileSync(out).length).toBe(result.bytes);
    expect(sha256(readFileSync(out))).toBe(result.sha256);
  });

  it('stamps every page and prints pseudonyms, never the protected name', () => {
    const text = tool('pdftotext', ['-layout', out, '-']);
    for (let p = 1; p <= result.pages; p++) expect(text).toContain(`Page ${p} — `);
    for (const ex of manifest.exhibits) {
      expect(text).toContain(`Page ${ex.firstPage} — ${ex.exhibitNumber}`);
    }
    expect(text).toContain('PW2');
    expect(text).not.toContain('Wanjikũ');
    expect(text).toContain('TAARIFA YA SHAHIDI');
  });

  it('is signed (PAdES) by the user who generated it, over the whole file', () => {
    const r = toolResult('pdfsig', ['-nocert', out]);
    expect(r.out).toContain('Signature is Valid');
    expect(r.out).toContain('Total document signed');
    expect(r.out).toContain(`Signer Certificate Common Name: ${ADMIN}`);
    // pdfsig prints /M, the generation time, in UTC: "Nov 21 2026 20:29:55".
    const d = new Date(AT);
    const month = d.toLocaleString('en-GB', { month: 'short', timeZone: 'UTC' });
    const hms = AT.slice(11, 19);
    expect(r.out).toContain(`Signing Time: ${month} ${AT.slice(8, 10)} ${AT.slice(0, 4)} ${hms}`);
  });

  it('carries the manifest, whose proofs lead to the signed tree head', () => {
    expect(tool('pdfdetach', ['-list', out])).toContain('kesi-manifest.json');
    const head = manifest.custody.treeHead;
    expect(head).not.toBeNull();
    expect(manifest.custody.inclusionProofs.length).toBeGreaterThan(manifest.exhibits.length);
    for (const p of manifest.custody.inclusionProofs) {
      expect(
        verifyInclusion(
          leafHash(Buffer.from(p.eventHash, 'hex')),
          p.leafIndex,
          p.treeSize,
          p.path.map((h) => Buffer.from(h, 'hex')),
          Buffer.from(head?.rootHash ?? '', 'hex'),
        ),
      ).toBe(true);
    }
    const shirt = manifest.exhibits.find((e) => e.kind === 'physical_exhibit');
    expect(shirt?.custodian?.name).toBe('Government Chemist, Nairobi');
  });

  it('records the export: one event for the bundle, one per exhibit, with its SHA-256', () => {
    const c = svc.getCase(DEMO_CASE_REF);
    const events = svc.log.chainEvents(caseChainId(c.uid)).filter((e) => e.action === 'export');
    const bundleEvent = events.find((e) => e.itemUid === null);
    expect(bundleEvent?.details).toMatchObject({
      sha256: result.sha256,
      pages: result.pages,
      bytes: result.bytes,
      bundle: { uid, generatedAt: AT },
    });
    const perItem = events.filter((e) => e.itemUid !== null);
    expect(perItem).toHaveLength(manifest.exhibits.length);
    for (const ex of manifest.exhibits) {
      const ev = perItem.find((e) => e.itemUid === ex.itemUid);
      expect(ev?.details).toMatchObject({
        bundleUid: uid,
        bundleSha256: result.sha256,
        exhibitNumber: ex.exhibitNumber,
        firstPage: ex.firstPage,
        lastPage: ex.lastPage,
        sha256: ex.sha256,
      });
    }
    const b = svc.getBundle(uid);
    expect(b.lastSha256).toBe(result.sha256);
    expect(b.lastGeneratedAt).toBe(AT);
  });

  it('gives a byte-identical file for the same spec and --at, even after the vault has grown', async () => {
    // The vault changes after the first generation: an item is renamed, a person added.
    const photo = svc.listItems(DEMO_CASE_REF).find((i) => i.kind === 'photo');
    svc.updateItem(photo?.id ?? 0, { title: 'Renamed after the bundle', reason: 'test' });
    svc.addPerson(DEMO_CASE_REF, {
      role: 'witness',
      fullName: 'Later Witness',
      pseudonym: 'PW9',
      protected: true,
    });
    const again = join(tempDir('kesi-out-'), 'again.pdf');
    const r2 = await svc.generateBundle(uid, again, { at: AT });
    expect(r2.sha256).toBe(result.sha256);
    expect(Buffer.compare(readFileSync(again), readFileSync(out))).toBe(0);
    const bytes = await svc.regenerateBundleBytes(uid, AT);
    expect(sha256(bytes)).toBe(result.sha256);
    // Another time is another file, made from the vault as it is now.
    const later = join(tempDir('kesi-out-'), 'later.pdf');
    const r3 = await svc.generateBundle(uid, later);
    expect(r3.sha256).not.toBe(result.sha256);
    expect(r3.generatedAt > AT).toBe(true);
    expect(tool('pdftotext', [later, '-'])).toContain('Renamed after the bundle');
    expect(tool('pdftotext', [out, '-'])).not.toContain('Renamed after the bundle');
  });

  it('never holds custody events from after its own date', async () => {
    // An item taken in after the first generation cannot be in a bundle dated then.
    const late = join(suiteDir('kesi-late-'), 'late.txt');
    writeFileSync(late, 'A statement taken in later.');
    const [added] = await svc.addFiles({
      caseRef: DEMO_CASE_REF,
      paths: [late],
      kind: 'statement',
    });
    const b = svc.saveBundle(svc.defaultBundleSpec(DEMO_CASE_REF, COVER));
    const dir = tempDir('kesi-out-');
    const early = await failure(svc.generateBundle(b.uid, join(dir, 'b.pdf'), { at: AT }));
    expect(early.code).toBe('BUNDLE_EXHIBIT_MISSING');
    expect(early.message).toMatch(/^Exhibit PExh-\d+ \(late\.txt\) was taken in after /);
    expect(early.details?.['itemUid']).toBe(svc.getItem(added?.itemId ?? 0).uid);
    const before = await failure(
      svc.generateBundle(b.uid, join(dir, 'b.pdf'), { at: '2020-01-01T00:00:00Z' }),
    );
    expect(before.message).toContain('no signed record of its custody log at or before');
    const future = new Date(Date.now() + 86_400_000).toISOString();
    const ahead = await failure(svc.generateBundle(b.uid, join(dir, 'b.pdf'), { at: future }));
    expect(ahead.message).toContain('is in the future');
    expect(readdirSync(dir)).toEqual([]);
  });

  it('renders pages a person can read (pdftoppm)', () => {
    const cover = join(ARTIFACTS, 'cover');
    tool('pdftoppm', ['-r', '60', '-png', '-f', '1', '-l', '1', '-singlefile', out, cover]);
    const shirt = manifest.exhibits.find((e) => e.title === 'Blue shirt worn by the complainant');
    expect(shirt).toBeDefined();
    const page = String(shirt?.firstPage ?? 1);
    const photo = join(ARTIFACTS, 'photo-page');
    tool('pdftoppm', ['-r', '60', '-png', '-f', page, '-l', page, '-singlefile', out, photo]);
    expect(existsSync(`${cover}.png`)).toBe(true);
    expect(existsSync(`${photo}.png`)).toBe(true);
    writeFileSync(join(ARTIFACTS, 'bundle.pdf'), readFileSync(out));
  });
});

describe('bundle specs', () => {
  it('refuses a spec naming an item of another case, naming the exhibit', () => {
    const other = svc.createCase({ ref: 'OTHER-1', title: 'Another case' });
    const spec = svc.getBundle(uid).spec;
    const e = (() => {
      try {
        svc.saveBundle({ ...spec, caseRef: other.ref });
        return null;
      } catch (err) {
        return err as KesiError;
      }
    })();
    expect(e?.code).toBe('BUNDLE_EXHIBIT_MISSING');
    expect(e?.message).toContain('Exhibit PExh-1');
    expect(e?.message).toContain('another case');
  });

  it('replaces a stored spec and records the change in the case log', () => {
    const before = svc.getBundle(uid);
    const spec = structuredClone(before.spec);
    const first = spec.sections[0]?.items ?? [];
    first.reverse();
    const saved = svc.saveBundle(spec, uid);
    expect(saved.uid).toBe(uid);
    expect(saved.spec.sections[0]?.items).toEqual(first);
    const c = svc.getCase(DEMO_CASE_REF);
    const edits = svc.log
      .chainEvents(caseChainId(c.uid))
      .filter(
        (e) =>
          e.action === 'edit' && (e.details['bundle'] as { uid?: string } | undefined)?.uid === uid,
      );
    expect(edits.map((e) => (e.details['bundle'] as { change: string }).change)).toEqual([
      'created',
      'spec replaced',
    ]);
    svc.saveBundle(before.spec, uid);
  });

  it('fills the cover from the case when the app leaves it out', () => {
    const spec = svc.defaultBundleSpec(DEMO_CASE_REF);
    expect(spec.court).toBe("Chief Magistrate's Court at Milimani");
    expect(spec.caseNumber).toBe('Criminal Case No. E123 of 2026');
    expect(spec.preparedBy).toBe(ADMIN);
    expect(spec.usePseudonyms).toBe(true);
  });

  it('says which cover member is wrong', () => {
    expect(() => svc.defaultBundleSpec(DEMO_CASE_REF, { ...COVER, date: '2026-02-30' })).toThrow(
      /date: not a real date/,
    );
  });
});
