// Court bundles built from synthetic data and corpus files, opened with real tools: qpdf,
// poppler (pdfinfo, pdftotext, pdfdetach, pdftoppm) and pdf-lib.
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PDFRef } from 'pdf-lib';
import { PDFArray, PDFDict, PDFDocument, PDFName } from 'pdf-lib';
import { beforeAll, describe, expect, it } from 'vitest';
import { assembleBundle } from '../../electron/bundle/assemble';
import {
  MANIFEST_FILE_NAME,
  verifyManifestSignature,
  type BundleManifest,
} from '../../electron/bundle/manifest';
import type { BundleInput } from '../../electron/bundle/types';
import { verifyEventSignature } from '../../electron/custody/event';
import { leafHash, verifyInclusion } from '../../electron/custody/merkle';
import { publicKeyFromRaw } from '../../electron/custody/keys';
import { openPdf } from '../../electron/intake/metadata/pdf';
import {
  ARTIFACTS,
  CORPUS,
  STATEMENT_TEXT,
  buildInput,
  corpusFile,
  makeDocx,
  sampleDrafts,
  sha256,
  tool,
  toolResult,
  type ExhibitDraft,
} from '../helpers/bundle';
import { tempDir } from '../helpers/tmp';

const AT = '2026-04-02T08:00:00.000Z';
const PSEUDONYMS = [
  { name: 'Mary Wanjirū Kamau', pseudonym: 'PW1' },
  { name: 'Wanjirū Kamau', pseudonym: 'PW1' },
];

let input: BundleInput;
let pdf: Uint8Array;
let manifest: BundleManifest;
let file: string;
let dir: string;

function pageText(n: number, f = file): string {
  return tool('pdftotext', ['-f', String(n), '-l', String(n), '-layout', f, '-']);
}

beforeAll(async () => {
  input = buildInput(await sampleDrafts(), { pseudonyms: PSEUDONYMS });
  ({ pdf, manifest } = await assembleBundle(input, { generatedAt: AT }));
  dir = join(ARTIFACTS);
  mkdirSync(dir, { recursive: true });
  file = join(dir, 'sample-bundle.pdf');
  writeFileSync(file, pdf);
});

