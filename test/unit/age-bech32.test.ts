import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  bech32Decode,
  bech32DecodeWords,
  bech32Encode,
  bech32EncodeWords,
} from '../../electron/vault/age/bech32';

// BIP-173 test vectors.
const VALID = [
  'A12UEL5L',
  'a12uel5l',
  'an83characterlonghumanreadablepartthatcontainsthenumber1andtheexcludedcharactersbio1tt5tgs',
  'abcdef1qpzry9x8gf2tvdw0s3jn54khce6mua7lmqqqxw',
  '11' + 'q'.repeat(82) + 'c8247j',
  'split1checkupstagehandshakeupstreamerranterredcaperred2y9e3w',
  '?1ezyfcl',
];

const INVALID = [
  ' 1nwldj5', // HRP character out of range
  '\x7f1axkwrx', // HRP character out of range
  '\x801eym55h', // HRP character out of range
  'pzry9x0s0muk', // no separator
  '1pzry9x0s0muk', // empty HRP
  'x1b4n0q5v', // invalid data character
  'li1dgmt3', // checksum too short
  'de1lg7wt\xff', // invalid character in checksum
  'A1G7SGD8', // checksum calculated with upper case HRP
  '10a06t8', // empty HRP
  '1qzzfhee', // empty HRP
  'a12UEL5L', // mixed case
];

describe('bech32', () => {
  it.each(VALID)('accepts the BIP-173 vector %s', (s) => {
    expect(() => bech32DecodeWords(s)).not.toThrow();
  });

  it.each(INVALID)('rejects the BIP-173 vector %j', (s) => {
    expect(() => bech32DecodeWords(s)).toThrow();
  });

  it('has no length limit, as age requires', () => {
    // BIP-173 rejects this only for exceeding 90 characters.
    const s =
      'an84characterslonghumanreadablepartthatcontainsthenumber1andtheexcludedcharactersbio1569pvx';
    expect(bech32DecodeWords(s).hrp).toHaveLength(84);
    const data = randomBytes(1000);
    expect(bech32Decode(bech32Encode('age', data)).data.equals(data)).toBe(true);
  });

  it('decodes a known vector to its bytes', () => {
    const { hrp, data } = bech32Decode('abcdef1qpzry9x8gf2tvdw0s3jn54khce6mua7lmqqqxw');
    expect(hrp).toBe('abcdef');
    // The data part is the 32 characters of the alphabet in order: 0..31 in 5-bit groups.
    expect(data.toString('hex')).toBe('00443214c74254b635cf84653a56d7c675be77df');
  });

  it('round-trips bytes of every length, in both cases', () => {
    for (let n = 0; n <= 70; n++) {
      const data = randomBytes(n);
      const lower = bech32Encode('age', data);
      const upper = bech32Encode('AGE-SECRET-KEY-', data);
      expect(lower).toBe(lower.toLowerCase());
      expect(upper).toBe(upper.toUpperCase());
      expect(bech32Decode(lower)).toEqual({ hrp: 'age', data });
      expect(bech32Decode(upper)).toEqual({ hrp: 'AGE-SECRET-KEY-', data });
    }
  });

  it('computes the checksum over the lower case form', () => {
    const s = bech32Encode('age', Buffer.from('kesi'));
    expect(bech32Decode(s.toUpperCase()).data.toString()).toBe('kesi');
  });

  it('rejects a mixed-case HRP, a bad checksum and bad padding', () => {
    expect(() => bech32Encode('Age', Buffer.alloc(4))).toThrow();
    const s = bech32Encode('age', Buffer.alloc(32, 7));
    const last = s.charAt(s.length - 1);
    expect(() => bech32Decode(s.slice(0, -1) + (last === 'q' ? 'p' : 'q'))).toThrow(/checksum/);
    // A lone 5-bit word holds no whole byte; 2 words = 10 bits = 1 byte + 2 padding bits.
    expect(() => bech32Decode(bech32EncodeWords('a', [3]))).toThrow(/padding/);
    expect(bech32Decode(bech32EncodeWords('a', [31, 28])).data).toEqual(Buffer.from([0xff]));
    expect(() => bech32Decode(bech32EncodeWords('a', [31, 29]))).toThrow(/padding/);
  });
});
