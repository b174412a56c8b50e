// Page geometry, line breaking and the few drawing primitives the bundle's own pages use.
import { degrees, rgb, type PDFFont, type PDFPage, type RGB } from 'pdf-lib';
import type { BundleFonts } from './fonts';

/** A4 in points (1/72 inch). */
export const A4: readonly [number, number] = [595.28, 841.89];
export const PAGE_W = A4[0];
export const PAGE_H = A4[1];

/** Margins of the pages Kesi draws: wider at the left for binding. */
export const MARGIN = { left: 64, right: 52, top: 70, bottom: 58 } as const;
export const CONTENT_W = PAGE_W - MARGIN.left - MARGIN.right;
export const CONTENT_TOP = PAGE_H - MARGIN.top;

export const INK = rgb(0.08, 0.08, 0.1);
export const MUTED = rgb(0.36, 0.36, 0.4);
export const RULE = rgb(0.62, 0.62, 0.66);
export const SHADE = rgb(0.93, 0.93, 0.94);
export const WHITE = rgb(1, 1, 1);

/**
 * Breaks one paragraph (no line breaks in it) into lines of at most `maxWidth` points. Breaks
 * at spaces; a word longer than a line is broken after a hyphen or slash if it can be, else
 * between characters. Leading spaces (indentation) are kept on the first line.
 */
export function wrapText(
  fonts: BundleFonts,
  font: PDFFont,
  text: string,
  size: number,
  maxWidth: number,
): string[] {
  const indentMatch = /^ +/.exec(text);
  const indent = indentMatch ? indentMatch[0] : '';
  const words = text
    .slice(indent.length)
    .split(/ +/)
    .filter((w) => w !== '');
  if (words.length === 0) return [''];
  const space = fonts.width(font, ' ', size);
  const lines: string[] = [];
  let line = indent;
  let lineWidth = fonts.width(font, indent, size);
  const push = () => {
    lines.push(line);
    line = '';
    lineWidth = 0;
  };
  for (const word of words) {
    const w = fonts.width(font, word, size);
    const gap = line.trim() === '' ? 0 : space;
    if (lineWidth + gap + w <= maxWidth) {
      line += (gap ? ' ' : '') + word;
      lineWidth += gap + w;
      continue;
    }
    if (w <= maxWidth) {
      if (line.trim() !== '') push();
      line = word;
      lineWidth = w;
      continue;
    }
    // A word longer than a line: fill the current line, then break it into pieces.
    if (line.trim() !== '') push();
    for (const piece of breakWord(fonts, font, word, size, maxWidth)) {
      if (line !== '') push();
      line = piece;
      lineWidth = fonts.width(font, piece, size);
    }
  }
  if (line !== '' || lines.length === 0) lines.push(line);
  return lines;
}

function breakWord(
  fonts: BundleFonts,
  font: PDFFont,
  word: string,
  size: number,
  maxWidth: number,
): string[] {
  const pieces: string[] = [];
  let rest = [...word];
  while (rest.length > 0) {
    let n = 0;
    let w = 0;
    while (n < rest.length) {
      const cw = fonts.width(font, rest[n] as string, size);
      if (w + cw > maxWidth && n > 0) break;
      w += cw;
      n++;
    }
    if (n < rest.length) {
      // Prefer to break after a hyphen or slash in the last third of the piece.
      for (let k = n - 1; k > (n * 2) / 3; k--) {
        if (rest[k] === '-' || rest[k] === '/' || rest[k] === '_') {
          n = k + 1;
          break;
        }
      }
    }
    pieces.push(rest.slice(0, n).join(''));
    rest = rest.slice(n);
  }
  return pieces;
}

/** Lines of a text, at most `maxLines` of them: the last one ends with an ellipsis if cut. */
export function wrapLimited(
  fonts: BundleFonts,
  font: PDFFont,
  text: string,
  size: number,
  maxWidth: number,
  maxLines: number,
): string[] {
  const lines = wrapText(fonts, font, fonts.clean(text), size, maxWidth);
  if (lines.length <= maxLines) return lines;
  const kept = lines.slice(0, maxLines);
  let last = kept[maxLines - 1] as string;
  while (last !== '' && fonts.width(font, `${last}…`, size) > maxWidth) {
    last = [...last].slice(0, -1).join('');
  }
  kept[maxLines - 1] = `${last.trimEnd()}…`;
  return kept;
}

/** Shortens one line of text to fit `maxWidth`, with an ellipsis. */
export function fitLine(
  fonts: BundleFonts,
  font: PDFFont,
  text: string,
  size: number,
  maxWidth: number,
): string {
  return wrapLimited(fonts, font, text.replace(/\s+/g, ' '), size, maxWidth, 1)[0] ?? '';
}

export interface TextOptions {
  font: PDFFont;
  size: number;
  color?: RGB;
}

/** Draws one line of cleaned text with its baseline at y. */
export function drawLine(page: PDFPage, text: string, x: number, y: number, o: TextOptions): void {
  if (text === '') return;
  page.drawText(text, { x, y, size: o.size, font: o.font, color: o.color ?? INK });
}

