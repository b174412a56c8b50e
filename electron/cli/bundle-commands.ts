// `kesi bundle …` and `kesi demo`: court bundles from the command line, and a demo vault.
//
//   kesi bundle REF --all [cover] --out FILE.pdf      default spec → saved → generated
//   kesi bundle spec REF [cover] --out FILE.json      the default spec as JSON, to edit
//   kesi bundle save FILE.json [--replace UID]        store an (edited) spec
//   kesi bundle make UID --out FILE.pdf [--at ISO]    generate a stored bundle
//   kesi bundle list REF / kesi bundle show UID       stored bundles
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { KesiError } from '../../shared/errors';
import { formatEat } from '../../shared/time';
import type { BundleProgress } from '../bundle/types';
import type { BundleCover, GeneratedBundle } from '../service/bundles';
import type { KesiService } from '../service/service';
import { flag, requireStr, str, UsageError, type OptionSpec, type Parsed } from './args';
import type { Command } from './commands';
import type { Context } from './context';
import { printFields, printJson, printTable } from './output';
import { newPassphrase } from './prompt';

const COVER_OPTIONS: OptionSpec = {
  title: 'string',
  court: 'string',
  'case-number': 'string',
  parties: 'string',
  'prepared-by': 'string',
  date: 'string',
  'no-pseudonyms': 'boolean',
  'exhibit-prefix': 'string',
};
const COVER_USAGE =
  '--court C --case-number N --parties P [--prepared-by X] [--date YYYY-MM-DD] [--title T] [--no-pseudonyms] [--exhibit-prefix P]';

function positional(ctx: Context, index: number, what: string): string {
  const v = ctx.args.positionals[index];
  if (v === undefined) throw new UsageError(`${what} is missing.`);
  return v;
}

/** The cover from the options; court, case number and parties are needed on the command line. */
function coverOf(a: Parsed): BundleCover {
  const title = str(a, 'title');
  const preparedBy = str(a, 'prepared-by');
  const date = str(a, 'date');
  const prefix = str(a, 'exhibit-prefix');
  return {
    court: requireStr(a, 'court'),
    caseNumber: requireStr(a, 'case-number'),
    parties: requireStr(a, 'parties'),
    ...(title !== undefined ? { title } : {}),
    ...(preparedBy !== undefined ? { preparedBy } : {}),
    ...(date !== undefined ? { date } : {}),
    ...(prefix !== undefined ? { exhibitPrefix: prefix } : {}),
    usePseudonyms: !flag(a, 'no-pseudonyms'),
  };
}

function progressLine(p: BundleProgress): string {
  if (p.phase === 'exhibits') {
    return `exhibits ${p.done}/${p.total}${p.exhibitNumber ? ` (${p.exhibitNumber})` : ''}, ${p.pages} pages`;
  }
  return `${p.phase}, ${p.pages} pages`;
}

/** Generates with progress on stderr; Ctrl-C cancels and leaves no file behind. */
async function generate(
  ctx: Context,
  svc: KesiService,
  uid: string,
  out: string,
): Promise<GeneratedBundle> {
  const at = str(ctx.args, 'at');
  const controller = new AbortController();
  const onSigint = () => controller.abort();
  process.on('SIGINT', onSigint);
  const live = process.stderr.isTTY;
  let last = '';
  try {
    const r = await svc.generateBundle(uid, out, {
      ...(at !== undefined ? { at } : {}),
      signal: controller.signal,
      onProgress: ctx.json
        ? undefined
        : (p) => {
            const line = progressLine(p);
            if (line === last) return;
            last = line;
            process.stderr.write(live ? `\r${line}   ` : `${line}\n`);
          },
    });
    if (live && last) process.stderr.write('\n');
    return r;
  } finally {
    process.off('SIGINT', onSigint);
  }
}

function printGenerated(ctx: Context, r: GeneratedBundle): void {
  if (ctx.json) {
    printJson({
      bundle: r.bundle.uid,
      path: r.path,
      sha256: r.sha256,
      pages: r.pages,
      bytes: r.bytes,
      generatedAt: r.generatedAt,
      exhibits: r.exhibits,
    });
    return;
  }
  printFields([
    ['Bundle', r.bundle.uid],
    ['Wrote', r.path],
    ['Pages', r.pages],
    ['Bytes', r.bytes],
    ['SHA-256', r.sha256],
    ['Generated', `${formatEat(r.generatedAt)} (${r.generatedAt})`],
  ]);
}

