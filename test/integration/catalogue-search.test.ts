// Full-text search over the encrypted catalogue: cases, persons and items, diacritics, and the
// rule that a protected person's real name is never matched and never shown.
import { describe, expect, it } from 'vitest';
import type { Catalogue } from '../../electron/catalogue';
import { ftsQuery } from '../../electron/catalogue';
import { newCatalogue, sha } from '../helpers/catalogue';

function seed() {
  const f = newCatalogue();
  const { cat, adminId } = f;
  const kisumu = cat.cases.insert({
    ref: 'IMLU-2026-014',
    title: 'Death in custody',
    obNumber: 'OB 23/14/03/2026',
    policeStation: 'Kondele Police Station',
    county: 'Kisumu',
    courtCaseNumber: 'HCCR E014 of 2026',
    createdBy: adminId,
  });
  const nairobi = cat.cases.insert({
    ref: 'IJM-2026-002',
    title: 'Torture at Mathare',
    policeStation: 'Muthaiga',
    county: 'Nairobi',
    createdBy: adminId,
  });
  const survivor = cat.persons.insert({
    caseId: kisumu.id,
    role: 'survivor',
    fullName: 'Wanjirū Kamau',
  });
  const witness = cat.persons.insert({
    caseId: kisumu.id,
    role: 'witness',
    fullName: 'Achieng Otieno',
    pseudonym: 'Witness PW3',
    protected: true,
    serviceNumber: null,
  });
  const officer = cat.persons.insert({
    caseId: nairobi.id,
    role: 'suspect_officer',
    fullName: 'Kiprotich Langat',
    serviceNumber: '2019004417',
  });
  const photo = cat.items.insert({
    caseId: kisumu.id,
    kind: 'photo',
    title: 'Bruising on left forearm',
    description: 'Photographed at the mortuary by the pathologist',
    exhibitNumber: 'PExh 7',
    originalName: 'IMG_2034 Wanjiru\u0304.jpg', // decomposed, as macOS names files
    size: 10,
    mediaType: 'image/jpeg',
    sha256: sha('photo'),
    blobName: 'a'.repeat(64),
    createdBy: adminId,
  });
  const statement = cat.items.insert({
    caseId: nairobi.id,
    kind: 'statement',
    title: 'Statement of the complainant',
    description: 'Describes the cell at Muthaiga',
    size: 10,
    mediaType: 'text/plain',
    sha256: sha('statement'),
    blobName: 'b'.repeat(64),
    createdBy: adminId,
  });
  return { ...f, kisumu, nairobi, survivor, witness, officer, photo, statement };
}

const keys = (cat: Catalogue, q: string, opts = {}) =>
  cat.search(q, opts).map((h) => `${h.type}:${h.id}`);

