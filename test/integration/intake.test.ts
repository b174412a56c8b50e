// The intake pipeline through the service, on real vaults: the shared corpus, folders, bad
// input of every kind, progress and cancel, and the custody events intake writes.
import { execFileSync } from 'node:child_process';
import {
  closeSync,
  ftruncateSync,
  mkdirSync,
  openSync,
  readdirSync,
  symlinkSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { verifyChain } from '../../electron/custody/verify-chain';
import { caseChainId } from '../../electron/custody/log';
import { fileError } from '../../electron/service/files';
import { KesiService } from '../../electron/service/service';
import { unlockVault } from '../../electron/vault/vault';
import { CORPUS, EXPECTED, corpusFiles } from '../fixtures/corpus-expectations';
import { cameraJpeg, pngBomb } from '../helpers/images';
import { tempDir } from '../helpers/tmp';
import { newVault } from '../helpers/vault';

describe('intake through the service', () => {
  it('takes in every corpus file or refuses it with its specific error, in one batch', async () => {
    const { service } = await newVault();
    service.createCase({ ref: 'CORPUS', title: 'Every real-world file' });
    const files = corpusFiles();
    const results = await service.addFiles({
      caseRef: 'CORPUS',
      paths: files.map((f) => join(CORPUS, f)),
    });
    expect(results).toHaveLength(files.length);
    const c = service.getCase('CORPUS');
    const items = new Map(service.listItems('CORPUS').map((i) => [i.id, i]));
    for (const [i, name] of files.entries()) {
      const r = results[i]!;
      const want = EXPECTED[name]!;
      if ('refuse' in want) {
        expect(r.status, name).toBe('error');
        expect(r.error?.code, name).toBe(want.refuse);
        expect(r.error?.message.length, name).toBeGreaterThan(10);
      } else {
        expect(r.status, `${name}: ${r.error?.message}`).toBe('added');
        const item = items.get(r.itemId!)!;
        expect(item.mediaType, name).toBe(want.accept);
        expect(item.originalName).toBe(name);
        if (want.accept.startsWith('image/') && !want.previewOptional) {
          const kinds = service.vault.catalogue.derivatives
            .listByItem(item.id)
            .map((d) => d.kind)
            .sort();
          expect(kinds, name).toEqual(['page_image', 'thumbnail']);
        }
      }
    }
    // One intake event per added item, in a chain that verifies.
    const events = service.log.chainEvents(caseChainId(c.uid));
    expect(events.filter((e) => e.action === 'intake')).toHaveLength(items.size);
    expect(
      verifyChain(events, service.log.keys(), { signatures: true }).filter(
        (p) => p.severity === 'error',
      ),
    ).toEqual([]);
    service.lock();
  });

  it('walks folders, skips operating-system litter, keeps names that are not UTF-8', async () => {
    const { service } = await newVault();
    service.createCase({ ref: 'F', title: 'Folders' });
    const root = join(tempDir(), 'drop');
    mkdirSync(join(root, 'photos', 'day 2'), { recursive: true });
    writeFileSync(join(root, 'statement.txt'), 'Statement of the witness.\n');
    writeFileSync(join(root, 'photos', 'a.jpg'), await cameraJpeg(320, 240, 1));
    writeFileSync(join(root, 'photos', 'day 2', 'b.jpg'), await cameraJpeg(320, 240, 2));
    writeFileSync(join(root, '.DS_Store'), 'junk');
    writeFileSync(join(root, 'Thumbs.db'), 'junk');
    // A Latin-1 name from an old Windows machine: "Wanjirü.txt" with byte 0xFC.
    const latin1 = Buffer.concat([
      Buffer.from(root + '/Wanjir'),
      Buffer.from([0xfc]),
      Buffer.from('.txt'),
    ]);
    writeFileSync(latin1, 'P3 notes');
    const long = 'm'.repeat(251) + '.txt';
    writeFileSync(join(root, long), 'a very long name');
    const results = await service.addFiles({ caseRef: 'F', paths: [root] });
    expect(results.map((r) => r.status)).toEqual(['added', 'added', 'added', 'added', 'added']);
    const items = service.listItems('F');
    const odd = items.find((i) => i.originalName?.startsWith('Wanjir'))!;
    expect(odd.originalName).toBe('Wanjir\uFFFD.txt');
    expect(odd.metadata['originalNameHex']).toBe(
      Buffer.from('Wanjir\xfc.txt', 'latin1').toString('hex'),
    );
    expect(items.find((i) => i.originalName === long)).toBeDefined();
    expect(items.map((i) => i.kind).sort()).toEqual([
      'document',
      'document',
      'document',
      'photo',
      'photo',
    ]);
    service.lock();
  });

  it('refuses bad input with specific errors and goes on with the batch', async () => {
    const { service } = await newVault();
    service.createCase({ ref: 'BAD', title: 'Bad input' });
    const d = tempDir();
    const p = (f: string) => join(d, f);
    writeFileSync(p('empty.jpg'), '');
    writeFileSync(p('bomb.png'), pngBomb());
    writeFileSync(p('setup.exe'), Buffer.concat([Buffer.from('MZ'), Buffer.alloc(200, 1)]));
    writeFileSync(p('run.sh'), '#!/bin/sh\nrm -rf /\n');
    writeFileSync(p('data.bin'), Buffer.from([0, 1, 2, 3, 250, 251, 252, 0, 0, 7, 8, 9, 0, 255]));
    const jpeg = await cameraJpeg(400, 300, 3);
    writeFileSync(p('truncated.jpg'), jpeg.subarray(0, Math.floor(jpeg.length / 2)));
    writeFileSync(p('good.jpg'), jpeg);
    symlinkSync(p('good.jpg'), p('link.jpg'));
    execFileSync('mkfifo', [p('pipe')]);
    const names = [
      'empty.jpg',
      'bomb.png',
      'setup.exe',
      'run.sh',
      'data.bin',
      'truncated.jpg',
      'link.jpg',
      'pipe',
      'missing.pdf',
      'good.jpg',
    ];
    const results = await service.addFiles({ caseRef: 'BAD', paths: names.map(p) });
    expect(results.map((r) => r.error?.code ?? r.status)).toEqual([
      'FILE_EMPTY',
      'IMAGE_TOO_LARGE',
      'EXECUTABLE_REFUSED',
      'EXECUTABLE_REFUSED',
      'UNSUPPORTED_TYPE',
      'CORRUPT_IMAGE',
      'FILE_IS_SYMLINK',
      'FILE_NOT_REGULAR',
      'FILE_NOT_FOUND',
      'added',
    ]);
    for (const r of results.slice(0, -1))
      expect(r.error!.message, r.file).not.toMatch(/undefined|\[object/);
    // An unknown type can be forced in as "other document"; a program never.
    const forced = await service.addFiles({
      caseRef: 'BAD',
      paths: [p('data.bin'), p('setup.exe')],
      force: true,
    });
    expect(forced.map((r) => r.error?.code ?? r.status)).toEqual(['added', 'EXECUTABLE_REFUSED']);
    expect(service.getItem(forced[0]!.itemId!).kind).toBe('other');
    // Nothing half-done: exactly the two accepted items, no temp files.
    expect(service.listItems('BAD')).toHaveLength(2);
    expect(readdirSync(join(service.vault.dir, 'blobs', '.tmp'))).toEqual([]);
    service.lock();
  });

  it('maps file system failures to specific errors', () => {
    const err = (code: string) => Object.assign(new Error(code), { code });
    expect(fileError(err('EACCES'), '/x/p3.pdf').code).toBe('FILE_UNREADABLE');
    expect(fileError(err('EACCES'), '/x/p3.pdf').message).toContain('not allowed to read');
    expect(fileError(err('ENAMETOOLONG'), '/x').code).toBe('FILE_NAME_INVALID');
    expect(fileError(err('ENOENT'), '/x/Wanjir\uFFFD.txt').code).toBe('FILE_NAME_INVALID');
    expect(fileError(err('ENOENT'), '/x/a.txt').code).toBe('FILE_NOT_FOUND');
    expect(fileError(err('EIO'), '/x/a.txt').code).toBe('FILE_UNREADABLE');
  });

  it('streams a file over 4 GiB into the vault, and refuses files over the limit', async () => {
    const { dir, service: small } = await newVault();
    small.createCase({ ref: 'L', title: 'Large' });
    const d = tempDir();
    // A CCTV export: an MP4 header, then 4 GiB + 1 byte of (sparse) data.
    const big = join(d, 'cctv-export.mp4');
    const fd = openSync(big, 'w');
    const ftyp = Buffer.alloc(32);
    ftyp.writeUInt32BE(32, 0);
    ftyp.write('ftypisom', 4, 'latin1');
    ftyp.write('isomiso2avc1mp41', 16, 'latin1');
    writeSync(fd, ftyp);
    ftruncateSync(fd, 4 * 1024 ** 3 + 1);
    closeSync(fd);
    const progress: number[] = [];
    const [r] = await small.addFiles(
      { caseRef: 'L', paths: [big] },
      { onProgress: (p) => progress.push(p.doneBytes) },
    );
    expect(r?.status, r?.error?.message).toBe('added');
    const item = small.getItem(r!.itemId!);
    expect(item.size).toBe(4 * 1024 ** 3 + 1);
    expect(item.mediaType).toBe('video/mp4');
    expect(progress.at(-1)).toBe(4 * 1024 ** 3 + 1);
    small.lock();

    const { vault, user } = await unlockVault(dir, 'amina', 'correct horse battery staple');
    const limited = new KesiService(vault, user, { maxFileBytes: 1024 * 1024 });
    writeFileSync(join(d, 'two-mib.txt'), 'x'.repeat(2 * 1024 * 1024));
    const [tooBig] = await limited.addFiles({ caseRef: 'L', paths: [join(d, 'two-mib.txt')] });
    expect(tooBig?.error?.code).toBe('FILE_TOO_LARGE');
    expect(tooBig?.error?.message).toMatch(/2\.0 MiB.*1\.0 MiB/);
    limited.lock();
  });

  it('reports progress, and a cancel leaves only complete items', async () => {
    const { service } = await newVault();
    service.createCase({ ref: 'C', title: 'Cancel' });
    const d = tempDir();
    const paths = [1, 2, 3, 4].map((i) => join(d, `statement-${i}.txt`));
    for (const [i, p] of paths.entries()) writeFileSync(p, `Statement ${i}\n`.repeat(20_000));
    const ac = new AbortController();
    const seen: string[] = [];
    const results = await service.addFiles(
      { caseRef: 'C', paths },
      {
        signal: ac.signal,
        onProgress: (p) => seen.push(`${p.index}/${p.total}`),
        onResult: (r) => {
          if (r.status === 'added' && r.file.endsWith('statement-2.txt')) ac.abort();
        },
      },
    );
    expect(results.map((r) => r.error?.code ?? r.status)).toEqual([
      'added',
      'added',
      'CANCELLED',
      'CANCELLED',
    ]);
    expect(seen).toContain('0/4');
    expect(seen).toContain('1/4');
    expect(service.listItems('C')).toHaveLength(2);
    expect(readdirSync(join(service.vault.dir, 'blobs', '.tmp'))).toEqual([]);
    service.lock();
  });

  it('links a duplicate instead of storing it again, and checks an expected hash', async () => {
    const { service } = await newVault();
    service.createCase({ ref: 'D', title: 'Duplicates' });
    const f = join(tempDir(), 'injury.jpg');
    writeFileSync(f, await cameraJpeg(300, 200, 9));
    const [a] = await service.addFiles({ caseRef: 'D', paths: [f] });
    const [b] = await service.addFiles({ caseRef: 'D', paths: [f] });
    expect(b).toMatchObject({ status: 'duplicate', itemId: a!.itemId, sha256: a!.sha256 });
    const [bad] = await service.addFiles({
      caseRef: 'D',
      paths: [f],
      expectSha256: '0'.repeat(64),
    });
    expect(bad?.error?.code).toBe('HASH_MISMATCH');
    expect(bad?.error?.message).toContain(a!.sha256!);
    const item = service.getItem(a!.itemId!);
    expect(item.capturedAt).toBe('2026-03-14T06:26:53.000Z'); // camera time, assumed EAT
    expect(item.metadata['make']).toBe('TECNO');
    service.lock();
  });
});

describe('custody events written by the service', () => {
  it('logs intake, views, exports, edits, transfers and reveals, and never a protected name', async () => {
    const { service } = await newVault({});
    const c = service.createCase({ ref: 'K-1', title: 'Killing at Mathare' });
    service.addPerson('K-1', {
      role: 'witness',
      fullName: 'Njeri Wambui Kamau',
      pseudonym: 'PW-1',
      protected: true,
      contact: '+254 722 000 111',
    });
    const f = join(tempDir(), 'scene.jpg');
    writeFileSync(f, await cameraJpeg(320, 240, 4));
    const [r] = await service.addFiles({
      caseRef: 'K-1',
      paths: [f],
      reason: 'Photos handed over by the family',
    });
    await service.readItem(r!.itemId!);
    await service.exportItem(r!.itemId!, join(tempDir(), 'copy.jpg'), 'Copy for the pathologist');
    service.updateItem(r!.itemId!, { exhibitNumber: 'PExh-1', reason: 'Numbered for the bundle' });
    const ex = service.addExhibit('K-1', {
      title: 'Blood-stained shirt',
      seal: 'IMLU-S-0042',
      place: 'Mathare',
      reason: 'Recovered at the scene',
    });
    service.transfer(ex.id, {
      to: 'Government Chemist',
      organisation: 'Government Chemist Department',
      place: 'Nairobi',
      seal: 'GC-77',
      reason: 'DNA analysis',
    });
    // A protected person's name and contact are withheld, and shown together on purpose.
    const person = service.listPersons('K-1')[0]!;
    expect(person).toMatchObject({ fullName: null, contact: null, displayName: 'PW-1' });
    expect(service.revealPerson(person.id, 'Preparing the witness summons')).toMatchObject({
      fullName: 'Njeri Wambui Kamau',
      contact: '+254 722 000 111',
    });

    const events = service.caseLog('K-1');
    expect(events.map((e) => e.action)).toEqual([
      'create',
      'edit',
      'intake',
      'view',
      'export',
      'edit',
      'intake',
      'transfer',
      'view',
    ]);
    expect(events[2]!.reason).toBe('Photos handed over by the family');
    expect(events[2]!.details['sha256']).toBe(r!.sha256);
    expect(events[5]!.details['item']).toEqual({ exhibitNumber: { from: null, to: 'PExh-1' } });
    expect(service.currentCustodian(ex.id)).toMatchObject({
      name: 'Government Chemist',
      seal: 'GC-77',
    });
    expect(service.currentCustodian(r!.itemId!)).toMatchObject({ name: 'amina' });
    expect(JSON.stringify(service.log.all())).not.toContain('Njeri');
    expect(
      verifyChain(events, service.log.keys(), { signatures: true }).filter(
        (p) => p.severity === 'error',
      ),
    ).toEqual([]);
    expect(c.uid).toMatch(/^[0-9a-f-]{36}$/);

    // The vault chain: creation, the first admin, and a tree head when the session locks.
    service.lock();
  });
});
