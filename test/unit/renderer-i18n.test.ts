// The interface's words: English and Swahili say the same things (same keys, same placeholders),
// every error code has words in both, and every literal key the screens use exists.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../../shared/errors';
import { errorText, badInputFields, type Translate } from '../../renderer/src/lib/errors';
import { LANGUAGES } from '../../renderer/src/i18n/languages';

const ROOT = join(__dirname, '../../renderer/src');
const I18N = join(ROOT, 'i18n');

type Tree = { [k: string]: string | Tree };

function load(lang: string, ns: string): Tree {
  return JSON.parse(readFileSync(join(I18N, lang, `${ns}.json`), 'utf8')) as Tree;
}

function flatten(tree: Tree, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of Object.entries(tree)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (typeof v === 'string') out.set(key, v);
    else for (const [kk, vv] of flatten(v, key)) out.set(kk, vv);
  }
  return out;
}

const namespaces = readdirSync(join(I18N, 'en'))
  .filter((f) => f.endsWith('.json'))
  .map((f) => f.slice(0, -5))
  .sort();

const flat = new Map<string, Map<string, string>>();
for (const lang of LANGUAGES) {
  for (const ns of namespaces) flat.set(`${lang}:${ns}`, flatten(load(lang, ns)));
}

const placeholders = (s: string) => [...s.matchAll(/\{\{\s*([\w.]+)/g)].map((m) => m[1]).sort();

describe('translations', () => {
  it('exist for every namespace in every language', () => {
    for (const lang of LANGUAGES) {
      expect(
        readdirSync(join(I18N, lang))
          .filter((f) => f.endsWith('.json'))
          .sort(),
      ).toEqual(namespaces.map((n) => `${n}.json`));
    }
  });

  it.each(namespaces)(
    '%s: same keys and placeholders in Swahili as in English, none empty',
    (ns) => {
      const en = flat.get(`en:${ns}`) ?? new Map<string, string>();
      const sw = flat.get(`sw:${ns}`) ?? new Map<string, string>();
      expect([...sw.keys()].sort()).toEqual([...en.keys()].sort());
      for (const [key, text] of en) {
        const other = sw.get(key) ?? '';
        expect(text.trim(), `en ${ns}:${key}`).not.toBe('');
        expect(other.trim(), `sw ${ns}:${key}`).not.toBe('');
        expect(placeholders(other), `placeholders of ${ns}:${key}`).toEqual(placeholders(text));
      }
    },
  );

  it('are really Swahili: few strings are left as in English', () => {
    let same = 0;
    let total = 0;
    for (const ns of namespaces) {
      const en = flat.get(`en:${ns}`) ?? new Map<string, string>();
      const sw = flat.get(`sw:${ns}`) ?? new Map<string, string>();
      for (const [key, text] of en) {
        total++;
        if (sw.get(key) === text && text.length > 12) same++;
      }
    }
    expect(total).toBeGreaterThan(300);
    expect(same / total).toBeLessThan(0.02);
  });

  it('cover every error code in both languages', () => {
    for (const lang of LANGUAGES) {
      const errors = flat.get(`${lang}:errors`) ?? new Map<string, string>();
      for (const code of Object.keys(ERROR_CODES)) {
        expect(errors.has(code), `${lang} errors.${code}`).toBe(true);
      }
      expect(errors.has('unknown')).toBe(true);
    }
    // English error words are the service's own.
    const en = flat.get('en:errors') ?? new Map<string, string>();
    for (const [code, message] of Object.entries(ERROR_CODES)) expect(en.get(code)).toBe(message);
  });
});

/** The renderer's own source files (the bundle and audit screens have their own checks). */
function sources(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) {
      if (/screens[\\/](bundles|audit)$/.test(p) || name === 'i18n') continue;
      out.push(...sources(p));
    } else if (/\.tsx?$/.test(name)) out.push(p);
  }
  return out;
}

function has(lang: string, ns: string, key: string): boolean {
  const keys = flat.get(`${lang}:${ns}`);
  if (!keys) return false;
  return keys.has(key) || keys.has(`${key}_one`) || keys.has(`${key}_other`);
}

describe('keys used by the screens', () => {
  const files = sources(ROOT);

  it('finds the screens', () => {
    expect(files.length).toBeGreaterThan(30);
  });

  it('exist in English and Swahili', () => {
    const missing: string[] = [];
    let checked = 0;
    for (const file of files) {
      const src = readFileSync(file, 'utf8');
      const own = [...src.matchAll(/useTranslation\('([\w-]+)'\)/g)].map((m) => m[1] ?? '');
      // Literal keys only: t('ns:key') anywhere, t('key') in a file with its namespace(s).
      for (const m of src.matchAll(/\bt\(\s*'([\w.:-]+)'/g)) {
        const key = m[1] ?? '';
        const [ns, k] = key.includes(':') ? (key.split(':', 2) as [string, string]) : [null, key];
        const candidates = ns !== null ? [ns] : own;
        if (candidates.length === 0) continue;
        checked++;
        for (const lang of LANGUAGES) {
          if (!candidates.some((c) => has(lang, c, k))) {
            missing.push(`${lang} ${relative(ROOT, file)}: ${key}`);
          }
        }
      }
      // Keys with a namespace given in a `label` of the screen registry.
      for (const m of src.matchAll(/label: '([\w-]+):([\w.]+)'/g)) {
        checked++;
        for (const lang of LANGUAGES) {
          if (!has(lang, m[1] ?? '', m[2] ?? ''))
            missing.push(`${lang} ${relative(ROOT, file)}: ${m[0]}`);
        }
      }
    }
    expect(checked).toBeGreaterThan(200);
    expect(missing).toEqual([]);
  });
});

describe('error words', () => {
  const dict = Object.fromEntries(flat.get('sw:errors') ?? new Map<string, string>());
  const t: Translate = (key, options) => dict[key] ?? options?.defaultValue ?? key;

  it('are chosen by code, in the current language', () => {
    const e = Object.assign(new Error('The passphrase is not correct.'), {
      code: 'WRONG_PASSPHRASE',
    });
    expect(errorText(t, e)).toBe('Nenosiri si sahihi.');
    expect(errorText(t, { code: 'VAULT_LOCKED', message: 'x' })).toBe(dict['VAULT_LOCKED']);
  });

  it('fall back to the service message for a code the interface does not know, and to a general message otherwise', () => {
    const none: Translate = (key, options) =>
      key === 'unknown' ? 'Hitilafu' : (options?.defaultValue ?? key);
    expect(errorText(none, { code: 'FILE_EMPTY', message: 'The file is empty.' })).toBe(
      'The file is empty.',
    );
    expect(errorText(t, { code: 'NOT_A_CODE', message: 'raw' })).toBe(dict['unknown']);
    expect(errorText(t, new Error('boom'))).toBe(dict['unknown']);
    expect(errorText(t, 'a string')).toBe(dict['unknown']);
    expect(errorText(t, null)).toBe(dict['unknown']);
  });

  it('name the fields of a BAD_INPUT', () => {
    const e = {
      code: 'BAD_INPUT',
      message: 'x',
      details: {
        issues: [
          { path: 'title', message: 'm' },
          { path: 'title', message: 'n' },
          { path: 'paths', message: 'o' },
        ],
      },
    };
    expect(badInputFields(e)).toEqual(['title', 'paths']);
    expect(errorText(t, e)).toBe(`${dict['BAD_INPUT']} (title, paths)`);
    expect(badInputFields({ code: 'BAD_INPUT', details: { issues: 'nope' } })).toEqual([]);
  });
});
