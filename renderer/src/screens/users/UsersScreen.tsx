// Users of the vault (administrators): add with a role, reset a passphrase, remove.
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { UserView } from '../../../../shared/contract';
import { ROLES, UserName, type Role } from '../../../../shared/domain';
import { kesi } from '../../api';
import { useAction, useCall } from '../../app/hooks';
import type { ScreenProps } from '../../app/screen';
import { useSession } from '../../app/session';
import { ErrorMessage } from '../../components/ErrorMessage';
import { SelectField, TextField } from '../../components/Field';
import { NewPassphraseFields } from '../../components/NewPassphraseFields';
import { eat } from '../../lib/format';
import { newPassphraseProblem } from '../../lib/passphrase';

export function UsersScreen(_props: ScreenProps): ReactNode {
  const { t } = useTranslation('users');
  const session = useSession();
  const users = useCall(() => kesi.listUsers(), []);
  const [adding, setAdding] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  if (!session.can('users.manage')) {
    return (
      <p className="error" role="alert">
        {t('errors:FORBIDDEN')}
      </p>
    );
  }
  return (
    <section className="screen" aria-labelledby="users-heading" data-testid="users-screen">
      <div className="screen-head">
        <h1 id="users-heading">{t('title')}</h1>
        {!adding ? (
          <button
            type="button"
            className="primary"
            onClick={() => setAdding(true)}
            data-testid="add-user"
          >
            {t('add')}
          </button>
        ) : null}
      </div>
      {notice ? (
        <p className="success" role="status">
          {notice}
        </p>
      ) : null}
      {adding ? (
        <AddUserForm
          onCancel={() => setAdding(false)}
          onSaved={(u) => {
            setAdding(false);
            setNotice(t('added', { name: u.name }));
            users.setData((prev) => [...(prev ?? []), u]);
          }}
        />
      ) : null}
      <ErrorMessage error={users.error} />
      {users.data ? (
        <table className="plain" data-testid="users-table">
          <caption className="visually-hidden">{t('title')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('name')}</th>
              <th scope="col">{t('role')}</th>
              <th scope="col">{t('keyId')}</th>
              <th scope="col">{t('created')}</th>
              <th scope="col">{t('state')}</th>
              <th scope="col">{t('actions')}</th>
            </tr>
          </thead>
          <tbody>
            {users.data.map((u) => (
              <UserRow
                key={u.id}
                user={u}
                self={u.name === session.user.name}
                onChanged={(msg) => {
                  setNotice(msg);
                  users.reload();
                }}
              />
            ))}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}

function UserRow(props: {
  user: UserView;
  self: boolean;
  onChanged(msg: string): void;
}): ReactNode {
  const { t } = useTranslation('users');
  const u = props.user;
  const [mode, setMode] = useState<'none' | 'reset' | 'remove'>('none');
  const [pass, setPass] = useState('');
  const [confirm, setConfirm] = useState('');
  const [tried, setTried] = useState(false);
  const problem = newPassphraseProblem(pass, confirm);
  // `true` when done: run() gives undefined on failure.
  const reset = useAction(async () => {
    await kesi.changePassphrase(u.name, pass);
    return true as const;
  });
  const remove = useAction(async () => {
    await kesi.removeUser(u.name);
    return true as const;
  });
  const removed = u.removedAt !== null;
  return (
    <tr data-testid={`user-${u.name}`}>
      <td>
        <strong>{u.name}</strong>
      </td>
      <td>{t(`domain:role.${u.role}`)}</td>
      <td className="mono">{u.keyId}</td>
      <td>{eat(u.createdAt)}</td>
      <td>
        {removed ? (
          <span className="badge">{t('removed', { at: eat(u.removedAt) })}</span>
        ) : (
          <span className="badge status-open">{t('active')}</span>
        )}
      </td>
      <td>
        {removed ? null : mode === 'none' ? (
          <div className="actions">
            <button type="button" className="small" onClick={() => setMode('reset')}>
              {t('reset')}
            </button>
            {!props.self ? (
              <button type="button" className="small danger" onClick={() => setMode('remove')}>
                {t('remove')}
              </button>
            ) : null}
          </div>
        ) : mode === 'reset' ? (
          <form
            noValidate
            onSubmit={(e) => {
              e.preventDefault();
              setTried(true);
              if (problem !== null) return;
              void reset.run().then((done) => {
                if (!done) return;
                setMode('none');
                setPass('');
                setConfirm('');
                setTried(false);
                props.onChanged(t('resetDone', { name: u.name }));
              });
            }}
          >
            <NewPassphraseFields
              name={`reset-${u.name}`}
              passphrase={pass}
              confirm={confirm}
              onPassphrase={setPass}
              onConfirm={setConfirm}
              problem={problem}
              showProblem={tried}
              autoFocus
            />
            <ErrorMessage error={reset.error} />
            <div className="actions">
              <button type="submit" className="small primary" disabled={reset.busy}>
                {t('resetConfirm')}
              </button>
              <button type="button" className="small" onClick={() => setMode('none')}>
                {t('common:cancel')}
              </button>
            </div>
          </form>
        ) : (
          <div role="group" aria-label={t('removeQuestion', { name: u.name })}>
            <p>{t('removeQuestion', { name: u.name })}</p>
            <ErrorMessage error={remove.error} />
            <div className="actions">
              <button
                type="button"
                className="small danger"
                disabled={remove.busy}
                autoFocus
                onClick={() =>
                  void remove.run().then((done) => {
                    if (!done) return;
                    setMode('none');
                    props.onChanged(t('removedDone', { name: u.name }));
                  })
                }
              >
                {t('removeConfirm')}
              </button>
              <button type="button" className="small" onClick={() => setMode('none')}>
                {t('common:cancel')}
              </button>
            </div>
          </div>
        )}
      </td>
    </tr>
  );
}

function AddUserForm(props: { onSaved(u: UserView): void; onCancel(): void }): ReactNode {
  const { t } = useTranslation('users');
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>('investigator');
  const [pass, setPass] = useState('');
  const [confirm, setConfirm] = useState('');
  const [tried, setTried] = useState(false);
  const problem = newPassphraseProblem(pass, confirm);
  const nameOk = UserName.safeParse(name).success;
  const action = useAction(() => kesi.addUser({ name, role, passphrase: pass }));
  return (
    <form
      className="card form"
      aria-labelledby="add-user-heading"
      data-testid="add-user-form"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        setTried(true);
        if (problem !== null || !nameOk) return;
        void action.run().then((u) => {
          if (u) props.onSaved(u);
        });
      }}
    >
      <h2 id="add-user-heading">{t('add')}</h2>
      <div className="form-grid">
        <TextField
          label={t('name')}
          name="user-name"
          required
          autoFocus
          hint={t('firstRun:adminHint')}
          value={name}
          onChange={setName}
          error={tried && !nameOk ? t('firstRun:adminInvalid') : undefined}
        />
        <SelectField
          label={t('role')}
          name="user-role"
          required
          value={role}
          onChange={(v) => setRole(v as Role)}
          options={ROLES.map((r) => ({ value: r, label: t(`domain:role.${r}`) }))}
          hint={t(`roleHint.${role}`)}
        />
      </div>
      <NewPassphraseFields
        name="user-passphrase"
        passphrase={pass}
        confirm={confirm}
        onPassphrase={setPass}
        onConfirm={setConfirm}
        problem={problem}
        showProblem={tried}
      />
      <ErrorMessage error={action.error} />
      <div className="actions">
        <button type="submit" className="primary" disabled={action.busy} data-testid="user-save">
          {action.busy ? t('common:saving') : t('addConfirm')}
        </button>
        <button type="button" onClick={props.onCancel}>
          {t('common:cancel')}
        </button>
      </div>
    </form>
  );
}