export function drawRight(
  fonts: BundleFonts,
  page: PDFPage,
  text: string,
  right: number,
  y: number,
  o: TextOptions,
): void {
  drawLine(page, text, right - fonts.width(o.font, text, o.size), y, o);
}

export function drawCentred(
  fonts: BundleFonts,
  page: PDFPage,
  text: string,
  centre: number,
  y: number,
  o: TextOptions,
): void {
  drawLine(page, text, centre - fonts.width(o.font, text, o.size) / 2, y, o);
}

export function hRule(page: PDFPage, x1: number, x2: number, y: number, thickness = 0.5): void {
  page.drawLine({ start: { x: x1, y }, end: { x: x2, y }, thickness, color: RULE });
}

// ---------------------------------------------------------------------------------------------
// The stamp: continuous page number and label, top right of every page as it is displayed.

/** A page's clockwise rotation as 0, 90, 180 or 270. */
export function pageRotation(page: PDFPage): 0 | 90 | 180 | 270 {
  let angle = 0;
  try {
    angle = page.getRotation().angle;
  } catch {
    angle = 0;
  }
  const r = (((Math.round(angle / 90) * 90) % 360) + 360) % 360;
  return r as 0 | 90 | 180 | 270;
}

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** The visible area of a page in user space: the CropBox within the MediaBox. */
export function visibleBox(page: PDFPage): Box {
  const media = normalBox(page.getMediaBox());
  let crop = media;
  try {
    crop = normalBox(page.getCropBox());
  } catch {
    crop = media;
  }
  const x1 = Math.max(media.x, crop.x);
  const y1 = Math.max(media.y, crop.y);
  const x2 = Math.min(media.x + media.width, crop.x + crop.width);
  const y2 = Math.min(media.y + media.height, crop.y + crop.height);
  if (x2 - x1 < 1 || y2 - y1 < 1) return media;
  return { x: x1, y: y1, width: x2 - x1, height: y2 - y1 };
}

function normalBox(b: Box): Box {
  const x = Math.min(b.x, b.x + b.width);
  const y = Math.min(b.y, b.y + b.height);
  return { x, y, width: Math.abs(b.width), height: Math.abs(b.height) };
}

/**
 * Maps a point given in the page as displayed (origin bottom left, after /Rotate) to user
 * space, with the angle that makes text drawn there read upright.
 */
export function displayToUser(
  box: Box,
  rotation: 0 | 90 | 180 | 270,
  vx: number,
  vy: number,
): { x: number; y: number; angle: number } {
  switch (rotation) {
    case 90:
      return { x: box.x + box.width - vy, y: box.y + vx, angle: 90 };
    case 180:
      return { x: box.x + box.width - vx, y: box.y + box.height - vy, angle: 180 };
    case 270:
      return { x: box.x + vy, y: box.y + box.height - vx, angle: 270 };
    default:
      return { x: box.x + vx, y: box.y + vy, angle: 0 };
  }
}

/** The displayed width and height of a page. */
export function displaySize(box: Box, rotation: number): { width: number; height: number } {
  return rotation === 90 || rotation === 270
    ? { width: box.height, height: box.width }
    : { width: box.width, height: box.height };
}

/**
 * Stamps "Page 12 — PExh-3" at the top right of the page as displayed, on a white label with a
 * thin border, upright whatever the page's rotation, and scaled up on pages larger than A4 so
 * that it keeps its printed size when the page is printed on A4.
 */
export function stampPage(
  fonts: BundleFonts,
  page: PDFPage,
  text: string,
  /** A page of an exhibit: the label goes nearer the corner and lets the page show through. */
  onExhibit = false,
): void {
  const rotation = pageRotation(page);
  const box = visibleBox(page);
  const shown = displaySize(box, rotation);
  const k = Math.max(1, Math.min(shown.width, shown.height) / PAGE_W);
  const size = 9 * k;
  const pad = 3.5 * k;
  const font = fonts.bold;
  const w = fonts.width(font, text, size);
  const right = shown.width - (onExhibit ? 12 : 22) * k;
  const top = shown.height - (onExhibit ? 10 : 20) * k;
  const baseline = top - pad - fonts.ascent(size);
  const rectBottom = baseline - fonts.descent(size) - pad;
  const rect = displayToUser(box, rotation, right - w - pad, rectBottom);
  page.drawRectangle({
    x: rect.x,
    y: rect.y,
    width: w + 2 * pad,
    height: top - rectBottom,
    rotate: degrees(rect.angle),
    color: WHITE,
    borderColor: RULE,
    borderWidth: 0.6 * k,
    ...(onExhibit ? { opacity: 0.82 } : {}),
  });
  const at = displayToUser(box, rotation, right - w, baseline);
  page.drawText(text, {
    x: at.x,
    y: at.y,
    size,
    font,
    color: INK,
    rotate: degrees(at.angle),
  });
}
