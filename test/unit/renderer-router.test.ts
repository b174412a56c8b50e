import { describe, expect, it } from 'vitest';
import { DEFAULT_SCREEN, formatRoute, intParam, parseHash } from '../../renderer/src/app/router';
import { nextIndex } from '../../renderer/src/lib/listKeys';

describe('hash routes', () => {
  it('round-trip a screen and its parameters, encoded', () => {
    const hash = formatRoute({ screen: 'case', ref: 'IMLU/2026 014', tab: 'evidence' });
    expect(hash).toBe('#/case?ref=IMLU%2F2026+014&tab=evidence');
    expect(parseHash(hash)).toEqual({
      screen: 'case',
      params: { ref: 'IMLU/2026 014', tab: 'evidence' },
    });
  });

  it('leave out empty parameters', () => {
    expect(formatRoute({ screen: 'item', itemId: 5, ref: undefined, q: '', x: null })).toBe(
      '#/item?itemId=5',
    );
  });

  it('fall back to the default screen for an empty or strange address', () => {
    expect(parseHash('').screen).toBe(DEFAULT_SCREEN);
    expect(parseHash('#/').screen).toBe(DEFAULT_SCREEN);
    expect(parseHash('#/../../etc?x=1').screen).toBe(DEFAULT_SCREEN);
    expect(parseHash('#/<script>').screen).toBe(DEFAULT_SCREEN);
    expect(parseHash('#/audit').screen).toBe('audit');
  });

  it('read positive integer parameters only', () => {
    expect(intParam({ itemId: '42' }, 'itemId')).toBe(42);
    for (const bad of ['0', '-1', '1.5', '1e3', '', ' 4', '0x10', '9999999999999999']) {
      expect(intParam({ itemId: bad }, 'itemId')).toBeNull();
    }
    expect(intParam({}, 'itemId')).toBeNull();
  });
});

describe('keyboard movement in lists and grids', () => {
  it('moves by one, by a page, and to the ends, never out of range', () => {
    expect(nextIndex('ArrowDown', 0, 10)).toBe(1);
    expect(nextIndex('ArrowDown', 9, 10)).toBe(9);
    expect(nextIndex('ArrowUp', 0, 10)).toBe(0);
    expect(nextIndex('PageDown', 2, 100, { page: 10 })).toBe(12);
    expect(nextIndex('PageUp', 5, 100, { page: 10 })).toBe(0);
    expect(nextIndex('Home', 50, 100)).toBe(0);
    expect(nextIndex('End', 0, 100)).toBe(99);
    expect(nextIndex('ArrowDown', 0, 0)).toBeNull();
  });

  it('moves by rows and columns in a grid; left and right do nothing in a list', () => {
    expect(nextIndex('ArrowDown', 1, 10, { columns: 4 })).toBe(5);
    expect(nextIndex('ArrowDown', 8, 10, { columns: 4 })).toBe(9);
    expect(nextIndex('ArrowRight', 3, 10, { columns: 4 })).toBe(4);
    expect(nextIndex('ArrowLeft', 0, 10, { columns: 4 })).toBe(0);
    expect(nextIndex('ArrowRight', 3, 10)).toBeNull();
    expect(nextIndex('a', 3, 10)).toBeNull();
  });
});
