// `kesi verify FILE.pdf`: proves from the file alone that a court bundle is the one Kesi made and
// signed, or says exactly what is wrong: the PDF signature, the attached manifest and its
// signature, every custody event and signature, the Merkle proofs, the pages. No vault is
// needed (bundle-vault.ts adds the checks against a vault). What it checks: docs/VERIFY.md.
import { createHash } from 'node:crypto';
import { MANIFEST_FILE_NAME, sha256Hex, type BundleManifest } from '../bundle/manifest';
import { checkCustody, checkProofs } from './bundle-custody-checks';
import { Findings } from './bundle-findings';
import {
  checkManifestAgainstSpec,
  checkManifestBound,
  checkManifestSignature,
  listedKeys,
  parseManifest,
} from './bundle-manifest-checks';
import { checkPages } from './bundle-page-checks';
import { readBundlePdf, type BundlePdf } from './bundle-pdf-read';
import { checkPdfSignature } from './bundle-pdf-signature';
import {
  BUNDLE_CHECKS,
  type BundleCheck,
  type BundleVerifyReport,
  type CheckStatus,
  type ExhibitVerdict,
  type ManifestInfo,
  type PdfSignatureInfo,
} from '../../shared/bundle-report';

export * from '../../shared/bundle-report';
export { formatBundleReport } from './bundle-format';

export interface VerifyBundleOptions {
  /** The file's name, for the report. */
  fileName?: string;
}

/** What the vault checks need from a verification already made. */
export interface VerifiedBundle {
  report: BundleVerifyReport;
  manifest: BundleManifest | null;
  findings: Findings;
  ran: Set<BundleCheck>;
}

function manifestInfo(m: BundleManifest, sha256: string): ManifestInfo {
  const h = m.custody.treeHead;
  return {
    sha256,
    generatedAt: m.generatedAt,
    app: m.app,
    caseRef: m.case.ref,
    caseUid: m.case.uid,
    caseTitle: m.case.title,
    title: m.spec.title,
    pageCount: m.pageCount,
    exhibits: m.exhibits.length,
    events: m.custody.events.length,
    signer: m.signature ? { user: m.signature.user, keyId: m.signature.keyId } : null,
    treeHead: h
      ? { treeSize: h.treeSize, rootHash: h.rootHash, at: h.at, signer: h.signer?.user }
      : null,
  };
}

/** Everything but the vault checks; the parts the vault checks build on are returned too. */
export async function verifyBundleParts(
  file: Uint8Array,
  opts: VerifyBundleOptions = {},
): Promise<VerifiedBundle> {
  const startedAt = new Date().toISOString();
  const f = new Findings();
  const ran = new Set<BundleCheck>();
  const report: BundleVerifyReport = {
    ok: false,
    file: {
      ...(opts.fileName !== undefined ? { name: opts.fileName } : {}),
      size: file.length,
      sha256: createHash('sha256').update(file).digest('hex'),
    },
    startedAt,
    finishedAt: startedAt,
    checks: Object.fromEntries(BUNDLE_CHECKS.map((c) => [c, 'skipped'])) as Record<
      BundleCheck,
      CheckStatus
    >,
    pdfSignature: null,
    manifest: null,
    pages: null,
    exhibits: [],
    problems: f.problems,
  };
  let manifest: BundleManifest | null = null;

  let pdf: BundlePdf | null = null;
  try {
    pdf = await readBundlePdf(file);
  } catch (e) {
    f.add(
      'not_pdf',
      `The file cannot be read as a PDF (${e instanceof Error ? e.message : String(e)}). It is not a Kesi bundle, or it is badly damaged.`,
    );
  }
  ran.add('pdf_signature');
  if (pdf) {
    report.pages = pdf.pageCount;
    let sig: PdfSignatureInfo | null = null;
    const first = pdf.signatures[0];
    if (!first) {
      f.add(
        'pdf_unsigned',
        "The PDF is not signed: nothing shows who made it or that it is unchanged. A Kesi bundle always carries its maker's signature.",
      );
    } else {
      if (pdf.signatures.length > 1) {
        f.add(
          'pdf_several_signatures',
          `The PDF carries ${pdf.signatures.length} signatures; a Kesi bundle has exactly one. Someone signed a changed version of it. The first signature is checked here.`,
        );
      }
      try {
        sig = checkPdfSignature(file, first, f.reporter());
      } catch (e) {
        // Whatever the checks could not read is damage, never a pass.
        f.add(
          'pdf_signature_malformed',
          `The PDF signature cannot be read (${e instanceof Error ? e.message : String(e)}).`,
        );
      }
      report.pdfSignature = sig;
    }
    // Data appended after the signed part: check the bundle as it was signed.
    if (sig && sig.bytesAfter > 0) {
      const [, , s2, l2] = sig.byteRange as [number, number, number, number];
      try {
        pdf = await readBundlePdf(file.subarray(0, s2 + l2));
        report.pages = pdf.pageCount;
      } catch {
        // The whole file was readable; keep it.
      }
    }

    ran.add('manifest');
    const attachments = pdf.embeddedFiles.filter((a) => a.name === MANIFEST_FILE_NAME);
    const attachment = attachments[0];
    if (!attachment) {
      f.add(
        'manifest_missing',
        `The PDF has no attached manifest (${MANIFEST_FILE_NAME}): it is not a Kesi bundle, or the manifest was removed. The exhibits' hashes and custody cannot be checked.`,
      );
    } else if (attachments.length > 1) {
      f.add(
        'manifest_several',
        `The PDF has ${attachments.length} attachments named ${MANIFEST_FILE_NAME}; a bundle has one. One was added.`,
      );
    }
    if (attachment && attachment.bytes === null) {
      f.add('manifest_unreadable', 'The attached manifest cannot be decompressed: it is damaged.');
    }
    if (attachment?.bytes) {
      const sha = sha256Hex(attachment.bytes);
      manifest = parseManifest(attachment.bytes, f);
      if (manifest) {
        try {
          report.manifest = manifestInfo(manifest, sha);
          checkManifestParts(manifest, sha, pdf, f, ran);
        } catch (e) {
          f.add(
            'manifest_unreadable',
            `Part of the attached manifest cannot be read (${e instanceof Error ? e.message : String(e)}): it was damaged or altered.`,
          );
        }
      }
    }
  }

  finish(report, f, ran, manifest);
  return { report, manifest, findings: f, ran };
}

