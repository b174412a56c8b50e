import { describe, expect, it } from 'vitest';
import {
  eat,
  eatInputToIso,
  formatBytes,
  groupKey,
  isoToEatInput,
  normaliseRecoveryKey,
  shortHash,
} from '../../renderer/src/lib/format';
import { newPassphraseProblem } from '../../renderer/src/lib/passphrase';
import { snippetParts } from '../../renderer/src/lib/snippet';
import { newestFirst, shortId, summaryOf } from '../../renderer/src/lib/custody';
import { MAX_SCALE, MIN_SCALE, fitView, panBy, zoomAt } from '../../renderer/src/lib/zoom';
import type { CustodyEventView } from '../../shared/contract';

const KEY = 'AGE-SECRET-KEY-1QYQSZQGPQYQSZQGPQYQSZQGPQYQSZQGPQYQSZQGPQYQSZQGPQYQSZQGP3XJLKA';

describe('recovery key', () => {
  it('is printed in groups of four and typed back to the same key', () => {
    const grouped = groupKey(KEY);
    const [head, ...groups] = grouped.split(' ');
    expect(head).toBe('AGE-SECRET-KEY-1');
    expect(groups.length).toBe(16);
    expect(groups.every((g) => g.length === 4 || g === groups[groups.length - 1])).toBe(true);
    expect(groupKey('abcdefghij')).toBe('ABCD EFGH IJ');
    expect(grouped.replace(/ /g, '')).toBe(KEY);
    expect(normaliseRecoveryKey(grouped)).toBe(KEY);
    expect(normaliseRecoveryKey(`  ${grouped.toLowerCase().replace(/ /g, '\n')}\n`)).toBe(KEY);
  });
});

describe('formatters', () => {
  it('shorten hashes and size files', () => {
    expect(shortHash('a'.repeat(64))).toBe('a'.repeat(12));
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(1023)).toBe('1023 B');
    expect(formatBytes(1536)).toBe('1.5 KB');
    expect(formatBytes(10 * 1024 * 1024)).toBe('10 MB');
    expect(formatBytes(4 * 1024 ** 3)).toBe('4.0 GB');
    expect(formatBytes(-1)).toBe('');
  });

  it('show times in EAT and take EAT wall time back with its offset', () => {
    expect(eat('2026-11-21T21:30:00Z')).toBe('2026-11-22 00:30 EAT');
    expect(eat(null)).toBe('');
    expect(eatInputToIso('2026-11-22T00:30')).toBe('2026-11-22T00:30:00+03:00');
    expect(eatInputToIso('')).toBeNull();
    expect(eatInputToIso('yesterday')).toBeNull();
    expect(isoToEatInput('2026-11-21T21:30:00Z')).toBe('2026-11-22T00:30');
    const back = eatInputToIso(isoToEatInput('2026-03-01T05:07:00.000Z'));
    expect(Date.parse(back ?? '')).toBe(Date.parse('2026-03-01T05:07:00Z'));
  });
});

describe('new passphrases', () => {
  it('need 8 characters (not bytes) and the same text twice', () => {
    expect(newPassphraseProblem('', '')).toBe('required');
    expect(newPassphraseProblem('short', 'short')).toBe('tooShort');
    expect(newPassphraseProblem('😀😀😀😀😀😀😀', '😀😀😀😀😀😀😀')).toBe('tooShort');
    expect(newPassphraseProblem('correct horse', 'correct horsf')).toBe('mismatch');
    expect(newPassphraseProblem('correct horse', 'correct horse')).toBeNull();
  });
});

describe('search snippets', () => {
  it('split into marked and plain parts, never HTML', () => {
    expect(snippetParts('…the [beating] at [Kisumu]…')).toEqual([
      { text: '…the ', mark: false },
      { text: 'beating', mark: true },
      { text: ' at ', mark: false },
      { text: 'Kisumu', mark: true },
      { text: '…', mark: false },
    ]);
    expect(snippetParts('<img src=x onerror=alert(1)>')).toEqual([
      { text: '<img src=x onerror=alert(1)>', mark: false },
    ]);
    expect(snippetParts('an [open bracket only')).toEqual([
      { text: 'an [open bracket only', mark: false },
    ]);
    expect(snippetParts('')).toEqual([]);
  });
});

