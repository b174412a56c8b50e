// Small real images and hand-made edge cases for intake tests.
import { crc32, deflateSync } from 'node:zlib';
import sharp from 'sharp';

/** A real JPEG with camera EXIF (DateTimeOriginal, make, model, orientation). */
export async function cameraJpeg(width = 640, height = 480, seed = 1): Promise<Buffer> {
  const noise = Buffer.alloc(width * height * 3);
  let x = seed * 2654435761;
  for (let i = 0; i < noise.length; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    noise[i] = x >>> 24;
  }
  return sharp(noise, { raw: { width, height, channels: 3 } })
    .jpeg({ quality: 80 })
    .withExif({
      IFD0: { Make: 'TECNO', Model: 'Spark 10', Orientation: '1' },
      IFD2: { DateTimeOriginal: '2026:03:14 09:26:53' },
    })
    .toBuffer();
}

function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
}

/**
 * A decompression bomb: a valid PNG header declaring `side` x `side` pixels over a few hundred
 * bytes of data. Decoding it would need gigabytes.
 */
export function pngBomb(side = 60_000): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(side, 0);
  ihdr.writeUInt32BE(side, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 0; // greyscale
  const row = Buffer.alloc(1 + side); // filter byte + one row of zeros, repeated by zlib
  const idat = deflateSync(Buffer.concat([row, row, row]));
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', idat),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}
