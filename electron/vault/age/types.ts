// Who a file is encrypted to, and what can open it.

export type Recipient =
  | { type: 'x25519'; recipient: string }
  /** logN defaults to DEFAULT_SCRYPT_LOG_N. An scrypt recipient must be the only recipient. */
  | { type: 'scrypt'; passphrase: string; logN?: number };

export type Identity =
  | { type: 'x25519'; identity: string }
  /** maxLogN (default DEFAULT_MAX_SCRYPT_LOG_N) bounds the work a file can make us do. */
  | { type: 'scrypt'; passphrase: string; maxLogN?: number };

/** 2^18 takes about 0.6 s here: unlocking a passphrase slot must take at least half a second. */
export const DEFAULT_SCRYPT_LOG_N = 18;

/** Files asking for more scrypt work than this are refused (2^22 needs 4 GiB and seconds). */
export const DEFAULT_MAX_SCRYPT_LOG_N = 22;
