// Header syntax and recipient rules, with files built by hand after the age testkit
// (c2sp.org/CCTV/age): a fixed file key, stanzas written line by line, a real MAC.

import {
  createCipheriv,
  createHmac,
  createPrivateKey,
  createPublicKey,
  diffieHellman,
  hkdfSync,
  randomBytes,
  scryptSync,
} from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AgeError,
  currentAeadImplementation,
  decrypt,
  encrypt,
  recipientOf,
  setAeadImplementation,
} from '../../electron/vault/age';
import type { AgeErrorKind, Identity } from '../../electron/vault/age';
import { encodeHeader, parseHeader } from '../../electron/vault/age/header';
import type { Stanza } from '../../electron/vault/age/header';
import { parseIdentity, parseRecipient } from '../../electron/vault/age/keys';

const FILE_KEY = Buffer.from('YELLOW SUBMARINE');
const IDENTITY = 'AGE-SECRET-KEY-1EGTZVFFV20835NWYV6270LXYVK2VKNX2MMDKWYKLMGR48UAWX40Q2P2LM0';
const OTHER_IDENTITY = 'AGE-SECRET-KEY-1GFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPQ4EGAEX';
const PASSPHRASE = 'mellow-submarine';
const X25519_ID: Identity = { type: 'x25519', identity: IDENTITY };
const SCRYPT_ID: Identity = { type: 'scrypt', passphrase: PASSPHRASE };

const b64 = (b: Uint8Array): string => Buffer.from(b).toString('base64').replace(/=+$/, '');
const hkdf = (ikm: Uint8Array, salt: Uint8Array, info: string): Buffer =>
  Buffer.from(hkdfSync('sha256', ikm, salt, info, 32));

function seal(key: Uint8Array, nonce: Uint8Array, plain: Uint8Array): Buffer {
  const c = createCipheriv('chacha20-poly1305', key, nonce, { authTagLength: 16 });
  const ct = c.update(plain);
  c.final();
  return Buffer.concat([ct, c.getAuthTag()]);
}

function x25519(scalar: Uint8Array, point: Uint8Array): Buffer {
  const priv = createPrivateKey({
    key: Buffer.concat([Buffer.from('302e020100300506032b656e04220420', 'hex'), scalar]),
    format: 'der',
    type: 'pkcs8',
  });
  const pub = createPublicKey({
    key: Buffer.concat([Buffer.from('302a300506032b656e032100', 'hex'), point]),
    format: 'der',
    type: 'spki',
  });
  return diffieHellman({ privateKey: priv, publicKey: pub });
}

class TestFile {
  private text = '';
  private payload: Buffer[] = [];
  private streamKey: Buffer = Buffer.alloc(0);
  private counter = 0;
  fileKey = FILE_KEY;