describe('a bundle of every kind of exhibit', () => {
  it('passes qpdf --check without errors or warnings', () => {
    const r = toolResult('qpdf', ['--check', file]);
    expect(r.out).toContain('No syntax or stream encoding errors found');
    expect(r.code).toBe(0);
  });

  it('has as many pages as the index says, A4 for the pages Kesi draws', () => {
    const info = tool('pdfinfo', [file]);
    const pages = Number(/Pages:\s+(\d+)/.exec(info)?.[1]);
    expect(pages).toBe(manifest.pageCount);
    // The index's last page number is the certificate's last page, the last page of the file.
    const indexText = pageText(2);
    const lastRange = /Certificate under s\.106B\(4\)[^\n]*?(\d+)[–-](\d+)\s*$/m.exec(indexText);
    expect(Number(lastRange?.[2])).toBe(pages);
    expect(info).toMatch(/Page size:\s+595\.28 x 841\.89 pts \(A4\)/);
    expect(info).toMatch(/CreationDate:\s+Thu Apr\s+2 08:00:00 2026 UTC/);
    expect(info).toMatch(/Producer:\s+Kesi 0\.1\.0/);
  });

  it('stamps every page with its continuous number and label, top right, readable by pdftotext', () => {
    for (const range of manifest.pages) {
      for (let n = range.from; n <= range.to; n++) {
        const text = tool('pdftotext', ['-f', String(n), '-l', String(n), file, '-']);
        expect(text, `page ${n}`).toContain(`Page ${n} — ${range.label}`);
      }
    }
    // Exhibit pages carry the exhibit number, including merged PDFs with /Rotate 90 and 270.
    const ricoh = manifest.exhibits.find((e) => e.title.startsWith('Scanned letter'));
    expect(ricoh).toBeDefined();
    expect(
      tool('pdfinfo', ['-f', String(ricoh!.firstPage), '-l', String(ricoh!.firstPage), file]),
    ).toMatch(/rot:\s+270/);
  });

  it('puts the stamp at the top right of the page as displayed, whatever its rotation', () => {
    // pdftotext -bbox gives word boxes in the displayed page's coordinates (origin top left).
    const rotated = manifest.exhibits.filter((e) => e.kind === 'document');
    for (const ex of rotated) {
      for (let n = ex.firstPage; n <= ex.lastPage; n++) {
        const html = tool('pdftotext', ['-f', String(n), '-l', String(n), '-bbox', file, '-']);
        const page = /<page width="([\d.]+)" height="([\d.]+)">/.exec(html);
        // -bbox gives the unrotated size, and word boxes on the page as displayed.
        const rot = Number(
          /rot:\s+(\d+)/.exec(tool('pdfinfo', ['-f', String(n), '-l', String(n), file]))?.[1],
        );
        const turned = rot === 90 || rot === 270;
        const w = Number(page?.[turned ? 2 : 1]);
        const h = Number(page?.[turned ? 1 : 2]);
        const word = new RegExp(
          `<word xMin="([\\d.]+)" yMin="([\\d.]+)" xMax="([\\d.]+)" yMax="([\\d.]+)">${ex.exhibitNumber}</word>`,
        ).exec(html);
        expect(word, `page ${n}`).not.toBeNull();
        const [xMax, yMin] = [Number(word?.[3]), Number(word?.[2])];
        expect(xMax, `page ${n} right edge`).toBeGreaterThan(w * 0.8);
        expect(xMax).toBeLessThanOrEqual(w);
        expect(yMin, `page ${n} top`).toBeLessThan(Math.max(40, h * 0.1));
      }
    }
  });

  it('carries the manifest as an attachment, signed, with checkable custody events and proofs', async () => {
    const list = tool('pdfdetach', ['-list', file]);
    expect(list).toContain(`1: ${MANIFEST_FILE_NAME}`);
    const out = join(tempDir(), 'm.json');
    tool('pdfdetach', ['-save', '1', '-o', out, file]);
    const text = (await import('node:fs')).readFileSync(out, 'utf8');
    const m = JSON.parse(text) as BundleManifest;
    expect(m).toEqual(manifest);
    expect(verifyManifestSignature(m)).toBe(true);
    // The cover prints the attachment's SHA-256.
    expect(pageText(1).replace(/\s+/g, '')).toContain(sha256(text));
    // Every event verifies under the key the manifest carries, and is in the tree head.
    const keys = new Map(
      m.custody.keys.map((k) => [k.keyId, publicKeyFromRaw(Buffer.from(k.publicKey, 'base64'))]),
    );
    for (const ev of m.custody.events) {
      expect(verifyEventSignature(ev, keys.get(ev.actor.keyId)!)).toBe(true);
    }
    const head = m.custody.treeHead!;
    for (const p of m.custody.inclusionProofs) {
      expect(
        verifyInclusion(
          leafHash(Buffer.from(p.eventHash, 'hex')),
          p.leafIndex,
          p.treeSize,
          p.path.map((h) => Buffer.from(h, 'hex')),
          Buffer.from(head.rootHash, 'hex'),
        ),
      ).toBe(true);
    }
    // Each exhibit's hash and page range, and what its pages were made from.
    for (const ex of m.exhibits) {
      const source = input.exhibits.find((e) => e.itemUid === ex.itemUid)!;
      expect(ex.sha256).toBe(source.sha256);
      const ranges = m.pages.filter((p) => p.exhibitNumber === ex.exhibitNumber);
      expect(ranges[0]?.from).toBe(ex.firstPage);
      expect(ranges[ranges.length - 1]?.to).toBe(ex.lastPage);
      expect(ex.events).toEqual(source.custodyEvents.map((e) => e.hash));
    }
    // The page runs cover the whole bundle once, in order.
    let next = 1;
    for (const p of m.pages) {
      expect(p.from).toBe(next);
      next = p.to + 1;
    }
    expect(next - 1).toBe(m.pageCount);
  });

  it('links every index row to the first page of what it names (pdf-lib and pdftotext)', async () => {
    const doc = await PDFDocument.load(pdf, { updateMetadata: false });
    const refs = doc.getPages().map((p) => p.ref);
    const indexPages = manifest.pages.find((p) => p.part === 'index')!;
    const targets: number[] = [];
    for (let n = indexPages.from; n <= indexPages.to; n++) {
      const page = doc.getPage(n - 1);
      const annots = page.node.lookupMaybe(PDFName.of('Annots'), PDFArray);
      expect(annots).toBeDefined();
      const links = annots!.asArray().map((r) => doc.context.lookup(r, PDFDict));
      const height = page.getHeight();
      for (const link of links) {
        expect(link.get(PDFName.of('Subtype'))).toBe(PDFName.of('Link'));
        const dest = link.lookup(PDFName.of('Dest'), PDFArray);
        const target = refs.indexOf(dest.get(0) as PDFRef) + 1;
        expect(target).toBeGreaterThan(0);
        targets.push(target);
        // The text inside the link's rectangle is the row that names that page.
        const [x1, y1, x2, y2] = link
          .lookup(PDFName.of('Rect'), PDFArray)
          .asArray()
          .map((v) => Number(v.toString()));
        const cropped = tool('pdftotext', [
          '-f',
          String(n),
          '-l',
          String(n),
          '-x',
          String(Math.floor(x1!)),
          '-y',
          String(Math.floor(height - y2!)),
          '-W',
          String(Math.ceil(x2! - x1!)),
          '-H',
          String(Math.ceil(y2! - y1!)),
          '-layout',
          file,
          '-',
        ]);
        expect(cropped, `link to page ${target}`).toMatch(
          new RegExp(`\\b${target}(?:[–-]\\d+)?\\s*$`, 'm'),
        );
      }
    }
    const expected = [
      ...manifest.spec.sections.flatMap((_, s) => {
        const divider = manifest.pages.filter((p) => p.part === 'divider')[s]!.from;
        return [
          divider,
          ...manifest.exhibits.filter((e) => e.section === s + 1).map((e) => e.firstPage),
        ];
      }),
      manifest.appendix.hashManifest.firstPage, // the "Appendices" row
      manifest.appendix.hashManifest.firstPage,
      manifest.appendix.custodyTimeline.firstPage,
      manifest.appendix.certificate.firstPage,
    ];
    expect(targets).toEqual(expected);
  });

  it('has bookmarks mirroring the index, and page labels equal to the stamped numbers', () => {
    const outlines = JSON.parse(tool('qpdf', ['--json', '--json-key=outlines', file])).outlines as {
      title: string;
      destpageposfrom1: number;
      kids: { title: string; destpageposfrom1: number }[];
    }[];
    expect(outlines.map((o) => o.title).slice(0, 2)).toEqual(['Cover', 'Index']);
    const sections = outlines.filter((o) => o.title.startsWith('Section '));
    expect(sections).toHaveLength(manifest.spec.sections.length);
    sections.forEach((s, i) => {
      const items = manifest.exhibits.filter((e) => e.section === i + 1);
      expect(s.kids.map((k) => k.destpageposfrom1)).toEqual(items.map((e) => e.firstPage));
      expect(s.kids.map((k) => k.title.split(' — ')[0])).toEqual(items.map((e) => e.exhibitNumber));
    });
    expect(outlines.slice(-3).map((o) => o.destpageposfrom1)).toEqual([
      manifest.appendix.hashManifest.firstPage,
      manifest.appendix.custodyTimeline.firstPage,
      manifest.appendix.certificate.firstPage,
    ]);
    const labels = JSON.parse(tool('qpdf', ['--json', '--json-key=pagelabels', file])).pagelabels;
    expect(labels).toEqual([{ index: 0, label: { '/S': '/D', '/St': 1 } }]);
  });

  it('keeps merged pages as they are: sizes and rotations of the originals', () => {
    const info = tool('pdfinfo', ['-f', '1', '-l', String(manifest.pageCount), file]);
    const sizes = [...info.matchAll(/Page\s+(\d+) size:\s+([\d.]+) x ([\d.]+)/g)].map((m) => [
      Number(m[1]),
      Number(m[2]),
      Number(m[3]),
    ]);
    const rots = new Map(
      [...info.matchAll(/Page\s+(\d+) rot:\s+(\d+)/g)].map((m) => [Number(m[1]), Number(m[2])]),
    );
    const mixed = manifest.exhibits.find((e) => e.originalName === 'multipage.pdf')!;
    const origInfo = tool('pdfinfo', [
      '-f',
      '1',
      '-l',
      '6',
      join(CORPUS, 'pdf-mixed-page-sizes-6pages.pdf'),
    ]);
    const origSizes = [...origInfo.matchAll(/Page\s+\d+ size:\s+([\d.]+) x ([\d.]+)/g)].map((m) => [
      Number(m[1]),
      Number(m[2]),
    ]);
    expect(
      sizes
        .filter(([n]) => n! >= mixed.firstPage && n! <= mixed.lastPage)
        .map(([, w, h]) => [w, h]),
    ).toEqual(origSizes);
    const rotatedEx = manifest.exhibits.find(
      (e) => e.originalName === 'pdf-rotated-pages-pypdf.pdf',
    )!;
    const origRots = [
      ...tool('pdfinfo', [
        '-f',
        '1',
        '-l',
        '4',
        join(CORPUS, 'pdf-rotated-pages-pypdf.pdf'),
      ]).matchAll(/rot:\s+(\d+)/g),
    ].map((m) => Number(m[1]));
    const got = [];
    for (let n = rotatedEx.firstPage; n <= rotatedEx.lastPage; n++) got.push(rots.get(n));
    expect(got).toEqual(origRots);
    expect(new Set(origRots).size).toBeGreaterThan(1);
  });

  it('merges an owner-password-only PDF (decrypted by openPdf) and keeps its text', () => {
    const ex = manifest.exhibits.find((e) => e.originalName === 'notes.pdf')!;
    const original = tool('pdftotext', [
      join(CORPUS, 'pdf-ownerpw-only-rc4-reportbuilder-pdf13.pdf'),
      '-',
    ]);
    const words = original
      .split(/\s+/)
      .filter((w) => w.length > 5)
      .slice(0, 5);
    expect(words.length).toBeGreaterThan(0);
    const merged = pageText(ex.firstPage);
    for (const w of words) expect(merged).toContain(w);
    expect(tool('pdfinfo', [file])).toMatch(/Encrypted:\s+no/);
  });

  it('typesets statements with the pseudonyms of protected persons, and images with captions', () => {
    const st = manifest.exhibits[0]!;
    const text = pageText(st.firstPage);
    expect(text).toContain('PExh-1 — Statement of PW1 (PW1)');
    expect(text).toContain('I, PW1, of Kibera, Nairobi');
    expect(text).toContain('Maker of the statement');
    expect(text).toContain('Statement recorded by');
    // The real name is nowhere in the printed bundle.
    const all = tool('pdftotext', [file, '-']);
    expect(all).not.toMatch(/Wanjir[ūu] Kamau/);
    // A photo's caption: exhibit, description, EAT time, camera, SHA-256 prefix.
    const photo = manifest.exhibits.find((e) => e.kind === 'photo')!;
    const caption = pageText(photo.firstPage);
    expect(caption).toContain(`Exhibit ${photo.exhibitNumber}: Injuries to the left forearm`);
    expect(caption).toContain('Taken: 2019-09-26 16:38 EAT');
    expect(caption).toContain('Camera: samsung SM-J327T1');
    expect(caption).toContain(`SHA-256: ${photo.sha256.slice(0, 16)}`);
    // Placeholders: the audio's duration and the shirt's custodian.
    const audio = manifest.exhibits.find((e) => e.kind === 'audio')!;
    expect(pageText(audio.firstPage)).toContain('3 min 07 s');
    const shirt = manifest.exhibits.find((e) => e.kind === 'physical_exhibit')!;
    expect(pageText(shirt.firstPage).replace(/\s+/g, ' ')).toContain(
      'Government Chemist, Government Chemist Department, Nairobi (seal GC-7781)',
    );
  });

  it('prints the appendix: full hashes, custody timelines and the s.106B(4) certificate', () => {
    const a = manifest.appendix;
    let hashes = '';
    for (let n = a.hashManifest.firstPage; n <= a.hashManifest.lastPage; n++) hashes += pageText(n);
    for (const ex of manifest.exhibits) expect(hashes).toContain(ex.sha256);
    let timeline = '';
    for (let n = a.custodyTimeline.firstPage; n <= a.custodyTimeline.lastPage; n++)
      timeline += pageText(n);
    expect(timeline).toContain('transferred');
    for (const ev of manifest.custody.events) expect(timeline).toContain(ev.hash.slice(0, 12));
    let cert = '';
    for (let n = a.certificate.firstPage; n <= a.certificate.lastPage; n++) cert += pageText(n);
    expect(cert).toContain('CERTIFICATE UNDER SECTION 106B(4) OF THE EVIDENCE ACT (CAP. 80)');
    expect(cert.replace(/\s+/g, ' ')).toMatch(/Photograph taken with a samsung/);
    expect(cert).toContain('SM-J327T1');
    expect(cert).toMatch(/Signature:/);
  });

  it('renders cleanly: a few pages as PNG artefacts', () => {
    const out = join(dir, 'pages');
    rmSync(out, { recursive: true, force: true });
    mkdirSync(out, { recursive: true });
    const wanted = [1, 2, 3, manifest.exhibits[0]!.firstPage];
    for (const ex of manifest.exhibits)
      if (ex.kind === 'photo' || ex.kind === 'audio') wanted.push(ex.firstPage);
    for (const ex of manifest.exhibits)
      if (ex.originalName?.includes('ricoh') || ex.originalName?.includes('rotated'))
        wanted.push(ex.firstPage, ex.firstPage + 1);
    wanted.push(
      manifest.appendix.hashManifest.firstPage,
      manifest.appendix.custodyTimeline.firstPage,
      manifest.appendix.certificate.firstPage,
    );
    for (const n of [...new Set(wanted)]) {
      tool('pdftoppm', [
        '-r',
        '50',
        '-png',
        '-f',
        String(n),
        '-l',
        String(n),
        file,
        join(out, 'page'),
      ]);
    }
    expect(readdirSync(out).filter((f) => f.endsWith('.png')).length).toBe(new Set(wanted).size);
  });
});

