import type { ReactNode } from 'react';
import { errorCodeOf } from '../../../shared/envelope';
import { useErrorText } from '../app/hooks';
import { Icon } from './Icon';

/** Failures that mean the evidence or its record may have been altered: the only red ones. */
const INTEGRITY = new Set([
  'BLOB_CORRUPT',
  'BLOB_MISSING',
  'HASH_MISMATCH',
  'CUSTODY_BROKEN',
  'VAULT_CORRUPT',
]);

export function isIntegrityFailure(error: unknown): boolean {
  return INTEGRITY.has(errorCodeOf(error) ?? '');
}

/** The words for a failed call, announced to screen readers; nothing when there is no error. */
export function ErrorMessage(props: { error: unknown; testId?: string }): ReactNode {
  const text = useErrorText();
  if (props.error === null || props.error === undefined) return null;
  const integrity = isIntegrityFailure(props.error);
  return (
    <p
      className={integrity ? 'error integrity' : 'error'}
      role="alert"
      data-testid={props.testId ?? 'error'}
    >
      <Icon name={integrity ? 'cross' : 'warning'} />
      <span>{text(props.error)}</span>
    </p>
  );
}
