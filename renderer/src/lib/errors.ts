// Words for an error thrown by a `window.kesi` call. Chosen by the error's code in the current
// language (i18n/<lang>/errors.json); the service's English message is the fallback for a code
// the interface does not know yet. Pure: the translate function is passed in.
import { errorCodeOf } from '../../../shared/envelope';

export type Translate = (key: string, options?: { defaultValue?: string }) => string;

function messageOf(e: unknown): string | null {
  if (typeof e !== 'object' || e === null) return null;
  const m = (e as { message?: unknown }).message;
  return typeof m === 'string' && m !== '' ? m : null;
}

/** The fields named by a BAD_INPUT error's zod issues, e.g. ["title", "paths"]. */
export function badInputFields(e: unknown): string[] {
  if (typeof e !== 'object' || e === null) return [];
  const details = (e as { details?: unknown }).details;
  if (typeof details !== 'object' || details === null) return [];
  const issues = (details as { issues?: unknown }).issues;
  if (!Array.isArray(issues)) return [];
  const paths = issues
    .map((i: unknown) =>
      typeof i === 'object' && i !== null ? (i as { path?: unknown }).path : undefined,
    )
    .filter((p): p is string => typeof p === 'string' && p !== '');
  return [...new Set(paths)];
}

/** `t` is bound to the "errors" namespace. */
export function errorText(t: Translate, e: unknown): string {
  const code = errorCodeOf(e);
  if (code === null) return t('unknown');
  const text = t(code, { defaultValue: messageOf(e) ?? t('unknown') });
  if (code !== 'BAD_INPUT') return text;
  const fields = badInputFields(e);
  return fields.length > 0 ? `${text} (${fields.join(', ')})` : text;
}
