// What every command shares: where the vault is, who is acting, and an unlocked service on demand.
import { resolve } from 'node:path';
import type { KesiService } from '../service/service';
import { flag, str, UsageError, type Parsed } from './args';
import { passphraseFromEnvOrPrompt } from './prompt';

export interface Context {
  args: Parsed;
  json: boolean;
  vaultDir(): string;
  userName(): string;
  service(): Promise<KesiService>;
  close(): void;
}

export function makeContext(args: Parsed): Context {
  let svc: KesiService | undefined;
  const ctx: Context = {
    args,
    json: flag(args, 'json'),
    vaultDir() {
      const v = str(args, 'vault') ?? process.env['KESI_VAULT'];
      if (!v) throw new UsageError('Say which vault: --vault DIR or KESI_VAULT.');
      return resolve(v);
    },
    userName() {
      const u = str(args, 'user') ?? process.env['KESI_USER'];
      if (!u) throw new UsageError('Say who you are: --user NAME or KESI_USER.');
      return u;
    },
    async service() {
      if (svc) return svc;
      const dir = ctx.vaultDir();
      const user = ctx.userName();
      const passphrase = await passphraseFromEnvOrPrompt(
        'KESI_PASSPHRASE',
        `Passphrase for ${user}`,
      );
      // Loaded when a command needs the vault: `kesi verify FILE.pdf` and `--help` never do.
      const { unlockVault } = await import('../vault/vault.js');
      const { KesiService } = await import('../service/service.js');
      const { vault, user: signedIn } = await unlockVault(dir, user, passphrase);
      const place = str(args, 'place') ?? process.env['KESI_PLACE'] ?? null;
      const opened = new KesiService(vault, signedIn, { place });
      svc = opened;
      return opened;
    },
    close() {
      svc?.lock();
    },
  };
  return ctx;
}
