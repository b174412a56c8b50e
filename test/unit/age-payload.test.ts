import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import type { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AgeDecryptor,
  AgeEncryptor,
  AgeError,
  DEFAULT_SCRYPT_LOG_N,
  HEADER_READ_SIZE,
  createDecryptStream,
  createEncryptStream,
  currentAeadImplementation,
  decrypt,
  encrypt,
  encryptedSize,
  generateX25519Identity,
  plaintextSize,
  setAeadImplementation,
} from '../../electron/vault/age';
import type { AgeErrorKind, Identity, Recipient } from '../../electron/vault/age';
import { encodeHeader } from '../../electron/vault/age/header';
import { parseRecipient } from '../../electron/vault/age/keys';
import { wrapX25519 } from '../../electron/vault/age/x25519';

const K = 64 * 1024;
const SIZES = [0, 1, 65535, 65536, 65537, 131072, 131073];
const keys = generateX25519Identity();
const to: Recipient[] = [{ type: 'x25519', recipient: keys.recipient }];
const ids: Identity[] = [{ type: 'x25519', identity: keys.identity }];

async function kindOf(p: Promise<unknown>): Promise<AgeErrorKind | 'ok' | 'other'> {
  try {
    await p;
    return 'ok';
  } catch (e) {
    return e instanceof AgeError ? e.kind : 'other';
  }
}

/** Splits `buf` into pieces of random sizes, some tiny. */
function randomPieces(buf: Buffer, max: number): Buffer[] {
  const out: Buffer[] = [];
  for (let off = 0; off < buf.length;) {
    const n =
      Math.random() < 0.2
        ? 1 + Math.floor(Math.random() * 20)
        : 1 + Math.floor(Math.random() * max);
    out.push(buf.subarray(off, off + n));
    off += n;
  }
  return out;
}

async function encryptIncrementally(plain: Buffer, pieces: Buffer[]): Promise<Buffer> {
  const enc = await AgeEncryptor.create(to);
  const out = [enc.header];
  for (const p of pieces) {
    const chunks = enc.push(p);
    for (const c of chunks) expect(c.length).toBe(K + 16);
    out.push(...chunks);
  }
  out.push(...enc.final());
  const file = Buffer.concat(out);
  expect(file.length).toBe(enc.header.length + encryptedSize(plain.length));
  return file;
}

async function decryptIncrementally(
  file: Buffer,
  pieces: (n: Buffer) => Buffer[],
): Promise<Buffer> {
  const { decryptor, consumed } = await AgeDecryptor.open(file.subarray(0, HEADER_READ_SIZE), ids);
  const out: Buffer[] = [];
  for (const p of pieces(file.subarray(consumed))) out.push(...decryptor.push(p));
  out.push(...decryptor.final());
  return Buffer.concat(out);
}

