// `kesi verify FILE.pdf --vault DIR`: what the vault adds to the checks of the file alone.
//
//   items     every exhibit's SHA-256 and size against the catalogue (item by uid)
//   keys      every key in the manifest is a key of the vault's users
//   export    the vault's signed record of exporting this bundle: the file's SHA-256, and the
//             SHA-256 of the certificate it was signed with
//   bytes     the bundle made again from the vault (regenerateBundleBytes) and compared: byte
//             for byte, or, failing that, everything but the signature, or the manifests
//
// Only the user who generated a bundle can make its signed bytes again (their keys sign it);
// for anyone else the export record is the comparison. See docs/VERIFY.md.
import { createHash } from 'node:crypto';
import { canonicalize } from '../../shared/canonical-json';
import { KesiError } from '../../shared/errors';
import { MANIFEST_FILE_NAME, type BundleManifest } from '../bundle/manifest';
import type { CustodyEvent } from '../custody/event';
import type { KesiService } from '../service/service';
import { short } from './bundle-findings';
import { readBundlePdf } from './bundle-pdf-read';
import { finish, type VerifiedBundle } from './bundle-verify';
import type {
  BundleVerifyReport,
  VaultCheckInfo,
  VaultComparison,
} from '../../shared/bundle-report';

/** What the vault checks read from an unlocked vault. */
export interface VaultView {
  vaultId: string;
  /** The user the vault was opened as. */
  user: string;
  /** The uid of the case with this reference, or null if there is none. */
  caseUid(ref: string): string | null;
  items(ref: string): { uid: string; sha256: string; size: number; title: string }[];
  /** Every signing key the vault's users have had (revoked ones included). */
  keys(): { keyId: string; publicKey: string }[];
  caseLog(ref: string): CustodyEvent[];
  bundles(ref: string): { uid: string; spec: unknown; lastSha256: string | null }[];
  /** The signed bytes of bundle `uid` as generated at `generatedAt`, made again. */
  regenerate(uid: string, generatedAt: string): Promise<Uint8Array>;
}

/** The view of a signed-in service. */
export function vaultViewOf(svc: KesiService): VaultView {
  return {
    vaultId: svc.vault.header.vaultId,
    user: svc.user.name,
    caseUid(ref) {
      try {
        return svc.getCase(ref).uid;
      } catch (e) {
        if (e instanceof KesiError && e.code === 'CASE_NOT_FOUND') return null;
        throw e;
      }
    },
    items: (ref) => svc.listItems(ref),
    keys: () => svc.vault.catalogue.users.allKeys(),
    caseLog: (ref) => svc.caseLog(ref),
    bundles: (ref) => svc.listBundles(ref),
    regenerate: (uid, at) => svc.regenerateBundleBytes(uid, at),
  };
}

interface ExportRecord {
  event: CustodyEvent;
  uid: string;
  sha256: string | null;
  certificateSha256: string | null;
}

function record(x: unknown): Record<string, unknown> | null {
  return typeof x === 'object' && x !== null && !Array.isArray(x)
    ? (x as Record<string, unknown>)
    : null;
}

/** The vault's export events of a bundle generated at that time; this file's first. */
function exportRecords(log: CustodyEvent[], generatedAt: string, fileSha: string): ExportRecord[] {
  const out: ExportRecord[] = [];
  for (const e of log) {
    if (e.action !== 'export' || e.itemUid !== null) continue;
    const b = record(e.details['bundle']);
    if (!b || b['generatedAt'] !== generatedAt || typeof b['uid'] !== 'string') continue;
    const sha = e.details['sha256'];
    const cert = b['signingCertificateSha256'];
    out.push({
      event: e,
      uid: b['uid'],
      sha256: typeof sha === 'string' ? sha : null,
      certificateSha256: typeof cert === 'string' ? cert : null,
    });
  }
  return out.sort((a, b) => Number(b.sha256 === fileSha) - Number(a.sha256 === fileSha));
}

/** The signature's hex gap [open, close] of a signed PDF, from its byte range. */
function signatureGap(pdf: Uint8Array): [number, number] | null {
  const buf = Buffer.from(pdf.buffer, pdf.byteOffset, pdf.byteLength);
  const at = buf.lastIndexOf('/ByteRange [');
  if (at === -1) return null;
  const m = /^\/ByteRange \[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]/.exec(
    buf.subarray(at, at + 80).toString('latin1'),
  );
  return m ? [Number(m[2]), Number(m[3])] : null;
}

