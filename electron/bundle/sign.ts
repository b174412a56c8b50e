// The bundle's PDF signature (PAdES baseline B: ETSI.CAdES.detached), by the user who generates
// it, with a per-user RSA certificate. The key material is an input: the vault keeps it.
//
// - The placeholder (signature dictionary, widget, AcroForm) is added with
//   @signpdf/placeholder-pdf-lib before the document is saved; /M is the generation time.
// - The CMS SignedData is built here: SHA-256 over the byte ranges, signed attributes
//   contentType, messageDigest and signingCertificateV2 (no signing-time attribute: PAdES puts
//   the time in /M), RSA PKCS#1 v1.5, which is deterministic. The same bundle, certificate and
//   key therefore give the same signed file, byte for byte.
// - The byte ranges and the signature are written into the saved file in place, hashing the
//   two ranges where they lie: no copy of a file that may be hundreds of megabytes. (signpdf's
//   own sign() copies the file several times and its P12 signer turns it into a JavaScript
//   string, which cannot hold more than 512 MB.)
//
// pdfsig and PDF readers need RSA or ECDSA; Ed25519 (the custody keys) is not supported by them.
// ECDSA signatures from node:crypto are randomised, so RSA is what keeps bundles reproducible.
import {
  createHash,
  createPrivateKey,
  generateKeyPairSync,
  randomBytes,
  sign as cryptoSign,
  X509Certificate,
  type KeyObject,
} from 'node:crypto';
import forge from 'node-forge';
import {
  PDFArray,
  PDFDict,
  PDFHexString,
  PDFInvalidObject,
  PDFName,
  PDFRef,
  PDFString,
  type PDFDocument,
} from 'pdf-lib';
import { KesiError } from '../../shared/errors';
import { assembleBundle, type AssembledBundle } from './assemble';
import type { AssembleOptions, BundleInput } from './types';

/** What signs a bundle: an X.509 certificate and its RSA private key. */
export interface SigningIdentity {
  /** DER of the signer's certificate. */
  certificate: Uint8Array;
  /** The matching RSA private key. */
  privateKey: KeyObject;
  /** DER of further certificates to include (a CA chain), if any. */
  chain?: Uint8Array[];
}

export interface SignatureDetails {
  /** Shown by readers as the signer's name. */
  name: string;
  reason: string;
  location: string;
  contactInfo?: string;
  /** ISO UTC: written as /M. Use the bundle's generation time. */
  signingTime: string;
}

/** Bytes reserved for the CMS (hex doubles it): enough for a 4096-bit key and a short chain. */
export const SIGNATURE_SPACE = 12_288;
const BYTE_RANGE_PLACEHOLDER = '**********';
const SUBFILTER = 'ETSI.CAdES.detached';

const OID = {
  data: '1.2.840.113549.1.7.1',
  signedData: '1.2.840.113549.1.7.2',
  sha256: '2.16.840.1.101.3.4.2.1',
  rsaEncryption: '1.2.840.113549.1.1.1',
  contentType: '1.2.840.113549.1.9.3',
  messageDigest: '1.2.840.113549.1.9.4',
  signingCertificateV2: '1.2.840.113549.1.9.16.2.47',
} as const;

// ---------------------------------------------------------------------------------------------
// Certificates

export interface NewCertificate {
  /** The user's full name: the certificate's subject common name. */
  name: string;
  organisation?: string;
  /** Two-letter country code, e.g. "KE". */
  country?: string;
  /** ISO UTC. */
  notBefore: string;
  /** Default 5. */
  years?: number;
}

export interface CreatedIdentity extends SigningIdentity {
  /** PKCS#8 PEM of the private key. */
  privateKeyPem: string;
  /** The certificate and key as a PKCS#12 file protected by `passphrase`. */
  p12: Buffer;
}

/**
 * A self-signed RSA-2048 certificate for signing bundles: subject = the user's name, key usage
 * digital signature and non-repudiation, extended key usage document signing (RFC 9336) and
 * email protection. Returned also as PKCS#12 for storing, and for other tools.
 */
