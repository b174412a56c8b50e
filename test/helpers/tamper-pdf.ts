// Ways to tamper with a signed court bundle, as an attacker with the file (and, for the forged
// bundles, with the signer's own keys) would: a byte in a page stream, an incremental update,
// the attachment rewritten in place, a manifest changed before signing.
import { sign, type KeyObject } from 'node:crypto';
import { deflateSync, inflateSync } from 'node:zlib';
import { PDFArray, PDFDict, PDFDocument, PDFHexString, PDFName, PDFRef, PDFString } from 'pdf-lib';
import {
  MANIFEST_FILE_NAME,
  manifestBytes,
  manifestSigningText,
  sha256Hex,
  signManifest,
  type BundleManifest,
} from '../../electron/bundle/manifest';
import { assembleSignedBundle, type SignedBundleOptions } from '../../electron/bundle/sign';
import type { BundleInput } from '../../electron/bundle/types';
import { keyIdOfKey, publicKeyRawOf } from '../../electron/custody/keys';

/** Offset of `N 0 obj` written as a top-level object (not inside an object stream). */
function objectOffset(pdf: Uint8Array, ref: PDFRef): number {
  const buf = Buffer.from(pdf.buffer, pdf.byteOffset, pdf.byteLength);
  const at = buf.indexOf(`\n${ref.objectNumber} ${ref.generationNumber} obj`);
  if (at === -1) throw new Error(`object ${ref.toString()} is not written as a top-level object`);
  return at + 1;
}

async function load(pdf: Uint8Array): Promise<PDFDocument> {
  return PDFDocument.load(pdf, { updateMetadata: false });
}

/**
 * One byte changed inside the (first) content stream of a page. Returns the changed copy and
 * where the byte was.
 */
export async function changeByteInPageStream(
  pdf: Uint8Array,
  page: number,
): Promise<{ pdf: Buffer; offset: number }> {
  const doc = await load(pdf);
  const node = doc.getPage(page - 1).node;
  const contents = node.get(PDFName.of('Contents'));
  const ref =
    contents instanceof PDFRef
      ? contents
      : contents instanceof PDFArray
        ? (contents.get(0) as PDFRef)
        : null;
  if (!ref) throw new Error(`page ${page} has no content stream`);
  const out = Buffer.from(pdf);
  const obj = objectOffset(out, ref);
  const data = out.indexOf('stream', out.indexOf('>>', obj)) + 'stream'.length;
  const offset = data + (out[data] === 0x0d ? 2 : 1) + 5;
  out[offset] = ((out[offset] as number) + 1) & 0xff;
  return { pdf: out, offset };
}

/**
 * A valid incremental update appended to the file: a new Info dictionary (another title),
 * with its own cross-reference stream pointing back to the original one.
 */
export async function appendIncrementalUpdate(pdf: Uint8Array, title: string): Promise<Buffer> {
  const doc = await load(pdf);
  const orig = Buffer.from(pdf);
  const tail = orig.subarray(orig.length - 64).toString('latin1');
  const m = /startxref\s+(\d+)\s+%%EOF\s*$/.exec(tail);
  if (!m) throw new Error('no startxref at the end of the file');
  const prev = Number(m[1]);
  const root = doc.context.trailerInfo.Root as PDFRef;
  // New object numbers start at the last cross-reference section's /Size.
  const size = /\/Size\s+(\d+)/.exec(orig.subarray(Math.max(0, prev)).toString('latin1'));
  const infoNum = Math.max(doc.context.largestObjectNumber + 1, Number(size?.[1] ?? 0));
  const xrefNum = infoNum + 1;
  const idObj = doc.context.trailerInfo.ID;
  const idText = idObj ? idObj.toString() : '';
  const infoText = `${infoNum} 0 obj\n<< /Title ${PDFString.of(title).toString()} /Producer (edited) >>\nendobj\n`;
  const infoOffset = orig.length + 1;
  const xrefOffset = infoOffset + Buffer.byteLength(infoText, 'latin1');
  // Entries: type 1 (in use, at offset), W [1 4 2].
  const entry = (offset: number) => {
    const b = Buffer.alloc(7);
    b[0] = 1;
    b.writeUInt32BE(offset, 1);
    b.writeUInt16BE(0, 5);
    return b;
  };
  const data = Buffer.concat([entry(infoOffset), entry(xrefOffset)]);
  const xrefHead =
    `${xrefNum} 0 obj\n<< /Type /XRef /Size ${xrefNum + 1} /W [1 4 2] /Index [${infoNum} 2] ` +
    `/Root ${root.toString()} /Info ${infoNum} 0 R ${idText ? `/ID ${idText} ` : ''}/Prev ${prev} /Length ${data.length} >>\nstream\n`;
  return Buffer.concat([
    orig,
    Buffer.from('\n' + infoText + xrefHead, 'latin1'),
    data,
    Buffer.from(`\nendstream\nendobj\nstartxref\n${xrefOffset}\n%%EOF\n`, 'latin1'),
  ]);
}

