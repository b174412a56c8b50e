// The `kesi` commands. Each is a thin layer over KesiService: parse flags, call, print.
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ITEM_KINDS, MEDICAL_SUBTYPES, PERSON_ROLES, ROLES } from '../../shared/domain';
import type { ItemKind, MedicalSubtype, PersonRole, Role } from '../../shared/domain';
import { KesiError } from '../../shared/errors';
import { formatEat } from '../../shared/time';
import { flag, requireStr, str, UsageError, type OptionSpec } from './args';
import type { Context } from './context';
import { formatAuditReport } from '../verify/audit';
import { cleanupCommand } from './cleanup-command';
import { BUNDLE_COMMANDS } from './bundle-commands';
import { verifyCommand } from './verify-command';
import type { CustodyEvent } from '../custody/event';
import { printFields, printJson, printTable } from './output';
import { newPassphrase } from './prompt';

export interface Command {
  usage: string;
  summary: string;
  options: OptionSpec;
  /** Returns the exit code. */
  run(ctx: Context): Promise<number>;
}

function oneOf<T extends string>(value: string, allowed: readonly T[], what: string): T {
  if (!(allowed as readonly string[]).includes(value)) {
    throw new UsageError(`${what} must be one of: ${allowed.join(', ')}.`);
  }
  return value as T;
}

function positional(ctx: Context, index: number, what: string): string {
  const v = ctx.args.positionals[index];
  if (v === undefined) throw new UsageError(`${what} is missing.`);
  return v;
}

