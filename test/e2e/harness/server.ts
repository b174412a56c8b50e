// The end-to-end tests' web server: the built renderer and the evidence bytes over plain HTTP on
// 127.0.0.1, through the very handlers main uses for kesi-app:// (createAppFileHandler: the
// files of dist-renderer with the CSP header) and kesi-media:// (createMediaHandler: decrypted
// on the fly from the real vault). Only the scheme differs: /media/item/<id>/<kind>[/<n>] here
// is kesi-media://item/<id>/<kind>[/<n>] in the app, so the page's CSP ('self') covers both.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { MEDIA_SCHEME } from '../../../shared/contract';
import { APP_SCHEME, APP_HOST, createAppFileHandler } from '../../../electron/app/app-protocol';
import { createMediaHandler, type MediaService } from '../../../electron/app/media';

export const MEDIA_PREFIX = '/media/';

export interface E2eServer {
  origin: string;
  /** Every media request the page made (path only). */
  mediaRequests: string[];
  close(): Promise<void>;
}

function toRequest(req: IncomingMessage, url: string): Request {
  return new Request(url, { method: req.method ?? 'GET' });
}

async function send(res: ServerResponse, r: Response): Promise<void> {
  const headers: Record<string, string> = {};
  r.headers.forEach((v, k) => (headers[k] = v));
  res.writeHead(r.status, headers);
  res.end(r.body ? Buffer.from(await r.arrayBuffer()) : undefined);
}

export async function startServer(
  rendererDir: string,
  getService: () => MediaService | null,
): Promise<E2eServer> {
  const files = createAppFileHandler(rendererDir);
  const media = createMediaHandler(getService, { log: () => undefined });
  const mediaRequests: string[] = [];
  const server: Server = createServer((req, res) => {
    const path = req.url ?? '/';
    const handle = async (): Promise<Response> => {
      if (path.startsWith(MEDIA_PREFIX)) {
        mediaRequests.push(path);
        return media(toRequest(req, `${MEDIA_SCHEME}://${path.slice(MEDIA_PREFIX.length)}`));
      }
      return files(toRequest(req, `${APP_SCHEME}://${APP_HOST}${path}`));
    };
    handle()
      .then((r) => send(res, r))
      .catch(() => {
        res.writeHead(500);
        res.end();
      });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    mediaRequests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
