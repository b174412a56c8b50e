// The pages of each exhibit: original PDFs merged page for page, photos one per page with a
// caption, typed text set by Kesi with a signature block, and a description page for what goes
// to court separately (audio, video, physical exhibits).
import { createHash } from 'node:crypto';
import { PDFDocument, ParseSpeeds, type PDFImage, type PDFPage } from 'pdf-lib';
import { KesiError, isKesiError } from '../../shared/errors';
import { openPdf, readPdfHeader } from '../intake/metadata/pdf';
import type { Book } from './book';
import { Flow } from './flow';
import type { BundleFonts } from './fonts';
import {
  CONTENT_TOP,
  CONTENT_W,
  INK,
  MARGIN,
  MUTED,
  PAGE_W,
  RULE,
  drawLine,
  hRule,
  wrapLimited,
  wrapText,
} from './layout';
import type { ManifestPages, PageSource } from './manifest';
import { docxText, normaliseText, type Pseudonymise } from './text';
import type { BundleExhibit, BytesSource } from './types';
import {
  cameraText,
  custodianText,
  durationText,
  eatMinute,
  eatSecond,
  kindName,
  shortHash,
  sizeText,
} from './words';

/** An exhibit as the bundle prints it: its number, and its texts with pseudonyms applied. */
export interface ResolvedExhibit {
  ex: BundleExhibit;
  number: string;
  /** 1-based section. */
  section: number;
  title: string;
  description: string | null;
}

export interface RenderContext {
  book: Book;
  fonts: BundleFonts;
  say: Pseudonymise;
  pseudonymsOn: boolean;
}

export interface RenderedExhibit {
  firstPage: number;
  lastPage: number;
  ranges: ManifestPages[];
}

export async function loadBytes(src: BytesSource): Promise<Uint8Array> {
  return typeof src === 'function' ? await src() : src;
}

function sha256(bytes: Uint8Array | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** KesiError BUNDLE_EXHIBIT_UNREADABLE naming the exhibit. */
export function unreadable(r: ResolvedExhibit, why: string, cause?: string): KesiError {
  return new KesiError(
    'BUNDLE_EXHIBIT_UNREADABLE',
    `Exhibit ${r.number} (${r.ex.title}) cannot be put in the bundle: ${why}`,
    { exhibitNumber: r.number, itemUid: r.ex.itemUid, ...(cause ? { cause } : {}) },
  );
}

function mismatch(r: ResolvedExhibit, what: string, expected: string, actual: string): KesiError {
  return new KesiError(
    'HASH_MISMATCH',
    `Exhibit ${r.number} (${r.ex.title}): the ${what} handed to the bundle does not have the recorded SHA-256 (recorded ${expected}, found ${actual}).`,
    { exhibitNumber: r.number, itemUid: r.ex.itemUid, expected, actual },
  );
}

export async function renderExhibit(
  ctx: RenderContext,
  r: ResolvedExhibit,
): Promise<RenderedExhibit> {
  const c = r.ex.content;
  switch (c.type) {
    case 'pdf':
      return renderPdf(ctx, r, await loadBytes(c.bytes));
    case 'image':
      return renderImage(ctx, r, await loadBytes(c.pageImageJpeg), c);
    case 'text':
      return renderText(ctx, r, c.text, 'utf-8');
    case 'docx': {
      const bytes = await loadBytes(c.bytes);
      checkOriginal(r, bytes);
      let text: string;
      try {
        text = await docxText(bytes);
      } catch {
        throw unreadable(
          r,
          'the Word document is damaged and its text cannot be read.',
          'CORRUPT_DOCX',
        );
      }
      return renderText(ctx, r, text, 'docx-raw-text');
    }
    case 'placeholder':
      return renderPlaceholder(ctx, r);
    default:
      throw new KesiError('BAD_INPUT', `Exhibit ${r.number}: unknown content.`);
  }
}

function checkOriginal(r: ResolvedExhibit, bytes: Uint8Array): void {
  const actual = sha256(bytes);
  if (actual !== r.ex.sha256) throw mismatch(r, 'file', r.ex.sha256, actual);
}

// ---------------------------------------------------------------------------------------------
// PDF: every page copied as it is (rotation, size, annotations), then stamped.

/**
 * Loads an exhibit's PDF for merging. A file without "/Encrypt" anywhere in it cannot be
 * encrypted (the trailer and cross-reference stream dictionaries, where /Encrypt would be, are
 * never compressed), so it is parsed directly, in one go; any other file goes through openPdf,
 * which decrypts owner-password-only files and refuses the others.
 */
export async function loadExhibitPdf(bytes: Uint8Array): Promise<PDFDocument> {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buf.indexOf('/Encrypt') !== -1) return (await openPdf(buf)).doc;
  if (!readPdfHeader(buf))
    throw new KesiError('CORRUPT_PDF', undefined, { reason: 'no %PDF- header' });
  let doc: PDFDocument;
  try {
    doc = await PDFDocument.load(buf, {
      ignoreEncryption: true,
      updateMetadata: false,
      throwOnInvalidObject: false,
      parseSpeed: ParseSpeeds.Fastest,
    });
    if (doc.getPageCount() === 0) throw new Error('no pages');
  } catch (e) {
    throw new KesiError('CORRUPT_PDF', undefined, { reason: String(e).slice(0, 200) });
  }
  return doc;
}

