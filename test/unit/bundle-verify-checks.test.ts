// The bundle verifier's checks one by one, on a small assembled bundle's manifest and on
// hand-made byte ranges: each problem is found, named, and placed at its exhibit or page.
import { beforeAll, describe, expect, it } from 'vitest';
import { assembleBundle } from '../../electron/bundle/assemble';
import { assembleSignedBundle, createSigningIdentity } from '../../electron/bundle/sign';
import { manifestBytes, type BundleManifest } from '../../electron/bundle/manifest';
import { nextEvent, type CustodyEvent } from '../../electron/custody/event';
import { readTlv } from '../../electron/verify/bundle-der';
import { checkCustody } from '../../electron/verify/bundle-custody-checks';
import { Findings } from '../../electron/verify/bundle-findings';
import { listedKeys, parseManifest } from '../../electron/verify/bundle-manifest-checks';
import { checkPages } from '../../electron/verify/bundle-page-checks';
import type { BundlePdf } from '../../electron/verify/bundle-pdf-read';
import { checkPdfSignature } from '../../electron/verify/bundle-pdf-signature';
import { buildInput, fixedKey, STATEMENT_TEXT } from '../helpers/bundle';

let manifest: BundleManifest;

beforeAll(async () => {
  const text = Buffer.from(STATEMENT_TEXT);
  const shirt = Buffer.from('{"title":"Shirt"}');
  const input = buildInput([
    {
      title: 'Statement of PW1',
      kind: 'statement',
      mediaType: 'text/plain',
      original: text,
      content: { type: 'text', text: STATEMENT_TEXT },
    },
    {
      title: 'Shirt',
      kind: 'physical_exhibit',
      mediaType: 'application/vnd.kesi.physical-exhibit+json',
      original: shirt,
      content: { type: 'placeholder' },
      transfers: [{ to: 'Government Chemist' }],
    },
  ]);
  ({ manifest } = await assembleBundle(input, { generatedAt: '2026-04-02T08:00:00.000Z' }));
});

function fakePdf(m: BundleManifest, over: Partial<BundlePdf> = {}): BundlePdf {
  return {
    doc: null as unknown as BundlePdf['doc'],
    pageCount: m.pageCount,
    signatures: [],
    embeddedFiles: [],
    keywords: null,
    fileId: null,
    outline: m.exhibits.map((e) => ({
      title: `${e.exhibitNumber} — ${e.title}`,
      page: e.firstPage,
      depth: 1,
    })),
    pageImages: () => [],
    ...over,
  };
}

function codesOf(f: Findings): string[] {
  return f.problems.map((p) => p.code);
}

describe('page checks', () => {
  it('pass on the assembled manifest', () => {
    const f = new Findings();
    checkPages(manifest, fakePdf(manifest), f);
    expect(f.problems).toEqual([]);
  });

  it('report a page count that is not the PDF’s, overlapping runs and a wrong bookmark', () => {
    const m = structuredClone(manifest);
    const run = m.pages.find((p) => p.part === 'exhibit')!;
    run.to += 1; // now overlaps the next run
    const f = new Findings();
    checkPages(
      m,
      fakePdf(m, {
        pageCount: m.pageCount - 1,
        outline: [{ title: `${m.exhibits[0]!.exhibitNumber} — x`, page: 1, depth: 1 }],
      }),
      f,
    );
    expect(codesOf(f)).toEqual(
      expect.arrayContaining([
        'page_count_mismatch',
        'page_runs_invalid',
        'exhibit_pages_mismatch',
        'bookmark_mismatch',
      ]),
    );
    const ex = f.problems.find((p) => p.code === 'exhibit_pages_mismatch')!;
    expect(ex.exhibitNumber).toBe(run.exhibitNumber);
  });

  it('report a source naming another file, and a page image of another size', () => {
    const m = structuredClone(manifest);
    const run = m.pages.find((p) => p.part === 'exhibit')!;
    if (run.source.type !== 'typeset-text') throw new Error('expected typed text');
    run.source.original = '00'.repeat(32);
    const f = new Findings();
    checkPages(m, fakePdf(m), f);
    expect(codesOf(f)).toEqual(['page_source_mismatch']);

    const m2 = structuredClone(manifest);
    const r2 = m2.pages.find((p) => p.part === 'exhibit')!;
    r2.source = {
      type: 'page-image',
      sha256: '11'.repeat(32),
      original: m2.exhibits[0]!.sha256,
      width: 1000,
      height: 800,
    };
    const f2 = new Findings();
    checkPages(m2, fakePdf(m2, { pageImages: () => [{ width: 999, height: 800 }] }), f2);
    expect(new Set(codesOf(f2))).toEqual(new Set(['page_image_mismatch']));
    expect(f2.problems[0]!.page).toBe(r2.from);
  });
});

