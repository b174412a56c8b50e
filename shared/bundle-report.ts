// The report of `kesi verify FILE.pdf`: what was checked in a court bundle and every problem
// found, in words a court clerk or defence expert can act on. The codes are listed in
// docs/VERIFY.md; change neither without the other.

export type BundleSeverity = 'error' | 'warning';

/** The groups of checks, in the order the report lists them. */
export const BUNDLE_CHECKS = [
  'pdf_signature', // the PAdES signature: byte ranges, digest, RSA signature, certificate
  'manifest', // the attachment kesi-manifest.json: present, canonical, signed, tied to the PDF
  'custody', // every custody event: hash, signature, key, links, intake facts
  'merkle', // the signed tree head and every inclusion proof
  'pages', // page count, page runs, exhibit ranges, sources, bookmarks
  'vault', // with --vault: the catalogue's hashes and the regenerated bundle
] as const;
export type BundleCheck = (typeof BUNDLE_CHECKS)[number];

/** Every problem code, its group and severity. */
export const BUNDLE_CODES = {
  // the file
  not_pdf: ['pdf_signature', 'error'],
  // the PDF signature
  pdf_unsigned: ['pdf_signature', 'error'],
  pdf_several_signatures: ['pdf_signature', 'error'],
  pdf_signature_malformed: ['pdf_signature', 'error'],
  pdf_not_whole_file: ['pdf_signature', 'error'],
  pdf_digest_mismatch: ['pdf_signature', 'error'],
  pdf_signature_invalid: ['pdf_signature', 'error'],
  pdf_signature_unsupported: ['pdf_signature', 'error'],
  pdf_certificate_mismatch: ['pdf_signature', 'error'],
  pdf_certificate_unreadable: ['pdf_signature', 'error'],
  pdf_certificate_not_valid_then: ['pdf_signature', 'warning'],
  pdf_signer_name_mismatch: ['pdf_signature', 'warning'],
  // the manifest
  manifest_missing: ['manifest', 'error'],
  manifest_several: ['manifest', 'error'],
  manifest_unreadable: ['manifest', 'error'],
  manifest_not_canonical: ['manifest', 'error'],
  manifest_unsigned: ['manifest', 'error'],
  manifest_bad_signature: ['manifest', 'error'],
  manifest_signer_unknown: ['manifest', 'error'],
  manifest_not_bound: ['manifest', 'error'],
  manifest_inconsistent: ['manifest', 'error'],
  key_id_mismatch: ['manifest', 'error'],
  // custody events
  event_malformed: ['custody', 'error'],
  event_hash_mismatch: ['custody', 'error'],
  event_bad_signature: ['custody', 'error'],
  event_unknown_key: ['custody', 'error'],
  event_actor_mismatch: ['custody', 'error'],
  event_broken_link: ['custody', 'error'],
  event_fork: ['custody', 'error'],
  event_missing: ['custody', 'error'],
  event_wrong_item: ['custody', 'error'],
  event_unlisted: ['custody', 'error'],
  intake_mismatch: ['custody', 'error'],
  intake_missing: ['custody', 'warning'],
  event_after_bundle: ['custody', 'warning'],
  // the tree head and proofs
  tree_head_missing: ['merkle', 'warning'],
  tree_head_malformed: ['merkle', 'error'],
  tree_head_bad_signature: ['merkle', 'error'],
  tree_head_unknown_key: ['merkle', 'error'],
  proof_missing: ['merkle', 'error'],
  proof_invalid: ['merkle', 'error'],
  proof_order: ['merkle', 'error'],
  // pages
  page_count_mismatch: ['pages', 'error'],
  page_runs_invalid: ['pages', 'error'],
  exhibit_pages_mismatch: ['pages', 'error'],
  page_source_mismatch: ['pages', 'error'],
  page_image_mismatch: ['pages', 'error'],
  appendix_pages_mismatch: ['pages', 'error'],
  bookmark_mismatch: ['pages', 'error'],
  // with --vault
  vault_case_missing: ['vault', 'error'],
  vault_case_mismatch: ['vault', 'error'],
  vault_item_missing: ['vault', 'error'],
  vault_item_hash_mismatch: ['vault', 'error'],
  vault_item_size_mismatch: ['vault', 'error'],
  vault_key_unknown: ['vault', 'error'],
  vault_export_mismatch: ['vault', 'error'],
  vault_certificate_mismatch: ['vault', 'error'],
  vault_bundle_not_found: ['vault', 'warning'],
  vault_regeneration_unavailable: ['vault', 'warning'],
  vault_regenerated_differs: ['vault', 'error'],
} as const satisfies Record<string, readonly [BundleCheck, BundleSeverity]>;
export type BundleProblemCode = keyof typeof BUNDLE_CODES;

