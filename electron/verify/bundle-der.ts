// A minimal DER reader for the CMS signature of a bundle. The signed attributes must be hashed
// exactly as they are encoded in the file, and the certificate fingerprinted as it is embedded,
// so elements are sliced out of the original bytes, never re-encoded.
import forge from 'node-forge';

export interface Tlv {
  /** Tag class: 0 universal, 1 application, 2 context-specific, 3 private. */
  cls: number;
  constructed: boolean;
  /** Tag number (low-tag form only; CMS needs no more). */
  tag: number;
  /** Offset of the tag byte. */
  start: number;
  /** Offset of the contents. */
  body: number;
  /** Offset just past the element. */
  end: number;
}

export class DerError extends Error {}

/** The element at `at`, which must end by `limit`. Definite lengths only (DER). */
export function readTlv(buf: Uint8Array, at: number, limit = buf.length): Tlv {
  if (at + 2 > limit) throw new DerError('truncated element');
  const id = buf[at] as number;
  if ((id & 0x1f) === 0x1f) throw new DerError('high tag numbers are not used in CMS');
  let len = buf[at + 1] as number;
  let body = at + 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n === 0 || n > 4) throw new DerError('indefinite or oversized length');
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + (buf[body + i] as number);
    // DER: the shortest form only (no leading zero byte, long form only from 128).
    if (buf[body] === 0 || len < 128) throw new DerError('a length is not in its shortest form');
    body += n;
  }
  const end = body + len;
  if (end > limit) throw new DerError('element runs past its container');
  return { cls: id >> 6, constructed: (id & 0x20) !== 0, tag: id & 0x1f, start: at, body, end };
}

/** The elements inside a constructed element. */
export function childrenOf(buf: Uint8Array, t: Tlv): Tlv[] {
  if (!t.constructed) throw new DerError('not a constructed element');
  const out: Tlv[] = [];
  for (let at = t.body; at < t.end;) {
    const c = readTlv(buf, at, t.end);
    out.push(c);
    at = c.end;
  }
  return out;
}

export function bytesOf(buf: Uint8Array, t: Tlv): Buffer {
  return Buffer.from(buf.subarray(t.start, t.end));
}

export function contentsOf(buf: Uint8Array, t: Tlv): Buffer {
  return Buffer.from(buf.subarray(t.body, t.end));
}

/** The dotted OID of an OBJECT IDENTIFIER element (decoded by node-forge). */
export function oidOf(buf: Uint8Array, t: Tlv): string {
  if (t.cls !== 0 || t.tag !== 6 || t.constructed) throw new DerError('not an OBJECT IDENTIFIER');
  return forge.asn1.derToOid(forge.util.createBuffer(contentsOf(buf, t).toString('binary')));
}

/** Universal tags that are always constructed (SEQUENCE, SET) and always primitive. */
const CONSTRUCTED = new Set([16, 17]);
const PRIMITIVE = new Set([1, 2, 3, 4, 5, 6, 12, 19, 23, 24]);

/** `t`, if it has this class and tag (and, for universal tags, the right form). */
export function expect(t: Tlv | undefined, cls: number, tag: number, what: string): Tlv {
  if (!t || t.cls !== cls || t.tag !== tag) throw new DerError(`${what} is missing`);
  if (
    cls === 0 &&
    ((CONSTRUCTED.has(tag) && !t.constructed) || (PRIMITIVE.has(tag) && t.constructed))
  )
    throw new DerError(`${what} is not encoded as it must be`);
  return t;
}