describe('custody checks', () => {
  function check(m: BundleManifest): Findings {
    const f = new Findings();
    const keys = listedKeys(m, f);
    const exhibitOf = new Map<string, string>();
    for (const ex of m.exhibits) for (const h of ex.events) exhibitOf.set(h, ex.exhibitNumber);
    checkCustody(m, keys, f, exhibitOf);
    return f;
  }

  it('pass on the assembled manifest', () => {
    expect(check(manifest).problems).toEqual([]);
  });

  it('report a validly signed event that does not link to the one before it', () => {
    const m = structuredClone(manifest);
    const i = m.custody.events.findIndex((e) => e.action === 'transfer');
    const old = m.custody.events[i]!;
    const before = m.custody.events[i - 1]!;
    const forged = nextEvent(
      old.chain,
      { chain: old.chain, seq: before.seq, hash: 'ab'.repeat(32) },
      { action: 'transfer', itemUid: old.itemUid, actor: old.actor, at: old.at, app: old.app },
      fixedKey(1).privateKey,
    );
    m.custody.events[i] = forged;
    for (const ex of m.exhibits)
      ex.events = ex.events.map((h) => (h === old.hash ? forged.hash : h));
    const f = check(m);
    expect(codesOf(f)).toEqual(['event_broken_link']);
    expect(f.problems[0]).toMatchObject({ seq: forged.seq, exhibitNumber: 'PExh-2' });
  });

  it('report two events with one number (a fork) and an event no exhibit lists', () => {
    const m = structuredClone(manifest);
    const old = m.custody.events.find((e) => e.action === 'transfer')!;
    const prev = m.custody.events.find((e) => e.seq === old.seq - 1)!;
    const twin: CustodyEvent = nextEvent(
      old.chain,
      prev,
      {
        action: 'transfer',
        itemUid: old.itemUid,
        actor: old.actor,
        at: old.at,
        app: old.app,
        reason: 'Other',
      },
      fixedKey(1).privateKey,
    );
    m.custody.events.push(twin);
    const f = check(m);
    expect(codesOf(f).sort()).toEqual(['event_fork', 'event_unlisted']);
  });

  it('report an exhibit hash that its intake event does not record', () => {
    const m = structuredClone(manifest);
    m.exhibits[0]!.size += 1;
    expect(codesOf(check(m))).toEqual(['intake_mismatch']);
  });
});

describe('manifest parsing', () => {
  it('reports a manifest that is not in canonical form, and a key listed under another id', () => {
    const text = Buffer.from(JSON.stringify(manifest, null, 1));
    const f = new Findings();
    const m = parseManifest(text, f)!;
    expect(codesOf(f)).toEqual(['manifest_not_canonical']);
    m.custody.keys[0]!.publicKey = fixedKey(2).publicKeyRaw.toString('base64');
    listedKeys(m, f);
    expect(codesOf(f)).toEqual(['manifest_not_canonical', 'key_id_mismatch']);
  });

  it('reports what is not a manifest', () => {
    const f = new Findings();
    expect(parseManifest(Buffer.from([0xff, 0xfe]), f)).toBeNull();
    expect(parseManifest(Buffer.from('{"format":"other"}'), f)).toBeNull();
    expect(parseManifest(manifestBytes(manifest), f)).not.toBeNull();
    expect(codesOf(f)).toEqual(['manifest_unreadable', 'manifest_unreadable']);
  });
});

