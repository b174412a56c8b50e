// What a person reads on the page, checked for the slips a screenshot shows: a translation key
// shown raw ("persons.title"), a raw enum value ("page_image", "physical_exhibit"), and, in
// Swahili, an English sentence left untranslated. Only visible text counts; hashes, media types
// and the folded raw details (class "mono", <pre>, closed <details>) are data, not words.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { ROOT } from './build';

type Json = { [k: string]: Json } | string;

const I18N = join(ROOT, 'renderer/src/i18n');

function flatten(prefix: string, value: Json, out: Map<string, string>): void {
  if (typeof value === 'string') {
    out.set(prefix.replace(/_(one|other|zero|two|few|many)$/, ''), value);
    return;
  }
  for (const [k, v] of Object.entries(value)) flatten(prefix ? `${prefix}.${k}` : k, v, out);
}

/** Every string of a language: "namespace:key.path" → text. */
export function translations(lang: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const f of readdirSync(join(I18N, lang)).filter((f) => f.endsWith('.json'))) {
    const ns = f.replace(/\.json$/, '');
    const inner = new Map<string, string>();
    flatten('', JSON.parse(readFileSync(join(I18N, lang, f), 'utf8')) as Json, inner);
    for (const [k, v] of inner) out.set(`${ns}:${k}`, v);
  }
  return out;
}

/** The visible text nodes of the page, outside data (mono, pre, code, closed details). */
async function visibleTexts(page: Page): Promise<string[]> {
  return (await page.evaluate(`(() => {
    const out = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const text = n.textContent.trim();
      const el = n.parentElement;
      if (!text || !el) continue;
      if (el.closest('.mono, pre, code, script, style, option, .print-only')) continue;
      if (!el.checkVisibility({ checkVisibilityCSS: true })) continue;
      out.push(text);
    }
    // Labels a screen reader reads out are text too.
    for (const el of document.querySelectorAll('[aria-label], [title], [placeholder]')) {
      if (!el.checkVisibility()) continue;
      for (const a of ['aria-label', 'title', 'placeholder']) {
        const v = el.getAttribute(a);
        if (v && !el.closest('.mono')) out.push(v.trim());
      }
    }
    return out;
  })()`)) as string[];
}

export interface TextCheck {
  /** The language the page should be in. */
  lang: 'en' | 'sw';
  /** Texts that are data the user typed or the files carry, allowed as they are. */
  allow?: readonly string[];
}

/** Problems with the words on the page: raw keys, raw enum values, untranslated English. */
export async function textProblems(page: Page, check: TextCheck): Promise<string[]> {
  const en = translations('en');
  const sw = translations('sw');
  const keys = new Set<string>();
  for (const k of en.keys()) {
    keys.add(k);
    keys.add(k.slice(k.indexOf(':') + 1));
  }
  // English strings whose Swahili differs: seen on a Swahili page, they were not translated.
  const english = new Set<string>();
  if (check.lang === 'sw') {
    for (const [k, v] of en) {
      if (sw.get(k) !== v && !v.includes('{{') && /[a-z]{3,}/.test(v)) english.add(v);
    }
  }
  const allow = new Set(check.allow ?? []);
  const problems: string[] = [];
  for (const text of await visibleTexts(page)) {
    if (allow.has(text)) continue;
    if (keys.has(text) || /^[a-z]+:[a-zA-Z0-9_.]+$/.test(text)) problems.push(`raw key: ${text}`);
    const snake = /\b[a-z]+_[a-z_]+\b/.exec(text);
    if (snake && !allow.has(snake[0])) problems.push(`raw value: ${snake[0]} in "${text}"`);
    if (english.has(text)) problems.push(`English on a Swahili page: ${text}`);
  }
  return [...new Set(problems)];
}
