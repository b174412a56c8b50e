// Throughput of adding a 1 GiB file to the vault (hash + encrypt + write + fsync in one pass),
// next to references measured in the same run: openssl speed (SHA-256, ChaCha20-Poly1305), a
// plain dd with conv=fsync of the same size, and the pure-JS age implementation.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as pureAge from 'age-encryption';
import { ddFsync, machine, opensslSpeed, requireDist, ROOT, row } from './lib.mjs';

const MIB = Number(process.env.BENCH_MIB ?? 1024);
const work = mkdtempSync(join(process.env.BENCH_DIR ?? tmpdir(), 'kesi-bench-'));
try {
  const src = join(work, 'source.bin');
  const fd = openSync(src, 'w');
  const block = randomBytes(16 << 20);
  for (let i = 0; i < MIB / 16; i++) {
    block.writeUInt32LE(i, 0);
    writeSync(fd, block);
  }
  closeSync(fd);

  const sha = opensslSpeed('sha256');
  const chacha = opensslSpeed('chacha20-poly1305');
  const dd = ddFsync(join(work, 'dd.bin'), MIB);
  rmSync(join(work, 'dd.bin'));

  const child = JSON.parse(
    execFileSync(process.execPath, [join(ROOT, 'bench', 'vault-add-child.mjs'), work, src], {
      encoding: 'utf8',
    }),
  );
  const addMBs = (MIB * 2 ** 20) / child.seconds / 1e6;

  // age encryption alone, in memory: this implementation vs the pure-JS one, same 64 MiB.
  const { AgeEncryptor, generateX25519Identity } = requireDist('./vault/age/index.js');
  const data = randomBytes(64 << 20);
  const id = generateX25519Identity();
  let t0 = process.hrtime.bigint();
  const enc = await AgeEncryptor.create([{ type: 'x25519', recipient: id.recipient }]);
  for (let off = 0; off < data.length; off += 1 << 20)
    enc.push(data.subarray(off, off + (1 << 20)));
  enc.final();
  const oursMBs = data.length / (Number(process.hrtime.bigint() - t0) / 1e9) / 1e6;
  const e = new pureAge.Encrypter();
  e.addRecipient(id.recipient);
  t0 = process.hrtime.bigint();
  await e.encrypt(data);
  const pureMBs = data.length / (Number(process.hrtime.bigint() - t0) / 1e9) / 1e6;

  const date = new Date().toISOString().slice(0, 10);
  const f = (x) => x.toFixed(0);
  console.log(`\n## Vault add (${MIB} MiB file) — ${date}, ${machine()}\n`);
  console.log(row(['measure', 'MB/s', 'ratio', 'goal']));
  console.log(row(['---', '---', '---', '---']));
  console.log(row(['kesi add (hash+encrypt+write+fsync)', f(addMBs), '1.00', '≥ 200 MB/s']));
  console.log(
    row(['dd conv=fsync, same size', f(dd), `kesi/dd = ${(addMBs / dd).toFixed(2)}`, '≥ 0.8']),
  );
  console.log(
    row(['openssl speed sha256 (16 KiB)', f(sha), `kesi/sha = ${(addMBs / sha).toFixed(2)}`, '']),
  );
  console.log(
    row([
      'openssl speed chacha20-poly1305 (16 KiB)',
      f(chacha),
      `kesi/chacha = ${(addMBs / chacha).toFixed(2)}`,
      '',
    ]),
  );
  console.log(row(['age encrypt in memory, this implementation', f(oursMBs), '', '']));
  console.log(
    row([
      'age encrypt in memory, pure-JS age-encryption',
      f(pureMBs),
      `ours/pure-JS = ${(oursMBs / pureMBs).toFixed(1)}`,
      '≥ 3',
    ]),
  );
  console.log(row(['kesi add over pure-JS age', '', `${(addMBs / pureMBs).toFixed(1)}`, '≥ 3']));
  console.log(
    `\nPeak RSS of the adding process: ${child.maxRssMiB.toFixed(0)} MiB (goal < 200 MiB)\n`,
  );
} finally {
  rmSync(work, { recursive: true, force: true });
}
