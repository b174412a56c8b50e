// The bundle's PDF signature, checked without a PDF library's help and without trusting any
// certificate store: the byte ranges must cover the whole file except the signature itself, the
// CMS messageDigest must be the hash of those ranges, and the signature over the signed
// attributes must verify under the certificate embedded with it. See docs/VERIFY.md.
import { createHash, verify as cryptoVerify, X509Certificate } from 'node:crypto';
import {
  bytesOf,
  childrenOf,
  contentsOf,
  DerError,
  expect,
  oidOf,
  readTlv,
  type Tlv,
} from './bundle-der';
import type { BundleProblemCode, PdfSignatureInfo } from '../../shared/bundle-report';

/** What the PDF's signature dictionary says, as read from the file structure. */
export interface SignatureDictionary {
  byteRange: unknown[];
  /** The hex text of /Contents. */
  contentsHex: string;
  subFilter: string | null;
  signingTime: string | null;
  name: string | null;
}

export type Report = (code: BundleProblemCode, message: string) => void;

const OID = {
  data: '1.2.840.113549.1.7.1',
  signedData: '1.2.840.113549.1.7.2',
  contentType: '1.2.840.113549.1.9.3',
  messageDigest: '1.2.840.113549.1.9.4',
  signingCertificateV2: '1.2.840.113549.1.9.16.2.47',
} as const;

const DIGESTS: Record<string, string> = {
  '2.16.840.1.101.3.4.2.1': 'sha256',
  '2.16.840.1.101.3.4.2.2': 'sha384',
  '2.16.840.1.101.3.4.2.3': 'sha512',
};

/** Signature algorithms node:crypto can check with a digest name and the certificate's key. */
const SIGNATURE_ALGORITHMS = new Set([
  '1.2.840.113549.1.1.1', // rsaEncryption (PKCS#1 v1.5)
  '1.2.840.113549.1.1.11', // sha256WithRSAEncryption
  '1.2.840.113549.1.1.12', // sha384WithRSAEncryption
  '1.2.840.113549.1.1.13', // sha512WithRSAEncryption
  '1.2.840.10045.4.3.2', // ecdsa-with-SHA256
  '1.2.840.10045.4.3.3', // ecdsa-with-SHA384
  '1.2.840.10045.4.3.4', // ecdsa-with-SHA512
]);

const CONTENTS_KEY = Buffer.from('/Contents');

function isWhite(b: number | undefined): boolean {
  return b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09 || b === 0x0c || b === 0x00;
}

function isHexDigit(b: number): boolean {
  return (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x46) || (b >= 0x61 && b <= 0x66);
}

/** "aa:bb:…" of a digest, upper-case, as PDF readers and openssl show fingerprints. */
function colonHex(b: Buffer): string {
  return (b.toString('hex').toUpperCase().match(/../g) ?? []).join(':');
}

/** ISO UTC of a certificate time, or the text as it is when it is no time. */
function isoOr(text: string): string {
  const t = Date.parse(text);
  return Number.isNaN(t) ? text : new Date(t).toISOString();
}

function commonNameOf(subject: string): string | null {
  for (const line of subject.split('\n')) if (line.startsWith('CN=')) return line.slice(3);
  return null;
}

interface SignerInfo {
  sid: Tlv;
  digestOid: string;
  signedAttrs: Tlv;
  signatureOid: string;
  signature: Buffer;
}

interface ParsedCms {
  certificates: Buffer[];
  signer: SignerInfo;
  der: Buffer;
}

/** A small INTEGER's value (CMS versions). */
function smallInt(der: Buffer, t: Tlv | undefined, what: string): number {
  const v = expect(t, 0, 2, what);
  if (v.end - v.body !== 1) throw new DerError(`${what} is not a small integer`);
  return der[v.body] as number;
}

