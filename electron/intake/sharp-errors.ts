// Turns libvips/sharp failures into the error codes a caseworker sees.
import { KesiError } from '../../shared/errors';

function firstLine(e: unknown): string {
  const text = e instanceof Error ? e.message : String(e);
  return text.split('\n')[0]?.slice(0, 200) ?? '';
}

/** True when libvips has no decoder for the file's codec (e.g. HEVC in prebuilt sharp). */
export function isMissingDecoder(e: unknown): boolean {
  const text = e instanceof Error ? e.message : String(e);
  return /compression format has not been built in|no decoding plugin|decoder plugin/i.test(text);
}

/** The KesiError for an image that sharp could not read or decode. */
export function imageError(e: unknown, missingDecoder: 'PREVIEW_UNAVAILABLE' | null): KesiError {
  if (e instanceof KesiError) return e;
  const reason = firstLine(e);
  if (/pixel limit/i.test(reason)) return new KesiError('IMAGE_TOO_LARGE', undefined, { reason });
  if (missingDecoder && isMissingDecoder(e)) {
    return new KesiError(missingDecoder, undefined, { reason: 'no decoder for this codec' });
  }
  return new KesiError('CORRUPT_IMAGE', undefined, { reason });
}
