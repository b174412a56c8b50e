// What the verifier reads from a bundle's PDF structure (with pdf-lib): the signature
// dictionaries, the embedded files, the page count, the document's keywords and /ID, the
// bookmarks, and the images on a page. Nothing here judges; bundle-verify.ts does.
import {
  decodePDFRawStream,
  PDFArray,
  PDFDict,
  PDFDocument,
  PDFHexString,
  PDFName,
  PDFNumber,
  PDFRawStream,
  PDFRef,
  PDFStream,
  PDFString,
  ParseSpeeds,
  type PDFObject,
} from 'pdf-lib';
import type { SignatureDictionary } from './bundle-pdf-signature';

export interface EmbeddedFile {
  name: string;
  /** Decoded bytes; null when the stream cannot be decoded. */
  bytes: Uint8Array | null;
}

export interface OutlineEntry {
  title: string;
  /** 1-based page the bookmark opens, or null if it points nowhere known. */
  page: number | null;
  depth: number;
}

export interface BundlePdf {
  doc: PDFDocument;
  pageCount: number;
  signatures: SignatureDictionary[];
  embeddedFiles: EmbeddedFile[];
  keywords: string | null;
  /** First element of the trailer's /ID, lower-case hex. */
  fileId: string | null;
  outline: OutlineEntry[];
  /** Pixel sizes of the image XObjects drawn directly on a page (1-based). */
  pageImages(page: number): { width: number; height: number }[];
}

function text(o: PDFObject | undefined): string | null {
  if (o instanceof PDFString || o instanceof PDFHexString) return o.decodeText();
  if (o instanceof PDFName) return o.decodeText();
  return null;
}

function date(o: PDFObject | undefined): string | null {
  try {
    if (o instanceof PDFString || o instanceof PDFHexString) return o.decodeDate().toISOString();
  } catch {
    return null;
  }
  return null;
}

function hexOf(o: PDFObject | undefined): string {
  if (o instanceof PDFHexString) return o.asString();
  if (o instanceof PDFString) return Buffer.from(o.asBytes()).toString('hex');
  return '';
}

function signatureDicts(doc: PDFDocument): SignatureDictionary[] {
  const ctx = doc.context;
  const out: SignatureDictionary[] = [];
  const form = doc.catalog.lookupMaybe(PDFName.of('AcroForm'), PDFDict);
  const fields = form?.lookupMaybe(PDFName.of('Fields'), PDFArray);
  const seen = new Set<PDFObject>();
  const walk = (field: PDFDict, inheritedType: string | null, depth: number) => {
    if (seen.has(field) || depth > 32) return;
    seen.add(field);
    const ft = text(field.get(PDFName.of('FT'))) ?? inheritedType;
    const v = field.get(PDFName.of('V'));
    const sig = v ? ctx.lookup(v) : undefined;
    if (ft === 'Sig' && sig instanceof PDFDict) {
      const br = sig.lookup(PDFName.of('ByteRange'));
      out.push({
        byteRange:
          br instanceof PDFArray
            ? br.asArray().map((n) => {
                const x = ctx.lookup(n);
                return x instanceof PDFNumber ? x.asNumber() : String(x);
              })
            : [],
        contentsHex: hexOf(sig.lookup(PDFName.of('Contents'))),
        subFilter: text(sig.lookup(PDFName.of('SubFilter'))),
        signingTime: date(sig.lookup(PDFName.of('M'))),
        name: text(sig.lookup(PDFName.of('Name'))),
      });
    }
    const kids = field.lookupMaybe(PDFName.of('Kids'), PDFArray);
    for (const k of kids?.asArray() ?? []) {
      const kid = ctx.lookup(k);
      if (kid instanceof PDFDict) walk(kid, ft, depth + 1);
    }
  };
  for (const f of fields?.asArray() ?? []) {
    const field = ctx.lookup(f);
    if (field instanceof PDFDict) walk(field, null, 0);
  }
  return out;
}

function streamBytes(s: PDFObject | undefined): Uint8Array | null {
  try {
    if (s instanceof PDFRawStream) return decodePDFRawStream(s).decode();
    if (s instanceof PDFStream) return s.getContents();
  } catch {
    return null;
  }
  return null;
}

