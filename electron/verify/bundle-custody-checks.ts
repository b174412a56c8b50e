// Checks of the custody record in a manifest: every event (hash, Ed25519 signature, key, user),
// the links between consecutive events of a chain, which exhibit each event belongs to, the
// intake facts against the exhibit, and the tree head and inclusion proofs. See docs/VERIFY.md.
import {
  eventShapeProblem,
  hashEventBody,
  isWellFormedHash,
  verifyHashSignature,
  type CustodyEvent,
} from '../custody/event';
import { inclusionProofHolds, treeHeadProblem, verifyTreeHead } from '../custody/merkle';
import type { BundleManifest } from '../bundle/manifest';
import type { ListedKey } from './bundle-manifest-checks';
import type { Findings } from './bundle-findings';
import { short, type ProblemPlace } from './bundle-findings';

function describe(ev: CustodyEvent): string {
  return `Custody event #${String(ev.seq)} (${String(ev.action)} by ${String(ev.actor?.user)}, ${String(ev.at)}, hash ${short(ev.hash)})`;
}

/** Checks events, links and exhibits' event lists. Returns the events that are intact. */
export function checkCustody(
  m: BundleManifest,
  keys: Map<string, ListedKey>,
  f: Findings,
  /** The exhibit that lists an event, for the report. */
  exhibitOf: Map<string, string>,
): Map<string, CustodyEvent> {
  const byHash = new Map<string, CustodyEvent>();
  const intact = new Map<string, CustodyEvent>();
  const place = (ev: CustodyEvent): ProblemPlace => {
    const p: ProblemPlace = {};
    const number = typeof ev.hash === 'string' ? exhibitOf.get(ev.hash) : undefined;
    if (number !== undefined) p.exhibitNumber = number;
    if (typeof ev.hash === 'string') p.eventHash = ev.hash;
    if (typeof ev.chain === 'string') p.chain = ev.chain;
    if (typeof ev.seq === 'number') p.seq = ev.seq;
    return p;
  };

  for (const raw of m.custody.events as unknown[]) {
    const ev = raw as CustodyEvent;
    const shape = eventShapeProblem(raw, 'event', false);
    if (shape !== null) {
      f.add(
        'event_malformed',
        `A custody event in the manifest is not valid: ${shape}.`,
        place(ev),
      );
      continue;
    }
    if (byHash.has(ev.hash)) {
      f.add('manifest_inconsistent', `${describe(ev)} is listed twice in the manifest.`, place(ev));
      continue;
    }
    byHash.set(ev.hash, ev);
    let recomputed: string | null = null;
    try {
      recomputed = hashEventBody(ev);
    } catch {
      recomputed = null;
    }
    if (recomputed !== ev.hash) {
      f.add(
        'event_hash_mismatch',
        `${describe(ev)} was altered: its contents no longer match its hash. Something it records (time, user, place, details) was changed after it was signed.`,
        place(ev),
      );
      continue;
    }
    const key = keys.get(ev.actor.keyId);
    if (!key) {
      f.add(
        'event_unknown_key',
        `${describe(ev)} names signing key ${ev.actor.keyId}, which the bundle does not list: its signature cannot be checked.`,
        place(ev),
      );
      continue;
    }
    if (key.user !== ev.actor.user) {
      f.add(
        'event_actor_mismatch',
        `${describe(ev)} names ${ev.actor.user}, but key ${ev.actor.keyId} belongs to ${key.user}.`,
        place(ev),
      );
      continue;
    }
    if (!verifyHashSignature(ev.hash, ev.sig, key.key)) {
      f.add(
        'event_bad_signature',
        `${describe(ev)} has a signature that does not verify under ${key.user}'s key: the event was forged or altered.`,
        place(ev),
      );
      continue;
    }
    if (ev.caseUid !== m.case.uid) {
      f.add(
        'event_wrong_item',
        `${describe(ev)} belongs to another case (${String(ev.caseUid)}) than this bundle (${m.case.uid}).`,
        place(ev),
      );
    }
    if (ev.at > m.generatedAt) {
      f.add(
        'event_after_bundle',
        `${describe(ev)} is dated after the bundle was generated (${m.generatedAt}).`,
        place(ev),
      );
    }
    intact.set(ev.hash, ev);
  }

  // Links: where two consecutive numbers of a chain are both here, the later names the earlier.
  const chains = new Map<string, CustodyEvent[]>();
  for (const ev of byHash.values()) {
    const list = chains.get(ev.chain) ?? [];
    list.push(ev);
    chains.set(ev.chain, list);
  }
  for (const list of chains.values()) {
    list.sort((a, b) => a.seq - b.seq);
    for (let i = 1; i < list.length; i++) {
      const a = list[i - 1] as CustodyEvent;
      const b = list[i] as CustodyEvent;
      if (a.seq === b.seq) {
        f.add(
          'event_fork',
          `Two different custody events are both numbered #${b.seq} in the same log (${short(a.hash)} and ${short(b.hash)}): one of them was forged.`,
          place(b),
        );
      } else if (b.seq === a.seq + 1 && b.prev !== a.hash) {
        f.add(
          'event_broken_link',
          `${describe(b)} does not point to event #${a.seq} before it (${short(a.hash)}): an event was replaced.`,
          place(b),
        );
      }
    }
  }

  // Each exhibit's events: present, its own, oldest first; every event belongs to an exhibit.
  const listed = new Set<string>();
  for (const ex of m.exhibits) {
    let lastSeq = 0;
    let intake: CustodyEvent | null = null;
    for (const h of ex.events as unknown[]) {
      const at = {
        exhibitNumber: ex.exhibitNumber,
        ...(typeof h === 'string' ? { eventHash: h } : {}),
      };
      const ev = typeof h === 'string' ? byHash.get(h) : undefined;
      if (!ev) {
        f.add(
          'event_missing',
          `Exhibit ${ex.exhibitNumber} lists custody event ${short(h)}, which is not in the manifest's custody record: it was removed.`,
          at,
        );
        continue;
      }
      listed.add(ev.hash);
      if (ev.itemUid !== ex.itemUid) {
        f.add(
          'event_wrong_item',
          `Exhibit ${ex.exhibitNumber} lists ${describe(ev).charAt(0).toLowerCase()}${describe(ev).slice(1)}, which is about another item (${String(ev.itemUid)}).`,
          at,
        );
      }
      if (ev.seq <= lastSeq) {
        f.add(
          'manifest_inconsistent',
          `The custody events of exhibit ${ex.exhibitNumber} are not listed oldest first.`,
          at,
        );
      }
      lastSeq = ev.seq;
      if (ev.action === 'intake' && intake === null) intake = ev;
    }
    if (intake === null) {
      f.add(
        'intake_missing',
        `Exhibit ${ex.exhibitNumber} has no intake event in the bundle: when and how it entered the vault is not shown.`,
        { exhibitNumber: ex.exhibitNumber },
      );
      continue;
    }
    const d = intake.details;
    const sha = d['sha256'];
    const size = d['size'];
    if (
      (typeof sha === 'string' && sha !== ex.sha256) ||
      (typeof size === 'number' && size !== ex.size)
    ) {
      f.add(
        'intake_mismatch',
        `Exhibit ${ex.exhibitNumber} is listed with SHA-256 ${short(ex.sha256)} and ${String(ex.size)} bytes, but its signed intake event recorded ${short(sha)} and ${String(size)} bytes: the manifest and the signed intake record disagree about which file this exhibit is.`,
        { exhibitNumber: ex.exhibitNumber, eventHash: intake.hash },
      );
    }
  }
  for (const ev of byHash.values()) {
    if (!listed.has(ev.hash)) {
      f.add(
        'event_unlisted',
        `${describe(ev)} is in the manifest's custody record but no exhibit lists it.`,
        place(ev),
      );
    }
  }
  return intact;
}

