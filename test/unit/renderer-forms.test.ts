import { describe, expect, it } from 'vitest';
import type { Case, Item } from '../../shared/domain';
import {
  buildCaseInput,
  buildCasePatch,
  emptyCaseValues,
  isEmptyPatch,
  valuesFromCase,
} from '../../renderer/src/lib/caseForm';
import { buildExhibitInput, emptyExhibitValues } from '../../renderer/src/lib/exhibitForm';
import { buildItemPatch, isEmptyItemPatch, valuesFromItem } from '../../renderer/src/lib/itemForm';
import { buildPersonInput, emptyPersonValues } from '../../renderer/src/lib/personForm';

const CASE: Case = {
  id: 1,
  ref: 'IMLU-2026-014',
  title: 'Assault at Kisumu Central',
  obNumber: 'OB/12/2026',
  policeStation: null,
  county: 'Kisumu',
  incidentDate: '2026-03-02',
  court: null,
  courtCaseNumber: null,
  status: 'open',
  accountableOfficer: null,
  createdAt: '2026-03-03T08:00:00Z',
  updatedAt: '2026-03-03T08:00:00Z',
};

const ITEM: Item = {
  id: 7,
  caseId: 1,
  kind: 'medical_report',
  subtype: 'p3',
  title: 'P3 form',
  description: 'Filled at Kisumu County Hospital',
  exhibitNumber: 'E7',
  capturedAt: '2026-03-02T09:15:00Z',
  capturedBy: null,
  source: null,
  originalName: 'p3.pdf',
  size: 1000,
  mediaType: 'application/pdf',
  sha256: 'a'.repeat(64),
  blobName: 'b',
  metadata: {},
  parentId: null,
  createdAt: '2026-03-03T08:00:00Z',
  createdBy: 1,
};

describe('case form', () => {
  it('makes a CaseInput without the empty optional fields', () => {
    const r = buildCaseInput({
      ...emptyCaseValues(),
      ref: ' IMLU-2026-014 ',
      title: ' Assault ',
      county: 'Kisumu',
    });
    expect(r).toEqual({
      ok: true,
      value: { ref: 'IMLU-2026-014', title: 'Assault', county: 'Kisumu' },
    });
  });

  it('names each field that is wrong, with a code the UI translates', () => {
    const r = buildCaseInput({ ...emptyCaseValues(), ref: 'bad ref!', title: '' });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problems['ref']?.code).toBe('format');
    expect(r.problems['title']?.code).toBe('required');
    const long = buildCaseInput({ ...emptyCaseValues(), ref: 'A-1', title: 'x'.repeat(301) });
    expect(long.ok ? null : long.problems['title']).toMatchObject({ code: 'tooLong', limit: 300 });
    const date = buildCaseInput({
      ...emptyCaseValues(),
      ref: 'A-1',
      title: 't',
      incidentDate: '2/3/26',
    });
    expect(date.ok ? null : date.problems['incidentDate']?.code).toBe('format');
  });

  it('sends only what changed when editing, never the reference', () => {
    const unchanged = buildCasePatch(CASE, valuesFromCase(CASE));
    expect(unchanged.ok && isEmptyPatch(unchanged.value)).toBe(true);
    const r = buildCasePatch(CASE, {
      ...valuesFromCase(CASE),
      ref: 'OTHER',
      title: 'Assault at Kisumu Central police station',
      obNumber: '',
      status: 'closed',
    });
    expect(r).toEqual({
      ok: true,
      value: { title: 'Assault at Kisumu Central police station', obNumber: '', status: 'closed' },
    });
  });

  it('refuses to clear a date (the service cannot), with a problem on that field', () => {
    const r = buildCasePatch(CASE, { ...valuesFromCase(CASE), incidentDate: '' });
    expect(r.ok ? null : r.problems['incidentDate']?.code).toBe('custom');
  });
});

describe('person form', () => {
  it('needs a pseudonym for a protected person', () => {
    const r = buildPersonInput({ ...emptyPersonValues(), fullName: 'Achieng', protected: true });
    expect(r.ok ? null : r.problems['pseudonym']?.code).toBe('custom');
    const ok = buildPersonInput({
      ...emptyPersonValues(),
      fullName: ' Achieng ',
      protected: true,
      pseudonym: 'Witness A',
    });
    expect(ok).toEqual({
      ok: true,
      value: {
        role: 'survivor',
        fullName: 'Achieng',
        pseudonym: 'Witness A',
        protected: true,
        minor: false,
      },
    });
  });
});

describe('item form', () => {
  it('sends changes only; a cleared field becomes null; times go back with +03:00', () => {
    const v = valuesFromItem(ITEM);
    expect(v.capturedAt).toBe('2026-03-02T12:15');
    const same = buildItemPatch(ITEM, { ...v, reason: 'no change' });
    expect(same.ok && isEmptyItemPatch(same.value)).toBe(true);
    const r = buildItemPatch(ITEM, {
      ...v,
      description: '',
      capturedAt: '2026-03-02T13:00',
      subtype: '',
      reason: 'Time read from the form',
    });
    expect(r).toEqual({
      ok: true,
      value: {
        description: null,
        capturedAt: '2026-03-02T13:00:00+03:00',
        subtype: null,
        reason: 'Time read from the form',
      },
    });
  });

  it('keeps a title', () => {
    const r = buildItemPatch(ITEM, { ...valuesFromItem(ITEM), title: '  ' });
    expect(r.ok ? null : r.problems['title']?.code).toBe('required');
  });
});

describe('physical exhibit form', () => {
  it('makes an ExhibitInput with the collection time in EAT', () => {
    const r = buildExhibitInput({
      ...emptyExhibitValues(),
      title: 'Blood-stained shirt',
      seal: 'S-0012',
      capturedAt: '2026-03-02T18:00',
    });
    expect(r).toEqual({
      ok: true,
      value: {
        title: 'Blood-stained shirt',
        seal: 'S-0012',
        capturedAt: '2026-03-02T18:00:00+03:00',
      },
    });
    const bad = buildExhibitInput(emptyExhibitValues());
    expect(bad.ok ? null : bad.problems['title']?.code).toBe('required');
  });
});
