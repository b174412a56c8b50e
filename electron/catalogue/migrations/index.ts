// Every catalogue migration, in order. Append only.
import type { Migration } from './types';
import { m0001 } from './0001-initial';
import { m0002 } from './0002-custody';
import { m0003 } from './0003-bundle-signing';

export type { Migration } from './types';

export const MIGRATIONS: readonly Migration[] = [m0001, m0002, m0003];
