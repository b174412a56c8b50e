import { PDFDocument, degrees } from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import { sectionLetter } from '../../electron/bundle/assemble';
import { BundleFonts, loadFontFiles } from '../../electron/bundle/fonts';
import { displayToUser, stampPage, visibleBox, wrapText } from '../../electron/bundle/layout';
import {
  manifestBytes,
  signManifest,
  verifyManifestSignature,
  type BundleManifest,
} from '../../electron/bundle/manifest';
import { installFastStreamCopy, restoreStreamCopy } from '../../electron/bundle/stream-copy';
import { normaliseText, pseudonymiser } from '../../electron/bundle/text';
import {
  custodianText,
  durationText,
  kindName,
  longDate,
  sizeText,
} from '../../electron/bundle/words';
import { corpusFile, fixedKey, makePdf } from '../helpers/bundle';

async function fonts() {
  const doc = await PDFDocument.create({ updateMetadata: false });
  return { doc, fonts: await BundleFonts.embed(doc, loadFontFiles()) };
}

describe('line breaking', () => {
  it('fills lines up to the measure, never over it, and keeps every word', async () => {
    const { fonts: f } = await fonts();
    const text =
      'Nimetoa ushahidi huu kwa hiari yangu na ni kweli kwa kadiri ya ufahamu wangu, Wanjirū Mũthoni.';
    for (const width of [60, 120, 250, 400]) {
      const lines = wrapText(f, f.regular, text, 10, width);
      for (const l of lines) expect(f.width(f.regular, l, 10)).toBeLessThanOrEqual(width + 0.001);
      expect(lines.join(' ')).toBe(text);
    }
  });

  it('breaks a word longer than the line, after a hyphen or slash when it can', async () => {
    const { fonts: f } = await fonts();
    const long = 'https://example.org/a/very/long/path/that/does/not/fit/on/one/line/at/all';
    const lines = wrapText(f, f.regular, long, 10, 120);
    expect(lines.length).toBeGreaterThan(1);
    expect(lines.join('')).toBe(long);
    for (const l of lines) expect(f.width(f.regular, l, 10)).toBeLessThanOrEqual(120.001);
    const hex = 'a'.repeat(200);
    expect(wrapText(f, f.regular, hex, 10, 100).join('')).toBe(hex);
  });

  it('shows characters the font lacks as U+FFFD and drops invisible controls', async () => {
    const { fonts: f } = await fonts();
    expect(f.clean('Mũthoni\u200b 中文 \u0007ok')).toBe('Mũthoni \ufffd\ufffd ok');
    expect(f.clean('Wanjiru\u0304')).toBe('Wanjirū'); // NFC: u + combining macron
  });
});

describe('the stamp on rotated pages', () => {
  it('maps the displayed top right corner to user space for each /Rotate', () => {
    const box = { x: 10, y: 20, width: 600, height: 400 };
    // Displayed size: 600 x 400 at 0/180, 400 x 600 at 90/270.
    expect(displayToUser(box, 0, 600, 400)).toEqual({ x: 610, y: 420, angle: 0 });
    expect(displayToUser(box, 180, 600, 400)).toEqual({ x: 10, y: 20, angle: 180 });
    // Rotate 90 (clockwise): the displayed top is the user-space left edge.
    expect(displayToUser(box, 90, 400, 600)).toEqual({ x: 10, y: 420, angle: 90 });
    // Rotate 270: the displayed top is the user-space right edge.
    expect(displayToUser(box, 270, 400, 600)).toEqual({ x: 610, y: 20, angle: 270 });
  });

  it('uses the crop box within the media box', async () => {
    const { doc } = await fonts();
    const page = doc.addPage([600, 800]);
    page.setCropBox(50, 60, 400, 500);
    expect(visibleBox(page)).toEqual({ x: 50, y: 60, width: 400, height: 500 });
    page.setRotation(degrees(90));
    const { fonts: f } = await fonts();
    expect(() => stampPage(f, doc.addPage(), 'Page 1 — X')).not.toThrow();
  });
});

describe('pseudonyms', () => {
  const say = pseudonymiser([
    { name: 'Mary Wanjirū Kamau', pseudonym: 'PW1' },
    { name: 'Wanjirū', pseudonym: 'PW1' },
    { name: 'Otieno', pseudonym: 'Officer A' },
  ]);

  it('replaces whole names, longest first, in any case and spacing, and counts them', () => {
    expect(say('I, MARY  Wanjirū\nKamau, saw Otieno.')).toBe('I, PW1, saw Officer A.');
    expect(say('Wanjirū met Otienoh and otieno')).toBe('PW1 met Otienoh and Officer A');
    expect(say.counted('Wanjirū and Wanjirū').count).toBe(2);
  });

  it('matches decomposed text too (NFC first)', () => {
    expect(say('Wanjiru\u0304 spoke')).toBe('PW1 spoke');
  });

  it('leaves text alone when there is nothing to replace', () => {
    const none = pseudonymiser([]);
    expect(none('Wanjirū')).toBe('Wanjirū');
    expect(none.counted('x').count).toBe(0);
  });
});

