// Checks of a new passphrase before it is sent. The service checks again (WEAK_PASSPHRASE);
// this only saves a round trip and says what is wrong next to the field.

/** Equal to MIN_PASSPHRASE_LENGTH in electron/vault/vault.ts. */
export const MIN_PASSPHRASE_LENGTH = 8;

export type PassphraseProblem = 'required' | 'tooShort' | 'mismatch';

/** The problem with a new passphrase and its confirmation, or null. Counts characters, not bytes. */
export function newPassphraseProblem(
  passphrase: string,
  confirm: string,
): PassphraseProblem | null {
  if (passphrase === '') return 'required';
  if ([...passphrase].length < MIN_PASSPHRASE_LENGTH) return 'tooShort';
  if (passphrase !== confirm) return 'mismatch';
  return null;
}
