// The age file format (age-encryption.org/v1) on node:crypto: X25519 and scrypt recipients.
// ChaCha20-Poly1305 falls back to pure JS where node:crypto lacks it (aead.ts).
// Files are readable by the age CLI, and files it writes are readable here.

export { AgeError, isAgeError } from './errors';
export type { AgeErrorKind } from './errors';
export type { Identity, Recipient } from './types';
export { DEFAULT_MAX_SCRYPT_LOG_N, DEFAULT_SCRYPT_LOG_N } from './types';
export { generateX25519Identity, isAgeIdentity, isAgeRecipient, recipientOf } from './keys';
export { AgeDecryptor, AgeEncryptor, HEADER_READ_SIZE, decrypt, encrypt } from './age';
export { CHUNK_SIZE, encryptedSize, plaintextSize } from './stream';
export { createDecryptStream, createEncryptStream } from './transform';
export { isChaCha20Poly1305Available } from './primitives';
// Which ChaCha20-Poly1305 is used: node:crypto where it has it, else a pure-JS fallback
// (Electron's BoringSSL lacks it). setAeadImplementation is for tests only.
export { currentAeadImplementation, setAeadImplementation } from './aead';
export type { AeadImplementation } from './aead';
