// Typesetting that runs over as many pages as it needs: statements, the appendix. A flow owns a
// cursor (the top of the free area on the current page) and starts a new page, with its
// running header, when the next block does not fit.
import type { PDFFont, PDFPage, RGB } from 'pdf-lib';
import type { Book } from './book';
import {
  CONTENT_TOP,
  CONTENT_W,
  INK,
  MARGIN,
  MUTED,
  SHADE,
  drawLine,
  drawRight,
  hRule,
  wrapLimited,
  wrapText,
} from './layout';

/** Draws a page's running header; returns the y where content may start. */
export type FlowHeader = (page: PDFPage, continued: boolean) => number;

export interface Cell {
  text: string;
  font?: PDFFont;
  color?: RGB;
  /** Lines at most (the last one ends with an ellipsis when cut); default 12. */
  maxLines?: number;
}

export interface Column {
  title: string;
  width: number;
  align?: 'left' | 'right';
}

export interface TableRow {
  cells: (string | Cell)[];
  /** A line across the whole row under the cells (e.g. a full SHA-256). */
  below?: string | Cell;
}

export interface TableStyle {
  size: number;
  leading: number;
  padY?: number;
  padX?: number;
}

export class Flow {
  page!: PDFPage;
  /** Top of the free area on the current page. */
  y = 0;
  readonly firstPage: number;
  private pageCount = 0;
  /** Nothing drawn yet below the running header of the current page. */
  private fresh = true;
  private tableHeader: (() => void) | null = null;

  constructor(
    private readonly book: Book,
    private readonly label: string,
    private readonly header?: FlowHeader,
  ) {
    this.newPage();
    this.firstPage = book.count;
  }

  get lastPage(): number {
    return this.book.count;
  }

  newPage(): void {
    this.page = this.book.addPage(this.label);
    const continued = this.pageCount > 0;
    this.pageCount++;
    this.y = this.header ? this.header(this.page, continued) : CONTENT_TOP;
    this.fresh = true;
    this.tableHeader?.();
  }

  /** Makes room for `height` points, on a new page if needed. */
  ensure(height: number): void {
    if (this.y - height < MARGIN.bottom && !this.fresh) this.newPage();
    this.fresh = false;
  }

  room(): number {
    return this.y - MARGIN.bottom;
  }

  gap(height: number): void {
    this.y -= height;
  }

  /** Lines of cleaned text, each on its own line, breaking pages between lines. */
  lines(
    lines: readonly string[],
    o: { font: PDFFont; size: number; leading: number; x?: number; color?: RGB },
  ): void {
    const fonts = this.book.fonts;
    for (const line of lines) {
      this.ensure(o.leading);
      const baseline = this.y - fonts.ascent(o.size) - (o.leading - o.size) / 2;
      drawLine(this.page, line, o.x ?? MARGIN.left, baseline, {
        font: o.font,
        size: o.size,
        color: o.color ?? INK,
      });
      this.y -= o.leading;
    }
  }

  /** A paragraph of text, wrapped to `width` (default: the full measure). */
  paragraph(
    text: string,
    o: { font: PDFFont; size: number; leading: number; x?: number; width?: number; color?: RGB },
  ): void {
    const fonts = this.book.fonts;
    const x = o.x ?? MARGIN.left;
    const width = o.width ?? CONTENT_W - (x - MARGIN.left);
    const lines = wrapText(fonts, o.font, fonts.clean(text), o.size, width);
    this.lines(lines, { ...o, x });
  }

  /** A heading kept with at least `keep` points of what follows. */
  heading(text: string, o: { font: PDFFont; size: number; keep?: number; color?: RGB }): void {
    const fonts = this.book.fonts;
    const leading = o.size * 1.35;
    const lines = wrapText(fonts, o.font, fonts.clean(text), o.size, CONTENT_W);
    this.ensure(leading * lines.length + (o.keep ?? 40));
    this.lines(lines, { font: o.font, size: o.size, leading, color: o.color ?? INK });
  }

