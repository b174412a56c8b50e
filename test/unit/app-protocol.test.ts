// electron/app/app-protocol.ts: the renderer's origin, its CSP, and the files it may load.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  APP_INDEX_URL,
  RENDERER_CSP,
  appFilePath,
  createAppFileHandler,
  isAppUrl,
} from '../../electron/app/app-protocol';
import { methodsArgument, METHODS_ARG_PREFIX } from '../../electron/app/preload-args';
import { METHOD_NAMES } from '../../shared/contract';
import { tempDir } from '../helpers/tmp';

function rendererDir(): string {
  const base = tempDir();
  const root = join(base, 'dist-renderer');
  mkdirSync(join(root, 'assets'), { recursive: true });
  writeFileSync(join(root, 'index.html'), '<!doctype html><title>Kesi</title>');
  writeFileSync(join(root, 'assets', 'app.js'), 'console.log(1)');
  writeFileSync(join(base, 'secret.txt'), 'secret');
  return root;
}

describe('the app origin', () => {
  it('trusts kesi-app://app pages only', () => {
    expect(isAppUrl(APP_INDEX_URL)).toBe(true);
    expect(isAppUrl('kesi-app://app/')).toBe(true);
    for (const url of [
      'kesi-app://other/index.html',
      'kesi-app://user:pw@app/index.html',
      'https://app/index.html',
      'file:///index.html',
      'about:blank',
      'devtools://devtools/bundled/index.html',
      '',
      null,
      undefined,
    ]) {
      expect(isAppUrl(url), String(url)).toBe(false);
    }
  });

  it('has a strict CSP: no inline script, no eval, no network, media from kesi-media', () => {
    const rules = new Map(
      RENDERER_CSP.split('; ').map((r) => [r.split(' ')[0], r.split(' ').slice(1)] as const),
    );
    expect(rules.get('default-src')).toEqual(["'none'"]);
    expect(rules.get('script-src')).toEqual(["'self'"]);
    expect(RENDERER_CSP).not.toMatch(/unsafe-inline|unsafe-eval|https?:|\*/);
    expect(rules.get('img-src')).toContain('kesi-media:');
    expect(rules.get('object-src')).toEqual(["'none'"]);
    expect(rules.get('frame-ancestors')).toEqual(["'none'"]);
  });
});

describe('the renderer files', () => {
  it('maps app URLs into dist-renderer and nowhere else', () => {
    const root = rendererDir();
    expect(appFilePath(root, 'kesi-app://app/')).toBe(join(root, 'index.html'));
    expect(appFilePath(root, 'kesi-app://app/assets/app.js')).toBe(join(root, 'assets', 'app.js'));
    // Dot segments are resolved by the URL parser itself: they never climb out of the root.
    expect(appFilePath(root, 'kesi-app://app/../secret.txt')).toBe(join(root, 'secret.txt'));
    expect(appFilePath(root, 'kesi-app://app/assets/%2e%2e/%2e%2e/secret.txt')).toBe(
      join(root, 'secret.txt'),
    );
    for (const url of [
      'kesi-app://app/assets/..%2f..%2fsecret.txt',
      'kesi-app://app/..%2fsecret.txt',
      'kesi-app://app/assets%5c..%5c..%5csecret.txt',
      'kesi-app://app/%00',
      'kesi-app://app//etc/passwd',
      'kesi-app://other/index.html',
      'kesi-app://app/%E0%A4%A',
    ]) {
      expect(appFilePath(root, url), url).toBeNull();
    }
  });

  it('serves files with their type and the CSP header; 404 for the rest', async () => {
    const root = rendererDir();
    const handle = createAppFileHandler(root);
    const index = await handle(new Request(APP_INDEX_URL));
    expect(index.status).toBe(200);
    expect(index.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(index.headers.get('content-security-policy')).toBe(RENDERER_CSP);
    expect(await index.text()).toContain('<title>Kesi</title>');
    const js = await handle(new Request('kesi-app://app/assets/app.js'));
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect((await handle(new Request('kesi-app://app/assets'))).status).toBe(404);
    expect((await handle(new Request('kesi-app://app/missing.js'))).status).toBe(404);
    expect((await handle(new Request('kesi-app://app/../secret.txt'))).status).toBe(404);
    expect((await handle(new Request(APP_INDEX_URL, { method: 'POST', body: 'x' }))).status).toBe(
      404,
    );
  });
});

describe('the preload argument', () => {
  it('lists every contract method, comma-separated', () => {
    expect(methodsArgument()).toBe(`${METHODS_ARG_PREFIX}${METHOD_NAMES.join(',')}`);
    expect(() => methodsArgument(['bad,name' as never])).toThrow();
  });
});
