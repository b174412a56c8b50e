// A table of any length: only the rows in view are in the page (@tanstack/react-virtual). One tab
// stop; arrows, Page Up/Down, Home and End move between rows; Enter opens the row.
import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useRef, useState, type ReactNode } from 'react';
import { nextIndex } from '../lib/listKeys';

export interface Column<T> {
  id: string;
  header: string;
  /** A CSS grid track, e.g. "8rem" or "minmax(10rem, 2fr)". */
  width: string;
  cell(item: T): ReactNode;
  className?: string;
  /** The header is for screen readers only (e.g. a thumbnail column). */
  headerHidden?: boolean;
}

interface Props<T> {
  items: readonly T[];
  columns: readonly Column<T>[];
  getKey(item: T): string | number;
  onOpen?(item: T): void;
  label: string;
  rowHeight?: number;
  testId?: string;
  empty?: ReactNode;
  className?: string;
  /** The row shown as chosen (e.g. the item open in the pane beside the list). */
  selectedKey?: string | number | null;
}

export function VirtualTable<T>(props: Props<T>): ReactNode {
  const { items, columns } = props;
  const rowHeight = props.rowHeight ?? 44;
  const scrollRef = useRef<HTMLDivElement>(null);
  const [active, setActive] = useState(0);
  const focusPending = useRef(false);
  const virtualizer = useVirtualizer({
    count: items.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => rowHeight,
    overscan: 8,
  });
  const template = columns.map((c) => c.width).join(' ');

  useEffect(() => {
    if (active >= items.length && items.length > 0) setActive(items.length - 1);
  }, [active, items.length]);

  useEffect(() => {
    if (!focusPending.current) return;
    const el = scrollRef.current?.querySelector<HTMLElement>(`[data-index="${active}"]`);
    if (el) {
      el.focus({ preventScroll: true });
      focusPending.current = false;
    }
  });

  const onKeyDown = (e: React.KeyboardEvent<HTMLDivElement>) => {
    if (e.altKey || e.ctrlKey || e.metaKey) return;
    const item = items[active];
    if (e.key === 'Enter' && item !== undefined && props.onOpen) {
      e.preventDefault();
      props.onOpen(item);
      return;
    }
    const page = Math.max(1, Math.floor((scrollRef.current?.clientHeight ?? 400) / rowHeight) - 1);
    const next = nextIndex(e.key, active, items.length, { page });
    if (next === null) return;
    e.preventDefault();
    setActive(next);
    focusPending.current = true;
    virtualizer.scrollToIndex(next, { align: 'auto' });
  };

  return (
    <div
      className={`vtable ${props.className ?? ''}`}
      role="table"
      aria-label={props.label}
      aria-rowcount={items.length + 1}
      data-testid={props.testId}
    >
      <div className="vtable-head" role="rowgroup">
        <div
          className="vtable-row head"
          role="row"
          aria-rowindex={1}
          style={{ gridTemplateColumns: template }}
        >
          {columns.map((c) => (
            <div key={c.id} role="columnheader" className={c.className}>
              {c.headerHidden ? <span className="visually-hidden">{c.header}</span> : c.header}
            </div>
          ))}
        </div>
      </div>
      {items.length === 0 ? (
        <div className="vtable-empty" role="rowgroup">
          <div role="row">
            <div role="cell">{props.empty}</div>
          </div>
        </div>
      ) : (
        <div className="vtable-body" ref={scrollRef} role="rowgroup" onKeyDown={onKeyDown}>
          <div className="vtable-spacer" style={{ height: virtualizer.getTotalSize() }}>
            {virtualizer.getVirtualItems().map((v) => {
              const item = items[v.index];
              if (item === undefined) return null;
              const isActive = v.index === active;
              const key = props.getKey(item);
              const selected = props.selectedKey !== undefined && props.selectedKey === key;
              return (
                <div
                  key={key}
                  className={`vtable-row${isActive ? ' active' : ''}${selected ? ' selected' : ''}`}
                  aria-selected={props.selectedKey !== undefined ? selected : undefined}
                  role="row"
                  aria-rowindex={v.index + 2}
                  data-index={v.index}
                  data-key={key}
                  tabIndex={isActive ? 0 : -1}
                  style={{
                    gridTemplateColumns: template,
                    height: rowHeight,
                    transform: `translateY(${v.start}px)`,
                  }}
                  onFocus={() => setActive(v.index)}
                  onClick={() => props.onOpen?.(item)}
                >
                  {columns.map((c) => (
                    <div key={c.id} role="cell" className={c.className}>
                      {c.cell(item)}
                    </div>
                  ))}
                </div>
              );
            })}
          </div>
        </div>
      )}
    </div>
  );
}
