// `kesi verify FILE.pdf [--vault DIR] [--json]`: checks a court bundle. Without --vault it needs
// no vault at all (KESI_VAULT is not used, so verifying a file never asks for a passphrase).
// Exit 0 when every check passed, 1 when any failed. docs/VERIFY.md.
import { readFile } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { KesiError } from '../../shared/errors';
import { formatBundleReport, verifyBundleParts } from '../verify/bundle-verify';
import { checkBundleAgainstVault, vaultViewOf } from '../verify/bundle-vault';
import { str, UsageError } from './args';
import type { Command } from './commands';
import { printJson } from './output';

async function readBundle(path: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new KesiError('FILE_NOT_FOUND', `There is no file ${path}.`);
    throw new KesiError('FILE_UNREADABLE', `${path} cannot be read (${code ?? String(e)}).`);
  }
}

export const verifyCommand: Command = {
  usage: 'kesi verify FILE.pdf [--vault DIR] [--json]',
  summary:
    'check a court bundle: PDF and manifest signatures, custody, proofs, pages (no vault needed); exit 1 when anything is wrong',
  options: {},
  async run(ctx) {
    const [path, extra] = ctx.args.positionals;
    if (path === undefined)
      throw new UsageError('Say which bundle to check: kesi verify FILE.pdf.');
    if (extra !== undefined) throw new UsageError('Check one bundle at a time.');
    const full = resolve(path);
    const bytes = await readBundle(full);
    const parts = await verifyBundleParts(bytes, { fileName: basename(full) });
    const report =
      str(ctx.args, 'vault') !== undefined
        ? await checkBundleAgainstVault(parts, bytes, vaultViewOf(await ctx.service()))
        : parts.report;
    if (ctx.json) printJson(report);
    else process.stdout.write(formatBundleReport(report));
    return report.ok ? 0 : 1;
  },
};
