// `kesi demo` and `kesi bundle …` end to end through the built command (bundle worker thread,
// real scrypt cost), checked with qpdf, pdfinfo, pdfsig and pdfdetach.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { BundleSpec } from '../../shared/bundle-spec';
import { hasTools, tool, toolResult } from '../helpers/bundle';
import { kesi } from '../helpers/cli';
import { tempDir } from '../helpers/tmp';

const COVER = [
  '--court',
  "Chief Magistrate's Court at Milimani",
  '--case-number',
  'Criminal Case No. E123 of 2026',
  '--parties',
  'Republic v. Kiprono Kibet Langat',
  '--prepared-by',
  'Achieng Atieno Odera, IMLU',
  '--date',
  '2026-04-02',
];

function sha256(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

describe.runIf(hasTools())('kesi demo and kesi bundle', () => {
  it('does the whole job in a few commands, and again byte for byte from an edited spec', () => {
    const d = tempDir('kesi-cli-bundle-');
    const vault = join(d, 'vault');
    const env = {
      KESI_VAULT: vault,
      KESI_USER: 'amina',
      KESI_PASSPHRASE: 'amina long passphrase',
    };

    const demo = kesi(['demo', vault, '--json'], env);
    expect(demo.code, demo.stderr).toBe(0);
    expect(JSON.parse(demo.stdout)).toMatchObject({ caseRef: 'DEMO-2026-001', admin: 'amina' });
    expect(kesi(['demo', vault], env).code).toBe(1); // not an empty folder any more

    // 1. Everything, in the default order.
    const out = join(d, 'bundle.pdf');
    const all = kesi(['bundle', 'DEMO-2026-001', '--all', ...COVER, '--out', out], env);
    expect(all.code, all.stderr).toBe(0);
    expect(all.stdout).toMatch(/^Pages: +\d+$/m);
    const pages = Number(/^Pages: +(\d+)$/m.exec(all.stdout)?.[1]);
    expect(all.stdout).toContain(`SHA-256:   ${sha256(out)}`);
    expect(all.stderr).toMatch(/exhibits 8\/8, \d+ pages/); // progress goes to stderr
    expect(readdirSync(d).sort()).toEqual(['bundle.pdf', 'vault']);
    expect(toolResult('qpdf', ['--check', out]).code).toBe(0);
    expect(Number(/Pages:\s+(\d+)/.exec(tool('pdfinfo', [out]))?.[1])).toBe(pages);
    expect(toolResult('pdfsig', ['-nocert', out]).out).toContain('Signature is Valid');
    expect(tool('pdfdetach', ['-list', out])).toContain('kesi-manifest.json');

    const list = JSON.parse(kesi(['bundle', 'list', 'DEMO-2026-001', '--json'], env).stdout) as {
      uid: string;
      lastSha256: string;
    }[];
    expect(list).toHaveLength(1);
    expect(list[0]?.lastSha256).toBe(sha256(out));

    // 2. The default spec as JSON, edited: photographs first, renumbered.
    const specFile = join(d, 'spec.json');
    const spec = kesi(['bundle', 'spec', 'DEMO-2026-001', ...COVER, '--out', specFile], env);
    expect(spec.code, spec.stderr).toBe(0);
    const edited = JSON.parse(readFileSync(specFile, 'utf8')) as BundleSpec;
    const photos = edited.sections.find((s) => s.title === 'Photographs');
    expect(photos).toBeDefined();
    edited.sections = [photos!, ...edited.sections.filter((s) => s !== photos)];
    let n = 0;
    for (const s of edited.sections) for (const it of s.items) it.exhibitNumber = `P${++n}`;
    edited.title = 'Bundle of photographs and documents';
    writeFileSync(specFile, JSON.stringify(edited, null, 2));
    const saved = kesi(['bundle', 'save', specFile, '--json'], env);
    expect(saved.code, saved.stderr).toBe(0);
    const uid = (JSON.parse(saved.stdout) as { uid: string }).uid;

    const shown = JSON.parse(kesi(['bundle', 'show', uid, '--json'], env).stdout) as {
      spec: BundleSpec;
    };
    expect(shown.spec).toEqual(edited);
    const table = kesi(['bundle', 'show', uid], env).stdout;
    expect(table).toMatch(/^Photographs +P1 /m);

    const a = join(d, 'a.pdf');
    const b = join(d, 'b.pdf');
    const makeA = kesi(['bundle', 'make', uid, '--out', a], env);
    expect(makeA.code, makeA.stderr).toBe(0);
    // The generation time it printed, given back in Nairobi time (+03:00): the same file.
    const iso = /^Generated: .*\((.+)\)$/m.exec(makeA.stdout)?.[1] ?? '';
    const eat = new Date(Date.parse(iso) + 3 * 3600_000).toISOString().replace('Z', '+03:00');
    const makeB = kesi(['bundle', 'make', uid, '--at', eat, '--out', b, '--json'], env);
    expect(makeB.code, makeB.stderr).toBe(0);
    expect(sha256(a)).toBe(sha256(b));
    expect(JSON.parse(makeB.stdout)).toMatchObject({
      bundle: uid,
      sha256: sha256(a),
      generatedAt: iso,
    });
    const text = tool('pdftotext', [a, '-']);
    expect(text).toMatch(/BUNDLE OF PHOTOGRAPHS AND\s+DOCUMENTS/);
    expect(text).toMatch(/Page \d+ — P1\b/);

    // The export of both is in the case log, with the file's SHA-256.
    const log = JSON.parse(kesi(['log', 'DEMO-2026-001', '--json'], env).stdout) as {
      action: string;
      itemUid: string | null;
      details: { sha256?: string };
    }[];
    const bundleExports = log.filter((e) => e.action === 'export' && e.itemUid === null);
    expect(bundleExports.map((e) => e.details.sha256)).toEqual([sha256(out), sha256(a), sha256(a)]);
    expect(kesi(['audit'], env).code).toBe(0);
  }, 180_000);

  it('says what is missing, and refuses a role that may not build bundles', () => {
    const d = tempDir('kesi-cli-bundle-');
    const vault = join(d, 'vault');
    const env = { KESI_VAULT: vault, KESI_USER: 'amina', KESI_PASSPHRASE: 'amina long passphrase' };
    expect(kesi(['demo', vault], env).code).toBe(0);

    const noAll = kesi(['bundle', 'DEMO-2026-001', ...COVER, '--out', join(d, 'x.pdf')], env);
    expect(noAll.code).toBe(2);
    expect(noAll.stderr).toContain('--all');
    const badAt = kesi(
      [
        'bundle',
        'DEMO-2026-001',
        '--all',
        ...COVER,
        '--at',
        'yesterday',
        '--out',
        join(d, 'x.pdf'),
      ],
      env,
    );
    expect(badAt.code).toBe(2);
    expect(badAt.stderr).toContain('is not a time');

    const added = kesi(['user', 'add', 'kamau', '--role', 'investigator'], {
      ...env,
      KESI_NEW_PASSPHRASE: 'kamau long passphrase',
    });
    expect(added.code, added.stderr).toBe(0);
    const inv = { ...env, KESI_USER: 'kamau', KESI_PASSPHRASE: 'kamau long passphrase' };
    const refused = kesi(
      ['bundle', 'DEMO-2026-001', '--all', ...COVER, '--out', join(d, 'x.pdf')],
      inv,
    );
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('[FORBIDDEN]');
    expect(existsSync(join(d, 'x.pdf'))).toBe(false);
    expect(readdirSync(d)).toEqual(['vault']);
  }, 120_000);
});
