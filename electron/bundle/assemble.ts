// The court bundle assembler: spec + case facts + resolved exhibits -> one paginated PDF and its
// manifest. Pure: no vault, no database, no clock (the generation time is an input), so the
// same input gives the same bytes. docs/BUNDLE.md describes the result.
//
// Order of the pages: cover, index, then per section a divider and its exhibits, then the
// appendix (A hash manifest, B custody timelines, C s.106B(4) certificate). Every page is
// stamped top right "Page N — LABEL". The cover and index pages are reserved first and drawn
// last, when every page number is known.
import { AFRelationship, PDFDocument, PDFHexString, PDFName } from 'pdf-lib';
import { BundleSpec } from '../../shared/bundle-spec';
import { KesiError } from '../../shared/errors';
import { parseInput } from '../../shared/validate';
import { isCustodyTime, isWellFormedHash, type CustodyEvent } from '../custody/event';
import { inclusionProofHolds } from '../custody/merkle';
import { drawAppendix, type AppendixExhibit } from './appendix';
import { Book, type OutlineEntry } from './book';
import { renderExhibit, type RenderContext, type ResolvedExhibit } from './exhibits';
import { BundleFonts, loadFontFiles } from './fonts';
import {
  drawCover,
  drawDivider,
  drawIndex,
  planIndex,
  type IndexRow,
  type PageRange,
} from './frontmatter';
import {
  MANIFEST_FILE_NAME,
  MANIFEST_FORMAT,
  MANIFEST_VERSION,
  manifestBytes,
  sha256Hex,
  signManifest,
  type BundleManifest,
  type ManifestExhibit,
  type ManifestPages,
} from './manifest';
import { installFastStreamCopy } from './stream-copy';
import { pseudonymiser, type Pseudonymise } from './text';
import type { AssembleOptions, BundleInput, BundlePublicKey } from './types';
import { eatDate, eatMinute } from './words';

export interface AssembledBundle {
  pdf: Uint8Array;
  manifest: BundleManifest;
}

/** "A", "B", … "Z", "AA", "AB", … */
export function sectionLetter(index: number): string {
  let n = index + 1;
  let s = '';
  while (n > 0) {
    const r = (n - 1) % 26;
    s = String.fromCharCode(65 + r) + s;
    n = Math.floor((n - 1) / 26);
  }
  return s;
}

function cancelled(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new KesiError('CANCELLED');
}

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

function pdfDate(iso: string): Date {
  return new Date(iso);
}

/** Checks what the assembler cannot repair and a verifier would reject. */
function checkInput(input: BundleInput, spec: BundleSpec, generatedAt: string): void {
  if (!isCustodyTime(generatedAt)) {
    throw new KesiError(
      'BAD_INPUT',
      'The generation time must be an ISO UTC time such as 2026-03-01T07:04:05.000Z.',
    );
  }
  if (spec.caseRef !== input.case.ref) {
    throw new KesiError(
      'BAD_INPUT',
      `The bundle spec is for case ${spec.caseRef}, not ${input.case.ref}.`,
    );
  }
  for (const ex of input.exhibits) {
    if (!isWellFormedHash(ex.sha256)) {
      throw new KesiError('BAD_INPUT', `Item ${ex.itemUid} has no valid SHA-256.`);
    }
  }
}

function resolveExhibits(
  input: BundleInput,
  spec: BundleSpec,
  say: Pseudonymise,
): ResolvedExhibit[][] {
  const byUid = new Map(input.exhibits.map((e) => [e.itemUid, e]));
  return spec.sections.map((section, s) =>
    section.items.map((item) => {
      const ex = byUid.get(item.itemUid);
      if (!ex) {
        throw new KesiError(
          'BUNDLE_EXHIBIT_MISSING',
          `Exhibit ${item.exhibitNumber} (item ${item.itemUid}) in section "${section.title}" is no longer in case ${spec.caseRef}. Remove it from the bundle or restore the item.`,
          { exhibitNumber: item.exhibitNumber, itemUid: item.itemUid },
        );
      }
      return {
        ex,
        number: item.exhibitNumber,
        section: s + 1,
        title: say(ex.title),
        description: ex.description ? say(ex.description) : null,
      };
    }),
  );
}

