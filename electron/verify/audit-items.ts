// Items against their custody: every item must have an intake (or, for a derived item, a derive)
// event in its case's log recording the same SHA-256 and size, a physical exhibit's registration
// record must still give its hash, and each derivative should be one the intake recorded.
import { createHash } from 'node:crypto';
import { canonicalize } from '../../shared/canonical-json';
import { caseChainId } from '../custody/event';
import { capital, short, type AuditContext, type DerivativeRow, type Names } from './audit-context';
import type { IntakeRecord } from './audit-log';

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function recordedDerivativeHashes(rec: IntakeRecord): Set<string> {
  const out = new Set<string>();
  if (Array.isArray(rec.derivatives)) {
    for (const d of rec.derivatives)
      if (isRecord(d) && typeof d.sha256 === 'string') out.add(d.sha256);
  }
  return out;
}

/** "the thumbnail", "the page image of page 2". */
export function derivativeLabel(d: DerivativeRow): string {
  const kind = d.kind.replace(/_/g, ' ');
  return `the ${kind}${d.page !== null ? ` of page ${d.page}` : ''}`;
}

export function auditItemRecords(
  ctx: AuditContext,
  names: Names,
  intake: Map<string, IntakeRecord>,
): void {
  const byItem = new Map<number, DerivativeRow[]>();
  for (const d of names.derivatives) {
    const list = byItem.get(d.item_id);
    if (list) list.push(d);
    else byItem.set(d.item_id, [d]);
  }
  const total = names.items.length;
  ctx.progress('items', 0, total);
  let done = 0;
  for (const it of names.items) {
    const label = names.itemLabel(it);
    const fields = names.itemFields(it);
    const c = names.caseById.get(it.case_id);
    const rec = intake.get(it.uid);
    if (rec === undefined) {
      const log = c ? 'its case' : 'any case';
      ctx.add(
        'item_not_recorded',
        `${capital(label)} has no intake record in the custody log of ${log}: it was put into the catalogue outside Kesi, or its intake event was deleted. Nothing shows where it came from or who took it in.`,
        c ? { ...fields, chain: caseChainId(c.uid) } : fields,
      );
    } else {
      const at = { ...fields, chain: rec.chain, seq: rec.seq };
      const event = names.eventLabel(rec.chain, rec.seq);
      if (c === undefined || rec.caseUid !== c.uid) {
        ctx.add(
          'item_case_mismatch',
          `${capital(label)} was taken in to ${names.chainLabel(rec.chain)} (${event}), but the catalogue now files it under ${c ? `case ${c.ref}` : 'no case'}: it was moved outside Kesi.`,
          at,
        );
      }
      if (rec.sha256 !== it.sha256) {
        ctx.add(
          'item_hash_mismatch',
          `The catalogue records SHA-256 ${it.sha256} for ${label}, but its ${rec.action} (${event}) recorded ${typeof rec.sha256 === 'string' ? rec.sha256 : 'no SHA-256'}: the item's hash was changed after it was taken in.`,
          at,
        );
      }
      if (typeof rec.size === 'number' && rec.size !== it.size) {
        ctx.add(
          'item_size_mismatch',
          `The catalogue records a size of ${it.size} bytes for ${label}, but its ${rec.action} (${event}) recorded ${rec.size} bytes: the catalogue was changed outside Kesi.`,
          at,
        );
      }
      const recorded = recordedDerivativeHashes(rec);
      for (const d of byItem.get(it.id) ?? []) {
        if (!recorded.has(d.sha256)) {
          ctx.add(
            'derivative_not_recorded',
            `${capital(derivativeLabel(d))} of ${label} (SHA-256 ${short(d.sha256)}) is not among the renderings its ${rec.action} (${event}) recorded. A rendering is not evidence, but this one was not made at intake.`,
            { ...at, blobName: d.blob_name },
          );
        }
      }
    }
    if (it.kind === 'physical_exhibit' && it.blob_name === null) checkExhibitRecord(ctx, names, it);
    done++;
  }
  ctx.progress('items', done, total);
}

/** A physical exhibit's content is its registration record: its hash must still match. */
function checkExhibitRecord(ctx: AuditContext, names: Names, it: Names['items'][number]): void {
  let record: unknown;
  try {
    record = (JSON.parse(it.metadata) as Record<string, unknown>).record;
  } catch {
    record = undefined;
  }
  let sha: string | null = null;
  if (isRecord(record)) {
    try {
      sha = createHash('sha256').update(canonicalize(record), 'utf8').digest('hex');
    } catch {
      sha = null;
    }
  }
  if (sha !== it.sha256) {
    ctx.add(
      'exhibit_record_mismatch',
      sha === null
        ? `The registration record of ${names.itemLabel(it)} is missing from the catalogue: what was registered can no longer be shown.`
        : `The registration record of ${names.itemLabel(it)} (title, description, seal, when and by whom) no longer gives its recorded SHA-256 ${short(it.sha256)}: it was changed outside Kesi.`,
      names.itemFields(it),
    );
  }
}