describe('words', () => {
  it('prints facts the way the bundle shows them', () => {
    expect(sectionLetter(0)).toBe('A');
    expect(sectionLetter(25)).toBe('Z');
    expect(sectionLetter(26)).toBe('AA');
    expect(kindName('medical_report', 'p3')).toBe('Medical report (P3 form)');
    expect(sizeText(482113)).toBe('482,113 bytes (471 KiB)');
    expect(sizeText(500)).toBe('500 bytes');
    expect(durationText(187)).toBe('3 min 07 s');
    expect(durationText(3725)).toBe('1 h 02 min 05 s');
    expect(longDate('2026-11-21')).toBe('21 November 2026');
    expect(
      custodianText({
        name: 'Government Chemist',
        organisation: null,
        place: 'Nairobi',
        seal: 'GC-1',
        since: '2026-03-01T07:00:00.000Z',
      }),
    ).toBe('Government Chemist, Nairobi (seal GC-1), since 2026-03-01 10:00 EAT');
    expect(normaliseText('\ufeffa\r\nb\rc\t\u0007d\n\n\n\ne  ')).toBe('a\nb\nc    d\n\ne');
  });
});

describe('the manifest signature', () => {
  const key = fixedKey(7);
  const base: BundleManifest = {
    format: 'kesi-bundle-manifest',
    v: 1,
    app: 'kesi/0.1.0',
    generatedAt: '2026-04-02T08:00:00.000Z',
    pseudonymised: false,
    spec: {
      v: 1,
      caseRef: 'X-1',
      title: 'T',
      court: 'C',
      caseNumber: 'N',
      parties: 'P',
      preparedBy: 'B',
      date: '2026-04-02',
      usePseudonyms: false,
      sections: [{ title: 'S', items: [{ itemUid: 'a', exhibitNumber: 'PExh-1' }] }],
    },
    case: { uid: 'c', ref: 'X-1', title: 'T' },
    pageCount: 1,
    pages: [{ from: 1, to: 1, part: 'cover', label: 'Cover', source: { type: 'generated' } }],
    exhibits: [],
    appendix: {
      hashManifest: { firstPage: 1, lastPage: 1 },
      custodyTimeline: { firstPage: 1, lastPage: 1 },
      certificate: { firstPage: 1, lastPage: 1 },
    },
    custody: {
      events: [],
      keys: [{ user: 'amina', keyId: key.keyId, publicKey: key.publicKeyRaw.toString('base64') }],
      treeHead: null,
      inclusionProofs: [],
    },
  };

  it('verifies when intact, fails when any member changes or the key is swapped', () => {
    const signed = signManifest(base, { user: 'amina', privateKey: key.privateKey });
    expect(verifyManifestSignature(signed)).toBe(true);
    expect(verifyManifestSignature(JSON.parse(manifestBytes(signed).toString('utf8')))).toBe(true);
    expect(verifyManifestSignature({ ...signed, pageCount: 2 })).toBe(false);
    const other = fixedKey(8);
    expect(
      verifyManifestSignature({
        ...signed,
        signature: { ...signed.signature!, publicKey: other.publicKeyRaw.toString('base64') },
      }),
    ).toBe(false);
    expect(verifyManifestSignature(base)).toBe(false);
  });

  it('is written as RFC 8785 canonical JSON', () => {
    const text = manifestBytes(base).toString('utf8');
    expect(text.startsWith('{"app":"kesi/0.1.0","appendix":')).toBe(true);
    expect(text).not.toContain('\n');
  });
});

describe('the fast stream copy', () => {
  it('writes exactly the bytes pdf-lib writes', async () => {
    const build = async () => {
      const doc = await PDFDocument.create({ updateMetadata: false });
      const src = await PDFDocument.load(await makePdf('x', 3), { updateMetadata: false });
      for (const p of await doc.copyPages(src, [0, 1, 2])) doc.addPage(p);
      const jpeg = corpusFile('photo-orient6-sony-cybershot.jpg');
      doc.addPage().drawImage(await doc.embedJpg(jpeg), { x: 0, y: 0, width: 100, height: 100 });
      return doc;
    };
    restoreStreamCopy();
    const slow = await (await build()).save({ useObjectStreams: false });
    installFastStreamCopy();
    const fast = await (await build()).save({ useObjectStreams: false });
    const fastObjectStreams = await (await build()).save();
    restoreStreamCopy();
    const slowObjectStreams = await (await build()).save();
    installFastStreamCopy();
    expect(Buffer.compare(Buffer.from(fast), Buffer.from(slow))).toBe(0);
    expect(Buffer.compare(Buffer.from(fastObjectStreams), Buffer.from(slowObjectStreams))).toBe(0);
  });
});
