// The textual age header: version line, recipient stanzas, MAC line.
//
//   age-encryption.org/v1
//   -> X25519 <base64 share>
//   <base64 body, 64 columns per line, ending with a line shorter than 64 (maybe empty)>
//   --- <base64 HMAC-SHA256 of everything up to and including "---">

import { timingSafeEqual } from 'node:crypto';
import { decodeBase64, encodeBase64 } from './base64';
import { AgeError } from './errors';
import { hkdf32, hmacSha256 } from './primitives';

export interface Stanza {
  type: string;
  /** The arguments after the type. */
  args: string[];
  body: Buffer;
}

export interface ParsedHeader {
  stanzas: Stanza[];
  /** The header up to and including "---": what the MAC covers. */
  macInput: Buffer;
  mac: Buffer;
  /** Bytes of the header, through the MAC line's newline. The payload starts here. */
  length: number;
}

const VERSION_LINE = 'age-encryption.org/v1';
const VERSION_PREFIX = 'age-encryption.org/';
const ARMOR_LINE = '-----BEGIN AGE ENCRYPTED FILE-----';
const COLUMNS = 64;
const BYTES_PER_LINE = (COLUMNS / 4) * 3;
const MAC_SIZE = 32;
const LF = 0x0a;

/** Version strings and stanza arguments: one or more visible ASCII characters. */
const VCHARS = /^[\x21-\x7e]+$/;
const BASE64_LINE = /^[A-Za-z0-9+/]*$/;
const PARTIAL_LINE = /^(-{0,3}|->|-> [\x21-\x7e ]*|--- [A-Za-z0-9+/]{0,43})$/;
const PARTIAL_BODY_LINE = /^[A-Za-z0-9+/]{0,64}$/;

function badHeader(message: string): never {
  throw new AgeError('bad-header', message);
}

export function headerMacKey(fileKey: Uint8Array): Buffer {
  return hkdf32(fileKey, Buffer.alloc(0), 'header');
}

export function computeHeaderMac(fileKey: Uint8Array, macInput: Uint8Array): Buffer {
  return hmacSha256(headerMacKey(fileKey), macInput);
}

export function verifyHeaderMac(fileKey: Uint8Array, header: ParsedHeader): boolean {
  return timingSafeEqual(computeHeaderMac(fileKey, header.macInput), header.mac);
}

function encodeStanza(s: Stanza): string {
  let out = `-> ${[s.type, ...s.args].join(' ')}\n`;
  // Always end with a line shorter than 64 columns, so a body of 48*k bytes gets an empty one.
  for (let off = 0; ; off += BYTES_PER_LINE) {
    const line = s.body.subarray(off, off + BYTES_PER_LINE);
    out += encodeBase64(line) + '\n';
    if (line.length < BYTES_PER_LINE) return out;
  }
}

export function encodeHeader(stanzas: readonly Stanza[], fileKey: Uint8Array): Buffer {
  for (const s of stanzas) {
    if (![s.type, ...s.args].every((a) => VCHARS.test(a))) {
      throw new AgeError('unsupported', 'Invalid stanza argument.');
    }
  }
  const macInput = Buffer.from(
    `${VERSION_LINE}\n${stanzas.map(encodeStanza).join('')}---`,
    'latin1',
  );
  const mac = computeHeaderMac(fileKey, macInput);
  return Buffer.concat([macInput, Buffer.from(` ${encodeBase64(mac)}\n`, 'latin1')]);
}

/** Refuses input that cannot start a v1 header as soon as that shows, so that a file that is
 *  not age at all fails as bad-header rather than as "need more bytes". */
function checkStart(buf: Buffer): void {
  const expected = `${VERSION_LINE}\n`;
  const head = buf.toString('latin1', 0, Math.min(buf.length, expected.length));
  if (expected.startsWith(head) || head.startsWith(VERSION_PREFIX)) return;
  if (ARMOR_LINE.startsWith(head)) return;
  badHeader('Not an age file.');
}

function checkVersion(line: string): void {
  if (line === VERSION_LINE) return;
  if (line === ARMOR_LINE) throw new AgeError('unsupported', 'Armored age files are not read.');
  if (line.startsWith(VERSION_PREFIX) && VCHARS.test(line.slice(VERSION_PREFIX.length))) {
    throw new AgeError('unsupported', 'Unsupported age format version.');
  }
  badHeader('Not an age file.');
}

/**
 * Parses the header at the start of `buf`. Returns null when `buf` ends before the header does;
 * throws AgeError for anything malformed. Checks syntax only: the MAC needs the file key.
 */
export function parseHeader(buf: Buffer): ParsedHeader | null {
  checkStart(buf);
  let pos = 0;
  const nextLine = (): string | null => {
    const end = buf.indexOf(LF, pos);
    if (end < 0) return null;
    const line = buf.toString('latin1', pos, end);
    pos = end + 1;
    return line;
  };

  // The input ends inside a line: fine if that line can still become valid.
  const incomplete = (canStart: RegExp): null => {
    if (!canStart.test(buf.toString('latin1', pos))) badHeader('Malformed header line.');
    return null;
  };

  const version = nextLine();
  if (version === null) return null;
  checkVersion(version);

  const stanzas: Stanza[] = [];
  for (;;) {
    const lineStart = pos;
    const line = nextLine();
    if (line === null) return incomplete(PARTIAL_LINE);
    if (line.startsWith('--- ')) {
      if (stanzas.length === 0) badHeader('The header has no recipient stanza.');
      const mac = decodeBase64(line.slice(4));
      if (mac === null || mac.length !== MAC_SIZE) badHeader('Malformed header MAC.');
      return { stanzas, macInput: buf.subarray(0, lineStart + 3), mac, length: pos };
    }
    if (!line.startsWith('-> ')) badHeader('Unexpected line in header.');
    const args = line.slice(3).split(' ');
    if (!args.every((a) => VCHARS.test(a))) badHeader('Invalid stanza argument.');
    let body = '';
    for (;;) {
      const bodyLine = nextLine();
      if (bodyLine === null) return incomplete(PARTIAL_BODY_LINE);
      if (bodyLine.length > COLUMNS || !BASE64_LINE.test(bodyLine)) {
        badHeader('Invalid stanza body line.');
      }
      body += bodyLine;
      if (bodyLine.length < COLUMNS) break;
    }
    const decoded = decodeBase64(body);
    if (decoded === null) badHeader('Stanza body is not canonical base64.');
    const [type, ...rest] = args as [string, ...string[]];
    stanzas.push({ type, args: rest, body: decoded });
  }
}
