// The page's own CSP (meta tag) holds wherever the page is served from, and is no looser than
// the header main sends (RENDERER_CSP).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RENDERER_CSP } from '../../electron/app/app-protocol';

const html = readFileSync(join(__dirname, '../../renderer/index.html'), 'utf8');

function parse(policy: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const part of policy.split(';')) {
    const [name, ...values] = part.trim().split(/\s+/);
    if (name) out.set(name, values);
  }
  return out;
}

const metaPolicy = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html)?.[1] ?? '';
const meta = parse(metaPolicy);
const header = parse(RENDERER_CSP);

describe('index.html', () => {
  it('carries a CSP meta tag', () => {
    expect(metaPolicy).not.toBe('');
    expect(meta.get('default-src')).toEqual(["'none'"]);
  });

  it('runs only its own scripts and styles: nothing inline, no eval', () => {
    expect(meta.get('script-src')).toEqual(["'self'"]);
    expect(meta.get('style-src')).toEqual(["'self'"]);
    expect(metaPolicy).not.toMatch(/unsafe-inline|unsafe-eval|wasm-unsafe-eval|\*|https?:/);
    for (const tag of html.match(/<script\b[^>]*>/g) ?? []) expect(tag).toMatch(/\bsrc=/);
    expect(html).not.toMatch(/<script\b[^>]*>\s*[^<\s]/);
    expect(html).not.toMatch(/\sstyle=|<style\b|\son[a-z]+=/i);
  });

  it('has every directive of the header (frame-ancestors is ignored in a meta tag)', () => {
    for (const name of header.keys()) {
      if (name === 'frame-ancestors') continue;
      expect(meta.has(name), name).toBe(true);
    }
    expect(meta.has('frame-ancestors')).toBe(false);
    for (const name of ['object-src', 'base-uri', 'form-action', 'frame-src']) {
      expect(meta.get(name)).toEqual(["'none'"]);
    }
  });

  it('allows no source the header does not, but the page itself', () => {
    for (const [name, values] of meta) {
      const allowed = new Set([...(header.get(name) ?? []), "'self'"]);
      for (const v of values) expect(allowed.has(v), `${name} ${v}`).toBe(true);
    }
  });
});
