// `kesi verify FILE.pdf` on real signed bundles: a good one passes; each way of tampering with
// the file, and each forged part of a manifest signed with the maker's own keys, is caught and
// named. poppler's pdfsig is run on the same files as a reference.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { manifestBytes, signManifest, type BundleManifest } from '../../electron/bundle/manifest';
import {
  assembleSignedBundle,
  createSigningIdentity,
  type CreatedIdentity,
  type SignedBundleOptions,
} from '../../electron/bundle/sign';
import type { BundleInput } from '../../electron/bundle/types';
import { hashEventBody, signEvent, type CustodyEvent } from '../../electron/custody/event';
import {
  formatBundleReport,
  verifyBundlePdf,
  type BundleProblemCode,
  type BundleVerifyReport,
} from '../../electron/verify/bundle-verify';
import { buildInput, fixedKey, sampleDrafts, toolResult } from '../helpers/bundle';
import { kesi } from '../helpers/cli';
import {
  appendIncrementalUpdate,
  changeByteInPageStream,
  forgedBundle,
  replaceAttachmentInPlace,
  signManifestWith,
} from '../helpers/tamper-pdf';
import { tempDir } from '../helpers/tmp';

const AT = '2026-04-02T08:00:00.000Z';
let identity: CreatedIdentity;
let input: BundleInput;
let good: Uint8Array;
let manifest: BundleManifest;
let opts: SignedBundleOptions;

beforeAll(async () => {
  identity = createSigningIdentity(
    {
      name: 'Wanjikũ Njeri',
      organisation: 'IMLU',
      country: 'KE',
      notBefore: '2026-01-01T00:00:00.000Z',
    },
    'p12 passphrase',
  );
  input = buildInput(await sampleDrafts());
  opts = {
    generatedAt: AT,
    identity,
    signature: {
      name: 'Wanjikũ Njeri',
      reason: 'Court bundle prepared for filing',
      location: 'Nairobi, Kenya',
    },
  };
  ({ pdf: good, manifest } = await assembleSignedBundle(input, opts));
});

function file(bytes: Uint8Array, name: string): string {
  const f = join(tempDir(), name);
  writeFileSync(f, bytes);
  return f;
}

function codes(r: BundleVerifyReport): BundleProblemCode[] {
  return [...new Set(r.problems.map((p) => p.code))];
}

function errors(r: BundleVerifyReport): BundleProblemCode[] {
  return [...new Set(r.problems.filter((p) => p.severity === 'error').map((p) => p.code))];
}

describe('a good bundle', () => {
  it('passes every check, with one verdict per exhibit', async () => {
    const r = await verifyBundlePdf(good);
    expect(r.problems).toEqual([]);
    expect(r.ok).toBe(true);
    expect(r.checks).toEqual({
      pdf_signature: 'pass',
      manifest: 'pass',
      custody: 'pass',
      merkle: 'pass',
      pages: 'pass',
      vault: 'skipped',
    });
    expect(r.pdfSignature).toMatchObject({
      coversWholeFile: true,
      bytesAfter: 0,
      digestOk: true,
      signatureOk: true,
      subFilter: 'ETSI.CAdES.detached',
      signingTime: AT,
      name: 'Wanjikũ Njeri',
    });
    expect(r.pdfSignature?.certificate?.commonName).toBe('Wanjikũ Njeri');
    expect(r.pdfSignature?.certificate?.selfSigned).toBe(true);
    expect(r.pages).toBe(manifest.pageCount);
    expect(r.manifest).toMatchObject({
      generatedAt: AT,
      caseRef: 'IMLU-2026-014',
      pageCount: manifest.pageCount,
      signer: { user: 'wanjiku', keyId: fixedKey(1).keyId },
    });
    expect(r.exhibits.map((e) => [e.exhibitNumber, e.verdict, e.sha256])).toEqual(
      manifest.exhibits.map((e) => [e.exhibitNumber, 'ok', e.sha256]),
    );
    const text = formatBundleReport(r);
    expect(text).toContain('RESULT: VERIFIED');
    expect(text).toContain('PExh-1');
  });
});