describe('deterministic output', () => {
  it('gives byte-identical PDFs for the same input and generation time', async () => {
    const again = await assembleBundle(input, { generatedAt: AT });
    expect(Buffer.compare(Buffer.from(again.pdf), Buffer.from(pdf))).toBe(0);
    // Also when the bytes come from loaders, one at a time.
    const lazy: BundleInput = {
      ...input,
      exhibits: input.exhibits.map((e) => {
        const c = e.content;
        if (c.type === 'pdf' || c.type === 'docx') {
          const bytes = c.bytes as Uint8Array;
          return { ...e, content: { ...c, bytes: async () => Uint8Array.from(bytes) } };
        }
        if (c.type === 'image') {
          const bytes = c.pageImageJpeg as Uint8Array;
          return { ...e, content: { ...c, pageImageJpeg: async () => Uint8Array.from(bytes) } };
        }
        return e;
      }),
    };
    const third = await assembleBundle(lazy, { generatedAt: AT });
    expect(sha256(third.pdf)).toBe(sha256(pdf));
    // Another generation time is another file (dates, identifier, cover).
    const later = await assembleBundle(input, { generatedAt: '2026-04-02T08:00:01.000Z' });
    expect(sha256(later.pdf)).not.toBe(sha256(pdf));
  });
});

