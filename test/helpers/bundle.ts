// Synthetic court bundles: a case with signed custody events, a tree head with inclusion
// proofs, and exhibits of every kind (typed statements, DOCX, PDFs from the corpus and made
// here, photos turned into intake page images, audio and physical exhibits).
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PDFDocument, StandardFonts, degrees, rgb } from 'pdf-lib';
import sharp from 'sharp';
import type { BundleSpec } from '../../shared/bundle-spec';
import type { ItemKind } from '../../shared/domain';
import {
  caseChainId,
  nextEvent,
  type CustodyEvent,
  type JsonValue,
} from '../../electron/custody/event';
import { privateKeyFromSeed, signingKeyFrom, type SigningKey } from '../../electron/custody/keys';
import { MerkleTree, eventLeaves, signTreeHead, treeHeadOf } from '../../electron/custody/merkle';
import { makePageImage } from '../../electron/intake/derivatives';
import type { BundleExhibit, BundleInput, ExhibitContent } from '../../electron/bundle/types';
import { zip } from './zip';

export const CORPUS = join(__dirname, '..', '..', '..', 'shared', 'corpus');
export const ARTIFACTS = join(__dirname, '..', '..', 'test-artifacts', 'bundle');

export function corpusFile(name: string): Buffer {
  return readFileSync(join(CORPUS, name));
}

export function sha256(b: Uint8Array | string): string {
  return createHash('sha256').update(b).digest('hex');
}

/** A fixed key, so that bundles built in different test runs are the same bytes. */
export function fixedKey(n: number): SigningKey {
  const seed = createHash('sha256').update(`kesi bundle test key ${n}`).digest();
  return signingKeyFrom(privateKeyFromSeed(seed));
}

// ---------------------------------------------------------------------------------------------
// Content

/** A PDF made with pdf-lib: `pages` pages of text, optionally with /Rotate on some. */
export async function makePdf(
  title: string,
  pages: number,
  opts: { rotate?: number[]; size?: [number, number] } = {},
): Promise<Uint8Array> {
  const doc = await PDFDocument.create({ updateMetadata: false });
  const font = await doc.embedFont(StandardFonts.Helvetica);
  for (let i = 0; i < pages; i++) {
    const page = doc.addPage(opts.size ?? [595.28, 841.89]);
    page.drawText(`${title} — page ${i + 1} of ${pages}`.replace('—', '-'), {
      x: 60,
      y: page.getHeight() - 90,
      size: 14,
      font,
    });
    for (let l = 0; l < 30; l++) {
      page.drawText(`Line ${l + 1}: synthetic report text for bundle testing.`, {
        x: 60,
        y: page.getHeight() - 130 - l * 18,
        size: 10,
        font,
        color: rgb(0.2, 0.2, 0.2),
      });
    }
    const r = opts.rotate?.[i];
    if (r) page.setRotation(degrees(r));
  }
  return doc.save();
}

/** A smooth synthetic photo with a little noise, as a camera JPEG. */
export async function makePhoto(
  width: number,
  height: number,
  seed: number,
  noise = 12,
): Promise<Buffer> {
  const buf = Buffer.alloc(width * height * 3);
  let x = (seed * 2654435761) >>> 0;
  for (let j = 0; j < height; j++) {
    for (let i = 0; i < width; i++) {
      x = (x * 1103515245 + 12345) >>> 0;
      const n = ((x >>> 24) / 255 - 0.5) * noise;
      const o = (j * width + i) * 3;
      const s = Math.sin((i + seed * 37) / 97) * Math.cos(j / 61);
      buf[o] = Math.max(0, Math.min(255, 120 + 80 * s + n));
      buf[o + 1] = Math.max(0, Math.min(255, (i / width) * 150 + 40 + n));
      buf[o + 2] = Math.max(0, Math.min(255, (j / height) * 180 + 30 + n));
    }
  }
  return sharp(buf, { raw: { width, height, channels: 3 } })
    .jpeg({ quality: 90 })
    .withExif({
      IFD0: { Make: 'TECNO', Model: 'Spark 10', Orientation: '1' },
      IFD2: { DateTimeOriginal: '2026:03:14 09:26:53' },
    })
    .toBuffer();
}