export const COMMANDS: Record<string, Command> = {
  init: {
    usage: 'kesi init [--name NAME] [--escrow age1...] [--recovery-out FILE]',
    summary: 'create a vault with a first administrator (--user)',
    options: { name: 'string', escrow: 'string', 'recovery-out': 'string' },
    async run(ctx) {
      const dir = ctx.vaultDir();
      const admin = ctx.userName();
      const recoveryOut = str(ctx.args, 'recovery-out');
      const passphrase =
        process.env['KESI_PASSPHRASE'] || (await newPassphrase(`New passphrase for ${admin}`));
      const escrow = str(ctx.args, 'escrow');
      const name = str(ctx.args, 'name');
      const { createVault, lockVault } = await import('../vault/vault.js');
      const created = await createVault(dir, {
        admin,
        passphrase,
        ...(escrow ? { escrowRecipient: escrow } : {}),
        ...(name ? { name } : {}),
      });
      lockVault(created.vault);
      const key = created.recoveryIdentity;
      if (recoveryOut) {
        writeFileSync(resolve(recoveryOut), recoveryKeyText(created.vault.header.vaultId, key), {
          flag: 'wx',
          mode: 0o600,
        });
        chmodSync(resolve(recoveryOut), 0o600);
      }
      if (ctx.json) {
        printJson({
          vault: dir,
          vaultId: created.vault.header.vaultId,
          admin,
          escrow: escrow ?? null,
          ...(recoveryOut ? { recoveryKeyFile: resolve(recoveryOut) } : { recoveryKey: key }),
        });
      } else {
        process.stdout.write(`Created vault ${created.vault.header.vaultId} in ${dir}\n`);
        process.stdout.write(`Administrator: ${admin}\n`);
        if (recoveryOut) {
          process.stdout.write(
            `Recovery key written to ${resolve(recoveryOut)}. Print it, lock it away, delete the file.\n`,
          );
        } else {
          process.stdout.write(
            `\nRECOVERY KEY (shown once; print it and lock it away, it opens the vault if every passphrase is lost):\n\n  ${key}\n\n`,
          );
        }
      }
      return 0;
    },
  },

  'user add': {
    usage: 'kesi user add NAME --role admin|investigator|lawyer|auditor',
    summary: 'add a user; their passphrase comes from KESI_NEW_PASSPHRASE or a prompt',
    options: { role: 'string' },
    async run(ctx) {
      const name = positional(ctx, 0, 'The new user name');
      const role = oneOf<Role>(requireStr(ctx.args, 'role'), ROLES, '--role');
      const svc = await ctx.service();
      const passphrase = await newPassphrase(`New passphrase for ${name}`);
      const u = await svc.addUser({ name, role, passphrase });
      if (ctx.json) printJson(u);
      else process.stdout.write(`Added ${u.name} (${u.role}), signing key ${u.keyId}\n`);
      return 0;
    },
  },

  'user list': {
    usage: 'kesi user list',
    summary: 'list users, roles and signing keys',
    options: {},
    async run(ctx) {
      const users = (await ctx.service()).listUsers();
      if (ctx.json) printJson(users);
      else
        printTable(
          ['NAME', 'ROLE', 'KEY ID', 'ADDED', 'REMOVED'],
          users.map((u) => [
            u.name,
            u.role,
            u.keyId,
            formatEat(u.createdAt, false),
            formatEat(u.removedAt, false),
          ]),
        );
      return 0;
    },
  },

  'user passwd': {
    usage: 'kesi user passwd NAME',
    summary: 'set a new passphrase (KESI_NEW_PASSPHRASE or a prompt); only key slots change',
    options: {},
    async run(ctx) {
      const name = positional(ctx, 0, 'The user name');
      const svc = await ctx.service();
      const passphrase = await newPassphrase(`New passphrase for ${name}`);
      await svc.changePassphrase(name, passphrase);
      if (ctx.json) printJson({ user: name, changed: true });
      else process.stdout.write(`Passphrase changed for ${name}\n`);
      return 0;
    },
  },

  'user remove': {
    usage: 'kesi user remove NAME',
    summary: "remove a user's key slot; their past signatures stay verifiable",
    options: {},
    async run(ctx) {
      const name = positional(ctx, 0, 'The user name');
      (await ctx.service()).removeUser(name);
      if (ctx.json) printJson({ user: name, removed: true });
      else process.stdout.write(`Removed ${name}\n`);
      return 0;
    },
  },

  recover: {
    usage: 'kesi recover --key FILE --user NAME',
    summary: 'with the recovery or escrow key, set a new passphrase for NAME (KESI_NEW_PASSPHRASE)',
    options: { key: 'string' },
    async run(ctx) {
      const dir = ctx.vaultDir();
      const name = ctx.userName();
      const keyFile = requireStr(ctx.args, 'key');
      const identity = extractIdentity(readFileSync(resolve(keyFile), 'utf8'));
      const { unlockWithKey, lockVault } = await import('../vault/vault.js');
      const { resetUserKey } = await import('../service/service.js');
      const { vault, slot } = await unlockWithKey(dir, identity);
      try {
        const target = vault.catalogue.users.byName(name);
        if (!target || target.removedAt) throw new KesiError('USER_NOT_FOUND');
        const passphrase = await newPassphrase(`New passphrase for ${name}`);
        await resetUserKey(vault, target, passphrase, new Date().toISOString(), null, slot);
      } finally {
        lockVault(vault);
      }
      if (ctx.json) printJson({ user: name, recoveredWith: slot });
      else
        process.stdout.write(
          `Opened with the ${slot} key; ${name} has a new passphrase and signing key.\n`,
        );
      return 0;
    },
  },

  'case create': {
    usage:
      'kesi case create REF --title TITLE [--ob N] [--station S] [--county C] [--incident-date YYYY-MM-DD] [--court C] [--court-case N] [--officer NAME]',
    summary: 'open a case',
    options: {
      title: 'string',
      ob: 'string',
      station: 'string',
      county: 'string',
      'incident-date': 'string',
      court: 'string',
      'court-case': 'string',
      officer: 'string',
    },
    async run(ctx) {
      const ref = positional(ctx, 0, 'The case reference');
      const a = ctx.args;
      const input = {
        ref,
        title: requireStr(a, 'title'),
        obNumber: str(a, 'ob'),
        policeStation: str(a, 'station'),
        county: str(a, 'county'),
        incidentDate: str(a, 'incident-date'),
        court: str(a, 'court'),
        courtCaseNumber: str(a, 'court-case'),
        accountableOfficer: str(a, 'officer'),
      };
      const c = (await ctx.service()).createCase(input);
      if (ctx.json) printJson(c);
      else process.stdout.write(`Created case ${c.ref}: ${c.title}\n`);
      return 0;
    },
  },

  'case list': {
    usage: 'kesi case list [--status open|closed|archived] [--county C]',
    summary: 'list cases',
    options: { status: 'string', county: 'string' },
    async run(ctx) {
      const status = str(ctx.args, 'status');
      const county = str(ctx.args, 'county');
      const cases = (await ctx.service()).listCases({
        ...(status
          ? { status: oneOf(status, ['open', 'closed', 'archived'] as const, '--status') }
          : {}),
        ...(county ? { county } : {}),
      });
      if (ctx.json) printJson(cases);
      else
        printTable(
          ['REF', 'TITLE', 'OB', 'STATION', 'COUNTY', 'STATUS'],
          cases.map((c) => [c.ref, c.title, c.obNumber, c.policeStation, c.county, c.status]),
        );
      return 0;
    },
  },

  'case show': {
    usage: 'kesi case show REF',
    summary: 'show a case, its persons and items',
    options: {},
    async run(ctx) {
      const ref = positional(ctx, 0, 'The case reference');
      const svc = await ctx.service();
      const c = svc.getCase(ref);
      const persons = svc.listPersons(ref);
      const items = svc.listItems(ref);
      if (ctx.json) {
        printJson({ case: c, persons, items });
        return 0;
      }
      printFields([
        ['Reference', c.ref],
        ['Title', c.title],
        ['OB number', c.obNumber],
        ['Police station', c.policeStation],
        ['County', c.county],
        ['Incident date', c.incidentDate],
        ['Court', c.court],
        ['Court case', c.courtCaseNumber],
        ['Status', c.status],
        ['Accountable officer', c.accountableOfficer],
        ['Opened', formatEat(c.createdAt)],
        ['Persons', persons.length],
        ['Items', items.length],
      ]);
      if (persons.length) {
        process.stdout.write('\n');
        printTable(
          ['ID', 'ROLE', 'NAME', 'PROTECTED', 'MINOR'],
          persons.map((p) => [
            p.id,
            p.role,
            p.displayName,
            p.protected ? 'yes' : '',
            p.minor ? 'yes' : '',
          ]),
        );
      }
      return 0;
    },
  },

  'person add': {
    usage:
      'kesi person add REF --name NAME --role ROLE [--pseudonym P] [--protected] [--minor] [--service-number N] [--contact C]',
    summary: `record a person in a case (roles: ${PERSON_ROLES.join(', ')})`,
    options: {
      name: 'string',
      role: 'string',
      pseudonym: 'string',
      protected: 'boolean',
      minor: 'boolean',
      'service-number': 'string',
      contact: 'string',
    },
    async run(ctx) {
      const ref = positional(ctx, 0, 'The case reference');
      const a = ctx.args;
      const input = {
        role: oneOf<PersonRole>(requireStr(a, 'role'), PERSON_ROLES, '--role'),
        fullName: requireStr(a, 'name'),
        pseudonym: str(a, 'pseudonym'),
        protected: flag(a, 'protected'),
        minor: flag(a, 'minor'),
        serviceNumber: str(a, 'service-number'),
        contact: str(a, 'contact'),
      };
      const p = (await ctx.service()).addPerson(ref, input);
      if (ctx.json) printJson(p);
      else process.stdout.write(`Added ${p.role} ${p.displayName} (person ${p.id}) to ${ref}\n`);
      return 0;
    },
  },

  add: {
    usage:
      'kesi add REF PATH... [--kind KIND] [--subtype S] [--title T] [--description D] [--captured-at ISO] [--captured-by NAME] [--source S] [--reason R] [--expect-sha256 HEX] [--force]',
    summary: 'take files into a case: hash, encrypt, store, record',
    options: {
      kind: 'string',
      subtype: 'string',
      title: 'string',
      description: 'string',
      'captured-at': 'string',
      'captured-by': 'string',
      source: 'string',
      reason: 'string',
      'expect-sha256': 'string',
      force: 'boolean',
    },
    async run(ctx) {
      const ref = positional(ctx, 0, 'The case reference');
      const paths = ctx.args.positionals.slice(1);
      if (paths.length === 0) throw new UsageError('Name at least one file to add.');
      const a = ctx.args;
      const kind = str(a, 'kind');
      const subtype = str(a, 'subtype');
      const given = new Map(paths.map((p) => [resolve(p), p]));
      const input = {
        caseRef: ref,
        paths: paths.map((p) => resolve(p)),
        kind: kind ? oneOf<ItemKind>(kind, ITEM_KINDS, '--kind') : undefined,
        subtype: subtype
          ? oneOf<MedicalSubtype>(subtype, MEDICAL_SUBTYPES, '--subtype')
          : undefined,
        title: str(a, 'title'),
        description: str(a, 'description'),
        capturedAt: str(a, 'captured-at'),
        capturedBy: str(a, 'captured-by'),
        source: str(a, 'source'),
        reason: str(a, 'reason'),
        expectSha256: str(a, 'expect-sha256')?.toLowerCase(),
        force: flag(a, 'force'),
      };
      const svc = await ctx.service();
      const results = await svc.addFiles(input, (r) => {
        if (ctx.json) return;
        const label = given.get(r.file) ?? r.file;
        if (r.status === 'error')
          process.stdout.write(`error      ${label}: ${r.error?.message} [${r.error?.code}]\n`);
        else
          process.stdout.write(
            `${r.status.padEnd(10)} ${label} -> item ${r.itemId} sha256 ${r.sha256}\n`,
          );
      });
      if (ctx.json) printJson(results.map((r) => ({ ...r, file: given.get(r.file) ?? r.file })));
      return results.some((r) => r.status === 'error') ? 1 : 0;
    },
  },

  exhibit: {
    usage:
      'kesi exhibit REF --title T [--description D] [--exhibit-number N] [--seal S] [--custodian NAME] [--org ORG] [--place P] [--reason R]',
    summary: 'register a physical exhibit (clothing, a cartridge case) and its first custodian',
    options: {
      title: 'string',
      description: 'string',
      'exhibit-number': 'string',
      seal: 'string',
      custodian: 'string',
      org: 'string',
      place: 'string',
      reason: 'string',
    },
    async run(ctx) {
      const ref = positional(ctx, 0, 'The case reference');
      const a = ctx.args;
      const input = {
        title: requireStr(a, 'title'),
        description: str(a, 'description'),
        exhibitNumber: str(a, 'exhibit-number'),
        seal: str(a, 'seal'),
        custodian: str(a, 'custodian'),
        organisation: str(a, 'org'),
        place: str(a, 'place'),
        reason: str(a, 'reason'),
      };
      const it = (await ctx.service()).addExhibit(ref, input);
      if (ctx.json) printJson(it);
      else process.stdout.write(`Registered exhibit ${it.id}: ${it.title}\n`);
      return 0;
    },
  },

  transfer: {
    usage: 'kesi transfer ITEM --to NAME [--org ORG] [--place P] [--seal S] --reason R',
    summary: 'record that an exhibit changed hands or place',
    options: { to: 'string', org: 'string', place: 'string', seal: 'string', reason: 'string' },
    async run(ctx) {
      const id = itemId(positional(ctx, 0, 'The item id'));
      const a = ctx.args;
      const input = {
        to: requireStr(a, 'to'),
        organisation: str(a, 'org'),
        place: str(a, 'place'),
        seal: str(a, 'seal'),
        reason: requireStr(a, 'reason'),
      };
      const svc = await ctx.service();
      const ev = svc.transfer(id, input);
      const now = svc.currentCustodian(id);
      if (ctx.json) printJson({ event: ev, custodian: now });
      else
        process.stdout.write(
          `Item ${id} is now with ${now.name}${now.organisation ? `, ${now.organisation}` : ''}${now.seal ? ` (seal ${now.seal})` : ''} since ${formatEat(now.since)}\n`,
        );
      return 0;
    },
  },

  log: {
    usage: 'kesi log REF|--vault-chain [--item ID]',
    summary: "a case's custody timeline (--json: the raw signed events)",
    options: { item: 'string', 'vault-chain': 'boolean' },
    async run(ctx) {
      const svc = await ctx.service();
      const item = str(ctx.args, 'item');
      const events = flag(ctx.args, 'vault-chain')
        ? svc.vaultLog()
        : item !== undefined
          ? svc.itemLog(itemId(item))
          : svc.caseLog(positional(ctx, 0, 'The case reference'));
      if (ctx.json) {
        printJson(events);
        return 0;
      }
      for (const e of events) {
        const what = describeEvent(e);
        process.stdout.write(
          `#${e.seq} ${formatEat(e.at)}  ${e.action.padEnd(9)} ${e.actor.user}${e.place ? ` @ ${e.place}` : ''}\n` +
            `    ${what}${e.reason ? `\n    reason: ${e.reason}` : ''}\n    hash ${e.hash.slice(0, 16)}… key ${e.actor.keyId.slice(0, 8)}\n`,
        );
      }
      return 0;
    },
  },

  audit: {
    usage: 'kesi audit',
    summary: 'check every chain, signature and blob of the vault; exit 1 when anything is wrong',
    options: {},
    async run(ctx) {
      const svc = await ctx.service();
      const live = !ctx.json && process.stderr.isTTY;
      const report = await svc.audit(
        live
          ? { onProgress: (p) => process.stderr.write(`\r${p.phase}: ${p.done}/${p.total}   `) }
          : {},
      );
      if (live) process.stderr.write('\n');
      if (ctx.json) printJson(report);
      else process.stdout.write(formatAuditReport(report) + '\n');
      return report.ok ? 0 : 1;
    },
  },

  cleanup: cleanupCommand,

  ...BUNDLE_COMMANDS,

  verify: verifyCommand,

  items: {
    usage: 'kesi items REF',
    summary: 'list the items of a case',
    options: {},
    async run(ctx) {
      const ref = positional(ctx, 0, 'The case reference');
      const items = (await ctx.service()).listItems(ref);
      if (ctx.json) printJson(items);
      else
        printTable(
          ['ID', 'EXHIBIT', 'KIND', 'TITLE', 'SIZE', 'SHA-256', 'ADDED'],
          items.map((i) => [
            i.id,
            i.exhibitNumber,
            i.kind,
            i.title,
            i.size,
            i.sha256.slice(0, 16),
            formatEat(i.createdAt, false),
          ]),
        );
      return 0;
    },
  },

  search: {
    usage: 'kesi search QUERY [--case REF]',
    summary: 'full-text search over cases, persons and items',
    options: { case: 'string' },
    async run(ctx) {
      const q = ctx.args.positionals.join(' ');
      if (!q.trim()) throw new UsageError('Say what to search for.');
      const hits = (await ctx.service()).search(q, str(ctx.args, 'case'));
      if (ctx.json) printJson(hits);
      else
        printTable(
          ['TYPE', 'ID', 'CASE', 'TITLE'],
          hits.map((h) => [h.type, h.id, h.caseRef, h.title]),
        );
      return 0;
    },
  },

  get: {
    usage: 'kesi get ITEM --out FILE',
    summary: "write an item's original, decrypted and checked against its SHA-256",
    options: { out: 'string' },
    async run(ctx) {
      const id = itemId(positional(ctx, 0, 'The item id'));
      const out = resolve(requireStr(ctx.args, 'out'));
      const item = await (await ctx.service()).exportItem(id, out);
      if (ctx.json) printJson({ itemId: item.id, out, sha256: item.sha256, size: item.size });
      else
        process.stdout.write(`Wrote item ${item.id} to ${out} (sha256 ${item.sha256}, verified)\n`);
      return 0;
    },
  },
};

