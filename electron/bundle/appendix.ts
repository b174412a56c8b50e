// The appendix: A, the hash manifest; B, the custody timeline of each exhibit; C, a draft
// certificate under s.106B(4) of the Evidence Act (Cap 80).
import type { PDFPage } from 'pdf-lib';
import type { BundleSpec } from '../../shared/bundle-spec';
import type { CustodyEvent, JsonValue } from '../custody/event';
import type { SignedTreeHead } from '../custody/merkle';
import type { Book } from './book';
import type { ResolvedExhibit } from './exhibits';
import { Flow } from './flow';
import type { BundleFonts } from './fonts';
import {
  CONTENT_TOP,
  CONTENT_W,
  INK,
  MARGIN,
  MUTED,
  PAGE_W,
  drawCentred,
  drawLine,
  hRule,
  wrapLimited,
} from './layout';
import type { Pseudonymise } from './text';
import {
  cameraText,
  custodianText,
  eatMinute,
  eatSecond,
  kindName,
  longDate,
  shortHash,
  sizeText,
} from './words';

export interface AppendixExhibit extends ResolvedExhibit {
  firstPage: number;
  lastPage: number;
}

export interface AppendixContext {
  book: Book;
  fonts: BundleFonts;
  say: Pseudonymise;
  spec: BundleSpec;
  exhibits: AppendixExhibit[];
  treeHead: SignedTreeHead | null;
  generatedAt: string;
  app: string;
  signer: { user: string; keyId: string; displayName: string | null };
}

export interface AppendixPages {
  hashManifest: { firstPage: number; lastPage: number };
  custodyTimeline: { firstPage: number; lastPage: number };
  certificate: { firstPage: number; lastPage: number };
}

function appendixHeader(
  ctx: AppendixContext,
  letter: string,
  title: string,
): (page: PDFPage, continued: boolean) => number {
  const { fonts } = ctx;
  return (page, continued) => {
    let y = CONTENT_TOP;
    const text = `Appendix ${letter} — ${title}${continued ? ' (continued)' : ''}`;
    const size = continued ? 10 : 14;
    drawLine(page, text, MARGIN.left, y - fonts.ascent(size), { font: fonts.bold, size });
    y -= size * 1.5;
    hRule(page, MARGIN.left, PAGE_W - MARGIN.right, y);
    return y - 10;
  };
}

export function drawAppendix(ctx: AppendixContext): AppendixPages {
  return {
    hashManifest: hashManifest(ctx),
    custodyTimeline: custodyTimeline(ctx),
    certificate: certificate(ctx),
  };
}

// ---------------------------------------------------------------------------------------------

function hashManifest(ctx: AppendixContext): { firstPage: number; lastPage: number } {
  const { fonts } = ctx;
  const flow = new Flow(ctx.book, 'Appendix A', appendixHeader(ctx, 'A', 'Hash manifest'));
  const body = { font: fonts.regular, size: 9, leading: 12.5 };
  flow.paragraph(
    'The SHA-256 hash value of each exhibit, computed by Kesi when the exhibit was taken in and kept in its signed custody log. ' +
      'Anyone holding a copy of an original can recompute its SHA-256 (for example "sha256sum FILE" on Linux, ' +
      '"shasum -a 256 FILE" on macOS, "certutil -hashfile FILE SHA256" on Windows) and compare it with this list: ' +
      'equal values show that the copy is bit for bit the file that was taken in. For a physical exhibit, the value is the hash of its registration record.',
    body,
  );
  flow.gap(8);
  const cols = [
    { title: 'Exhibit', width: 62 },
    { title: 'Title and original file', width: CONTENT_W - 62 - 92 - 92 - 110 },
    { title: 'Size', width: 92 },
    { title: 'Taken in (EAT)', width: 92 },
    { title: 'Custodian', width: 110 },
  ];
  flow.table(
    cols,
    ctx.exhibits.map((e) => ({
      cells: [
        { text: e.number, font: fonts.bold },
        {
          text: `${e.title}${e.ex.originalName ? ` — ${ctx.say(e.ex.originalName)}` : ''}`,
          maxLines: 4,
        },
        sizeText(e.ex.size),
        eatMinute(e.ex.intakeAt),
        { text: custodianText(e.ex.custodian), maxLines: 4 },
      ],
      below: { text: `SHA-256  ${e.ex.sha256}`, color: INK },
    })),
    { size: 8, leading: 11, padY: 3.5 },
  );
  flow.gap(14);
  const head = ctx.treeHead;
  flow.heading('The custody log and this bundle', { font: fonts.bold, size: 10, keep: 60 });
  const lines: string[] = [
    "Every handling of every exhibit is an event in the case's custody log: each event names the one before it by its SHA-256, and is signed (Ed25519) by the user who acted. Appendix B lists each exhibit's events.",
  ];
  if (head) {
    lines.push(
      `The log is summarised by a signed tree head (RFC 9162 Merkle tree): ${head.treeSize.toLocaleString('en-GB')} events, root hash ${head.rootHash}, made ${eatSecond(head.at)} and signed by ${head.signer.user} (key ${head.signer.keyId}). The manifest attached to this file holds a proof that each event listed in Appendix B is in that tree.`,
    );
  }
  lines.push(
    'The attached manifest (kesi-manifest.json) holds the same facts for machines: the exhibits with their hashes and page ranges, what each page was made from, the custody events with their signatures and public keys, and is itself signed. "kesi verify" checks all of it without access to the evidence vault.',
  );
  for (const l of lines) {
    flow.paragraph(l, body);
    flow.gap(4);
  }
  return { firstPage: flow.firstPage, lastPage: flow.lastPage };
}

