// The signed-in user, for every screen: who, what their role allows, and the lock.
import { createContext, useContext } from 'react';
import type { VaultStatus, WhoAmI } from '../../../shared/contract';
import { can, type Permission } from '../../../shared/roles';

export interface Session {
  user: WhoAmI;
  status: VaultStatus | null;
  can(permission: Permission): boolean;
  lock(): Promise<void>;
  /** Reads the vault status again (e.g. after the auto-lock time changed). */
  refreshStatus(): Promise<void>;
}

export const SessionContext = createContext<Session | null>(null);

export function useSession(): Session {
  const s = useContext(SessionContext);
  if (s === null) throw new Error('useSession outside a signed-in app');
  return s;
}

export function sessionFor(
  user: WhoAmI,
  status: VaultStatus | null,
  lock: () => Promise<void>,
  refreshStatus: () => Promise<void>,
): Session {
  return { user, status, can: (p) => can(user.role, p), lock, refreshStatus };
}