function embeddedFiles(doc: PDFDocument): EmbeddedFile[] {
  const ctx = doc.context;
  const out: EmbeddedFile[] = [];
  const names = doc.catalog.lookupMaybe(PDFName.of('Names'), PDFDict);
  const root = names?.lookupMaybe(PDFName.of('EmbeddedFiles'), PDFDict);
  const seen = new Set<PDFObject>();
  const walk = (node: PDFDict, depth: number) => {
    if (seen.has(node) || depth > 32) return;
    seen.add(node);
    const pairs = node.lookupMaybe(PDFName.of('Names'), PDFArray)?.asArray() ?? [];
    for (let i = 0; i + 1 < pairs.length; i += 2) {
      const name = text(ctx.lookup(pairs[i])) ?? '';
      const spec = ctx.lookup(pairs[i + 1]);
      const ef = spec instanceof PDFDict ? spec.lookupMaybe(PDFName.of('EF'), PDFDict) : undefined;
      const stream = ef ? ef.lookup(PDFName.of('F')) : undefined;
      out.push({ name, bytes: streamBytes(stream) });
    }
    for (const k of node.lookupMaybe(PDFName.of('Kids'), PDFArray)?.asArray() ?? []) {
      const kid = ctx.lookup(k);
      if (kid instanceof PDFDict) walk(kid, depth + 1);
    }
  };
  if (root) walk(root, 0);
  return out;
}

function outlineOf(doc: PDFDocument, pageOf: Map<PDFRef, number>): OutlineEntry[] {
  const ctx = doc.context;
  const out: OutlineEntry[] = [];
  const root = doc.catalog.lookupMaybe(PDFName.of('Outlines'), PDFDict);
  const seen = new Set<PDFObject>();
  const target = (item: PDFDict): number | null => {
    let dest = item.lookup(PDFName.of('Dest'));
    if (!dest) {
      const action = item.lookupMaybe(PDFName.of('A'), PDFDict);
      dest = action?.lookup(PDFName.of('D'));
    }
    if (!(dest instanceof PDFArray)) return null;
    const first = dest.get(0);
    return first instanceof PDFRef ? (pageOf.get(first) ?? null) : null;
  };
  const walk = (first: PDFObject | undefined, depth: number) => {
    let ref = first;
    while (ref && out.length < 100_000) {
      const item = ctx.lookup(ref);
      if (!(item instanceof PDFDict) || seen.has(item) || depth > 16) return;
      seen.add(item);
      out.push({ title: text(item.lookup(PDFName.of('Title'))) ?? '', page: target(item), depth });
      walk(item.get(PDFName.of('First')), depth + 1);
      ref = item.get(PDFName.of('Next'));
    }
  };
  if (root) walk(root.get(PDFName.of('First')), 0);
  return out;
}

/** Reads the bundle's structure. Throws if the bytes are not a PDF pdf-lib can read. */
export async function readBundlePdf(bytes: Uint8Array): Promise<BundlePdf> {
  // pdf-lib warns on the console about damaged objects it reads past (inside originals that
  // were carried into the bundle as they are); those are not the verifier's findings.
  const warn = console.warn;
  let doc: PDFDocument;
  console.warn = () => undefined;
  try {
    doc = await PDFDocument.load(bytes, {
      updateMetadata: false,
      parseSpeed: ParseSpeeds.Fastest,
    });
  } finally {
    console.warn = warn;
  }
  const pages = doc.getPages();
  const pageOf = new Map<PDFRef, number>(pages.map((p, i) => [p.ref, i + 1]));
  const id = doc.context.trailerInfo.ID;
  const idArray = id ? doc.context.lookup(id) : undefined;
  const first = idArray instanceof PDFArray ? idArray.get(0) : undefined;
  const info = doc.context.trailerInfo.Info
    ? doc.context.lookup(doc.context.trailerInfo.Info)
    : undefined;
  return {
    doc,
    pageCount: pages.length,
    signatures: signatureDicts(doc),
    embeddedFiles: embeddedFiles(doc),
    keywords: info instanceof PDFDict ? text(info.lookup(PDFName.of('Keywords'))) : null,
    fileId: first ? hexOf(first).toLowerCase() || null : null,
    outline: outlineOf(doc, pageOf),
    pageImages(page: number) {
      const p = pages[page - 1];
      const xobjects = p?.node.Resources()?.lookupMaybe(PDFName.of('XObject'), PDFDict);
      const out: { width: number; height: number }[] = [];
      for (const [, ref] of xobjects?.entries() ?? []) {
        const x = doc.context.lookup(ref);
        if (!(x instanceof PDFStream)) continue;
        if (text(x.dict.get(PDFName.of('Subtype'))) !== 'Image') continue;
        const w = x.dict.lookup(PDFName.of('Width'));
        const h = x.dict.lookup(PDFName.of('Height'));
        if (w instanceof PDFNumber && h instanceof PDFNumber) {
          out.push({ width: w.asNumber(), height: h.asNumber() });
        }
      }
      return out;
    },
  };
}
