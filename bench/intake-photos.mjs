// The camera photos of the intake benchmark: distinct 12 MP JPEGs (4000 × 3000) of 3–6 MB, as a
// phone writes them, made with sharp from a smooth random scene plus sensor noise. The same index
// gives the same photo every run.
import { mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { isMainThread, Worker, workerData } from 'node:worker_threads';
import { requireDist } from './lib.mjs';

export const WIDTH = 4000;
export const HEIGHT = 3000;
const ROLE = 'kesi-bench-photos';

const sharp = requireDist('sharp');

/** xorshift32 filling a buffer: the same photo every run, far quicker than crypto random. */
function fillRandom(buf, seed) {
  const words = new Uint32Array(buf.buffer, buf.byteOffset, buf.length >>> 2);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < words.length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    words[i] = x >>> 0;
  }
}

/** Approximately normal noise of deviation sigma, indexed by a random byte. */
function noiseTable(sigma) {
  const erfinv = (x) => {
    const a = 0.147;
    const ln = Math.log(1 - x * x);
    const t = 2 / (Math.PI * a) + ln / 2;
    return Math.sign(x) * Math.sqrt(Math.sqrt(t * t - ln / a) - t);
  };
  const table = new Int16Array(256);
  for (let i = 0; i < 256; i++) {
    table[i] = Math.round(Math.SQRT2 * erfinv(2 * ((i + 0.5) / 256) - 1) * sigma);
  }
  return table;
}

/**
 * The pixels of photo i: a smooth scene (a coarse random grid, interpolated) with sensor noise,
 * so that libjpeg spends about as many bits as a phone camera does (3–6 MB at quality 93).
 */
function photoPixels(i) {
  const gw = 80 + (i % 7) * 8;
  const gh = Math.round(gw * 0.75);
  const grid = Buffer.allocUnsafe(gw * gh * 3 + 8);
  fillRandom(grid, 0x9e3779b9 ^ (i * 7919));
  const noise = Buffer.allocUnsafe(WIDTH * 3 + 4096);
  const table = noiseTable(5 + (i % 5));
  const out = Buffer.allocUnsafe(WIDTH * HEIGHT * 3);
  const gx = new Int32Array(WIDTH);
  const fx = new Float32Array(WIDTH);
  for (let x = 0; x < WIDTH; x++) {
    const p = (x * (gw - 2)) / WIDTH;
    gx[x] = Math.floor(p) * 3;
    fx[x] = p - Math.floor(p);
  }
  let o = 0;
  for (let y = 0; y < HEIGHT; y++) {
    if (y % 64 === 0) fillRandom(noise, (i + 1) * 1000003 + y);
    const n0 = (y * 131) % 4096;
    const p = (y * (gh - 2)) / HEIGHT;
    const y0 = Math.floor(p);
    const fy = p - y0;
    const r0 = y0 * gw * 3;
    const r1 = r0 + gw * 3;
    for (let x = 0; x < WIDTH; x++) {
      const a = gx[x];
      const f = fx[x];
      for (let c = 0; c < 3; c++) {
        const top = grid[r0 + a + c] + (grid[r0 + a + 3 + c] - grid[r0 + a + c]) * f;
        const bot = grid[r1 + a + c] + (grid[r1 + a + 3 + c] - grid[r1 + a + c]) * f;
        const v = top + (bot - top) * fy + table[noise[n0 + x * 3 + c]];
        out[o++] = v < 0 ? 0 : v > 255 ? 255 : v;
      }
    }
  }
  return out;
}

export const photoName = (i) => `IMG_${String(20260314 + i).padStart(8, '0')}.jpg`;

/** Photo i as a phone writes it: JPEG quality 93, camera EXIF, one in four held upright. */
async function writePhoto(dir, i) {
  const taken = new Date(Date.UTC(2026, 2, 14, 6, 0, 0) + i * 97_000);
  const exifTime = taken.toISOString().slice(0, 19).replace('T', ' ').replace(/-/g, ':');
  await sharp(photoPixels(i), { raw: { width: WIDTH, height: HEIGHT, channels: 3 } })
    .jpeg({ quality: 93 })
    .withExif({
      IFD0: { Make: 'TECNO', Model: 'Spark 10', Orientation: i % 4 === 3 ? '6' : '1' },
      IFD2: { DateTimeOriginal: exifTime },
    })
    .toFile(join(dir, photoName(i)));
}

/**
 * Writes photos 0..n-1 into dir, on one worker thread per core, unless the folder already holds
 * exactly these photos from an earlier run. Returns their count and sizes.
 */
export async function makePhotos(dir, n) {
  mkdirSync(dir, { recursive: true });
  const want = Array.from({ length: n }, (_, i) => photoName(i));
  const have = readdirSync(dir).sort();
  const strangers = have.filter((f) => !/^IMG_\d{8}\.jpg$/.test(f));
  if (strangers.length) {
    throw new Error(
      `${dir} holds other files (${strangers[0]}…): give the photos a folder of their own`,
    );
  }
  const reuse = have.length === n && have.every((f, i) => f === want[i]);
  if (!reuse) {
    for (const f of have) rmSync(join(dir, f), { force: true });
    const workers = Math.max(1, Math.min(availableParallelism(), n));
    await Promise.all(
      Array.from(
        { length: workers },
        (_, first) =>
          new Promise((resolve, reject) => {
            const w = new Worker(new URL(import.meta.url), {
              workerData: { role: ROLE, dir, n, first, step: workers },
            });
            w.on('error', reject);
            w.on('exit', (code) =>
              code === 0 ? resolve() : reject(new Error(`photo worker exit ${code}`)),
            );
          }),
      ),
    );
  }
  const sizes = readdirSync(dir).map((f) => statSync(join(dir, f)).size);
  return {
    reused: reuse,
    count: sizes.length,
    totalBytes: sizes.reduce((a, b) => a + b, 0),
    min: Math.min(...sizes),
    max: Math.max(...sizes),
  };
}

if (!isMainThread && workerData?.role === ROLE) {
  const { dir, n, first, step } = workerData;
  for (let i = first; i < n; i += step) await writePhoto(dir, i);
}