export function createSigningIdentity(cert: NewCertificate, passphrase: string): CreatedIdentity {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const privateKeyPem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const key = forge.pki.privateKeyFromPem(privateKeyPem) as forge.pki.rsa.PrivateKey;
  const c = forge.pki.createCertificate();
  c.publicKey = forge.pki.setRsaPublicKey(key.n, key.e);
  // A positive 16-byte serial number.
  const serial = randomBytes(16);
  serial[0] = (serial[0] as number) & 0x7f;
  c.serialNumber = serial.toString('hex');
  const from = new Date(cert.notBefore);
  c.validity.notBefore = from;
  c.validity.notAfter = new Date(
    Date.UTC(from.getUTCFullYear() + (cert.years ?? 5), from.getUTCMonth(), from.getUTCDate()),
  );
  // Names as UTF8String, so that names such as Wanjikũ are kept exactly.
  const utf8 = forge.asn1.Type.UTF8 as unknown as forge.asn1.Class;
  const subject: forge.pki.CertificateField[] = [];
  if (cert.country) subject.push({ name: 'countryName', value: cert.country });
  if (cert.organisation)
    subject.push({ name: 'organizationName', value: cert.organisation, valueTagClass: utf8 });
  subject.push({ name: 'commonName', value: cert.name, valueTagClass: utf8 });
  c.setSubject(subject);
  c.setIssuer(subject);
  c.setExtensions([
    { name: 'basicConstraints', cA: false, critical: true },
    { name: 'keyUsage', digitalSignature: true, nonRepudiation: true, critical: true },
    { name: 'extKeyUsage', emailProtection: true, '1.3.6.1.5.5.7.3.36': true },
    { name: 'subjectKeyIdentifier' },
  ]);
  c.sign(key, forge.md.sha256.create());
  const der = Buffer.from(forge.asn1.toDer(forge.pki.certificateToAsn1(c)).getBytes(), 'binary');
  const p12Asn1 = forge.pkcs12.toPkcs12Asn1(key, [c], passphrase, {
    algorithm: 'aes256',
    friendlyName: cert.name,
  });
  const p12 = Buffer.from(forge.asn1.toDer(p12Asn1).getBytes(), 'binary');
  return { certificate: der, privateKey, privateKeyPem, p12 };
}

/** The identity in a PKCS#12 file (the first certificate whose key is in it). */
export function identityFromP12(p12: Uint8Array, passphrase: string): SigningIdentity {
  let parsed: forge.pkcs12.Pkcs12Pfx;
  try {
    parsed = forge.pkcs12.pkcs12FromAsn1(
      forge.asn1.fromDer(Buffer.from(p12).toString('binary')),
      false,
      passphrase,
    );
  } catch {
    throw new KesiError(
      'WRONG_PASSPHRASE',
      'The signing certificate file cannot be opened with this passphrase.',
    );
  }
  const keyBagType = forge.pki.oids.pkcs8ShroudedKeyBag as string;
  const certBagType = forge.pki.oids.certBag as string;
  const keyBag = parsed.getBags({ bagType: keyBagType })[keyBagType]?.[0];
  const certBags: forge.pkcs12.Bag[] = parsed.getBags({ bagType: certBagType })[certBagType] ?? [];
  const key = keyBag?.key as forge.pki.rsa.PrivateKey | undefined;
  if (!key)
    throw new KesiError('BAD_INPUT', 'The signing certificate file holds no RSA private key.');
  const certs: forge.pki.Certificate[] = certBags.flatMap((b) => (b.cert ? [b.cert] : []));
  const own = certs.find((c) => {
    const pub = c.publicKey as forge.pki.rsa.PublicKey;
    return pub.n?.equals(key.n) && pub.e?.equals(key.e);
  });
  if (!own)
    throw new KesiError(
      'BAD_INPUT',
      'The signing certificate file holds no certificate for its key.',
    );
  const der = (c: forge.pki.Certificate) =>
    Buffer.from(forge.asn1.toDer(forge.pki.certificateToAsn1(c)).getBytes(), 'binary');
  return {
    certificate: der(own),
    privateKey: createPrivateKey(
      forge.pki.privateKeyInfoToPem(forge.pki.wrapRsaPrivateKey(forge.pki.privateKeyToAsn1(key))),
    ),
    chain: certs.filter((c) => c !== own).map((c) => der(c)),
  };
}

function checkIdentity(id: SigningIdentity): void {
  if (id.privateKey.asymmetricKeyType !== 'rsa') {
    throw new KesiError(
      'BAD_INPUT',
      'A bundle signing key must be RSA: PDF readers cannot check Ed25519, and ECDSA would make each signature different.',
    );
  }
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(Buffer.from(id.certificate));
  } catch {
    throw new KesiError('BAD_INPUT', 'The bundle signing certificate cannot be read.');
  }
  if (!cert.checkPrivateKey(id.privateKey)) {
    throw new KesiError('BAD_INPUT', 'The bundle signing key does not belong to its certificate.');
  }
}

// ---------------------------------------------------------------------------------------------
// The placeholder

/**
 * Adds the signature dictionary, an invisible widget on page 1 and the AcroForm. The texts
 * (name, reason, location, contact) are written as UTF-16 text strings, so that a name such as
 * Wanjikũ reads correctly: @signpdf writes them byte by byte, which keeps only Latin-1.
 */
