// How facts are printed in a bundle: kinds of item, sizes, times in East Africa Time.
import { formatEat } from '../../shared/time';
import type { BundleCustodian } from './types';

const KIND_NAMES: Record<string, string> = {
  statement: 'Statement',
  medical_report: 'Medical report',
  photo: 'Photograph',
  document: 'Document',
  audio: 'Audio recording',
  video: 'Video recording',
  physical_exhibit: 'Physical exhibit',
  other: 'Other document',
};

const SUBTYPE_NAMES: Record<string, string> = {
  p3: 'P3 form',
  prc: 'PRC form',
  post_mortem: 'post-mortem report',
  treatment_notes: 'treatment notes',
};

/** "Medical report (P3 form)", "Photograph". */
export function kindName(kind: string, subtype: string | null): string {
  const base = KIND_NAMES[kind] ?? kind;
  const sub = subtype ? SUBTYPE_NAMES[subtype] : undefined;
  return sub ? `${base} (${sub})` : base;
}

/** "482,113 bytes (471 KiB)". */
export function sizeText(bytes: number): string {
  const exact = `${bytes.toLocaleString('en-GB')} bytes`;
  if (bytes < 1024) return exact;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let v = bytes / 1024;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${exact} (${v >= 100 ? Math.round(v) : v.toFixed(1)} ${units[u]})`;
}

/** "2026-03-14 09:26 EAT". */
export function eatMinute(iso: string | null | undefined): string {
  return formatEat(iso, false);
}

/** "2026-03-14 09:26:53 EAT". */
export function eatSecond(iso: string | null | undefined): string {
  return formatEat(iso, true);
}

/** "2026-03-14" in East Africa Time. */
export function eatDate(iso: string | null | undefined): string {
  return formatEat(iso, false).slice(0, 10);
}

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

/** "21 November 2026" from "2026-11-21". */
export function longDate(ymd: string): string {
  const [y, m, d] = ymd.split('-').map(Number) as [number, number, number];
  return `${d} ${MONTHS[m - 1] ?? ''} ${y}`;
}

/** "1 h 02 min 05 s", "3 min 20 s". */
export function durationText(seconds: number): string {
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const r = s % 60;
  if (h > 0) return `${h} h ${String(m).padStart(2, '0')} min ${String(r).padStart(2, '0')} s`;
  if (m > 0) return `${m} min ${String(r).padStart(2, '0')} s`;
  return `${r} s`;
}

/** "TECNO Spark 10", without repeating the make when the model already names it. */
export function cameraText(camera: { make: string | null; model: string | null } | null): string {
  if (!camera) return '';
  const make = camera.make?.trim() ?? '';
  const model = camera.model?.trim() ?? '';
  if (make && model.toLowerCase().startsWith(make.toLowerCase())) return model;
  return [make, model].filter((s) => s !== '').join(' ');
}

/** "Sgt. Achieng, DCI Forensics, Nairobi (seal KE-0042), since 2026-03-14 10:00 EAT". */
export function custodianText(c: BundleCustodian | null): string {
  if (!c) return 'not recorded';
  const parts = [c.name, c.organisation, c.place].filter(
    (s): s is string => !!s && s.trim() !== '',
  );
  let text = parts.join(', ');
  if (c.seal) text += ` (seal ${c.seal})`;
  if (c.since) text += `, since ${eatMinute(c.since)}`;
  return text;
}

/** The first 16 hex digits of a SHA-256, as printed in captions. */
export function shortHash(hex: string): string {
  return hex.slice(0, 16);
}
