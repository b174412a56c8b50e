// The frame of the signed-in app: skip link, and a left rail with the screens, a search box, the
// language, and, always in view, the vault's name, who is signed in and the Lock button.
import { useEffect, useRef, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Icon } from '../components/Icon';
import { LanguageSelect } from '../components/LanguageSelect';
import { useNavigation } from './navigation';
import type { ScreenDef } from './screen';
import { useSession } from './session';

/** The rail entry that a screen reached by links belongs under. */
const PARENT: Readonly<Record<string, string>> = { case: 'cases', item: 'cases', bundles: 'cases' };

export function Shell(props: { screens: readonly ScreenDef[] }): ReactNode {
  const { t } = useTranslation('common');
  const { route, href, navigate } = useNavigation();
  const session = useSession();
  const [query, setQuery] = useState(route.screen === 'search' ? (route.params['q'] ?? '') : '');
  const [locking, setLocking] = useState(false);
  const mainRef = useRef<HTMLElement>(null);
  const screen = props.screens.find((s) => s.id === route.screen);
  const railCurrent = PARENT[route.screen] ?? route.screen;

  // A new screen: move focus to its content, as a page load would.
  const firstRender = useRef(true);
  useEffect(() => {
    if (firstRender.current) {
      firstRender.current = false;
      return;
    }
    mainRef.current?.focus({ preventScroll: true });
  }, [route.screen]);

  const navScreens = props.screens.filter(
    (s) => s.nav && (!s.nav.permission || session.can(s.nav.permission)),
  );

  return (
    <div className="shell">
      <a
        className="skip-link"
        href="#main"
        onClick={(e) => {
          e.preventDefault();
          mainRef.current?.focus();
        }}
      >
        {t('skipToContent')}
      </a>
      <aside className="rail" aria-label={t('rail.label')}>
        <a className="brand" href={href({ screen: 'cases' })}>
          {t('appName')}
        </a>
        <p className="vault-name" data-testid="vault-name" title={session.user.vaultName}>
          <span className="visually-hidden">{t('rail.vault')} </span>
          {session.user.vaultName}
        </p>
        <form
          role="search"
          className="rail-search"
          onSubmit={(e) => {
            e.preventDefault();
            if (query.trim() !== '') navigate({ screen: 'search', q: query.trim() });
          }}
        >
          <label htmlFor="global-search" className="visually-hidden">
            {t('search.label')}
          </label>
          <input
            id="global-search"
            type="search"
            placeholder={t('search.placeholder')}
            value={query}
            maxLength={500}
            onChange={(e) => setQuery(e.target.value)}
            data-testid="global-search"
          />
        </form>
        <nav aria-label={t('nav.label')}>
          <ul>
            {navScreens.map((s) => (
              <li key={s.id}>
                <a
                  href={href({ screen: s.id })}
                  aria-current={railCurrent === s.id ? 'page' : undefined}
                  data-testid={`nav-${s.id}`}
                >
                  {s.nav ? <Icon name={s.nav.icon} size={18} /> : null}
                  {t(s.nav?.label ?? s.id)}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <div className="rail-foot">
          <LanguageSelect compact />
          <p className="whoami" data-testid="whoami">
            <span className="visually-hidden">{t('rail.signedIn')} </span>
            <strong>{session.user.name}</strong>
            <span className="role">{t(`domain:role.${session.user.role}`)}</span>
          </p>
          <button
            type="button"
            className="lock-button"
            data-testid="lock"
            disabled={locking}
            onClick={() => {
              setLocking(true);
              void session.lock().finally(() => setLocking(false));
            }}
          >
            <Icon name="lock" />
            {t('lock')}
          </button>
        </div>
      </aside>
      <main id="main" ref={mainRef} tabIndex={-1} className="content">
        {screen ? (
          <screen.Component key={screen.id} route={route} />
        ) : (
          <p role="alert">{t('notFound')}</p>
        )}
      </main>
    </div>
  );
}
