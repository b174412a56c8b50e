// `kesi cleanup`: removes what interrupted writes left in the vault (see service/cleanup.ts).
import { DEFAULT_CLEANUP_MIN_AGE_MINUTES } from '../service/cleanup';
import { flag, str, UsageError } from './args';
import type { Command } from './commands';
import { printJson } from './output';

export const cleanupCommand: Command = {
  usage: 'kesi cleanup [--dry-run] [--min-age MINUTES] [--reason R]',
  summary: 'delete leftovers of interrupted intakes (unreferenced blobs, temp files)',
  options: { 'dry-run': 'boolean', 'min-age': 'string', reason: 'string' },
  async run(ctx) {
    const rawAge = str(ctx.args, 'min-age');
    const minAgeMinutes = rawAge === undefined ? DEFAULT_CLEANUP_MIN_AGE_MINUTES : Number(rawAge);
    if (!/^\d+$/.test(rawAge ?? '0')) {
      throw new UsageError('--min-age is a whole number of minutes.');
    }
    const dryRun = flag(ctx.args, 'dry-run');
    const reason = str(ctx.args, 'reason');
    const r = (await ctx.service()).cleanup({
      dryRun,
      minAgeMinutes,
      ...(reason !== undefined ? { reason } : {}),
    });
    if (ctx.json) {
      printJson(r);
      return r.failed.length ? 1 : 0;
    }
    const n = r.blobs.length + r.tempFiles.length;
    const mib = (r.bytes / 1024 ** 2).toFixed(1);
    const lines: string[] = [];
    if (n === 0) lines.push('Nothing to clean up.');
    else if (dryRun)
      lines.push(
        `Would delete ${r.blobs.length} unreferenced blob(s) and ${r.tempFiles.length} temp file(s), ${mib} MiB. Nothing was deleted.`,
      );
    else
      lines.push(
        `Deleted ${r.blobs.length} unreferenced blob(s) and ${r.tempFiles.length} temp file(s), ${mib} MiB; recorded in the vault's custody log.`,
      );
    for (const b of r.blobs) lines.push(`  blob ${b}`);
    for (const t of r.tempFiles) lines.push(`  temp ${t}`);
    if (r.keptYoung > 0)
      lines.push(
        `Kept ${r.keptYoung} leftover(s) younger than ${minAgeMinutes} minute(s): an intake may still be recording them.`,
      );
    for (const f of r.failed) lines.push(`Could not delete ${f}.`);
    process.stdout.write(lines.join('\n') + '\n');
    return r.failed.length ? 1 : 0;
  },
};