describe('Unicode text', () => {
  it('sets names with diacritics and Swahili in the embedded DejaVu fonts, extractable by pdftotext', async () => {
    const text = 'Mimi, Wanjirū Mũthoni, ninatoa ushahidi huu. Ĩ ĩ Ũ ũ — “quoted” — Ŋ ŋ.';
    const bytes = Buffer.from(text, 'utf8');
    const drafts: ExhibitDraft[] = [
      {
        title: 'Taarifa ya Wanjirū Mũthoni',
        kind: 'statement',
        originalName: 'taarifa.txt',
        mediaType: 'text/plain',
        original: bytes,
        content: { type: 'text', text },
      },
    ];
    const built = await assembleBundle(buildInput(drafts, { spec: { usePseudonyms: false } }), {
      generatedAt: AT,
    });
    const f = join(tempDir(), 'unicode.pdf');
    writeFileSync(f, built.pdf);
    const page = tool('pdftotext', ['-f', '4', '-l', '4', f, '-']);
    for (const w of ['Wanjirū', 'Mũthoni', 'ushahidi', 'Ĩ ĩ Ũ ũ', '“quoted”', 'Ŋ ŋ'])
      expect(page).toContain(w);
    expect(tool('pdftotext', ['-f', '2', '-l', '2', f, '-'])).toContain(
      'Taarifa ya Wanjirū Mũthoni',
    );
    const fonts = tool('pdffonts', [f]);
    expect(fonts).toMatch(/KESIAA\+DejaVuSans\s+CID TrueType\s+Identity-H\s+yes yes yes/);
    expect(fonts).toMatch(/KESIAB\+DejaVuSans-Bold\s+CID TrueType\s+Identity-H\s+yes yes yes/);
    expect(fonts).not.toMatch(/Helvetica/);
  });
});

