// Derivatives of an image: a page-ready JPEG for bundles and the viewer, and a small WebP
// thumbnail for lists. Both are turned upright, and carry no metadata at all (no GPS, no
// camera serial): libvips writes none unless asked to. The original is never changed.
import sharp, { type Metadata, type SharpOptions } from 'sharp';
import { KesiError } from '../../shared/errors';
import {
  MAX_INPUT_PIXELS,
  PAGE_JPEG_QUALITY,
  PAGE_LONG_EDGE,
  PAGE_SHORT_EDGE,
  THUMBNAIL_EDGE,
} from './limits';
import { drawPdfFirstPage, type PdfPreviewOptions } from './pdf-preview';
import { decodeWithRetry, imageError } from './sharp-errors';

export interface Derivative {
  data: Buffer;
  mediaType: string;
  width: number;
  height: number;
}

export interface Derivatives {
  page: Derivative;
  thumbnail: Derivative;
}

/** A PDF's: its first page drawn for the screen, and the thumbnail made from that. */
export interface PdfDerivatives {
  preview: Derivative;
  thumbnail: Derivative;
}

const INPUT: SharpOptions = {
  failOn: 'error', // truncated or corrupt data fails; harmless warnings do not
  limitInputPixels: MAX_INPUT_PIXELS,
  sequentialRead: true,
};

/** White behind transparent areas: JPEG has no alpha, and scans are read on paper. */
const PAPER = { r: 255, g: 255, b: 255 };

async function displayedSize(buf: Buffer): Promise<{ width: number; height: number }> {
  let meta: Metadata;
  try {
    meta = await decodeWithRetry(() => sharp(buf, INPUT).metadata());
  } catch (e) {
    throw imageError(e, 'PREVIEW_UNAVAILABLE');
  }
  const width = meta.autoOrient?.width ?? meta.width ?? 0;
  const height = meta.autoOrient?.height ?? meta.height ?? 0;
  if (!width || !height) {
    throw new KesiError('CORRUPT_IMAGE', undefined, { reason: 'the image has no height or width' });
  }
  if ((meta.width ?? 0) * (meta.height ?? 0) > MAX_INPUT_PIXELS) {
    throw new KesiError('IMAGE_TOO_LARGE', undefined, { width, height, limit: MAX_INPUT_PIXELS });
  }
  return { width, height };
}

/**
 * The page image: upright, at most A4 at 300 dpi (2480 x 3508, or 3508 x 2480 for a landscape
 * picture), never enlarged, JPEG quality 85, sRGB, no metadata. The first frame of an
 * animation or the first page of a multi-page TIFF.
 */
export async function makePageImage(buf: Buffer): Promise<Derivative> {
  const { width, height } = await displayedSize(buf);
  const landscape = width > height;
  try {
    const { data, info } = await decodeWithRetry(() =>
      sharp(buf, INPUT)
        .autoOrient()
        .resize({
          width: landscape ? PAGE_LONG_EDGE : PAGE_SHORT_EDGE,
          height: landscape ? PAGE_SHORT_EDGE : PAGE_LONG_EDGE,
          fit: 'inside',
          withoutEnlargement: true,
          fastShrinkOnLoad: true,
        })
        .flatten({ background: PAPER })
        .toColourspace('srgb')
        // Huffman optimisation costs a second pass over the data for a few per cent in size.
        .jpeg({ quality: PAGE_JPEG_QUALITY, optimiseCoding: false, chromaSubsampling: '4:2:0' })
        .toBuffer({ resolveWithObject: true }),
    );
    return { data, mediaType: 'image/jpeg', width: info.width, height: info.height };
  } catch (e) {
    throw imageError(e, 'PREVIEW_UNAVAILABLE');
  }
}

async function thumbnailOf(buf: Buffer, input: SharpOptions): Promise<Derivative> {
  try {
    const { data, info } = await decodeWithRetry(() =>
      sharp(buf, input)
        .autoOrient()
        .resize({
          width: THUMBNAIL_EDGE,
          height: THUMBNAIL_EDGE,
          fit: 'inside',
          withoutEnlargement: true,
          fastShrinkOnLoad: true,
        })
        .toColourspace('srgb')
        .webp({ quality: 75, effort: 2 })
        .toBuffer({ resolveWithObject: true }),
    );
    return { data, mediaType: 'image/webp', width: info.width, height: info.height };
  } catch (e) {
    throw imageError(e, 'PREVIEW_UNAVAILABLE');
  }
}

/** A thumbnail straight from the original: upright, 320 px on the long edge, WebP. */
export async function makeThumbnail(buf: Buffer): Promise<Derivative> {
  await displayedSize(buf);
  return thumbnailOf(buf, INPUT);
}

/** A thumbnail from a page image made by makePageImage: cheap, as that JPEG is small. */
export async function makeThumbnailFromPage(page: Derivative): Promise<Derivative> {
  return thumbnailOf(page.data, { failOn: 'error', sequentialRead: true });
}

/**
 * Both derivatives, decoding the original once: the thumbnail is made from the page image.
 * The strict decode of the page image also proves the first frame intact.
 */
export async function makeDerivatives(buf: Buffer): Promise<Derivatives> {
  const page = await makePageImage(buf);
  const thumbnail = await makeThumbnailFromPage(page);
  return { page, thumbnail };
}

/**
 * A PDF's preview and thumbnail: the first page drawn by pdf.js (upright per its /Rotate,
 * PREVIEW_EDGE px on the long edge, on white), as a JPEG, and a thumbnail from that like an
 * image's. Throws KesiError PREVIEW_UNAVAILABLE, with the reason, when the page cannot be drawn
 * in time; the PDF itself is then taken in without them.
 */
export async function makePdfDerivatives(
  buf: Buffer,
  opts: PdfPreviewOptions = {},
): Promise<PdfDerivatives> {
  try {
    const page = await drawPdfFirstPage(buf, opts);
    const { data, info } = await sharp(page.pixels, {
      raw: { width: page.width, height: page.height, channels: 4 },
    })
      .removeAlpha() // drawn on white: every pixel is opaque
      .toColourspace('srgb')
      // 4:4:4 keeps coloured text and thin lines crisp; a page of text compresses well anyway.
      .jpeg({ quality: PAGE_JPEG_QUALITY, optimiseCoding: false, chromaSubsampling: '4:4:4' })
      .toBuffer({ resolveWithObject: true });
    const preview = { data, mediaType: 'image/jpeg', width: info.width, height: info.height };
    return { preview, thumbnail: await makeThumbnailFromPage(preview) };
  } catch (e) {
    const reason = e instanceof KesiError ? (e.details?.['reason'] ?? e.code) : e;
    throw new KesiError(
      'PREVIEW_UNAVAILABLE',
      'Kesi could not draw the first page of this PDF for a preview. The PDF is kept unchanged; open it to read it.',
      { reason: (reason instanceof Error ? reason.message : String(reason)).slice(0, 300) },
    );
  }
}
