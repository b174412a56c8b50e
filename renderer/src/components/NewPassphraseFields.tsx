// A new passphrase typed twice, with its problem under the field once the form was submitted.
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { MIN_PASSPHRASE_LENGTH, type PassphraseProblem } from '../lib/passphrase';
import { TextField } from './Field';

export function NewPassphraseFields(props: {
  name: string;
  passphrase: string;
  confirm: string;
  onPassphrase(v: string): void;
  onConfirm(v: string): void;
  problem: PassphraseProblem | null;
  showProblem: boolean;
  autoFocus?: boolean;
  /** The second field's name; default `${name}-confirm`. */
  confirmName?: string;
  /** Labels other than "New passphrase" / "New passphrase again" (e.g. a first vault's). */
  labels?: { passphrase: string; confirm: string };
}): ReactNode {
  const { t } = useTranslation('unlock');
  const p = props.showProblem ? props.problem : null;
  return (
    <>
      <TextField
        label={props.labels?.passphrase ?? t('recovery.newPassphrase')}
        name={props.name}
        type="password"
        required
        autoFocus={props.autoFocus}
        autoComplete="new-password"
        hint={t('passphraseHint', { min: MIN_PASSPHRASE_LENGTH })}
        value={props.passphrase}
        onChange={props.onPassphrase}
        error={
          p === 'required' || p === 'tooShort'
            ? t(`problem.${p}`, { min: MIN_PASSPHRASE_LENGTH })
            : undefined
        }
      />
      <TextField
        label={props.labels?.confirm ?? t('recovery.confirm')}
        name={props.confirmName ?? `${props.name}-confirm`}
        type="password"
        required
        autoComplete="new-password"
        value={props.confirm}
        onChange={props.onConfirm}
        error={p === 'mismatch' ? t('problem.mismatch') : undefined}
      />
    </>
  );
}
