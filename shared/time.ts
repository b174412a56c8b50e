// Times are stored in UTC and shown in East Africa Time (UTC+3, no daylight saving).
const EAT_OFFSET_MS = 3 * 60 * 60 * 1000;

/** "2026-11-21 18:07:05 EAT" from an ISO UTC time; `null` stays empty. */
export function formatEat(iso: string | null | undefined, withSeconds = true): string {
  if (!iso) return '';
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return iso;
  const d = new Date(t + EAT_OFFSET_MS).toISOString();
  return `${d.slice(0, 10)} ${d.slice(11, withSeconds ? 19 : 16)} EAT`;
}