  /** A table with a shaded header row, repeated on every page the table runs over. */
  table(columns: readonly Column[], rows: readonly TableRow[], style: TableStyle): void {
    const fonts = this.book.fonts;
    const padY = style.padY ?? 3;
    const padX = style.padX ?? 4;
    const xs: number[] = [];
    let x = MARGIN.left;
    for (const c of columns) {
      xs.push(x);
      x += c.width;
    }
    const right = x;
    const headerLines = columns.map((c) =>
      wrapText(fonts, fonts.bold, fonts.clean(c.title), style.size, c.width - 2 * padX),
    );
    const headerHeight = Math.max(...headerLines.map((l) => l.length)) * style.leading + 2 * padY;
    const drawHeader = () => {
      const top = this.y;
      this.page.drawRectangle({
        x: MARGIN.left,
        y: top - headerHeight,
        width: right - MARGIN.left,
        height: headerHeight,
        color: SHADE,
      });
      columns.forEach((c, i) => {
        (headerLines[i] as string[]).forEach((line, j) => {
          const baseline =
            top -
            padY -
            j * style.leading -
            fonts.ascent(style.size) -
            (style.leading - style.size) / 2;
          const o = { font: fonts.bold, size: style.size, color: INK };
          if (c.align === 'right') {
            drawRight(fonts, this.page, line, (xs[i] as number) + c.width - padX, baseline, o);
          } else drawLine(this.page, line, (xs[i] as number) + padX, baseline, o);
        });
      });
      this.y = top - headerHeight;
    };
    const laid = rows.map((row) => {
      const cells = row.cells.map((c) => (typeof c === 'string' ? { text: c } : c));
      const cellLines = cells.map((c, i) =>
        wrapLimited(
          fonts,
          c.font ?? fonts.regular,
          c.text,
          style.size,
          (columns[i]?.width ?? 0) - 2 * padX,
          c.maxLines ?? 12,
        ),
      );
      const below =
        row.below === undefined
          ? null
          : typeof row.below === 'string'
            ? { text: row.below }
            : row.below;
      const belowLines = below
        ? wrapLimited(
            fonts,
            below.font ?? fonts.regular,
            below.text,
            style.size,
            right - MARGIN.left - 2 * padX,
            below.maxLines ?? 4,
          )
        : [];
      const n = Math.max(1, ...cellLines.map((l) => l.length));
      const height = (n + belowLines.length) * style.leading + 2 * padY;
      return { cells, cellLines, below, belowLines, n, height };
    });
    // The header never stands alone at the foot of a page.
    this.ensure(headerHeight + (laid[0]?.height ?? 0));
    this.tableHeader = drawHeader;
    drawHeader();
    const baselineAt = (top: number, line: number) =>
      top -
      padY -
      line * style.leading -
      fonts.ascent(style.size) -
      (style.leading - style.size) / 2;
    for (const { cells, cellLines, below, belowLines, n, height } of laid) {
      this.ensure(height);
      const top = this.y;
      cells.forEach((c, i) => {
        const col = columns[i];
        if (!col) return;
        (cellLines[i] as string[]).forEach((line, j) => {
          const o = { font: c.font ?? fonts.regular, size: style.size, color: c.color ?? INK };
          if (col.align === 'right') {
            drawRight(
              fonts,
              this.page,
              line,
              (xs[i] as number) + col.width - padX,
              baselineAt(top, j),
              o,
            );
          } else drawLine(this.page, line, (xs[i] as number) + padX, baselineAt(top, j), o);
        });
      });
      belowLines.forEach((line, j) => {
        drawLine(this.page, line, MARGIN.left + padX, baselineAt(top, n + j), {
          font: below?.font ?? fonts.regular,
          size: style.size,
          color: below?.color ?? MUTED,
        });
      });
      this.y = top - height;
      hRule(this.page, MARGIN.left, right, this.y, 0.4);
    }
    this.tableHeader = null;
  }
}