describe('the corpus PDFs', () => {
  it('merges every PDF intake accepts; damage carried over from an original is the only thing qpdf notes', async () => {
    const refused = new Set([
      'broken-pdf-header-then-eof-only.pdf',
      'pdf-encrypted-aes256-r6-userpw-view-acrobatXI.pdf',
      'pdf-encrypted-rc4-r3-userpw-view-acrobat5.pdf',
      'pdf-encrypted-userpw-openpassword-libreoffice.pdf',
      'scan-kyocera-mfp-encrypted-userpw-ELXRTQWS.pdf',
    ]);
    const names = readdirSync(CORPUS)
      .filter((f) => f.endsWith('.pdf') && !refused.has(f))
      .sort();
    const drafts: ExhibitDraft[] = names.map((name) => {
      const b = corpusFile(name);
      return {
        title: name,
        kind: 'document',
        originalName: name,
        mediaType: 'application/pdf',
        original: b,
        content: { type: 'pdf', bytes: b },
      };
    });
    const built = await assembleBundle(buildInput(drafts), { generatedAt: AT });
    const f = join(dir, 'corpus-bundle.pdf');
    writeFileSync(f, built.pdf);
    const pages = Number(/Pages:\s+(\d+)/.exec(tool('pdfinfo', [f]))?.[1]);
    expect(pages).toBe(built.manifest.pageCount);
    let sourcePages = 0;
    for (const name of names) sourcePages += (await openPdf(corpusFile(name))).doc.getPageCount();
    const exhibitPages = built.manifest.exhibits.reduce(
      (n, e) => n + e.lastPage - e.firstPage + 1,
      0,
    );
    expect(exhibitPages).toBe(sourcePages);
    const r = toolResult('qpdf', ['--check', f]);
    // Exit 3: warnings only. Both come from damage inside the originals (qpdf reports the same
    // streams when checking them): a stream that does not inflate, and a JPEG with extra bytes.
    expect([0, 3]).toContain(r.code);
    const warnings = r.out.split('\n').filter((l) => /WARNING|Corrupt JPEG/.test(l));
    for (const w of warnings)
      expect(w).toMatch(/inflate|re-processed without filtering|Corrupt JPEG data/);
    // Every page carries its stamp.
    for (const range of built.manifest.pages) {
      const n = range.to;
      expect(tool('pdftotext', ['-f', String(n), '-l', String(n), f, '-'])).toContain(
        `Page ${n} — ${range.label}`,
      );
    }
  });
});

