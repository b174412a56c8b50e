// Custody events, newest first, in pages (a case chain can hold tens of thousands). Each event:
// when, what, who, a readable summary of its details; the raw details, folded; the event's hash
// and key, short (the full values in the folded block and as a tooltip).
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { CustodyEventView } from '../../../shared/contract';
import { newestFirst, shortId, summaryOf } from '../lib/custody';
import { NONE, eatSeconds } from '../lib/format';

const PAGE = 200;

export function CustodyTimeline(props: { events: readonly CustodyEventView[] }): ReactNode {
  const { t } = useTranslation('custody');
  const [limit, setLimit] = useState(PAGE);
  const shown = newestFirst(props.events, limit);
  if (props.events.length === 0) return <p className="muted">{t('empty')}</p>;
  return (
    <>
      <p className="count">{t('count', { count: props.events.length })}</p>
      <ol className="timeline" data-testid="custody-timeline" reversed>
        {shown.map((e) => (
          <Event key={`${e.chain}-${e.seq}`} e={e} />
        ))}
      </ol>
      {shown.length < props.events.length ? (
        <button type="button" onClick={() => setLimit((l) => l + PAGE)}>
          {t('more')}
        </button>
      ) : null}
    </>
  );
}

function Event(props: { e: CustodyEventView }): ReactNode {
  const { t } = useTranslation('custody');
  const { e } = props;
  const lines = summaryOf(e);
  return (
    <li data-action={e.action}>
      <div className="when">
        {eatSeconds(e.at)} · #{e.seq}
      </div>
      <div className="what">
        {t(`action.${e.action}`, { defaultValue: e.action })}
        <span className="muted"> — {e.actor.user}</span>
      </div>
      {lines.length > 0 ? (
        <ul className="summary">
          {lines.map((l, i) => (
            <li key={i}>
              {t(`summary.${l.key}`, {
                ...l.values,
                ...(l.key === 'changed'
                  ? {
                      field: t(`field.${String(l.values['field'])}`, {
                        defaultValue: String(l.values['field']),
                      }),
                    }
                  : {}),
                ...(l.key === 'previews'
                  ? {
                      list: String(l.values['list'])
                        .split(', ')
                        .map((k) => t(`derivative.${k}`, { defaultValue: k }))
                        .join(', '),
                    }
                  : {}),
              })}
            </li>
          ))}
        </ul>
      ) : null}
      {e.reason ? (
        <div>
          {t('reason')}: {e.reason}
        </div>
      ) : null}
      {e.place ? (
        <div>
          {t('place')}: {e.place}
        </div>
      ) : null}
      <details className="raw">
        <summary>
          <span className="mono" title={e.hash}>
            {t('hash')} {shortId(e.hash)}
          </span>
          <span className="mono" title={e.actor.keyId}>
            {' '}
            · {t('key')} {shortId(e.actor.keyId)}
          </span>
        </summary>
        <dl className="props raw-props">
          <dt>{t('hash')}</dt>
          <dd className="mono">{e.hash}</dd>
          <dt>{t('prev')}</dt>
          <dd className="mono">{e.prev ?? NONE}</dd>
          <dt>{t('key')}</dt>
          <dd className="mono">{e.actor.keyId}</dd>
          <dt>{t('signature')}</dt>
          <dd className="mono">{e.sig}</dd>
        </dl>
        {Object.keys(e.details).length > 0 ? (
          <pre className="raw-details">{JSON.stringify(e.details, null, 2)}</pre>
        ) : null}
      </details>
    </li>
  );
}
