// libvips failures turned into what a caseworker sees, and the second try that keeps one image's
// failure from taking another's message (libvips has one error buffer for all threads).
import { describe, expect, it } from 'vitest';
import { KesiError } from '../../shared/errors';
import { decodeWithRetry, imageError } from '../../electron/intake/sharp-errors';

const HEVC =
  'heif: Error while loading plugin: Support for this compression format has not been built in: HEVC';

function failing(...messages: string[]): { run: () => Promise<string>; calls: () => number } {
  let n = 0;
  return {
    run: () => {
      const m = messages[n++];
      return m === undefined ? Promise.resolve('decoded') : Promise.reject(new Error(m));
    },
    calls: () => n,
  };
}

describe('decodeWithRetry', () => {
  it('keeps the failure that names a missing decoder, whichever try it came from', async () => {
    const a = failing('', HEVC);
    await expect(decodeWithRetry(a.run)).rejects.toThrow(/HEVC/);
    expect(a.calls()).toBe(2);
    const b = failing(`VipsJpeg: Premature end of input file\n${HEVC}`);
    await expect(decodeWithRetry(b.run)).rejects.toThrow(/HEVC/);
    expect(b.calls()).toBe(1);
  });

  it('does not try again for the pixel limit or an error of its own', async () => {
    const limit = failing('Input image exceeds pixel limit');
    await expect(decodeWithRetry(limit.run)).rejects.toThrow(/pixel limit/);
    expect(limit.calls()).toBe(1);
    let n = 0;
    const own = () => {
      n++;
      return Promise.reject(new KesiError('IMAGE_TOO_LARGE'));
    };
    await expect(decodeWithRetry(own)).rejects.toBeInstanceOf(KesiError);
    expect(n).toBe(1);
  });

  it('reports a damaged image as damaged, with the message that says something', async () => {
    const damaged = failing('VipsJpeg: Premature end of input file', '');
    const e = await decodeWithRetry(damaged.run).catch((x: unknown) => x);
    expect(imageError(e, 'PREVIEW_UNAVAILABLE')).toMatchObject({
      code: 'CORRUPT_IMAGE',
      details: { reason: 'VipsJpeg: Premature end of input file' },
    });
  });

  it('returns what the second try decoded', async () => {
    await expect(decodeWithRetry(failing('').run)).resolves.toBe('decoded');
  });
});