function itemId(raw: string): number {
  const id = Number(raw);
  if (!Number.isSafeInteger(id) || id <= 0) throw new UsageError(`"${raw}" is not an item id.`);
  return id;
}

/** One line on what an event recorded, from its details. */
function describeEvent(e: CustodyEvent): string {
  const d = e.details as Record<string, unknown>;
  const item = e.itemUid ? `item ${String(d['title'] ?? e.itemUid)}` : '';
  switch (e.action) {
    case 'create':
      return `case opened: ${String(d['title'] ?? '')}`;
    case 'intake':
      return `${item} taken in${d['sha256'] ? `, sha256 ${String(d['sha256']).slice(0, 16)}…` : ''}`;
    case 'transfer': {
      const to = d['to'] as
        { name?: string; organisation?: string | null; seal?: string | null } | undefined;
      return `to ${to?.name ?? '?'}${to?.organisation ? `, ${to.organisation}` : ''}${to?.seal ? `, seal ${to.seal}` : ''}`;
    }
    default:
      return JSON.stringify(d).slice(0, 160);
  }
}

function recoveryKeyText(vaultId: string, identity: string): string {
  return `# Kesi recovery key for vault ${vaultId}\n# Opens the vault when every passphrase is lost. Print it, lock it away, delete this file.\n${identity}\n`;
}

/** Accepts a bare identity or an age key file (comments allowed). */
function extractIdentity(text: string): string {
  const line = text.split(/\r?\n/).find((l) => l.trim().startsWith('AGE-SECRET-KEY-1'));
  if (!line)
    throw new KesiError(
      'WRONG_RECOVERY_KEY',
      'The key file holds no age identity (AGE-SECRET-KEY-1…).',
    );
  return line.trim();
}