async function openExhibitPdf(r: ResolvedExhibit, bytes: Uint8Array): Promise<PDFDocument> {
  try {
    return await loadExhibitPdf(bytes);
  } catch (e) {
    if (isKesiError(e) && e.code === 'ENCRYPTED_PDF') {
      throw unreadable(
        r,
        'the PDF is protected by a password. Ask for a copy without a password, or produce it separately.',
        'ENCRYPTED_PDF',
      );
    }
    throw unreadable(r, 'the PDF is damaged and cannot be read.', 'CORRUPT_PDF');
  }
}

async function renderPdf(
  ctx: RenderContext,
  r: ResolvedExhibit,
  bytes: Uint8Array,
): Promise<RenderedExhibit> {
  checkOriginal(r, bytes);
  const src = await openExhibitPdf(r, bytes);
  let copied;
  try {
    copied = await ctx.book.doc.copyPages(src, src.getPageIndices());
  } catch {
    throw unreadable(r, 'the pages of the PDF cannot be read.', 'CORRUPT_PDF');
  }
  const first = ctx.book.count + 1;
  for (const page of copied) {
    ensureMediaBox(page);
    ctx.book.adoptPage(page, r.number);
  }
  const last = ctx.book.count;
  return {
    firstPage: first,
    lastPage: last,
    ranges: [
      {
        from: first,
        to: last,
        part: 'exhibit',
        label: r.number,
        exhibitNumber: r.number,
        source: { type: 'pdf-pages', sha256: r.ex.sha256, firstSourcePage: 1 },
      },
    ],
  };
}

/** A page without a usable MediaBox gets US Letter, as readers assume. */
function ensureMediaBox(page: PDFPage): void {
  try {
    const b = page.getMediaBox();
    if (
      Number.isFinite(b.width) &&
      Number.isFinite(b.height) &&
      Math.abs(b.width) >= 1 &&
      Math.abs(b.height) >= 1
    )
      return;
  } catch {
    // no MediaBox anywhere up the page tree
  }
  page.setMediaBox(0, 0, 612, 792);
}

// ---------------------------------------------------------------------------------------------
// Photos and scans: the intake page image, one per page, with a caption.

/** True if the bytes look like a complete JPEG: SOI at the start, EOI near the end. */
function looksLikeCompleteJpeg(b: Uint8Array): boolean {
  if (b.length < 4 || b[0] !== 0xff || b[1] !== 0xd8) return false;
  // EOI, allowing some padding after it (some writers pad to a block size).
  const from = Math.max(2, b.length - 64 * 1024);
  for (let i = b.length - 2; i >= from; i--) {
    if (b[i] === 0xff && b[i + 1] === 0xd9) return true;
  }
  return false;
}