describe('custody timeline', () => {
  const ev = (seq: number, details: Record<string, unknown> = {}): CustodyEventView => ({
    v: 1,
    chain: 'case:1',
    seq,
    prev: null,
    action: 'view',
    caseUid: null,
    itemUid: null,
    actor: { user: 'amina', keyId: 'k' },
    at: '2026-11-21T10:00:00Z',
    place: null,
    reason: null,
    details,
    app: 'kesi',
    hash: 'h',
    sig: 's',
  });

  it('shows the newest events first, a page at a time', () => {
    const events = Array.from({ length: 500 }, (_, i) => ev(i + 1));
    const page = newestFirst(events, 200);
    expect(page).toHaveLength(200);
    expect(page[0]?.seq).toBe(500);
    expect(page[199]?.seq).toBe(301);
    expect(newestFirst([], 10)).toEqual([]);
  });

  it('sums up each action in words, not JSON', () => {
    const at = (action: string, details: Record<string, unknown>) => ({
      ...ev(1),
      action,
      details,
    });
    expect(
      summaryOf(
        at('intake', {
          kind: 'photo',
          originalName: 'a.jpg',
          mediaType: 'image/jpeg',
          size: 1536,
          derivatives: [{ kind: 'page' }, { kind: 'thumbnail' }],
        }),
      ),
    ).toEqual([
      { key: 'file', values: { name: 'a.jpg', type: 'image/jpeg', size: '1.5 KB' } },
      { key: 'previews', values: { list: 'page, thumbnail' } },
    ]);
    expect(
      summaryOf(
        at('transfer', {
          from: { name: 'Amina', organisation: null, place: 'Nairobi', seal: null },
          to: { name: 'Dr. Oduor', organisation: 'Government Chemist', place: null, seal: 'S-19' },
        }),
      ),
    ).toEqual([
      { key: 'transfer', values: { from: 'Amina, Nairobi', to: 'Dr. Oduor (Government Chemist)' } },
      { key: 'seal', values: { seal: 'S-19' } },
    ]);
    expect(
      summaryOf(
        at('export', { pages: 12, fileName: 'b.pdf', bundle: { title: 'T', exhibits: 3 } }),
      ),
    ).toEqual([
      { key: 'bundle', values: { title: 'T', pages: 12, exhibits: 3 } },
      { key: 'savedAs', values: { file: 'b.pdf' } },
    ]);
    expect(summaryOf(at('view', { sha256: 'x' }))).toEqual([{ key: 'opened', values: {} }]);
    expect(
      summaryOf(
        at('edit', {
          item: { title: { from: 'Old', to: 'New' }, source: { from: null, to: 'x'.repeat(300) } },
        }),
      ),
    ).toEqual([
      { key: 'changed', values: { field: 'title', from: 'Old', to: 'New' } },
      { key: 'changed', values: { field: 'source', from: '—', to: `${'x'.repeat(59)}…` } },
    ]);
    expect(summaryOf(at('tree_head', { size: 3 }))).toEqual([]);
  });

  it('shortens hashes and key ids at both ends', () => {
    expect(shortId('0123456789abcdef0123')).toBe('01234567…0123');
    expect(shortId('short')).toBe('short');
  });
});

describe('image zoom', () => {
  it('fits a large image whole and centred, and never enlarges a small one', () => {
    expect(fitView({ width: 4000, height: 2000 }, { width: 800, height: 600 })).toEqual({
      scale: 0.2,
      x: 0,
      y: 100,
    });
    expect(fitView({ width: 100, height: 50 }, { width: 800, height: 600 })).toEqual({
      scale: 1,
      x: 350,
      y: 275,
    });
    expect(fitView({ width: 0, height: 0 }, { width: 800, height: 600 }).scale).toBe(1);
  });

  it('keeps the point under the pointer in place, within the scale limits', () => {
    const v = { scale: 0.5, x: 10, y: 20 };
    const at = { x: 300, y: 200 };
    const z = zoomAt(v, 2, at);
    // The image point under `at` before and after is the same.
    expect((at.x - v.x) / v.scale).toBeCloseTo((at.x - z.x) / z.scale);
    expect((at.y - v.y) / v.scale).toBeCloseTo((at.y - z.y) / z.scale);
    expect(zoomAt(v, 1000, at).scale).toBe(MAX_SCALE);
    expect(zoomAt(v, 0.0001, at).scale).toBe(MIN_SCALE);
    expect(panBy(v, 5, -5)).toEqual({ scale: 0.5, x: 15, y: 15 });
  });
});
