// The bundle verification report as text: for a terminal, a screen or paper. Times in East
// Africa Time.
import { formatEat } from '../../shared/time';
import { wrap } from './text-wrap';
import type {
  BundleCheck,
  BundleProblem,
  BundleVerifyReport,
  CheckStatus,
} from '../../shared/bundle-report';

const CHECK_NAMES: Record<BundleCheck, string> = {
  pdf_signature: 'PDF signature',
  manifest: 'Manifest and its signature',
  custody: 'Custody events and signatures',
  merkle: 'Tree head and inclusion proofs',
  pages: 'Pages and page ranges',
  vault: 'Against the vault',
};

const STATUS: Record<CheckStatus, string> = {
  pass: 'passed',
  fail: 'FAILED',
  warn: 'passed, with warnings',
  skipped: 'not checked',
};

function problemLines(problems: readonly BundleProblem[], indent: string): string[] {
  const out: string[] = [];
  for (const p of problems) {
    const mark = p.severity === 'error' ? 'ERROR' : 'warning';
    out.push(...wrap(`${p.message} [${p.code}]`, `${indent}${mark}: `, `${indent}    `));
  }
  return out;
}

function pages(first: number, last: number): string {
  return first === last ? `page ${first}` : `pages ${first}–${last}`;
}

/** A readable text report. */
export function formatBundleReport(r: BundleVerifyReport): string {
  const errors = r.problems.filter((p) => p.severity === 'error');
  const warnings = r.problems.filter((p) => p.severity !== 'error');
  const lines = ['KESI COURT BUNDLE VERIFICATION', ''];
  const field = (k: string, v: string) => lines.push(...wrap(v, k.padEnd(13), ' '.repeat(13)));
  if (r.file.name !== undefined) field('File', r.file.name);
  field('SHA-256', `${r.file.sha256} (${r.file.size.toLocaleString('en-GB')} bytes)`);
  const m = r.manifest;
  if (m) {
    field('Bundle', `${m.title}, case ${m.caseRef} (${m.caseTitle})`);
    field(
      'Made',
      `${formatEat(m.generatedAt)} by ${m.signer ? `${m.signer.user} (key ${m.signer.keyId})` : 'an unnamed user'}, with ${m.app}`,
    );
    field(
      'Contents',
      `${m.pageCount.toLocaleString('en-GB')} pages, ${m.exhibits} exhibits, ${m.events} custody events; manifest SHA-256 ${m.sha256}`,
    );
  }
  const s = r.pdfSignature;
  if (s?.certificate) {
    field(
      'Signed',
      `${s.signingTime ? formatEat(s.signingTime) : 'at an unstated time'} by "${s.certificate.commonName ?? s.certificate.subject}"${s.certificate.selfSigned ? ' (self-signed certificate: compare its fingerprint with the one the signer publishes)' : ` (issued by ${s.certificate.issuer.replace(/\n/g, ', ')})`}`,
    );
    field('Fingerprint', `SHA-256 ${s.certificate.sha256Fingerprint}`);
  }
  if (r.vault) {
    field('Vault', `${r.vault.vaultId}, checked as ${r.vault.user}: ${r.vault.comparisonNote}`);
  }
  field('Checked', `${formatEat(r.finishedAt)}`);
  lines.push('');
  for (const c of Object.keys(CHECK_NAMES) as BundleCheck[]) {
    lines.push(`  ${CHECK_NAMES[c].padEnd(34, '.')} ${STATUS[r.checks[c]]}`);
  }
  lines.push('');
  if (r.ok) {
    lines.push(
      ...wrap(
        warnings.length > 0
          ? `RESULT: VERIFIED, WITH ${warnings.length} WARNING${warnings.length === 1 ? '' : 'S'}. The PDF is the file its signer signed, and every exhibit's hash, custody record and pages check out; the warnings below still need attention.`
          : "RESULT: VERIFIED. The PDF is exactly the file its signer signed, and every exhibit's hash, custody record, signature, proof and pages check out.",
        '',
        '',
      ),
    );
  } else {
    lines.push(
      ...wrap(
        `RESULT: NOT VERIFIED. ${errors.length} error${errors.length === 1 ? '' : 's'}${warnings.length ? ` and ${warnings.length} warning${warnings.length === 1 ? '' : 's'}` : ''}. This file cannot be relied on as the bundle Kesi made; see below for what is wrong.`,
        '',
        '',
      ),
    );
  }
  const general = r.problems.filter((p) => p.exhibitNumber === undefined);
  if (general.length > 0) {
    lines.push('', 'THE BUNDLE AS A WHOLE');
    lines.push(...problemLines(general, '  '));
  }
  if (r.exhibits.length > 0) {
    lines.push('', 'EXHIBITS');
    for (const e of r.exhibits) {
      const verdict = e.verdict === 'ok' ? 'OK' : e.verdict === 'failed' ? 'FAILED' : 'NOT PROVEN';
      lines.push(
        ...wrap(
          `${e.title} — ${pages(e.firstPage, e.lastPage)}, ${e.events} custody event${e.events === 1 ? '' : 's'}`,
          `  ${verdict.padEnd(10)} ${e.exhibitNumber.padEnd(10)} `,
          ' '.repeat(24),
        ),
      );
      lines.push(`${' '.repeat(24)}SHA-256 ${e.sha256}`);
      lines.push(...problemLines(e.problems, ' '.repeat(24)));
    }
    if (r.exhibits.some((e) => e.verdict === 'unproven')) {
      lines.push(
        '',
        ...wrap(
          "NOT PROVEN: the exhibit's own checks passed, but the bundle as a whole failed, so nothing in this file can be relied on.",
          '',
          '',
        ),
      );
    }
  }
  return lines.join('\n') + '\n';
}
