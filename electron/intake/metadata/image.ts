// Image facts for the catalogue: size, orientation, frames, camera, capture time and place.
// EXIF is read with exifr from the block libvips finds (JPEG, WebP, HEIF), or from the file
// itself where exifr knows the container (PNG eXIf after IDAT, TIFF).
import * as exifr from 'exifr';
import sharp, { type Metadata } from 'sharp';
import { KesiError } from '../../../shared/errors';
import { readHeifPrimaryItem } from '../isobmff';
import { MAX_INPUT_PIXELS } from '../limits';
import { decodeWithRetry, imageError, isMissingDecoder } from '../sharp-errors';
import { captureTime, gpsReading, textTag, type GpsPosition } from './exif';

export interface HeifTransform {
  /** Anticlockwise rotation from the primary item's 'irot' property. */
  rotation: 0 | 90 | 180 | 270;
  /** 'imir' mirror axis (0: left-right, 1: top-bottom), or null. */
  mirrorAxis: 0 | 1 | null;
}

export interface ImageMetadata {
  /** libvips' name of the container: jpeg, png, webp, gif, tiff, heif. */
  format: string;
  /** Codec inside a HEIF container: hevc (HEIC) or av1 (AVIF). */
  compression: string | null;
  /** Size as stored in the file (for HEIF: the coded size, before irot). */
  width: number;
  height: number;
  /** Size as shown, after orientation. */
  displayWidth: number;
  displayHeight: number;
  /** The EXIF Orientation tag (1-8) as written, or null. */
  orientation: number | null;
  /**
   * The EXIF-style orientation that derivatives apply (1: none). For HEIF this is always 1:
   * the decoder applies the file's irot/imir and the EXIF tag is ignored (see docs/INTAKE.md).
   */
  appliedOrientation: number;
  heifTransform: HeifTransform | null;
  /** Frames of an animation or pages of a multi-page TIFF; 1 for a still image. */
  frames: number;
  capturedAt: string | null;
  capturedAtRaw: string | null;
  capturedAtOffset: string | null;
  capturedAtAssumedOffset: boolean;
  make: string | null;
  model: string | null;
  serialNumber: string | null;
  software: string | null;
  gps: GpsPosition | null;
  gpsNullIsland: boolean;
  gpsTimestamp: string | null;
  /** Resolution in dots per inch, when recorded (scans). */
  density: number | null;
  hasAlpha: boolean;
  colourSpace: string | null;
}

const EXIF_TAGS = [
  'Make',
  'Model',
  'Software',
  'Orientation',
  'DateTimeOriginal',
  'OffsetTimeOriginal',
  'SubSecTimeOriginal',
  'SerialNumber', // 0xA431 BodySerialNumber
  'CameraSerialNumber', // 0xC62F (DNG)
  'GPSLatitude',
  'GPSLatitudeRef',
  'GPSLongitude',
  'GPSLongitudeRef',
  'GPSAltitude',
  'GPSAltitudeRef',
  'GPSDateStamp',
  'GPSTimeStamp',
];

/** Formats exifr reads from the whole file when libvips exposes no EXIF block. */
const EXIFR_CONTAINERS = new Set(['jpeg', 'png', 'tiff', 'heif']);

/** The header as libvips reads it; no pixels are decoded. */
export async function readImageHeader(buf: Buffer): Promise<Metadata> {
  let meta: Metadata;
  try {
    meta = await decodeWithRetry(() => sharp(buf, { limitInputPixels: false }).metadata());
  } catch (e) {
    throw imageError(e, null);
  }
  const { width, height } = meta;
  if (!width || !height) {
    throw new KesiError('CORRUPT_IMAGE', undefined, { reason: 'the image has no height or width' });
  }
  if (width * height > MAX_INPUT_PIXELS) {
    throw new KesiError('IMAGE_TOO_LARGE', undefined, {
      width,
      height,
      limit: MAX_INPUT_PIXELS,
    });
  }
  return meta;
}

function tiffPayload(exif: Buffer): Buffer {
  // libvips gives the APP1 payload ("Exif\0\0" + TIFF) for JPEG, bare TIFF for WebP.
  return exif.toString('latin1', 0, 4) === 'Exif' ? exif.subarray(6) : exif;
}