export async function addSignaturePlaceholder(
  doc: PDFDocument,
  d: SignatureDetails,
): Promise<void> {
  // Loaded when a bundle is signed: it takes longer to load than the rest of the service.
  const { pdflibAddPlaceholder } = await import('@signpdf/placeholder-pdf-lib');
  const at = new Date(d.signingTime);
  pdflibAddPlaceholder({
    pdfDoc: doc,
    reason: d.reason,
    contactInfo: d.contactInfo ?? '',
    name: d.name,
    location: d.location,
    signingTime: at,
    signatureLength: SIGNATURE_SPACE,
    byteRangePlaceholder: BYTE_RANGE_PLACEHOLDER,
    subFilter: SUBFILTER,
    appName: 'Kesi',
  });
  // The signature dictionary is the /V of the field just added (the last in the AcroForm).
  const ctx = doc.context;
  const fields = doc.catalog
    .lookup(PDFName.of('AcroForm'), PDFDict)
    .lookup(PDFName.of('Fields'), PDFArray);
  const widget = ctx.lookup(fields.get(fields.size() - 1), PDFDict);
  const sigRef = widget.get(PDFName.of('V'));
  if (!(sigRef instanceof PDFRef)) throw new Error('the signature placeholder was not added');
  const placeholder = PDFName.of(BYTE_RANGE_PLACEHOLDER);
  const dict = ctx.obj({
    Type: 'Sig',
    Filter: 'Adobe.PPKLite',
    SubFilter: SUBFILTER,
    ByteRange: [0, placeholder, placeholder, placeholder],
    Contents: PDFHexString.of('\0'.repeat(SIGNATURE_SPACE)),
    Reason: PDFHexString.fromText(d.reason),
    M: PDFString.fromDate(at),
    ContactInfo: PDFHexString.fromText(d.contactInfo ?? ''),
    Name: PDFHexString.fromText(d.name),
    Location: PDFHexString.fromText(d.location),
    Prop_Build: { Filter: { Name: 'Adobe.PPKLite' }, App: { Name: 'Kesi' } },
  });
  // Written as raw bytes, outside any object stream, so that the placeholder can be found and
  // filled in the saved file.
  const bytes = new Uint8Array(dict.sizeInBytes());
  dict.copyBytesInto(bytes, 0);
  ctx.assign(sigRef, PDFInvalidObject.of(bytes));
}

// ---------------------------------------------------------------------------------------------
// CMS SignedData

const asn1 = forge.asn1;
type Asn1 = forge.asn1.Asn1;

function oid(id: string): Asn1 {
  return asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OID, false, asn1.oidToDer(id).getBytes());
}

function seq(items: Asn1[]): Asn1 {
  return asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, items);
}

function octets(b: Uint8Array): Asn1 {
  return asn1.create(
    asn1.Class.UNIVERSAL,
    asn1.Type.OCTETSTRING,
    false,
    Buffer.from(b).toString('binary'),
  );
}

function der(a: Asn1): Buffer {
  return Buffer.from(asn1.toDer(a).getBytes(), 'binary');
}

/** A DER SET OF: members sorted by their encodings. */
function setOf(items: Asn1[], tagClass = asn1.Class.UNIVERSAL, tag: number = asn1.Type.SET): Asn1 {
  const sorted = items.map((i) => ({ i, d: der(i) })).sort((a, b) => Buffer.compare(a.d, b.d));
  return asn1.create(
    tagClass,
    tag,
    true,
    sorted.map((s) => s.i),
  );
}

function algorithm(id: string): Asn1 {
  return seq([oid(id), asn1.create(asn1.Class.UNIVERSAL, asn1.Type.NULL, false, '')]);
}

function attribute(type: string, value: Asn1): Asn1 {
  return seq([oid(type), setOf([value])]);
}

/** Issuer and serial number of a certificate, as they are encoded in it. */
function issuerAndSerial(certDer: Uint8Array): { issuer: Asn1; serial: Asn1 } {
  const cert = asn1.fromDer(Buffer.from(certDer).toString('binary'));
  const tbs = (cert.value as Asn1[])[0] as Asn1;
  const fields = tbs.value as Asn1[];
  const offset = (fields[0] as Asn1).tagClass === asn1.Class.CONTEXT_SPECIFIC ? 1 : 0;
  return { serial: fields[offset] as Asn1, issuer: fields[offset + 2] as Asn1 };
}

