// A case's persons. Protected persons appear by pseudonym; their real name is shown only on
// request, with a reason, and the service logs the view.
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { PersonView, RevealedPersonView } from '../../../../shared/contract';
import { PERSON_ROLES } from '../../../../shared/domain';
import { kesi } from '../../api';
import { useAction, useCall } from '../../app/hooks';
import { useSession } from '../../app/session';
import { ErrorMessage } from '../../components/ErrorMessage';
import { CheckField, SelectField, TextField } from '../../components/Field';
import { useProblemText } from '../../components/useProblemText';
import { NONE } from '../../lib/format';
import { buildPersonInput, emptyPersonValues, type PersonFormValues } from '../../lib/personForm';
import type { FieldProblems } from '../../lib/problems';

export function PersonsTab(props: { caseRef: string }): ReactNode {
  const { t } = useTranslation('case');
  const session = useSession();
  const persons = useCall(() => kesi.listPersons(props.caseRef), [props.caseRef]);
  const [adding, setAdding] = useState(false);
  const [revealed, setRevealed] = useState<Record<number, RevealedPersonView>>({});

  return (
    <div data-testid="persons-tab">
      <div className="screen-head">
        <h2>{t('persons.title')}</h2>
        {session.can('persons.write') && !adding ? (
          <button type="button" onClick={() => setAdding(true)} data-testid="add-person">
            {t('persons.add')}
          </button>
        ) : null}
      </div>
      {adding ? (
        <PersonForm
          caseRef={props.caseRef}
          onCancel={() => setAdding(false)}
          onSaved={(p) => {
            setAdding(false);
            persons.setData((prev) => [...(prev ?? []), p]);
          }}
        />
      ) : null}
      <ErrorMessage error={persons.error} />
      {persons.data && persons.data.length === 0 ? (
        <p className="muted">{t('persons.empty')}</p>
      ) : null}
      {persons.data && persons.data.length > 0 ? (
        <table className="plain" data-testid="persons-table">
          <caption className="visually-hidden">{t('persons.title')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('persons.name')}</th>
              <th scope="col">{t('persons.role')}</th>
              <th scope="col">{t('persons.flags')}</th>
              <th scope="col">{t('persons.serviceNumber')}</th>
              <th scope="col">{t('persons.contact')}</th>
            </tr>
          </thead>
          <tbody>
            {persons.data.map((p) => (
              <PersonRow
                key={p.id}
                person={p}
                revealed={revealed[p.id]}
                onRevealed={(shown) => setRevealed((r) => ({ ...r, [p.id]: shown }))}
              />
            ))}
          </tbody>
        </table>
      ) : null}
    </div>
  );
}

function PersonRow(props: {
  person: PersonView;
  revealed: RevealedPersonView | undefined;
  onRevealed(shown: RevealedPersonView): void;
}): ReactNode {
  const { t } = useTranslation('case');
  const session = useSession();
  const p = props.person;
  const [asking, setAsking] = useState(false);
  const [reason, setReason] = useState('');
  const [tried, setTried] = useState(false);
  const action = useAction(() => kesi.revealPerson(p.id, reason.trim()));
  const name = props.revealed?.fullName ?? p.fullName;
  // A protected person's contact is withheld with the name, and shown with it.
  const contact = props.revealed ? props.revealed.contact : p.contact;
  return (
    <tr data-testid={`person-${p.id}`}>
      <td>
        <strong>{p.displayName}</strong>
        {p.protected && name ? (
          <div className="revealed" data-testid="revealed-name">
            {t('persons.realName')}: {name}
          </div>
        ) : null}
        {p.protected && !name && session.can('persons.reveal') ? (
          asking ? (
            <form
              noValidate
              className="reveal-form"
              onSubmit={(e) => {
                e.preventDefault();
                setTried(true);
                if (reason.trim() === '') return;
                void action.run().then((r) => {
                  if (!r) return;
                  setAsking(false);
                  setReason('');
                  props.onRevealed(r);
                });
              }}
            >
              <TextField
                label={t('persons.revealReason')}
                name="revealReason"
                required
                autoFocus
                hint={t('persons.revealHint')}
                value={reason}
                onChange={setReason}
                error={tried && reason.trim() === '' ? t('forms:custom.reason') : undefined}
              />
              <ErrorMessage error={action.error} />
              <div className="actions">
                <button type="submit" className="small primary" disabled={action.busy}>
                  {t('persons.revealConfirm')}
                </button>
                <button type="button" className="small" onClick={() => setAsking(false)}>
                  {t('common:cancel')}
                </button>
              </div>
            </form>
          ) : (
            <div>
              <button
                type="button"
                className="small"
                onClick={() => setAsking(true)}
                aria-label={t('persons.revealFor', { name: p.displayName })}
                data-testid="reveal-person"
              >
                {t('persons.reveal')}
              </button>
            </div>
          )
        ) : null}
      </td>
      <td>{t(`domain:personRole.${p.role}`)}</td>
      <td>
        {p.protected ? <span className="badge protected">{t('persons.protected')}</span> : null}{' '}
        {p.minor ? <span className="badge">{t('persons.minor')}</span> : null}
      </td>
      <td>{p.serviceNumber ?? NONE}</td>
      <td>
        {p.protected && !props.revealed ? (
          <span className="muted">{t('persons.withheld')}</span>
        ) : (
          (contact ?? NONE)
        )}
      </td>
    </tr>
  );
}

