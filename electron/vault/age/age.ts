// age files: header + payload nonce + STREAM payload.

import { randomBytes } from 'node:crypto';
import { loadAead } from './aead';
import { AgeError } from './errors';
import { encodeHeader, parseHeader, verifyHeaderMac } from './header';
import type { Stanza } from './header';
import { parseIdentity, parseRecipient } from './keys';
import { FILE_KEY_SIZE } from './primitives';
import { SCRYPT_STANZA, unwrapScrypt, wrapScrypt } from './scrypt';
import {
  CHUNK_SIZE,
  ENCRYPTED_CHUNK_SIZE,
  PAYLOAD_NONCE_SIZE,
  StreamOpener,
  StreamSealer,
  encryptedSize,
  payloadKey,
  plaintextSize,
} from './stream';
import type { Identity, Recipient } from './types';
import { X25519_STANZA, unwrapX25519, wrapX25519, x25519Unwrapper } from './x25519';

/**
 * How many bytes to read from the start of a file for AgeDecryptor.open(): this many, or the
 * whole file if it is smaller. A header (plus the 16-byte payload nonce) longer than this is
 * refused as bad-header; ours are a few hundred bytes.
 */
export const HEADER_READ_SIZE = 64 * 1024;

async function wrapFileKey(fileKey: Buffer, recipients: readonly Recipient[]): Promise<Stanza[]> {
  if (recipients.length === 0) throw new AgeError('unsupported', 'No recipients.');
  if (recipients.length > 1 && recipients.some((r) => r.type === 'scrypt')) {
    throw new AgeError('unsupported', 'A passphrase must be the only recipient of a file.');
  }
  const stanzas: Stanza[] = [];
  for (const r of recipients) {
    if (r.type === 'x25519') stanzas.push(wrapX25519(fileKey, parseRecipient(r.recipient)));
    else if (r.type === 'scrypt') stanzas.push(await wrapScrypt(fileKey, r.passphrase, r.logN));
    else throw new AgeError('unsupported', 'Unknown recipient type.');
  }
  return stanzas;
}

/** The file key from the first identity that opens a stanza, or null. */
async function unwrapFileKey(
  stanzas: readonly Stanza[],
  identities: readonly Identity[],
): Promise<Buffer | null> {
  // A passphrase file authenticates its sender only if nobody else could have made it.
  if (stanzas.length > 1 && stanzas.some((s) => s.type === SCRYPT_STANZA)) {
    throw new AgeError('bad-header', 'An scrypt stanza must be the only stanza.');
  }
  for (const id of identities) {
    if (id.type === 'x25519') {
      const secret = parseIdentity(id.identity);
      const unwrapper = x25519Unwrapper(secret);
      secret.fill(0);
      for (const s of stanzas) {
        if (s.type !== X25519_STANZA) continue;
        const key = unwrapX25519(s, unwrapper);
        if (key) return key;
      }
    } else if (id.type === 'scrypt') {
      for (const s of stanzas) {
        if (s.type !== SCRYPT_STANZA) continue;
        const key = await unwrapScrypt(s, id.passphrase, id.maxLogN);
        if (key) return key;
      }
    } else {
      throw new AgeError('unsupported', 'Unknown identity type.');
    }
  }
  return null;
}

/** Incremental encryption: write `header`, then every buffer push() and final() return. */
export class AgeEncryptor {
  /** The header and the payload nonce: the first bytes of the file. */
  readonly header: Buffer;
  private readonly sealer: StreamSealer;

  private constructor(header: Buffer, sealer: StreamSealer) {
    this.header = header;
    this.sealer = sealer;
  }

  static async create(recipients: readonly Recipient[]): Promise<AgeEncryptor> {
    await loadAead();
    const fileKey = randomBytes(FILE_KEY_SIZE);
    try {
      const header = encodeHeader(await wrapFileKey(fileKey, recipients), fileKey);
      const nonce = randomBytes(PAYLOAD_NONCE_SIZE);
      const sealer = new StreamSealer(payloadKey(fileKey, nonce));
      return new AgeEncryptor(Buffer.concat([header, nonce]), sealer);
    } finally {
      fileKey.fill(0);
    }
  }

  /** Whole encrypted chunks now ready (possibly none). `plain` may be reused on return. */
  push(plain: Uint8Array): Buffer[] {
    return this.sealer.push(plain);
  }

