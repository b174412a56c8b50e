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

function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/**
 * Runs a libvips operation; when it fails for no reason this computer can name (neither a missing
 * decoder nor the pixel limit), runs it once more and keeps the failure that says most. libvips
 * keeps one error buffer for all its threads, so when two images fail at the same moment (the
 * intake prepares the next file while one commits) one failure can carry the other's message,
 * or none: a HEIC this computer merely cannot decode would be refused as damaged.
 */
export async function decodeWithRetry<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (first) {
    if (
      first instanceof KesiError ||
      isMissingDecoder(first) ||
      /pixel limit/i.test(messageOf(first))
    ) {
      throw first;
    }
    try {
      return await run();
    } catch (second) {
      const telling = [second, first].find(
        (e) => isMissingDecoder(e) || /pixel limit/i.test(messageOf(e)),
      );
      throw telling ?? (messageOf(second).trim() ? second : first);
    }
  }
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
