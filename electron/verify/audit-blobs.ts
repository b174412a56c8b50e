// Stored files: every file an item or derivative refers to is decrypted (each 64 KiB chunk
// authenticated by age) and its plaintext re-hashed, streaming, and compared with the
// catalogue; then the files nothing refers to, and interrupted writes, are listed.
import { statSync } from 'node:fs';
import { KesiError } from '../../shared/errors';
import {
  capital,
  short,
  type AuditContext,
  type DerivativeRow,
  type ItemRow,
  type Names,
} from './audit-context';
import { derivativeLabel } from './audit-items';

interface BlobRef {
  sha256: string;
  item: ItemRow;
  derivative: DerivativeRow | null;
}

export interface BlobCounts {
  blobs: number;
  bytesChecked: number;
}

/** What age found wrong with a stored file, in words (by AgeError kind). */
const AGE_FAILURES: Record<string, string> = {
  'no-match': "it is not encrypted to this vault's key: it was put there from elsewhere",
  'bad-header': 'its header is damaged',
  'bad-mac': 'its header fails authentication: it was altered',
  corrupt: 'part of its content fails authentication: it was altered or damaged',
  truncated: 'it has been cut short',
  unsupported: 'it is not a file this vault writes',
};

/** Progress is reported about every this many bytes within a file. */
const PROGRESS_EVERY = 8 << 20;

function refLabel(names: Names, ref: BlobRef): string {
  return ref.derivative
    ? `${derivativeLabel(ref.derivative)} of ${names.itemLabel(ref.item)}`
    : names.itemLabel(ref.item);
}

function refFields(names: Names, ref: BlobRef, blobName: string, path: string | null) {
  return { ...names.itemFields(ref.item), blobName, ...(path !== null ? { path } : {}) };
}

