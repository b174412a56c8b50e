// One item on its own page (#/item?itemId=…&ref=…), for links from search and elsewhere; in a
// case, the same details open in the pane beside the evidence list.
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { kesi } from '../../api';
import { useCall } from '../../app/hooks';
import { useNavigation } from '../../app/navigation';
import { intParam } from '../../app/router';
import type { ScreenProps } from '../../app/screen';
import { ErrorMessage } from '../../components/ErrorMessage';
import { ItemDetail, useItem } from './ItemDetail';

export function ItemScreen(props: ScreenProps): ReactNode {
  const { t } = useTranslation('item');
  const { href } = useNavigation();
  const id = intParam(props.route.params, 'itemId');
  const { item, log } = useItem(id);
  // The case's reference comes with the link; without it, it is looked up by the item's case.
  const refParam = props.route.params['ref'] ?? null;
  const kase = useCall(async () => {
    if (refParam !== null) return { ref: refParam };
    if (!item.data) return null;
    const caseId = item.data.caseId;
    return (await kesi.listCases()).find((c) => c.id === caseId) ?? null;
  }, [refParam, item.data?.caseId]);

  if (item.error) return <ErrorMessage error={item.error} />;
  const it = item.data;
  if (!it) return <p role="status">{t('common:loading')}</p>;
  const c = kase.data;
  return (
    <section
      className="screen item-screen"
      aria-labelledby="item-heading"
      data-testid="item-screen"
    >
      <p className="breadcrumb">
        <a href={href({ screen: 'cases' })}>{t('cases:title')}</a>
        {c ? (
          <>
            {' › '}
            <a href={href({ screen: 'case', ref: c.ref, tab: 'evidence', item: it.id })}>{c.ref}</a>
          </>
        ) : null}
      </p>
      <div className="screen-head">
        <h1 id="item-heading">
          {it.exhibitNumber ? <span className="mono">{it.exhibitNumber} — </span> : null}
          {it.title}
        </h1>
      </div>
      <ItemDetail item={it} log={log} onChanged={(next) => item.setData(() => next)} />
    </section>
  );
}
