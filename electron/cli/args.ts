// A small, strict argument parser: unknown options are usage errors (exit 2), never ignored.

export class UsageError extends Error {
  override name = 'UsageError';
}

export interface OptionSpec {
  [name: string]: 'string' | 'boolean' | 'strings';
}

export interface Parsed {
  positionals: string[];
  options: Record<string, string | boolean | string[]>;
}

export function parseArgs(argv: string[], spec: OptionSpec): Parsed {
  const positionals: string[] = [];
  const options: Parsed['options'] = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith('--') || arg === '-') {
      if (arg === '-h') {
        options['help'] = true;
        continue;
      }
      positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = eq === -1 ? arg.slice(2) : arg.slice(2, eq);
    const type = spec[name];
    if (type === undefined) throw new UsageError(`Unknown option --${name}.`);
    if (type === 'boolean') {
      if (eq !== -1) throw new UsageError(`--${name} takes no value.`);
      options[name] = true;
      continue;
    }
    let value: string | undefined;
    if (eq !== -1) value = arg.slice(eq + 1);
    else {
      value = argv[i + 1];
      i++;
    }
    if (value === undefined) throw new UsageError(`--${name} needs a value.`);
    if (type === 'strings') {
      const prev = options[name];
      options[name] = [...(Array.isArray(prev) ? prev : []), value];
    } else {
      options[name] = value;
    }
  }
  return { positionals, options };
}

export function str(p: Parsed, name: string): string | undefined {
  const v = p.options[name];
  return typeof v === 'string' ? v : undefined;
}

export function flag(p: Parsed, name: string): boolean {
  return p.options[name] === true;
}

export function requireStr(p: Parsed, name: string): string {
  const v = str(p, name);
  if (v === undefined) throw new UsageError(`--${name} is required.`);
  return v;
}
