// The vault audit report as a PDF, for the file or for paper: the verdict in words, what was
// checked, and every problem (none left out, unlike the text report's screen view), each with
// the item or custody event it concerns. Set in the bundle fonts (DejaVu Sans, embedded as
// subsets with a ToUnicode map), so the text can be searched and copied.
import { PDFDocument, rgb, type PDFFont, type PDFPage } from 'pdf-lib';
import { formatEat } from '../../shared/time';
import { BundleFonts, loadFontFiles, type FontFiles } from '../bundle/fonts';
import type { AuditProblem, AuditReport } from './audit-types';

const A4: [number, number] = [595.28, 841.89];
const MARGIN = 56;
const BODY = 10;
const LEADING = 14;
const INK = rgb(0.1, 0.1, 0.1);
const MUTED = rgb(0.35, 0.35, 0.35);
const RED = rgb(0.7, 0.05, 0.05);
const GREEN = rgb(0.05, 0.45, 0.15);

export interface AuditPdfOptions {
  /** Who saved the report, printed at the top. */
  exportedBy: string;
  /** ISO UTC. */
  exportedAt: string;
  /** "kesi/0.1.0" */
  app: string;
  fonts?: FontFiles;
}

/** Lays out lines top to bottom, starting new pages as needed, with a running footer. */
class Writer {
  private page!: PDFPage;
  private y = 0;
  readonly pages: PDFPage[] = [];

  constructor(
    private readonly doc: PDFDocument,
    readonly fonts: BundleFonts,
  ) {
    this.newPage();
  }

  private newPage(): void {
    this.page = this.doc.addPage(A4);
    this.pages.push(this.page);
    this.y = A4[1] - MARGIN;
  }

  private need(height: number): void {
    if (this.y - height < MARGIN + 20) this.newPage();
  }

  /** Word-wrapped text; `indent` shifts every line. */
  text(
    raw: string,
    opts: { font?: PDFFont; size?: number; color?: ReturnType<typeof rgb>; indent?: number } = {},
  ): void {
    const font = opts.font ?? this.fonts.regular;
    const size = opts.size ?? BODY;
    const indent = opts.indent ?? 0;
    const width = A4[0] - 2 * MARGIN - indent;
    const leading = Math.max(LEADING, size * 1.35);
    for (const line of this.wrap(this.fonts.clean(raw), font, size, width)) {
      this.need(leading);
      this.y -= leading;
      this.page.drawText(line, {
        x: MARGIN + indent,
        y: this.y,
        size,
        font,
        color: opts.color ?? INK,
      });
    }
  }

  gap(h = LEADING / 2): void {
    this.y -= h;
  }

  /** Keeps the next `lines` lines together on one page. */
  keep(lines: number): void {
    this.need(lines * LEADING);
  }

  private wrap(text: string, font: PDFFont, size: number, width: number): string[] {
    const lines: string[] = [];
    let line = '';
    for (const word of text.split(' ')) {
      const candidate = line === '' ? word : `${line} ${word}`;
      if (line !== '' && this.fonts.width(font, candidate, size) > width) {
        lines.push(line);
        line = word;
      } else line = candidate;
      // A word longer than the line (a hash, a path) is cut where it must be.
      while (this.fonts.width(font, line, size) > width && line.length > 1) {
        let cut = line.length - 1;
        while (cut > 1 && this.fonts.width(font, line.slice(0, cut), size) > width) cut--;
        lines.push(line.slice(0, cut));
        line = line.slice(cut);
      }
    }
    lines.push(line);
    return lines;
  }

  footer(title: string): void {
    const total = this.pages.length;
    this.pages.forEach((p, i) => {
      const label = `${title} · page ${i + 1} of ${total}`;
      p.drawText(this.fonts.clean(label), {
        x: MARGIN,
        y: MARGIN - 24,
        size: 8,
        font: this.fonts.regular,
        color: MUTED,
      });
    });
  }
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString('en-GB')} ${n === 1 ? one : many}`;
}

/** Where a problem is: "case KE-1 · event #4 · item 3 · blobs/ab/cd…". */
export function problemPlace(p: AuditProblem): string {
  const parts: string[] = [];
  if (p.caseRef !== undefined) parts.push(`case ${p.caseRef}`);
  else if (p.chain === 'vault') parts.push('vault log');
  if (p.seq !== undefined) parts.push(`event #${p.seq}`);
  if (p.itemId !== undefined) parts.push(`item ${p.itemId}`);
  const path = p.path ?? p.blobName;
  if (path !== undefined) parts.push(path);
  return parts.join(' · ');
}

