// One item's viewer, details and custody timeline (for a physical exhibit: who holds it and the
// transfer form). Shown beside the evidence list of a case (the detail pane) and on the item's
// own page (#/item?itemId=…, for links).
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { ItemView } from '../../../../shared/contract';
import { kesi } from '../../api';
import { useCall } from '../../app/hooks';
import { CustodyTimeline } from '../../components/CustodyTimeline';
import { ErrorMessage } from '../../components/ErrorMessage';
import { ExportOriginal } from './ExportOriginal';
import { ItemMetadata } from './ItemMetadata';
import { ItemViewer } from './ItemViewer';
import { TransferPanel } from './TransferPanel';

export function useItem(id: number | null) {
  const item = useCall(
    () =>
      id === null
        ? Promise.reject(Object.assign(new Error(), { code: 'ITEM_NOT_FOUND' }))
        : kesi.getItem(id),
    [id],
  );
  const log = useCall(() => (id === null ? Promise.resolve([]) : kesi.itemLog(id)), [id]);
  return { item, log };
}

export function ItemDetail(props: {
  item: ItemView;
  log: ReturnType<typeof useItem>['log'];
  onChanged(it: ItemView): void;
  /** In the pane beside the list: one column. */
  narrow?: boolean;
}): ReactNode {
  const { t } = useTranslation('item');
  const it = props.item;
  const { log } = props;
  return (
    <div className={props.narrow ? 'item-layout narrow' : 'item-layout'}>
      <div>
        {it.blobName !== null ? (
          <>
            <ItemViewer item={it} />
            <ExportOriginal item={it} onExported={log.reload} />
          </>
        ) : (
          <TransferPanel itemId={it.id} onTransferred={log.reload} />
        )}
      </div>
      <div>
        <ItemMetadata
          item={it}
          onChanged={(next) => {
            props.onChanged(next);
            log.reload();
          }}
        />
        <section className="card" aria-labelledby={`custody-heading-${it.id}`}>
          <h2 id={`custody-heading-${it.id}`}>{t('custody')}</h2>
          <ErrorMessage error={log.error} />
          {log.data ? <CustodyTimeline events={log.data} /> : null}
        </section>
      </div>
    </div>
  );
}