/** The custody part of the manifest: events once each, keys, tree head, checked proofs. */
function custodyOf(input: BundleInput, exhibits: ResolvedExhibit[]): BundleManifest['custody'] {
  const events = new Map<string, CustodyEvent>();
  for (const r of exhibits) for (const e of r.ex.custodyEvents) events.set(e.hash, e);
  const ordered = [...events.values()].sort((a, b) =>
    a.chain < b.chain ? -1 : a.chain > b.chain ? 1 : a.seq - b.seq,
  );
  const head = input.treeHead;
  const proofs = exhibits.flatMap((r) => r.ex.inclusionProofs ?? []);
  const seenProofs = new Set<string>();
  const inclusionProofs = proofs.filter((p) => {
    const k = `${p.eventHash}/${p.treeSize}`;
    if (seenProofs.has(k)) return false;
    seenProofs.add(k);
    return true;
  });
  if (head) {
    const root = Buffer.from(head.rootHash, 'hex');
    for (const p of inclusionProofs) {
      if (p.treeSize !== head.treeSize) continue;
      const ok = inclusionProofHolds(p, root);
      if (!ok) {
        throw new KesiError(
          'BAD_INPUT',
          `The inclusion proof of custody event ${p.eventHash} does not lead to the tree head.`,
        );
      }
    }
  }
  const needed = new Set<string>([
    ...ordered.map((e) => e.actor.keyId),
    ...(head ? [head.signer.keyId] : []),
    input.signer.keyId,
  ]);
  const keys = new Map<string, BundlePublicKey>();
  for (const k of [...input.keys, input.signer]) {
    if (!keys.has(k.keyId))
      keys.set(k.keyId, { user: k.user, keyId: k.keyId, publicKey: k.publicKey });
  }
  for (const id of needed) {
    if (!keys.has(id)) {
      throw new KesiError(
        'BAD_INPUT',
        `The public key ${id} that signed part of the custody record was not handed to the bundle.`,
      );
    }
  }
  return {
    events: ordered,
    keys: [...keys.values()]
      .filter((k) => needed.has(k.keyId))
      .sort((a, b) => (a.keyId < b.keyId ? -1 : 1)),
    treeHead: head,
    inclusionProofs: inclusionProofs.sort(
      (a, b) => a.leafIndex - b.leafIndex || a.treeSize - b.treeSize,
    ),
  };
}

