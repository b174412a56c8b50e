// The bundle manifest: the machine-readable account of a bundle, embedded in the PDF as the
// attachment kesi-manifest.json. It lists the exhibits with their hashes and page ranges, what
// each page was made from, the custody events with the public keys that signed them, the tree
// head and the inclusion proofs. docs/BUNDLE.md specifies it; change neither without the other.
//
//   file      = UTF-8 RFC 8785 (JCS) text of the whole manifest
//   signature = Ed25519, by the user who generated the bundle, over the UTF-8 JCS text of the
//               manifest without its `signature` member
import { createHash, sign, verify, type KeyObject } from 'node:crypto';
import { canonicalize } from '../../shared/canonical-json';
import { KesiError } from '../../shared/errors';
import type { BundleSpec } from '../../shared/bundle-spec';
import type { CustodyEvent } from '../custody/event';
import type { SignedTreeHead } from '../custody/merkle';
import { keyIdOf, keyIdOfKey, publicKeyFromRaw } from '../custody/keys';
import type { BundleCustodian, BundleInclusionProof, BundlePublicKey } from './types';

export const MANIFEST_FORMAT = 'kesi-bundle-manifest';
export const MANIFEST_VERSION = 1;
export const MANIFEST_FILE_NAME = 'kesi-manifest.json';

export type PagePart = 'cover' | 'index' | 'divider' | 'exhibit' | 'appendix';

/** What a run of pages was made from. */
export type PageSource =
  /** Drawn by Kesi from the facts in this manifest (cover, index, dividers, appendix). */
  | { type: 'generated' }
  /** Pages of the exhibit's original PDF: bundle page `from` is source page `firstSourcePage`. */
  | { type: 'pdf-pages'; sha256: string; firstSourcePage: number }
  /** The intake page image (upright JPEG) of the original, embedded as it is. */
  | { type: 'page-image'; sha256: string; original: string; width: number; height: number }
  /** Text typeset by Kesi from the original. */
  | {
      type: 'typeset-text';
      original: string;
      /** How the text was read: 'utf-8' for a text file, 'docx-raw-text' for Word. */
      extraction: 'utf-8' | 'docx-raw-text';
      /** SHA-256 of the UTF-8 text as typeset (after pseudonyms, if any). */
      textSha256: string;
      /** Names replaced by pseudonyms in it. */
      pseudonymsApplied: number;
    }
  /** A page describing an exhibit that goes to court separately (audio, video, physical). */
  | { type: 'description'; original: string };

export interface ManifestPages {
  /** 1-based, inclusive. */
  from: number;
  to: number;
  part: PagePart;
  /** The label stamped after the page number. */
  label: string;
  exhibitNumber?: string;
  source: PageSource;
}

export interface ManifestExhibit {
  exhibitNumber: string;
  itemUid: string;
  /** 1-based section number in the spec. */
  section: number;
  title: string;
  kind: string;
  subtype: string | null;
  description: string | null;
  capturedAt: string | null;
  camera: { make: string | null; model: string | null } | null;
  software: string | null;
  durationSeconds: number | null;
  sha256: string;
  size: number;
  mediaType: string;
  originalName: string | null;
  intakeAt: string;
  intakeBy: string | null;
  custodian: BundleCustodian | null;
  firstPage: number;
  lastPage: number;
  /** Hashes of this exhibit's custody events, oldest first (see custody.events). */
  events: string[];
}

export interface ManifestSignature {
  alg: 'Ed25519';
  user: string;
  keyId: string;
  /** Base64 of the 32 raw public key bytes. */
  publicKey: string;
  /** Base64 Ed25519 signature over the JCS text of the manifest without `signature`. */
  sig: string;
}

export interface BundleManifest {
  format: typeof MANIFEST_FORMAT;
  v: typeof MANIFEST_VERSION;
  app: string;
  generatedAt: string;
  /**
   * Protected persons' names were replaced by pseudonyms in the text Kesi printed, and in the
   * titles, descriptions and file names here. Signed custody events are quoted as they are.
   */
  pseudonymised: boolean;
  spec: BundleSpec;
  case: { uid: string; ref: string; title: string };
  pageCount: number;
  pages: ManifestPages[];
  exhibits: ManifestExhibit[];
  appendix: {
    hashManifest: { firstPage: number; lastPage: number };
    custodyTimeline: { firstPage: number; lastPage: number };
    certificate: { firstPage: number; lastPage: number };
  };
  custody: {
    /** Every custody event of the exhibits, once each, by chain then number. */
    events: CustodyEvent[];
    /** Public keys of every signer named in this manifest. */
    keys: BundlePublicKey[];
    treeHead: SignedTreeHead | null;
    inclusionProofs: BundleInclusionProof[];
  };
  signature?: ManifestSignature;
}

/** The bytes that are signed: the JCS text of the manifest without `signature`. */
export function manifestSigningText(manifest: BundleManifest): string {
  const { signature: _signature, ...body } = manifest;
  return canonicalize(body);
}

/** Signs the manifest with the generating user's Ed25519 key; returns a signed copy. */
export function signManifest(
  manifest: BundleManifest,
  signer: { user: string; privateKey: KeyObject },
): BundleManifest {
  const message = Buffer.from(manifestSigningText(manifest), 'utf8');
  const sig = sign(null, message, signer.privateKey).toString('base64');
  const keyId = keyIdOfKey(signer.privateKey);
  const key = manifest.custody.keys.find((k) => k.keyId === keyId);
  if (!key) {
    throw new KesiError(
      'BAD_INPUT',
      `The manifest cannot be signed: key ${keyId} is not the signer's public key given to the bundle.`,
    );
  }
  return {
    ...manifest,
    signature: { alg: 'Ed25519', user: signer.user, keyId, publicKey: key.publicKey, sig },
  };
}

/**
 * True if the manifest carries a signature that verifies under the public key it names, and
 * that key has the key id it is filed under. Which keys to trust is the caller's decision.
 */
export function verifyManifestSignature(manifest: BundleManifest): boolean {
  const s = manifest.signature;
  if (!s || s.alg !== 'Ed25519') return false;
  try {
    const raw = Buffer.from(s.publicKey, 'base64');
    if (raw.length !== 32 || keyIdOf(raw) !== s.keyId) return false;
    const message = Buffer.from(manifestSigningText(manifest), 'utf8');
    return verify(null, message, publicKeyFromRaw(raw), Buffer.from(s.sig, 'base64'));
  } catch {
    return false;
  }
}

/** The attachment's bytes: the UTF-8 JCS text of the whole manifest. */
export function manifestBytes(manifest: BundleManifest): Buffer {
  return Buffer.from(canonicalize(manifest), 'utf8');
}

export function sha256Hex(bytes: Uint8Array | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}
