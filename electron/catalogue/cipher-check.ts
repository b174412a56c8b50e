// Independent verification of the page HMACs of a SQLCipher 4 database (the check SQLCipher
// calls cipher_integrity_check), written against the published SQLCipher 4 page format so that
// it does not depend on the SQLite build: 4096-byte pages, each ending in an 80-byte reserve of
// a 16-byte AES-CBC IV and a 64-byte HMAC-SHA512 over the encrypted page, the IV and the
// little-endian page number. Page 1 starts with the 16-byte database salt, outside the HMAC.
// The HMAC key is PBKDF2-HMAC-SHA512(raw key, salt XOR 0x3a, 2 iterations, 32 bytes).
import { createHmac, pbkdf2Sync, timingSafeEqual } from 'node:crypto';
import { closeSync, existsSync, fstatSync, openSync, readSync } from 'node:fs';

export const SQLCIPHER4 = {
  pageSize: 4096,
  reserve: 80,
  ivSize: 16,
  hmacSize: 64,
  saltSize: 16,
  hmacKdfIterations: 2,
  hmacSaltMask: 0x3a,
} as const;

const WAL_HEADER = 32;
const WAL_FRAME_HEADER = 24;

export function sqlcipherHmacKey(key: Buffer, salt: Buffer): Buffer {
  const hmacSalt = Buffer.from(salt.map((b) => b ^ SQLCIPHER4.hmacSaltMask));
  return pbkdf2Sync(key, hmacSalt, SQLCIPHER4.hmacKdfIterations, 32, 'sha512');
}

/** True when the page (pageSize bytes, as stored) carries a valid HMAC for its number. */
export function pageHmacValid(page: Buffer, pgno: number, hmacKey: Buffer): boolean {
  const { pageSize, hmacSize, saltSize } = SQLCIPHER4;
  if (page.length !== pageSize) return false;
  const start = pgno === 1 ? saltSize : 0;
  const hmac = createHmac('sha512', hmacKey);
  hmac.update(page.subarray(start, pageSize - hmacSize));
  const pgnoLe = Buffer.alloc(4);
  pgnoLe.writeUInt32LE(pgno);
  hmac.update(pgnoLe);
  return timingSafeEqual(hmac.digest(), page.subarray(pageSize - hmacSize));
}

function readExactly(fd: number, length: number, position: number): Buffer {
  const buf = Buffer.alloc(length);
  let done = 0;
  while (done < length) {
    const n = readSync(fd, buf, done, length - done, position + done);
    if (n === 0) break;
    done += n;
  }
  return done === length ? buf : buf.subarray(0, done);
}

/**
 * Problems found in the page HMACs of the database file and of the current frames of its WAL;
 * [] when every page verifies. An empty (new) database has nothing to check.
 */
export function verifyCipherPages(file: string, key: Buffer): string[] {
  const { pageSize, saltSize } = SQLCIPHER4;
  const problems: string[] = [];
  let hmacKey: Buffer | undefined;
  const fd = openSync(file, 'r');
  try {
    const size = fstatSync(fd).size;
    if (size === 0) return [];
    if (size % pageSize !== 0) {
      problems.push(`the catalogue file size ${size} is not a multiple of ${pageSize}`);
    }
    const salt = readExactly(fd, saltSize, 0);
    hmacKey = sqlcipherHmacKey(key, salt);
    const pages = Math.floor(size / pageSize);
    for (let pgno = 1; pgno <= pages; pgno++) {
      const page = readExactly(fd, pageSize, (pgno - 1) * pageSize);
      if (!pageHmacValid(page, pgno, hmacKey)) {
        problems.push(`page ${pgno}: the page authentication code does not verify`);
      }
    }
  } finally {
    closeSync(fd);
  }
  if (hmacKey !== undefined) problems.push(...verifyWal(`${file}-wal`, hmacKey));
  return problems;
}

function verifyWal(walFile: string, hmacKey: Buffer): string[] {
  if (!existsSync(walFile)) return [];
  const problems: string[] = [];
  const fd = openSync(walFile, 'r');
  try {
    const size = fstatSync(fd).size;
    if (size < WAL_HEADER) return [];
    const header = readExactly(fd, WAL_HEADER, 0);
    const magic = header.readUInt32BE(0);
    if (magic !== 0x377f0682 && magic !== 0x377f0683) {
      return ['the write-ahead log has no valid header'];
    }
    const pageSize = header.readUInt32BE(8);
    if (pageSize !== SQLCIPHER4.pageSize) {
      return [`the write-ahead log has page size ${pageSize}, not ${SQLCIPHER4.pageSize}`];
    }
    const salts = header.subarray(16, 24);
    const frameSize = WAL_FRAME_HEADER + pageSize;
    const frames = Math.floor((size - WAL_HEADER) / frameSize);
    for (let i = 0; i < frames; i++) {
      const frame = readExactly(fd, frameSize, WAL_HEADER + i * frameSize);
      // Frames carrying other salts are left over from before the log was last reset.
      if (!frame.subarray(8, 16).equals(salts)) continue;
      const pgno = frame.readUInt32BE(0);
      if (!pageHmacValid(frame.subarray(WAL_FRAME_HEADER), pgno, hmacKey)) {
        problems.push(
          `write-ahead log frame ${i + 1} (page ${pgno}): the page authentication code does not verify`,
        );
      }
    }
  } finally {
    closeSync(fd);
  }
  return problems;
}