/** A minimal Word document (DOCX): one paragraph per entry. Stored, not deflated. */
export function makeDocx(paragraphs: string[]): Buffer {
  const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  const files: [string, string][] = [
    [
      '[Content_Types].xml',
      '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
    ],
    [
      '_rels/.rels',
      '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>',
    ],
    [
      'word/document.xml',
      `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>${paragraphs
        .map((p) => `<w:p><w:r><w:t xml:space="preserve">${esc(p)}</w:t></w:r></w:p>`)
        .join('')}</w:body></w:document>`,
    ],
  ];
  return zip(files);
}

// ---------------------------------------------------------------------------------------------
// Exhibits and their custody

export interface ExhibitDraft {
  title: string;
  kind: ItemKind;
  subtype?: string | null;
  description?: string | null;
  capturedAt?: string | null;
  camera?: { make: string | null; model: string | null } | null;
  software?: string | null;
  durationSeconds?: number | null;
  originalName?: string | null;
  mediaType: string;
  /** The original's bytes (for its hash and size). */
  original: Uint8Array;
  content: ExhibitContent;
  custodian?: {
    name: string;
    organisation?: string | null;
    place?: string | null;
    seal?: string | null;
  } | null;
  transfers?: { to: string; organisation?: string; place?: string; seal?: string }[];
  seal?: string | null;
}

export interface CaseBuilder {
  caseUid: string;
  key: SigningKey;
  user: string;
  drafts: ExhibitDraft[];
}

const CASE_UID = '7d0c5b8e-2f4a-4c1e-9b3d-6a8f1e2d4c5b';

