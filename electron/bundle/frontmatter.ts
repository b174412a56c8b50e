// Cover, index and section dividers. Their pages are reserved first (the index is planned from
// its rows, whose heights do not depend on page numbers) and drawn last, once every page
// number is known.
import { rgb, type PDFPage } from 'pdf-lib';
import type { BundleSpec } from '../../shared/bundle-spec';
import type { Book } from './book';
import type { BundleFonts } from './fonts';
import {
  CONTENT_TOP,
  CONTENT_W,
  INK,
  MARGIN,
  MUTED,
  PAGE_H,
  PAGE_W,
  SHADE,
  drawCentred,
  drawLine,
  drawRight,
  hRule,
  wrapLimited,
} from './layout';
import { longDate } from './words';

export interface PageRange {
  first: number;
  last: number;
}

export interface IndexRow {
  kind: 'section' | 'exhibit' | 'appendix';
  /** Exhibit number, or "A" for a section or appendix. */
  number: string;
  title: string;
  /** Date shown (YYYY-MM-DD), or ''. */
  date: string;
  /** The date is the intake date (the item has no date of its own). */
  dateIsIntake: boolean;
  /** Filled in once the pages exist. */
  range: PageRange | null;
}

const LIGHT = rgb(0.965, 0.965, 0.97);
const SIZE = 9.5;
const LEADING = 12.5;
const PAD_Y = 4;
const PAD_X = 4;
const COL = { number: 74, date: 68, pages: 62 } as const;
const COL_TITLE = CONTENT_W - COL.number - COL.date - COL.pages;
const HEADER_ROW = LEADING + 2 * PAD_Y;
const FIRST_TOP = CONTENT_TOP - 58;
const NEXT_TOP = CONTENT_TOP - 30;
/** Room kept at the foot of each index page for the note on dates. */
const NOTE = 24;

interface PlannedRow {
  row: IndexRow;
  lines: string[];
  height: number;
}

export interface IndexPlan {
  pages: PlannedRow[][];
}

function rowLines(fonts: BundleFonts, row: IndexRow): string[] {
  const font = row.kind === 'exhibit' ? fonts.regular : fonts.bold;
  return wrapLimited(fonts, font, row.title, SIZE, COL_TITLE - 2 * PAD_X, 3);
}

/** Lays out the index rows over pages; the number of pages is then known. */
export function planIndex(fonts: BundleFonts, rows: IndexRow[]): IndexPlan {
  const pages: PlannedRow[][] = [[]];
  let room = FIRST_TOP - HEADER_ROW - MARGIN.bottom - NOTE;
  for (const row of rows) {
    const lines = rowLines(fonts, row);
    const height = lines.length * LEADING + 2 * PAD_Y + (row.kind === 'section' ? 4 : 0);
    if (height > room && (pages[pages.length - 1] as PlannedRow[]).length > 0) {
      pages.push([]);
      room = NEXT_TOP - HEADER_ROW - MARGIN.bottom - NOTE;
    }
    (pages[pages.length - 1] as PlannedRow[]).push({ row, lines, height });
    room -= height;
  }
  return { pages };
}

function pagesText(r: PageRange | null): string {
  if (!r) return '';
  return r.first === r.last ? `${r.first}` : `${r.first}–${r.last}`;
}