/** The reference of the embedded manifest's stream. */
function manifestStreamRef(doc: PDFDocument): PDFRef {
  const names = doc.catalog
    .lookup(PDFName.of('Names'), PDFDict)
    .lookup(PDFName.of('EmbeddedFiles'), PDFDict)
    .lookup(PDFName.of('Names'), PDFArray);
  for (let i = 0; i < names.size(); i += 2) {
    const name = doc.context.lookup(names.get(i));
    const text = name instanceof PDFString || name instanceof PDFHexString ? name.decodeText() : '';
    if (text !== MANIFEST_FILE_NAME) continue;
    const spec = doc.context.lookup(names.get(i + 1), PDFDict);
    const ref = spec.lookup(PDFName.of('EF'), PDFDict).get(PDFName.of('F'));
    if (ref instanceof PDFRef) return ref;
  }
  throw new Error('no manifest attachment');
}

/**
 * The attachment's stream rewritten in place with other bytes, keeping every other object at
 * its offset (the dictionary is shortened and the object padded to its old length), so the file
 * still opens cleanly in readers.
 */
export async function replaceAttachmentInPlace(
  pdf: Uint8Array,
  newManifest: Uint8Array,
): Promise<Buffer> {
  const doc = await load(pdf);
  const ref = manifestStreamRef(doc);
  const out = Buffer.from(pdf);
  const start = objectOffset(out, ref);
  const end = out.indexOf('endobj', start) + 'endobj'.length;
  const data = deflateSync(newManifest, { level: 9 });
  const head = Buffer.from(
    `${ref.objectNumber} 0 obj\n<< /Type /EmbeddedFile /Filter /FlateDecode /Length ${data.length} >>\nstream\n`,
    'latin1',
  );
  const foot = Buffer.from('\nendstream\n', 'latin1');
  const room = end - start - head.length - data.length - foot.length - 'endobj'.length;
  if (room < 0) throw new Error(`the new attachment is ${-room} bytes too long to fit in place`);
  const obj = Buffer.concat([head, data, foot, Buffer.alloc(room, 0x20), Buffer.from('endobj')]);
  obj.copy(out, start);
  return out;
}

/** Signs a manifest with any Ed25519 key, listed in it or not (signManifest refuses unlisted). */
export function signManifestWith(
  m: BundleManifest,
  user: string,
  privateKey: KeyObject,
): BundleManifest {
  const keyId = keyIdOfKey(privateKey);
  if (m.custody.keys.some((k) => k.keyId === keyId)) return signManifest(m, { user, privateKey });
  const sig = sign(null, Buffer.from(manifestSigningText(m), 'utf8'), privateKey).toString(
    'base64',
  );
  return {
    ...m,
    signature: {
      alg: 'Ed25519',
      user,
      keyId,
      publicKey: publicKeyRawOf(privateKey).toString('base64'),
      sig,
    },
  };
}

/**
 * A bundle whose manifest is changed by `mutate` before the PDF is signed, as someone holding
 * the signing certificate could do: the PDF signature is valid, the attachment's hash is in the
 * keywords and the /ID. Only the manifest's own contents can show what was done.
 */
export async function forgedBundle(
  input: BundleInput,
  opts: SignedBundleOptions,
  mutate: (m: BundleManifest) => BundleManifest,
): Promise<{ pdf: Uint8Array; manifest: BundleManifest }> {
  let forged: BundleManifest | null = null;
  const built = await assembleSignedBundle(input, {
    ...opts,
    beforeSave: async (doc) => {
      // pdf-lib writes attachments when the document is flushed; do it now to reach the stream.
      await doc.flush();
      const ref = manifestStreamRef(doc);
      const stream = doc.context.lookup(ref);
      const old = (stream as unknown as { getContents(): Uint8Array }).getContents();
      const original = JSON.parse(inflateSync(Buffer.from(old)).toString('utf8')) as BundleManifest;
      forged = mutate(original);
      const bytes = manifestBytes(forged);
      doc.context.assign(
        ref,
        doc.context.flateStream(bytes, {
          Type: 'EmbeddedFile',
          Subtype: 'application/json',
        }),
      );
      const sha = sha256Hex(bytes);
      doc.setKeywords(['court bundle', original.case.ref, `manifest-sha256:${sha}`]);
      const id = sha256Hex(`${sha}\n${forged.generatedAt}`).slice(0, 32);
      doc.context.trailerInfo.ID = doc.context.obj([PDFHexString.of(id), PDFHexString.of(id)]);
    },
  });
  return { pdf: built.pdf, manifest: forged as unknown as BundleManifest };
}
