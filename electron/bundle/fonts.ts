// The fonts every page Kesi draws is set in: DejaVu Sans and DejaVu Sans Bold, embedded as
// subsets (only the glyphs used), with a ToUnicode map so that the text can be searched and
// copied. DejaVu covers Latin with all its diacritics (Wanjirū, Mũthoni), Greek, Cyrillic and
// more; characters it lacks are shown as U+FFFD instead of an invisible glyph.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { PDFHexString, type PDFDocument, type PDFFont } from 'pdf-lib';

export interface FontFiles {
  regular: Uint8Array;
  bold: Uint8Array;
}

const FONT_DIR = join('resources', 'fonts');
const REGULAR = 'DejaVuSans.ttf';
const BOLD = 'DejaVuSans-Bold.ttf';

let cached: FontFiles | null = null;

/** The folder holding the bundle fonts: resources/fonts of the app, found upwards from here. */
export function findFontDir(start: string = __dirname): string {
  let dir = start;
  for (;;) {
    const candidate = join(dir, FONT_DIR);
    if (existsSync(join(candidate, REGULAR))) return candidate;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`the bundle fonts (${FONT_DIR}/${REGULAR}) were not found`);
    dir = parent;
  }
}

/** DejaVu Sans regular and bold, read once from resources/fonts. */
export function loadFontFiles(): FontFiles {
  if (cached) return cached;
  const dir = findFontDir();
  cached = {
    regular: readFileSync(join(dir, REGULAR)),
    bold: readFileSync(join(dir, BOLD)),
  };
  return cached;
}

// Text is set glyph by glyph from the font's character map: no shaping, ligatures or kerning,
// so that what is measured is exactly what is drawn and what a reader extracts. (pdf-lib would
// run the full OpenType layout engine on every line, which costs more than all the rest of
// typesetting a bundle; for the Latin, Greek and Cyrillic text DejaVu covers, the character
// map alone gives the same glyphs for text in NFC.)
const FEATURES = { liga: false, clig: false, calt: false, dlig: false, kern: false };

interface FontkitGlyph {
  id: number;
  advanceWidth: number;
}

/** The parts of pdf-lib's subset embedder that encoding touches. */
interface SubsetEmbedder {
  font: { glyphForCodePoint(cp: number): FontkitGlyph; unitsPerEm: number };
  subset: { includeGlyph(glyph: FontkitGlyph): number };
  glyphs: FontkitGlyph[];
  glyphIdMap: Map<number, number>;
  glyphCache: { invalidate(): void };
  encodeText(text: string): PDFHexString;
}

/**
 * Replaces the font's text encoding with a character-map lookup, cached per character. It
 * records the glyphs used exactly as pdf-lib's own encoder does, so that the subset, the
 * widths and the ToUnicode map come out the same way. Returns the advance width per 1 pt of
 * each character.
 */
function encodeByCharacterMap(font: PDFFont): (cp: number) => number {
  const embedder = (font as unknown as { embedder: SubsetEmbedder }).embedder;
  const codes = new Map<number, string>();
  const widths = new Map<number, number>();
  const glyphOf = (cp: number): FontkitGlyph => embedder.font.glyphForCodePoint(cp);
  embedder.encodeText = (text: string): PDFHexString => {
    let hex = '';
    let added = false;
    for (const ch of text) {
      const cp = ch.codePointAt(0) as number;
      let code = codes.get(cp);
      if (code === undefined) {
        const glyph = glyphOf(cp);
        const id = embedder.subset.includeGlyph(glyph);
        embedder.glyphs[id - 1] = glyph;
        embedder.glyphIdMap.set(glyph.id, id);
        code = id.toString(16).toUpperCase().padStart(4, '0');
        codes.set(cp, code);
        added = true;
      }
      hex += code;
    }
    if (added) embedder.glyphCache.invalidate();
    return PDFHexString.of(hex);
  };
  const unitsPerEm = embedder.font.unitsPerEm;
  return (cp: number) => {
    let w = widths.get(cp);
    if (w === undefined) {
      w = glyphOf(cp).advanceWidth / unitsPerEm;
      widths.set(cp, w);
    }
    return w;
  };
}

const CONTROL =
  // eslint-disable-next-line no-control-regex -- the controls are what is removed
  /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u00ad\u200b-\u200f\u2028\u2029\u202a-\u202e\u2060-\u2064\ufeff]/gu;

/** The two embedded fonts, with measuring and cleaning of text for them. */
export class BundleFonts {
  private readonly advance = new Map<PDFFont, (cp: number) => number>();
  private readonly charset: Set<number>;
  private readonly fallback: string;

  private constructor(
    readonly regular: PDFFont,
    readonly bold: PDFFont,
  ) {
    const regularSet = new Set(regular.getCharacterSet());
    const boldSet = new Set(bold.getCharacterSet());
    this.charset = new Set([...regularSet].filter((c) => boldSet.has(c)));
    this.fallback = this.charset.has(0xfffd) ? '\ufffd' : '?';
    this.advance.set(regular, encodeByCharacterMap(regular));
    this.advance.set(bold, encodeByCharacterMap(bold));
  }

  static async embed(doc: PDFDocument, files: FontFiles): Promise<BundleFonts> {
    // Loaded when a bundle is made: it takes longer to load than the rest of the service.
    doc.registerFontkit((await import('@pdf-lib/fontkit')).default);
    // Subset tags are fixed, as the whole file must be the same for the same input.
    const regular = await doc.embedFont(files.regular, {
      subset: true,
      customName: 'KESIAA+DejaVuSans',
      features: FEATURES,
    });
    const bold = await doc.embedFont(files.bold, {
      subset: true,
      customName: 'KESIAB+DejaVuSans-Bold',
      features: FEATURES,
    });
    return new BundleFonts(regular, bold);
  }

  /**
   * Text as it can be drawn on one line: NFC (precomposed letters such as ũ), tabs and line
   * breaks as spaces, invisible controls removed, characters the font lacks as U+FFFD.
   */
  clean(text: string): string {
    const s = text
      .normalize('NFC')
      .replace(/[\t\n\r\f\v]/g, ' ')
      .replace(CONTROL, '');
    let out = '';
    let plain = true;
    for (const ch of s) {
      if (!this.charset.has(ch.codePointAt(0) as number)) {
        plain = false;
        break;
      }
    }
    if (plain) return s;
    for (const ch of s) out += this.charset.has(ch.codePointAt(0) as number) ? ch : this.fallback;
    return out;
  }

  /** Width in points of already cleaned text. */
  width(font: PDFFont, text: string, size: number): number {
    const advance = this.advance.get(font);
    if (!advance) throw new Error('not a bundle font');
    let w = 0;
    for (const ch of text) w += advance(ch.codePointAt(0) as number);
    return w * size;
  }

  /** Ascent above the baseline for a size (roughly the cap height plus accents). */
  ascent(size: number): number {
    return size * 0.76;
  }

  /** Descent below the baseline for a size. */
  descent(size: number): number {
    return size * 0.24;
  }
}
