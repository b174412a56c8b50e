// The app's own settings (not the vault's): which vault folder, and the idle time before the
// app locks itself. A small JSON file in the app's user-data folder; a damaged or missing file
// means the defaults. Plain Node: no electron.
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { AutoLockMinutes, LANGUAGES } from '../../shared/contract';
import { writeFileAtomic } from '../util/fs-atomic';

export const AppSettings = z.object({
  vaultDir: z.string().min(1).optional(),
  autoLockMinutes: AutoLockMinutes.optional(),
  language: z.enum(LANGUAGES).optional(),
});
export type AppSettings = z.infer<typeof AppSettings>;

export function readSettings(file: string): AppSettings {
  try {
    const r = AppSettings.safeParse(JSON.parse(readFileSync(file, 'utf8')));
    return r.success ? r.data : {};
  } catch {
    return {};
  }
}

export function writeSettings(file: string, settings: AppSettings): void {
  writeFileAtomic(file, `${JSON.stringify(AppSettings.parse(settings), null, 2)}\n`);
}
