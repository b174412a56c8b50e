// The first page of a PDF as pixels, drawn by pdf.js on an @napi-rs/canvas. Runs in the preview
// worker thread (pdf-preview-worker.ts), or in the calling thread when running from sources.
//
// Locked down, as the PDF is evidence from anyone: pdf.js gets the bytes from memory (nothing is
// written to disk), never compiles code from the file (isEvalSupported: false: font programs are
// interpreted, CVE-2024-4367), runs no XFA and no document JavaScript, and loads nothing from the
// network: the only files it may read are the fonts, CMaps and decoders shipped in pdfjs-dist,
// by plain names from a fixed list of folders (BundledData below).
//
// pdfjs-dist is an ES module only; this file compiles to CommonJS, so it is loaded with a
// dynamic import(), which the compiler keeps as is under "module": "node16", and only when the
// first PDF is drawn.
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

/** The preview's long edge in pixels, whatever the page size (a 5 m poster or a till slip). */
export const PREVIEW_EDGE = 1000;
/** Images inside the page larger than this (pixels) are left out instead of decoded. */
const MAX_EMBEDDED_IMAGE_PIXELS = 100_000_000;

/** The first page, upright as its /Rotate says, as RGBA pixels on white. */
export interface RenderedPage {
  pixels: Uint8Array;
  width: number;
  height: number;
  /** The page's /Rotate as pdf.js applied it (0, 90, 180, 270). */
  rotate: number;
}

// The few parts of the pdf.js API used here, typed without the DOM.
interface Viewport {
  width: number;
  height: number;
}
interface PdfPage {
  rotate: number;
  getViewport(p: { scale: number }): Viewport;
  render(p: {
    canvas: null;
    canvasContext: CanvasContext;
    viewport: Viewport;
    background: string;
    annotationMode: number;
  }): { promise: Promise<void>; cancel(): void };
  cleanup(): boolean;
}
interface CanvasContext {
  getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray };
}
interface PdfDocument {
  numPages: number;
  getPage(n: number): Promise<PdfPage>;
  canvasFactory: {
    create(w: number, h: number): { canvas: unknown; context: CanvasContext };
  };
}
interface LoadingTask {
  promise: Promise<PdfDocument>;
  destroy(): Promise<void>;
}
interface PdfJs {
  getDocument(src: Record<string, unknown>): LoadingTask;
  VerbosityLevel: { ERRORS: number };
  AnnotationMode: { ENABLE: number };
}

let loaded: Promise<PdfJs> | null = null;

function pdfjsRoot(): string {
  return dirname(require.resolve('pdfjs-dist/package.json'));
}

function loadPdfJs(): Promise<PdfJs> {
  loaded ??= import('pdfjs-dist/legacy/build/pdf.mjs').then((m) => m as unknown as PdfJs);
  return loaded;
}

const DATA_FOLDERS: Record<string, string> = {
  cMapUrl: 'cmaps',
  standardFontDataUrl: 'standard_fonts',
  wasmUrl: 'wasm',
};

/**
 * What pdf.js may read besides the PDF: files shipped with pdfjs-dist, by a plain name (no
 * folder, no URL), in the folder for their kind. A CMap name comes from the PDF itself.
 */
class BundledData {
  async fetch({ kind, filename }: { kind: string; filename: string }): Promise<Uint8Array> {
    const folder = DATA_FOLDERS[kind];
    if (folder === undefined || !/^[A-Za-z0-9][A-Za-z0-9._+-]*$/.test(filename)) {
      throw new Error(`pdf.js asked for ${kind} ${JSON.stringify(filename).slice(0, 80)}`);
    }
    return new Uint8Array(await readFile(join(pdfjsRoot(), folder, filename)));
  }
}

/**
 * Draws page 1 at PREVIEW_EDGE pixels on its long edge. `data` is handed to pdf.js, which may
 * take it over: pass a copy. `deadline` (ms since the epoch) stops the work between its steps;
 * the worker's owner also kills the thread at the limit, as a step itself may loop.
 */
export async function renderFirstPage(data: Uint8Array, deadline: number): Promise<RenderedPage> {
  const pdfjs = await loadPdfJs();
  const root = pdfjsRoot();
  const task = pdfjs.getDocument({
    data,
    isEvalSupported: false,
    enableXfa: false,
    disableFontFace: true,
    useSystemFonts: false,
    useWorkerFetch: false,
    BinaryDataFactory: BundledData,
    // Given so that pdf.js asks BundledData for these, instead of doing without.
    cMapUrl: join(root, 'cmaps') + '/',
    cMapPacked: true,
    standardFontDataUrl: join(root, 'standard_fonts') + '/',
    wasmUrl: join(root, 'wasm') + '/',
    maxImageSize: MAX_EMBEDDED_IMAGE_PIXELS,
    stopAtErrors: false,
    verbosity: pdfjs.VerbosityLevel.ERRORS,
  });
  const timer = setTimeout(() => void task.destroy(), Math.max(0, deadline - Date.now()));
  try {
    const doc = await task.promise;
    const page = await doc.getPage(1);
    const unit = page.getViewport({ scale: 1 });
    // Scaled to a fixed pixel budget, so a page with a huge MediaBox costs no more than A4.
    const scale = PREVIEW_EDGE / Math.max(unit.width, unit.height);
    if (!Number.isFinite(scale) || scale <= 0) throw new Error('the first page has no size');
    const viewport = page.getViewport({ scale });
    const width = Math.max(1, Math.round(viewport.width));
    const height = Math.max(1, Math.round(viewport.height));
    const { context } = doc.canvasFactory.create(width, height);
    await page.render({
      canvas: null,
      canvasContext: context,
      viewport,
      background: '#ffffff',
      annotationMode: pdfjs.AnnotationMode.ENABLE,
    }).promise;
    if (Date.now() > deadline) throw new Error('the time limit was reached');
    const { data: rgba } = context.getImageData(0, 0, width, height);
    return {
      pixels: new Uint8Array(rgba.buffer, rgba.byteOffset, rgba.byteLength),
      width,
      height,
      rotate: page.rotate,
    };
  } finally {
    clearTimeout(timer);
    await task.destroy();
  }
}