function verdict(r: AuditReport): { line: string; color: ReturnType<typeof rgb> } {
  const errors = r.problems.filter((p) => p.severity === 'error').length;
  const warnings = r.problems.length - errors;
  if (errors > 0) {
    return {
      line: `NOT INTACT: ${plural(errors, 'error')}${warnings > 0 ? ` and ${plural(warnings, 'warning')}` : ''}. The vault no longer proves what happened to the evidence. Keep this report and an untouched copy of the vault folder, and repair nothing before an expert has examined them.`,
      color: RED,
    };
  }
  if (warnings > 0) {
    return {
      line: `INTACT, with ${plural(warnings, 'warning')}. Nothing shows that evidence or its custody record was altered; the warnings below still need attention.`,
      color: INK,
    };
  }
  return {
    line: 'INTACT. Every check passed: no custody event, stored file, item record or key was altered, removed, added or reordered outside Kesi.',
    color: GREEN,
  };
}

export async function auditReportPdf(r: AuditReport, opts: AuditPdfOptions): Promise<Uint8Array> {
  const doc = await PDFDocument.create({ updateMetadata: false });
  const fonts = await BundleFonts.embed(doc, opts.fonts ?? loadFontFiles());
  const w = new Writer(doc, fonts);
  const vault = r.vaultName !== undefined ? `${r.vaultName} (${r.vaultId})` : r.vaultId;
  const c = r.counts;

  w.text('Kesi vault audit', { font: fonts.bold, size: 18 });
  w.gap();
  w.text(`Vault: ${vault}`);
  w.text(`Audit started: ${formatEat(r.startedAt)}`);
  w.text(`Audit finished: ${formatEat(r.finishedAt)}`);
  w.text(`Report saved: ${formatEat(opts.exportedAt)} by ${opts.exportedBy} (${opts.app})`);
  w.gap();
  const v = verdict(r);
  w.text(`Result: ${v.line}`, { font: fonts.bold, size: 11, color: v.color });
  w.gap();
  w.text('What was checked', { font: fonts.bold, size: 12 });
  w.text(
    `${plural(c.chains, 'custody log')} with ${plural(c.events, 'event')}: every hash link and signature.`,
  );
  w.text(
    `${plural(c.items, 'item')} and ${plural(c.derivatives, 'derivative')}; ${plural(c.blobs, 'stored file')}, ${plural(c.bytesChecked, 'byte')} decrypted and re-hashed.`,
  );

  for (const [title, severity] of [
    ['Errors', 'error'],
    ['Warnings', 'warning'],
  ] as const) {
    const list = r.problems.filter((p) => p.severity === severity);
    if (list.length === 0) continue;
    w.gap(LEADING);
    w.text(`${title} (${list.length.toLocaleString('en-GB')})`, { font: fonts.bold, size: 12 });
    list.forEach((p, i) => {
      w.gap(4);
      w.keep(3);
      w.text(`${i + 1}. ${p.message}`, { color: severity === 'error' ? RED : INK });
      const place = problemPlace(p);
      w.text(`${p.code}${place ? ` · ${place}` : ''}`, { indent: 14, size: 8.5, color: MUTED });
    });
  }
  if (r.problems.length === 0) {
    w.gap(LEADING);
    w.text('No problems were found.', { color: GREEN });
  }
  w.footer(`Kesi vault audit · ${vault}`);

  doc.setTitle(`Kesi vault audit: ${r.vaultName ?? r.vaultId}`);
  doc.setProducer(opts.app);
  doc.setCreator(opts.app);
  doc.setCreationDate(new Date(opts.exportedAt));
  doc.setModificationDate(new Date(opts.exportedAt));
  return doc.save({ useObjectStreams: true });
}