/** The detached CMS signature (DER) over content whose SHA-256 is `digest`. */
export function cmsSignature(digest: Buffer, id: SigningIdentity): Buffer {
  const certHash = createHash('sha256').update(id.certificate).digest();
  const signed = [
    attribute(OID.contentType, oid(OID.data)),
    attribute(OID.messageDigest, octets(digest)),
    // ESS signing-certificate-v2: SEQUENCE { certs SEQUENCE OF ESSCertIDv2 { certHash } }
    attribute(OID.signingCertificateV2, seq([seq([seq([octets(certHash)])])])),
  ];
  // The signature is over the DER of the attributes as a SET OF; stored as [0] IMPLICIT.
  const signedSet = der(setOf(signed));
  const signature = cryptoSign('sha256', signedSet, id.privateKey);
  const { issuer, serial } = issuerAndSerial(id.certificate);
  const signerInfo = seq([
    asn1.create(asn1.Class.UNIVERSAL, asn1.Type.INTEGER, false, String.fromCharCode(1)),
    seq([issuer, serial]),
    algorithm(OID.sha256),
    setOf(signed, asn1.Class.CONTEXT_SPECIFIC, 0),
    algorithm(OID.rsaEncryption),
    octets(signature),
  ]);
  const certificates = [id.certificate, ...(id.chain ?? [])].map((c) =>
    asn1.fromDer(Buffer.from(c).toString('binary')),
  );
  const signedData = seq([
    asn1.create(asn1.Class.UNIVERSAL, asn1.Type.INTEGER, false, String.fromCharCode(1)),
    setOf([algorithm(OID.sha256)]),
    seq([oid(OID.data)]),
    asn1.create(asn1.Class.CONTEXT_SPECIFIC, 0, true, certificates),
    setOf([signerInfo]),
  ]);
  return der(
    seq([oid(OID.signedData), asn1.create(asn1.Class.CONTEXT_SPECIFIC, 0, true, [signedData])]),
  );
}

// ---------------------------------------------------------------------------------------------
// Signing the saved file

/**
 * Fills in the byte ranges and the signature of a PDF saved with a placeholder, in place (the
 * bytes of `pdf` are changed), and returns it.
 */
export function signPdfInPlace(pdf: Uint8Array, id: SigningIdentity): Uint8Array {
  checkIdentity(id);
  const buf = Buffer.from(pdf.buffer, pdf.byteOffset, pdf.byteLength);
  const marker = `/ByteRange [ 0 /${BYTE_RANGE_PLACEHOLDER} /${BYTE_RANGE_PLACEHOLDER} /${BYTE_RANGE_PLACEHOLDER} ]`;
  const at = buf.lastIndexOf(marker);
  if (at === -1) throw new KesiError('BAD_INPUT', 'The PDF has no signature placeholder.');
  const contentsTag = buf.indexOf('/Contents ', at + marker.length);
  const open = buf.indexOf('<', contentsTag);
  const close = buf.indexOf('>', open);
  if (contentsTag === -1 || open === -1 || close === -1)
    throw new KesiError('BAD_INPUT', 'The PDF signature placeholder is damaged.');
  const ranges = [0, open, close + 1, buf.length - (close + 1)];
  const actual = `/ByteRange [${ranges.join(' ')}]`;
  if (actual.length > marker.length)
    throw new KesiError('BAD_INPUT', 'The PDF is too large for its signature placeholder.');
  buf.write(actual.padEnd(marker.length, ' '), at, 'latin1');
  const digest = createHash('sha256')
    .update(buf.subarray(0, open))
    .update(buf.subarray(close + 1))
    .digest();
  const hex = cmsSignature(digest, id).toString('hex');
  const room = close - open - 1;
  if (hex.length > room)
    throw new KesiError(
      'BAD_INPUT',
      `The signature needs ${hex.length / 2} bytes; the placeholder holds ${room / 2}.`,
    );
  // The placeholder is NUL bytes; the hex string is padded with zeros to fill it.
  buf.write(hex.padEnd(room, '0'), open + 1, 'latin1');
  return pdf;
}

export interface SignedBundleOptions extends AssembleOptions {
  identity: SigningIdentity;
  signature: Omit<SignatureDetails, 'signingTime'>;
}

/** assembleBundle, then a PAdES signature whose time is the generation time. */
export async function assembleSignedBundle(
  input: BundleInput,
  opts: SignedBundleOptions,
): Promise<AssembledBundle> {
  checkIdentity(opts.identity);
  const { identity, signature, ...rest } = opts;
  const built = await assembleBundle(input, {
    ...rest,
    beforeSave: async (doc) => {
      await rest.beforeSave?.(doc);
      await addSignaturePlaceholder(doc, { ...signature, signingTime: opts.generatedAt });
    },
  });
  return { ...built, pdf: signPdfInPlace(built.pdf, identity) };
}