// ---------------------------------------------------------------------------------------------

const ACTION_NAMES: Record<string, string> = {
  create: 'case opened',
  intake: 'taken in',
  view: 'viewed',
  edit: 'edited',
  derive: 'derived',
  export: 'exported',
  transfer: 'transferred',
  seal: 'sealed',
  unseal: 'unsealed',
  verify: 'verified',
  dispose: 'disposed of',
};

function str(v: JsonValue | undefined): string | null {
  if (v === undefined || v === null) return null;
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return null;
}

function party(v: JsonValue | undefined): string | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string') return v;
  if (typeof v === 'object' && !Array.isArray(v)) {
    const parts = [str(v.name), str(v.organisation), str(v.place)].filter((s): s is string => !!s);
    const seal = str(v.seal);
    return parts.join(', ') + (seal ? ` (seal ${seal})` : '');
  }
  return null;
}

function compactJson(v: JsonValue, max = 160): string {
  const s = JSON.stringify(v);
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

/** What an event did, in a few words. */
export function eventSummary(e: CustodyEvent): string {
  const d = e.details;
  const parts: string[] = [];
  switch (e.action) {
    case 'intake': {
      const name = str(d.originalName);
      if (name) parts.push(`file ${name}`);
      const size = d.size;
      if (typeof size === 'number') parts.push(sizeText(size));
      const custodian = party(d.custodian);
      if (custodian) parts.push(`custodian ${custodian}`);
      break;
    }
    case 'transfer': {
      const from = party(d.from);
      const to = party(d.to);
      if (from) parts.push(`from ${from}`);
      if (to) parts.push(`to ${to}`);
      break;
    }
    case 'export': {
      const to = str(d.to);
      if (to) parts.push(`to ${to}`);
      const sha = str(d.sha256);
      if (sha) parts.push(`SHA-256 ${shortHash(sha)}`);
      break;
    }
    case 'seal':
    case 'unseal': {
      const seal = str(d.sealNumber) ?? str(d.seal);
      if (seal) parts.push(`seal ${seal}`);
      break;
    }
    case 'derive': {
      const why = str(d.why);
      if (why) parts.push(why);
      break;
    }
    case 'verify': {
      const result = str(d.result);
      if (result) parts.push(`result: ${result}`);
      break;
    }
    case 'edit': {
      const item = d.item;
      if (item && typeof item === 'object' && !Array.isArray(item)) {
        parts.push(`changed ${Object.keys(item).join(', ')}`);
      } else if (Object.keys(d).length > 0) parts.push(`changed ${Object.keys(d).join(', ')}`);
      break;
    }
    default:
      if (Object.keys(d).length > 0) parts.push(compactJson(d));
  }
  return parts.join('; ');
}

function custodyTimeline(ctx: AppendixContext): { firstPage: number; lastPage: number } {
  const { fonts } = ctx;
  const flow = new Flow(ctx.book, 'Appendix B', appendixHeader(ctx, 'B', 'Custody timelines'));
  flow.paragraph(
    'For each exhibit, every recorded handling, oldest first, in East Africa Time. "#" is the event\'s number in the case\'s custody log; ' +
      'the hash identifies the signed event in the attached manifest. Places, reasons and details are as the users recorded them.',
    { font: fonts.regular, size: 9, leading: 12.5 },
  );
  flow.gap(6);
  const cols = [
    { title: '#', width: 28, align: 'right' as const },
    { title: 'Time (EAT)', width: 66 },
    { title: 'Action', width: 56 },
    { title: 'By', width: 58 },
    { title: 'Where, why and what', width: CONTENT_W - 28 - 66 - 56 - 58 - 86 },
    { title: 'Event hash', width: 86 },
  ];
  for (const e of ctx.exhibits) {
    flow.gap(8);
    flow.heading(`${e.number} — ${e.title}`, { font: fonts.bold, size: 10, keep: 75 });
    const events = e.ex.custodyEvents;
    if (events.length === 0) {
      flow.paragraph('No custody events were handed to the bundle for this exhibit.', {
        font: fonts.regular,
        size: 8.5,
        leading: 11,
        color: MUTED,
      });
      continue;
    }
    flow.table(
      cols,
      events.map((ev) => {
        const summary = eventSummary(ev);
        const what = [
          ev.place ? `At ${ev.place}.` : '',
          ev.reason ? `${ev.reason}.` : '',
          summary ? `${summary.charAt(0).toUpperCase()}${summary.slice(1)}.` : '',
        ]
          .filter((s) => s !== '')
          .join(' ')
          .replace(/\.\./g, '.');
        return {
          cells: [
            `${ev.seq}`,
            eatMinute(ev.at).replace(' EAT', ''),
            ACTION_NAMES[ev.action] ?? ev.action,
            ev.actor.user,
            { text: ctx.say(what), maxLines: 6 },
            { text: ev.hash.slice(0, 16), color: MUTED },
          ],
        };
      }),
      { size: 7.5, leading: 10, padY: 3 },
    );
  }
  return { firstPage: flow.firstPage, lastPage: flow.lastPage };
}

// ---------------------------------------------------------------------------------------------

const ELECTRONIC = new Set([
  'statement',
  'medical_report',
  'photo',
  'document',
  'audio',
  'video',
  'other',
]);

function howProduced(e: AppendixExhibit): { record: string; how: string } {
  const ex = e.ex;
  const record = [e.title, ex.originalName ? `file ${ex.originalName}` : '', ex.mediaType]
    .filter((s) => s !== '')
    .join('; ');
  const device = cameraText(ex.camera);
  const when = ex.capturedAt ? ` on ${eatMinute(ex.capturedAt)}` : '';
  const software = ex.software ? ` (software: ${ex.software})` : '';
  let how: string;
  switch (ex.content.type) {
    case 'image':
      how = `${ex.kind === 'photo' ? 'Photograph' : 'Image'} taken${device ? ` with a ${device}` : ' (device not recorded)'}${when}${software}; printed from the upright page image made at intake.`;
      break;
    case 'pdf':
      how = `PDF document${ex.software ? ` produced by ${ex.software}` : ''}${ex.capturedAt ? `, dated ${eatMinute(ex.capturedAt)}` : ''}; its pages are reproduced as they are.`;
      break;
    case 'docx':
      how = `Word document${ex.software ? ` produced by ${ex.software}` : ''}; its text was extracted and typeset by Kesi.`;
      break;
    case 'text':
      how = `Typed text file; typeset by Kesi.`;
      break;
    default:
      how = `${kindName(ex.kind, ex.subtype)}${device ? ` made with a ${device}` : ''}${when}${software}; produced separately.`;
  }
  return { record, how };
}

function certificate(ctx: AppendixContext): { firstPage: number; lastPage: number } {
  const { fonts, spec } = ctx;
  const flow = new Flow(
    ctx.book,
    'Appendix C',
    appendixHeader(ctx, 'C', 'Certificate under s.106B(4), Evidence Act'),
  );
  const body = { font: fonts.regular, size: 9.5, leading: 13.5 };
  const centred = (text: string, size: number, bold: boolean, color = INK) => {
    for (const line of wrapLimited(
      fonts,
      bold ? fonts.bold : fonts.regular,
      text,
      size,
      CONTENT_W,
      3,
    )) {
      flow.ensure(size * 1.45);
      drawCentred(fonts, flow.page, line, PAGE_W / 2, flow.y - fonts.ascent(size), {
        font: bold ? fonts.bold : fonts.regular,
        size,
        color,
      });
      flow.gap(size * 1.45);
    }
  };
  centred('DRAFT — to be completed, checked and signed before it is filed', 8.5, true, MUTED);
  flow.gap(6);
  centred(`IN THE ${spec.court.toLocaleUpperCase('en')}`, 11, true);
  centred(spec.caseNumber, 10, false);
  centred(spec.parties, 10.5, true);
  flow.gap(8);
  centred('CERTIFICATE UNDER SECTION 106B(4) OF THE EVIDENCE ACT (CAP. 80)', 11, true);
  flow.gap(10);
  flow.paragraph(
    'I, ……………………………………………………, (name) of ……………………………………………………, (position and organisation), ' +
      'being a person occupying a responsible position in relation to the operation of the devices and the management of the activities described below, ' +
      'state the following to the best of my knowledge and belief.',
    body,
  );
  flow.gap(6);
  const electronic = ctx.exhibits.filter((e) => ELECTRONIC.has(e.ex.kind));
  flow.paragraph(
    `1. Identification of the electronic records. The electronic records identified below are reproduced in this bundle ("${spec.title}") at the pages shown. ` +
      'Each was taken into the Kesi evidence locker on the date shown in Appendix A, when its SHA-256 hash value was computed and recorded; the same value identifies it here.',
    body,
  );
  flow.gap(6);
  if (electronic.length > 0) {
    flow.table(
      [
        { title: 'Exhibit', width: 56 },
        { title: 'Electronic record', width: 132 },
        {
          title: 'How it was produced, and on which device',
          width: CONTENT_W - 56 - 132 - 88 - 44,
        },
        { title: 'SHA-256 (first 16)', width: 88 },
        { title: 'Pages', width: 44, align: 'right' },
      ],
      electronic.map((e) => {
        const { record, how } = howProduced(e);
        return {
          cells: [
            { text: e.number, font: fonts.bold },
            { text: ctx.say(record), maxLines: 5 },
            { text: ctx.say(how), maxLines: 6 },
            shortHash(e.ex.sha256),
            e.firstPage === e.lastPage ? `${e.firstPage}` : `${e.firstPage}–${e.lastPage}`,
          ],
        };
      }),
      { size: 7.5, leading: 10, padY: 3 },
    );
  } else {
    flow.paragraph('(This bundle holds no electronic records.)', body);
  }
  flow.gap(8);
  const paras = [
    '2. Manner of production. The records were made by the devices named above and copied to the computer on which Kesi runs in the ordinary course of the investigation. ' +
      'Kesi stores each record unchanged and encrypted, and records every handling of it in a hash-chained custody log signed by the user who acted (Appendix B). ' +
      'Photographs are printed from an upright copy made at intake; documents in PDF form are reproduced page for page; the text of typed statements and Word documents is set in type by Kesi. ' +
      'The originals, and the recordings produced separately, can be checked against the SHA-256 values listed.',
    '3. As to the conditions in section 106B(2): (a) the computer output containing the information was produced by the computer during the period over which the computer was used to store or process information for the purposes of activities regularly carried on over that period by the person having lawful control over the use of the computer; ' +
      '(b) during that period, information of the kind contained in the electronic records, or of the kind from which the information so contained is derived, was regularly fed into the computer in the ordinary course of those activities; ' +
      '(c) throughout the material part of that period the computer was operating properly or, if not, any period in which it was not operating properly or was out of operation was not such as to affect the electronic records or the accuracy of their contents; and ' +
      '(d) the information contained in the electronic records reproduces or is derived from information fed into the computer in the ordinary course of those activities.',
    `4. This bundle was generated by ${ctx.app.replace('/', ' ')} on ${eatMinute(ctx.generatedAt)} by the user ${ctx.signer.user}${ctx.signer.displayName ? ` (${ctx.signer.displayName})` : ''}. ` +
      `Its machine-readable manifest (kesi-manifest.json, attached to this PDF file) lists the same records with their hash values and is signed with that user's key ${ctx.signer.keyId}.`,
  ];
  for (const p of paras) {
    flow.paragraph(p, body);
    flow.gap(6);
  }
  // Signatory block, kept together.
  const rows = ['Signature', 'Name', 'Position', 'Organisation', 'Date', 'Place'];
  flow.ensure(30 + rows.length * 24);
  flow.gap(16);
  for (const label of rows) {
    const y = flow.y - 14;
    drawLine(flow.page, `${label}:`, MARGIN.left, y, {
      font: fonts.regular,
      size: 9.5,
      color: MUTED,
    });
    const x = MARGIN.left + 90;
    flow.page.drawLine({
      start: { x, y: y - 2 },
      end: { x: x + 250, y: y - 2 },
      thickness: 0.5,
      color: MUTED,
    });
    flow.gap(24);
  }
  flow.gap(4);
  flow.paragraph(`Prepared for signature on ${longDate(spec.date)}.`, {
    font: fonts.regular,
    size: 8,
    leading: 11,
    color: MUTED,
  });
  return { firstPage: flow.firstPage, lastPage: flow.lastPage };
}
