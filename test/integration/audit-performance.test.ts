// How long the vault audit takes on a working vault: about 2,000 custody events and 100 items
// (90 typed statements, 10 photos with their derivatives), every signature and stored file
// checked. The figure is printed; the bound only catches a gross slowdown.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import { lockVault } from '../../electron/vault/vault';
import { auditVault } from '../../electron/verify/audit';
import { cameraJpeg } from '../helpers/images';
import { tempDir } from '../helpers/tmp';
import { ADMIN, ADMIN_PASS, newVault, openAs } from '../helpers/vault';

describe('vault audit speed', () => {
  it('audits ~2,000 events and 100 items in well under a few seconds', async () => {
    const { dir, service } = await newVault();
    service.createCase({ ref: 'PERF-1', title: 'Deaths in custody, 2025' });
    service.createCase({ ref: 'PERF-2', title: 'Roadblock assaults, 2025' });
    const folder = tempDir();
    for (let i = 0; i < 90; i++) {
      writeFileSync(
        join(folder, `statement-${String(i).padStart(3, '0')}.txt`),
        `Statement of witness ${i}.\n${'I saw what happened at the station that night. '.repeat(40 + i)}\n`,
      );
    }
    for (let i = 0; i < 10; i++) {
      writeFileSync(join(folder, `photo-${i}.jpg`), await cameraJpeg(640, 480, 100 + i));
    }
    const results = await service.addFiles({ caseRef: 'PERF-1', paths: [folder] });
    expect(results.filter((r) => r.status === 'added')).toHaveLength(100);
    const ids = results.map((r) => r.itemId!);
    for (let i = 0; service.log.count() < 2000; i++) {
      service.transfer(ids[i % ids.length]!, {
        to: i % 2 === 0 ? 'Government Chemist' : 'IMLU evidence room',
        reason: `Movement ${i}`,
      });
    }
    service.lock();

    const s = await openAs(dir, ADMIN, ADMIN_PASS);
    try {
      const t0 = performance.now();
      const phases: [string, number][] = [];
      const r = await auditVault(s.vault, {
        onProgress: (p) => {
          if (phases[phases.length - 1]?.[0] !== p.phase) phases.push([p.phase, performance.now()]);
        },
      });
      const ms = performance.now() - t0;
      const spent = phases.map(
        ([phase, at], i) => `${phase} ${((phases[i + 1]?.[1] ?? t0 + ms) - at).toFixed(0)}`,
      );
      expect(r.problems).toEqual([]);
      expect(r.counts).toMatchObject({ events: 2001, items: 100, derivatives: 20, blobs: 120 });
      console.log(
        `audit: ${r.counts.events} events in ${r.counts.chains} chains, ${r.counts.items} items, ` +
          `${r.counts.blobs} stored files (${(r.counts.bytesChecked / 2 ** 20).toFixed(1)} MiB): ` +
          `${ms.toFixed(0)} ms (${spent.join(', ')})`,
      );
      expect(ms).toBeLessThan(15_000);
    } finally {
      lockVault(s.vault);
    }
  });
});
