// ISO base media file format (ISO/IEC 14496-12) boxes, as used by MP4, MOV, M4A, 3GP, HEIF
// and AVIF: the file type box, a box walker, the movie header (duration, creation time) and
// the HEIF primary item's size and transform properties (ISO/IEC 23008-12).

export interface Ftyp {
  major: string;
  minor: number;
  compatible: string[];
}

/** The 'ftyp' box at the start of the file, or null. */
export function readFtyp(buf: Buffer): Ftyp | null {
  if (buf.length < 16 || buf.toString('latin1', 4, 8) !== 'ftyp') return null;
  const size = buf.readUInt32BE(0);
  if (size < 16 || size > 4096) return null;
  const end = Math.min(size, buf.length);
  const compatible: string[] = [];
  for (let p = 16; p + 4 <= end; p += 4) compatible.push(buf.toString('latin1', p, p + 4));
  return { major: buf.toString('latin1', 8, 12), minor: buf.readUInt32BE(12), compatible };
}

export interface Box {
  type: string;
  /** Offset of the box header. */
  start: number;
  /** Offset of the payload (after the header). */
  body: number;
  /** Offset just past the box. */
  end: number;
}

/** The boxes directly inside [start, end). Stops at the first malformed header. */
export function boxes(buf: Buffer, start = 0, end = buf.length): Box[] {
  const out: Box[] = [];
  let p = start;
  while (p + 8 <= end) {
    let size = buf.readUInt32BE(p);
    const type = buf.toString('latin1', p + 4, p + 8);
    let header = 8;
    if (size === 1) {
      if (p + 16 > end) break;
      const big = buf.readBigUInt64BE(p + 8);
      if (big > BigInt(Number.MAX_SAFE_INTEGER)) break;
      size = Number(big);
      header = 16;
    } else if (size === 0) {
      size = end - p; // the box runs to the end of its container
    }
    if (size < header) break;
    if (p + size > end) {
      // A truncated last box: report what is there, so headers at the start still count.
      out.push({ type, start: p, body: Math.min(p + header, end), end });
      break;
    }
    out.push({ type, start: p, body: p + header, end: p + size });
    p += size;
  }
  return out;
}

export function findBox(buf: Buffer, path: string[], start = 0, end = buf.length): Box | null {
  let range: Box | null = null;
  let s = start;
  let e = end;
  for (const type of path) {
    range = boxes(buf, s, e).find((b) => b.type === type) ?? null;
    if (!range) return null;
    s = range.body;
    e = range.end;
  }
  return range;
}

/** Seconds between 1904-01-01 (the MP4/QuickTime epoch) and 1970-01-01. */
const MAC_EPOCH_OFFSET = 2_082_844_800;

export interface MovieHeader {
  durationSeconds: number | null;
  /** Creation time as recorded (UTC by the standard; some cameras write local time). */
  createdAt: string | null;
}

/** Reads 'moov/mvhd' from a buffer that holds the 'moov' box (or the whole file). */
export function readMovieHeader(buf: Buffer, start = 0, end = buf.length): MovieHeader | null {
  const mvhd = findBox(buf, ['moov', 'mvhd'], start, end);
  if (!mvhd || mvhd.body + 4 > mvhd.end) return null;
  const version = buf.readUInt8(mvhd.body);
  const p = mvhd.body + 4;
  let created: number;
  let timescale: number;
  let duration: number;
  if (version === 1) {
    if (p + 28 > mvhd.end) return null;
    created = Number(buf.readBigUInt64BE(p));
    timescale = buf.readUInt32BE(p + 16);
    const d = buf.readBigUInt64BE(p + 20);
    duration = d === 0xffffffffffffffffn ? -1 : Number(d);
  } else {
    if (p + 16 > mvhd.end) return null;
    created = buf.readUInt32BE(p);
    timescale = buf.readUInt32BE(p + 8);
    const d = buf.readUInt32BE(p + 12);
    duration = d === 0xffffffff ? -1 : d;
  }
  const durationSeconds =
    timescale > 0 && duration >= 0 ? Math.round((duration / timescale) * 1000) / 1000 : null;
  const unix = created - MAC_EPOCH_OFFSET;
  // Zero means "not set"; anything before 1990 or after 2100 is a broken clock, not a date.
  const createdAt =
    created > 0 && unix > 631_152_000 && unix < 4_102_444_800
      ? new Date(unix * 1000).toISOString()
      : null;
  return { durationSeconds, createdAt };
}

