// An item's recorded metadata (what intake read from the file) sorted into groups a caseworker
// reads: camera, time, place (GPS), image, PDF, media, file. Each field names its words by key
// (item:meta.field.<key>) and carries a typed value the screen formats. Every recorded key, the
// unknown ones included, is also in `all` (flattened, for the collapsed "all metadata" list).
// Pure.

export type MetaValue =
  | { type: 'text'; text: string }
  | { type: 'number'; value: number; unit?: 'px' | 'dpi' | 'Hz' | 's' | 'B' }
  | { type: 'time'; iso: string }
  | { type: 'yesno'; value: boolean }
  | { type: 'size'; width: number; height: number }
  | { type: 'gps'; latitude: number; longitude: number; altitude: number | null };

export interface MetaField {
  key: string;
  value: MetaValue;
  /** A value that needs a second look (e.g. a GPS fix at 0°, 0°). */
  notice?: string;
}

export type MetaGroupId = 'camera' | 'time' | 'place' | 'image' | 'pdf' | 'media' | 'file';

export interface MetaGroup {
  id: MetaGroupId;
  fields: MetaField[];
}

type Meta = Readonly<Record<string, unknown>>;

const str = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' ? v : null);
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const bool = (v: unknown): boolean | null => (typeof v === 'boolean' ? v : null);
const obj = (v: unknown): Meta | null =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Meta) : null;

class Builder {
  fields: MetaField[] = [];
  text(key: string, v: unknown): this {
    const s = str(v);
    if (s !== null) this.fields.push({ key, value: { type: 'text', text: s } });
    return this;
  }
  number(key: string, v: unknown, unit?: 'px' | 'dpi' | 'Hz' | 's' | 'B'): this {
    const n = num(v);
    if (n !== null) this.fields.push({ key, value: { type: 'number', value: n, unit } });
    return this;
  }
  time(key: string, v: unknown): this {
    const s = str(v);
    if (s !== null && !Number.isNaN(Date.parse(s)))
      this.fields.push({ key, value: { type: 'time', iso: s } });
    return this;
  }
  yesno(key: string, v: unknown): this {
    const b = bool(v);
    if (b !== null) this.fields.push({ key, value: { type: 'yesno', value: b } });
    return this;
  }
  size(key: string, w: unknown, h: unknown): this {
    const width = num(w);
    const height = num(h);
    if (width !== null && height !== null)
      this.fields.push({ key, value: { type: 'size', width, height } });
    return this;
  }
  push(field: MetaField): this {
    this.fields.push(field);
    return this;
  }
}

/** The GPS position recorded in a photo, or null. */
export function gpsOf(meta: Meta | null | undefined): {
  latitude: number;
  longitude: number;
  altitude: number | null;
} | null {
  const g = obj(meta?.['gps']);
  const latitude = num(g?.['latitude']);
  const longitude = num(g?.['longitude']);
  if (latitude === null || longitude === null) return null;
  return { latitude, longitude, altitude: num(g?.['altitude']) };
}

/** The family intake detected ('image', 'pdf', 'audio', 'video', 'text', 'document'). */
function familyOf(meta: Meta): string | null {
  return str(obj(meta['detected'])?.['family']);
}

