// The evidence as a grid of cards, virtualised by rows; one tab stop, arrows move in 2-D.
import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useLayoutEffect, useRef, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { ItemView } from '../../../../shared/contract';
import { Thumb } from '../../components/Thumb';
import { eat, shortHash } from '../../lib/format';
import { gridColumns } from '../../lib/itemFilter';
import { nextIndex } from '../../lib/listKeys';

const MIN_CARD = 200;
const GAP = 12;
const ROW_HEIGHT = 232;

export function EvidenceGrid(props: {
  items: readonly ItemView[];
  onOpen(item: ItemView): void;
  label: string;
  selectedId?: number | null;
}): ReactNode {
  const { t } = useTranslation('case');
  const { items } = props;
  const scrollRef = useRef<HTMLDivElement>(null);
  const [columns, setColumns] = useState(4);
  const [active, setActive] = useState(0);
  const focusPending = useRef(false);

  useLayoutEffect(() => {
    const el = scrollRef.current;
    if (!el) return;
    const measure = () => setColumns(gridColumns(el.clientWidth - 24, MIN_CARD, GAP));
    measure();
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  const rows = Math.ceil(items.length / columns);
  const virtualizer = useVirtualizer({
    count: rows,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 3,
  });

  useEffect(() => {
    if (!focusPending.current) return;
    const el = scrollRef.current?.querySelector<HTMLElement>(`[data-index="${active}"]`);
    if (el) {
      el.focus({ preventScroll: true });
      focusPending.current = false;
    }
  });

  const onKeyDown = (e: React.KeyboardEvent) => {
    if (e.altKey || e.ctrlKey || e.metaKey) return;
    const item = items[active];
    if (e.key === 'Enter' && item) {
      e.preventDefault();
      props.onOpen(item);
      return;
    }
    const page = Math.max(1, Math.floor((scrollRef.current?.clientHeight ?? 600) / ROW_HEIGHT));
    const next = nextIndex(e.key, active, items.length, { columns, page });
    if (next === null) return;
    e.preventDefault();
    setActive(next);
    focusPending.current = true;
    virtualizer.scrollToIndex(Math.floor(next / columns), { align: 'auto' });
  };

  if (items.length === 0) return null;
  return (
    <div
      className="egrid-body"
      ref={scrollRef}
      role="grid"
      aria-label={props.label}
      aria-rowcount={rows}
      aria-colcount={columns}
      onKeyDown={onKeyDown}
      data-testid="evidence-grid"
    >
      <div className="vtable-spacer" style={{ height: virtualizer.getTotalSize() }}>
        {virtualizer.getVirtualItems().map((row) => (
          <div
            key={row.key}
            className="egrid-row"
            role="row"
            aria-rowindex={row.index + 1}
            style={{
              gridTemplateColumns: `repeat(${columns}, minmax(0, 1fr))`,
              height: ROW_HEIGHT,
              transform: `translateY(${row.start}px)`,
            }}
          >
            {items.slice(row.index * columns, row.index * columns + columns).map((it, c) => {
              const index = row.index * columns + c;
              const isActive = index === active;
              const selected = props.selectedId === it.id;
              return (
                <div
                  key={it.id}
                  role="gridcell"
                  aria-colindex={c + 1}
                  aria-selected={selected}
                  className={`egrid-card${isActive ? ' active' : ''}${selected ? ' selected' : ''}`}
                  data-index={index}
                  tabIndex={isActive ? 0 : -1}
                  onFocus={() => setActive(index)}
                  onClick={() => props.onOpen(it)}
                  aria-label={`${it.exhibitNumber ? `${it.exhibitNumber}, ` : ''}${it.title}, ${t(`domain:kind.${it.kind}`)}`}
                  data-testid={`item-card-${it.id}`}
                >
                  <div className="preview">
                    <Thumb item={it} large />
                  </div>
                  <div className="meta">
                    <strong title={it.title}>{it.title}</strong>
                    <span>
                      {it.exhibitNumber ? (
                        <span className="mono">{it.exhibitNumber} · </span>
                      ) : null}
                      {t(`domain:kind.${it.kind}`)}
                    </span>
                    <span className="muted">{eat(it.capturedAt ?? it.createdAt)}</span>
                    <span className="mono muted" title={it.sha256}>
                      {shortHash(it.sha256)}
                    </span>
                  </div>
                </div>
              );
            })}
          </div>
        ))}
      </div>
    </div>
  );
}
