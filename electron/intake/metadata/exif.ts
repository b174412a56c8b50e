// Pure interpretation of EXIF values: camera date-times and GPS positions.
import { ASSUMED_CAMERA_OFFSET } from '../limits';

export interface CaptureTime {
  /** The moment in UTC (ISO 8601), or null when the camera recorded no usable date. */
  capturedAt: string | null;
  /** The date-time exactly as the camera wrote it, or null when absent or blank. */
  capturedAtRaw: string | null;
  /** The UTC offset used: the one the camera recorded, or the assumed one. */
  capturedAtOffset: string | null;
  /** True when the camera recorded no offset and East Africa Time was assumed. */
  capturedAtAssumedOffset: boolean;
}

const NO_TIME: CaptureTime = {
  capturedAt: null,
  capturedAtRaw: null,
  capturedAtOffset: null,
  capturedAtAssumedOffset: false,
};

function clean(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  // eslint-disable-next-line no-control-regex
  const s = value.replace(/\u0000+$/g, '').trim();
  return s === '' ? null : s;
}

function parseOffset(value: unknown): { text: string; minutes: number } | null {
  const s = clean(value);
  const m = s ? /^([+-])(\d{2}):(\d{2})$/.exec(s) : null;
  if (!m) return null;
  const hours = Number(m[2]);
  const minutes = Number(m[3]);
  if (hours > 14 || minutes > 59) return null;
  const sign = m[1] === '-' ? -1 : 1;
  return { text: `${m[1]}${m[2]}:${m[3]}`, minutes: sign * (hours * 60 + minutes) };
}

/**
 * DateTimeOriginal ("YYYY:MM:DD HH:MM:SS", local camera time) with OffsetTimeOriginal and
 * SubSecTimeOriginal, as a UTC instant. Zeroed ("0000:00:00 00:00:00"), blank ("    :  :  ")
 * and impossible dates count as absent. Without an offset, East Africa Time is assumed.
 */
export function captureTime(dateTime: unknown, offset?: unknown, subSec?: unknown): CaptureTime {
  const raw = clean(dateTime);
  if (!raw) return NO_TIME;
  const m = /^(\d{4})[:-](\d{2})[:-](\d{2})[ T](\d{2}):(\d{2}):(\d{2})/.exec(raw);
  if (!m) return { ...NO_TIME, capturedAtRaw: /[1-9]/.test(raw) ? raw : null };
  const [y, mo, d, h, mi, s] = m.slice(1, 7).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const valid =
    y >= 1826 && mo >= 1 && mo <= 12 && d >= 1 && d <= 31 && h <= 23 && mi <= 59 && s <= 60;
  if (!valid) return { ...NO_TIME, capturedAtRaw: /[1-9]/.test(raw) ? raw : null };
  const local = Date.UTC(y, mo - 1, d, h, mi, Math.min(s, 59));
  const check = new Date(local);
  if (check.getUTCDate() !== d || check.getUTCMonth() !== mo - 1) {
    return { ...NO_TIME, capturedAtRaw: raw }; // 31 February and the like
  }
  const sub = clean(typeof subSec === 'number' ? String(subSec) : subSec);
  const ms = sub && /^\d+$/.test(sub) ? Math.round(Number(`0.${sub}`) * 1000) % 1000 : 0;
  const recorded = parseOffset(offset);
  const used = recorded ?? parseOffset(ASSUMED_CAMERA_OFFSET);
  const minutes = used?.minutes ?? 0;
  return {
    capturedAt: new Date(local + ms - minutes * 60_000).toISOString(),
    capturedAtRaw: raw,
    capturedAtOffset: used?.text ?? null,
    capturedAtAssumedOffset: recorded === null,
  };
}

export interface GpsPosition {
  latitude: number;
  longitude: number;
  altitude: number | null;
}

export interface GpsReading {
  gps: GpsPosition | null;
  /** True when the camera wrote exactly 0,0 (no fix); the position is then treated as absent. */
  gpsNullIsland: boolean;
  /** GPS date and time (UTC from the satellites), when both were recorded. */
  gpsTimestamp: string | null;
}

function dms(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (!Array.isArray(value) || value.length === 0) return null;
  const parts = value.map((v) => (typeof v === 'number' && Number.isFinite(v) ? v : NaN));
  if (parts.some((v) => Number.isNaN(v))) return null;
  const [deg = 0, min = 0, sec = 0] = parts;
  return deg + min / 60 + sec / 3600;
}

/** A position from the GPS IFD tags (as exifr returns them without translation). */
export function gpsReading(tags: Record<string, unknown>): GpsReading {
  const lat = dms(tags['GPSLatitude']);
  const lon = dms(tags['GPSLongitude']);
  const latRef = clean(tags['GPSLatitudeRef'])?.toUpperCase() ?? null;
  const lonRef = clean(tags['GPSLongitudeRef'])?.toUpperCase() ?? null;
  let gps: GpsPosition | null = null;
  let nullIsland = false;
  if (lat !== null && lon !== null) {
    if (lat === 0 && lon === 0) {
      nullIsland = true;
    } else if ((latRef === 'N' || latRef === 'S') && (lonRef === 'E' || lonRef === 'W')) {
      const latitude = latRef === 'S' ? -lat : lat;
      const longitude = lonRef === 'W' ? -lon : lon;
      if (Math.abs(latitude) <= 90 && Math.abs(longitude) <= 180) {
        const alt = tags['GPSAltitude'];
        const below = tags['GPSAltitudeRef'];
        const belowSea = below === 1 || (below instanceof Uint8Array && below[0] === 1);
        const altitude =
          typeof alt === 'number' && Number.isFinite(alt)
            ? Math.round((belowSea ? -alt : alt) * 100) / 100
            : null;
        gps = {
          latitude: Math.round(latitude * 1e7) / 1e7,
          longitude: Math.round(longitude * 1e7) / 1e7,
          altitude,
        };
      }
    }
  }
  return { gps, gpsNullIsland: nullIsland, gpsTimestamp: gpsTimestamp(tags) };
}

function gpsTimestamp(tags: Record<string, unknown>): string | null {
  const date = clean(tags['GPSDateStamp']);
  const time = tags['GPSTimeStamp'];
  if (!date || !Array.isArray(time) || time.length < 3) return null;
  const dm = /^(\d{4}):(\d{2}):(\d{2})$/.exec(date);
  const [h, mi, s] = time as unknown[];
  if (!dm || typeof h !== 'number' || typeof mi !== 'number' || typeof s !== 'number') return null;
  const t = Date.UTC(Number(dm[1]), Number(dm[2]) - 1, Number(dm[3]), h, mi, 0) + s * 1000;
  return Number.isFinite(t) && Number(dm[1]) > 1980 ? new Date(Math.round(t)).toISOString() : null;
}

/** A text tag, trimmed; empty and NUL-only values are absent. */
export function textTag(value: unknown): string | null {
  if (value instanceof Uint8Array) return clean(Buffer.from(value).toString('latin1'));
  if (typeof value === 'number') return String(value);
  return clean(value);
}
