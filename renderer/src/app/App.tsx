// The app's states: loading → first run (no vault) | unlock | signed in. A VAULT_LOCKED error
// from any call (the idle auto-lock) or the lock button sends it back to unlock.
import { useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { VaultStatus, WhoAmI } from '../../../shared/contract';
import { errorCodeOf } from '../../../shared/envelope';
import { kesi, onVaultLocked } from '../api';
import { ErrorMessage } from '../components/ErrorMessage';
import { loadLanguage } from '../i18n';
import { FirstRunScreen } from '../screens/first-run/FirstRunScreen';
import { UnlockScreen } from '../screens/unlock/UnlockScreen';
import { NavigationProvider } from './navigation';
import { SCREENS } from './routes';
import { SessionContext, sessionFor } from './session';
import { Shell } from './Shell';

type Phase =
  | { kind: 'loading' }
  | { kind: 'failed'; error: unknown }
  | { kind: 'first-run'; status: VaultStatus }
  | { kind: 'unlock'; status: VaultStatus }
  | { kind: 'signed-in'; user: WhoAmI; status: VaultStatus | null };

const SCREEN_IDS = SCREENS.map((s) => s.id);

export function App(): ReactNode {
  const { t } = useTranslation('common');
  const [phase, setPhase] = useState<Phase>({ kind: 'loading' });

  // One start at a time: a VAULT_LOCKED met while starting must not start again.
  const starting = useRef(false);
  const start = useCallback(async () => {
    if (starting.current) return;
    starting.current = true;
    let status: VaultStatus | null = null;
    try {
      await loadLanguage();
      status = await kesi.vaultStatus();
      if (!status.exists) setPhase({ kind: 'first-run', status });
      else if (!status.unlocked) setPhase({ kind: 'unlock', status });
      else setPhase({ kind: 'signed-in', user: await kesi.whoami(), status });
    } catch (error) {
      // Locked between the two calls: the unlock screen.
      if (status !== null && errorCodeOf(error) === 'VAULT_LOCKED') {
        setPhase({ kind: 'unlock', status: { ...status, unlocked: false } });
      } else {
        setPhase({ kind: 'failed', error });
      }
    } finally {
      starting.current = false;
    }
  }, []);

  useEffect(() => {
    void start();
  }, [start]);
  useEffect(() => onVaultLocked(() => void start()), [start]);

  const lock = useCallback(async () => {
    try {
      await kesi.lock();
    } finally {
      await start();
    }
  }, [start]);

  const refreshStatus = useCallback(async () => {
    const status = await kesi.vaultStatus();
    setPhase((p) => (p.kind === 'signed-in' ? { ...p, status } : p));
  }, []);

  const signedIn = useCallback(async (user: WhoAmI) => {
    void loadLanguage();
    let status: VaultStatus | null = null;
    try {
      status = await kesi.vaultStatus();
    } catch {
      // The status only feeds the settings screen; it is read again there.
    }
    setPhase({ kind: 'signed-in', user, status });
  }, []);

  const session = useMemo(
    () =>
      phase.kind === 'signed-in' ? sessionFor(phase.user, phase.status, lock, refreshStatus) : null,
    [phase, lock, refreshStatus],
  );

  switch (phase.kind) {
    case 'loading':
      return (
        <p className="app-loading" role="status">
          {t('loading')}
        </p>
      );
    case 'failed':
      return (
        <main className="centre-page">
          <h1>{t('appName')}</h1>
          <ErrorMessage error={phase.error} />
          <button type="button" onClick={() => void start()}>
            {t('retry')}
          </button>
        </main>
      );
    case 'first-run':
      return <FirstRunScreen status={phase.status} onDone={signedIn} />;
    case 'unlock':
      return <UnlockScreen status={phase.status} onUnlocked={signedIn} />;
    case 'signed-in':
      return (
        <SessionContext.Provider value={session}>
          <NavigationProvider screens={SCREEN_IDS}>
            <Shell screens={SCREENS} />
          </NavigationProvider>
        </SessionContext.Provider>
      );
  }
}