/** An AlgorithmIdentifier: its OID, with no parameters or NULL ones (RFC 5754, RFC 8017). */
function algorithmOid(der: Buffer, t: Tlv | undefined, what: string): string {
  const parts = childrenOf(der, expect(t, 0, 16, what));
  const params = parts[1];
  if (
    parts.length > 2 ||
    (params && (params.cls !== 0 || params.tag !== 5 || params.end !== params.body + 0))
  ) {
    throw new DerError(`${what} has unexpected parameters`);
  }
  return oidOf(der, expect(parts[0], 0, 6, what));
}

/**
 * The CMS SignedData (RFC 5652 §5), read strictly: every element where it belongs, with its
 * exact tag, and nothing more. Unsigned parts of the CMS (versions, algorithm identifiers, the
 * structure) are checked so that no byte of the file can change unnoticed.
 */
function parseCms(der: Buffer, report: Report): ParsedCms | null {
  try {
    const info = childrenOf(der, expect(readTlv(der, 0), 0, 16, 'the content info'));
    if (
      info.length !== 2 ||
      oidOf(der, expect(info[0], 0, 6, 'the content type')) !== OID.signedData
    )
      throw new DerError('not CMS SignedData');
    const wrapped = childrenOf(der, expect(info[1], 2, 0, 'the content'));
    if (wrapped.length !== 1) throw new DerError('the content is not one SignedData');
    const parts = childrenOf(der, expect(wrapped[0], 0, 16, 'SignedData'));
    const sdVersion = smallInt(der, parts[0], 'the SignedData version');
    if (sdVersion !== 1 && sdVersion !== 3) throw new DerError(`SignedData version ${sdVersion}`);
    const digestAlgorithms = childrenOf(der, expect(parts[1], 0, 17, 'the digest algorithms')).map(
      (a) => algorithmOid(der, a, 'a digest algorithm'),
    );
    const encapParts = childrenOf(der, expect(parts[2], 0, 16, 'the content info'));
    if (
      oidOf(der, expect(encapParts[0], 0, 6, 'the content type')) !== OID.data ||
      encapParts.length > 1
    ) {
      report(
        'pdf_signature_unsupported',
        'The PDF signature is not a detached signature of the document (the signed content is embedded in it). A bundle signature signs the byte ranges of the file.',
      );
      return null;
    }
    const certificates: Buffer[] = [];
    let at = 3;
    if (parts[at]?.cls === 2 && parts[at]?.tag === 0) {
      for (const c of childrenOf(der, parts[at] as Tlv)) {
        certificates.push(bytesOf(der, expect(c, 0, 16, 'a certificate')));
      }
      at++;
    }
    if (parts[at]?.cls === 2 && parts[at]?.tag === 1) at++; // revocation information
    const signers = childrenOf(der, expect(parts[at], 0, 17, 'the signer information'));
    if (parts.length !== at + 1) throw new DerError('SignedData has unexpected elements');
    if (signers.length !== 1) {
      report(
        'pdf_signature_unsupported',
        `The PDF signature holds ${signers.length} signers; a bundle is signed by exactly one person.`,
      );
      return null;
    }
    const si = childrenOf(der, expect(signers[0], 0, 16, 'the signer information'));
    const siVersion = smallInt(der, si[0], 'the signer version');
    const sid = si[1];
    if (!sid) throw new DerError('the signer is not identified');
    const bySerial = sid.cls === 0 && sid.tag === 16 && sid.constructed;
    const byKeyId = sid.cls === 2 && sid.tag === 0 && !sid.constructed;
    if (!((bySerial && siVersion === 1) || (byKeyId && siVersion === 3)))
      throw new DerError('the signer identifier does not match its version');
    const digestOid = algorithmOid(der, si[2], 'the digest algorithm');
    if (!digestAlgorithms.includes(digestOid))
      throw new DerError('the signer uses a digest algorithm SignedData does not list');
    const signedAttrs = si[3];
    if (
      !signedAttrs ||
      signedAttrs.cls !== 2 ||
      signedAttrs.tag !== 0 ||
      !signedAttrs.constructed
    ) {
      report(
        'pdf_signature_unsupported',
        'The PDF signature has no signed attributes; PAdES signatures (and Kesi bundles) always have them.',
      );
      return null;
    }
    const signatureOid = algorithmOid(der, si[4], 'the signature algorithm');
    const sigValue = expect(si[5], 0, 4, 'the signature value');
    const unsigned = si[6];
    if (si.length > 7 || (unsigned && (unsigned.cls !== 2 || unsigned.tag !== 1)))
      throw new DerError('the signer information has unexpected elements');
    return {
      certificates,
      der,
      signer: {
        sid,
        digestOid,
        signedAttrs,
        signatureOid,
        signature: contentsOf(der, sigValue),
      },
    };
  } catch (e) {
    report(
      'pdf_signature_malformed',
      `The PDF signature cannot be read as a CMS signature (${e instanceof Error ? e.message : String(e)}). The signature was damaged or replaced.`,
    );
    return null;
  }
}