describe('tampering with the signed file', () => {
  it('catches one byte changed in a page content stream', async () => {
    // The first page of the P3 form (a PDF exhibit), well inside the signed range.
    const p3 = manifest.exhibits.find((e) => e.title.startsWith('P3 form'))!;
    const { pdf } = await changeByteInPageStream(good, p3.firstPage);
    const r = await verifyBundlePdf(pdf);
    expect(r.ok).toBe(false);
    expect(errors(r)).toEqual(['pdf_digest_mismatch']);
    expect(r.pdfSignature).toMatchObject({ coversWholeFile: true, digestOk: false });
    expect(r.checks.pdf_signature).toBe('fail');
    expect(r.exhibits.every((e) => e.verdict === 'unproven')).toBe(true);
    expect(formatBundleReport(r)).toContain('changed after it was signed');
    const ref = toolResult('pdfsig', ['-nocert', file(pdf, 'byte.pdf')]).out;
    expect(ref).not.toContain('Signature is Valid');
  });

  it('catches one byte changed anywhere: 150 places across the file, the signature space included', async () => {
    const text = Buffer.from(good);
    const open = text.indexOf('<', text.lastIndexOf('/Contents ')) + 1;
    // Evenly spread, plus the first and last bytes and the zero padding of the signature.
    const places = [
      ...Array.from({ length: 140 }, (_, i) => Math.floor((i * good.length) / 140)),
      0,
      good.length - 1,
      open,
      open + 20_000,
      open + 24_000,
    ];
    const missed: number[] = [];
    for (const at of places) {
      const changed = Buffer.from(good);
      changed[at] = changed[at]! ^ 0x01;
      if ((await verifyBundlePdf(changed)).ok) missed.push(at);
    }
    expect(missed).toEqual([]);
  });

  it('catches an incremental update appended to the file (pdfsig: not total document signed)', async () => {
    const pdf = await appendIncrementalUpdate(good, 'A different title');
    const f = file(pdf, 'update.pdf');
    // The update is valid: readers show its title.
    expect(toolResult('pdfinfo', [f]).out).toMatch(/Title:\s+A different title/);
    const r = await verifyBundlePdf(pdf);
    expect(r.ok).toBe(false);
    expect(errors(r)).toEqual(['pdf_not_whole_file']);
    expect(r.pdfSignature).toMatchObject({ coversWholeFile: false, digestOk: true });
    expect(r.pdfSignature!.bytesAfter).toBe(pdf.length - good.length);
    // The manifest checked is the one of the signed revision.
    expect(r.checks.manifest).toBe('pass');
    expect(r.problems[0]!.message).toContain('added after the signed part');
    expect(toolResult('pdfsig', ['-nocert', f]).out).toContain('Not total document signed');
  });

  it('catches the attachment replaced by an edited manifest, not re-signed', async () => {
    const edited = structuredClone(manifest);
    edited.exhibits[0]!.sha256 = 'ab'.repeat(32);
    const pdf = await replaceAttachmentInPlace(good, manifestBytes(edited));
    expect(toolResult('qpdf', ['--check', file(pdf, 'att.pdf')]).code).toBe(0);
    const r = await verifyBundlePdf(pdf);
    expect(r.ok).toBe(false);
    expect(errors(r)).toEqual(
      expect.arrayContaining([
        'pdf_digest_mismatch',
        'manifest_bad_signature',
        'manifest_not_bound',
        'intake_mismatch',
      ]),
    );
    expect(r.exhibits[0]!.verdict).toBe('failed');
    const ref = toolResult('pdfsig', ['-nocert', file(pdf, 'att2.pdf')]).out;
    expect(ref).not.toContain('Signature is Valid');
  });

  it("catches the attachment replaced by an edited manifest re-signed with the maker's key", async () => {
    const { signature: _s, ...body } = structuredClone(manifest);
    body.exhibits[0]!.sha256 = 'ab'.repeat(32);
    const resigned = signManifest(body, { user: 'wanjiku', privateKey: fixedKey(1).privateKey });
    const pdf = await replaceAttachmentInPlace(good, manifestBytes(resigned));
    const r = await verifyBundlePdf(pdf);
    expect(r.ok).toBe(false);
    expect(errors(r)).toEqual(
      expect.arrayContaining(['pdf_digest_mismatch', 'manifest_not_bound', 'intake_mismatch']),
    );
    expect(codes(r)).not.toContain('manifest_bad_signature');
  });
});