  line(s: string): this {
    this.text += `${s}\n`;
    return this;
  }
  version(v = 'v1'): this {
    return this.line(`age-encryption.org/${v}`);
  }
  args(...a: string[]): this {
    return this.line(['->', ...a].join(' '));
  }
  body(b: Uint8Array): this {
    for (let off = 0; ; off += 48) {
      const l = b.subarray(off, off + 48);
      this.line(b64(l));
      if (l.length < 48) return this;
    }
  }
  x25519Stanza(identity = IDENTITY, opts: { type?: string; fileKey?: Buffer } = {}): this {
    const secret = parseIdentity(identity);
    const recipient = parseRecipient(recipientOf(identity));
    const ephemeral = randomBytes(32);
    const share = x25519(ephemeral, Buffer.from([9, ...Buffer.alloc(31)]));
    const key = hkdf(
      x25519(secret, share),
      Buffer.concat([share, recipient]),
      'age-encryption.org/v1/X25519',
    );
    this.args(opts.type ?? 'X25519', b64(share));
    return this.body(seal(key, Buffer.alloc(12), opts.fileKey ?? this.fileKey));
  }
  scryptStanza(logN: string | number = 10, salt = randomBytes(16), passphrase = PASSPHRASE): this {
    const key = scryptSync(
      passphrase,
      Buffer.concat([Buffer.from('age-encryption.org/v1/scrypt'), salt]),
      32,
      { N: 2 ** Number(logN), r: 8, p: 1 },
    );
    this.args('scrypt', b64(salt), String(logN));
    return this.body(seal(key, Buffer.alloc(12), this.fileKey));
  }
  mac(): this {
    const key = hkdf(this.fileKey, Buffer.alloc(0), 'header');
    const mac = createHmac('sha256', key).update(`${this.text}---`, 'latin1').digest();
    return this.line(`--- ${b64(mac)}`);
  }
  nonce(n: Buffer = randomBytes(16)): this {
    this.streamKey = hkdf(this.fileKey, n, 'payload');
    this.payload.push(n);
    return this;
  }
  chunk(plain: Uint8Array, last: boolean): this {
    const nonce = Buffer.alloc(12);
    nonce.writeUIntBE(this.counter++, 5, 6);
    nonce[11] = last ? 1 : 0;
    this.payload.push(seal(this.streamKey, nonce, plain));
    return this;
  }
  raw(b: Uint8Array): this {
    this.payload.push(Buffer.from(b));
    return this;
  }
  /** The usual ending: MAC, nonce, one final chunk "age". */
  finish(): Buffer {
    return this.mac().nonce().chunk(Buffer.from('age'), true).bytes();
  }
  bytes(): Buffer {
    return Buffer.concat([Buffer.from(this.text, 'latin1'), ...this.payload]);
  }
}

async function expectKind(
  file: Buffer,
  kind: AgeErrorKind,
  ids: Identity[] = [X25519_ID],
): Promise<void> {
  const err = await decrypt(file, ids).then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AgeError);
  expect((err as AgeError).kind).toBe(kind);
}

const v1 = (): TestFile => new TestFile().version();