/** The certificate the signer identifies (issuer and serial number), or the only one. */
function signerCertificate(cms: ParsedCms): Buffer | null {
  const { der, signer } = cms;
  if (signer.sid.cls === 0 && signer.sid.tag === 16) {
    try {
      const [issuer, serial] = childrenOf(der, signer.sid);
      if (!issuer || !serial) return null;
      const wantIssuer = bytesOf(der, issuer);
      const wantSerial = bytesOf(der, serial);
      for (const cert of cms.certificates) {
        try {
          const tbs = childrenOf(cert, childrenOf(cert, readTlv(cert, 0))[0] as Tlv);
          const offset = tbs[0]?.cls === 2 ? 1 : 0;
          const s = tbs[offset];
          const i = tbs[offset + 2];
          if (s && i && bytesOf(cert, s).equals(wantSerial) && bytesOf(cert, i).equals(wantIssuer))
            return cert;
        } catch {
          // A damaged certificate is not the signer's.
        }
      }
    } catch {
      return null;
    }
    return null;
  }
  return cms.certificates.length === 1 ? (cms.certificates[0] as Buffer) : null;
}

/** The signed attributes by OID: the first value of each. */
function attributes(der: Buffer, signedAttrs: Tlv): Map<string, Tlv> {
  const out = new Map<string, Tlv>();
  for (const attr of childrenOf(der, signedAttrs)) {
    const [type, values] = childrenOf(der, attr);
    if (!type || !values) continue;
    const first = childrenOf(der, values)[0];
    if (first) out.set(oidOf(der, type), first);
  }
  return out;
}

/** The certificate hash in an ESS signing-certificate-v2 attribute, and its digest name. */
function essCertHash(der: Buffer, value: Tlv): { alg: string; hash: Buffer } | null {
  const certs = childrenOf(der, value)[0];
  const first = certs ? childrenOf(der, certs)[0] : undefined;
  if (!first) return null;
  const parts = childrenOf(der, first);
  let alg = 'sha256';
  let at = 0;
  if (parts[0]?.cls === 0 && parts[0].tag === 16) {
    const oid = childrenOf(der, parts[0])[0];
    const name = oid ? DIGESTS[oidOf(der, oid)] : undefined;
    if (!name) return null;
    alg = name;
    at = 1;
  }
  const hash = parts[at];
  if (!hash || hash.cls !== 0 || hash.tag !== 4) return null;
  return { alg, hash: contentsOf(der, hash) };
}

