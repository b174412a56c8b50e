// Small formatters for what the screens show. Pure.
import { formatEat } from '../../../shared/time';

/** What an empty value shows, everywhere. */
export const NONE = '—';

const KEY_PREFIX = 'AGE-SECRET-KEY-1';

/** The recovery key in groups of four after its fixed prefix, for copying by hand. */
export function groupKey(key: string): string {
  const k = normaliseRecoveryKey(key);
  const head = k.startsWith(KEY_PREFIX) ? KEY_PREFIX : '';
  const groups = k.slice(head.length).match(/.{1,4}/g) ?? [];
  return [head, ...groups].filter((g) => g !== '').join(' ');
}

/**
 * A recovery key as typed back: spaces and line breaks (from the grouped print) removed, upper
 * case (the key is Bech32, which allows one case only, and Kesi prints it in upper case).
 */
export function normaliseRecoveryKey(typed: string): string {
  return typed.replace(/\s+/g, '').toUpperCase();
}

/** The first 12 hex digits of a SHA-256, for lists; the full hash is on the item screen. */
export function shortHash(sha256: string): string {
  return sha256.slice(0, 12);
}

const UNITS = ['B', 'KB', 'MB', 'GB', 'TB'] as const;

/** 1 KB = 1024 B; one decimal below 10 units. */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return '';
  let v = bytes;
  let u = 0;
  while (v >= 1024 && u < UNITS.length - 1) {
    v /= 1024;
    u++;
  }
  const text = u === 0 || v >= 10 ? Math.round(v).toString() : v.toFixed(1);
  return `${text} ${UNITS[u]}`;
}

/** A date-time in EAT, to the minute. */
export function eat(iso: string | null | undefined): string {
  return formatEat(iso, false);
}

/** A date-time in EAT, to the minute, without the zone: for a column whose header names it. */
export function eatInColumn(iso: string | null | undefined): string {
  return eat(iso).replace(/ EAT$/, '');
}

/** A date-time in EAT, to the second (custody events). */
export function eatSeconds(iso: string | null | undefined): string {
  return formatEat(iso, true);
}

/**
 * A `datetime-local` input value (EAT wall time, "YYYY-MM-DDTHH:MM") as an ISO time with the
 * +03:00 offset, which is what the service takes; '' stays null.
 */
export function eatInputToIso(value: string): string | null {
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})(?::(\d{2}))?$/.exec(value);
  if (!m) return null;
  return `${m[1]}T${m[2]}:${m[3] ?? '00'}+03:00`;
}

/** An ISO time as a `datetime-local` value in EAT ("YYYY-MM-DDTHH:MM"); '' for none. */
export function isoToEatInput(iso: string | null | undefined): string {
  if (!iso) return '';
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return '';
  return new Date(t + 3 * 60 * 60 * 1000).toISOString().slice(0, 16);
}
