// electron/verify/audit-pdf.ts: the audit report as a PDF, read back with the poppler tools and
// checked with qpdf: every problem there, in words, with its item or event, over many pages.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { auditReportPdf } from '../../electron/verify/audit-pdf';
import type { AuditProblem, AuditReport } from '../../electron/verify/audit-types';
import { tempDir } from '../helpers/tmp';

function report(problems: AuditProblem[]): AuditReport {
  return {
    ok: !problems.some((p) => p.severity === 'error'),
    vaultId: '0f9a2b7c-1d2e-4f50-8a6b-9c0d1e2f3a4b',
    vaultName: 'IMLU Nairobi — Wanjikũ',
    startedAt: '2026-11-21T09:00:00.000Z',
    finishedAt: '2026-11-21T09:00:42.500Z',
    counts: { chains: 3, events: 120, items: 40, derivatives: 70, blobs: 110, bytesChecked: 5e8 },
    problems,
  };
}

function pdfText(pdf: Uint8Array): { text: string; pages: number; file: string } {
  const file = join(tempDir(), 'audit.pdf');
  writeFileSync(file, pdf);
  execFileSync('qpdf', ['--check', file], { encoding: 'utf8' });
  const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
  const info = execFileSync('pdfinfo', [file], { encoding: 'utf8' });
  return { text, pages: Number(/Pages:\s+(\d+)/.exec(info)?.[1]), file };
}

const OPTS = { exportedBy: 'amina', exportedAt: '2026-11-21T09:01:00.000Z', app: 'kesi/0.1.0' };

describe('the audit report PDF', () => {
  it('says the vault is intact when it is, in searchable text', async () => {
    const { text, pages } = pdfText(await auditReportPdf(report([]), OPTS));
    expect(pages).toBe(1);
    expect(text).toContain('Kesi vault audit');
    expect(text).toContain('IMLU Nairobi — Wanjikũ');
    expect(text).toMatch(/Result: INTACT\. Every check passed/);
    expect(text).toMatch(/3 custody logs with 120 events/);
    expect(text).toContain('2026-11-21 12:00:42 EAT'); // finished, in East Africa Time
    expect(text).toContain('by amina (kesi/0.1.0)');
    expect(text).toContain('No problems were found.');
  });

  it('lists every problem, with its item or event, over as many pages as it takes', async () => {
    const problems: AuditProblem[] = [];
    for (let i = 1; i <= 70; i++) {
      problems.push({
        severity: i % 10 === 0 ? 'warning' : 'error',
        code: i % 2 ? 'hash_mismatch' : 'blob_corrupt',
        message: `Problem number ${i}: the stored file of item ${i} no longer has the SHA-256 recorded at intake, so it was altered or damaged after it was taken in.`,
        itemId: i,
        caseRef: 'IMLU-2026-014',
        seq: i + 3,
        blobName: `blobs/ab/${'c'.repeat(60)}${String(i).padStart(4, '0')}`,
      });
    }
    const { text, pages } = pdfText(await auditReportPdf(report(problems), OPTS));
    expect(pages).toBeGreaterThan(2);
    expect(text).toMatch(/NOT INTACT: 63 errors and 7 warnings/);
    expect(text).toContain('Errors (63)');
    expect(text).toContain('Warnings (7)');
    const flat = text.replace(/\s+/g, ' ');
    for (let i = 1; i <= 70; i++) expect(flat).toContain(`Problem number ${i}:`);
    expect(flat).toContain('hash_mismatch · case IMLU-2026-014 · event #4 · item 1');
    expect(flat).toContain(`page 1 of ${pages}`);
    expect(flat).toContain(`page ${pages} of ${pages}`);
  });
});