function sameOutsideSignature(a: Uint8Array, b: Uint8Array): boolean {
  const ga = signatureGap(a);
  const gb = signatureGap(b);
  if (!ga || !gb || a.length !== b.length || ga[0] !== gb[0] || ga[1] !== gb[1]) return false;
  const x = Buffer.from(a.buffer, a.byteOffset, a.byteLength);
  const y = Buffer.from(b.buffer, b.byteOffset, b.byteLength);
  return (
    x.subarray(0, ga[0]).equals(y.subarray(0, gb[0])) && x.subarray(ga[1]).equals(y.subarray(gb[1]))
  );
}

/** The members of two manifests that differ ("exhibits", "custody.events", …). */
async function manifestDifferences(
  file: BundleManifest,
  regenerated: Uint8Array,
): Promise<string[]> {
  const pdf = await readBundlePdf(regenerated);
  const bytes = pdf.embeddedFiles.find((f) => f.name === MANIFEST_FILE_NAME)?.bytes;
  if (!bytes) return ['the regenerated bundle has no manifest'];
  const other = JSON.parse(Buffer.from(bytes).toString('utf8')) as Record<string, unknown>;
  const mine = file as unknown as Record<string, unknown>;
  const out: string[] = [];
  for (const k of new Set([...Object.keys(mine), ...Object.keys(other)])) {
    if (k === 'custody') {
      const a = record(mine[k]) ?? {};
      const b = record(other[k]) ?? {};
      for (const c of new Set([...Object.keys(a), ...Object.keys(b)])) {
        if (canonicalize(a[c] ?? null) !== canonicalize(b[c] ?? null)) out.push(`custody.${c}`);
      }
    } else if (canonicalize(mine[k] ?? null) !== canonicalize(other[k] ?? null)) {
      out.push(k);
    }
  }
  return out;
}

