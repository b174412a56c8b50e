// i18next with one JSON file per feature and language: i18n/<lang>/<namespace>.json. Files are
// picked up by the build (import.meta.glob): adding a namespace is adding its two files.
// The language is chosen in the app and kept by main in the app's settings (getSettings /
// setLanguage): the page's own storage is forgotten when Kesi closes (the session is in memory),
// so localStorage is only the fallback for when main cannot answer.
import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import { kesi } from '../api';
import { DEFAULT_LANGUAGE, LANGUAGES, isLanguage, type Language } from './languages';

type Resources = Record<string, Record<string, Record<string, unknown>>>;

const files = import.meta.glob<Record<string, unknown>>('./*/*.json', {
  eager: true,
  import: 'default',
});

function collect(): Resources {
  const resources: Resources = {};
  for (const [path, data] of Object.entries(files)) {
    const m = /^\.\/([a-z]{2})\/([A-Za-z0-9_-]+)\.json$/.exec(path);
    if (!m || !isLanguage(m[1])) continue;
    const lang = m[1];
    const ns = m[2] as string;
    (resources[lang] ??= {})[ns] = data;
  }
  return resources;
}

const STORAGE_KEY = 'kesi.language';

function storedLanguage(): Language {
  try {
    const v = localStorage.getItem(STORAGE_KEY);
    return isLanguage(v) ? v : DEFAULT_LANGUAGE;
  } catch {
    return DEFAULT_LANGUAGE;
  }
}

export function initI18n(): typeof i18n {
  const resources = collect();
  const language = storedLanguage();
  void i18n.use(initReactI18next).init({
    resources,
    lng: language,
    fallbackLng: DEFAULT_LANGUAGE,
    supportedLngs: [...LANGUAGES],
    ns: Object.keys(resources[DEFAULT_LANGUAGE] ?? {}),
    defaultNS: 'common',
    interpolation: { escapeValue: false }, // React escapes
    returnNull: false,
    initAsync: false,
  });
  document.documentElement.lang = language;
  return i18n;
}

/** Shows the interface in `language` now, and remembers it in the page as the fallback. */
function applyLanguage(language: Language): void {
  if (i18n.language !== language) void i18n.changeLanguage(language);
  document.documentElement.lang = language;
  try {
    localStorage.setItem(STORAGE_KEY, language);
  } catch {
    // Storage refused: the choice holds until the page reloads.
  }
}

/** Switches the language and keeps it in the app's settings for the next start. */
export function setLanguage(language: Language): void {
  applyLanguage(language);
  kesi.setLanguage(language).catch(() => {
    // Not kept by main: localStorage holds it for this run.
  });
}

/** Takes the language kept in the app's settings (at start, and again after signing in). */
export async function loadLanguage(): Promise<void> {
  try {
    const settings = await kesi.getSettings();
    if (isLanguage(settings.language)) applyLanguage(settings.language);
  } catch {
    // Main could not say: the language from localStorage (or the default) stays.
  }
}

export { i18n };
