// Errors of the age layer. The vault maps them to KesiError codes (e.g. no-match on a passphrase
// slot -> WRONG_PASSPHRASE, anything else on a blob -> BLOB_CORRUPT); this layer stays generic.

export type AgeErrorKind =
  /** No identity opened any stanza: wrong key or passphrase. */
  | 'no-match'
  /** The header is malformed, or a stanza addressed to one of our identities is invalid. */
  | 'bad-header'
  /** The file key was recovered but the header MAC does not verify: the header was altered. */
  | 'bad-mac'
  /** A payload chunk failed authentication, or data follows the final chunk. */
  | 'corrupt'
  /** The input ends early: more bytes are needed, or the file was cut short. */
  | 'truncated'
  /** Valid age, but not something we handle (another version, armor, a work factor above the
   *  limit), or an invalid argument on the encrypting side. */
  | 'unsupported';

export class AgeError extends Error {
  readonly kind: AgeErrorKind;

  constructor(kind: AgeErrorKind, message: string) {
    super(message);
    this.name = 'AgeError';
    this.kind = kind;
  }
}

export function isAgeError(e: unknown, kind?: AgeErrorKind): e is AgeError {
  return e instanceof AgeError && (kind === undefined || e.kind === kind);
}
