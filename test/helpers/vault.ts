// Real vaults in temp folders. In-process tests use a low scrypt cost so that the suite stays
// fast; the default cost is checked on the slot file itself (test/integration/vault.test.ts).
import { join } from 'node:path';
import type { Role } from '../../shared/domain';
import { KesiService } from '../../electron/service/service';
import { createVault, unlockVault, type CreateVaultInput } from '../../electron/vault/vault';
import { tempDir } from './tmp';

export const TEST_LOG_N = 10;
export const ADMIN = 'amina';
export const ADMIN_PASS = 'correct horse battery staple';

export async function newVault(opts: Partial<CreateVaultInput> = {}) {
  const dir = join(tempDir(), 'vault');
  const created = await createVault(dir, {
    admin: ADMIN,
    passphrase: ADMIN_PASS,
    kdfLogN: TEST_LOG_N,
    ...opts,
  });
  const service = new KesiService(created.vault, created.user);
  return { dir, service, recoveryIdentity: created.recoveryIdentity, created };
}

export async function openAs(dir: string, user: string, passphrase: string) {
  const { vault, user: u } = await unlockVault(dir, user, passphrase, { kdfLogN: TEST_LOG_N });
  return new KesiService(vault, u);
}

export async function addUser(
  svc: KesiService,
  name: string,
  role: Role,
  passphrase = `${name} passphrase`,
) {
  await svc.addUser({ name, role, passphrase });
  return passphrase;
}
