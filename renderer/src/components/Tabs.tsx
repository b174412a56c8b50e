// Tabs per the ARIA pattern: one tab stop, Left/Right/Home/End move and select.
import { useRef, type ReactNode } from 'react';

export interface TabDef {
  id: string;
  label: string;
}

export function Tabs(props: {
  tabs: readonly TabDef[];
  current: string;
  onSelect(id: string): void;
  label: string;
  idPrefix: string;
}): ReactNode {
  const refs = useRef<Record<string, HTMLButtonElement | null>>({});
  const { tabs } = props;
  const move = (to: number) => {
    const tab = tabs[(to + tabs.length) % tabs.length];
    if (!tab) return;
    props.onSelect(tab.id);
    refs.current[tab.id]?.focus();
  };
  return (
    <div className="tabs" role="tablist" aria-label={props.label}>
      {tabs.map((tab, i) => {
        const selected = tab.id === props.current;
        return (
          <button
            key={tab.id}
            ref={(el) => {
              refs.current[tab.id] = el;
            }}
            type="button"
            role="tab"
            id={`${props.idPrefix}-tab-${tab.id}`}
            aria-selected={selected}
            aria-controls={`${props.idPrefix}-panel-${tab.id}`}
            tabIndex={selected ? 0 : -1}
            data-testid={`tab-${tab.id}`}
            onClick={() => props.onSelect(tab.id)}
            onKeyDown={(e) => {
              if (e.key === 'ArrowRight') move(i + 1);
              else if (e.key === 'ArrowLeft') move(i - 1);
              else if (e.key === 'Home') move(0);
              else if (e.key === 'End') move(tabs.length - 1);
              else return;
              e.preventDefault();
            }}
          >
            {tab.label}
          </button>
        );
      })}
    </div>
  );
}

export function TabPanel(props: { idPrefix: string; id: string; children: ReactNode }): ReactNode {
  return (
    <div
      role="tabpanel"
      id={`${props.idPrefix}-panel-${props.id}`}
      aria-labelledby={`${props.idPrefix}-tab-${props.id}`}
      tabIndex={0}
      className="tabpanel"
    >
      {props.children}
    </div>
  );
}
