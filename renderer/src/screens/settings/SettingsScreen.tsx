// The signed-in user's settings: their passphrase, the auto-lock time, the language.
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { AutoLockMinutes } from '../../../../shared/contract';
import { kesi } from '../../api';
import { useAction } from '../../app/hooks';
import type { ScreenProps } from '../../app/screen';
import { useSession } from '../../app/session';
import { ErrorMessage } from '../../components/ErrorMessage';
import { TextField } from '../../components/Field';
import { LanguageSelect } from '../../components/LanguageSelect';
import { NewPassphraseFields } from '../../components/NewPassphraseFields';
import { newPassphraseProblem } from '../../lib/passphrase';

export function SettingsScreen(_props: ScreenProps): ReactNode {
  const { t } = useTranslation('settings');
  return (
    <section
      className="screen settings"
      aria-labelledby="settings-heading"
      data-testid="settings-screen"
    >
      <h1 id="settings-heading">{t('title')}</h1>
      <section className="card" aria-labelledby="lang-heading">
        <h2 id="lang-heading">{t('language')}</h2>
        <LanguageSelect testId="settings-language" />
      </section>
      <AutoLockForm />
      <PassphraseForm />
    </section>
  );
}

function AutoLockForm(): ReactNode {
  const { t } = useTranslation('settings');
  const session = useSession();
  const current = session.status?.autoLockMinutes ?? 10;
  const [value, setValue] = useState(String(current));
  const [saved, setSaved] = useState(false);
  const parsed = AutoLockMinutes.safeParse(Number(value));
  const valid = value.trim() !== '' && parsed.success;
  const action = useAction(async () => {
    if (!parsed.success) return null;
    const status = await kesi.setAutoLock(parsed.data);
    await session.refreshStatus();
    return status;
  });
  return (
    <form
      className="card form"
      aria-labelledby="autolock-heading"
      data-testid="autolock-form"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        setSaved(false);
        if (!valid) return;
        void action.run().then((s) => {
          if (s) setSaved(true);
        });
      }}
    >
      <h2 id="autolock-heading">{t('autoLock.title')}</h2>
      <p>{t('autoLock.intro')}</p>
      <TextField
        label={t('autoLock.minutes')}
        name="autolock-minutes"
        type="number"
        min={1}
        max={480}
        hint={t('autoLock.hint', { current })}
        value={value}
        onChange={(v) => {
          setValue(v);
          setSaved(false);
        }}
        error={!valid ? t('autoLock.invalid') : undefined}
      />
      <ErrorMessage error={action.error} />
      {saved ? (
        <p className="success" role="status">
          {t('autoLock.saved', { count: parsed.success ? parsed.data : current })}
        </p>
      ) : null}
      <div className="actions">
        <button
          type="submit"
          className="primary"
          disabled={action.busy || !valid}
          data-testid="autolock-save"
        >
          {t('common:save')}
        </button>
      </div>
    </form>
  );
}

function PassphraseForm(): ReactNode {
  const { t } = useTranslation('settings');
  const session = useSession();
  const [pass, setPass] = useState('');
  const [confirm, setConfirm] = useState('');
  const [tried, setTried] = useState(false);
  const [saved, setSaved] = useState(false);
  const problem = newPassphraseProblem(pass, confirm);
  const action = useAction(async () => {
    await kesi.changePassphrase(session.user.name, pass);
    return true as const;
  });
  return (
    <form
      className="card form"
      aria-labelledby="pass-heading"
      data-testid="passphrase-form"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        setTried(true);
        setSaved(false);
        if (problem !== null) return;
        void action.run().then((done) => {
          if (!done) return;
          setPass('');
          setConfirm('');
          setTried(false);
          setSaved(true);
        });
      }}
    >
      <h2 id="pass-heading">{t('passphrase.title')}</h2>
      <p>{t('passphrase.intro', { name: session.user.name })}</p>
      <NewPassphraseFields
        name="own-passphrase"
        passphrase={pass}
        confirm={confirm}
        onPassphrase={setPass}
        onConfirm={setConfirm}
        problem={problem}
        showProblem={tried}
      />
      <ErrorMessage error={action.error} />
      {saved ? (
        <p className="success" role="status">
          {t('passphrase.saved')}
        </p>
      ) : null}
      <div className="actions">
        <button
          type="submit"
          className="primary"
          disabled={action.busy}
          data-testid="passphrase-save"
        >
          {t('passphrase.save')}
        </button>
      </div>
    </form>
  );
}
