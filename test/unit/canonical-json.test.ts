import { describe, expect, it } from 'vitest';
import {
  CanonicalJsonError,
  MAX_DEPTH,
  canonicalize,
  isCanonicalizable,
} from '../../shared/canonical-json';

function fromIeee754(hex: string): number {
  const view = new DataView(new ArrayBuffer(8));
  view.setBigUint64(0, BigInt(`0x${hex}`));
  return view.getFloat64(0);
}

function utf8Hex(s: string): string {
  return Buffer.from(s, 'utf8').toString('hex');
}

describe('canonicalize: RFC 8785 examples', () => {
  // RFC 8785 Appendix B: IEEE 754 bit patterns and their canonical text.
  const numbers: [string, string][] = [
    ['0000000000000000', '0'],
    ['8000000000000000', '0'],
    ['0000000000000001', '5e-324'],
    ['8000000000000001', '-5e-324'],
    ['7fefffffffffffff', '1.7976931348623157e+308'],
    ['ffefffffffffffff', '-1.7976931348623157e+308'],
    ['4340000000000000', '9007199254740992'],
    ['c340000000000000', '-9007199254740992'],
    ['4430000000000000', '295147905179352830000'],
    ['44b52d02c7e14af5', '9.999999999999997e+22'],
    ['44b52d02c7e14af6', '1e+23'],
    ['44b52d02c7e14af7', '1.0000000000000001e+23'],
    ['444b1ae4d6e2ef4e', '999999999999999700000'],
    ['444b1ae4d6e2ef4f', '999999999999999900000'],
    ['444b1ae4d6e2ef50', '1e+21'],
    ['3eb0c6f7a0b5ed8c', '9.999999999999997e-7'],
    ['3eb0c6f7a0b5ed8d', '0.000001'],
    ['41b3de4355555553', '333333333.3333332'],
    ['41b3de4355555554', '333333333.33333325'],
    ['41b3de4355555555', '333333333.3333333'],
    ['41b3de4355555556', '333333333.3333334'],
    ['41b3de4355555557', '333333333.33333343'],
    ['becbf647612f3696', '-0.0000033333333333333333'],
    ['43143ff3c1cb0959', '1424953923781206.2'],
  ];

  it.each(numbers)('Appendix B: 0x%s is %s', (bits, text) => {
    expect(canonicalize(fromIeee754(bits))).toBe(text);
    expect(canonicalize([fromIeee754(bits)])).toBe(`[${text}]`);
  });

  it.each([
    ['7fffffffffffffff', 'NaN'],
    ['7ff0000000000000', 'Infinity'],
  ])('Appendix B: 0x%s (%s) is refused', (bits) => {
    expect(() => canonicalize(fromIeee754(bits))).toThrow(CanonicalJsonError);
    expect(() => canonicalize({ n: fromIeee754(bits) })).toThrow(/\$\.n: .*not a JSON number/);
  });

  it('§3.2.3: sorts members by UTF-16 code units', () => {
    const input = {
      '\u20ac': 'Euro Sign',
      '\r': 'Carriage Return',
      '\ufb33': 'Hebrew Letter Dalet With Dagesh',
      '1': 'One',
      '\ud83d\ude00': 'Emoji: Grinning Face',
      '\u0080': 'Control',
      '\u00f6': 'Latin Small Letter O With Diaeresis',
    };
    expect(canonicalize(input)).toBe(
      '{"\\r":"Carriage Return","1":"One","\u0080":"Control",' +
        '"\u00f6":"Latin Small Letter O With Diaeresis","\u20ac":"Euro Sign",' +
        '"\ud83d\ude00":"Emoji: Grinning Face","\ufb33":"Hebrew Letter Dalet With Dagesh"}',
    );
  });

  it('§3.2.2: the combined sample, text and UTF-8 bytes', () => {
    const input = JSON.parse(
      '{"numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],' +
        ' "string": "\\u20ac$\\u000F\\u000aA\'\\u0042\\u0022\\u005c\\\\\\"\\/",' +
        ' "literals": [null, true, false]}',
    ) as unknown;
    const out = canonicalize(input);
    expect(out).toBe(
      '{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],' +
        '"string":"€$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}',
    );
    expect(utf8Hex(out)).toBe(
      '7b226c69746572616c73223a5b6e756c6c2c747275652c66616c73655d2c226e756d62657273223a5b' +
        '3333333333333333332e333333333333332c31652b33302c342e352c302e3030322c31652d32375d2c' +
        '22737472696e67223a22e282ac245c75303030665c6e4127425c225c5c5c5c5c222f227d',
    );
  });
});