/** Draws the planned index on its reserved pages, each row a link to its first page. */
export function drawIndex(
  book: Book,
  fonts: BundleFonts,
  plan: IndexPlan,
  firstPage: number,
  spec: BundleSpec,
): void {
  const anyIntakeDate = plan.pages.some((p) => p.some((r) => r.row.dateIsIntake));
  plan.pages.forEach((rows, i) => {
    const page = book.pageAt(firstPage + i);
    let y: number;
    if (i === 0) {
      drawCentred(fonts, page, 'INDEX', PAGE_W / 2, CONTENT_TOP - fonts.ascent(15), {
        font: fonts.bold,
        size: 15,
      });
      const sub = wrapLimited(
        fonts,
        fonts.regular,
        `${spec.parties} — ${spec.caseNumber}`,
        9.5,
        CONTENT_W,
        2,
      );
      sub.forEach((line, j) =>
        drawCentred(fonts, page, line, PAGE_W / 2, CONTENT_TOP - 26 - j * 13 - fonts.ascent(9.5), {
          font: fonts.regular,
          size: 9.5,
          color: MUTED,
        }),
      );
      y = FIRST_TOP;
    } else {
      drawLine(page, 'INDEX (continued)', MARGIN.left, CONTENT_TOP - fonts.ascent(10), {
        font: fonts.bold,
        size: 10,
      });
      y = NEXT_TOP;
    }
    // Header row.
    const xs = [
      MARGIN.left,
      MARGIN.left + COL.number,
      MARGIN.left + COL.number + COL_TITLE,
      MARGIN.left + COL.number + COL_TITLE + COL.date,
    ];
    const right = MARGIN.left + CONTENT_W;
    page.drawRectangle({
      x: MARGIN.left,
      y: y - HEADER_ROW,
      width: CONTENT_W,
      height: HEADER_ROW,
      color: SHADE,
    });
    const hb = y - PAD_Y - fonts.ascent(SIZE) - (LEADING - SIZE) / 2;
    const ho = { font: fonts.bold, size: SIZE };
    drawLine(page, 'Exhibit', (xs[0] as number) + PAD_X, hb, ho);
    drawLine(page, 'Description', (xs[1] as number) + PAD_X, hb, ho);
    drawLine(page, 'Date', (xs[2] as number) + PAD_X, hb, ho);
    drawRight(fonts, page, 'Pages', right - PAD_X, hb, ho);
    y -= HEADER_ROW;
    for (const planned of rows) {
      const { row, lines, height } = planned;
      const top = y - (row.kind === 'section' ? 4 : 0);
      const bold = row.kind !== 'exhibit';
      if (row.kind === 'section') {
        page.drawRectangle({
          x: MARGIN.left,
          y: y - height,
          width: CONTENT_W,
          height: height - 2,
          color: LIGHT,
        });
      }
      const base = (j: number) =>
        top - PAD_Y - j * LEADING - fonts.ascent(SIZE) - (LEADING - SIZE) / 2;
      const font = bold ? fonts.bold : fonts.regular;
      if (row.kind === 'exhibit') {
        drawLine(page, fonts.clean(row.number), (xs[0] as number) + PAD_X, base(0), {
          font,
          size: SIZE,
        });
      }
      lines.forEach((line, j) =>
        drawLine(page, line, (xs[1] as number) + PAD_X, base(j), { font, size: SIZE }),
      );
      if (row.date) {
        drawLine(
          page,
          `${row.date}${row.dateIsIntake ? ' †' : ''}`,
          (xs[2] as number) + PAD_X,
          base(0),
          {
            font: fonts.regular,
            size: SIZE,
            color: INK,
          },
        );
      }
      drawRight(fonts, page, pagesText(row.range), right - PAD_X, base(0), { font, size: SIZE });
      y -= height;
      hRule(page, MARGIN.left, right, y, 0.4);
      if (row.range) book.link(page, [MARGIN.left, y, right, y + height], row.range.first);
    }
    if (anyIntakeDate) {
      drawLine(
        page,
        '† No date of its own is recorded for this item; the date shown is when it was taken into Kesi.',
        MARGIN.left,
        MARGIN.bottom + 4,
        { font: fonts.regular, size: 7.5, color: MUTED },
      );
    }
  });
}