function uidOf(n: number): string {
  const hex = sha256(`item ${n}`);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

function isoPlus(base: string, minutes: number): string {
  return new Date(Date.parse(base) + minutes * 60_000).toISOString();
}

/** Turns drafts into a complete BundleInput: signed events, tree head and proofs. */
export function buildInput(
  drafts: ExhibitDraft[],
  opts: {
    spec?: Partial<BundleSpec>;
    key?: SigningKey;
    user?: string;
    pseudonyms?: { name: string; pseudonym: string }[];
  } = {},
): BundleInput {
  const key = opts.key ?? fixedKey(1);
  const user = opts.user ?? 'wanjiku';
  const chain = caseChainId(CASE_UID);
  const actor = { user, keyId: key.keyId };
  const app = 'kesi/0.1.0';
  const start = '2026-03-01T07:00:00.000Z';
  const events: CustodyEvent[] = [];
  const push = (input: Parameters<typeof nextEvent>[2]) => {
    const ev = nextEvent(chain, events[events.length - 1] ?? null, input, key.privateKey);
    events.push(ev);
    return ev;
  };
  push({
    action: 'create',
    actor,
    app,
    at: start,
    details: { ref: 'IMLU-2026-014', title: 'Death in custody, Kilimani' },
  });
  const exhibits: BundleExhibit[] = [];
  drafts.forEach((d, i) => {
    const uid = uidOf(i);
    const at = isoPlus(start, 60 * (i + 1));
    const hash = sha256(d.original);
    const custodian = d.custodian ?? {
      name: user,
      organisation: 'IMLU',
      place: 'IMLU office, Nairobi',
      seal: null,
    };
    push({
      action: 'intake',
      itemUid: uid,
      actor,
      app,
      at,
      place: 'IMLU office, Nairobi',
      reason: `${d.title} received`,
      details: {
        kind: d.kind,
        originalName: d.originalName ?? null,
        mediaType: d.mediaType,
        size: d.original.length,
        sha256: hash,
        custodian: custodian as unknown as JsonValue,
      },
    });
    let current = { ...custodian, since: at } as BundleExhibit['custodian'];
    (d.transfers ?? []).forEach((t, k) => {
      const tAt = isoPlus(at, 30 * (k + 1));
      push({
        action: 'transfer',
        itemUid: uid,
        actor,
        app,
        at: tAt,
        place: t.place ?? null,
        reason: 'Sent for analysis',
        details: {
          from: (current ?? null) as unknown as JsonValue,
          to: {
            name: t.to,
            organisation: t.organisation ?? null,
            place: t.place ?? null,
            seal: t.seal ?? null,
          },
        },
      });
      current = {
        name: t.to,
        organisation: t.organisation ?? null,
        place: t.place ?? null,
        seal: t.seal ?? null,
        since: tAt,
      };
    });
    exhibits.push({
      itemUid: uid,
      title: d.title,
      kind: d.kind,
      subtype: d.subtype ?? null,
      description: d.description ?? null,
      capturedAt: d.capturedAt ?? null,
      camera: d.camera ?? null,
      software: d.software ?? null,
      durationSeconds: d.durationSeconds ?? null,
      sha256: hash,
      size: d.original.length,
      mediaType: d.mediaType,
      originalName: d.originalName ?? null,
      intakeAt: at,
      intakeBy: user,
      custodian: current,
      seal: d.seal ?? null,
      content: d.content,
      custodyEvents: [],
    });
  });
  // Tree head over the whole log (here: the one case chain), and proofs for every event.
  const tree = new MerkleTree(eventLeaves(events));
  const head = signTreeHead(
    treeHeadOf(tree, { user, keyId: key.keyId }, isoPlus(start, 60 * 24 * 30)),
    key.privateKey,
  );
  exhibits.forEach((ex) => {
    ex.custodyEvents = events.filter((e) => e.itemUid === ex.itemUid);
    ex.inclusionProofs = ex.custodyEvents.map((e) => {
      const index = events.indexOf(e);
      return {
        eventHash: e.hash,
        leafIndex: index,
        treeSize: tree.size,
        path: tree.inclusionProof(index).map((h) => h.toString('hex')),
      };
    });
  });
  const sections = groupByKind(exhibits);
  const spec: BundleSpec = {
    v: 1,
    caseRef: 'IMLU-2026-014',
    title: 'Prosecution bundle of documents',
    court: "Chief Magistrate's Court at Milimani",
    caseNumber: 'Criminal Case No. E123 of 2026',
    parties: 'Republic v. John Mwangi Kamau and another',
    preparedBy: 'Achieng Otieno, Advocate, for the complainant',
    date: '2026-04-02',
    usePseudonyms: true,
    sections,
    ...opts.spec,
  };
  const pub = { user, keyId: key.keyId, publicKey: key.publicKeyRaw.toString('base64') };
  return {
    spec,
    case: { uid: CASE_UID, ref: 'IMLU-2026-014', title: 'Death in custody, Kilimani' },
    exhibits,
    treeHead: head,
    keys: [pub],
    signer: { ...pub, privateKey: key.privateKey, displayName: 'Wanjikũ Njeri' },
    app,
    pseudonyms: opts.pseudonyms,
  };
}

function groupByKind(exhibits: BundleExhibit[]): BundleSpec['sections'] {
  const order: [string, ItemKind[]][] = [
    ['Statements', ['statement']],
    ['Medical reports', ['medical_report']],
    ['Photographs', ['photo']],
    ['Documents', ['document', 'other']],
    ['Audio and video', ['audio', 'video']],
    ['Physical exhibits', ['physical_exhibit']],
  ];
  let n = 1;
  const sections: BundleSpec['sections'] = [];
  for (const [title, kinds] of order) {
    const items = exhibits.filter((e) => kinds.includes(e.kind));
    if (items.length === 0) continue;
    sections.push({
      title,
      items: items.map((e) => ({ itemUid: e.itemUid, exhibitNumber: `PExh-${n++}` })),
    });
  }
  return sections;
}

export const STATEMENT_TEXT = `STATEMENT OF WITNESS

I, Mary Wanjirū Kamau, of Kibera, Nairobi, state as follows.

On the night of 14 March 2026 at about 9 p.m. I was at my shop near the Kilimani police post when three officers came and arrested my neighbour, Mũthoni. They beat him with batons in front of the shop. I saw one officer, whom I know as Corporal Otieno, kick him several times while he lay on the ground.

I followed them to the police post. I heard shouting from inside for about an hour. In the morning I was told he had been taken to Kenyatta National Hospital.

Nimetoa ushahidi huu kwa hiari yangu na ni kweli kwa kadiri ya ufahamu wangu. (I have given this evidence freely and it is true to the best of my knowledge.)`;

/** A mixed set of exhibits: statements, DOCX, PDFs (generated and corpus), photos, audio, physical. */
export async function sampleDrafts(): Promise<ExhibitDraft[]> {
  const statement = Buffer.from(STATEMENT_TEXT, 'utf8');
  const longStatement = Buffer.from(
    Array.from(
      { length: 40 },
      (_, i) =>
        `Paragraph ${i + 1}. ${'The witness describes the events at the police post in detail, naming each officer present and the times at which she saw them. '.repeat(3)}`,
    ).join('\n\n'),
    'utf8',
  );
  const docx = makeDocx([
    'STATEMENT OF PW2',
    'I am a clinical officer at Kenyatta National Hospital. On 15 March 2026 I examined Mũthoni Njoroge.',
    'He had bruises on both forearms and a fracture of the left ulna, consistent with blunt force.',
    'Wanjirū Kamau accompanied him to the hospital.',
  ]);
  const p3 = await makePdf('P3 form - Muthoni Njoroge', 3);
  const rotated = corpusFile('pdf-rotated-pages-pypdf.pdf');
  const ricoh = corpusFile('scan-ricoh-mpc3003-ocr-rotate270-a5.pdf');
  const mixed = corpusFile('pdf-mixed-page-sizes-6pages.pdf');
  const ownerOnly = corpusFile('pdf-ownerpw-only-rc4-reportbuilder-pdf13.pdf');
  const photoPortrait = corpusFile('photo-orient6-samsung-sm-j327t1.jpg');
  const photoLandscape = corpusFile('photo-orient1-gps-apple-iphone4.jpg');
  const pagePortrait = await makePageImage(photoPortrait);
  const pageLandscape = await makePageImage(photoLandscape);
  const audio = Buffer.from('RIFF....WAVEfmt synthetic audio placeholder bytes', 'latin1');
  const physicalRecord = Buffer.from('{"title":"Blood-stained shirt"}', 'utf8');
  return [
    {
      title: 'Statement of PW1 (Mary Wanjirū Kamau)',
      kind: 'statement',
      description: 'Eye-witness account of the arrest on 14 March 2026.',
      capturedAt: '2026-03-15T09:00:00.000Z',
      originalName: 'statement-pw1.txt',
      mediaType: 'text/plain',
      original: statement,
      content: { type: 'text', text: STATEMENT_TEXT },
    },
    {
      title: 'Statement of PW2, clinical officer',
      kind: 'statement',
      originalName: 'PW2 statement.docx',
      mediaType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
      original: docx,
      content: { type: 'docx', bytes: docx },
    },
    {
      title: 'Statement of PW3 (long)',
      kind: 'statement',
      originalName: 'pw3.txt',
      mediaType: 'text/plain',
      original: longStatement,
      content: { type: 'text', text: longStatement.toString('utf8') },
    },
    {
      title: 'P3 form: Mũthoni Njoroge',
      kind: 'medical_report',
      subtype: 'p3',
      capturedAt: '2026-03-16T06:30:00.000Z',
      originalName: 'P3 – Njoroge.pdf',
      mediaType: 'application/pdf',
      software: 'pdf-lib',
      original: p3,
      content: { type: 'pdf', bytes: p3 },
    },
    {
      title: 'Treatment notes (report builder, owner password)',
      kind: 'medical_report',
      subtype: 'treatment_notes',
      originalName: 'notes.pdf',
      mediaType: 'application/pdf',
      software: 'ReportBuilder',
      original: ownerOnly,
      content: { type: 'pdf', bytes: ownerOnly },
    },
    {
      title: 'Injuries to the left forearm',
      kind: 'photo',
      description: 'Bruising on the left forearm of Mũthoni Njoroge, photographed at the hospital.',
      capturedAt: '2019-09-26T13:38:00.000Z',
      camera: { make: 'samsung', model: 'SM-J327T1' },
      originalName: 'IMG_2041.jpg',
      mediaType: 'image/jpeg',
      original: photoPortrait,
      content: {
        type: 'image',
        pageImageJpeg: pagePortrait.data,
        width: pagePortrait.width,
        height: pagePortrait.height,
      },
    },
    {
      title: 'Scene outside the police post',
      kind: 'photo',
      description: 'The gate of the police post the morning after.',
      capturedAt: '2011-01-13T11:33:39.000Z',
      camera: { make: 'Apple', model: 'iPhone 4' },
      originalName: 'scene.jpg',
      mediaType: 'image/jpeg',
      original: photoLandscape,
      content: {
        type: 'image',
        pageImageJpeg: pageLandscape.data,
        width: pageLandscape.width,
        height: pageLandscape.height,
      },
    },
    {
      title: 'Occurrence book extract (rotated pages)',
      kind: 'document',
      originalName: 'pdf-rotated-pages-pypdf.pdf',
      mediaType: 'application/pdf',
      original: rotated,
      content: { type: 'pdf', bytes: rotated },
    },
    {
      title: 'Scanned letter (Ricoh, rotated 270°, A5)',
      kind: 'document',
      originalName: 'scan-ricoh.pdf',
      mediaType: 'application/pdf',
      original: ricoh,
      content: { type: 'pdf', bytes: ricoh },
    },
    {
      title: 'Mixed page sizes',
      kind: 'document',
      originalName: 'multipage.pdf',
      mediaType: 'application/pdf',
      original: mixed,
      content: { type: 'pdf', bytes: mixed },
    },
    {
      title: 'Recording of the 999 call',
      kind: 'audio',
      description: 'Call to the emergency line made by PW1 at 21:14.',
      capturedAt: '2026-03-14T18:14:00.000Z',
      durationSeconds: 187,
      originalName: 'call.wav',
      mediaType: 'audio/wav',
      original: audio,
      content: { type: 'placeholder' },
    },
    {
      title: 'Blood-stained shirt',
      kind: 'physical_exhibit',
      description: 'White shirt worn by the deceased, recovered at the police post.',
      mediaType: 'application/vnd.kesi.physical-exhibit+json',
      original: physicalRecord,
      seal: 'KE-0042',
      content: { type: 'placeholder' },
      custodian: { name: 'Cpl. Achieng', organisation: 'DCI', place: 'Kilimani', seal: 'KE-0042' },
      transfers: [
        {
          to: 'Government Chemist',
          organisation: 'Government Chemist Department',
          place: 'Nairobi',
          seal: 'GC-7781',
        },
      ],
    },
  ];
}

// ---------------------------------------------------------------------------------------------
// Real tools

export function tool(cmd: string, args: string[]): string {
  return execFileSync(cmd, args, { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
}

/** Runs a tool and returns its exit code and output instead of throwing. */
export function toolResult(cmd: string, args: string[]): { code: number; out: string } {
  try {
    return {
      code: 0,
      out: execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }),
    };
  } catch (e) {
    const err = e as { status?: number; stdout?: string; stderr?: string };
    return { code: err.status ?? 1, out: `${err.stdout ?? ''}${err.stderr ?? ''}` };
  }
}

export function hasTools(): boolean {
  return ['qpdf', 'pdfinfo', 'pdftotext', 'pdfdetach'].every((t) => {
    try {
      execFileSync('which', [t], { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  });
}
