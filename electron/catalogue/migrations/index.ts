// Every catalogue migration, in order. Append only.
import type { Migration } from './types';
import { m0001 } from './0001-initial';
import { m0002 } from './0002-custody';

export type { Migration } from './types';

export const MIGRATIONS: readonly Migration[] = [m0001, m0002];