/** The tree head's signature, and an inclusion proof to it for every event. */
export function checkProofs(
  m: BundleManifest,
  keys: Map<string, ListedKey>,
  f: Findings,
  exhibitOf: Map<string, string>,
): void {
  const head = m.custody.treeHead;
  const events = m.custody.events.filter((e) => isWellFormedHash(e?.hash));
  if (!head) {
    if (events.length > 0) {
      f.add(
        'tree_head_missing',
        "The bundle has no signed tree head: its custody events cannot be shown to be part of the vault's complete log.",
      );
    }
    return;
  }
  const problem = treeHeadProblem(head, true);
  if (problem !== null) {
    f.add('tree_head_malformed', `The tree head in the manifest is not valid: ${problem}.`);
    return;
  }
  const key = keys.get(head.signer.keyId);
  if (!key || key.user !== head.signer.user) {
    f.add(
      'tree_head_unknown_key',
      `The tree head is signed by ${head.signer.user} with key ${head.signer.keyId}, which the bundle does not list for that user.`,
    );
    return;
  }
  if (!verifyTreeHead(head, key.key)) {
    f.add(
      'tree_head_bad_signature',
      `The tree head (${head.treeSize} events, root ${short(head.rootHash)}) has a signature that does not verify: it was altered.`,
    );
    return;
  }
  const root = Buffer.from(head.rootHash, 'hex');
  const proven = new Map<string, number>();
  for (const p of m.custody.inclusionProofs) {
    const number = typeof p.eventHash === 'string' ? exhibitOf.get(p.eventHash) : undefined;
    const at = {
      ...(number !== undefined ? { exhibitNumber: number } : {}),
      ...(typeof p.eventHash === 'string' ? { eventHash: p.eventHash } : {}),
    };
    if (p.treeSize !== head.treeSize) continue;
    const ok = inclusionProofHolds(p, root);
    if (!ok) {
      f.add(
        'proof_invalid',
        `The inclusion proof of custody event ${short(p.eventHash)} does not lead to the signed tree head: the event, or its place in the log, was changed.`,
        at,
      );
      continue;
    }
    proven.set(p.eventHash, p.leafIndex);
  }
  for (const ev of events) {
    if (!proven.has(ev.hash)) {
      const number = exhibitOf.get(ev.hash);
      f.add(
        'proof_missing',
        `Custody event #${ev.seq} (${short(ev.hash)}) has no inclusion proof to the signed tree head: it cannot be shown to be part of the vault's log.`,
        { ...(number !== undefined ? { exhibitNumber: number } : {}), eventHash: ev.hash },
      );
    }
  }
  // Within a chain, a later event was appended to the log later.
  const byChain = new Map<string, { seq: number; index: number; hash: string }[]>();
  for (const ev of events) {
    const index = proven.get(ev.hash);
    if (index === undefined) continue;
    const list = byChain.get(ev.chain) ?? [];
    list.push({ seq: ev.seq, index, hash: ev.hash });
    byChain.set(ev.chain, list);
  }
  for (const list of byChain.values()) {
    list.sort((a, b) => a.seq - b.seq);
    for (let i = 1; i < list.length; i++) {
      const a = list[i - 1] as { seq: number; index: number };
      const b = list[i] as { seq: number; index: number; hash: string };
      if (b.index <= a.index) {
        const number = exhibitOf.get(b.hash);
        f.add(
          'proof_order',
          `Custody event #${b.seq} is at position ${b.index} of the log, not after event #${a.seq} (position ${a.index}): the log's order was changed.`,
          { ...(number !== undefined ? { exhibitNumber: number } : {}), eventHash: b.hash },
        );
      }
    }
  }
}
