// Audio and video facts that are cheap to read: WAV header fields, and the MP4/MOV/M4A/3GP
// movie header (duration, creation time). Other formats (MP3, Ogg, AMR, FLAC) would need the
// whole stream scanned; their duration is left absent.
import { open } from 'node:fs/promises';
import { boxes, readMovieHeader } from '../isobmff';
import type { SniffResult } from '../sniff';

export interface MediaMetadata {
  durationSeconds: number | null;
  /** The container's creation time (UTC by the MP4 standard; some cameras write local time). */
  createdAt: string | null;
  sampleRate: number | null;
  channels: number | null;
}

const NONE: MediaMetadata = {
  durationSeconds: null,
  createdAt: null,
  sampleRate: null,
  channels: null,
};

const ISO_MEDIA = new Set([
  'audio/mp4',
  'video/mp4',
  'video/quicktime',
  'video/3gpp',
  'video/3gpp2',
]);

/** WAV: the 'fmt ' and 'data' chunks. `fileSize` bounds a data size that claims more. */
export function readWavInfo(buf: Buffer, fileSize = buf.length): MediaMetadata {
  let p = 12;
  let byteRate = 0;
  let sampleRate: number | null = null;
  let channels: number | null = null;
  while (p + 8 <= buf.length) {
    const id = buf.toString('latin1', p, p + 4);
    const size = buf.readUInt32LE(p + 4);
    if (id === 'fmt ' && p + 8 + 16 <= buf.length) {
      channels = buf.readUInt16LE(p + 10);
      sampleRate = buf.readUInt32LE(p + 12);
      byteRate = buf.readUInt32LE(p + 16);
    } else if (id === 'data') {
      const available = Math.max(0, fileSize - (p + 8));
      const bytes = size === 0xffffffff || size > available ? available : size;
      const durationSeconds = byteRate > 0 ? Math.round((bytes / byteRate) * 1000) / 1000 : null;
      return { durationSeconds, createdAt: null, sampleRate, channels };
    }
    p += 8 + size + (size % 2);
  }
  return { ...NONE, sampleRate, channels };
}

/** Duration and creation time of audio or video held in memory. */
export function readMediaMetadata(buf: Buffer, sniffed: SniffResult): MediaMetadata {
  if (sniffed.mediaType === 'audio/wav') return readWavInfo(buf);
  if (ISO_MEDIA.has(sniffed.mediaType)) {
    const header = readMovieHeader(buf);
    return header ? { ...NONE, ...header } : NONE;
  }
  return NONE;
}

/** The same from a file, reading only the headers (a video may be gigabytes). */
export async function readMediaMetadataFile(
  path: string | Buffer,
  sniffed: SniffResult,
): Promise<MediaMetadata> {
  const fh = await open(path, 'r');
  try {
    const { size } = await fh.stat();
    const read = async (position: number, length: number): Promise<Buffer> => {
      const buf = Buffer.alloc(Math.max(0, Math.min(length, size - position)));
      const { bytesRead } = await fh.read(buf, 0, buf.length, position);
      return buf.subarray(0, bytesRead);
    };
    if (sniffed.mediaType === 'audio/wav') return readWavInfo(await read(0, 64 * 1024), size);
    if (!ISO_MEDIA.has(sniffed.mediaType)) return NONE;
    // Walk the top-level boxes by their headers until 'moov', then read only that box.
    let p = 0;
    while (p + 8 <= size) {
      const header = await read(p, 16);
      const [box] = boxes(header, 0, header.length);
      if (!box) break;
      let boxSize = header.readUInt32BE(0);
      if (boxSize === 1) boxSize = Number(header.readBigUInt64BE(8));
      else if (boxSize === 0) boxSize = size - p;
      if (boxSize < 8) break;
      if (box.type === 'moov') {
        if (boxSize > 256 * 1024 * 1024) return NONE;
        const moov = await read(p, boxSize);
        const mv = readMovieHeader(moov);
        return mv ? { ...NONE, ...mv } : NONE;
      }
      p += boxSize;
    }
    return NONE;
  } finally {
    await fh.close();
  }
}