export interface BundleProblem {
  code: BundleProblemCode;
  severity: BundleSeverity;
  check: BundleCheck;
  /** What is wrong, naming the exhibit, page or event. */
  message: string;
  exhibitNumber?: string;
  /** 1-based page of the bundle. */
  page?: number;
  /** The custody event's hash. */
  eventHash?: string;
  chain?: string;
  seq?: number;
}

/** pass: checked, no error; fail: an error; warn: only warnings; skipped: could not be run. */
export type CheckStatus = 'pass' | 'fail' | 'warn' | 'skipped';

export interface PdfSignatureInfo {
  /** [start1, length1, start2, length2] as written in the file. */
  byteRange: number[];
  /** The signed bytes reach the end of the file, with only the signature itself left out. */
  coversWholeFile: boolean;
  /** Bytes after the signed range (an incremental update, or anything appended). */
  bytesAfter: number;
  subFilter: string | null;
  /** /M of the signature dictionary, ISO UTC. */
  signingTime: string | null;
  /** /Name of the signature dictionary. */
  name: string | null;
  digestOk: boolean;
  signatureOk: boolean;
  certificate: {
    subject: string;
    /** The subject's common name. */
    commonName: string | null;
    issuer: string;
    selfSigned: boolean;
    validFrom: string;
    validTo: string;
    /** SHA-256 of the certificate's DER, as colon-separated hex (what viewers show). */
    sha256Fingerprint: string;
  } | null;
}

export interface ManifestInfo {
  /** SHA-256 of the attachment's bytes (printed on the cover). */
  sha256: string;
  generatedAt: string;
  app: string;
  caseRef: string;
  caseUid: string;
  caseTitle: string;
  title: string;
  pageCount: number;
  exhibits: number;
  events: number;
  signer: { user: string; keyId: string } | null;
  treeHead: { treeSize: number; rootHash: string; at: string; signer: string } | null;
}

export interface ExhibitVerdict {
  exhibitNumber: string;
  title: string;
  itemUid: string;
  sha256: string;
  size: number;
  firstPage: number;
  lastPage: number;
  /** Custody events of the exhibit in the manifest. */
  events: number;
  /**
   * ok: every check of this exhibit and of the bundle as a whole passed. failed: a check of
   * this exhibit failed. unproven: this exhibit's own checks passed, but a check of the whole
   * bundle failed (its signature, its manifest), so nothing in the file can be relied on.
   */
  verdict: 'ok' | 'failed' | 'unproven';
  ok: boolean;
  problems: BundleProblem[];
}

export type VaultComparison =
  /** The regenerated file is the same bytes. */
  | 'identical'
  /** The same bytes except the signature's /Contents (another certificate or key). */
  | 'identical_except_signature'
  /** Different bytes; the manifests were compared member by member. */
  | 'manifest_content'
  /**
   * Not regenerated (only the user who signed the bundle holds its keys): the file's SHA-256
   * and certificate were compared with the vault's signed record of the export.
   */
  | 'export_record'
  | 'not_done';

export interface VaultCheckInfo {
  vaultId: string;
  user: string;
  itemsChecked: number;
  /** Who generated the bundle, by the vault's signed export record. */
  exportedBy: string | null;
  /** The stored bundle the file was matched to, if any. */
  bundleUid: string | null;
  comparison: VaultComparison;
  /** What the comparison found, in words. */
  comparisonNote: string;
}

export interface BundleVerifyReport {
  /** True when no problem is an error. */
  ok: boolean;
  file: { name?: string; size: number; sha256: string };
  /** ISO UTC. */
  startedAt: string;
  finishedAt: string;
  checks: Record<BundleCheck, CheckStatus>;
  pdfSignature: PdfSignatureInfo | null;
  manifest: ManifestInfo | null;
  /** PDF page count. */
  pages: number | null;
  exhibits: ExhibitVerdict[];
  /** Every problem, those of the exhibits included. */
  problems: BundleProblem[];
  vault?: VaultCheckInfo;
}
