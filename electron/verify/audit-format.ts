// The audit report as text: for a screen, a terminal or paper. Times in East Africa Time.
import { formatEat } from '../../shared/time';
import { wrap } from './text-wrap';
import type { AuditProblem, AuditReport } from './audit-types';

/** Problems of one kind in one log shown before the rest are only counted. */
const SHOWN_PER_KIND = 10;

function count(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString('en-GB')} ${n === 1 ? one : many}`;
}

function bytes(n: number): string {
  if (n < 1024) return count(n, 'byte');
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let v = n / 1024;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${v.toFixed(v < 10 ? 2 : 1)} ${units[u]}`;
}

function duration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '';
  if (ms < 100) return 'under 0.1 seconds';
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} seconds`;
  const m = Math.floor(ms / 60_000);
  const s = Math.round((ms % 60_000) / 1000);
  return `${count(m, 'minute')} ${count(s, 'second')}`;
}

/** "hash_mismatch · case KE-1 · event #4 · item 3". */
function reference(p: AuditProblem): string {
  const parts = [p.code];
  if (p.caseRef !== undefined) parts.push(`case ${p.caseRef}`);
  else if (p.chain === 'vault') parts.push('vault log');
  if (p.seq !== undefined) parts.push(`event #${p.seq}`);
  if (p.itemId !== undefined) parts.push(`item ${p.itemId}`);
  const path = p.path ?? (p.blobName !== undefined ? p.blobName : undefined);
  if (path !== undefined) parts.push(path.length > 40 ? `${path.slice(0, 28)}…` : path);
  return parts.join(' · ');
}

function section(title: string, problems: readonly AuditProblem[]): string[] {
  if (problems.length === 0) return [];
  const out = ['', `${title} (${problems.length.toLocaleString('en-GB')})`];
  const seen = new Map<string, number>();
  const hidden = new Map<string, { code: string; where: string; n: number }>();
  let shown = 0;
  for (const p of problems) {
    const key = `${p.code}\u0000${p.chain ?? ''}`;
    const n = (seen.get(key) ?? 0) + 1;
    seen.set(key, n);
    if (n > SHOWN_PER_KIND) {
      const h = hidden.get(key);
      if (h) h.n++;
      else {
        const where =
          p.caseRef !== undefined
            ? `the custody log of case ${p.caseRef}`
            : p.chain === 'vault'
              ? 'the vault log'
              : 'the vault';
        hidden.set(key, { code: p.code, where, n: 1 });
      }
      continue;
    }
    shown++;
    const label = `${String(shown).padStart(4)}. `;
    const indent = ' '.repeat(label.length);
    out.push(...wrap(p.message, label, indent));
    out.push(`${indent}[${reference(p)}]`);
  }
  for (const h of hidden.values()) {
    out.push(
      ...wrap(
        `… and ${count(h.n, 'more problem')} of the same kind (${h.code}) in ${h.where}, not shown here; the full list is in the machine-readable report.`,
        '      ',
        '      ',
      ),
    );
  }
  return out;
}

/** A readable text report. */
export function formatAuditReport(r: AuditReport): string {
  const errors = r.problems.filter((p) => p.severity === 'error');
  const warnings = r.problems.filter((p) => p.severity !== 'error');
  const c = r.counts;
  const took = duration(Date.parse(r.finishedAt) - Date.parse(r.startedAt));
  const lines = [
    'KESI VAULT AUDIT',
    '',
    `Vault      ${r.vaultName !== undefined ? `${r.vaultName} (${r.vaultId})` : r.vaultId}`,
    `Started    ${formatEat(r.startedAt)}`,
    `Finished   ${formatEat(r.finishedAt)}${took ? ` (${took})` : ''}`,
    ...wrap(
      `${count(c.chains, 'custody log')} with ${count(c.events, 'event')}; ${count(c.items, 'item')} and ${count(c.derivatives, 'derivative')}; ${count(c.blobs, 'stored file')}, ${bytes(c.bytesChecked)} decrypted and re-hashed.`,
      'Checked    ',
      '           ',
    ),
    '',
  ];
  if (errors.length > 0) {
    lines.push(
      ...wrap(
        `RESULT: NOT INTACT. ${count(errors.length, 'error')}${warnings.length > 0 ? ` and ${count(warnings.length, 'warning')}` : ''}. The vault no longer proves what happened to the evidence. Keep this report and an untouched copy of the vault folder, and repair nothing before an expert has examined them.`,
        '',
        '',
      ),
    );
  } else if (warnings.length > 0) {
    lines.push(
      ...wrap(
        `RESULT: INTACT, WITH ${count(warnings.length, 'WARNING', 'WARNINGS')}. Nothing shows that evidence or its custody record was altered; the warnings below still need attention.`,
        '',
        '',
      ),
    );
  } else {
    lines.push(
      ...wrap(
        'RESULT: INTACT. Every check passed: no custody event, stored file, item record or key was altered, removed, added or reordered outside Kesi.',
        '',
        '',
      ),
    );
  }
  lines.push(...section('ERRORS', errors), ...section('WARNINGS', warnings));
  return lines.join('\n') + '\n';
}