// Every test below runs on both ChaCha20-Poly1305 implementations: node:crypto, and the pure-JS
// fallback that Electron (BoringSSL) needs.
describe.each(['native', 'fallback'] as const)('%s ChaCha20-Poly1305', (implementation) => {
  beforeAll(async () => {
    await setAeadImplementation(implementation);
    expect(currentAeadImplementation()).toBe(implementation);
  });
  afterAll(() => setAeadImplementation('auto'));

  describe('age header: valid files', () => {
    const cases: [string, () => Buffer, Identity[]][] = [
      ['one X25519 stanza', () => v1().x25519Stanza().finish(), [X25519_ID]],
      [
        'our stanza after another recipient',
        () => v1().x25519Stanza(OTHER_IDENTITY).x25519Stanza().finish(),
        [X25519_ID],
      ],
      [
        'arguments using every visible ASCII character',
        () =>
          v1()
            .args(`!"#$%&'`, '()*+,-./', '01234567', '89:;<=>?', '@ABCDEFG', 'HIJKLMNO')
            .body(Buffer.alloc(0))
            .args('PQRSTUVW', 'XYZ[\\]^_', '`abcdefg', 'hijklmno', 'pqrstuvw', 'xyz{|}~')
            .body(Buffer.alloc(0))
            .x25519Stanza()
            .finish(),
        [X25519_ID],
      ],
      [
        'an unknown stanza with an empty body',
        () => v1().x25519Stanza().args('empty').body(Buffer.alloc(0)).finish(),
        [X25519_ID],
      ],
      [
        'a body of 96 bytes, ending with an empty line',
        () => v1().x25519Stanza().args('stanza').body(Buffer.alloc(96, 65)).finish(),
        [X25519_ID],
      ],
      [
        'a grease stanza with a long body',
        () => v1().args('x-grease', 'a', 'b').body(randomBytes(200)).x25519Stanza().finish(),
        [X25519_ID],
      ],
      ['an scrypt stanza', () => v1().scryptStanza(10).finish(), [SCRYPT_ID]],
      [
        'several identities, the matching one last',
        () => v1().x25519Stanza().finish(),
        [{ type: 'x25519', identity: OTHER_IDENTITY }, SCRYPT_ID, X25519_ID],
      ],
    ];
    it.each(cases)('%s', async (_name, make, ids) => {
      expect((await decrypt(make(), ids)).toString()).toBe('age');
    });
  });

  describe('age header: refused files', () => {
    const cases: [string, () => Buffer, AgeErrorKind, Identity[]?][] = [
      ['not an age file', () => Buffer.from('hello world\n'), 'bad-header'],
      ['binary junk', () => randomBytes(100_000), 'bad-header'],
      [
        'another version',
        () => new TestFile().version('v2').x25519Stanza().finish(),
        'unsupported',
      ],
      [
        'ASCII armor',
        () =>
          Buffer.from(
            '-----BEGIN AGE ENCRYPTED FILE-----\nYWdl\n-----END AGE ENCRYPTED FILE-----\n',
          ),
        'unsupported',
      ],
      ['no stanza', () => v1().finish(), 'bad-header'],
      [
        'CRLF line endings',
        () =>
          Buffer.from(
            v1().x25519Stanza().finish().toString('latin1').replace(/\n/g, '\r\n'),
            'latin1',
          ),
        'bad-header',
      ],
      [
        'a stanza without arguments',
        () => v1().line('->').body(Buffer.alloc(0)).x25519Stanza().finish(),
        'bad-header',
      ],
      [
        'an empty argument',
        () => v1().args('X', '', 'Y').body(Buffer.alloc(0)).x25519Stanza().finish(),
        'bad-header',
      ],
      [
        'a non-ASCII argument',
        () => v1().args('caf\xe9').body(Buffer.alloc(0)).x25519Stanza().finish(),
        'bad-header',
      ],
      ['a line that is no stanza', () => v1().line('hello').x25519Stanza().finish(), 'bad-header'],
      [
        'a body line of 65 columns',
        () => v1().args('x').line('A'.repeat(65)).line('').x25519Stanza().finish(),
        'bad-header',
      ],
      [
        'a body without its final short line',
        () => v1().args('x').line('A'.repeat(64)).x25519Stanza().finish(),
        'bad-header',
      ],
      [
        'a body with padding',
        () => v1().args('x').line('AA==').x25519Stanza().finish(),
        'bad-header',
      ],
      [
        'a non-canonical body',
        () => v1().args('x').line('AB').x25519Stanza().finish(),
        'bad-header',
      ],
      [
        'a body with a carriage return',
        () => v1().args('x').line('AA\r').x25519Stanza().finish(),
        'bad-header',
      ],
      [
        'two short body lines',
        () => v1().args('x').line('AA').line('AA').x25519Stanza().finish(),
        'bad-header',
      ],
      [
        'a MAC line without space',
        () =>
          Buffer.from(
            v1().x25519Stanza().finish().toString('latin1').replace('--- ', '---'),
            'latin1',
          ),
        'bad-header',
      ],
      [
        'a MAC line with two spaces',
        () =>
          Buffer.from(
            v1().x25519Stanza().finish().toString('latin1').replace('--- ', '---  '),
            'latin1',
          ),
        'bad-header',
      ],
      [
        'a truncated MAC',
        () =>
          Buffer.from(
            v1()
              .x25519Stanza()
              .finish()
              .toString('latin1')
              .replace(/(--- \S{42})\S/, '$1'),
            'latin1',
          ),
        'bad-header',
      ],
      [
        'no MAC line',
        () => v1().x25519Stanza().nonce().chunk(Buffer.from('age'), true).bytes(),
        'bad-header',
      ],
      [
        'a wrong MAC',
        () =>
          v1()
            .x25519Stanza()
            .line(`--- ${b64(Buffer.alloc(32))}`)
            .nonce()
            .chunk(Buffer.from('age'), true)
            .bytes(),
        'bad-mac',
      ],
      [
        'X25519 with an extra argument',
        () => {
          const f = v1().x25519Stanza().finish().toString('latin1');
          return Buffer.from(f.replace(/(-> X25519 \S+)/, '$1 extra'), 'latin1');
        },
        'bad-header',
      ],
      [
        'X25519 with a short share',
        () =>
          v1()
            .args('X25519', b64(randomBytes(31)))
            .body(randomBytes(32))
            .finish(),
        'bad-header',
      ],
      [
        'X25519 with a long share',
        () =>
          v1()
            .args('X25519', b64(randomBytes(33)))
            .body(randomBytes(32))
            .finish(),
        'bad-header',
      ],
      [
        'X25519 with a low-order share',
        () =>
          v1()
            .args('X25519', b64(Buffer.alloc(32)))
            .body(randomBytes(32))
            .finish(),
        'bad-header',
      ],
      [
        'X25519 with a 32-byte file key',
        () =>
          v1()
            .x25519Stanza(IDENTITY, { fileKey: randomBytes(32) })
            .finish(),
        'bad-header',
      ],
      ['X25519 for someone else', () => v1().x25519Stanza(OTHER_IDENTITY).finish(), 'no-match'],
      [
        'X25519 with a bad tag',
        () =>
          v1()
            .args('X25519', b64(randomBytes(32).fill(9, 0, 1)))
            .body(randomBytes(32))
            .finish(),
        'no-match',
      ],
      [
        'a lower case x25519 type',
        () => v1().x25519Stanza(IDENTITY, { type: 'x25519' }).finish(),
        'no-match',
      ],
      [
        'scrypt next to X25519',
        () => v1().scryptStanza().x25519Stanza().finish(),
        'bad-header',
        [X25519_ID],
      ],
      [
        'scrypt next to X25519, passphrase',
        () => v1().x25519Stanza().scryptStanza().finish(),
        'bad-header',
        [SCRYPT_ID],
      ],
      [
        'two scrypt stanzas',
        () => v1().scryptStanza().scryptStanza().finish(),
        'bad-header',
        [SCRYPT_ID],
      ],
      [
        'scrypt with a wrong passphrase',
        () => v1().scryptStanza(10, randomBytes(16), 'other').finish(),
        'no-match',
        [SCRYPT_ID],
      ],
      [
        'scrypt work factor 23',
        () =>
          v1()
            .args('scrypt', b64(randomBytes(16)), '23')
            .body(randomBytes(32))
            .finish(),
        'unsupported',
        [SCRYPT_ID],
      ],
      [
        'scrypt work factor 99999999999999999999',
        () =>
          v1()
            .args('scrypt', b64(randomBytes(16)), '99999999999999999999')
            .body(randomBytes(32))
            .finish(),
        'unsupported',
        [SCRYPT_ID],
      ],
      [
        'scrypt work factor 010',
        () =>
          v1()
            .args('scrypt', b64(randomBytes(16)), '010')
            .body(randomBytes(32))
            .finish(),
        'bad-header',
        [SCRYPT_ID],
      ],
      [
        'scrypt work factor +10',
        () =>
          v1()
            .args('scrypt', b64(randomBytes(16)), '+10')
            .body(randomBytes(32))
            .finish(),
        'bad-header',
        [SCRYPT_ID],
      ],
      [
        'scrypt work factor 0xa',
        () =>
          v1()
            .args('scrypt', b64(randomBytes(16)), '0xa')
            .body(randomBytes(32))
            .finish(),
        'bad-header',
        [SCRYPT_ID],
      ],
      [
        'scrypt work factor 0',
        () =>
          v1()
            .args('scrypt', b64(randomBytes(16)), '0')
            .body(randomBytes(32))
            .finish(),
        'bad-header',
        [SCRYPT_ID],
      ],
      [
        'scrypt work factor -1',
        () =>
          v1()
            .args('scrypt', b64(randomBytes(16)), '-1')
            .body(randomBytes(32))
            .finish(),
        'bad-header',
        [SCRYPT_ID],
      ],
      [
        'scrypt without work factor',
        () =>
          v1()
            .args('scrypt', b64(randomBytes(16)))
            .body(randomBytes(32))
            .finish(),
        'bad-header',
        [SCRYPT_ID],
      ],
      [
        'scrypt with an extra argument',
        () =>
          v1()
            .args('scrypt', b64(randomBytes(16)), '10', 'x')
            .body(randomBytes(32))
            .finish(),
        'bad-header',
        [SCRYPT_ID],
      ],
      [
        'scrypt with a short salt',
        () =>
          v1()
            .args('scrypt', b64(randomBytes(15)), '10')
            .body(randomBytes(32))
            .finish(),
        'bad-header',
        [SCRYPT_ID],
      ],
      [
        'scrypt with a long salt',
        () =>
          v1()
            .args('scrypt', b64(randomBytes(17)), '10')
            .body(randomBytes(32))
            .finish(),
        'bad-header',
        [SCRYPT_ID],
      ],
      [
        'scrypt with a long body',
        () =>
          v1()
            .args('scrypt', b64(randomBytes(16)), '10')
            .body(randomBytes(48))
            .finish(),
        'bad-header',
        [SCRYPT_ID],
      ],
      [
        'an upper case SCRYPT type',
        () =>
          v1()
            .args('SCRYPT', b64(randomBytes(16)), '10')
            .body(randomBytes(32))
            .finish(),
        'no-match',
        [SCRYPT_ID],
      ],
      ['no identities', () => v1().x25519Stanza().finish(), 'no-match', []],
    ];
    it.each(cases)('%s', async (_name, make, kind, ids) => {
      await expectKind(make(), kind, ids);
    });

    it("applies the caller's scrypt work factor limit", async () => {
      const file = await encrypt(Buffer.from('x'), [{ type: 'scrypt', passphrase: 'p', logN: 11 }]);
      await expectKind(file, 'unsupported', [{ type: 'scrypt', passphrase: 'p', maxLogN: 10 }]);
      expect(
        (await decrypt(file, [{ type: 'scrypt', passphrase: 'p', maxLogN: 11 }])).toString(),
      ).toBe('x');
    });

    it('refuses to encrypt to a passphrase and anything else', async () => {
      const other = { type: 'x25519' as const, recipient: recipientOf(IDENTITY) };
      const pass = { type: 'scrypt' as const, passphrase: 'p', logN: 10 };
      for (const rs of [
        [pass, other],
        [other, pass],
        [pass, pass],
      ]) {
        await expect(encrypt(Buffer.from('x'), rs)).rejects.toMatchObject({ kind: 'unsupported' });
      }
      await expect(encrypt(Buffer.from('x'), [])).rejects.toBeInstanceOf(AgeError);
      await expect(
        encrypt(Buffer.from('x'), [{ type: 'scrypt', passphrase: 'p', logN: 31 }]),
      ).rejects.toBeInstanceOf(AgeError);
      await expect(
        encrypt(Buffer.from('x'), [{ type: 'x25519', recipient: 'age1nope' }]),
      ).rejects.toBeInstanceOf(AgeError);
    });
  });

  describe('age header encoding', () => {
    const stanza = (type: string, args: string[], n: number): Stanza => ({
      type,
      args,
      body: randomBytes(n),
    });

    it('round-trips stanzas of every body length class', () => {
      const stanzas = [0, 1, 31, 32, 47, 48, 49, 95, 96, 97, 200].map((n, i) =>
        stanza(`t${i}`, i % 2 ? ['a', 'b+/='] : [], n),
      );
      const header = encodeHeader(stanzas, FILE_KEY);
      const parsed = parseHeader(Buffer.concat([header, Buffer.from('payload')]));
      expect(parsed?.length).toBe(header.length);
      expect(parsed?.stanzas).toEqual(stanzas);
      expect(header.subarray(parsed?.macInput.length ?? 0).toString()).toMatch(/^ \S{43}\n$/);
    });

    it('wraps bodies at 64 columns and ends them with a shorter line', () => {
      const text = encodeHeader([stanza('x', [], 96), stanza('y', [], 50)], FILE_KEY).toString();
      const lines = text.split('\n');
      expect(lines.slice(1, 5).map((l) => l.length)).toEqual([4, 64, 64, 0]);
      expect(lines.slice(5, 8).map((l) => l.length)).toEqual([4, 64, 3]);
      expect(lines[8]).toMatch(/^--- /);
    });

    it('returns null until the whole header is there', () => {
      const header = encodeHeader([stanza('x', ['1'], 100)], FILE_KEY);
      for (let n = 0; n < header.length; n++) expect(parseHeader(header.subarray(0, n))).toBeNull();
      expect(parseHeader(header)).not.toBeNull();
    });

    it('refuses arguments that are not visible ASCII', () => {
      expect(() => encodeHeader([stanza('x', ['a b'], 1)], FILE_KEY)).toThrow(AgeError);
      expect(() => encodeHeader([stanza('x', [''], 1)], FILE_KEY)).toThrow(AgeError);
    });
  });

  describe('age payload framing', () => {
    const K = 64 * 1024;
    const full = (byte: number): Buffer => Buffer.alloc(K, byte);
    const head = (): TestFile => v1().x25519Stanza().mac().nonce();

    const valid: [string, () => Buffer, Buffer][] = [
      ['an empty file', () => head().chunk(Buffer.alloc(0), true).bytes(), Buffer.alloc(0)],
      ['one full final chunk', () => head().chunk(full(1), true).bytes(), full(1)],
      [
        'a full chunk, then a full final chunk',
        () => head().chunk(full(0), false).chunk(full(1), true).bytes(),
        Buffer.concat([full(0), full(1)]),
      ],
      [
        'three chunks',
        () =>
          head()
            .chunk(full(0), false)
            .chunk(full(1), false)
            .chunk(full(2).subarray(1), true)
            .bytes(),
        Buffer.concat([full(0), full(1), full(2).subarray(1)]),
      ],
    ];
    it.each(valid)('reads %s', async (_name, make, plain) => {
      expect((await decrypt(make(), [X25519_ID])).equals(plain)).toBe(true);
    });

    const refused: [string, () => Buffer, AgeErrorKind][] = [
      ['no payload nonce', () => v1().x25519Stanza().mac().bytes(), 'truncated'],
      [
        'a short payload nonce',
        () => v1().x25519Stanza().mac().raw(randomBytes(15)).bytes(),
        'truncated',
      ],
      ['a nonce and no chunk', () => head().bytes(), 'truncated'],
      ['a chunk shorter than its tag', () => head().raw(randomBytes(15)).bytes(), 'truncated'],
      ['a full chunk and no final chunk', () => head().chunk(full(0), false).bytes(), 'truncated'],
      [
        'two full chunks and no final chunk',
        () => head().chunk(full(0), false).chunk(full(1), false).bytes(),
        'truncated',
      ],
      [
        'a short chunk not marked final',
        () => head().chunk(Buffer.from('age'), false).bytes(),
        'corrupt',
      ],
      [
        'an empty final chunk after a full one',
        () => head().chunk(full(0), false).chunk(Buffer.alloc(0), true).bytes(),
        'corrupt',
      ],
      [
        'two final chunks',
        () => head().chunk(Buffer.from('a'), true).chunk(Buffer.from('b'), true).bytes(),
        'corrupt',
      ],
      [
        'a full final chunk with one more byte',
        () =>
          head()
            .chunk(full(1), true)
            .raw(Buffer.from([0]))
            .bytes(),
        'corrupt',
      ],
      [
        'trailing bytes',
        () => head().chunk(Buffer.from('age'), true).raw(randomBytes(100)).bytes(),
        'corrupt',
      ],
      [
        'a damaged second chunk',
        () => {
          const f = head().chunk(full(0), false).chunk(Buffer.from('age'), true).bytes();
          f[f.length - 1]! ^= 1;
          return f;
        },
        'corrupt',
      ],
      [
        'chunks out of order',
        () => {
          const a = head()
            .chunk(full(0), false)
            .chunk(full(1), false)
            .chunk(Buffer.from('x'), true);
          const f = a.bytes();
          const start = f.length - 2 * (K + 16) - 17;
          const first = Buffer.from(f.subarray(start, start + K + 16));
          f.copy(f, start, start + K + 16, start + 2 * (K + 16));
          first.copy(f, start + K + 16);
          return f;
        },
        'corrupt',
      ],
    ];
    it.each(refused)('refuses %s', async (_name, make, kind) => {
      await expectKind(make(), kind);
    });
  });
});