export async function assembleBundle(
  input: BundleInput,
  opts: AssembleOptions,
): Promise<AssembledBundle> {
  const spec = parseInput(BundleSpec, input.spec);
  const generatedAt = opts.generatedAt;
  checkInput(input, spec, generatedAt);
  const pseudonymsOn = spec.usePseudonyms && (input.pseudonyms?.length ?? 0) > 0;
  const say = pseudonymiser(pseudonymsOn ? (input.pseudonyms ?? []) : []);
  const sections = resolveExhibits(input, spec, say);
  const all = sections.flat();
  const custody = custodyOf(input, all);
  const { signal, onProgress } = opts;
  cancelled(signal);

  const doc = await PDFDocument.create({ updateMetadata: false });
  const fonts = await BundleFonts.embed(doc, opts.fonts ?? loadFontFiles());
  const book = new Book(doc, fonts, {
    left: `${say(spec.parties)} — ${spec.caseNumber}`,
    right: spec.title,
  });
  const ctx: RenderContext = { book, fonts, say, pseudonymsOn };

  // Index rows, in bundle order; their page ranges are filled in as pages are made.
  const rows: IndexRow[] = [];
  const sectionRows: IndexRow[] = [];
  const exhibitRows = new Map<ResolvedExhibit, IndexRow>();
  sections.forEach((items, s) => {
    const row: IndexRow = {
      kind: 'section',
      number: sectionLetter(s),
      title: `Section ${sectionLetter(s)} — ${(spec.sections[s] as { title: string }).title}`,
      date: '',
      dateIsIntake: false,
      range: null,
    };
    rows.push(row);
    sectionRows.push(row);
    for (const r of items) {
      const own = r.ex.capturedAt;
      const er: IndexRow = {
        kind: 'exhibit',
        number: r.number,
        title: r.title,
        date: eatDate(own ?? r.ex.intakeAt),
        dateIsIntake: !own,
        range: null,
      };
      rows.push(er);
      exhibitRows.set(r, er);
    }
  });
  const appendixRows: IndexRow[] = [
    ['A', 'Appendix A — Hash manifest'],
    ['B', 'Appendix B — Custody timelines'],
    ['C', 'Appendix C — Certificate under s.106B(4) of the Evidence Act'],
  ].map(([number, title]) => ({
    kind: 'appendix' as const,
    number: number as string,
    title: title as string,
    date: '',
    dateIsIntake: false,
    range: null,
  }));
  const appendicesRow: IndexRow = {
    kind: 'section',
    number: '',
    title: 'Appendices',
    date: '',
    dateIsIntake: false,
    range: null,
  };
  rows.push(appendicesRow, ...appendixRows);
  const plan = planIndex(fonts, rows);

  const pages: ManifestPages[] = [];
  const generated = { type: 'generated' as const };
  const cover = book.addPage('Cover');
  pages.push({ from: 1, to: 1, part: 'cover', label: 'Cover', source: generated });
  const indexFirst = book.count + 1;
  for (let i = 0; i < plan.pages.length; i++) book.addPage('Index');
  pages.push({
    from: indexFirst,
    to: book.count,
    part: 'index',
    label: 'Index',
    source: generated,
  });

  // Sections and exhibits.
  const total = all.length;
  let done = 0;
  const placed: AppendixExhibit[] = [];
  const dividers: {
    page: number;
    letter: string;
    title: string;
    range: PageRange;
    items: AppendixExhibit[];
  }[] = [];
  for (let s = 0; s < sections.length; s++) {
    const letter = sectionLetter(s);
    const title = (spec.sections[s] as { title: string }).title;
    const dividerPage = book.count + 1;
    book.addPage(`Section ${letter}`);
    pages.push({
      from: dividerPage,
      to: dividerPage,
      part: 'divider',
      label: `Section ${letter}`,
      source: generated,
    });
    const items: AppendixExhibit[] = [];
    for (const r of sections[s] as ResolvedExhibit[]) {
      cancelled(signal);
      onProgress?.({ phase: 'exhibits', done, total, pages: book.count, exhibitNumber: r.number });
      const rendered = await renderExhibit(ctx, r);
      pages.push(...rendered.ranges);
      const placedExhibit = { ...r, firstPage: rendered.firstPage, lastPage: rendered.lastPage };
      items.push(placedExhibit);
      placed.push(placedExhibit);
      (exhibitRows.get(r) as IndexRow).range = {
        first: rendered.firstPage,
        last: rendered.lastPage,
      };
      done++;
      await nextTurn();
    }
    const range = { first: dividerPage, last: book.count };
    (sectionRows[s] as IndexRow).range = range;
    dividers.push({ page: dividerPage, letter, title, range, items });
  }
  onProgress?.({ phase: 'exhibits', done, total, pages: book.count });

  // Appendix.
  cancelled(signal);
  onProgress?.({ phase: 'appendix', done: 0, total: 1, pages: book.count });
  const appendix = drawAppendix({
    book,
    fonts,
    say,
    spec,
    exhibits: placed,
    treeHead: input.treeHead,
    generatedAt,
    app: input.app,
    signer: {
      user: input.signer.user,
      keyId: input.signer.keyId,
      displayName: input.signer.displayName ?? null,
    },
  });
  const parts = [
    ['A', appendix.hashManifest],
    ['B', appendix.custodyTimeline],
    ['C', appendix.certificate],
  ] as const;
  parts.forEach(([letter, range], i) => {
    (appendixRows[i] as IndexRow).range = { first: range.firstPage, last: range.lastPage };
    pages.push({
      from: range.firstPage,
      to: range.lastPage,
      part: 'appendix',
      label: `Appendix ${letter}`,
      source: generated,
    });
  });
  appendicesRow.range = {
    first: appendix.hashManifest.firstPage,
    last: appendix.certificate.lastPage,
  };
  onProgress?.({ phase: 'appendix', done: 1, total: 1, pages: book.count });

  // Front matter, now that every page number is known.
  cancelled(signal);
  onProgress?.({ phase: 'finishing', done: 0, total: 1, pages: book.count });
  drawIndex(book, fonts, plan, indexFirst, { ...spec, parties: say(spec.parties) });
  for (const d of dividers) {
    drawDivider(
      book,
      fonts,
      book.pageAt(d.page),
      d.letter,
      d.title,
      d.range,
      d.items.map((e) => ({
        number: e.number,
        title: e.title,
        range: { first: e.firstPage, last: e.lastPage },
      })),
    );
  }

  // The manifest.
  const exhibits: ManifestExhibit[] = placed.map((e) => ({
    exhibitNumber: e.number,
    itemUid: e.ex.itemUid,
    section: e.section,
    title: e.title,
    kind: e.ex.kind,
    subtype: e.ex.subtype,
    description: e.description,
    capturedAt: e.ex.capturedAt,
    camera: e.ex.camera
      ? { make: e.ex.camera.make ?? null, model: e.ex.camera.model ?? null }
      : null,
    software: e.ex.software ?? null,
    durationSeconds: e.ex.durationSeconds ?? null,
    sha256: e.ex.sha256,
    size: e.ex.size,
    mediaType: e.ex.mediaType,
    originalName: e.ex.originalName === null ? null : say(e.ex.originalName),
    intakeAt: e.ex.intakeAt,
    intakeBy: e.ex.intakeBy ?? null,
    custodian: e.ex.custodian
      ? {
          name: e.ex.custodian.name,
          organisation: e.ex.custodian.organisation ?? null,
          place: e.ex.custodian.place ?? null,
          seal: e.ex.custodian.seal ?? null,
          since: e.ex.custodian.since ?? null,
        }
      : null,
    firstPage: e.firstPage,
    lastPage: e.lastPage,
    events: e.ex.custodyEvents.map((ev) => ev.hash),
  }));
  pages.sort((a, b) => a.from - b.from);
  let manifest: BundleManifest = {
    format: MANIFEST_FORMAT,
    v: MANIFEST_VERSION,
    app: input.app,
    generatedAt,
    pseudonymised: pseudonymsOn,
    spec,
    case: { uid: input.case.uid, ref: input.case.ref, title: input.case.title },
    pageCount: book.count,
    pages,
    exhibits,
    appendix,
    custody,
  };
  if (input.signer.privateKey) {
    manifest = signManifest(manifest, {
      user: input.signer.user,
      privateKey: input.signer.privateKey,
    });
  }
  const attachment = manifestBytes(manifest);
  const manifestSha256 = sha256Hex(attachment);

  drawCover(
    book,
    fonts,
    cover,
    { ...spec, parties: say(spec.parties) },
    {
      exhibits: placed.length,
      pages: book.count,
      caseRef: spec.caseRef,
      generated: eatMinute(generatedAt),
      manifestSha256,
      signer: input.signer.displayName
        ? `${input.signer.displayName} (${input.signer.user})`
        : input.signer.user,
    },
  );
  book.writeLinks();
  book.writeOutline(outlineOf(dividers, appendixRows));
  book.writePageLabels();

  const at = pdfDate(generatedAt);
  await doc.attach(attachment, MANIFEST_FILE_NAME, {
    mimeType: 'application/json',
    description: 'Kesi bundle manifest: exhibits, hashes, page ranges, signed custody events',
    creationDate: at,
    modificationDate: at,
    afRelationship: AFRelationship.Data,
  });
  const version = input.app.replace('/', ' ');
  doc.setTitle(`${spec.title} — ${say(spec.parties)} — ${spec.caseNumber}`, {
    showInWindowTitleBar: true,
  });
  doc.setAuthor(spec.preparedBy);
  doc.setSubject(`${spec.court}; ${spec.caseNumber}; case ${spec.caseRef}`);
  doc.setKeywords(['court bundle', spec.caseRef, `manifest-sha256:${manifestSha256}`]);
  doc.setCreator(version.charAt(0).toUpperCase() + version.slice(1));
  doc.setProducer(`${version.charAt(0).toUpperCase() + version.slice(1)} (pdf-lib)`);
  doc.setCreationDate(at);
  doc.setModificationDate(at);
  doc.setLanguage('en-KE');
  // The file identifier comes from the content (the manifest and the generation time), not
  // from chance, so that the same bundle is the same file.
  const id = sha256Hex(`${manifestSha256}\n${generatedAt}`).slice(0, 32);
  doc.context.trailerInfo.ID = doc.context.obj([PDFHexString.of(id), PDFHexString.of(id)]);
  doc.catalog.set(PDFName.of('PageLayout'), PDFName.of('OneColumn'));

  await opts.beforeSave?.(doc);
  cancelled(signal);
  installFastStreamCopy();
  // A classic cross-reference table, as qpdf writes: object streams would be deflated by pdf-lib's
  // pure-JS zlib, the slowest step of a merge, to save about 20 bytes an object.
  const pdf = await doc.save({
    useObjectStreams: false,
    addDefaultPage: false,
    updateFieldAppearances: false,
    objectsPerTick: 2000,
  });
  onProgress?.({ phase: 'finishing', done: 1, total: 1, pages: book.count });
  return { pdf, manifest };
}

/** Bookmarks mirroring the index: cover, index, sections with their exhibits, appendices. */
function outlineOf(
  dividers: { page: number; letter: string; title: string; items: AppendixExhibit[] }[],
  appendixRows: IndexRow[],
): OutlineEntry[] {
  const entries: OutlineEntry[] = [
    { title: 'Cover', page: 1 },
    { title: 'Index', page: 2 },
  ];
  for (const d of dividers) {
    entries.push({
      title: `Section ${d.letter} — ${d.title}`,
      page: d.page,
      children: d.items.map((e) => ({ title: `${e.number} — ${e.title}`, page: e.firstPage })),
    });
  }
  for (const r of appendixRows) {
    if (r.range) entries.push({ title: r.title, page: r.range.first });
  }
  return entries;
}
