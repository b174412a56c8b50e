// The reply of every contract call, whatever the transport (Electron IPC, the end-to-end test
// bridge): a value, or a KesiErrorData with a stable code and a message for the caseworker.
// Pure TypeScript: imported by the main process, the preload's types and the renderer.
import { ERROR_CODES, type ErrorCode, type KesiErrorData } from './errors';

export type Envelope<T = unknown> = { ok: true; value: T } | { ok: false; error: KesiErrorData };

export function okEnvelope<T>(value: T): Envelope<T> {
  return { ok: true, value };
}

export function errorEnvelope(error: KesiErrorData): Envelope<never> {
  return { ok: false, error };
}

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/** True for a well-formed envelope (what a caller checks before trusting a reply). */
export function isEnvelope(x: unknown): x is Envelope {
  if (!isRecord(x)) return false;
  if (x['ok'] === true) return 'value' in x;
  if (x['ok'] !== false || !isRecord(x['error'])) return false;
  const e = x['error'];
  return typeof e['code'] === 'string' && typeof e['message'] === 'string';
}

/**
 * The error a caller sees when an envelope says ok: false: an Error whose `code` is the
 * KesiError code, so the UI can choose words or actions by code.
 */
export class KesiCallError extends Error {
  readonly code: ErrorCode;
  readonly details: Record<string, unknown> | undefined;

  constructor(data: KesiErrorData) {
    super(data.message);
    this.name = 'KesiCallError';
    this.code = Object.hasOwn(ERROR_CODES, data.code) ? data.code : 'INTERNAL';
    this.details = data.details;
  }
}

/** The value of an envelope, or a KesiCallError; a malformed reply counts as INTERNAL. */
export function unwrapEnvelope<T>(x: unknown): T {
  if (!isEnvelope(x)) {
    throw new KesiCallError({ code: 'INTERNAL', message: ERROR_CODES.INTERNAL });
  }
  if (x.ok) return x.value as T;
  throw new KesiCallError(x.error);
}

/**
 * The KesiError code of anything a `window.kesi` call threw: a KesiCallError, or the Error the
 * preload builds in the page's world (same shape, other realm, so never test with instanceof).
 */
export function errorCodeOf(e: unknown): ErrorCode | null {
  if (typeof e !== 'object' || e === null) return null;
  const code = (e as { code?: unknown }).code;
  return typeof code === 'string' && Object.hasOwn(ERROR_CODES, code) ? (code as ErrorCode) : null;
}