function withoutSignature(m: BundleManifest): BundleManifest {
  const { signature: _s, ...body } = m;
  return body;
}

function resign(m: BundleManifest): BundleManifest {
  return signManifest(withoutSignature(m), {
    user: 'wanjiku',
    privateKey: fixedKey(1).privateKey,
  });
}

describe('a bundle forged with the signing keys (valid PDF signature, manifest changed)', () => {
  it('catches a custody event whose place was changed', async () => {
    const { pdf } = await forgedBundle(input, opts, (m) => {
      const ev = m.custody.events.find((e) => e.action === 'transfer')!;
      ev.place = 'Somewhere else';
      return resign(m);
    });
    const r = await verifyBundlePdf(pdf);
    expect(r.checks.pdf_signature).toBe('pass');
    expect(r.checks.manifest).toBe('pass');
    expect(errors(r)).toEqual(['event_hash_mismatch']);
    const shirt = r.exhibits.find((e) => e.title === 'Blood-stained shirt')!;
    expect(shirt.verdict).toBe('failed');
    expect(r.exhibits.filter((e) => e.verdict === 'ok')).toHaveLength(r.exhibits.length - 1);
  });

  it('catches a forged custody event, re-hashed but not signed by its user', async () => {
    const { pdf } = await forgedBundle(input, opts, (m) => {
      const i = m.custody.events.findIndex((e) => e.action === 'transfer');
      const ev = m.custody.events[i]!;
      const forged: CustodyEvent = { ...ev, reason: 'Returned to the police' };
      forged.hash = hashEventBody(forged);
      m.custody.events[i] = forged;
      for (const ex of m.exhibits)
        ex.events = ex.events.map((h) => (h === ev.hash ? forged.hash : h));
      for (const p of m.custody.inclusionProofs)
        if (p.eventHash === ev.hash) p.eventHash = forged.hash;
      return resign(m);
    });
    const r = await verifyBundlePdf(pdf);
    expect(errors(r)).toEqual(expect.arrayContaining(['event_bad_signature', 'proof_invalid']));
    expect(r.checks.custody).toBe('fail');
    expect(r.checks.merkle).toBe('fail');
  });

  it('catches a custody event signed by a key the bundle does not list', async () => {
    const intruder = fixedKey(7);
    const { pdf } = await forgedBundle(input, opts, (m) => {
      const i = m.custody.events.findIndex((e) => e.action === 'transfer');
      const ev = m.custody.events[i]!;
      const { hash: _h, sig: _g, ...body } = ev;
      const forged = signEvent(
        { ...body, actor: { user: 'wanjiku', keyId: intruder.keyId } },
        intruder.privateKey,
      );
      m.custody.events[i] = forged;
      for (const ex of m.exhibits)
        ex.events = ex.events.map((h) => (h === ev.hash ? forged.hash : h));
      return resign(m);
    });
    const r = await verifyBundlePdf(pdf);
    expect(errors(r)).toEqual(expect.arrayContaining(['event_unknown_key', 'proof_missing']));
  });

  it('catches a broken inclusion proof', async () => {
    const { pdf } = await forgedBundle(input, opts, (m) => {
      const p = m.custody.inclusionProofs[2]!;
      p.path[0] = 'cd'.repeat(32);
      return resign(m);
    });
    const r = await verifyBundlePdf(pdf);
    expect(errors(r)).toEqual(['proof_invalid', 'proof_missing']);
    expect(r.checks.merkle).toBe('fail');
    expect(r.checks.custody).toBe('pass');
  });

  it('catches a page range beyond the page count', async () => {
    let last = '';
    const { pdf, manifest: forged } = await forgedBundle(input, opts, (m) => {
      const ex = m.exhibits[m.exhibits.length - 1]!;
      last = ex.exhibitNumber;
      ex.lastPage = m.pageCount + 3;
      const run = m.pages.find((p) => p.exhibitNumber === ex.exhibitNumber)!;
      run.to = m.pageCount + 3;
      return resign(m);
    });
    const r = await verifyBundlePdf(pdf);
    expect(errors(r)).toEqual(
      expect.arrayContaining(['page_runs_invalid', 'exhibit_pages_mismatch']),
    );
    const v = r.exhibits.find((e) => e.exhibitNumber === last)!;
    expect(v.verdict).toBe('failed');
    expect(v.problems.map((p) => p.message).join(' ')).toContain(
      `beyond the ${forged.pageCount} pages`,
    );
  });

  it('catches a manifest signed by a key the bundle does not list', async () => {
    const { pdf } = await forgedBundle(input, opts, (m) =>
      signManifestWith(withoutSignature(m), 'wanjiku', fixedKey(9).privateKey),
    );
    const r = await verifyBundlePdf(pdf);
    expect(errors(r)).toEqual(['manifest_signer_unknown']);
    expect(r.exhibits.every((e) => e.verdict === 'unproven')).toBe(true);
  });

  it('catches an exhibit hash changed and re-signed by the maker: the intake event disagrees', async () => {
    const { pdf } = await forgedBundle(input, opts, (m) => {
      m.exhibits[1]!.sha256 = 'ef'.repeat(32);
      for (const p of m.pages) {
        if (p.exhibitNumber === m.exhibits[1]!.exhibitNumber && 'original' in p.source)
          p.source.original = 'ef'.repeat(32);
      }
      return resign(m);
    });
    const r = await verifyBundlePdf(pdf);
    expect(errors(r)).toEqual(['intake_mismatch']);
  });
});