/** The cover: court, case number, parties, title, who prepared it, the date. */
export function drawCover(
  book: Book,
  fonts: BundleFonts,
  page: PDFPage,
  spec: BundleSpec,
  facts: {
    exhibits: number;
    pages: number;
    caseRef: string;
    generated: string;
    manifestSha256: string;
    signer: string;
  },
): void {
  const centre = PAGE_W / 2;
  let y = PAGE_H - 150;
  const block = (
    text: string,
    font: typeof fonts.bold,
    size: number,
    leading: number,
    color = INK,
    maxLines = 4,
  ) => {
    for (const line of wrapLimited(fonts, font, text, size, CONTENT_W - 40, maxLines)) {
      drawCentred(fonts, page, line, centre, y - fonts.ascent(size), { font, size, color });
      y -= leading;
    }
  };
  block(`IN THE ${spec.court.toLocaleUpperCase('en')}`, fonts.bold, 14, 19);
  y -= 10;
  block(spec.caseNumber, fonts.regular, 12.5, 17);
  y -= 40;
  block(spec.parties, fonts.bold, 16, 22, INK, 5);
  y -= 36;
  page.drawLine({
    start: { x: centre - 120, y },
    end: { x: centre + 120, y },
    thickness: 1,
    color: INK,
  });
  y -= 30;
  block(spec.title.toLocaleUpperCase('en'), fonts.bold, 19, 25, INK, 3);
  y -= 12;
  page.drawLine({
    start: { x: centre - 120, y },
    end: { x: centre + 120, y },
    thickness: 1,
    color: INK,
  });
  y -= 54;
  block(`Prepared by ${spec.preparedBy}`, fonts.regular, 11.5, 16, INK, 3);
  y -= 4;
  block(longDate(spec.date), fonts.regular, 11.5, 16);

  // The facts a reader needs to check the bundle, at the foot of the cover.
  const lines = [
    `Case reference ${facts.caseRef} · ${facts.exhibits} exhibit${facts.exhibits === 1 ? '' : 's'} · ${facts.pages} pages`,
    `Generated by Kesi on ${facts.generated} by ${facts.signer}`,
    `Manifest kesi-manifest.json (attached to this file), SHA-256:`,
    facts.manifestSha256,
  ];
  let fy = MARGIN.bottom + 70;
  hRule(page, MARGIN.left, PAGE_W - MARGIN.right, fy + 14);
  for (const line of lines) {
    drawCentred(fonts, page, fonts.clean(line), centre, fy - fonts.ascent(8), {
      font: fonts.regular,
      size: 8,
      color: MUTED,
    });
    fy -= 11.5;
  }
}

export interface DividerEntry {
  number: string;
  title: string;
  range: PageRange;
}

const DIVIDER_LIST_MAX = 28;

/** A section divider: letter, title, exhibits and pages; a linked list of short sections. */
export function drawDivider(
  book: Book,
  fonts: BundleFonts,
  page: PDFPage,
  letter: string,
  title: string,
  range: PageRange,
  entries: DividerEntry[],
): void {
  const centre = PAGE_W / 2;
  let y = PAGE_H - 230;
  drawCentred(fonts, page, `SECTION ${letter}`, centre, y, {
    font: fonts.bold,
    size: 13,
    color: MUTED,
  });
  y -= 40;
  for (const line of wrapLimited(fonts, fonts.bold, title, 26, CONTENT_W, 2)) {
    drawCentred(fonts, page, line, centre, y, { font: fonts.bold, size: 26 });
    y -= 34;
  }
  y -= 6;
  const firstEx = entries[0];
  const lastEx = entries[entries.length - 1];
  const span =
    entries.length === 1
      ? `Exhibit ${firstEx?.number ?? ''}`
      : `Exhibits ${firstEx?.number ?? ''} to ${lastEx?.number ?? ''} (${entries.length})`;
  drawCentred(fonts, page, fonts.clean(span), centre, y, {
    font: fonts.regular,
    size: 11,
    color: MUTED,
  });
  y -= 16;
  drawCentred(fonts, page, `Pages ${range.first}–${range.last}`, centre, y, {
    font: fonts.regular,
    size: 11,
    color: MUTED,
  });
  y -= 40;
  if (entries.length > DIVIDER_LIST_MAX) return;
  const right = PAGE_W - MARGIN.right - 20;
  const left = MARGIN.left + 20;
  for (const e of entries) {
    const size = 9.5;
    const pages =
      e.range.first === e.range.last ? `${e.range.first}` : `${e.range.first}–${e.range.last}`;
    const numW = 70;
    const pagesW = fonts.width(fonts.regular, pages, size);
    const titleLine =
      wrapLimited(fonts, fonts.regular, e.title, size, right - left - numW - pagesW - 16, 1)[0] ??
      '';
    drawLine(page, fonts.clean(e.number), left, y, { font: fonts.bold, size });
    drawLine(page, titleLine, left + numW, y, { font: fonts.regular, size });
    drawRight(fonts, page, pages, right, y, { font: fonts.regular, size });
    book.link(page, [left - 2, y - 4, right + 2, y + 10], e.range.first);
    y -= 16;
  }
}