export async function auditBlobs(ctx: AuditContext, names: Names): Promise<BlobCounts> {
  const blobs = ctx.vault.blobs;
  const groups = new Map<string, BlobRef[]>();
  const add = (name: string, ref: BlobRef): void => {
    const list = groups.get(name);
    if (list) list.push(ref);
    else groups.set(name, [ref]);
  };
  for (const it of names.items) {
    if (it.blob_name !== null) add(it.blob_name, { sha256: it.sha256, item: it, derivative: null });
  }
  for (const d of names.derivatives) {
    const it = names.itemById.get(d.item_id);
    if (it) add(d.blob_name, { sha256: d.sha256, item: it, derivative: d });
  }

  // Whose content a hash is, to name the other side of a swap.
  let owners: Map<string, BlobRef> | null = null;
  const ownerOf = (sha: string): BlobRef | undefined => {
    if (owners === null) {
      owners = new Map();
      for (const refs of groups.values())
        for (const r of refs) if (!owners.has(r.sha256)) owners.set(r.sha256, r);
    }
    return owners.get(sha);
  };

  const paths = new Map<string, string | null>();
  let totalBytes = 0;
  for (const name of groups.keys()) {
    let path: string | null = null;
    try {
      path = blobs.pathOf(name);
      totalBytes += statSync(path).size;
    } catch {
      // Missing or misnamed: reported when read.
    }
    paths.set(name, path);
  }

  const counts: BlobCounts = { blobs: 0, bytesChecked: 0 };
  let doneBytes = 0;
  ctx.progress('blobs', 0, totalBytes);
  for (const [name, refs] of groups) {
    ctx.checkCancelled();
    const abs = paths.get(name) ?? null;
    const rel = abs === null ? null : ctx.vaultPath(abs);
    if (abs === null) {
      for (const ref of refs) {
        ctx.add(
          'blob_missing',
          `The catalogue names the stored file of ${refLabel(names, ref)} as "${name}", which is not a valid file name in the vault: the catalogue was changed outside Kesi, and the file cannot be found.`,
          refFields(names, ref, name, null),
        );
      }
      continue;
    }
    const first = refs[0] as BlobRef;
    let bytes = 0;
    let sinceReport = 0;
    let actual: string | null = null;
    let failure: { missing: boolean; why: string } | null = null;
    try {
      await blobs.readVerified(name, first.sha256, (chunk) => {
        bytes += chunk.length;
        sinceReport += chunk.length;
        if (sinceReport >= PROGRESS_EVERY) {
          sinceReport = 0;
          ctx.checkCancelled();
          ctx.progress('blobs', Math.min(doneBytes + bytes, totalBytes), totalBytes);
        }
      });
      actual = first.sha256;
    } catch (e) {
      if (e instanceof KesiError && (e.code === 'CANCELLED' || e.code === 'VAULT_LOCKED')) throw e;
      if (
        e instanceof KesiError &&
        e.code === 'BLOB_CORRUPT' &&
        typeof e.details?.actual === 'string'
      ) {
        actual = e.details.actual;
      } else if (e instanceof KesiError && e.code === 'BLOB_MISSING') {
        failure = { missing: true, why: '' };
      } else {
        const kind = e instanceof KesiError ? e.details?.why : undefined;
        const why =
          typeof kind === 'string' && AGE_FAILURES[kind] !== undefined
            ? AGE_FAILURES[kind]
            : `it cannot be read: ${(e as Error).message}`;
        failure = { missing: false, why };
      }
    }
    counts.blobs++;
    counts.bytesChecked += bytes;
    doneBytes += bytes;
    ctx.progress('blobs', Math.min(doneBytes, totalBytes), totalBytes);

    for (const ref of refs) {
      const what = refLabel(names, ref);
      const fields = refFields(names, ref, name, rel);
      if (failure?.missing) {
        ctx.add(
          'blob_missing',
          `The stored file of ${what} is missing from the vault (${rel}).`,
          fields,
        );
      } else if (failure !== null) {
        ctx.add(
          'blob_corrupt',
          `The stored file of ${what} (${rel}) cannot be trusted: ${failure.why}.`,
          fields,
        );
      } else if (actual !== null && actual !== ref.sha256) {
        const other = ownerOf(actual);
        const whose =
          other !== undefined && other !== ref
            ? `: that is the content of ${refLabel(names, other)}`
            : '';
        ctx.add(
          'blob_wrong_content',
          `The stored file of ${what} (${rel}) decrypts, but holds other content: its SHA-256 is ${short(actual)}, not the recorded ${short(ref.sha256)}${whose}. Stored files have been swapped or replaced, or the recorded hash was changed.`,
          fields,
        );
      } else if (actual !== null && blobs.nameFor(actual) !== name) {
        ctx.add(
          'blob_wrong_content',
          `The stored file of ${what} (${rel}) holds the right content, but under a name that does not belong to it: it was copied or renamed there from elsewhere in the vault.`,
          fields,
        );
      } else if (ref.derivative === null && bytes !== ref.item.size) {
        ctx.add(
          'item_size_mismatch',
          `${capital(what)} is recorded as ${ref.item.size} bytes, but its stored file holds ${bytes} bytes with the recorded SHA-256: the size in the catalogue was changed outside Kesi.`,
          fields,
        );
      }
    }
  }
  ctx.progress('blobs', totalBytes, totalBytes);
  return counts;
}

/** Stored files that nothing refers to, and files left in blobs/.tmp. */
export function auditLeftovers(ctx: AuditContext): void {
  ctx.progress('leftovers', 0, 1);
  const blobs = ctx.vault.blobs;
  // Listed together with the catalogue's names, so that an intake committing meanwhile is seen
  // whole or not at all.
  const onDisk = blobs.listNames();
  const referenced = new Set(ctx.vault.catalogue.allBlobNames());
  for (const name of onDisk) {
    if (referenced.has(name)) continue;
    const path = ctx.vaultPath(blobs.pathOf(name));
    ctx.add(
      'blob_unreferenced',
      `The stored file ${path} belongs to no item or derivative: it is left over from an intake that was interrupted before it was recorded, and nothing was added to any case. "kesi cleanup" deletes it (once it is an hour old).`,
      { blobName: name, path },
    );
  }
  let temps: string[] = [];
  try {
    temps = blobs.staleTempFiles(0);
  } catch {
    temps = []; // a write finished while the folder was listed
  }
  for (const t of temps) {
    const path = ctx.vaultPath(t);
    ctx.add(
      'blob_temp_file',
      `${path} is a partly written file left by an interrupted write (or a file being added at this moment). It belongs to no item. "kesi cleanup" deletes it once it is an hour old.`,
      { path },
    );
  }
  ctx.progress('leftovers', 1, 1);
}