export function metadataGroups(meta: Meta | null | undefined): MetaGroup[] {
  if (!meta) return [];
  const family = familyOf(meta);
  const groups: MetaGroup[] = [];
  const add = (id: MetaGroupId, b: Builder) => {
    if (b.fields.length > 0) groups.push({ id, fields: b.fields });
  };

  add(
    'camera',
    new Builder()
      .text('make', meta['make'])
      .text('model', meta['model'])
      .text('serialNumber', meta['serialNumber'])
      .text('software', meta['software']),
  );

  if (family !== 'pdf') {
    const time = new Builder()
      .time(
        family === 'video' || family === 'audio' ? 'mediaCreatedAt' : 'capturedAt',
        meta[family === 'video' || family === 'audio' ? 'createdAt' : 'capturedAt'],
      )
      .text('capturedAtRaw', meta['capturedAtRaw']);
    const offset = str(meta['capturedAtOffset']);
    if (offset !== null) {
      // The offset intake used; when the camera wrote none, EAT was taken, and that is said.
      time.push({
        key: 'capturedAtOffset',
        value: { type: 'text', text: offset },
        notice: bool(meta['capturedAtAssumedOffset']) === true ? 'assumedOffset' : undefined,
      });
    }
    time.time('gpsTimestamp', meta['gpsTimestamp']);
    add('time', time);
  }

  const place = new Builder();
  const gps = gpsOf(meta);
  if (gps) {
    place.push({
      key: 'gps',
      value: { type: 'gps', ...gps },
      notice: bool(meta['gpsNullIsland']) === true ? 'gpsNullIsland' : undefined,
    });
  }
  add('place', place);

  if (family === 'image') {
    const image = new Builder()
      .text('format', meta['format'])
      .size('displaySize', meta['displayWidth'], meta['displayHeight']);
    if (num(meta['width']) !== num(meta['displayWidth']))
      image.size('storedSize', meta['width'], meta['height']);
    image
      .number('orientation', meta['orientation'])
      .number('frames', meta['frames'])
      .number('density', meta['density'], 'dpi')
      .text('colourSpace', meta['colourSpace'])
      .text('compression', meta['compression'])
      .yesno('hasAlpha', meta['hasAlpha'])
      .yesno('fullyDecoded', meta['fullyDecoded']);
    add('image', image);
  }

  if (family === 'pdf') {
    const enc = obj(meta['encryption']);
    const pdf = new Builder()
      .number('pageCount', meta['pageCount'])
      .text('pdfVersion', meta['version'])
      .text('pdfTitle', meta['title'])
      .text('author', meta['author'])
      .text('creator', meta['creator'])
      .text('producer', meta['producer'])
      .time('pdfCreatedAt', meta['createdAt'])
      .time('pdfModifiedAt', meta['modifiedAt'])
      .yesno('encrypted', meta['encrypted'])
      .text('encryption', enc?.['algorithm'])
      .yesno('hasForm', meta['hasForm'])
      .yesno('hasAttachments', meta['hasAttachments'])
      .yesno('hasJavaScript', meta['hasJavaScript']);
    add('pdf', pdf);
  }

  if (family === 'audio' || family === 'video') {
    add(
      'media',
      new Builder()
        .number('duration', meta['durationSeconds'], 's')
        .number('sampleRate', meta['sampleRate'], 'Hz')
        .number('channels', meta['channels']),
    );
  }

  const detected = obj(meta['detected']);
  add(
    'file',
    new Builder()
      .text('detectedType', detected?.['mediaType'])
      .text('detectedExt', detected?.['ext'])
      .text('charset', meta['charset'])
      .yesno('forced', meta['forced']),
  );
  return groups;
}

function leaf(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return JSON.stringify(v);
}

/** Every recorded key as "a.b.c" → text, in the recorded order; arrays are kept as JSON. */
export function flattenMetadata(meta: Meta | null | undefined, prefix = ''): [string, string][] {
  const out: [string, string][] = [];
  for (const [k, v] of Object.entries(meta ?? {})) {
    const key = prefix ? `${prefix}.${k}` : k;
    const o = obj(v);
    if (o !== null && Object.keys(o).length > 0) out.push(...flattenMetadata(o, key));
    else out.push([key, leaf(v)]);
  }
  return out;
}

/** Decimal degrees with the hemisphere, e.g. "1.2921° S", six decimals (about 0.1 m). */
export function formatCoordinate(value: number, axis: 'lat' | 'lon'): string {
  const hemi = axis === 'lat' ? (value < 0 ? 'S' : 'N') : value < 0 ? 'W' : 'E';
  return `${Math.abs(value).toFixed(6)}° ${hemi}`;
}
