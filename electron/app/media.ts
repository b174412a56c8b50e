// The kesi-media:// protocol's logic (main.ts only hands requests over): evidence bytes
// decrypted from the vault on the fly, never through file:// or temp files.
// - original: service.readItem, which checks the SHA-256 and writes a "view" custody event;
// - thumbnail, page: derivatives (previews made at intake, never evidence), checked against
//   their own SHA-256; not logged, as a list of a hundred thumbnails is not a hundred views.
// Every response says Cache-Control: no-store, and a sandboxing CSP so that an HTML or SVG file
// opened directly cannot run scripts. Plain Node (Fetch API Request/Response): no electron.
import { MEDIA_KINDS, MEDIA_SCHEME, type MediaKind } from '../../shared/contract';
import { ERROR_CODES, KesiError, isKesiError, type ErrorCode } from '../../shared/errors';
import type { KesiService } from '../service/service';
import { consoleLogger, describeUnexpected, type Logger } from './log';

/** Originals above this size are not loaded into memory for viewing: export them instead. */
export const MAX_VIEW_BYTES = 512 * 1024 * 1024;

export interface MediaRequest {
  itemId: number;
  kind: MediaKind;
  /** The page of a page image; null for the first (or only) one. */
  page: number | null;
}

const POSITIVE_INT = /^[1-9][0-9]{0,14}$/;

/** The request a kesi-media URL names, or null if it names none. */
export function parseMediaUrl(raw: string): MediaRequest | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return null;
  }
  if (url.protocol !== `${MEDIA_SCHEME}:` || url.host !== 'item') return null;
  if (url.search !== '' || url.hash !== '' || url.username !== '' || url.password !== '') {
    return null;
  }
  const parts = url.pathname.split('/').slice(1);
  const [id, kind, page, ...rest] = parts;
  if (id === undefined || !POSITIVE_INT.test(id) || rest.length > 0) return null;
  if (!(MEDIA_KINDS as readonly string[]).includes(kind ?? '')) return null;
  if (page !== undefined && (kind !== 'page' || !POSITIVE_INT.test(page))) return null;
  return {
    itemId: Number(id),
    kind: kind as MediaKind,
    page: page === undefined ? null : Number(page),
  };
}

/** What the handler needs of the service (a KesiService, or a fake in tests). */
export type MediaService = Pick<KesiService, 'readItem' | 'getItem' | 'isLocked'> & {
  vault: {
    catalogue: Pick<KesiService['vault']['catalogue'], 'derivatives'>;
    blobs: Pick<KesiService['vault']['blobs'], 'readBuffer'>;
  };
};

const BASE_HEADERS: Record<string, string> = {
  'Cache-Control': 'no-store',
  'X-Content-Type-Options': 'nosniff',
  'Content-Security-Policy': "default-src 'none'; sandbox",
  'Cross-Origin-Resource-Policy': 'same-site',
};

const STATUS: Partial<Record<ErrorCode, number>> = {
  BAD_INPUT: 400,
  VAULT_LOCKED: 403,
  FORBIDDEN: 403,
  ITEM_NOT_FOUND: 404,
  FILE_TOO_LARGE: 413,
};

function errorResponse(code: ErrorCode, message: string = ERROR_CODES[code]): Response {
  return new Response(JSON.stringify({ code, message }), {
    status: STATUS[code] ?? 500,
    headers: { ...BASE_HEADERS, 'Content-Type': 'application/json; charset=utf-8' },
  });
}

function bytesResponse(data: Buffer, mediaType: string): Response {
  return new Response(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), {
    status: 200,
    headers: {
      ...BASE_HEADERS,
      'Content-Type': mediaType,
      'Content-Length': String(data.byteLength),
    },
  });
}

/** HEAD: what a GET would send, without reading (or logging) the evidence. */
function headResponse(size: number, mediaType: string): Response {
  return new Response(null, {
    status: 200,
    headers: { ...BASE_HEADERS, 'Content-Type': mediaType, 'Content-Length': String(size) },
  });
}

export interface MediaHandlerOptions {
  log?: Logger;
  /**
   * The page's origin when it differs from the media's (kesi-app://app reading kesi-media://):
   * answered with CORS and a cross-origin resource policy for that origin only, so that pdf.js
   * may fetch() a PDF and images may load. Left out when both share an origin.
   */
  allowOrigin?: string;
}

function forOrigin(res: Response, origin: string | undefined): Response {
  if (origin === undefined) return res;
  res.headers.set('Access-Control-Allow-Origin', origin);
  res.headers.set('Vary', 'Origin');
  res.headers.set('Cross-Origin-Resource-Policy', 'cross-origin');
  return res;
}

export function createMediaHandler(
  getService: () => MediaService | null,
  opts: MediaHandlerOptions = {},
): (request: Request) => Promise<Response> {
  const log = opts.log ?? consoleLogger;
  return async (request) => forOrigin(await answer(request), opts.allowOrigin);
  async function answer(request: Request): Promise<Response> {
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      return errorResponse('BAD_INPUT', 'Evidence can only be read here.');
    }
    const head = request.method === 'HEAD';
    const req = parseMediaUrl(request.url);
    if (req === null) return errorResponse('BAD_INPUT', 'That is not an evidence address.');
    const service = getService();
    if (service === null || service.isLocked) return errorResponse('VAULT_LOCKED');
    try {
      return await serve(service, req, head);
    } catch (e) {
      if (isKesiError(e)) return errorResponse(e.code, e.message);
      log(describeUnexpected(`${MEDIA_SCHEME} ${req.kind}`, e));
      return errorResponse('INTERNAL');
    }
  }
}

async function serve(service: MediaService, req: MediaRequest, head: boolean): Promise<Response> {
  const item = service.getItem(req.itemId);
  if (req.kind === 'original') {
    if (item.blobName === null) {
      throw new KesiError('ITEM_NOT_FOUND', 'A physical exhibit has no stored file to show.');
    }
    if (item.size > MAX_VIEW_BYTES) {
      throw new KesiError(
        'FILE_TOO_LARGE',
        'This file is too large to show here. Export it to open it in another program.',
      );
    }
    if (head) return headResponse(item.size, item.mediaType);
    const { item: read, data } = await service.readItem(req.itemId);
    return bytesResponse(data, read.mediaType);
  }
  const kind = req.kind === 'thumbnail' ? 'thumbnail' : 'page_image';
  const d = service.vault.catalogue.derivatives.findFor(req.itemId, kind, req.page);
  if (d === undefined) {
    throw new KesiError('ITEM_NOT_FOUND', `This item has no ${req.kind} image.`, {
      itemId: req.itemId,
    });
  }
  const data = await service.vault.blobs.readBuffer(d.blobName, d.sha256);
  return head ? headResponse(data.byteLength, d.mediaType) : bytesResponse(data, d.mediaType);
}