export const BUNDLE_COMMANDS: Record<string, Command> = {
  bundle: {
    usage: `kesi bundle REF --all ${COVER_USAGE} [--at ISO-TIME] --out FILE.pdf`,
    summary:
      'build a court bundle of every item (sections by kind, intake order), store its spec, write the signed PDF',
    options: { ...COVER_OPTIONS, all: 'boolean', at: 'string', out: 'string' },
    async run(ctx) {
      const ref = positional(ctx, 0, 'The case reference');
      if (!flag(ctx.args, 'all')) {
        throw new UsageError(
          'Say --all to put every item of the case in the bundle, or edit a spec: kesi bundle spec, kesi bundle save, kesi bundle make.',
        );
      }
      const out = resolve(requireStr(ctx.args, 'out'));
      const cover = coverOf(ctx.args);
      const svc = await ctx.service();
      const saved = svc.saveBundle(svc.defaultBundleSpec(ref, cover));
      printGenerated(ctx, await generate(ctx, svc, saved.uid, out));
      return 0;
    },
  },

  'bundle spec': {
    usage: `kesi bundle spec REF ${COVER_USAGE} --out FILE.json`,
    summary: 'write the default spec of a case as JSON, to edit (order, numbers) and then save',
    options: { ...COVER_OPTIONS, out: 'string' },
    async run(ctx) {
      const ref = positional(ctx, 0, 'The case reference');
      const out = resolve(requireStr(ctx.args, 'out'));
      const spec = (await ctx.service()).defaultBundleSpec(ref, coverOf(ctx.args));
      writeFileSync(out, JSON.stringify(spec, null, 2) + '\n', { flag: 'wx', mode: 0o600 });
      if (ctx.json) printJson({ out, spec });
      else
        process.stdout.write(
          `Wrote the spec of ${spec.sections.reduce((n, s) => n + s.items.length, 0)} exhibits to ${out}\n`,
        );
      return 0;
    },
  },

  'bundle save': {
    usage: 'kesi bundle save FILE.json [--replace UID]',
    summary: 'store a bundle spec (a new bundle, or a new spec for bundle UID)',
    options: { replace: 'string' },
    async run(ctx) {
      const file = resolve(positional(ctx, 0, 'The spec file'));
      let raw: unknown;
      try {
        raw = JSON.parse(readFileSync(file, 'utf8'));
      } catch (e) {
        throw new KesiError('BAD_INPUT', `${file} is not a JSON spec: ${String(e).slice(0, 200)}`);
      }
      const svc = await ctx.service();
      const b = svc.saveBundle(
        raw as Parameters<KesiService['saveBundle']>[0],
        str(ctx.args, 'replace'),
      );
      if (ctx.json) printJson(b);
      else process.stdout.write(`Saved bundle ${b.uid} of case ${b.caseRef}: ${b.title}\n`);
      return 0;
    },
  },

  'bundle make': {
    usage: 'kesi bundle make UID --out FILE.pdf [--at ISO-TIME]',
    summary:
      'generate the signed PDF of a stored bundle; the same --at gives the same file, byte for byte',
    options: { at: 'string', out: 'string' },
    async run(ctx) {
      const uid = positional(ctx, 0, 'The bundle id');
      const out = resolve(requireStr(ctx.args, 'out'));
      const svc = await ctx.service();
      printGenerated(ctx, await generate(ctx, svc, uid, out));
      return 0;
    },
  },

  'bundle list': {
    usage: 'kesi bundle list REF',
    summary: 'list the stored bundles of a case',
    options: {},
    async run(ctx) {
      const ref = positional(ctx, 0, 'The case reference');
      const list = (await ctx.service()).listBundles(ref);
      if (ctx.json) printJson(list);
      else
        printTable(
          ['BUNDLE', 'TITLE', 'EXHIBITS', 'BY', 'LAST GENERATED', 'SHA-256'],
          list.map((b) => [
            b.uid,
            b.title,
            b.spec.sections.reduce((n, s) => n + s.items.length, 0),
            b.createdBy,
            b.lastGeneratedAt ? formatEat(b.lastGeneratedAt) : '',
            b.lastSha256 ? b.lastSha256.slice(0, 16) : '',
          ]),
        );
      return 0;
    },
  },

  'bundle show': {
    usage: 'kesi bundle show UID [--json]',
    summary: 'show a stored bundle and its spec (--json: the spec as kesi bundle save takes it)',
    options: {},
    async run(ctx) {
      const uid = positional(ctx, 0, 'The bundle id');
      const b = (await ctx.service()).getBundle(uid);
      if (ctx.json) {
        printJson(b);
        return 0;
      }
      printFields([
        ['Bundle', b.uid],
        ['Case', b.caseRef],
        ['Title', b.title],
        ['Court', b.spec.court],
        ['Case number', b.spec.caseNumber],
        ['Parties', b.spec.parties],
        ['Prepared by', b.spec.preparedBy],
        ['Date', b.spec.date],
        ['Pseudonyms', b.spec.usePseudonyms ? 'yes' : 'no'],
        ['Created', `${formatEat(b.createdAt)} by ${b.createdBy}`],
        [
          'Last generated',
          b.lastGeneratedAt ? `${formatEat(b.lastGeneratedAt)} (${b.lastGeneratedAt})` : 'never',
        ],
        ['Last SHA-256', b.lastSha256],
      ]);
      process.stdout.write('\n');
      printTable(
        ['SECTION', 'EXHIBIT', 'ITEM'],
        b.spec.sections.flatMap((s) => s.items.map((i) => [s.title, i.exhibitNumber, i.itemUid])),
      );
      return 0;
    },
  },

  demo: {
    usage: 'kesi demo DIR [--user NAME] [--recovery-out FILE]',
    summary:
      'create a vault in DIR holding an invented demo case (people, photos, statements, a P3 report, a physical exhibit)',
    options: { 'recovery-out': 'string' },
    async run(ctx) {
      const dir = resolve(positional(ctx, 0, 'The folder for the demo vault'));
      const admin = str(ctx.args, 'user') ?? process.env['KESI_USER'] ?? 'amina';
      const passphrase =
        process.env['KESI_PASSPHRASE'] || (await newPassphrase(`New passphrase for ${admin}`));
      const recoveryOut = str(ctx.args, 'recovery-out');
      const { createDemoVault } = await import('../demo/demo.js');
      const r = await createDemoVault(dir, { admin, passphrase });
      if (recoveryOut) {
        writeFileSync(
          resolve(recoveryOut),
          `# Kesi recovery key for the demo vault ${r.vaultId}\n${r.recoveryIdentity}\n`,
          { flag: 'wx', mode: 0o600 },
        );
      }
      if (ctx.json) {
        printJson({
          vault: dir,
          vaultId: r.vaultId,
          admin,
          caseRef: r.caseRef,
          items: r.items,
          persons: r.persons,
          ...(recoveryOut ? { recoveryKeyFile: resolve(recoveryOut) } : {}),
        });
        return 0;
      }
      process.stdout.write(
        [
          `Created the demo vault ${r.vaultId} in ${dir}`,
          `Administrator: ${admin}`,
          `Case ${r.caseRef}: ${r.items} items, ${r.persons} persons (all invented)`,
          recoveryOut
            ? `Recovery key written to ${resolve(recoveryOut)}`
            : `Recovery key (opens the vault if the passphrase is lost): ${r.recoveryIdentity}`,
          '',
          'Next:',
          `  kesi items ${r.caseRef} --vault ${dir} --user ${admin}`,
          `  kesi bundle ${r.caseRef} --all --court "Chief Magistrate's Court at Milimani" \\`,
          `      --case-number "Criminal Case No. E123 of 2026" --parties "Republic v. Kiprono Kibet Langat" \\`,
          `      --out bundle.pdf --vault ${dir} --user ${admin}`,
          '  kesi verify bundle.pdf',
          '',
        ]
          .filter((l, i, all) => l !== '' || all[i - 1] !== '')
          .join('\n'),
      );
      return 0;
    },
  },
};