describe('kesi verify (the command)', () => {
  it('exits 0 on a good bundle, 1 on a tampered one; --json parses', async () => {
    const ok = file(good, 'good.pdf');
    const r = kesi(['verify', ok]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('RESULT: VERIFIED');
    const j = kesi(['verify', ok, '--json']);
    expect(j.code).toBe(0);
    const report = JSON.parse(j.stdout) as BundleVerifyReport;
    expect(report.ok).toBe(true);
    expect(report.exhibits).toHaveLength(manifest.exhibits.length);

    const bad = file(await appendIncrementalUpdate(good, 'Changed'), 'bad.pdf');
    const b = kesi(['verify', bad]);
    expect(b.code).toBe(1);
    expect(b.stdout).toContain('RESULT: NOT VERIFIED');
    expect(b.stdout).toContain('[pdf_not_whole_file]');
    const bj = kesi(['verify', bad, '--json']);
    expect(bj.code).toBe(1);
    expect((JSON.parse(bj.stdout) as BundleVerifyReport).ok).toBe(false);
  });

  it('needs no vault even when KESI_VAULT is set, and says what is wrong with other files', () => {
    const ok = file(good, 'good.pdf');
    const r = kesi(['verify', ok], { KESI_VAULT: join(tempDir(), 'no-vault') });
    expect(r.code).toBe(0);
    const notPdf = kesi(['verify', file(Buffer.from('hello'), 'x.pdf')]);
    expect(notPdf.code).toBe(1);
    expect(notPdf.stdout).toContain('[not_pdf]');
    const missing = kesi(['verify', join(tempDir(), 'nothing.pdf')]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('FILE_NOT_FOUND');
    expect(kesi(['verify']).code).toBe(2);
  });
});