describe('PDF signature byte ranges', () => {
  // A made-up file: 20 bytes, then /Contents <hex>, then 10 bytes.
  const head = Buffer.from('%PDF-1.7 1 0 obj << /Contents ');
  const hex = '3003020100';
  const file = Buffer.concat([head, Buffer.from(`<${hex}>`), Buffer.from(' >> endobj')]);
  const open = head.length;
  const close = open + hex.length + 2;
  const dict = (byteRange: unknown[], contentsHex = hex) => ({
    byteRange,
    contentsHex,
    subFilter: 'ETSI.CAdES.detached',
    signingTime: null,
    name: null,
  });
  function run(byteRange: unknown[], bytes: Buffer = file, contentsHex = hex): string[] {
    const codes: string[] = [];
    checkPdfSignature(bytes, dict(byteRange, contentsHex), (c) => codes.push(c));
    return codes;
  }

  it('refuse ranges that do not start at 0, run past the file or are not numbers', () => {
    expect(run([1, open - 1, close, file.length - close])).toEqual(['pdf_signature_malformed']);
    expect(run([0, open, close, file.length])).toEqual(['pdf_signature_malformed']);
    expect(run([0, open, close, 'x'])).toEqual(['pdf_signature_malformed']);
  });

  it('refuse a gap that is not the /Contents hex string', () => {
    expect(run([0, open - 3, close, file.length - close])).toEqual(['pdf_signature_malformed']);
    expect(run([0, open, close, file.length - close], file, '300302')).toEqual([
      'pdf_signature_malformed',
    ]);
  });

  it('report bytes after the signed part, then read the CMS', () => {
    const longer = Buffer.concat([file, Buffer.from('\n% appended\n')]);
    const codes = run([0, open, close, file.length - close], longer);
    expect(codes[0]).toBe('pdf_not_whole_file');
    // The hex here is no CMS at all.
    expect(codes[1]).toBe('pdf_signature_malformed');
  });

  it('the DER reader refuses truncated elements and indefinite lengths', () => {
    expect(() => readTlv(Buffer.from('3005020100', 'hex'), 0)).toThrow('past its container');
    expect(() => readTlv(Buffer.from('3080020100', 'hex'), 0)).toThrow('indefinite');
    expect(readTlv(Buffer.from('3003020100', 'hex'), 0)).toMatchObject({ tag: 16, end: 5 });
  });
});

describe('the PDF signature, every hex digit of the CMS', () => {
  it('a change to any one of them is reported', async () => {
    const identity = createSigningIdentity(
      { name: 'Otieno', notBefore: '2026-01-01T00:00:00.000Z' },
      'p',
    );
    const { pdf } = await assembleSignedBundle(
      buildInput([
        {
          title: 'Statement',
          kind: 'statement',
          mediaType: 'text/plain',
          original: Buffer.from('I saw it.'),
          content: { type: 'text', text: 'I saw it.' },
        },
      ]),
      {
        generatedAt: '2026-04-02T08:00:00.000Z',
        identity,
        signature: { name: 'Otieno', reason: 'r', location: 'l' },
      },
    );
    const file = Buffer.from(pdf);
    const m = /\/ByteRange \[(\d+) (\d+) (\d+) (\d+)\]/.exec(
      file.subarray(file.lastIndexOf('/ByteRange [')).toString('latin1'),
    )!;
    const byteRange = m.slice(1).map(Number);
    const [, open, close] = byteRange as [number, number, number];
    const hex = file.subarray(open + 1, close - 1).toString('latin1');
    const dict = (h: string) => ({
      byteRange,
      contentsHex: h,
      subFilter: 'ETSI.CAdES.detached',
      signingTime: '2026-04-02T08:00:00.000Z',
      name: 'Otieno',
    });
    const problems = (h: string) => {
      const codes: string[] = [];
      const f = Buffer.from(file);
      f.write(h, open + 1, 'latin1');
      checkPdfSignature(f, dict(h), (c) => codes.push(c));
      return codes;
    };
    expect(problems(hex)).toEqual([]);
    const used = hex.replace(/0+$/, '').length + 2;
    let unnoticed = 0;
    for (let i = 0; i < used; i++) {
      const d = hex[i] as string;
      const other = d === '0' ? '8' : '0';
      if (problems(hex.slice(0, i) + other + hex.slice(i + 1)).length === 0) unnoticed++;
    }
    expect(used).toBeGreaterThan(1500);
    expect(unnoticed).toBe(0);
  });
});