describe('canonicalize: strings', () => {
  it('escapes as JSON.stringify does, with lower-case hex', () => {
    expect(canonicalize('\u0000\u0001\u001f')).toBe('"\\u0000\\u0001\\u001f"');
    expect(canonicalize('\b\t\n\f\r"\\')).toBe('"\\b\\t\\n\\f\\r\\"\\\\"');
    expect(canonicalize('/')).toBe('"/"');
  });

  it('keeps everything else as it is', () => {
    for (const s of ['\u007f', '\u2028\u2029', 'é€', '😀', '\ufdd0\uffff', 'Wanjikũ']) {
      expect(canonicalize(s)).toBe(`"${s}"`);
    }
  });

  it('refuses lone surrogates in values and in member names', () => {
    for (const bad of ['\ud800', '\udead', 'a\ud83d', '\ude00b', '\ude00\ud83d']) {
      expect(() => canonicalize(bad)).toThrow(/lone UTF-16 surrogate/);
      expect(() => canonicalize({ [bad]: 1 })).toThrow(/lone UTF-16 surrogate/);
      expect(() => canonicalize({ a: [bad] })).toThrow('$.a[0]');
    }
    expect(canonicalize('\ud83d\ude00')).toBe('"😀"');
  });
});

describe('canonicalize: the data model', () => {
  it('writes literals, arrays and nested objects without whitespace', () => {
    expect(canonicalize(null)).toBe('null');
    expect(canonicalize(true)).toBe('true');
    expect(canonicalize([])).toBe('[]');
    expect(canonicalize({})).toBe('{}');
    expect(canonicalize({ b: [1, { d: 2, c: null }], a: '' })).toBe(
      '{"a":"","b":[1,{"c":null,"d":2}]}',
    );
    expect(canonicalize(-0)).toBe('0');
  });

  it('leaves out members whose value is undefined, as JSON.stringify does', () => {
    expect(canonicalize({ a: undefined, b: 1 })).toBe('{"b":1}');
  });

  it('accepts objects without a prototype', () => {
    const o = Object.create(null) as Record<string, unknown>;
    o.z = 1;
    o.a = 2;
    expect(canonicalize(o)).toBe('{"a":2,"z":1}');
  });

  it.each([
    ['a BigInt', { a: 1n }, '$.a', /BigInt/],
    ['a Date', { at: new Date(0) }, '$.at', /Date is not a plain object/],
    ['a Map', [new Map()], '$[0]', /Map/],
    ['a Uint8Array', { b: new Uint8Array(2) }, '$.b', /Uint8Array/],
    ['a class instance', { x: new (class Thing {})() }, '$.x', /Thing/],
    ['a function', { f: () => 1 }, '$.f', /function/],
    ['a symbol', [Symbol('s')], '$[0]', /symbol/],
    ['undefined in an array', [1, undefined], '$[1]', /undefined/],
    // eslint-disable-next-line no-sparse-arrays
    ['a hole in an array', [1, , 3], '$[1]', /hole/],
    ['undefined alone', undefined, '$', /undefined/],
    ['NaN deep inside', { a: [{ 'odd key': NaN }] }, '$.a[0]["odd key"]', /NaN/],
  ])('refuses %s', (_name, value, path, reason) => {
    let err: unknown;
    try {
      canonicalize(value);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(CanonicalJsonError);
    expect((err as CanonicalJsonError).path).toBe(path);
    expect((err as CanonicalJsonError).message).toMatch(reason);
    expect(isCanonicalizable(value)).toBe(false);
  });

  it('refuses cycles and excessive nesting', () => {
    const a: Record<string, unknown> = {};
    a.self = a;
    expect(() => canonicalize(a)).toThrow(/cycle/);
    let deep: unknown = 1;
    for (let i = 0; i < MAX_DEPTH + 1; i++) deep = [deep];
    expect(() => canonicalize(deep)).toThrow(/levels deep/);
    const shared = { x: 1 };
    expect(canonicalize([shared, shared])).toBe('[{"x":1},{"x":1}]');
  });

  it('is stable: parsing the output and canonicalizing again gives the same text', () => {
    let seed = 42;
    const rnd = (): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const alphabet = ['a', 'B', '0', ' ', '"', '\\', '\n', '\u0001', 'é', '€', '😀', '\u2028'];
    const randomString = (): string =>
      Array.from(
        { length: Math.floor(rnd() * 6) },
        () => alphabet[Math.floor(rnd() * alphabet.length)],
      ).join('');
    const randomValue = (depth: number): unknown => {
      const r = rnd();
      if (depth > 3 || r < 0.3) {
        const k = Math.floor(rnd() * 5);
        if (k === 0) return null;
        if (k === 1) return rnd() < 0.5;
        if (k === 2) return (rnd() - 0.5) * 10 ** Math.floor(rnd() * 40 - 20);
        if (k === 3) return Math.floor(rnd() * 1e6);
        return randomString();
      }
      if (r < 0.6)
        return Array.from({ length: Math.floor(rnd() * 4) }, () => randomValue(depth + 1));
      const o: Record<string, unknown> = {};
      for (let i = 0; i < Math.floor(rnd() * 5); i++) o[randomString()] = randomValue(depth + 1);
      return o;
    };
    for (let i = 0; i < 500; i++) {
      const v = randomValue(0);
      const text = canonicalize(v);
      expect(canonicalize(JSON.parse(text))).toBe(text);
      expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(v)));
    }
  });
});
