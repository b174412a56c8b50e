// Full-text search across cases: cases, persons (never a protected person's real name) and items.
import { useEffect, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { SearchHitView } from '../../../../shared/contract';
import { kesi } from '../../api';
import { useCall } from '../../app/hooks';
import { useNavigation } from '../../app/navigation';
import type { RouteTarget } from '../../app/router';
import type { ScreenProps } from '../../app/screen';
import { ErrorMessage } from '../../components/ErrorMessage';
import { snippetParts } from '../../lib/snippet';

function targetOf(hit: SearchHitView): RouteTarget {
  switch (hit.type) {
    case 'item':
      return { screen: 'item', itemId: hit.id, ref: hit.caseRef };
    case 'person':
      return { screen: 'case', ref: hit.caseRef, tab: 'persons' };
    case 'case':
      return { screen: 'case', ref: hit.caseRef };
  }
}

export function SearchScreen(props: ScreenProps): ReactNode {
  const { t } = useTranslation('search');
  const { navigate, href } = useNavigation();
  const q = (props.route.params['q'] ?? '').trim();
  const [text, setText] = useState(q);
  useEffect(() => setText(q), [q]);
  const hits = useCall(() => (q === '' ? Promise.resolve([]) : kesi.search(q)), [q]);

  return (
    <section className="screen" aria-labelledby="search-heading" data-testid="search-screen">
      <h1 id="search-heading">{t('title')}</h1>
      <form
        role="search"
        className="filters"
        onSubmit={(e) => {
          e.preventDefault();
          if (text.trim() !== '') navigate({ screen: 'search', q: text.trim() });
        }}
      >
        <div className="field search-field">
          <label htmlFor="search-page-input">{t('label')}</label>
          <input
            id="search-page-input"
            type="search"
            value={text}
            maxLength={500}
            onChange={(e) => setText(e.target.value)}
            data-testid="search-input"
          />
        </div>
        <button type="submit" className="primary">
          {t('common:search.button')}
        </button>
      </form>
      <p className="muted">{t('hint')}</p>
      <ErrorMessage error={hits.error} />
      {q !== '' && hits.data ? (
        <p className="count" role="status" data-testid="search-count">
          {t('count', { count: hits.data.length, q })}
        </p>
      ) : null}
      <ul className="hits" data-testid="search-results">
        {(hits.data ?? []).map((h) => (
          <li key={`${h.type}-${h.id}`} data-type={h.type}>
            <span className="badge">{t(`type.${h.type}`)}</span>{' '}
            <a href={href(targetOf(h))}>{h.title}</a>{' '}
            <span className="mono muted">{h.caseRef}</span>
            {h.snippet ? (
              <p className="snippet">
                {snippetParts(h.snippet).map((p, i) =>
                  p.mark ? <mark key={i}>{p.text}</mark> : <span key={i}>{p.text}</span>,
                )}
              </p>
            ) : null}
          </li>
        ))}
      </ul>
    </section>
  );
}