async function exifTags(buf: Buffer, meta: Metadata): Promise<Record<string, unknown>> {
  const sources: Buffer[] = [];
  if (meta.exif && meta.exif.length > 8) sources.push(tiffPayload(meta.exif));
  if (EXIFR_CONTAINERS.has(meta.format ?? '')) sources.push(buf);
  for (const source of sources) {
    try {
      // Picking the tags needed also avoids whole-IFD failures on odd entries (some cameras
      // write entries of type 0, which make exifr drop the whole IFD).
      const tags: unknown = await exifr.parse(source, {
        pick: EXIF_TAGS,
        translateValues: false,
        reviveValues: false,
        mergeOutput: true,
        xmp: false,
        icc: false,
        iptc: false,
        jfif: false,
        ihdr: false,
      });
      if (tags && typeof tags === 'object' && Object.keys(tags).length > 0) {
        return tags as Record<string, unknown>;
      }
    } catch {
      // try the next source; a photo without readable EXIF is still a photo
    }
  }
  return {};
}

/** Reads the metadata of an image without decoding its pixels. */
export async function readImageMetadata(buf: Buffer): Promise<ImageMetadata> {
  const meta = await readImageHeader(buf);
  const tags = await exifTags(buf, meta);
  const format = meta.format ?? 'unknown';
  const exifOrientation = typeof tags['Orientation'] === 'number' ? tags['Orientation'] : null;
  const orientation =
    exifOrientation !== null && exifOrientation >= 1 && exifOrientation <= 8
      ? exifOrientation
      : null;

  let width = meta.width ?? 0;
  let height = meta.height ?? 0;
  let displayWidth = width;
  let displayHeight = height;
  let appliedOrientation = 1;
  let heifTransform: HeifTransform | null = null;
  if (format === 'heif') {
    // libheif hands libvips the image with irot/imir already applied, so sharp's size is the
    // displayed size and sharp reports no orientation. The coded size comes from 'ispe'.
    const item = readHeifPrimaryItem(buf);
    if (item) {
      heifTransform = { rotation: item.rotation, mirrorAxis: item.mirrorAxis };
      if (item.width && item.height) {
        width = item.width;
        height = item.height;
      }
    }
  } else {
    appliedOrientation = meta.orientation ?? 1;
    if (appliedOrientation >= 5) {
      displayWidth = height;
      displayHeight = width;
    }
  }

  const time = captureTime(
    tags['DateTimeOriginal'],
    tags['OffsetTimeOriginal'],
    tags['SubSecTimeOriginal'],
  );
  const gps = gpsReading(tags);
  return {
    format,
    compression: meta.compression ?? null,
    width,
    height,
    displayWidth,
    displayHeight,
    orientation,
    appliedOrientation,
    heifTransform,
    frames: meta.pages ?? 1,
    ...time,
    make: textTag(tags['Make']),
    model: textTag(tags['Model']),
    serialNumber: textTag(tags['SerialNumber']) ?? textTag(tags['CameraSerialNumber']),
    software: textTag(tags['Software']),
    ...gps,
    density: meta.density ?? null,
    hasAlpha: meta.hasAlpha ?? false,
    colourSpace: meta.space ?? null,
  };
}

export interface ImageValidation {
  format: string;
  width: number;
  height: number;
  frames: number;
  /**
   * True when every frame was decoded. False only when this computer has no decoder for the
   * codec (HEVC in HEIC with the prebuilt libvips): the container was checked, not the pixels.
   */
  fullyDecoded: boolean;
}

/**
 * Decodes every frame with libvips, strictly. Throws CORRUPT_IMAGE for truncated or undecodable
 * images (including a JPEG whose height is 0) and IMAGE_TOO_LARGE above MAX_INPUT_PIXELS.
 */
export async function validateImage(buf: Buffer): Promise<ImageValidation> {
  const meta = await readImageHeader(buf);
  const format = meta.format ?? 'unknown';
  const width = meta.width ?? 0;
  const height = meta.height ?? 0;
  const frames = meta.pages ?? 1;
  const base = { failOn: 'error' as const, limitInputPixels: MAX_INPUT_PIXELS };
  try {
    await decodeWithRetry(async () => {
      if (frames > 1 && format === 'tiff') {
        // TIFF pages may differ in size and type: one at a time.
        for (let page = 0; page < frames; page++) {
          await sharp(buf, { ...base, page })
            .raw()
            .toBuffer();
        }
      } else if (frames > 1) {
        if (width * height * frames > MAX_INPUT_PIXELS) {
          throw new KesiError('IMAGE_TOO_LARGE', undefined, {
            width,
            height,
            frames,
            limit: MAX_INPUT_PIXELS,
          });
        }
        await sharp(buf, { ...base, pages: -1, sequentialRead: true })
          .raw()
          .toBuffer();
      } else {
        await sharp(buf, { ...base, sequentialRead: true })
          .raw()
          .toBuffer();
      }
    });
  } catch (e) {
    if (format === 'heif' && isMissingDecoder(e)) {
      return { format, width, height, frames, fullyDecoded: false };
    }
    throw imageError(e, null);
  }
  return { format, width, height, frames, fullyDecoded: true };
}
