// A case's evidence: a table or a grid (both virtualised) with a filter; selecting an item opens
// its viewer, details and custody timeline in a pane beside the list. Intake (the drop strip)
// and physical exhibits above.
import { useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { ItemView } from '../../../../shared/contract';
import { ITEM_KINDS, type ItemKind } from '../../../../shared/domain';
import type { CallState } from '../../app/hooks';
import { useNavigation } from '../../app/navigation';
import { ErrorMessage } from '../../components/ErrorMessage';
import { SelectField, TextField } from '../../components/Field';
import { Icon } from '../../components/Icon';
import { Thumb } from '../../components/Thumb';
import { VirtualTable, type Column } from '../../components/VirtualTable';
import { NONE, eatInColumn, formatBytes, shortHash } from '../../lib/format';
import { filterItems } from '../../lib/itemFilter';
import { ItemDetail, useItem } from '../item/ItemDetail';
import { EvidenceGrid } from './EvidenceGrid';
import { ExhibitForm } from './ExhibitForm';
import { DropStrip } from './IntakePanel';
import type { Intake } from './useIntake';

type View = 'table' | 'grid';
const VIEW_KEY = 'kesi.evidenceView';

function storedView(): View {
  try {
    return localStorage.getItem(VIEW_KEY) === 'grid' ? 'grid' : 'table';
  } catch {
    return 'table';
  }
}

export function EvidenceTab(props: {
  caseRef: string;
  items: CallState<ItemView[]>;
  /** Null for a role that cannot add evidence. */
  intake: Intake | null;
  selectedId: number | null;
}): ReactNode {
  const { t } = useTranslation('case');
  const { navigate } = useNavigation();
  const { items, selectedId } = props;
  const [view, setView] = useState<View>(storedView);
  const [text, setText] = useState('');
  const [kind, setKind] = useState<ItemKind | ''>('');
  const [addingExhibit, setAddingExhibit] = useState(false);
  // After a new exhibit is saved its pane takes the focus (the form it was in is gone); after the
  // pane closes, the list's current row takes it back.
  const [focusPane, setFocusPane] = useState(false);
  const listRef = useRef<HTMLDivElement>(null);
  const shown = useMemo(() => filterItems(items.data ?? [], text, kind), [items.data, text, kind]);
  const select = (id: number | null) =>
    navigate({ screen: 'case', ref: props.caseRef, tab: 'evidence', item: id }, { replace: true });
  const paneOpen = selectedId !== null;

  const chooseView = (v: View) => {
    setView(v);
    try {
      localStorage.setItem(VIEW_KEY, v);
    } catch {
      // not remembered; no harm
    }
  };

  const columns: Column<ItemView>[] = [
    {
      id: 'thumb',
      header: t('evidence.preview'),
      headerHidden: true,
      width: '2.6rem',
      cell: (it) => <Thumb item={it} />,
    },
    {
      id: 'exhibit',
      header: t('evidence.exhibitNumber'),
      width: paneOpen ? '5.5rem' : '6rem',
      cell: (it) =>
        it.exhibitNumber ? (
          <span className="mono">{it.exhibitNumber}</span>
        ) : (
          <span className="muted">{NONE}</span>
        ),
    },
    {
      id: 'title',
      header: t('evidence.itemTitle'),
      width: paneOpen ? 'minmax(6rem, 3fr)' : 'minmax(9rem, 3fr)',
      cell: (it) => it.title,
    },
    {
      id: 'kind',
      header: t('evidence.kind'),
      // Beside the open pane the list is narrow: the kind may take two lines.
      width: paneOpen ? 'minmax(5.5rem, 1fr)' : 'minmax(8rem, 1fr)',
      cell: (it) => t(`domain:kind.${it.kind}`),
      ...(paneOpen ? { className: 'wrap' } : {}),
    },
    // Beside the open pane, which shows the rest, only what finds the item.
    ...(paneOpen
      ? []
      : [
          {
            id: 'captured',
            header: t('evidence.capturedAt'),
            width: '9.5rem',
            cell: (it: ItemView) =>
              eatInColumn(it.capturedAt) || <span className="muted">{NONE}</span>,
          },
          {
            id: 'added',
            header: t('evidence.addedAt'),
            width: '9.5rem',
            cell: (it: ItemView) => eatInColumn(it.createdAt),
          },
          {
            id: 'size',
            header: t('evidence.size'),
            width: '5rem',
            cell: (it: ItemView) =>
              it.blobName ? formatBytes(it.size) : <span className="muted">{NONE}</span>,
          },
          {
            id: 'hash',
            header: t('evidence.sha256'),
            width: '7.5rem',
            cell: (it: ItemView) => (
              <span className="mono" title={it.sha256}>
                {shortHash(it.sha256)}
              </span>
            ),
          },
        ]),
  ];

  return (
    <div data-testid="evidence-tab">
      {props.intake ? (
        <>
          <DropStrip
            intake={props.intake}
            aside={
              addingExhibit ? null : (
                <button
                  type="button"
                  onClick={() => setAddingExhibit(true)}
                  data-testid="add-exhibit"
                >
                  <Icon name="exhibit" />
                  {t('exhibit.add')}
                </button>
              )
            }
          />
          {addingExhibit ? (
            <ExhibitForm
              caseRef={props.caseRef}
              onCancel={() => setAddingExhibit(false)}
              onSaved={(it) => {
                setAddingExhibit(false);
                items.setData((prev) => [...(prev ?? []), it]);
                setFocusPane(true);
                select(it.id);
              }}
            />
          ) : null}
        </>
      ) : null}
      <div className={paneOpen ? 'evidence-split open' : 'evidence-split'}>
        <div className="evidence-list" ref={listRef}>
          <div className="list-tools">
            <div className="filters" role="group" aria-label={t('evidence.filterLabel')}>
              <div className="wide-filter">
                <TextField
                  label={t('evidence.filter')}
                  name="item-filter"
                  type="search"
                  value={text}
                  onChange={setText}
                />
              </div>
              <SelectField
                label={t('evidence.kind')}
                name="item-kind"
                value={kind}
                onChange={(v) => setKind(v as ItemKind | '')}
                options={[
                  { value: '', label: t('cases:filters.any') },
                  ...ITEM_KINDS.map((k) => ({ value: k, label: t(`domain:kind.${k}`) })),
                ]}
              />
            </div>
            <div className="actions" role="group" aria-label={t('evidence.viewLabel')}>
              <button
                type="button"
                className="small"
                aria-pressed={view === 'table'}
                onClick={() => chooseView('table')}
                data-testid="view-table"
              >
                {t('evidence.asTable')}
              </button>
              <button
                type="button"
                className="small"
                aria-pressed={view === 'grid'}
                onClick={() => chooseView('grid')}
                data-testid="view-grid"
              >
                {t('evidence.asGrid')}
              </button>
            </div>
          </div>
          <ErrorMessage error={items.error} />
          <h2 className="count" role="status" data-testid="items-count">
            {items.data === undefined
              ? t('common:loading')
              : t('evidence.count', { count: shown.length })}
          </h2>
          {view === 'table' ? (
            <VirtualTable
              items={shown}
              columns={columns}
              getKey={(it) => it.id}
              onOpen={(it) => {
                setFocusPane(false);
                select(it.id);
              }}
              selectedKey={selectedId}
              label={t('evidence.title')}
              rowHeight={52}
              testId="evidence-table"
              empty={t('evidence.empty')}
            />
          ) : shown.length === 0 ? (
            <p className="muted">{t('evidence.empty')}</p>
          ) : (
            <EvidenceGrid
              items={shown}
              onOpen={(it) => {
                setFocusPane(false);
                select(it.id);
              }}
              selectedId={selectedId}
              label={t('evidence.title')}
            />
          )}
        </div>
        {selectedId !== null ? (
          <EvidencePane
            key={selectedId}
            itemId={selectedId}
            caseRef={props.caseRef}
            focusOnOpen={focusPane}
            onClose={() => {
              setFocusPane(false);
              select(null);
              requestAnimationFrame(() =>
                listRef.current?.querySelector<HTMLElement>('[data-index][tabindex="0"]')?.focus(),
              );
            }}
            onChanged={(next) =>
              items.setData((prev) => prev?.map((it) => (it.id === next.id ? next : it)))
            }
          />
        ) : null}
      </div>
    </div>
  );
}

function EvidencePane(props: {
  itemId: number;
  caseRef: string;
  onClose(): void;
  onChanged(it: ItemView): void;
  focusOnOpen: boolean;
}): ReactNode {
  const { t } = useTranslation('item');
  const { href } = useNavigation();
  const { item, log } = useItem(props.itemId);
  const it = item.data;
  const headingRef = useRef<HTMLHeadingElement>(null);
  const { focusOnOpen } = props;
  useEffect(() => {
    if (focusOnOpen) headingRef.current?.focus();
  }, [focusOnOpen]);
  return (
    <aside className="evidence-pane" aria-label={t('paneLabel')} data-testid="item-pane">
      <div className="pane-head">
        <h2 ref={headingRef} tabIndex={-1} data-testid="pane-heading">
          {it?.exhibitNumber ? <span className="mono">{it.exhibitNumber} — </span> : null}
          {it?.title ?? t('common:loading')}
        </h2>
        <div className="actions">
          <a
            className="button-link small"
            href={href({ screen: 'item', itemId: props.itemId, ref: props.caseRef })}
            data-testid="open-item-page"
          >
            <Icon name="external" />
            {t('openFull')}
          </a>
          <button
            type="button"
            className="small"
            onClick={props.onClose}
            aria-label={t('closePane')}
            data-testid="close-pane"
          >
            <Icon name="close" />
          </button>
        </div>
      </div>
      <ErrorMessage error={item.error} />
      {it ? (
        <ItemDetail
          item={it}
          log={log}
          narrow
          onChanged={(next) => {
            item.setData(() => next);
            props.onChanged(next);
          }}
        />
      ) : null}
    </aside>
  );
}
