// Checks of the manifest as a whole: it is the attachment Kesi wrote (canonical JSON, its hash
// in the document's keywords and /ID), it is signed by a key it lists, the listed keys are what
// they claim, and its exhibit list is its spec's. See docs/VERIFY.md.
import type { KeyObject } from 'node:crypto';
import { canonicalize } from '../../shared/canonical-json';
import {
  MANIFEST_FORMAT,
  MANIFEST_VERSION,
  sha256Hex,
  verifyManifestSignature,
  type BundleManifest,
} from '../bundle/manifest';
import { keyIdOf, publicKeyFromRaw } from '../custody/keys';
import type { Findings } from './bundle-findings';
import { short } from './bundle-findings';

export interface ListedKey {
  user: string;
  keyId: string;
  key: KeyObject;
}

function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/** Why the parsed JSON is not a version-1 manifest whose parts can be checked, or null. */
function shapeProblem(m: unknown): string | null {
  if (!isObject(m)) return 'it is not a JSON object';
  if (m.format !== MANIFEST_FORMAT) return `its format is ${JSON.stringify(m.format)}`;
  if (m.v !== MANIFEST_VERSION) return `its version is ${JSON.stringify(m.v)}, not 1`;
  if (typeof m.generatedAt !== 'string') return 'it has no generation time';
  if (!isObject(m.spec) || !Array.isArray(m.spec.sections)) return 'it has no bundle spec';
  if (!isObject(m.case) || typeof m.case.uid !== 'string' || typeof m.case.ref !== 'string')
    return 'it does not name its case';
  if (typeof m.pageCount !== 'number') return 'it has no page count';
  if (!Array.isArray(m.pages) || !m.pages.every(isObject)) return 'it has no page list';
  if (!Array.isArray(m.exhibits) || !m.exhibits.every(isObject)) return 'it has no exhibit list';
  if (!m.exhibits.every((e) => Array.isArray(e.events) && typeof e.exhibitNumber === 'string'))
    return 'an exhibit lacks its number or its events';
  if (!isObject(m.appendix)) return 'it has no appendix ranges';
  const c = m.custody;
  if (
    !isObject(c) ||
    !Array.isArray(c.events) ||
    !Array.isArray(c.keys) ||
    !Array.isArray(c.inclusionProofs) ||
    !c.keys.every(isObject) ||
    !c.inclusionProofs.every(isObject)
  )
    return 'its custody record is incomplete';
  return null;
}

/** Parses the attachment; reports and returns null when it is not a manifest. */
export function parseManifest(bytes: Uint8Array, f: Findings): BundleManifest | null {
  let text: string;
  let parsed: unknown;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    parsed = JSON.parse(text);
  } catch {
    f.add(
      'manifest_unreadable',
      'The attached manifest (kesi-manifest.json) is not UTF-8 JSON: it was damaged or replaced.',
    );
    return null;
  }
  const problem = shapeProblem(parsed);
  if (problem !== null) {
    f.add(
      'manifest_unreadable',
      `The attached manifest is not a Kesi bundle manifest: ${problem}.`,
    );
    return null;
  }
  let canonical = '';
  try {
    canonical = canonicalize(parsed as BundleManifest);
  } catch {
    canonical = '';
  }
  if (canonical !== text) {
    f.add(
      'manifest_not_canonical',
      'The attached manifest is not in the canonical form (RFC 8785) Kesi writes: it was edited after the bundle was made.',
    );
  }
  return parsed as BundleManifest;
}

/** The keys the manifest lists, by key id; keys that are not what they claim are reported. */
export function listedKeys(m: BundleManifest, f: Findings): Map<string, ListedKey> {
  const out = new Map<string, ListedKey>();
  for (const k of m.custody.keys) {
    const raw = typeof k.publicKey === 'string' ? Buffer.from(k.publicKey, 'base64') : null;
    if (!raw || raw.length !== 32 || keyIdOf(raw) !== k.keyId || typeof k.user !== 'string') {
      f.add(
        'key_id_mismatch',
        `The public key listed for ${String(k.user)} under key id ${String(k.keyId)} is not that key: the key list was altered.`,
      );
      continue;
    }
    out.set(k.keyId, { user: k.user, keyId: k.keyId, key: publicKeyFromRaw(raw) });
  }
  return out;
}

/** The manifest's own signature, and that its signer is one of its keys. */
export function checkManifestSignature(
  m: BundleManifest,
  keys: Map<string, ListedKey>,
  f: Findings,
): void {
  const s = m.signature;
  if (!s) {
    f.add(
      'manifest_unsigned',
      'The manifest is not signed: nothing shows who made this bundle or that its list of exhibits is unchanged.',
    );
    return;
  }
  if (!verifyManifestSignature(m)) {
    f.add(
      'manifest_bad_signature',
      `The manifest's signature (by ${String(s.user)}, key ${String(s.keyId)}) does not verify: the manifest was changed after it was signed.`,
    );
    return;
  }
  const listed = keys.get(s.keyId);
  if (
    !listed ||
    listed.user !== s.user ||
    m.custody.keys.find((k) => k.keyId === s.keyId)?.publicKey !== s.publicKey
  ) {
    f.add(
      'manifest_signer_unknown',
      `The manifest is signed with key ${String(s.keyId)} (${String(s.user)}), which is not among the keys the bundle lists for its signers: it was signed by someone else than the bundle says.`,
    );
  }
}

/** The attachment's SHA-256 in the keywords and the /ID, as the assembler writes them. */
export function checkManifestBound(
  m: BundleManifest,
  manifestSha256: string,
  keywords: string | null,
  fileId: string | null,
  f: Findings,
): void {
  if (!keywords?.includes(`manifest-sha256:${manifestSha256}`)) {
    f.add(
      'manifest_not_bound',
      `The document's keywords do not name the attached manifest (SHA-256 ${short(manifestSha256)}): the manifest does not belong to this PDF, or was replaced.`,
    );
  }
  const id = sha256Hex(`${manifestSha256}\n${m.generatedAt}`).slice(0, 32);
  if (fileId !== id) {
    f.add(
      'manifest_not_bound',
      "The PDF's file identifier (/ID) is not the one made from the attached manifest and the generation time: the manifest does not belong to this PDF, or was replaced.",
    );
  }
}

/** The exhibits are the spec's, in its order, with its numbers and sections. */
export function checkManifestAgainstSpec(m: BundleManifest, f: Findings): void {
  if (m.spec.caseRef !== m.case.ref) {
    f.add(
      'manifest_inconsistent',
      `The bundle spec is for case ${String(m.spec.caseRef)}, but the manifest is for case ${m.case.ref}.`,
    );
  }
  const wanted = m.spec.sections.flatMap((s, i) =>
    (Array.isArray(s.items) ? s.items : []).map((item) => ({ ...item, section: i + 1 })),
  );
  const n = Math.max(wanted.length, m.exhibits.length);
  for (let i = 0; i < n; i++) {
    const w = wanted[i];
    const e = m.exhibits[i];
    if (
      !w ||
      !e ||
      w.exhibitNumber !== e.exhibitNumber ||
      w.itemUid !== e.itemUid ||
      w.section !== e.section
    ) {
      f.add(
        'manifest_inconsistent',
        `Exhibit ${i + 1} of the manifest (${e ? e.exhibitNumber : 'none'}) is not exhibit ${i + 1} of the bundle spec (${w ? w.exhibitNumber : 'none'}): the list of exhibits was altered.`,
        e ? { exhibitNumber: e.exhibitNumber } : {},
      );
    }
  }
}