async function renderImage(
  ctx: RenderContext,
  r: ResolvedExhibit,
  jpeg: Uint8Array,
  c: { width: number; height: number; pageImageSha256?: string },
): Promise<RenderedExhibit> {
  const { book, fonts } = ctx;
  const jpegSha = sha256(jpeg);
  if (c.pageImageSha256 !== undefined && c.pageImageSha256 !== jpegSha) {
    throw mismatch(r, 'page image', c.pageImageSha256, jpegSha);
  }
  if (!looksLikeCompleteJpeg(jpeg)) {
    throw unreadable(
      r,
      'its page image is damaged or incomplete (not a whole JPEG).',
      'CORRUPT_IMAGE',
    );
  }
  // pdf-lib reads the JPEG header through a DataView over the whole underlying buffer, so a
  // view into a larger buffer (a Node pool slice) must be copied out first.
  const own =
    jpeg.byteOffset === 0 && jpeg.byteLength === jpeg.buffer.byteLength
      ? jpeg
      : Uint8Array.from(jpeg);
  let image: PDFImage;
  try {
    image = await book.doc.embedJpg(own);
  } catch {
    throw unreadable(r, 'its page image is damaged and cannot be read.', 'CORRUPT_IMAGE');
  }
  if (image.width !== c.width || image.height !== c.height) {
    throw unreadable(
      r,
      `its page image is ${image.width} x ${image.height} pixels, not ${c.width} x ${c.height} as recorded.`,
      'CORRUPT_IMAGE',
    );
  }
  const page = book.addPage(r.number);
  const number = book.count;
  let y = exhibitHeader(ctx, page, r, false);
  y -= 6;

  // Caption, measured first so that the picture takes the rest of the page.
  const ex = r.ex;
  const size = 9;
  const leading = 12.5;
  const captionLines: { text: string; bold?: boolean; muted?: boolean; small?: boolean }[] = [];
  captionLines.push(
    ...wrapLimited(fonts, fonts.bold, `Exhibit ${r.number}: ${r.title}`, size, CONTENT_W, 2).map(
      (t) => ({ text: t, bold: true }),
    ),
  );
  if (r.description) {
    captionLines.push(
      ...wrapLimited(fonts, fonts.regular, r.description, size, CONTENT_W, 4).map((t) => ({
        text: t,
      })),
    );
  }
  const facts = [
    `Taken: ${ex.capturedAt ? eatMinute(ex.capturedAt) : 'not recorded'}`,
    `Camera: ${cameraText(ex.camera) || 'not recorded'}`,
    `SHA-256: ${shortHash(ex.sha256)}`,
  ].join('   ·   ');
  captionLines.push(
    ...wrapText(fonts, fonts.regular, fonts.clean(facts), size, CONTENT_W).map((t) => ({
      text: t,
      muted: true,
    })),
  );
  const fileLine = `Original file: ${ctx.say(ex.originalName ?? 'not recorded')}, ${sizeText(ex.size)}. Shown: the upright page image made at intake, ${image.width} x ${image.height} pixels.`;
  captionLines.push(
    ...wrapLimited(fonts, fonts.regular, fileLine, 8, CONTENT_W, 2).map((t) => ({
      text: t,
      muted: true,
      small: true,
    })),
  );
  const captionHeight = captionLines.length * leading;
  const bottom = MARGIN.bottom + 4;
  const areaTop = y;
  const areaBottom = bottom + captionHeight + 12;
  const areaH = Math.max(50, areaTop - areaBottom);
  const scale = Math.min(CONTENT_W / image.width, areaH / image.height);
  const w = image.width * scale;
  const h = image.height * scale;
  const x = MARGIN.left + (CONTENT_W - w) / 2;
  const imgY = areaTop - h;
  page.drawImage(image, { x, y: imgY, width: w, height: h });
  page.drawRectangle({ x, y: imgY, width: w, height: h, borderColor: RULE, borderWidth: 0.5 });
  let cy = imgY - 12;
  for (const line of captionLines) {
    const baseline = cy - fonts.ascent(size);
    drawLine(page, fonts.clean(line.text), MARGIN.left, baseline, {
      font: line.bold ? fonts.bold : fonts.regular,
      size: line.small ? 8 : size,
      color: line.muted ? MUTED : INK,
    });
    cy -= leading;
  }
  return {
    firstPage: number,
    lastPage: number,
    ranges: [
      {
        from: number,
        to: number,
        part: 'exhibit',
        label: r.number,
        exhibitNumber: r.number,
        source: {
          type: 'page-image',
          sha256: jpegSha,
          original: ex.sha256,
          width: image.width,
          height: image.height,
        },
      },
    ],
  };
}

/**
 * The heading of an exhibit's own page: "PExh-3" and its title, the kind of item, and a rule.
 * Returns the y below it.
 */
