// Passphrases: from the environment for scripts, otherwise typed at a prompt without echo.
import { UsageError } from './args';

export async function readSecret(label: string): Promise<string> {
  const stdin = process.stdin;
  if (!stdin.isTTY) return readLineFromStdin(label);
  process.stderr.write(`${label}: `);
  stdin.setRawMode(true);
  stdin.resume();
  stdin.setEncoding('utf8');
  return new Promise((resolve, reject) => {
    let value = '';
    const onData = (s: string) => {
      for (const ch of s) {
        if (ch === '\r' || ch === '\n') {
          done();
          resolve(value);
          return;
        }
        if (ch === '\u0003') {
          done();
          reject(new UsageError('Cancelled.'));
          return;
        }
        if (ch === '\u007f' || ch === '\b') value = value.slice(0, -1);
        else value += ch;
      }
    };
    const done = () => {
      stdin.off('data', onData);
      stdin.setRawMode(false);
      stdin.pause();
      process.stderr.write('\n');
    };
    stdin.on('data', onData);
  });
}

let stdinLines: string[] | undefined;

async function readLineFromStdin(label: string): Promise<string> {
  if (stdinLines === undefined) {
    const chunks: Buffer[] = [];
    for await (const c of process.stdin) chunks.push(c as Buffer);
    stdinLines = Buffer.concat(chunks).toString('utf8').split(/\r?\n/);
  }
  const line = stdinLines.shift();
  if (line === undefined || line === '') {
    throw new UsageError(`${label} is needed: set it in the environment or type it at a terminal.`);
  }
  return line;
}

export async function passphraseFromEnvOrPrompt(env: string, label: string): Promise<string> {
  const v = process.env[env];
  if (v !== undefined && v !== '') return v;
  return readSecret(label);
}

export async function newPassphrase(label: string): Promise<string> {
  const v = process.env['KESI_NEW_PASSPHRASE'];
  if (v !== undefined && v !== '') return v;
  const a = await readSecret(label);
  const b = await readSecret('Repeat it');
  if (a !== b) throw new UsageError('The two passphrases differ.');
  return a;
}
