// All cases: search, filters (status, county, incident date), a virtualised list, a new-case form.
import { useEffect, useMemo, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { CASE_STATUSES, type Case } from '../../../../shared/domain';
import { kesi } from '../../api';
import { useCall } from '../../app/hooks';
import { useNavigation } from '../../app/navigation';
import type { ScreenProps } from '../../app/screen';
import { useSession } from '../../app/session';
import { ErrorMessage } from '../../components/ErrorMessage';
import { SelectField, TextField } from '../../components/Field';
import { VirtualTable, type Column } from '../../components/VirtualTable';
import {
  NO_FILTERS,
  byIncidentDate,
  hasFilters,
  serviceFilter,
  type CaseListFilters,
} from '../../lib/caseFilters';
import { KENYA_COUNTIES } from '../../lib/counties';
import { NONE, eat } from '../../lib/format';
import { useDebounced } from '../../lib/useDebounced';
import { CaseForm } from './CaseForm';

export function CasesScreen(_props: ScreenProps): ReactNode {
  const { t } = useTranslation('cases');
  const { navigate } = useNavigation();
  const session = useSession();
  const [filters, setFilters] = useState<CaseListFilters>(NO_FILTERS);
  const [creating, setCreating] = useState(false);
  const text = useDebounced(filters.text, 250);
  const query = useMemo(
    () => serviceFilter({ ...filters, text }),
    [filters.status, filters.county, text],
  );
  const cases = useCall(() => kesi.listCases(query), [JSON.stringify(query)]);
  const shown = useMemo(
    () => byIncidentDate(cases.data ?? [], filters.from, filters.to),
    [cases.data, filters.from, filters.to],
  );
  const set = (key: keyof CaseListFilters) => (v: string) =>
    setFilters((f) => ({ ...f, [key]: v }));

  const columns: Column<Case>[] = [
    {
      id: 'ref',
      header: t('field.ref'),
      width: 'minmax(9rem, 1fr)',
      cell: (c) => <strong>{c.ref}</strong>,
    },
    {
      id: 'title',
      header: t('field.title'),
      width: 'minmax(12rem, 3fr)',
      cell: (c) => c.title,
      className: 'ellipsis',
    },
    {
      id: 'county',
      header: t('field.county'),
      width: 'minmax(7rem, 1fr)',
      cell: (c) => c.county ?? NONE,
    },
    {
      id: 'incidentDate',
      header: t('field.incidentDate'),
      width: '8.5rem',
      cell: (c) => c.incidentDate ?? NONE,
    },
    {
      id: 'status',
      header: t('field.status'),
      width: '8.5rem',
      cell: (c) => (
        <span className={`badge status-${c.status}`}>{t(`domain:status.${c.status}`)}</span>
      ),
    },
    {
      id: 'updatedAt',
      header: t('field.updatedAt'),
      width: '12.5rem',
      cell: (c) => eat(c.updatedAt),
    },
  ];

  useEffect(() => {
    if (!creating) return;
    document.getElementById('case-form-heading')?.scrollIntoView({ block: 'nearest' });
  }, [creating]);

  return (
    <section
      className="screen cases-screen"
      aria-labelledby="cases-heading"
      data-testid="cases-screen"
    >
      <div className="screen-head">
        <h1 id="cases-heading">{t('title')}</h1>
        {session.can('cases.write') && !creating ? (
          <button
            type="button"
            className="primary"
            onClick={() => setCreating(true)}
            data-testid="new-case"
          >
            {t('new')}
          </button>
        ) : null}
      </div>
      {creating ? (
        <CaseForm
          onCancel={() => setCreating(false)}
          onSaved={(c) => {
            setCreating(false);
            navigate({ screen: 'case', ref: c.ref });
          }}
        />
      ) : null}
      <div className="filters" role="group" aria-label={t('filters.label')}>
        <TextField
          label={t('filters.text')}
          name="filter-text"
          type="search"
          value={filters.text}
          onChange={set('text')}
        />
        <SelectField
          label={t('field.status')}
          name="filter-status"
          value={filters.status}
          onChange={set('status')}
          options={[
            { value: '', label: t('filters.any') },
            ...CASE_STATUSES.map((s) => ({ value: s, label: t(`domain:status.${s}`) })),
          ]}
        />
        <SelectField
          label={t('field.county')}
          name="filter-county"
          value={filters.county}
          onChange={set('county')}
          options={[
            { value: '', label: t('filters.any') },
            ...KENYA_COUNTIES.map((c) => ({ value: c, label: c })),
          ]}
        />
        <TextField
          label={t('filters.from')}
          name="filter-from"
          type="date"
          value={filters.from}
          onChange={set('from')}
        />
        <TextField
          label={t('filters.to')}
          name="filter-to"
          type="date"
          value={filters.to}
          onChange={set('to')}
        />
        {hasFilters(filters) ? (
          <button type="button" className="link" onClick={() => setFilters(NO_FILTERS)}>
            {t('filters.clear')}
          </button>
        ) : null}
      </div>
      <ErrorMessage error={cases.error} />
      <p className="count" role="status" aria-live="polite" data-testid="cases-count">
        {cases.loading && cases.data === undefined
          ? t('common:loading')
          : t('count', { count: shown.length })}
      </p>
      <VirtualTable
        items={shown}
        columns={columns}
        getKey={(c) => c.id}
        onOpen={(c) => navigate({ screen: 'case', ref: c.ref })}
        label={t('title')}
        testId="cases-list"
        empty={hasFilters(filters) ? t('emptyFiltered') : t('empty')}
      />
    </section>
  );
}
