// First run: create the vault and its administrator, then show the recovery key once.
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { CreatedVaultView, VaultStatus, WhoAmI } from '../../../../shared/contract';
import { UserName } from '../../../../shared/domain';
import { kesi } from '../../api';
import { useAction } from '../../app/hooks';
import { ErrorMessage } from '../../components/ErrorMessage';
import { NewPassphraseFields } from '../../components/NewPassphraseFields';
import { TextField } from '../../components/Field';
import { LanguageSelect } from '../../components/LanguageSelect';
import { newPassphraseProblem } from '../../lib/passphrase';
import { RecoveryKeyView } from './RecoveryKeyView';

interface Props {
  status: VaultStatus;
  onDone(user: WhoAmI): void | Promise<void>;
}

export function FirstRunScreen(props: Props): ReactNode {
  const [created, setCreated] = useState<CreatedVaultView | null>(null);
  if (created !== null) {
    return (
      <RecoveryKeyView
        created={created}
        onDone={() => {
          const user = created.user;
          setCreated(null); // the key leaves memory with this state
          void props.onDone(user);
        }}
      />
    );
  }
  return <CreateVaultForm status={props.status} onCreated={setCreated} />;
}

function CreateVaultForm(props: {
  status: VaultStatus;
  onCreated(created: CreatedVaultView): void;
}): ReactNode {
  const { t } = useTranslation('firstRun');
  const [name, setName] = useState('');
  const [admin, setAdmin] = useState('');
  const [passphrase, setPassphrase] = useState('');
  const [confirm, setConfirm] = useState('');
  const [escrow, setEscrow] = useState('');
  const [tried, setTried] = useState(false);
  const problem = newPassphraseProblem(passphrase, confirm);
  const adminOk = UserName.safeParse(admin).success;
  const action = useAction(() =>
    kesi.createVault({
      admin,
      passphrase,
      ...(name.trim() ? { name: name.trim() } : {}),
      ...(escrow.trim() ? { escrowRecipient: escrow.trim() } : {}),
    }),
  );
  return (
    <main className="centre-page first-run" data-testid="first-run-screen">
      <div className="centre-top">
        <LanguageSelect compact />
      </div>
      <h1>{t('title')}</h1>
      <p>{t('intro')}</p>
      <p className="muted">{t('unlock:folder', { dir: props.status.dir })}</p>
      <form
        noValidate
        className="card form"
        onSubmit={(e) => {
          e.preventDefault();
          setTried(true);
          if (problem !== null || !adminOk) return;
          void action.run().then((created) => {
            if (!created) return;
            setPassphrase('');
            setConfirm('');
            props.onCreated(created);
          });
        }}
      >
        <TextField
          label={t('vaultName')}
          name="vaultName"
          hint={t('vaultNameHint')}
          value={name}
          onChange={setName}
        />
        <TextField
          label={t('admin')}
          name="admin"
          required
          autoFocus
          autoComplete="username"
          hint={t('adminHint')}
          value={admin}
          onChange={setAdmin}
          error={tried && !adminOk ? t('adminInvalid') : undefined}
        />
        <NewPassphraseFields
          name="passphrase"
          confirmName="confirmPassphrase"
          labels={{ passphrase: t('passphrase'), confirm: t('confirm') }}
          passphrase={passphrase}
          confirm={confirm}
          onPassphrase={setPassphrase}
          onConfirm={setConfirm}
          problem={problem}
          showProblem={tried}
        />
        <details className="advanced">
          <summary>{t('advanced')}</summary>
          <TextField
            label={t('escrow')}
            name="escrowRecipient"
            hint={t('escrowHint')}
            spellCheck={false}
            value={escrow}
            onChange={setEscrow}
          />
        </details>
        <ErrorMessage error={action.error} testId="create-error" />
        <div className="actions">
          <button
            type="submit"
            className="primary"
            disabled={action.busy}
            data-testid="create-vault"
          >
            {action.busy ? t('creating') : t('create')}
          </button>
        </div>
      </form>
    </main>
  );
}
