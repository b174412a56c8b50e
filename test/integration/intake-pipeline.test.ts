// The intake pipeline prepares the next file while the current one commits. What must not change
// with it: files commit in batch order (the custody chain follows the batch), a duplicate of the
// file just before it (prepared before that one was recorded) is still linked rather than
// stored twice, one bad file in the middle stops nothing, and a cancel leaves whole items only.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cameraJpeg } from '../helpers/images';
import { tempDir } from '../helpers/tmp';
import { newVault } from '../helpers/vault';

async function photos(names: string[], seeds: number[]): Promise<string[]> {
  const d = tempDir();
  const paths: string[] = [];
  for (const [i, name] of names.entries()) {
    const p = join(d, name);
    writeFileSync(p, await cameraJpeg(400, 300, seeds[i] ?? i));
    paths.push(p);
  }
  return paths;
}

describe('intake pipeline', () => {
  it('commits in batch order and links a duplicate of the file just before it', async () => {
    const { service } = await newVault();
    service.createCase({ ref: 'P', title: 'Pipeline' });
    // c.jpg and d.jpg are the same photo: d is prepared while c commits.
    const names = ['a.jpg', 'b.jpg', 'c.jpg', 'd.jpg', 'e.txt', 'f.jpg'];
    const paths = await photos(names, [1, 2, 3, 3, 0, 5]);
    writeFileSync(paths[4]!, Buffer.alloc(0)); // an empty file in the middle
    const order: string[] = [];
    const results = await service.addFiles(
      { caseRef: 'P', paths },
      { onResult: (r) => order.push(r.file) },
    );
    expect(results.map((r) => r.error?.code ?? r.status)).toEqual([
      'added',
      'added',
      'added',
      'duplicate',
      'FILE_EMPTY',
      'added',
    ]);
    expect(order.map((f) => f.split('/').pop())).toEqual(names);
    expect(results[3]?.itemId).toBe(results[2]?.itemId);
    const items = service.listItems('P');
    expect(items.map((i) => i.originalName)).toEqual(['a.jpg', 'b.jpg', 'c.jpg', 'f.jpg']);
    const intakes = service
      .caseLog('P')
      .filter((e) => e.action === 'intake')
      .map((e) => e.details['originalName']);
    expect(intakes).toEqual(['a.jpg', 'b.jpg', 'c.jpg', 'f.jpg']);
    // Every item has its two derivatives; the duplicate's blobs were the same files: no leftover.
    for (const it of items)
      expect(service.vault.catalogue.derivatives.listByItem(it.id)).toHaveLength(2);
    const audit = await service.audit();
    expect(audit.problems).toEqual([]);
    service.lock();
  });

  it('a cancel while the next file is being prepared records nothing of it', async () => {
    const { service } = await newVault();
    service.createCase({ ref: 'Q', title: 'Cancel in the pipeline' });
    const paths = await photos(['1.jpg', '2.jpg', '3.jpg', '4.jpg'], [11, 12, 13, 14]);
    const ac = new AbortController();
    const results = await service.addFiles(
      { caseRef: 'Q', paths },
      {
        signal: ac.signal,
        onResult: (r) => {
          if (r.file.endsWith('1.jpg')) ac.abort();
        },
      },
    );
    expect(results.map((r) => r.error?.code ?? r.status)).toEqual([
      'added',
      'CANCELLED',
      'CANCELLED',
      'CANCELLED',
    ]);
    expect(service.listItems('Q')).toHaveLength(1);
    // The second file's blobs may have been written: leftovers, which the cleanup removes.
    service.cleanup({ minAgeMinutes: 0 });
    const audit = await service.audit();
    expect(audit.problems).toEqual([]);
    service.lock();
  });
});
