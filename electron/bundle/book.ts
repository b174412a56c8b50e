// The bundle as a book: its pages in order with their stamps, the links between them, the
// outline (bookmarks) and the page labels. Pages are only ever appended; the content of the
// front matter (cover, index, dividers) is drawn on pages reserved for it once the page
// numbers are known.
import type { PDFDict } from 'pdf-lib';
import {
  PDFArray,
  PDFHexString,
  PDFName,
  PDFNumber,
  type PDFDocument,
  type PDFPage,
  type PDFRef,
} from 'pdf-lib';
import type { BundleFonts } from './fonts';
import {
  A4,
  CONTENT_W,
  MARGIN,
  MUTED,
  PAGE_W,
  drawLine,
  drawRight,
  fitLine,
  stampPage,
  type TextOptions,
} from './layout';

export interface BookPage {
  page: PDFPage;
  /** What the stamp names after the page number: an exhibit number, "Index", "Appendix A". */
  label: string;
}

export interface OutlineEntry {
  title: string;
  /** 1-based page number. */
  page: number;
  children?: OutlineEntry[];
}

interface PendingLink {
  page: PDFPage;
  rect: [number, number, number, number];
  target: number;
}

export class Book {
  readonly pages: BookPage[] = [];
  private readonly links: PendingLink[] = [];

  constructor(
    readonly doc: PDFDocument,
    readonly fonts: BundleFonts,
    /** Printed small at the foot of every page Kesi draws. */
    private readonly footer: { left: string; right: string },
  ) {}

  get count(): number {
    return this.pages.length;
  }

  /** A new A4 page drawn by Kesi, stamped and with the running footer. */
  addPage(label: string): PDFPage {
    const page = this.doc.addPage([A4[0], A4[1]]);
    this.pages.push({ page, label });
    stampPage(this.fonts, page, this.stampText(this.pages.length, label));
    const o: TextOptions = { font: this.fonts.regular, size: 7.5, color: MUTED };
    const half = CONTENT_W / 2 - 8;
    drawLine(page, fitLine(this.fonts, o.font, this.footer.left, o.size, half), MARGIN.left, 30, o);
    drawRight(
      this.fonts,
      page,
      fitLine(this.fonts, o.font, this.footer.right, o.size, half),
      PAGE_W - MARGIN.right,
      30,
      o,
    );
    return page;
  }

  /** A page copied from an exhibit's PDF, appended as it is and stamped. */
  adoptPage(page: PDFPage, label: string): void {
    this.doc.addPage(page);
    this.pages.push({ page, label });
    stampPage(this.fonts, page, this.stampText(this.pages.length, label), true);
  }

  stampText(number: number, label: string): string {
    return `Page ${number} — ${label}`;
  }

  pageAt(number: number): PDFPage {
    const p = this.pages[number - 1];
    if (!p) throw new RangeError(`no page ${number}`);
    return p.page;
  }

  /** A clickable area (user space of `page`) that goes to page `target`. */
  link(page: PDFPage, rect: [number, number, number, number], target: number): void {
    this.links.push({ page, rect, target });
  }

  /** Writes the link annotations collected so far. */
  writeLinks(): void {
    const ctx = this.doc.context;
    for (const l of this.links) {
      const target = this.pageAt(l.target);
      const annot = ctx.obj({
        Type: 'Annot',
        Subtype: 'Link',
        Rect: l.rect.map((n) => round(n)),
        Border: [0, 0, 0],
        F: 4,
        Dest: destination(target.ref, target),
      });
      const ref = ctx.register(annot);
      let annots = l.page.node.lookupMaybe(PDFName.of('Annots'), PDFArray);
      if (!annots) {
        annots = ctx.obj([]);
        l.page.node.set(PDFName.of('Annots'), annots);
      }
      annots.push(ref);
    }
    this.links.length = 0;
  }

  /** The document outline (bookmarks), top level open. */
  writeOutline(entries: OutlineEntry[]): void {
    if (entries.length === 0) return;
    const ctx = this.doc.context;
    const rootRef = ctx.nextRef();
    const build = (
      items: OutlineEntry[],
      parent: PDFRef,
    ): { first: PDFRef; last: PDFRef; count: number } => {
      const refs = items.map(() => ctx.nextRef());
      let visible = 0;
      items.forEach((item, i) => {
        const target = this.pageAt(item.page);
        const dict = ctx.obj({}) as PDFDict;
        dict.set(PDFName.of('Title'), PDFHexString.fromText(item.title));
        dict.set(PDFName.of('Parent'), parent);
        dict.set(PDFName.of('Dest'), destination(target.ref, target));
        if (i > 0) dict.set(PDFName.of('Prev'), refs[i - 1] as PDFRef);
        if (i < items.length - 1) dict.set(PDFName.of('Next'), refs[i + 1] as PDFRef);
        if (item.children && item.children.length > 0) {
          const sub = build(item.children, refs[i] as PDFRef);
          dict.set(PDFName.of('First'), sub.first);
          dict.set(PDFName.of('Last'), sub.last);
          // Negative: closed, with that many descendants shown when opened.
          dict.set(PDFName.of('Count'), PDFNumber.of(-sub.count));
        }
        ctx.assign(refs[i] as PDFRef, dict);
        visible++;
      });
      return { first: refs[0] as PDFRef, last: refs[refs.length - 1] as PDFRef, count: visible };
    };
    const top = build(entries, rootRef);
    ctx.assign(
      rootRef,
      ctx.obj({ Type: 'Outlines', First: top.first, Last: top.last, Count: top.count }),
    );
    this.doc.catalog.set(PDFName.of('Outlines'), rootRef);
    this.doc.catalog.set(PDFName.of('PageMode'), PDFName.of('UseOutlines'));
  }

  /** Page labels equal to the stamped numbers: decimal, from 1, for the whole bundle. */
  writePageLabels(): void {
    const ctx = this.doc.context;
    const labels = ctx.obj({ Nums: [0, { S: 'D', St: 1 }] });
    this.doc.catalog.set(PDFName.of('PageLabels'), ctx.register(labels));
  }
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}

/** [page /Fit]: the whole page, whatever its size and rotation. */
function destination(ref: PDFRef, page: PDFPage): PDFArray {
  const arr = PDFArray.withContext(page.doc.context);
  arr.push(ref);
  arr.push(PDFName.of('Fit'));
  return arr;
}
