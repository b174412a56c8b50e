import { describe, expect, it } from 'vitest';
import { ERROR_CODES, KesiError, toErrorData } from '../../shared/errors';

describe('KesiError', () => {
  it('carries a code and the caseworker message', () => {
    const e = new KesiError('WRONG_PASSPHRASE');
    expect(e.code).toBe('WRONG_PASSPHRASE');
    expect(e.message).toBe(ERROR_CODES.WRONG_PASSPHRASE);
  });
  it('hides the internals of unknown errors', () => {
    expect(toErrorData(new Error('/secret/path'))).toEqual({
      code: 'INTERNAL',
      message: ERROR_CODES.INTERNAL,
    });
  });
});
