import { describe, expect, it } from 'vitest';
import {
  NO_FILTERS,
  byIncidentDate,
  hasFilters,
  serviceFilter,
} from '../../renderer/src/lib/caseFilters';
import { filterItems, gridColumns } from '../../renderer/src/lib/itemFilter';
import { KENYA_COUNTIES } from '../../renderer/src/lib/counties';
import { viewerKind } from '../../renderer/src/lib/viewerKind';
import type { ItemKind } from '../../shared/domain';

describe('case filters', () => {
  it('send status, county and text to the service, trimmed, and nothing empty', () => {
    expect(serviceFilter(NO_FILTERS)).toEqual({});
    expect(
      serviceFilter({ text: ' kisumu ', status: 'open', county: 'Kisumu', from: '', to: '' }),
    ).toEqual({ text: 'kisumu', status: 'open', county: 'Kisumu' });
    expect(hasFilters(NO_FILTERS)).toBe(false);
    expect(hasFilters({ ...NO_FILTERS, to: '2026-01-01' })).toBe(true);
  });

  it('keep cases whose incident date is in the range, both ends included', () => {
    const cases = [
      { id: 1, incidentDate: '2026-01-01' },
      { id: 2, incidentDate: '2026-02-15' },
      { id: 3, incidentDate: '2026-03-31' },
      { id: 4, incidentDate: null },
    ];
    expect(byIncidentDate(cases, '', '').map((c) => c.id)).toEqual([1, 2, 3, 4]);
    expect(byIncidentDate(cases, '2026-02-15', '2026-03-31').map((c) => c.id)).toEqual([2, 3]);
    expect(byIncidentDate(cases, '', '2026-01-01').map((c) => c.id)).toEqual([1]);
    expect(byIncidentDate(cases, '2026-04-01', '').map((c) => c.id)).toEqual([]);
  });

  it('offer the 47 counties, once each', () => {
    expect(KENYA_COUNTIES).toHaveLength(47);
    expect(new Set(KENYA_COUNTIES).size).toBe(47);
  });
});

describe('evidence filter', () => {
  const items = Array.from({ length: 10_000 }, (_, i) => ({
    id: i + 1,
    kind: (i % 2 ? 'photo' : 'document') as ItemKind,
    title: i === 4321 ? 'Photo of injuries on the left arm' : `Item ${i + 1}`,
    exhibitNumber: `E${i + 1}`,
    originalName: `IMG_${i + 1}.jpg`,
    sha256: (i + 1).toString(16).padStart(64, 'c'),
  }));

  it('matches every word in title, exhibit number or file name, or a hash prefix', () => {
    expect(filterItems(items, 'left INJURIES', '').map((i) => i.id)).toEqual([4322]);
    expect(filterItems(items, 'e9999', '').map((i) => i.id)).toEqual([9999]);
    expect(filterItems(items, 'img_10000.jpg', '').map((i) => i.id)).toEqual([10000]);
    expect(filterItems(items, 'cccc', '').length).toBe(10_000);
    expect(filterItems(items, '', 'photo').length).toBe(5_000);
    expect(filterItems(items, 'left', 'document')).toEqual([]);
  });

  it('fits as many grid columns as there is room for', () => {
    expect(gridColumns(0, 200, 12)).toBe(1);
    expect(gridColumns(199, 200, 12)).toBe(1);
    expect(gridColumns(412, 200, 12)).toBe(2);
    expect(gridColumns(1259, 200, 12)).toBe(5);
    expect(gridColumns(1260, 200, 12)).toBe(6);
  });
});

describe('viewer choice', () => {
  it('shows images, PDFs, audio and video themselves, other files by their page image', () => {
    const k = (mediaType: string, blobName: string | null = 'b') =>
      viewerKind({ mediaType, blobName });
    expect(k('image/jpeg')).toBe('image');
    expect(k('IMAGE/PNG')).toBe('image');
    expect(k('application/pdf')).toBe('pdf');
    expect(k('audio/mpeg')).toBe('audio');
    expect(k('video/mp4')).toBe('video');
    expect(k('image/svg+xml')).toBe('page');
    expect(k('image/heic')).toBe('page');
    expect(k('video/3gpp')).toBe('page');
    expect(k('application/vnd.openxmlformats-officedocument.wordprocessingml.document')).toBe(
      'page',
    );
    expect(k('application/pdf', null)).toBe('none');
  });
});
