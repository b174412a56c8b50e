// Sign in: choose the user, enter the passphrase; or, with the recovery key, set a new one.
import { useRef, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { VaultStatus, WhoAmI } from '../../../../shared/contract';
import { kesi } from '../../api';
import { useAction } from '../../app/hooks';
import { ErrorMessage } from '../../components/ErrorMessage';
import { SelectField, TextField } from '../../components/Field';
import { NewPassphraseFields } from '../../components/NewPassphraseFields';
import { LanguageSelect } from '../../components/LanguageSelect';
import { normaliseRecoveryKey } from '../../lib/format';
import { newPassphraseProblem } from '../../lib/passphrase';

interface Props {
  status: VaultStatus;
  onUnlocked(user: WhoAmI): void | Promise<void>;
}

export function UnlockScreen(props: Props): ReactNode {
  const { t } = useTranslation('unlock');
  const [mode, setMode] = useState<'passphrase' | 'recovery'>('passphrase');
  const users = props.status.users;
  const [user, setUser] = useState(users[0]?.name ?? '');

  return (
    <main className="centre-page unlock" data-testid="unlock-screen">
      <div className="centre-top">
        <LanguageSelect compact />
      </div>
      <h1>{t('title', { vault: props.status.name ?? t('common:appName') })}</h1>
      <p className="muted">{t('folder', { dir: props.status.dir })}</p>
      {mode === 'passphrase' ? (
        <PassphraseForm
          users={users}
          user={user}
          setUser={setUser}
          onUnlocked={props.onUnlocked}
          onRecover={() => setMode('recovery')}
        />
      ) : (
        <RecoveryForm
          users={users}
          user={user}
          setUser={setUser}
          onUnlocked={props.onUnlocked}
          onBack={() => setMode('passphrase')}
        />
      )}
    </main>
  );
}

interface FormProps {
  users: VaultStatus['users'];
  user: string;
  setUser(name: string): void;
  onUnlocked(user: WhoAmI): void | Promise<void>;
}

function UserField(props: FormProps): ReactNode {
  const { t } = useTranslation('unlock');
  return (
    <SelectField
      label={t('user')}
      name="user"
      required
      value={props.user}
      onChange={props.setUser}
      options={props.users.map((u) => ({
        value: u.name,
        label: `${u.name} (${t(`domain:role.${u.role}`)})`,
      }))}
    />
  );
}

function PassphraseForm(props: FormProps & { onRecover(): void }): ReactNode {
  const { t } = useTranslation('unlock');
  const [passphrase, setPassphrase] = useState('');
  const formRef = useRef<HTMLFormElement>(null);
  const action = useAction(() => kesi.unlock({ user: props.user, passphrase }));
  return (
    <form
      noValidate
      ref={formRef}
      className="card form"
      aria-labelledby="unlock-heading"
      onSubmit={(e) => {
        e.preventDefault();
        if (props.user === '' || passphrase === '') return;
        void action.run().then((who) => {
          setPassphrase('');
          if (who) void props.onUnlocked(who);
          // Refused: the emptied field takes the focus back (the disabled button would drop it).
          else
            formRef.current?.querySelector<HTMLInputElement>('input[name="passphrase"]')?.focus();
        });
      }}
    >
      <h2 id="unlock-heading">{t('heading')}</h2>
      <UserField {...props} />
      <TextField
        label={t('passphrase')}
        name="passphrase"
        type="password"
        required
        autoFocus
        autoComplete="current-password"
        value={passphrase}
        onChange={setPassphrase}
      />
      <ErrorMessage error={action.error} testId="unlock-error" />
      <div className="actions">
        <button
          type="submit"
          className="primary"
          disabled={action.busy || props.user === '' || passphrase === ''}
          data-testid="unlock-submit"
        >
          {action.busy ? t('unlocking') : t('unlock')}
        </button>
        <button type="button" className="link" onClick={props.onRecover} data-testid="to-recovery">
          {t('forgot')}
        </button>
      </div>
    </form>
  );
}

function RecoveryForm(props: FormProps & { onBack(): void }): ReactNode {
  const { t } = useTranslation('unlock');
  const [key, setKey] = useState('');
  const [passphrase, setPassphrase] = useState('');
  const [confirm, setConfirm] = useState('');
  const [tried, setTried] = useState(false);
  const problem = newPassphraseProblem(passphrase, confirm);
  const keyMissing = key.trim() === '';
  const action = useAction(() =>
    kesi.unlockWithRecoveryKey({
      user: props.user,
      recoveryKey: normaliseRecoveryKey(key),
      newPassphrase: passphrase,
    }),
  );
  return (
    <form
      noValidate
      className="card form"
      aria-labelledby="recovery-heading"
      onSubmit={(e) => {
        e.preventDefault();
        setTried(true);
        if (problem !== null || keyMissing || props.user === '') return;
        void action.run().then((who) => {
          if (!who) return;
          setKey('');
          setPassphrase('');
          setConfirm('');
          void props.onUnlocked(who);
        });
      }}
    >
      <h2 id="recovery-heading">{t('recovery.heading')}</h2>
      <p>{t('recovery.intro')}</p>
      <UserField {...props} />
      <TextField
        label={t('recovery.key')}
        name="recoveryKey"
        type="password"
        required
        autoFocus
        spellCheck={false}
        hint={t('recovery.keyHint')}
        value={key}
        onChange={setKey}
        error={tried && keyMissing ? t('recovery.keyRequired') : undefined}
      />
      <NewPassphraseFields
        name="newPassphrase"
        confirmName="confirmPassphrase"
        passphrase={passphrase}
        confirm={confirm}
        onPassphrase={setPassphrase}
        onConfirm={setConfirm}
        problem={problem}
        showProblem={tried}
      />
      <ErrorMessage error={action.error} testId="recovery-error" />
      <div className="actions">
        <button
          type="submit"
          className="primary"
          disabled={action.busy}
          data-testid="recover-submit"
        >
          {action.busy ? t('unlocking') : t('recovery.submit')}
        </button>
        <button type="button" className="link" onClick={props.onBack}>
          {t('recovery.back')}
        </button>
      </div>
    </form>
  );
}
