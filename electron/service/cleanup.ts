// Removing what interrupted writes leave behind: blobs no item or derivative refers to (an
// intake killed between writing its blobs and recording the item) and temp files in blobs/.tmp.
// Neither holds anything a case refers to. Only leftovers older than a minimum age are removed,
// so that an intake running at the same time in another window or process keeps its files; the
// removal itself runs inside a catalogue write transaction, which an intake's commit also takes
// before it checks that its blobs still exist (see commitFile).
import { statSync } from 'node:fs';
import { relative } from 'node:path';
import type { UnlockedVault } from '../vault/vault';

/** Leftovers younger than this are kept: an intake may still be about to record them. */
export const DEFAULT_CLEANUP_MIN_AGE_MINUTES = 60;

export interface Leftovers {
  /** Unreferenced blob names old enough to remove. */
  blobs: string[];
  /** Temp files (paths relative to the vault) old enough to remove. */
  tempFiles: string[];
  /** Leftovers seen but kept because they are younger than the minimum age. */
  keptYoung: number;
  bytes: number;
}

export function findLeftovers(vault: UnlockedVault, minAgeMs: number, now: number): Leftovers {
  const blobs = vault.blobs;
  const onDisk = blobs.listNames();
  const referenced = new Set(vault.catalogue.allBlobNames());
  const out: Leftovers = { blobs: [], tempFiles: [], keptYoung: 0, bytes: 0 };
  for (const name of onDisk) {
    if (referenced.has(name)) continue;
    const st = statOrNull(blobs.pathOf(name));
    if (!st) continue; // removed meanwhile
    if (now - st.mtimeMs < minAgeMs) {
      out.keptYoung++;
      continue;
    }
    out.blobs.push(name);
    out.bytes += st.size;
  }
  let temps: string[] = [];
  try {
    temps = blobs.staleTempFiles(0, now);
  } catch {
    temps = []; // a write finished while the folder was listed
  }
  for (const path of temps) {
    const st = statOrNull(path);
    if (!st) continue;
    if (now - st.mtimeMs < minAgeMs) {
      out.keptYoung++;
      continue;
    }
    out.tempFiles.push(relative(vault.dir, path));
    out.bytes += st.size;
  }
  out.blobs.sort();
  out.tempFiles.sort();
  return out;
}

function statOrNull(path: string): { mtimeMs: number; size: number } | null {
  try {
    return statSync(path);
  } catch {
    return null;
  }
}