export interface HeifPrimaryItem {
  /** Size of the primary item as coded ('ispe'), before any transform. */
  width: number | null;
  height: number | null;
  /** Anticlockwise rotation from 'irot', in degrees. */
  rotation: 0 | 90 | 180 | 270;
  /** Mirror axis from 'imir' (0: vertical axis, i.e. left-right; 1: horizontal axis). */
  mirrorAxis: 0 | 1 | null;
  /** The transforms in the order the file lists them, e.g. ['irot', 'imir']. */
  transforms: string[];
}

/** The HEIF/AVIF primary item's coded size and transforms, read from the 'meta' box. */
export function readHeifPrimaryItem(buf: Buffer): HeifPrimaryItem | null {
  const meta = boxes(buf).find((b) => b.type === 'meta');
  if (!meta) return null;
  const children = boxes(buf, meta.body + 4, meta.end); // meta is a full box
  const pitm = children.find((b) => b.type === 'pitm');
  const iprp = children.find((b) => b.type === 'iprp');
  if (!pitm || !iprp || pitm.body + 6 > pitm.end) return null;
  const primary =
    buf.readUInt8(pitm.body) === 0
      ? buf.readUInt16BE(pitm.body + 4)
      : buf.readUInt32BE(pitm.body + 4);
  const iprpChildren = boxes(buf, iprp.body, iprp.end);
  const ipco = iprpChildren.find((b) => b.type === 'ipco');
  if (!ipco) return null;
  const properties = boxes(buf, ipco.body, ipco.end);
  const result: HeifPrimaryItem = {
    width: null,
    height: null,
    rotation: 0,
    mirrorAxis: null,
    transforms: [],
  };
  for (const ipma of iprpChildren.filter((b) => b.type === 'ipma')) {
    const version = buf.readUInt8(ipma.body);
    const flags = buf.readUIntBE(ipma.body + 1, 3);
    let p = ipma.body + 4;
    if (p + 4 > ipma.end) continue;
    const count = buf.readUInt32BE(p);
    p += 4;
    for (let i = 0; i < count && p < ipma.end; i++) {
      const idSize = version < 1 ? 2 : 4;
      if (p + idSize + 1 > ipma.end) break;
      const itemId = idSize === 2 ? buf.readUInt16BE(p) : buf.readUInt32BE(p);
      p += idSize;
      const n = buf.readUInt8(p);
      p += 1;
      const assocSize = flags & 1 ? 2 : 1;
      for (let j = 0; j < n && p + assocSize <= ipma.end; j++) {
        const raw = assocSize === 2 ? buf.readUInt16BE(p) : buf.readUInt8(p);
        p += assocSize;
        if (itemId !== primary) continue;
        const index = raw & (assocSize === 2 ? 0x7fff : 0x7f);
        const prop = properties[index - 1]; // 1-based; 0 means "no property"
        if (!prop) continue;
        if (prop.type === 'ispe' && prop.body + 12 <= prop.end) {
          result.width = buf.readUInt32BE(prop.body + 4);
          result.height = buf.readUInt32BE(prop.body + 8);
        } else if (prop.type === 'irot' && prop.body < prop.end) {
          result.rotation = ((buf.readUInt8(prop.body) & 3) * 90) as 0 | 90 | 180 | 270;
          result.transforms.push('irot');
        } else if (prop.type === 'imir' && prop.body < prop.end) {
          result.mirrorAxis = (buf.readUInt8(prop.body) & 1) as 0 | 1;
          result.transforms.push('imir');
        }
      }
    }
  }
  return result;
}