// Every test below runs on both ChaCha20-Poly1305 implementations: node:crypto, and the pure-JS
// fallback that Electron (BoringSSL) needs.
describe.each(['native', 'fallback'] as const)('%s ChaCha20-Poly1305', (implementation) => {
  beforeAll(async () => {
    await setAeadImplementation(implementation);
    expect(currentAeadImplementation()).toBe(implementation);
  });
  afterAll(() => setAeadImplementation('auto'));

  describe('age payload: chunk boundaries', () => {
    it.each(SIZES)('round-trips %i bytes', async (n) => {
      const plain = randomBytes(n);
      const file = await encrypt(plain, to);
      const chunks = Math.max(1, Math.ceil(n / K));
      expect(encryptedSize(n)).toBe(n + 16 * chunks);
      expect(plaintextSize(encryptedSize(n))).toBe(n);
      expect((await decrypt(file, ids)).equals(plain)).toBe(true);
      const pieces = randomPieces(plain, 100_000);
      const file2 = await encryptIncrementally(plain, pieces);
      expect((await decrypt(file2, ids)).equals(plain)).toBe(true);
      const back = await decryptIncrementally(file, (p) => randomPieces(p, 100_000));
      expect(back.equals(plain)).toBe(true);
    });

    it('emits whole chunks only, holding back a full chunk until it knows whether it is last', async () => {
      const enc = await AgeEncryptor.create(to);
      expect(enc.push(Buffer.alloc(K))).toHaveLength(0);
      expect(enc.push(Buffer.alloc(1))).toHaveLength(1);
      expect(enc.push(Buffer.alloc(3 * K))).toHaveLength(3);
      const last = enc.final();
      expect(last.map((c) => c.length)).toEqual([16 + 1]);
    });

    it('does not keep references to the buffers it is given', async () => {
      const plain = randomBytes(5 * K + 123);
      const readBuffer = Buffer.alloc(10_000);
      const enc = await AgeEncryptor.create(to);
      const out = [enc.header];
      for (let off = 0; off < plain.length; off += readBuffer.length) {
        const n = plain.copy(readBuffer, 0, off);
        out.push(...enc.push(readBuffer.subarray(0, n)));
        readBuffer.fill(0xee);
      }
      out.push(...enc.final());
      const file = Buffer.concat(out);

      const { decryptor, consumed } = await AgeDecryptor.open(file, ids);
      const plainOut: Buffer[] = [];
      const cipher = file.subarray(consumed);
      for (let off = 0; off < cipher.length; off += readBuffer.length) {
        const n = cipher.copy(readBuffer, 0, off);
        plainOut.push(...decryptor.push(readBuffer.subarray(0, n)).map((b) => Buffer.from(b)));
        readBuffer.fill(0xee);
      }
      plainOut.push(...decryptor.final());
      expect(Buffer.concat(plainOut).equals(plain)).toBe(true);
    });

    it('says how much of the file the header needs', async () => {
      const plain = randomBytes(1000);
      const file = await encrypt(plain, to);
      const enc = await AgeEncryptor.create(to);
      const { consumed } = await AgeDecryptor.open(file, ids);
      expect(consumed).toBe(enc.header.length);
      for (const n of [0, 10, consumed - 17, consumed - 1]) {
        expect(await kindOf(AgeDecryptor.open(file.subarray(0, n), ids))).toBe('truncated');
      }
      expect(await kindOf(AgeDecryptor.open(file.subarray(0, consumed), ids))).toBe('ok');
    });

    it('refuses a header larger than HEADER_READ_SIZE', async () => {
      const fileKey = randomBytes(16);
      const header = encodeHeader(
        [
          { type: 'big', args: [], body: randomBytes(HEADER_READ_SIZE) },
          wrapX25519(fileKey, parseRecipient(keys.recipient)),
        ],
        fileKey,
      );
      const file = Buffer.concat([header, randomBytes(100)]);
      expect(await kindOf(AgeDecryptor.open(file, ids))).toBe('bad-header');
      expect(await kindOf(AgeDecryptor.open(file.subarray(0, 5000), ids))).toBe('truncated');
    });
  });

  describe('age payload: damage', () => {
    const plain = randomBytes(3 * K + 500);
    // Made once the implementation is chosen, not when the tests are collected.
    let filePromise: Promise<Buffer>;
    beforeAll(() => {
      filePromise = encrypt(plain, to);
    });
    const headerLength = async (): Promise<number> =>
      (await AgeDecryptor.open(await filePromise, ids)).consumed;

    it('detects a changed header MAC', async () => {
      const file = Buffer.from(await filePromise);
      const at = file.indexOf('--- ') + 4;
      file[at] = file[at] === 0x41 ? 0x42 : 0x41;
      expect(await kindOf(decrypt(file, ids))).toBe('bad-mac');
    });

    it('detects a stanza added to the header', async () => {
      const file = await filePromise;
      const text = file.toString('latin1');
      const altered = Buffer.from(
        text.replace('\n-> X25519', '\n-> grease\n\n-> X25519'),
        'latin1',
      );
      expect(await kindOf(decrypt(altered, ids))).toBe('bad-mac');
    });

    it('detects a changed byte anywhere in the payload', async () => {
      const file = await filePromise;
      const start = await headerLength();
      const positions = [
        start - 16,
        start - 1,
        start,
        start + K + 15,
        start + K + 16 + 7,
        file.length - 17,
        file.length - 1,
      ];
      for (const at of positions) {
        const damaged = Buffer.from(file);
        damaged[at]! ^= 0x01;
        expect(await kindOf(decrypt(damaged, ids)), `byte ${at}`).toBe('corrupt');
      }
    });

    it('detects a file cut short or extended', async () => {
      const file = await filePromise;
      const start = await headerLength();
      const cut = (n: number): Promise<Buffer> => decrypt(file.subarray(0, n), ids);
      expect(await kindOf(cut(10))).toBe('truncated');
      expect(await kindOf(cut(start - 1))).toBe('truncated');
      expect(await kindOf(cut(start))).toBe('truncated');
      expect(await kindOf(cut(start + 8))).toBe('truncated');
      expect(await kindOf(cut(start + K + 16))).toBe('truncated');
      expect(await kindOf(cut(start + 3 * (K + 16)))).toBe('truncated');
      // Inside a chunk, a cut is indistinguishable from damage.
      expect(await kindOf(cut(start + K + 100))).toBe('corrupt');
      expect(await kindOf(cut(file.length - 1))).toBe('corrupt');
      expect(await kindOf(decrypt(Buffer.concat([file, Buffer.from([0])]), ids))).toBe('corrupt');
      expect(await kindOf(decrypt(Buffer.concat([file, file]), ids))).toBe('corrupt');
    });

    it('names a wrong key or passphrase as no-match', async () => {
      const other = generateX25519Identity();
      expect(
        await kindOf(decrypt(await filePromise, [{ type: 'x25519', identity: other.identity }])),
      ).toBe('no-match');
      expect(await kindOf(decrypt(await filePromise, [{ type: 'scrypt', passphrase: 'x' }]))).toBe(
        'no-match',
      );
      const locked = await encrypt(plain, [{ type: 'scrypt', passphrase: 'right', logN: 10 }]);
      expect(await kindOf(decrypt(locked, [{ type: 'scrypt', passphrase: 'wrong' }]))).toBe(
        'no-match',
      );
      expect(await kindOf(decrypt(locked, ids))).toBe('no-match');
      expect((await decrypt(locked, [{ type: 'scrypt', passphrase: 'right' }])).equals(plain)).toBe(
        true,
      );
    });
  });

  describe('age payload: recipients', () => {
    it('encrypts to several recipients, each of whom can decrypt', async () => {
      const a = generateX25519Identity();
      const b = generateX25519Identity();
      const plain = randomBytes(100);
      const file = await encrypt(plain, [
        { type: 'x25519', recipient: a.recipient },
        { type: 'x25519', recipient: b.recipient },
      ]);
      expect(file.toString('latin1').match(/^-> X25519 /gm)).toHaveLength(2);
      for (const id of [a, b]) {
        expect(
          (await decrypt(file, [{ type: 'x25519', identity: id.identity }])).equals(plain),
        ).toBe(true);
      }
    });

    it('uses a fresh file key, nonce and ephemeral share every time', async () => {
      const a = await encrypt(Buffer.from('same'), to);
      const b = await encrypt(Buffer.from('same'), to);
      expect(a.equals(b)).toBe(false);
      expect(a.subarray(0, 40).equals(b.subarray(0, 40))).toBe(false);
    });

    it(`defaults the scrypt work factor to ${DEFAULT_SCRYPT_LOG_N}`, async () => {
      expect(DEFAULT_SCRYPT_LOG_N).toBe(18);
      const file = await encrypt(Buffer.from('slot'), [{ type: 'scrypt', passphrase: 'p' }]);
      expect(file.toString('latin1')).toMatch(/^-> scrypt \S{22} 18$/m);
    });

    it('derives scrypt keys off the event loop', async () => {
      const file = await encrypt(Buffer.from('x'), [{ type: 'scrypt', passphrase: 'p', logN: 16 }]);
      let ticks = 0;
      const timer = setInterval(() => ticks++, 1);
      await decrypt(file, [{ type: 'scrypt', passphrase: 'p' }]);
      clearInterval(timer);
      expect(ticks).toBeGreaterThan(3);
    });
  });

  describe('age streams', () => {
    async function collect(source: Iterable<Buffer>, t: Transform): Promise<Buffer> {
      const out: Buffer[] = [];
      await pipeline(Readable.from(source), t, async (chunks: AsyncIterable<Buffer | string>) => {
        for await (const c of chunks) out.push(Buffer.from(c));
      });
      return Buffer.concat(out);
    }

    it.each([0, 1, K, 3 * K + 7])('round-trips %i bytes through streams', async (n) => {
      const plain = randomBytes(n);
      const file = await collect(randomPieces(plain, 50_000), await createEncryptStream(to));
      expect((await decrypt(file, ids)).equals(plain)).toBe(true);
      const back = await collect(randomPieces(file, 30_000), createDecryptStream(ids));
      expect(back.equals(plain)).toBe(true);
      // Byte by byte through the header.
      const bytewise = [...file.subarray(0, 300)].map((b) => Buffer.from([b]));
      const back2 = await collect([...bytewise, file.subarray(300)], createDecryptStream(ids));
      expect(back2.equals(plain)).toBe(true);
    });

    it('reports damage, truncation and a wrong key as stream errors', async () => {
      const file = await encrypt(randomBytes(2 * K + 3), to);
      const damaged = Buffer.from(file);
      damaged[damaged.length - 5]! ^= 1;
      const other = generateX25519Identity();
      const run = (f: Buffer, id: Identity[] = ids): Promise<unknown> =>
        collect(randomPieces(f, 40_000), createDecryptStream(id));
      expect(await kindOf(run(damaged))).toBe('corrupt');
      expect(await kindOf(run(file.subarray(0, file.length - (K + 16 + 3 + 16) + 0)))).toBe(
        'truncated',
      );
      expect(await kindOf(run(file.subarray(0, 50)))).toBe('truncated');
      expect(await kindOf(run(Buffer.alloc(0)))).toBe('truncated');
      expect(await kindOf(run(file, [{ type: 'x25519', identity: other.identity }]))).toBe(
        'no-match',
      );
      expect(await kindOf(run(Buffer.from('not an age file at all\n')))).toBe('bad-header');
    });

    it('encrypts to a passphrase through a stream', async () => {
      const plain = randomBytes(K + 1);
      const t = await createEncryptStream([{ type: 'scrypt', passphrase: 'p', logN: 10 }]);
      const file = await collect([plain], t);
      expect((await decrypt(file, [{ type: 'scrypt', passphrase: 'p' }])).equals(plain)).toBe(true);
    });
  });
});
