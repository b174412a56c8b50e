// The `kesi` command: the same service as the app, headless.
// Exit codes: 0 success, 1 an error or a failed check, 2 bad usage.
import { KesiError, toErrorData } from '../shared/errors';
import { parseArgs, UsageError, type OptionSpec } from './cli/args';
import { COMMANDS, type Command } from './cli/commands';
import { makeContext } from './cli/context';

const GLOBAL: OptionSpec = {
  vault: 'string',
  user: 'string',
  place: 'string',
  json: 'boolean',
  help: 'boolean',
};

function findCommand(argv: string[]): { name: string; cmd: Command; rest: string[] } | undefined {
  const words = argv.filter((a) => !a.startsWith('-'));
  for (const len of [2, 1]) {
    const name = words.slice(0, len).join(' ');
    const cmd = COMMANDS[name];
    if (!cmd) continue;
    // Drop the command words from argv, wherever the global options put them.
    const rest = [...argv];
    for (const w of name.split(' ')) rest.splice(rest.indexOf(w), 1);
    return { name, cmd, rest };
  }
  return undefined;
}

export function usage(): string {
  const lines = Object.values(COMMANDS).map((c) => `  ${c.usage}\n      ${c.summary}`);
  return [
    'kesi: the Kesi evidence locker, from the command line.',
    '',
    'Global options: --vault DIR (or KESI_VAULT), --user NAME (or KESI_USER), --json,',
    '  --place PLACE (or KESI_PLACE): where the work happens, recorded in the custody log',
    'Passphrases: KESI_PASSPHRASE, and KESI_NEW_PASSPHRASE for a new one; otherwise a prompt.',
    '',
    'Commands:',
    ...lines,
    '',
  ].join('\n');
}

export async function main(argv: string[]): Promise<number> {
  const found = findCommand(argv);
  if (!found) {
    const help = argv.length === 0 || argv.includes('--help') || argv.includes('-h');
    process[help ? 'stdout' : 'stderr'].write(
      (help
        ? ''
        : `kesi: unknown command "${argv.filter((a) => !a.startsWith('-')).join(' ')}"\n\n`) +
        usage(),
    );
    return help ? 0 : 2;
  }
  let json = argv.includes('--json');
  let ctx: ReturnType<typeof makeContext> | undefined;
  try {
    const args = parseArgs(found.rest, { ...GLOBAL, ...found.cmd.options });
    json = args.options['json'] === true;
    if (args.options['help']) {
      process.stdout.write(`${found.cmd.usage}\n  ${found.cmd.summary}\n`);
      return 0;
    }
    ctx = makeContext(args);
    return await found.cmd.run(ctx);
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`kesi ${found.name}: ${e.message}\nUsage: ${found.cmd.usage}\n`);
      return 2;
    }
    const data = toErrorData(e);
    if (!(e instanceof KesiError)) {
      // Unexpected: keep the detail for a bug report on stderr, never secrets (none are in errors).
      process.stderr.write(`kesi: internal error: ${e instanceof Error ? e.stack : String(e)}\n`);
    }
    if (json) process.stdout.write(JSON.stringify({ error: data }, null, 2) + '\n');
    process.stderr.write(`kesi ${found.name}: ${data.message} [${data.code}]\n`);
    return data.code === 'BAD_INPUT' ? 2 : 1;
  } finally {
    ctx?.close();
  }
}

/** Runs `kesi` with this process's arguments and sets the exit code. */
export function run(): void {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      process.stderr.write(`kesi: ${String(e)}\n`);
      process.exitCode = 1;
    },
  );
}

if (require.main === module) run();
