// Typed error codes. Every failure that reaches a caseworker carries one of these codes and a
// message written for them; the code is stable for scripts (`kesi --json`) and tests.

export const ERROR_CODES = {
  // vault and keys
  VAULT_NOT_FOUND: 'There is no Kesi vault in this folder.',
  VAULT_EXISTS: 'A Kesi vault already exists in this folder.',
  VAULT_TOO_NEW: 'This vault was made by a newer version of Kesi. Update Kesi to open it.',
  VAULT_CORRUPT: 'The vault is damaged.',
  VAULT_LOCKED: 'The vault is locked. Unlock it first.',
  WRONG_PASSPHRASE: 'The passphrase is not correct.',
  UNLOCK_DELAYED: 'Too many wrong passphrases. Wait before trying again.',
  WRONG_RECOVERY_KEY: 'That recovery or escrow key does not open this vault.',
  WEAK_PASSPHRASE: 'The passphrase is too short.',
  // users and roles
  USER_NOT_FOUND: 'There is no such user.',
  USER_EXISTS: 'A user with that name already exists.',
  LAST_ADMIN: 'The last administrator cannot be removed.',
  FORBIDDEN: 'Your role does not allow this.',
  // catalogue
  CASE_NOT_FOUND: 'There is no case with that reference.',
  CASE_EXISTS: 'A case with that reference already exists.',
  ITEM_NOT_FOUND: 'There is no such item.',
  PERSON_NOT_FOUND: 'There is no such person.',
  CATALOGUE_KEY_WRONG:
    'The vault key does not open the catalogue: it is damaged or belongs to another vault.',
  CATALOGUE_NEEDS_UPGRADE:
    'The catalogue was made by an older version of Kesi. Open the vault for writing once to upgrade it.',
  EXHIBIT_NUMBER_EXISTS: 'That exhibit number is already used in this case.',
  BUNDLE_NOT_FOUND: 'There is no such bundle.',
  BUNDLE_EXHIBIT_MISSING: 'An item named in the bundle is no longer in the case.',
  BUNDLE_EXHIBIT_UNREADABLE: 'An exhibit cannot be put in the bundle.',
  BUNDLE_OTHER_SIGNER:
    'This bundle was signed by another user; only they can make its signed file again.',
  BUNDLE_WRITE_FAILED:
    'The bundle file could not be written there. Check the folder exists, is writable and has space.',
  // blobs and files
  BLOB_MISSING: 'The stored file for this item is missing from the vault.',
  BLOB_CORRUPT: 'The stored file for this item has been altered or damaged.',
  HASH_MISMATCH: 'The file does not have the expected SHA-256.',
  FILE_NOT_FOUND: 'The file was not found.',
  FILE_UNREADABLE: 'The file cannot be read.',
  FILE_EMPTY: 'The file is empty.',
  FILE_IS_SYMLINK: 'The path is a symbolic link; add the file it points to instead.',
  FILE_NOT_REGULAR: 'The path is not a regular file.',
  FILE_TOO_LARGE: 'The file is larger than Kesi accepts.',
  FILE_NAME_INVALID: 'The file name cannot be stored.',
  UNSUPPORTED_TYPE: 'Kesi does not accept this type of file.',
  EXECUTABLE_REFUSED: 'Programs and scripts are not accepted as evidence.',
  CORRUPT_IMAGE: 'The image is damaged or incomplete.',
  IMAGE_TOO_LARGE: 'The image has too many pixels to process safely.',
  CORRUPT_PDF: 'The PDF is damaged and cannot be read.',
  ENCRYPTED_PDF: 'The PDF is protected by a password.',
  PREVIEW_UNAVAILABLE:
    'Kesi cannot make a preview of this file on this computer. The original is kept unchanged.',
  CANCELLED: 'The operation was cancelled.',
  // custody
  CUSTODY_BROKEN: 'The custody log does not verify.',
  // generic
  BAD_INPUT: 'The request is not valid.',
  INTERNAL: 'Something went wrong inside Kesi.',
  // the app window
  JOB_RUNNING: 'That work is already running.',
  NO_AUDIT_REPORT: 'Run the audit first: there is no report to save yet.',
  SAVE_PATH_NOT_CHOSEN: 'Choose where to save the file first.',
  FILE_WRITE_FAILED:
    'The file could not be saved there. Check the folder exists, is writable and has space.',
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

export interface KesiErrorData {
  code: ErrorCode;
  message: string;
  details?: Record<string, unknown>;
}

/** The one error type the service throws; it crosses IPC and the CLI as {code, message}. */
export class KesiError extends Error {
  readonly code: ErrorCode;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, message?: string, details?: Record<string, unknown>) {
    super(message ?? ERROR_CODES[code]);
    this.name = 'KesiError';
    this.code = code;
    this.details = details;
  }

  toData(): KesiErrorData {
    return this.details === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, details: this.details };
  }
}

export function isKesiError(e: unknown): e is KesiError {
  return e instanceof KesiError;
}

/** Any thrown value as error data; unknown errors become INTERNAL without leaking internals. */
export function toErrorData(e: unknown): KesiErrorData {
  if (isKesiError(e)) return e.toData();
  return { code: 'INTERNAL', message: ERROR_CODES.INTERNAL };
}
