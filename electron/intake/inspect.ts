// The pure part of taking a file in: what it is, its facts, whether it is intact, and its
// derivatives. No vault, no database: the service hashes, encrypts and records the result.
import { KesiError, type ErrorCode } from '../../shared/errors';
import { makeDerivatives, type Derivatives } from './derivatives';
import { readImageMetadata, validateImage } from './metadata/image';
import { readMediaMetadata } from './metadata/media';
import { readPdfMetadata } from './metadata/pdf';
import { sniffBuffer, OTHER_DOCUMENT, type SniffResult } from './sniff';

export interface InspectOptions {
  /**
   * Take a file of an unknown type in as an "other document" (application/octet-stream)
   * instead of refusing it. Programs, scripts and unidentifiable containers stay refused.
   */
  allowOther?: boolean;
  /** Make the page image and thumbnail of an image (default true). */
  derivatives?: boolean;
}

export interface IntakeWarning {
  code: ErrorCode;
  message: string;
}

export interface Inspection {
  sniff: SniffResult;
  /** Facts for the catalogue's item metadata (plain JSON values). */
  metadata: Record<string, unknown>;
  /** When the evidence was recorded, if the file says: camera time, or a video's creation. */
  capturedAt: string | null;
  derivatives: Derivatives | null;
  /** Things that did not stop the intake, e.g. no preview for a HEIC on this computer. */
  warnings: IntakeWarning[];
}

function warning(e: KesiError): IntakeWarning {
  return { code: e.code, message: e.message };
}

function sniffWithOption(buf: Buffer, allowOther: boolean): SniffResult {
  try {
    return sniffBuffer(buf);
  } catch (e) {
    const forcible =
      e instanceof KesiError && e.code === 'UNSUPPORTED_TYPE' && e.details?.['forcible'] === true;
    if (allowOther && forcible) return { ...OTHER_DOCUMENT };
    throw e;
  }
}

/**
 * Inspects a file's content. Throws KesiError FILE_EMPTY, EXECUTABLE_REFUSED, UNSUPPORTED_TYPE,
 * CORRUPT_IMAGE, IMAGE_TOO_LARGE, CORRUPT_PDF or ENCRYPTED_PDF.
 */
export async function inspect(buf: Buffer, opts: InspectOptions = {}): Promise<Inspection> {
  const sniffed = sniffWithOption(buf, opts.allowOther ?? false);
  const warnings: IntakeWarning[] = [];
  switch (sniffed.family) {
    case 'image': {
      const meta = await readImageMetadata(buf);
      let derivatives: Derivatives | null = null;
      let fullyDecoded = false;
      if (opts.derivatives !== false) {
        try {
          // Decoding the page image strictly also proves a single-frame image intact.
          derivatives = await makeDerivatives(buf);
          fullyDecoded = meta.frames === 1;
        } catch (e) {
          if (!(e instanceof KesiError) || e.code !== 'PREVIEW_UNAVAILABLE') throw e;
          warnings.push(warning(e));
        }
      }
      if (!fullyDecoded) fullyDecoded = (await validateImage(buf)).fullyDecoded;
      return {
        sniff: sniffed,
        metadata: { ...meta, fullyDecoded },
        capturedAt: meta.capturedAt,
        derivatives,
        warnings,
      };
    }
    case 'pdf': {
      const meta = await readPdfMetadata(buf);
      return {
        sniff: sniffed,
        metadata: { ...meta },
        capturedAt: null,
        derivatives: null,
        warnings,
      };
    }
    case 'audio':
    case 'video': {
      const meta = readMediaMetadata(buf, sniffed);
      return {
        sniff: sniffed,
        metadata: { ...meta },
        capturedAt: sniffed.family === 'video' ? meta.createdAt : null,
        derivatives: null,
        warnings,
      };
    }
    case 'text':
      return {
        sniff: sniffed,
        metadata: { charset: sniffed.charset ?? 'utf-8' },
        capturedAt: null,
        derivatives: null,
        warnings,
      };
    case 'document':
      return { sniff: sniffed, metadata: {}, capturedAt: null, derivatives: null, warnings };
  }
}
