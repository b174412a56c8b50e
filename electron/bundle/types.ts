// What the bundle assembler takes and gives. The assembler knows no vault and no database: the
// service resolves a stored spec against the vault and hands over plain data.
import type { KeyObject } from 'node:crypto';
import type { PDFDocument } from 'pdf-lib';
import type { BundleSpec } from '../../shared/bundle-spec';
import type { ItemKind } from '../../shared/domain';
import type { CustodyEvent } from '../custody/event';
import type { SignedTreeHead } from '../custody/merkle';

/** Bytes, or a function that reads them when the assembler gets to them (one at a time). */
export type BytesSource = Uint8Array | (() => Promise<Uint8Array>);

export type ExhibitContent =
  /** The original PDF, merged page for page as it is (owner-password-only files included). */
  | { type: 'pdf'; bytes: BytesSource }
  /**
   * The intake page image of a photo or scan: an upright JPEG (EXIF orientation applied),
   * embedded as it is, never decoded. width and height are its pixel size.
   */
  | {
      type: 'image';
      pageImageJpeg: BytesSource;
      width: number;
      height: number;
      /** The page image's SHA-256 as the catalogue records it; checked when given. */
      pageImageSha256?: string;
    }
  /** Plain text (a .txt statement, or text already extracted), typeset by Kesi. */
  | { type: 'text'; text: string }
  /** A Word document (DOCX) whose text is extracted and typeset by Kesi. */
  | { type: 'docx'; bytes: BytesSource }
  /** Audio, video and physical exhibits: a page describing the exhibit, which goes separately. */
  | { type: 'placeholder' };

/** Who holds an exhibit (the last transfer, or whoever took it in). */
export interface BundleCustodian {
  name: string;
  organisation?: string | null;
  place?: string | null;
  seal?: string | null;
  /** ISO UTC: since when. */
  since?: string | null;
}

/** An RFC 9162 inclusion proof of one custody event in the tree of `treeSize` events. */
export interface BundleInclusionProof {
  /** The event's hash (the leaf). */
  eventHash: string;
  /** 0-based position of the event in the whole log (all chains). */
  leafIndex: number;
  treeSize: number;
  /** Sibling hashes, leaf first, lower-case hex. */
  path: string[];
}

export interface BundleExhibit {
  itemUid: string;
  title: string;
  kind: ItemKind;
  subtype: string | null;
  description: string | null;
  /** When the photo was taken, the recording made or the document dated (ISO UTC). */
  capturedAt: string | null;
  capturedBy?: string | null;
  /** From the image metadata; null when unknown or not a photo. */
  camera: { make: string | null; model: string | null } | null;
  /** Producing software or device from the metadata (PDF Producer/Creator, EXIF Software). */
  software?: string | null;
  /** Duration of audio or video, in seconds. */
  durationSeconds?: number | null;
  /** SHA-256 of the original (for a physical exhibit: of its registration record). */
  sha256: string;
  size: number;
  mediaType: string;
  originalName: string | null;
  /** Intake time, ISO UTC. */
  intakeAt: string;
  /** User who took it in. */
  intakeBy?: string | null;
  custodian: BundleCustodian | null;
  /** Seal number of a physical exhibit's bag, if any. */
  seal?: string | null;
  content: ExhibitContent;
  /** This exhibit's custody events, oldest first. */
  custodyEvents: CustodyEvent[];
  /** Inclusion proofs of those events in the tree of `BundleInput.treeHead`. */
  inclusionProofs?: BundleInclusionProof[];
  /** Optional exhibit number from the catalogue; the spec's number is the one printed. */
  exhibitNumber?: string | null;
}

/** A public signing key of a user who signed custody events, the tree head or the manifest. */
export interface BundlePublicKey {
  user: string;
  keyId: string;
  /** Base64 of the 32 raw Ed25519 public key bytes. */
  publicKey: string;
}

export interface BundleCase {
  uid: string;
  ref: string;
  title: string;
  obNumber?: string | null;
  policeStation?: string | null;
  county?: string | null;
  incidentDate?: string | null;
}

export interface BundlePseudonym {
  /** The name as it may appear in typed text. */
  name: string;
  pseudonym: string;
}

export interface BundleInput {
  spec: BundleSpec;
  case: BundleCase;
  /** Every exhibit the spec names (any order; matched by item uid). */
  exhibits: BundleExhibit[];
  /** The signed tree head the inclusion proofs lead to; null when there is none yet. */
  treeHead: SignedTreeHead | null;
  /** Public keys of everyone who signed something in the manifest (the signer included). */
  keys: BundlePublicKey[];
  /** The user generating the bundle; signs the manifest when privateKey is given. */
  signer: BundlePublicKey & { privateKey?: KeyObject; displayName?: string | null };
  /** "kesi/0.1.0" */
  app: string;
  /** Protected persons: applied to the text Kesi typesets when spec.usePseudonyms is true. */
  pseudonyms?: BundlePseudonym[];
}

export interface BundleProgress {
  phase: 'exhibits' | 'appendix' | 'finishing';
  /** Exhibits done, of total (phase exhibits); otherwise 0 of 1 then 1 of 1. */
  done: number;
  total: number;
  /** Pages so far. */
  pages: number;
  exhibitNumber?: string;
}

export interface AssembleOptions {
  /** The generation time (ISO UTC): the only clock the output depends on. */
  generatedAt: string;
  onProgress?: (p: BundleProgress) => void;
  signal?: AbortSignal;
  /** The DejaVu fonts; read from resources/fonts when left out. */
  fonts?: { regular: Uint8Array; bold: Uint8Array };
  /**
   * Called with the finished document just before it is written, to add a signature
   * placeholder (see sign.ts). Must be deterministic.
   */
  beforeSave?: (doc: PDFDocument) => void | Promise<void>;
}
