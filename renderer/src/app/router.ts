// A tiny hash router. Main forbids every navigation but in-page hash changes, and reloads the
// page after a lock, so the address is the only state that survives: `#/<screen>?<params>`.
// Pure: parse and format only; the hook lives in navigation.tsx.

export type RouteParams = Readonly<Record<string, string>>;

export interface Route {
  screen: string;
  params: RouteParams;
}

/** What `navigate` takes: the screen and its parameters, flat, e.g. { screen: 'item', itemId }. */
export type RouteTarget = { screen: string } & Record<string, string | number | undefined | null>;

export const DEFAULT_SCREEN = 'cases';

const SCREEN_ID = /^[a-z][a-z0-9-]{0,39}$/;

export function parseHash(hash: string): Route {
  const raw = hash.startsWith('#') ? hash.slice(1) : hash;
  const path = raw.startsWith('/') ? raw.slice(1) : raw;
  const q = path.indexOf('?');
  const screen = (q < 0 ? path : path.slice(0, q)).trim();
  const params: Record<string, string> = {};
  if (q >= 0) {
    for (const [k, v] of new URLSearchParams(path.slice(q + 1))) params[k] = v;
  }
  return { screen: SCREEN_ID.test(screen) ? screen : DEFAULT_SCREEN, params };
}

export function formatRoute(target: RouteTarget): string {
  const search = new URLSearchParams();
  for (const [k, v] of Object.entries(target)) {
    if (k === 'screen' || v === undefined || v === null || v === '') continue;
    search.set(k, String(v));
  }
  const qs = search.toString();
  return `#/${target.screen}${qs ? `?${qs}` : ''}`;
}

/** A positive integer parameter, or null. */
export function intParam(params: RouteParams, name: string): number | null {
  const v = params[name];
  if (v === undefined || !/^[1-9][0-9]{0,14}$/.test(v)) return null;
  return Number(v);
}
