// The renderer's own origin, kesi-app://app, and the files it serves from dist-renderer/.
// A custom standard, secure scheme instead of file://: the page gets a real origin (so 'self'
// in the CSP and the IPC sender check mean exactly the app), and it can read nothing of the
// disk but the built renderer. Every response carries the CSP as a header; the renderer's
// index.html should carry the same policy in a meta tag, so that it holds however the page is
// opened (e.g. by the end-to-end tests from a plain file server).
// Plain Node (Fetch API Request/Response): no electron.
import { readFile, stat } from 'node:fs/promises';
import { extname, isAbsolute, join, relative, resolve } from 'node:path';
import { MEDIA_SCHEME } from '../../shared/contract';

export const APP_SCHEME = 'kesi-app';
export const APP_HOST = 'app';
export const APP_INDEX_URL = `${APP_SCHEME}://${APP_HOST}/index.html`;
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;

/**
 * The renderer's Content-Security-Policy: its own scripts and styles only; images, audio, video
 * and PDF bytes from kesi-media:; no eval, no inline script, no frames, no network.
 */
export const RENDERER_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  `img-src 'self' ${MEDIA_SCHEME}: blob: data:`,
  `media-src ${MEDIA_SCHEME}: blob:`,
  "font-src 'self'",
  `connect-src 'self' ${MEDIA_SCHEME}:`,
  "worker-src 'self' blob:",
  "object-src 'none'",
  "frame-src 'none'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

/** True when `url` is a page of the app's own origin (the only trusted IPC sender). */
export function isAppUrl(url: string | null | undefined): boolean {
  if (typeof url !== 'string' || url === '') return false;
  try {
    const u = new URL(url);
    // Node gives custom schemes the origin "null", so scheme and host are compared one by one.
    return (
      u.protocol === `${APP_SCHEME}:` &&
      u.host === APP_HOST &&
      u.username === '' &&
      u.password === ''
    );
  } catch {
    return false;
  }
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.otf': 'font/otf',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8',
  '.bcmap': 'application/octet-stream',
};

const HEADERS: Record<string, string> = {
  'Content-Security-Policy': RENDERER_CSP,
  'X-Content-Type-Options': 'nosniff',
  'Cache-Control': 'no-store',
};

function notFound(): Response {
  return new Response('Not found', {
    status: 404,
    headers: { ...HEADERS, 'Content-Type': 'text/plain; charset=utf-8' },
  });
}

/** The file under `root` that a kesi-app URL names, or null (traversal, other host, etc.). */
export function appFilePath(root: string, rawUrl: string): string | null {
  if (!isAppUrl(rawUrl)) return null;
  let path: string;
  try {
    path = decodeURIComponent(new URL(rawUrl).pathname);
  } catch {
    return null;
  }
  if (path === '/' || path === '') path = '/index.html';
  if (path.includes('\0') || path.includes('\\')) return null;
  const segments = path.split('/').slice(1);
  if (segments.some((s) => s === '' || s === '.' || s === '..')) return null;
  const base = resolve(root);
  const file = resolve(join(base, ...segments));
  const rel = relative(base, file);
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) return null;
  return file;
}

/** Serves the built renderer from `root` (dist-renderer/) for kesi-app:// requests. */
export function createAppFileHandler(root: string): (request: Request) => Promise<Response> {
  return async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return notFound();
    const file = appFilePath(root, request.url);
    if (file === null) return notFound();
    try {
      const st = await stat(file);
      if (!st.isFile()) return notFound();
      const body = request.method === 'HEAD' ? null : new Uint8Array(await readFile(file));
      return new Response(body, {
        status: 200,
        headers: {
          ...HEADERS,
          'Content-Type': TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream',
        },
      });
    } catch {
      return notFound();
    }
  };
}
