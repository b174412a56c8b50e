// Bech32 (BIP-173) as age uses it: the classic checksum (not bech32m), no length limit, and a
// string that is all lower or all upper case, with the checksum always over the lower case form.

const CHARSET = 'qpzry9x8gf2tvdw0s3jn54khce6mua7l';
const GENERATOR = [0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3] as const;

function polymod(values: readonly number[]): number {
  let chk = 1;
  for (const v of values) {
    const top = chk >>> 25;
    chk = ((chk & 0x1ffffff) << 5) ^ v;
    for (let i = 0; i < 5; i++) {
      if ((top >>> i) & 1) chk ^= GENERATOR[i] as number;
    }
  }
  return chk;
}

function expandHrp(hrp: string): number[] {
  const out: number[] = [];
  for (let i = 0; i < hrp.length; i++) out.push(hrp.charCodeAt(i) >>> 5);
  out.push(0);
  for (let i = 0; i < hrp.length; i++) out.push(hrp.charCodeAt(i) & 31);
  return out;
}

function convertBits(data: ArrayLike<number>, from: number, to: number, pad: boolean): number[] {
  let acc = 0;
  let bits = 0;
  const out: number[] = [];
  const max = (1 << to) - 1;
  for (let i = 0; i < data.length; i++) {
    acc = ((acc << from) | (data[i] as number)) & 0xffffff;
    bits += from;
    while (bits >= to) {
      bits -= to;
      out.push((acc >>> bits) & max);
    }
  }
  if (pad) {
    if (bits > 0) out.push((acc << (to - bits)) & max);
  } else if (bits >= from || ((acc << (to - bits)) & max) !== 0) {
    throw new Error('bech32: invalid padding');
  }
  return out;
}

function checkHrp(hrp: string): void {
  if (hrp.length < 1) throw new Error('bech32: empty human-readable part');
  for (let i = 0; i < hrp.length; i++) {
    const c = hrp.charCodeAt(i);
    if (c < 33 || c > 126) throw new Error('bech32: invalid character in human-readable part');
  }
}

/** Encodes 5-bit words; an all upper case `hrp` gives an all upper case string. */
export function bech32EncodeWords(hrp: string, words: readonly number[]): string {
  checkHrp(hrp);
  const lowerHrp = hrp.toLowerCase();
  const upper = hrp !== lowerHrp;
  if (upper && hrp !== hrp.toUpperCase()) throw new Error('bech32: mixed case');
  const mod = polymod([...expandHrp(lowerHrp), ...words, 0, 0, 0, 0, 0, 0]) ^ 1;
  let s = lowerHrp + '1';
  for (const w of words) s += CHARSET[w];
  for (let i = 0; i < 6; i++) s += CHARSET[(mod >>> (5 * (5 - i))) & 31];
  return upper ? s.toUpperCase() : s;
}

/** Encodes bytes; an all upper case `hrp` gives an all upper case string. */
export function bech32Encode(hrp: string, data: Uint8Array): string {
  return bech32EncodeWords(hrp, convertBits(data, 8, 5, true));
}

/** Checks the checksum and returns the human-readable part (in its original case) and the
 *  5-bit words of the data part. Throws on any invalid string. */
export function bech32DecodeWords(s: string): { hrp: string; words: number[] } {
  const lower = s.toLowerCase();
  if (s !== lower && s !== s.toUpperCase()) throw new Error('bech32: mixed case');
  const sep = s.lastIndexOf('1');
  if (sep < 1) throw new Error('bech32: missing separator or empty human-readable part');
  if (sep + 7 > s.length) throw new Error('bech32: checksum too short');
  const hrp = s.slice(0, sep);
  checkHrp(hrp);
  const words: number[] = [];
  for (let i = sep + 1; i < lower.length; i++) {
    const w = CHARSET.indexOf(lower.charAt(i));
    if (w < 0) throw new Error('bech32: invalid character in data part');
    words.push(w);
  }
  if (polymod([...expandHrp(hrp.toLowerCase()), ...words]) !== 1) {
    throw new Error('bech32: invalid checksum');
  }
  return { hrp, words: words.slice(0, -6) };
}

/** Decodes a string holding whole bytes (strict padding). */
export function bech32Decode(s: string): { hrp: string; data: Buffer } {
  const { hrp, words } = bech32DecodeWords(s);
  return { hrp, data: Buffer.from(convertBits(words, 5, 8, false)) };
}