/** Adds the vault checks to a verification of the file; returns the finished report. */
export async function checkBundleAgainstVault(
  v: VerifiedBundle,
  file: Uint8Array,
  vault: VaultView,
): Promise<BundleVerifyReport> {
  const { report, manifest: m, findings: f, ran } = v;
  const info: VaultCheckInfo = {
    vaultId: vault.vaultId,
    user: vault.user,
    itemsChecked: 0,
    exportedBy: null,
    bundleUid: null,
    comparison: 'not_done',
    comparisonNote: 'nothing was compared: the file has no readable manifest',
  };
  report.vault = info;
  if (!m) {
    finish(report, f, ran, m);
    return report;
  }
  ran.add('vault');
  const ref = m.case.ref;
  const caseUid = vault.caseUid(ref);
  if (caseUid === null) {
    f.add(
      'vault_case_missing',
      `The vault has no case ${ref}: this bundle was not made from this vault, or the case was removed.`,
    );
    info.comparisonNote = 'nothing was compared: the case is not in this vault';
    finish(report, f, ran, m);
    return report;
  }
  if (caseUid !== m.case.uid) {
    f.add(
      'vault_case_mismatch',
      `Case ${ref} in the vault is another case (${caseUid}) than the bundle's (${m.case.uid}).`,
    );
  }

  // Items.
  const items = new Map(vault.items(ref).map((i) => [i.uid, i]));
  for (const ex of m.exhibits) {
    const at = { exhibitNumber: ex.exhibitNumber };
    const it = items.get(ex.itemUid);
    info.itemsChecked++;
    if (!it) {
      f.add(
        'vault_item_missing',
        `Exhibit ${ex.exhibitNumber} (item ${ex.itemUid}) is not in case ${ref} in the vault.`,
        at,
      );
      continue;
    }
    if (it.sha256 !== ex.sha256) {
      f.add(
        'vault_item_hash_mismatch',
        `Exhibit ${ex.exhibitNumber} has SHA-256 ${short(ex.sha256)} in the bundle, but the vault's item "${it.title}" has ${short(it.sha256)}: the bundle does not show the evidence the vault holds.`,
        at,
      );
    }
    if (it.size !== ex.size) {
      f.add(
        'vault_item_size_mismatch',
        `Exhibit ${ex.exhibitNumber} has ${ex.size} bytes in the bundle, but the vault's item has ${it.size}.`,
        at,
      );
    }
  }

  // Keys.
  const keys = new Map(vault.keys().map((k) => [k.keyId, k.publicKey]));
  for (const k of m.custody.keys) {
    if (keys.get(k.keyId) !== k.publicKey) {
      f.add(
        'vault_key_unknown',
        `Key ${k.keyId}, listed in the bundle for ${k.user}, is not a key of any user of this vault: what it signed was not signed in this vault.`,
      );
    }
  }

  // The export record, then the bytes made again.
  const fileSha = report.file.sha256;
  const exports = exportRecords(vault.caseLog(ref), m.generatedAt, fileSha);
  const exp = exports[0];
  let uid: string | null = exp?.uid ?? null;
  if (!uid) {
    const spec = canonicalize(m.spec);
    const stored = vault
      .bundles(ref)
      .find((b) => b.lastSha256 === fileSha || canonicalize(b.spec ?? null) === spec);
    uid = stored?.uid ?? null;
  }
  info.bundleUid = uid;
  info.exportedBy = exp?.event.actor.user ?? null;
  if (exp) {
    if (exp.sha256 !== fileSha) {
      f.add(
        'vault_export_mismatch',
        `The vault recorded exporting this bundle (generated ${m.generatedAt}) with SHA-256 ${short(exp.sha256)}; this file's is ${short(fileSha)}. The file is not the one that left the vault.`,
      );
    }
    const signer = m.signature?.user;
    if (signer !== undefined && signer !== exp.event.actor.user) {
      f.add(
        'vault_export_mismatch',
        `The manifest says ${signer} made this bundle, but the vault recorded its export by ${exp.event.actor.user}.`,
      );
    }
    const cert = report.pdfSignature?.certificate?.sha256Fingerprint
      .replace(/:/g, '')
      .toLowerCase();
    if (exp.certificateSha256 !== null && cert !== undefined && exp.certificateSha256 !== cert) {
      f.add(
        'vault_certificate_mismatch',
        `The PDF is signed with a certificate (SHA-256 ${short(cert)}) other than the one the vault recorded for this export (${short(exp.certificateSha256)}).`,
      );
    }
  } else {
    f.add(
      'vault_bundle_not_found',
      `The vault has no record of exporting a bundle of case ${ref} generated at ${m.generatedAt}${uid ? ` (the stored bundle ${uid} has the same spec)` : ''}.`,
    );
  }
  if (!uid) {
    info.comparisonNote = 'not regenerated: no stored bundle of this case matches the file';
    finish(report, f, ran, m);
    return report;
  }
  let regenerated: Uint8Array | null = null;
  try {
    regenerated = await vault.regenerate(uid, m.generatedAt);
  } catch (e) {
    if (!(e instanceof KesiError) || e.code === 'INTERNAL') throw e;
    const recorded = exp
      ? `; the file's SHA-256 and certificate were compared with the vault's signed record of the export instead (${exp.sha256 === fileSha ? 'they match' : 'they differ'})`
      : '';
    f.add(
      'vault_regeneration_unavailable',
      `The bundle could not be made again from the vault as ${vault.user}: ${e.message}${recorded}.`,
    );
    info.comparison = exp ? 'export_record' : 'not_done';
    info.comparisonNote = exp
      ? `not regenerated (${e.code}); compared with the export record signed by ${exp.event.actor.user}`
      : `not regenerated (${e.code})`;
    finish(report, f, ran, m);
    return report;
  }
  const sha = createHash('sha256').update(regenerated).digest('hex');
  let comparison: VaultComparison;
  if (sha === fileSha) {
    comparison = 'identical';
    info.comparisonNote = 'made again from the vault: the same bytes';
  } else if (sameOutsideSignature(file, regenerated)) {
    comparison = 'identical_except_signature';
    info.comparisonNote =
      "made again from the vault: the same bytes except the signature's /Contents (signed with another certificate or key)";
  } else {
    comparison = 'manifest_content';
    const diff = await manifestDifferences(m, regenerated);
    info.comparisonNote = `made again from the vault: different bytes (SHA-256 ${short(sha)}); manifest members that differ: ${diff.length ? diff.join(', ') : 'none'}`;
    f.add(
      'vault_regenerated_differs',
      `The bundle made again from the vault is not this file (SHA-256 ${short(sha)}, not ${short(fileSha)}). ${diff.length ? `In the manifests, these differ: ${diff.join(', ')}.` : 'The manifests are the same: the pages or the PDF structure differ.'}`,
    );
  }
  info.comparison = comparison;
  finish(report, f, ran, m);
  return report;
}
