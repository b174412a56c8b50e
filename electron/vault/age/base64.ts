// Unpadded standard base64, as the age header uses it. Node's decoder is lenient (it skips bad
// characters and accepts padding and non-zero trailing bits); the spec requires rejecting all
// of that, so decoding checks the alphabet and that re-encoding gives back the same text.

const B64_CHARS = /^[A-Za-z0-9+/]*$/;

export function encodeBase64(data: Uint8Array): string {
  return Buffer.from(data.buffer, data.byteOffset, data.byteLength)
    .toString('base64')
    .replace(/=+$/, '');
}

/** The bytes, or null when `s` is not canonical unpadded base64. */
export function decodeBase64(s: string): Buffer | null {
  if (!B64_CHARS.test(s) || s.length % 4 === 1) return null;
  const data = Buffer.from(s, 'base64');
  return encodeBase64(data) === s ? data : null;
}