function checkManifestParts(
  m: BundleManifest,
  sha: string,
  pdf: BundlePdf,
  f: Findings,
  ran: Set<BundleCheck>,
): void {
  const keys = listedKeys(m, f);
  checkManifestSignature(m, keys, f);
  checkManifestBound(m, sha, pdf.keywords, pdf.fileId, f);
  checkManifestAgainstSpec(m, f);
  const exhibitOf = new Map<string, string>();
  for (const ex of m.exhibits) {
    for (const h of ex.events) if (!exhibitOf.has(h)) exhibitOf.set(h, ex.exhibitNumber);
  }
  ran.add('custody');
  checkCustody(m, keys, f, exhibitOf);
  ran.add('merkle');
  checkProofs(m, keys, f, exhibitOf);
  ran.add('pages');
  checkPages(m, pdf, f);
}

function exhibitVerdicts(m: BundleManifest, f: Findings): ExhibitVerdict[] {
  const wholeBundleFails = f.problems.some(
    (p) => p.severity === 'error' && p.exhibitNumber === undefined,
  );
  return m.exhibits.map((ex) => {
    const problems = f.problems.filter((p) => p.exhibitNumber === ex.exhibitNumber);
    const failed = problems.some((p) => p.severity === 'error');
    const verdict = failed ? 'failed' : wholeBundleFails ? 'unproven' : 'ok';
    return {
      exhibitNumber: ex.exhibitNumber,
      title: ex.title,
      itemUid: ex.itemUid,
      sha256: ex.sha256,
      size: ex.size,
      firstPage: ex.firstPage,
      lastPage: ex.lastPage,
      events: Array.isArray(ex.events) ? ex.events.length : 0,
      verdict,
      ok: verdict === 'ok',
      problems,
    };
  });
}

/** Sets the exhibits' verdicts, the statuses, the overall verdict and the end time. */
export function finish(
  report: BundleVerifyReport,
  f: Findings,
  ran: Set<BundleCheck>,
  manifest: BundleManifest | null,
): void {
  if (manifest) report.exhibits = exhibitVerdicts(manifest, f);
  for (const c of BUNDLE_CHECKS) {
    const mine = f.problems.filter((p) => p.check === c);
    report.checks[c] = mine.some((p) => p.severity === 'error')
      ? 'fail'
      : mine.length > 0
        ? 'warn'
        : ran.has(c)
          ? 'pass'
          : 'skipped';
  }
  report.problems = f.problems;
  report.ok = !f.problems.some((p) => p.severity === 'error') && ran.has('manifest');
  report.finishedAt = new Date().toISOString();
}

/** Verifies a bundle from its bytes alone. */
export async function verifyBundlePdf(
  pdf: Uint8Array,
  opts: VerifyBundleOptions = {},
): Promise<BundleVerifyReport> {
  return (await verifyBundleParts(pdf, opts)).report;
}