describe('catalogue search', () => {
  it('finds cases by reference, OB number, station, county and court case number', () => {
    const s = seed();
    const c = `case:${s.kisumu.id}`;
    for (const q of [
      'IMLU-2026-014',
      'imlu 014',
      'OB 23/14',
      'kondele',
      'KISUMU',
      'HCCR E014',
      'custody',
    ]) {
      expect(keys(s.cat, q), q).toContain(c);
    }
    const [hit] = s.cat.search('kondele');
    expect(hit).toMatchObject({
      type: 'case',
      id: s.kisumu.id,
      caseId: s.kisumu.id,
      caseRef: 'IMLU-2026-014',
      title: 'Death in custody',
    });
    expect(hit?.snippet).toContain('[Kondele]');
  });

  it('finds persons by name and service number, items by title, description, name and exhibit', () => {
    const s = seed();
    expect(keys(s.cat, 'Kiprotich')).toEqual([`person:${s.officer.id}`]);
    expect(keys(s.cat, '2019004417')).toEqual([`person:${s.officer.id}`]);
    expect(keys(s.cat, 'forearm')).toEqual([`item:${s.photo.id}`]);
    expect(keys(s.cat, 'mortuary pathologist')).toEqual([`item:${s.photo.id}`]);
    expect(keys(s.cat, 'IMG_2034')).toEqual([`item:${s.photo.id}`]);
    expect(keys(s.cat, 'PExh 7')).toEqual([`item:${s.photo.id}`]);
    expect(keys(s.cat, 'muthaiga').sort()).toEqual(
      [`case:${s.nairobi.id}`, `item:${s.statement.id}`].sort(),
    );
    const [item] = s.cat.search('forearm');
    expect(item).toMatchObject({
      caseId: s.kisumu.id,
      caseRef: 'IMLU-2026-014',
      title: 'Bruising on left forearm',
    });
    expect(item?.snippet).toContain('[forearm]');
  });

  it('ignores diacritics and case, and matches word prefixes', () => {
    const s = seed();
    const survivor = `person:${s.survivor.id}`;
    expect(keys(s.cat, 'wanjiru')).toContain(survivor);
    expect(keys(s.cat, 'WANJIRU')).toContain(survivor);
    expect(keys(s.cat, 'Wanjirū')).toContain(survivor);
    expect(keys(s.cat, 'wanj')).toContain(survivor);
    // The decomposed file name matches both spellings too.
    expect(keys(s.cat, 'wanjiru')).toContain(`item:${s.photo.id}`);
    expect(keys(s.cat, 'wanjirū kamau')).toEqual([survivor]);
    const hit = s.cat.search('wanjiru').find((h) => h.type === 'person');
    expect(hit).toMatchObject({ title: 'Wanjirū Kamau', caseRef: 'IMLU-2026-014' });
    expect(hit?.snippet).toBe('[Wanjirū] Kamau');
  });

  it('never matches or returns a protected person’s real name: a search cannot confirm who a witness is', () => {
    const s = seed();
    const witness = `person:${s.witness.id}`;
    for (const q of ['Achieng', 'otieno', 'achieng otieno']) {
      const hits = s.cat.search(q);
      expect(
        hits.map((h) => `${h.type}:${h.id}`),
        q,
      ).not.toContain(witness);
      expect(JSON.stringify(hits), q).not.toMatch(/achieng|otieno/i);
    }
    for (const q of ['PW3', 'witness']) {
      const hits = s.cat.search(q);
      expect(
        hits.map((h) => `${h.type}:${h.id}`),
        q,
      ).toContain(witness);
      const hit = hits.find((h) => h.type === 'person' && h.id === s.witness.id);
      expect(hit?.title).toBe('Witness PW3');
      expect(JSON.stringify(hits), q).not.toMatch(/achieng|otieno/i);
    }
    expect(s.cat.search('pw3')[0]?.snippet).toBe('Witness [PW3]');

    // Protecting someone later hides the name from then on; unprotecting shows it again.
    s.cat.persons.update(s.survivor.id, { protected: true, pseudonym: 'PW1' });
    const hidden = s.cat.search('wanjiru kamau', { caseId: s.kisumu.id });
    expect(hidden.map((h) => `${h.type}:${h.id}`)).not.toContain(`person:${s.survivor.id}`);
    expect(JSON.stringify(hidden)).not.toMatch(/kamau/i);
    expect(s.cat.search('PW1', { caseId: s.kisumu.id })[0]).toMatchObject({
      type: 'person',
      id: s.survivor.id,
      title: 'PW1',
    });
    s.cat.persons.update(s.survivor.id, { protected: false });
    expect(s.cat.search('kamau')[0]?.title).toBe('Wanjirū Kamau');

    // Different marks change nothing about what is shown.
    const marked = s.cat.search('Achieng', { mark: ['<b>', '</b>'] });
    expect(JSON.stringify(marked)).not.toMatch(/achieng/i);
  });

  it('keeps the index in step with updates and filters by case', () => {
    const s = seed();
    s.cat.items.update(s.photo.id, { title: 'Laceration on scalp', exhibitNumber: 'PExh 9' });
    expect(keys(s.cat, 'forearm')).toEqual([]);
    expect(keys(s.cat, 'laceration')).toEqual([`item:${s.photo.id}`]);
    expect(keys(s.cat, 'PExh 9')).toEqual([`item:${s.photo.id}`]);
    s.cat.cases.update(s.nairobi.id, { county: 'Kiambu' });
    expect(keys(s.cat, 'nairobi')).toEqual([]);
    expect(keys(s.cat, 'kiambu')).toEqual([`case:${s.nairobi.id}`]);
    s.cat.persons.update(s.officer.id, { serviceNumber: '77001' });
    expect(keys(s.cat, '2019004417')).toEqual([]);
    expect(keys(s.cat, '77001')).toEqual([`person:${s.officer.id}`]);

    expect(keys(s.cat, '2026', { caseId: s.nairobi.id })).toEqual([`case:${s.nairobi.id}`]);
    expect(keys(s.cat, 'statement', { caseId: s.kisumu.id })).toEqual([]);
    expect(s.cat.search('2026', { limit: 1 })).toHaveLength(1);
    expect(s.cat.integrityCheck()).toEqual([]);
  });

  it('treats query syntax typed by users as plain words', () => {
    const s = seed();
    for (const q of [
      '',
      '   ',
      '"',
      '*',
      'OR',
      'NEAR(',
      '"unterminated',
      'a AND (b',
      '-',
      '^x',
      'title:x',
    ]) {
      expect(() => s.cat.search(q), q).not.toThrow();
    }
    expect(s.cat.search('"')).toEqual([]);
    expect(keys(s.cat, '"kondele"')).toEqual([`case:${s.kisumu.id}`]);
    expect(keys(s.cat, 'secret:achieng')).toEqual([]);
    expect(ftsQuery('Wanjirū  "x" OR*')).toBe('{title body} : ("Wanjirū"* "x"* "OR"*)');
    expect(ftsQuery('  !! ')).toBeUndefined();
  });
});
