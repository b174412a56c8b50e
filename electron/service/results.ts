import type { KesiErrorData } from '../../shared/errors';

/** The outcome of one file in a batch intake: the batch goes on after an error. */
export interface AddFileResult {
  file: string;
  status: 'added' | 'duplicate' | 'error';
  itemId?: number;
  sha256?: string;
  error?: KesiErrorData;
}