function exhibitHeader(
  ctx: RenderContext,
  page: PDFPage,
  r: ResolvedExhibit,
  continued: boolean,
): number {
  const { fonts } = ctx;
  let y = CONTENT_TOP;
  if (continued) {
    const line =
      wrapLimited(
        fonts,
        fonts.regular,
        `${r.number} — ${r.title} (continued)`,
        8.5,
        CONTENT_W,
        1,
      )[0] ?? '';
    drawLine(page, line, MARGIN.left, y - fonts.ascent(8.5), {
      font: fonts.regular,
      size: 8.5,
      color: MUTED,
    });
    y -= 14;
    hRule(page, MARGIN.left, PAGE_W - MARGIN.right, y);
    return y - 14;
  }
  const titleLines = wrapLimited(fonts, fonts.bold, `${r.number} — ${r.title}`, 13, CONTENT_W, 2);
  for (const line of titleLines) {
    drawLine(page, line, MARGIN.left, y - fonts.ascent(13), { font: fonts.bold, size: 13 });
    y -= 17;
  }
  const kind = fonts.clean(kindName(r.ex.kind, r.ex.subtype));
  drawLine(page, kind, MARGIN.left, y - fonts.ascent(9), {
    font: fonts.regular,
    size: 9,
    color: MUTED,
  });
  y -= 14;
  hRule(page, MARGIN.left, PAGE_W - MARGIN.right, y);
  return y - 8;
}

// ---------------------------------------------------------------------------------------------
// Typed text (statements, .txt, DOCX): wrapped paragraphs and a signature block.

async function renderText(
  ctx: RenderContext,
  r: ResolvedExhibit,
  raw: string,
  extraction: 'utf-8' | 'docx-raw-text',
): Promise<RenderedExhibit> {
  const { fonts, book } = ctx;
  const original = normaliseText(raw);
  const { text, count: replaced } = ctx.pseudonymsOn
    ? ctx.say.counted(original)
    : { text: original, count: 0 };
  const flow = new Flow(book, r.number, (page, continued) =>
    exhibitHeader(ctx, page, r, continued),
  );
  const ex = r.ex;
  const from =
    extraction === 'docx-raw-text'
      ? `Text of the Word document ${ex.originalName ?? ''}, extracted and typeset by Kesi.`
      : `Text of ${ex.originalName ?? 'the typed statement'}, typeset by Kesi.`;
  flow.paragraph(`${ctx.say(from)} SHA-256 of the original: ${ex.sha256}.`, {
    font: fonts.regular,
    size: 8,
    leading: 11,
    color: MUTED,
  });
  if (r.description) {
    flow.paragraph(r.description, { font: fonts.regular, size: 8, leading: 11, color: MUTED });
  }
  flow.gap(10);
  const size = 10.5;
  const leading = 15;
  const paragraphs = text === '' ? ['(The document holds no text.)'] : text.split('\n');
  for (const p of paragraphs) {
    if (p.trim() === '') {
      flow.gap(leading * 0.6);
      continue;
    }
    const lines = wrapText(fonts, fonts.regular, fonts.clean(p), size, CONTENT_W);
    flow.lines(lines, { font: fonts.regular, size, leading });
  }
  signatureBlock(flow, fonts, ex.kind === 'statement');
  const first = flow.firstPage;
  const last = flow.lastPage;
  return {
    firstPage: first,
    lastPage: last,
    ranges: [
      {
        from: first,
        to: last,
        part: 'exhibit',
        label: r.number,
        exhibitNumber: r.number,
        source: {
          type: 'typeset-text',
          original: ex.sha256,
          extraction,
          textSha256: sha256(text),
          pseudonymsApplied: replaced,
        } satisfies PageSource,
      },
    ],
  };
}