function PersonForm(props: {
  caseRef: string;
  onSaved(p: PersonView): void;
  onCancel(): void;
}): ReactNode {
  const { t } = useTranslation('case');
  const [v, setV] = useState<PersonFormValues>(emptyPersonValues);
  const [problems, setProblems] = useState<FieldProblems | null>(null);
  const problemText = useProblemText(problems);
  const set =
    <K extends keyof PersonFormValues>(k: K) =>
    (value: PersonFormValues[K]) =>
      setV((prev) => ({ ...prev, [k]: value }));
  const action = useAction(async () => {
    const r = buildPersonInput(v);
    if (!r.ok) {
      setProblems(r.problems);
      return null;
    }
    setProblems(null);
    return kesi.addPerson(props.caseRef, r.value);
  });
  return (
    <form
      className="card form"
      aria-labelledby="person-form-heading"
      data-testid="person-form"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void action.run().then((p) => {
          if (p) props.onSaved(p);
        });
      }}
    >
      <h3 id="person-form-heading">{t('persons.add')}</h3>
      <div className="form-grid">
        <SelectField
          label={t('persons.role')}
          name="role"
          required
          value={v.role}
          onChange={(x) => set('role')(x as PersonFormValues['role'])}
          options={PERSON_ROLES.map((r) => ({ value: r, label: t(`domain:personRole.${r}`) }))}
        />
        <TextField
          label={t('persons.fullName')}
          name="fullName"
          required
          autoFocus
          value={v.fullName}
          onChange={set('fullName')}
          error={problemText('fullName')}
        />
        <TextField
          label={t('persons.pseudonym')}
          name="pseudonym"
          required={v.protected}
          hint={t('persons.pseudonymHint')}
          value={v.pseudonym}
          onChange={set('pseudonym')}
          error={problemText('pseudonym')}
        />
        <TextField
          label={t('persons.serviceNumber')}
          name="serviceNumber"
          value={v.serviceNumber}
          onChange={set('serviceNumber')}
          error={problemText('serviceNumber')}
        />
        <TextField
          label={t('persons.contact')}
          name="contact"
          value={v.contact}
          onChange={set('contact')}
          error={problemText('contact')}
        />
      </div>
      <CheckField
        label={t('persons.protectedLabel')}
        name="protected"
        hint={t('persons.protectedHint')}
        checked={v.protected}
        onChange={set('protected')}
      />
      <CheckField
        label={t('persons.minorLabel')}
        name="minor"
        checked={v.minor}
        onChange={set('minor')}
      />
      <ErrorMessage error={action.error} />
      <div className="actions">
        <button type="submit" className="primary" disabled={action.busy} data-testid="person-save">
          {action.busy ? t('common:saving') : t('persons.save')}
        </button>
        <button type="button" onClick={props.onCancel}>
          {t('common:cancel')}
        </button>
      </div>
    </form>
  );
}