  /** The remaining chunks; the file is complete after these. */
  final(): Buffer[] {
    return this.sealer.final();
  }
}

/** Incremental decryption. Feed the bytes after `consumed` to push(), then call final(). */
export class AgeDecryptor {
  private readonly opener: StreamOpener;

  private constructor(opener: StreamOpener) {
    this.opener = opener;
  }

  /**
   * Reads the header and payload nonce at the start of `headerAndMore` (read HEADER_READ_SIZE
   * bytes, or the whole file if smaller) and unwraps the file key. `consumed` is where the
   * payload chunks start. Throws AgeError: 'truncated' if the buffer ends inside the header (pass
   * more bytes if the file has them), 'bad-header', 'unsupported', 'no-match' or 'bad-mac'.
   */
  static async open(
    headerAndMore: Uint8Array,
    identities: readonly Identity[],
  ): Promise<{ decryptor: AgeDecryptor; consumed: number }> {
    // A private copy, taken before the first await: the caller's buffer may change while an
    // scrypt stanza is being opened.
    const window = Buffer.from(headerAndMore.subarray(0, HEADER_READ_SIZE));
    await loadAead();
    const header = parseHeader(window);
    if (header === null || header.length + PAYLOAD_NONCE_SIZE > window.length) {
      if (window.length >= HEADER_READ_SIZE) throw new AgeError('bad-header', 'Header too large.');
      throw new AgeError('truncated', 'The file ends inside the header.');
    }
    const fileKey = await unwrapFileKey(header.stanzas, identities);
    if (fileKey === null) {
      throw new AgeError('no-match', 'None of the identities opens this file.');
    }
    try {
      if (!verifyHeaderMac(fileKey, header)) {
        throw new AgeError('bad-mac', 'The header MAC does not verify.');
      }
      const consumed = header.length + PAYLOAD_NONCE_SIZE;
      const nonce = window.subarray(header.length, consumed);
      return {
        decryptor: new AgeDecryptor(new StreamOpener(payloadKey(fileKey, nonce))),
        consumed,
      };
    } finally {
      fileKey.fill(0);
    }
  }

  /** Plaintext of the chunks now complete; only authenticated bytes are returned. */
  push(cipher: Uint8Array): Buffer[] {
    return this.opener.push(cipher);
  }

  /** The last plaintext; throws 'truncated' or 'corrupt' unless the file ended properly. */
  final(): Buffer[] {
    return this.opener.final();
  }
}

/** Whole-buffer calls feed the stream 4 MiB at a time, so that chunks are copied into the
 *  result as they are made rather than all held at once. */
const PLAIN_SLICE = 64 * CHUNK_SIZE;
const CIPHER_SLICE = 64 * ENCRYPTED_CHUNK_SIZE;

function collectInto(out: Buffer, start: number) {
  let off = start;
  return {
    take(chunks: Buffer[]): void {
      for (const chunk of chunks) off += chunk.copy(out, off);
    },
    get end(): number {
      return off;
    },
  };
}

export async function encrypt(
  plain: Uint8Array,
  recipients: readonly Recipient[],
): Promise<Buffer> {
  const enc = await AgeEncryptor.create(recipients);
  const out = Buffer.allocUnsafe(enc.header.length + encryptedSize(plain.length));
  const sink = collectInto(out, enc.header.copy(out, 0));
  for (let i = 0; i < plain.length; i += PLAIN_SLICE) {
    sink.take(enc.push(plain.subarray(i, i + PLAIN_SLICE)));
  }
  sink.take(enc.final());
  return out;
}

export async function decrypt(file: Uint8Array, identities: readonly Identity[]): Promise<Buffer> {
  const { decryptor, consumed } = await AgeDecryptor.open(file, identities);
  const payload = file.subarray(consumed);
  // A malformed length still goes through the decryptor, which says what is wrong with it.
  const out = Buffer.allocUnsafe(plaintextSize(payload.length) ?? 0);
  const sink = collectInto(out, 0);
  for (let i = 0; i < payload.length; i += CIPHER_SLICE) {
    sink.take(decryptor.push(payload.subarray(i, i + CIPHER_SLICE)));
  }
  sink.take(decryptor.final());
  if (sink.end !== out.length) throw new AgeError('corrupt', 'Unexpected plaintext size.');
  return out;
}
