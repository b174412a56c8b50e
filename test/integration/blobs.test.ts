import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import {
  closeSync,
  openSync,
  readdirSync,
  readFileSync,
  statSync,
  writeFileSync,
  writeSync,
  symlinkSync,
  mkdirSync,
} from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { KesiError } from '../../shared/errors';
import { recipientOf } from '../../electron/vault/age';
import { tempDir } from '../helpers/tmp';
import { addUser, newVault, openAs } from '../helpers/vault';

function allFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile())
    .map((d) => join(d.parentPath, d.name));
}

function sha256File(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

describe('blob store through the service', () => {
  it('adds a 200 MB file and gets it back byte-identical', async () => {
    const { service } = await newVault();
    service.createCase({ ref: 'BIG', title: 'Large video' });
    const src = join(tempDir(), 'cctv.bin');
    const fd = openSync(src, 'w');
    const block = randomBytes(4 << 20);
    for (let i = 0; i < 50; i++) {
      block.writeUInt32LE(i, 0);
      writeSync(fd, block);
    }
    closeSync(fd);
    const expected = sha256File(src);
    const [r] = await service.addFiles({
      caseRef: 'BIG',
      paths: [src],
      kind: 'video',
      force: true,
    });
    expect(r).toMatchObject({ status: 'added', sha256: expected });
    const out = join(tempDir(), 'back.bin');
    await service.exportItem(r!.itemId!, out);
    expect(statSync(out).size).toBe(200 * 1024 * 1024);
    expect(sha256File(out)).toBe(expected);
    service.lock();
  });

  it('leaves no plaintext marker anywhere in the vault folder, the WAL included', async () => {
    const { dir, service } = await newVault();
    const marker = 'KESI-MARKER-d41d8cd98f00b204';
    service.createCase({ ref: 'M1', title: `Case ${marker}` });
    service.addPerson('M1', { role: 'witness', fullName: `Witness ${marker}` });
    const src = join(tempDir(), `${marker}.txt`);
    writeFileSync(src, `Statement of the witness.\n${marker}\nEnd.\n`.repeat(100));
    const [r] = await service.addFiles({
      caseRef: 'M1',
      paths: [src],
      title: `Statement ${marker}`,
      description: marker,
    });
    expect(r?.status).toBe('added');
    // Still open: the WAL holds the latest pages.
    const files = allFiles(dir);
    expect(files.some((f) => f.endsWith('catalogue.db-wal'))).toBe(true);
    for (const f of files) {
      const bytes = readFileSync(f);
      expect(bytes.includes(Buffer.from(marker, 'utf8')), f).toBe(false);
      expect(bytes.includes(Buffer.from(marker, 'utf16le')), f).toBe(false);
      expect(f).not.toContain(marker);
    }
    service.lock();
  });

  it('stores identical content once and reports a duplicate in the same case', async () => {
    const { dir, service } = await newVault();
    service.createCase({ ref: 'A', title: 'A' });
    service.createCase({ ref: 'B', title: 'B' });
    const src = join(tempDir(), 'photo.jpg');
    writeFileSync(src, randomBytes(100_000));
    const [a] = await service.addFiles({ caseRef: 'A', paths: [src], force: true });
    const [again] = await service.addFiles({ caseRef: 'A', paths: [src], force: true });
    const [b] = await service.addFiles({ caseRef: 'B', paths: [src], force: true });
    expect(a?.status).toBe('added');
    expect(again).toMatchObject({ status: 'duplicate', itemId: a!.itemId });
    expect(b?.status).toBe('added');
    expect(allFiles(join(dir, 'blobs')).filter((f) => !f.includes('.tmp'))).toHaveLength(1);
    service.lock();
  });

  it('names blobs by an HMAC: the file name is not the content hash', async () => {
    const { dir, service } = await newVault();
    service.createCase({ ref: 'A', title: 'A' });
    const src = join(tempDir(), 'x.txt');
    writeFileSync(src, 'hello');
    const [r] = await service.addFiles({ caseRef: 'A', paths: [src] });
    const [blob] = allFiles(join(dir, 'blobs'));
    const name = blob!.split('/').slice(-2).join('');
    expect(name).toMatch(/^[0-9a-f]{64}$/);
    expect(name).not.toBe(r!.sha256);
    service.lock();
  });

  it('detects a one-byte change in a blob on read, naming the item', async () => {
    const { service } = await newVault();
    service.createCase({ ref: 'T', title: 'Tamper' });
    const src = join(tempDir(), 'postmortem.pdf');
    writeFileSync(src, randomBytes(300_000));
    const [r] = await service.addFiles({
      caseRef: 'T',
      paths: [src],
      force: true,
      title: 'Post-mortem report',
      exhibitNumber: 'PExh-3',
    });
    const item = service.getItem(r!.itemId!);
    const path = service.vault.blobs.pathOf(item.blobName!);
    const bytes = readFileSync(path);
    bytes[bytes.length - 5000]! ^= 0x01;
    writeFileSync(path, bytes);
    const out = join(tempDir(), 'out.pdf');
    const e = (await service.exportItem(item.id, out).catch((x: unknown) => x)) as KesiError;
    expect(e).toBeInstanceOf(KesiError);
    expect(e.code).toBe('BLOB_CORRUPT');
    expect(e.message).toContain('Post-mortem report');
    expect(e.message).toContain('PExh-3');
    // No partial output is left behind.
    expect(readdirSync(join(out, '..'))).toEqual([]);
    service.lock();
  });

  it('refuses a file whose SHA-256 is not the expected one, showing both hashes', async () => {
    const { dir, service } = await newVault();
    service.createCase({ ref: 'H', title: 'Hash' });
    const src = join(tempDir(), 'field.jpg');
    writeFileSync(src, 'field capture');
    const wrong = 'a'.repeat(64);
    const [r] = await service.addFiles({ caseRef: 'H', paths: [src], expectSha256: wrong });
    expect(r?.status).toBe('error');
    expect(r?.error?.code).toBe('HASH_MISMATCH');
    expect(r?.error?.message).toContain(wrong);
    expect(r?.error?.message).toContain(sha256File(src));
    expect(service.listItems('H')).toHaveLength(0);
    expect(allFiles(join(dir, 'blobs'))).toHaveLength(0);
    const [ok] = await service.addFiles({
      caseRef: 'H',
      paths: [src],
      expectSha256: sha256File(src),
    });
    expect(ok?.status).toBe('added');
    service.lock();
  });

  it('gives each bad file its own error and goes on with the batch', async () => {
    const { service } = await newVault();
    service.createCase({ ref: 'B', title: 'Batch' });
    const d = tempDir();
    writeFileSync(join(d, 'empty.txt'), '');
    writeFileSync(join(d, 'good.txt'), 'good');
    symlinkSync(join(d, 'good.txt'), join(d, 'link.txt'));
    execFileSync('mkfifo', [join(d, 'folder')]);
    const results = await service.addFiles({
      caseRef: 'B',
      paths: ['empty.txt', 'missing.txt', 'link.txt', 'folder', 'good.txt'].map((f) => join(d, f)),
    });
    expect(results.map((r) => r.error?.code ?? r.status)).toEqual([
      'FILE_EMPTY',
      'FILE_NOT_FOUND',
      'FILE_IS_SYMLINK',
      'FILE_NOT_REGULAR',
      'added',
    ]);
    service.lock();
  });
});

describe('age interop on vault blobs', () => {
  it('age -d decrypts a blob the vault wrote, and the vault reads a blob age wrote', async () => {
    const { service } = await newVault();
    service.createCase({ ref: 'AGE', title: 'Interop' });
    const d = tempDir();
    const src = join(d, 'photo.bin');
    const content = randomBytes(200_000);
    writeFileSync(src, content);
    const [r] = await service.addFiles({ caseRef: 'AGE', paths: [src], force: true });
    const item = service.getItem(r!.itemId!);
    const keyFile = join(d, 'blob.key');
    writeFileSync(keyFile, service.vault.keyring.blobIdentity + '\n', { mode: 0o600 });

    const plain = execFileSync('age', [
      '-d',
      '-i',
      keyFile,
      service.vault.blobs.pathOf(item.blobName!),
    ]);
    expect(Buffer.compare(plain, content)).toBe(0);

    // The other way: the reference tool encrypts to the vault's blob recipient; the vault reads it.
    const other = randomBytes(150_000);
    const otherSha = createHash('sha256').update(other).digest('hex');
    const name = service.vault.blobs.nameFor(otherSha);
    const target = service.vault.blobs.pathOf(name);
    mkdirSync(join(target, '..'), { recursive: true });
    execFileSync('age', ['-r', recipientOf(service.vault.keyring.blobIdentity), '-o', target], {
      input: other,
    });
    const back = await service.vault.blobs.readBuffer(name, otherSha);
    expect(Buffer.compare(back, other)).toBe(0);
    service.lock();
  });
});

describe('roles', () => {
  it('an auditor cannot add, edit or delete; an investigator cannot manage users', async () => {
    const { dir, service } = await newVault();
    service.createCase({ ref: 'R', title: 'Roles' });
    const src = join(tempDir(), 'a.txt');
    writeFileSync(src, 'a');
    await service.addFiles({ caseRef: 'R', paths: [src] });
    const auditorPass = await addUser(service, 'auditor1', 'auditor');
    const invPass = await addUser(service, 'inv1', 'investigator');
    service.lock();

    const auditor = await openAs(dir, 'auditor1', auditorPass);
    const forbidden = (f: () => unknown) =>
      Promise.resolve()
        .then(f)
        .then(
          () => {
            throw new Error('allowed');
          },
          (e: KesiError) => expect(e.code).toBe('FORBIDDEN'),
        );
    await forbidden(() => auditor.createCase({ ref: 'X', title: 'x' }));
    await forbidden(() => auditor.updateCase('R', { title: 'changed' }));
    await forbidden(() => auditor.addPerson('R', { role: 'witness', fullName: 'W' }));
    await forbidden(() => auditor.addFiles({ caseRef: 'R', paths: [src] }));
    await forbidden(() =>
      auditor.addUser({ name: 'x', role: 'admin', passphrase: 'long enough pass' }),
    );
    await forbidden(() => auditor.removeUser('inv1'));
    // Reading is allowed.
    expect(auditor.listItems('R')).toHaveLength(1);
    auditor.lock();

    const inv = await openAs(dir, 'inv1', invPass);
    await forbidden(() => inv.removeUser('auditor1'));
    await forbidden(() => inv.changePassphrase('auditor1', 'another passphrase'));
    inv.createCase({ ref: 'R2', title: 'Allowed' });
    inv.lock();
  });
});
