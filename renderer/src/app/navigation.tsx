// Navigation for screens: the current route, `navigate(target)`, `href(target)` for links, and
// whether a screen is registered (so a screen can offer a link only when its target exists).
import { createContext, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { formatRoute, parseHash, type Route, type RouteTarget } from './router';

export interface Navigation {
  route: Route;
  navigate(target: RouteTarget, opts?: { replace?: boolean }): void;
  href(target: RouteTarget): string;
  hasScreen(id: string): boolean;
}

const NavigationContext = createContext<Navigation | null>(null);

export function useNavigation(): Navigation {
  const nav = useContext(NavigationContext);
  if (nav === null) throw new Error('useNavigation outside NavigationProvider');
  return nav;
}

function navigateTo(target: RouteTarget, opts?: { replace?: boolean }): void {
  const hash = formatRoute(target);
  if (opts?.replace) history.replaceState(null, '', hash);
  else if (location.hash !== hash) location.hash = hash;
  if (opts?.replace) window.dispatchEvent(new HashChangeEvent('hashchange'));
}

export function NavigationProvider(props: {
  screens: readonly string[];
  children: ReactNode;
}): ReactNode {
  const [route, setRoute] = useState<Route>(() => parseHash(location.hash));
  useEffect(() => {
    const onChange = () => setRoute(parseHash(location.hash));
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  const { screens } = props;
  const value = useMemo<Navigation>(
    () => ({
      route,
      navigate: navigateTo,
      href: formatRoute,
      hasScreen: (id) => screens.includes(id),
    }),
    [route, screens],
  );
  return <NavigationContext.Provider value={value}>{props.children}</NavigationContext.Provider>;
}
