// node:stream wrappers around AgeEncryptor and AgeDecryptor.

import { Transform } from 'node:stream';
import type { TransformCallback } from 'node:stream';
import { AgeDecryptor, AgeEncryptor, HEADER_READ_SIZE } from './age';
import { isAgeError } from './errors';
import type { Identity, Recipient } from './types';

/** Plaintext in, age file out. Async because an scrypt recipient takes a while to wrap. */
export async function createEncryptStream(recipients: readonly Recipient[]): Promise<Transform> {
  const enc = await AgeEncryptor.create(recipients);
  let headerSent = false;
  const sendHeader = (t: Transform): void => {
    if (!headerSent) t.push(enc.header);
    headerSent = true;
  };
  return new Transform({
    transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback) {
      try {
        sendHeader(this);
        for (const out of enc.push(chunk)) this.push(out);
        done();
      } catch (e) {
        done(e as Error);
      }
    },
    flush(done: TransformCallback) {
      try {
        sendHeader(this);
        for (const out of enc.final()) this.push(out);
        done();
      } catch (e) {
        done(e as Error);
      }
    },
  });
}

/** age file in, plaintext out. Errors are AgeErrors, emitted as the stream's 'error'. Only
 *  authenticated plaintext is emitted, but a stream that errors has emitted a prefix of it. */
export function createDecryptStream(identities: readonly Identity[]): Transform {
  let dec: AgeDecryptor | null = null;
  // Until the header is read: the bytes so far, and when to try again. Retrying only after the
  // buffered size doubles keeps tiny writes from costing quadratic time.
  let head: Buffer[] = [];
  let headLength = 0;
  let nextTry = 0;

  const tryOpen = async (t: Transform, atEnd: boolean): Promise<void> => {
    const buf = Buffer.concat(head, headLength);
    try {
      const opened = await AgeDecryptor.open(buf, identities);
      dec = opened.decryptor;
      head = [];
      for (const out of dec.push(buf.subarray(opened.consumed))) t.push(out);
    } catch (e) {
      if (!atEnd && isAgeError(e, 'truncated')) return;
      throw e;
    }
  };

  return new Transform({
    transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback) {
      if (dec) {
        try {
          for (const out of dec.push(chunk)) this.push(out);
          done();
        } catch (e) {
          done(e as Error);
        }
        return;
      }
      head.push(chunk);
      headLength += chunk.length;
      if (headLength < nextTry && headLength < HEADER_READ_SIZE) return done();
      nextTry = headLength * 2;
      tryOpen(this, false).then(() => done(), done);
    },
    flush(done: TransformCallback) {
      const finish = (): void => {
        try {
          for (const out of (dec as AgeDecryptor).final()) this.push(out);
          done();
        } catch (e) {
          done(e as Error);
        }
      };
      if (dec) return finish();
      tryOpen(this, true).then(finish, done);
    },
  });
}