function signatureBlock(flow: Flow, fonts: BundleFonts, statement: boolean): void {
  const size = 9.5;
  const blocks = statement
    ? [
        { title: 'Maker of the statement', rows: ['Signature', 'Name', 'Date'] },
        { title: 'Statement recorded by', rows: ['Signature', 'Name, rank and number', 'Date'] },
      ]
    : [{ title: 'Signed', rows: ['Signature', 'Name', 'Date'] }];
  const blockHeight = 20 + 26 * 3;
  flow.ensure(24 + blockHeight);
  flow.gap(24);
  const top = flow.y;
  const colW = (CONTENT_W - 24) / 2;
  blocks.forEach((b, i) => {
    const x = MARGIN.left + i * (colW + 24);
    drawLine(flow.page, b.title, x, top - fonts.ascent(size), { font: fonts.bold, size });
    b.rows.forEach((label, j) => {
      const y = top - 20 - 26 * j - 12;
      drawLine(flow.page, `${label}:`, x, y, { font: fonts.regular, size, color: MUTED });
      const lx = x + fonts.width(fonts.regular, `${label}: `, size);
      flow.page.drawLine({
        start: { x: lx, y: y - 2 },
        end: { x: x + colW, y: y - 2 },
        thickness: 0.5,
        color: RULE,
      });
    });
  });
  flow.y = top - blockHeight;
}

// ---------------------------------------------------------------------------------------------
// Audio, video, physical exhibits: one page that describes the exhibit.

function renderPlaceholder(ctx: RenderContext, r: ResolvedExhibit): RenderedExhibit {
  const { fonts, book } = ctx;
  const ex = r.ex;
  const flow = new Flow(book, r.number, (page, continued) =>
    exhibitHeader(ctx, page, r, continued),
  );
  const what =
    ex.kind === 'audio'
      ? 'an audio recording'
      : ex.kind === 'video'
        ? 'a video recording'
        : ex.kind === 'physical_exhibit'
          ? 'a physical exhibit'
          : 'a file that cannot be printed in this bundle';
  const medium =
    ex.kind === 'physical_exhibit'
      ? 'It is produced in court as an object, in the custody described below.'
      : ex.kind === 'audio' || ex.kind === 'video'
        ? 'The recording is produced separately, on a medium whose copy can be checked against the SHA-256 below.'
        : 'The original file is produced separately; a copy can be checked against the SHA-256 below.';
  flow.gap(6);
  flow.paragraph(`This exhibit is ${what}. This page describes it. ${medium}`, {
    font: fonts.regular,
    size: 10.5,
    leading: 15,
  });
  flow.gap(12);
  const rows: [string, string][] = [
    ['Exhibit', r.number],
    ['Title', r.title],
    ['Kind', kindName(ex.kind, ex.subtype)],
  ];
  if (r.description) rows.push(['Description', r.description]);
  if (ex.kind !== 'physical_exhibit') {
    rows.push(['Original file', ctx.say(ex.originalName ?? 'not recorded')]);
    rows.push(['Media type', ex.mediaType]);
    rows.push(['Size', sizeText(ex.size)]);
    rows.push([
      'Duration',
      ex.durationSeconds !== null && ex.durationSeconds !== undefined
        ? durationText(ex.durationSeconds)
        : 'not recorded',
    ]);
    rows.push(['Recorded', ex.capturedAt ? eatSecond(ex.capturedAt) : 'not recorded']);
    const device = [cameraText(ex.camera), ex.software ?? ''].filter((s) => s !== '').join(', ');
    if (device) rows.push(['Device', device]);
  } else {
    if (ex.seal) rows.push(['Seal', ex.seal]);
    if (ex.capturedAt) rows.push(['Recovered', eatSecond(ex.capturedAt)]);
    if (ex.capturedBy) rows.push(['Recovered by', ctx.say(ex.capturedBy)]);
  }
  rows.push([ex.kind === 'physical_exhibit' ? 'SHA-256 of its record' : 'SHA-256', ex.sha256]);
  rows.push(['Taken in', `${eatSecond(ex.intakeAt)}${ex.intakeBy ? ` by ${ex.intakeBy}` : ''}`]);
  rows.push(['Current custodian', custodianText(ex.custodian)]);
  flow.table(
    [
      { title: 'Particular', width: 130 },
      { title: 'Record', width: CONTENT_W - 130 },
    ],
    rows.map(([k, v]) => ({
      cells: [
        { text: k, font: fonts.bold },
        { text: v, maxLines: 10 },
      ],
    })),
    { size: 9.5, leading: 13, padY: 4 },
  );
  return {
    firstPage: flow.firstPage,
    lastPage: flow.lastPage,
    ranges: [
      {
        from: flow.firstPage,
        to: flow.lastPage,
        part: 'exhibit',
        label: r.number,
        exhibitNumber: r.number,
        source: { type: 'description', original: ex.sha256 },
      },
    ],
  };
}