describe('bad inputs', () => {
  async function attempt(draft: ExhibitDraft, patch?: (i: BundleInput) => void) {
    const i = buildInput([draft]);
    patch?.(i);
    return assembleBundle(i, { generatedAt: AT }).then(
      () => null,
      (e: unknown) => e as { code: string; message: string; details?: Record<string, unknown> },
    );
  }

  it('refuses a PDF that needs a password, naming the exhibit', async () => {
    const b = corpusFile('pdf-encrypted-aes256-r6-userpw-view-acrobatXI.pdf');
    const e = await attempt({
      title: 'Sealed report',
      kind: 'medical_report',
      mediaType: 'application/pdf',
      original: b,
      content: { type: 'pdf', bytes: b },
    });
    expect(e?.code).toBe('BUNDLE_EXHIBIT_UNREADABLE');
    expect(e?.message).toContain('Exhibit PExh-1 (Sealed report)');
    expect(e?.message).toContain('password');
    expect(e?.details?.cause).toBe('ENCRYPTED_PDF');
  });

  it('refuses a broken PDF, naming the exhibit', async () => {
    const b = corpusFile('broken-pdf-header-then-eof-only.pdf');
    const e = await attempt({
      title: 'Torn scan',
      kind: 'document',
      mediaType: 'application/pdf',
      original: b,
      content: { type: 'pdf', bytes: b },
    });
    expect(e?.code).toBe('BUNDLE_EXHIBIT_UNREADABLE');
    expect(e?.message).toContain('Exhibit PExh-1 (Torn scan)');
    expect(e?.details?.cause).toBe('CORRUPT_PDF');
  });

  it('refuses an image that cannot be decoded: truncated, not a JPEG, or not the recorded size', async () => {
    const drafts = await sampleDrafts();
    const photo = drafts.find((d) => d.kind === 'photo')!;
    const c = photo.content as {
      type: 'image';
      pageImageJpeg: Uint8Array;
      width: number;
      height: number;
    };
    const truncated = c.pageImageJpeg.subarray(0, c.pageImageJpeg.length >> 1);
    for (const bytes of [
      truncated,
      Buffer.from('not a jpeg at all'),
      Buffer.from([0xff, 0xd8, 0xff, 0xd9]),
    ]) {
      const e = await attempt({ ...photo, content: { ...c, pageImageJpeg: bytes } });
      expect(e?.code).toBe('BUNDLE_EXHIBIT_UNREADABLE');
      expect(e?.message).toContain(`Exhibit PExh-1 (${photo.title})`);
    }
    const e = await attempt({ ...photo, content: { ...c, width: c.width + 1 } });
    expect(e?.code).toBe('BUNDLE_EXHIBIT_UNREADABLE');
  });

  it('refuses a damaged Word document', async () => {
    const docx = makeDocx(['text']);
    const broken = docx.subarray(0, 40);
    const e = await attempt({
      title: 'Typed statement',
      kind: 'statement',
      mediaType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
      original: broken,
      content: { type: 'docx', bytes: broken },
    });
    expect(e?.code).toBe('BUNDLE_EXHIBIT_UNREADABLE');
    expect(e?.message).toContain('Exhibit PExh-1 (Typed statement)');
  });

  it('refuses bytes that are not the exhibit (SHA-256 differs)', async () => {
    const b = corpusFile('pdf20-simple.pdf');
    const other = corpusFile('pdf-text-libreoffice-writer.pdf');
    const e = await attempt({
      title: 'Letter',
      kind: 'document',
      mediaType: 'application/pdf',
      original: b,
      content: { type: 'pdf', bytes: other },
    });
    expect(e?.code).toBe('HASH_MISMATCH');
    expect(e?.message).toContain('Exhibit PExh-1 (Letter)');
  });

  it('refuses a spec naming an item that is gone', async () => {
    const b = Buffer.from(STATEMENT_TEXT);
    const e = await attempt(
      {
        title: 'Statement',
        kind: 'statement',
        mediaType: 'text/plain',
        original: b,
        content: { type: 'text', text: STATEMENT_TEXT },
      },
      (i) => {
        i.exhibits = [];
      },
    );
    expect(e?.code).toBe('BUNDLE_EXHIBIT_MISSING');
    expect(e?.message).toContain('PExh-1');
  });

  it('refuses an invalid spec, and a proof that does not lead to the tree head', async () => {
    const b = Buffer.from(STATEMENT_TEXT);
    const draft: ExhibitDraft = {
      title: 'Statement',
      kind: 'statement',
      mediaType: 'text/plain',
      original: b,
      content: { type: 'text', text: STATEMENT_TEXT },
    };
    const e1 = await attempt(draft, (i) => {
      i.spec = { ...i.spec, date: '2026-02-30' };
    });
    expect(e1?.code).toBe('BAD_INPUT');
    const e2 = await attempt(draft, (i) => {
      const p = i.exhibits[0]!.inclusionProofs![0]!;
      p.leafIndex += 1;
    });
    expect(e2?.code).toBe('BAD_INPUT');
  });
});

describe('progress and cancel', () => {
  it('reports progress per exhibit and stops with CANCELLED when asked', async () => {
    const drafts = await sampleDrafts();
    const seen: string[] = [];
    await assembleBundle(buildInput(drafts), {
      generatedAt: AT,
      onProgress: (p) => seen.push(`${p.phase}:${p.done}/${p.total}`),
    });
    expect(seen[0]).toBe(`exhibits:0/${drafts.length}`);
    expect(seen).toContain(`exhibits:${drafts.length}/${drafts.length}`);
    expect(seen[seen.length - 1]).toBe('finishing:1/1');
    const ctl = new AbortController();
    const e = await assembleBundle(buildInput(drafts), {
      generatedAt: AT,
      signal: ctl.signal,
      onProgress: (p) => {
        if (p.done === 3) ctl.abort();
      },
    }).catch((err: unknown) => err as { code: string });
    expect((e as { code: string }).code).toBe('CANCELLED');
  });
});