/** Checks the byte ranges, digest, signature and certificate; reports every problem. */
export function checkPdfSignature(
  file: Uint8Array,
  dict: SignatureDictionary,
  report: Report,
): PdfSignatureInfo {
  const br = dict.byteRange;
  const nums = br.every((n) => typeof n === 'number' && Number.isSafeInteger(n) && n >= 0)
    ? (br as number[])
    : [];
  const info: PdfSignatureInfo = {
    byteRange: nums,
    coversWholeFile: false,
    bytesAfter: 0,
    subFilter: dict.subFilter,
    signingTime: dict.signingTime,
    name: dict.name,
    digestOk: false,
    signatureOk: false,
    certificate: null,
  };
  const [s1, l1, s2, l2] = nums as [number, number, number, number];
  if (nums.length !== 4 || s1 !== 0 || l1 < 2 || s2 <= l1 || s2 + l2 > file.length) {
    report(
      'pdf_signature_malformed',
      `The signature's byte ranges (${br.map(String).join(' ')}) do not describe this file: the signature cannot tell which bytes it covers.`,
    );
    return info;
  }
  // The one gap must be the signature's own hex string, right after /Contents.
  const open = l1;
  const close = s2 - 1;
  let gapOk = file[open] === 0x3c && file[close] === 0x3e;
  for (let i = open + 1; gapOk && i < close; i++) gapOk = isHexDigit(file[i] as number);
  let k = open - 1;
  while (k > 0 && isWhite(file[k])) k--;
  const key = Buffer.from(file.subarray(k + 1 - CONTENTS_KEY.length, k + 1));
  const hexInGap = gapOk ? Buffer.from(file.subarray(open + 1, close)).toString('latin1') : '';
  if (
    !gapOk ||
    !key.equals(CONTENTS_KEY) ||
    hexInGap.toLowerCase() !== dict.contentsHex.toLowerCase()
  ) {
    report(
      'pdf_signature_malformed',
      'The part of the file the signature leaves out is not the signature itself: bytes outside the signature could be changed without breaking it.',
    );
    return info;
  }
  info.bytesAfter = file.length - (s2 + l2);
  info.coversWholeFile = info.bytesAfter === 0;
  if (!info.coversWholeFile) {
    report(
      'pdf_not_whole_file',
      `${info.bytesAfter.toLocaleString('en-GB')} bytes were added after the signed part of the file (an incremental update, or other data appended). A PDF reader shows the file with those changes, which the signature does not cover; the bundle is no longer the one that was signed.`,
    );
  }
  if (dict.subFilter !== 'ETSI.CAdES.detached' && dict.subFilter !== 'adbe.pkcs7.detached') {
    report(
      'pdf_signature_unsupported',
      `The signature's format is ${dict.subFilter ?? 'not stated'}; a bundle is signed as ETSI.CAdES.detached (PAdES).`,
    );
    return info;
  }

  const der = Buffer.from(dict.contentsHex, 'hex');
  const cms = parseCms(der, report);
  if (!cms) return info;
  // The space reserved for the signature is the one part of the file no signature covers; past
  // the CMS it must hold nothing but the zeros it was padded with.
  const used = readTlv(der, 0).end;
  if (der.subarray(used).some((b) => b !== 0) || dict.contentsHex.length % 2 !== 0) {
    report(
      'pdf_signature_malformed',
      'The space reserved for the signature holds other data after the signature itself: bytes were changed in the only part of the file the signature cannot cover.',
    );
  }
  const digestName = DIGESTS[cms.signer.digestOid];
  if (!digestName || !SIGNATURE_ALGORITHMS.has(cms.signer.signatureOid)) {
    report(
      'pdf_signature_unsupported',
      `The PDF signature uses an algorithm this version of Kesi does not check (digest ${cms.signer.digestOid}, signature ${cms.signer.signatureOid}).`,
    );
    return info;
  }
  const digest = createHash(digestName)
    .update(file.subarray(s1, s1 + l1))
    .update(file.subarray(s2, s2 + l2))
    .digest();
  let attrs: Map<string, Tlv>;
  try {
    attrs = attributes(der, cms.signer.signedAttrs);
  } catch (e) {
    report(
      'pdf_signature_malformed',
      `The signed attributes of the PDF signature cannot be read (${e instanceof Error ? e.message : String(e)}).`,
    );
    return info;
  }
  const md = attrs.get(OID.messageDigest);
  const ct = attrs.get(OID.contentType);
  const contentType = (() => {
    try {
      return ct ? oidOf(der, ct) : null;
    } catch {
      return null;
    }
  })();
  if (!md || md.cls !== 0 || md.tag !== 4 || md.constructed || contentType !== OID.data) {
    report(
      'pdf_signature_malformed',
      'The PDF signature lacks the content type or message digest it must sign.',
    );
    return info;
  }
  info.digestOk = contentsOf(der, md).equals(digest);
  if (!info.digestOk) {
    report(
      'pdf_digest_mismatch',
      'The signed bytes of the PDF were changed after it was signed: their SHA-256 is no longer the one in the signature. A page, the manifest or another part of the file was altered.',
    );
  }

  const certDer = signerCertificate(cms);
  let cert: X509Certificate | null = null;
  try {
    cert = certDer ? new X509Certificate(certDer) : null;
  } catch {
    cert = null;
  }
  if (!cert || !certDer) {
    report(
      'pdf_certificate_unreadable',
      "The signer's certificate is not in the PDF signature, or cannot be read: who signed cannot be shown and the signature cannot be checked.",
    );
    return info;
  }
  const selfSigned = (() => {
    try {
      // Not checkIssued: that also wants the keyCertSign usage, which a signing certificate lacks.
      return cert.subject === cert.issuer && cert.verify(cert.publicKey);
    } catch {
      return false;
    }
  })();
  info.certificate = {
    subject: cert.subject,
    commonName: commonNameOf(cert.subject),
    issuer: cert.issuer,
    selfSigned,
    validFrom: isoOr(cert.validFrom),
    validTo: isoOr(cert.validTo),
    sha256Fingerprint: colonHex(createHash('sha256').update(certDer).digest()),
  };

  // The signature is over the DER of the signed attributes as a SET OF (tag 0x31), not as the
  // [0] IMPLICIT they are stored as (RFC 5652 §5.4).
  const signedSet = bytesOf(der, cms.signer.signedAttrs);
  signedSet[0] = 0x31;
  try {
    info.signatureOk = cryptoVerify(digestName, signedSet, cert.publicKey, cms.signer.signature);
  } catch {
    info.signatureOk = false;
  }
  if (!info.signatureOk) {
    report(
      'pdf_signature_invalid',
      'The PDF signature does not verify under the certificate embedded with it: the signature or the certificate was replaced or damaged.',
    );
  }

  const ess = attrs.get(OID.signingCertificateV2);
  let named: { alg: string; hash: Buffer } | null = null;
  try {
    named = ess ? essCertHash(der, ess) : null;
  } catch {
    named = null;
  }
  if (!named || !named.hash.equals(createHash(named.alg).update(certDer).digest())) {
    report(
      'pdf_certificate_mismatch',
      named
        ? 'The PDF signature names another certificate than the one embedded with it (signing-certificate attribute): the certificate was swapped.'
        : 'The PDF signature does not name its certificate (no signing-certificate-v2 attribute), as a PAdES signature must.',
    );
  }
  if (dict.signingTime) {
    const t = Date.parse(dict.signingTime);
    const from = Date.parse(cert.validFrom);
    const to = Date.parse(cert.validTo);
    if (!(t >= from && t <= to)) {
      report(
        'pdf_certificate_not_valid_then',
        `The signing time ${dict.signingTime} is outside the certificate's validity (${info.certificate.validFrom} to ${info.certificate.validTo}).`,
      );
    }
  }
  if (
    dict.name !== null &&
    info.certificate.commonName !== null &&
    dict.name !== info.certificate.commonName
  ) {
    report(
      'pdf_signer_name_mismatch',
      `The signature says it was made by "${dict.name}", but the certificate is issued to "${info.certificate.commonName}".`,
    );
  }
  return info;
}
