// Files we write must open with the age command-line tool, and files it writes must open here.

import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  currentAeadImplementation,
  decrypt,
  encrypt,
  generateX25519Identity,
  setAeadImplementation,
} from '../../electron/vault/age';
import type { Recipient } from '../../electron/vault/age';

const AGE = '/usr/bin/age';
const AGE_KEYGEN = '/usr/bin/age-keygen';
const hasAge = existsSync(AGE) && existsSync(AGE_KEYGEN);
// `age -p` and passphrase decryption read from a terminal: `script` gives them a pty.
const hasScript = spawnSync('script', ['--version']).status === 0;

const dir = mkdtempSync(join(tmpdir(), 'kesi-age-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let counter = 0;
function path(name: string): string {
  return join(dir, `${counter++}-${name}`);
}

function write(name: string, data: Buffer | string): string {
  const p = path(name);
  writeFileSync(p, data);
  return p;
}

function age(args: string[]): Buffer {
  return execFileSync(AGE, args, { stdio: ['ignore', 'pipe', 'pipe'] });
}

function keyFile(identity: string): string {
  return write('key.txt', `# test key\n${identity}\n`);
}

const quote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

/** Runs age on a pty, answering each passphrase prompt with the next answer. */
function ageOnTty(
  args: string[],
  answers: string[],
): Promise<{ code: number | null; out: string }> {
  const command = [AGE, ...args].map(quote).join(' ');
  const child = spawn('script', ['-qec', command, '/dev/null'], { stdio: 'pipe' });
  let out = '';
  let answered = 0;
  const onData = (d: Buffer): void => {
    out += d.toString();
    const prompts = out.match(/passphrase/gi)?.length ?? 0;
    while (answered < Math.min(prompts, answers.length))
      child.stdin.write(`${answers[answered++]}\n`);
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  const timer = setTimeout(() => child.kill(), 60_000);
  return new Promise((resolve) => {
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, out });
    });
  });
}

const SIZES = [0, 1, 64 * 1024, 300 * 1024];

// Every test below runs on both ChaCha20-Poly1305 implementations: node:crypto, and the pure-JS
// fallback that Electron (BoringSSL) needs.
describe.skipIf(!hasAge).each(['native', 'fallback'] as const)(
  'age CLI interop (%s ChaCha20-Poly1305)',
  (implementation) => {
    beforeAll(async () => {
      await setAeadImplementation(implementation);
      expect(currentAeadImplementation()).toBe(implementation);
    });
    afterAll(() => setAeadImplementation('auto'));

    it.each(SIZES)('age decrypts what we encrypt to an X25519 recipient (%i bytes)', async (n) => {
      const { identity, recipient } = generateX25519Identity();
      const plain = randomBytes(n);
      const file = write('ours.age', await encrypt(plain, [{ type: 'x25519', recipient }]));
      expect(age(['-d', '-i', keyFile(identity), file]).equals(plain)).toBe(true);
    });

    it('age decrypts what we encrypt to two recipients, with either key', async () => {
      const a = generateX25519Identity();
      const keygen = execFileSync(AGE_KEYGEN).toString();
      const bKey = write('b.txt', keygen);
      const bRecipient = execFileSync(AGE_KEYGEN, ['-y', bKey]).toString().trim();
      const to: Recipient[] = [
        { type: 'x25519', recipient: a.recipient },
        { type: 'x25519', recipient: bRecipient },
      ];
      const plain = randomBytes(300 * 1024);
      const file = write('two.age', await encrypt(plain, to));
      expect(age(['-d', '-i', keyFile(a.identity), file]).equals(plain)).toBe(true);
      expect(age(['-d', '-i', bKey, file]).equals(plain)).toBe(true);
    });

    it.each(SIZES)('we decrypt what age encrypts to our recipient (%i bytes)', async (n) => {
      const { identity, recipient } = generateX25519Identity();
      const plain = randomBytes(n);
      const input = write('plain.bin', plain);
      const out = path('theirs.age');
      age(['-r', recipient, '-o', out, input]);
      expect((await decrypt(readFileSync(out), [{ type: 'x25519', identity }])).equals(plain)).toBe(
        true,
      );
    });

    it('we decrypt what age encrypts to several recipients, with an age-keygen key', async () => {
      const keygen = execFileSync(AGE_KEYGEN).toString();
      const identity = /^AGE-SECRET-KEY-1\S+$/m.exec(keygen)?.[0] ?? '';
      const recipient = /^# public key: (\S+)$/m.exec(keygen)?.[1] ?? '';
      const other = generateX25519Identity();
      const plain = randomBytes(300 * 1024 + 3);
      const out = path('theirs.age');
      age(['-r', other.recipient, '-r', recipient, '-o', out, write('plain.bin', plain)]);
      const file = readFileSync(out);
      expect((await decrypt(file, [{ type: 'x25519', identity }])).equals(plain)).toBe(true);
      expect(
        (await decrypt(file, [{ type: 'x25519', identity: other.identity }])).equals(plain),
      ).toBe(true);
      await expect(
        decrypt(file, [{ type: 'x25519', identity: generateX25519Identity().identity }]),
      ).rejects.toMatchObject({ kind: 'no-match' });
    });

    it('age refuses our files once damaged', async () => {
      const { identity, recipient } = generateX25519Identity();
      const file = await encrypt(randomBytes(300 * 1024), [{ type: 'x25519', recipient }]);
      file[file.length - 100]! ^= 1;
      expect(() => age(['-d', '-i', keyFile(identity), write('bad.age', file)])).toThrow();
    });

    it.skipIf(!hasScript)('age decrypts our passphrase file (default work factor)', async () => {
      const plain = randomBytes(300 * 1024);
      const file = write(
        'pass.age',
        await encrypt(plain, [{ type: 'scrypt', passphrase: 'kesi test pass' }]),
      );
      expect(readFileSync(file).toString('latin1')).toMatch(/^-> scrypt \S+ 18$/m);
      const out = path('pass.out');
      const wrong = await ageOnTty(['-d', '-o', out, file], ['not it']);
      expect(wrong.code).not.toBe(0);
      const right = await ageOnTty(['-d', '-o', out, file], ['kesi test pass']);
      expect(right.code, right.out).toBe(0);
      expect(readFileSync(out).equals(plain)).toBe(true);
    });

    it.skipIf(!hasScript)('we decrypt a passphrase file made by age -p', async () => {
      const plain = randomBytes(300 * 1024 + 1);
      const out = path('theirs-pass.age');
      const made = await ageOnTty(
        ['-p', '-o', out, write('plain.bin', plain)],
        ['their pass', 'their pass'],
      );
      expect(made.code, made.out).toBe(0);
      const file = readFileSync(out);
      expect(file.toString('latin1')).toMatch(/^-> scrypt \S+ 18$/m);
      expect(
        (await decrypt(file, [{ type: 'scrypt', passphrase: 'their pass' }])).equals(plain),
      ).toBe(true);
      await expect(decrypt(file, [{ type: 'scrypt', passphrase: 'nope' }])).rejects.toMatchObject({
        kind: 'no-match',
      });
    });
  },
);
