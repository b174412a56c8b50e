// The sections of a bundle and the case's items not in it. Items are ordered by dragging (a row
// onto another row: before it; onto a section's empty space: at its end; from the list on the
// right: into the bundle), or from the keyboard with each row's buttons (up, down, to another
// section, out of the bundle), which do exactly the same moves.
import { useState, type DragEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { ItemView } from '../../../../shared/contract';
import {
  addEntry,
  addSection,
  moveEntry,
  moveSection,
  removeEntry,
  removeSection,
  renameSection,
  setExhibitNumber,
  stepEntry,
  usedUids,
  type Draft,
  type Place,
  type SpecProblem,
} from './draft';

const DRAG_TYPE = 'application/x-kesi-bundle-entry';

type Dragged = { from: 'bundle'; place: Place } | { from: 'pool'; itemUid: string };

function readDrag(e: DragEvent): Dragged | null {
  try {
    const raw = e.dataTransfer.getData(DRAG_TYPE);
    if (raw === '') return null;
    const v = JSON.parse(raw) as Dragged;
    return v.from === 'bundle' || v.from === 'pool' ? v : null;
  } catch {
    return null;
  }
}

interface Props {
  draft: Draft;
  items: readonly ItemView[];
  problems: readonly SpecProblem[];
  onChange(next: Draft): void;
  nextNumber(): string;
  readOnly: boolean;
}

export function BundleBuilder(props: Props): ReactNode {
  const { t } = useTranslation('bundles');
  const { draft, onChange, readOnly } = props;
  const [over, setOver] = useState<string | null>(null);
  const byUid = new Map(props.items.map((i) => [i.uid, i]));
  const used = usedUids(draft);
  const pool = props.items.filter((i) => !used.has(i.uid));

  const dropAt = (e: DragEvent, to: Place) => {
    e.preventDefault();
    setOver(null);
    const d = readDrag(e);
    if (d === null || readOnly) return;
    if (d.from === 'pool') {
      const added = addEntry(draft, to.section, {
        itemUid: d.itemUid,
        exhibitNumber: byUid.get(d.itemUid)?.exhibitNumber ?? props.nextNumber(),
      });
      const last = (added.sections[to.section]?.items.length ?? 1) - 1;
      onChange(moveEntry(added, { section: to.section, index: last }, to));
      return;
    }
    const same = d.place.section === to.section;
    // Dropping on a row below in the same section: the row's index shifts by one on removal.
    const index = same && d.place.index < to.index ? to.index - 1 : to.index;
    onChange(moveEntry(draft, d.place, { section: to.section, index }));
  };
  const allowDrop = (key: string) => (e: DragEvent) => {
    if (readOnly || !e.dataTransfer.types.includes(DRAG_TYPE)) return;
    e.preventDefault();
    e.dataTransfer.dropEffect = 'move';
    setOver(key);
  };
  const problemAt = (field: string, section: number, index?: number) =>
    props.problems.find((p) => p.field === field && p.section === section && p.index === index);

  return (
    <div className="bundle-builder" data-testid="bundle-builder">
      <div className="bundle-sections">
        {draft.sections.map((s, si) => {
          const sectionProblem = props.problems.find(
            (p) => p.field === 'section' && p.section === si && p.index === undefined,
          );
          return (
            <section
              key={s.key}
              className={`card bundle-section${over === `end-${s.key}` ? ' drop-over' : ''}`}
              aria-label={t('section.label', { n: si + 1, title: s.title })}
              data-testid={`bundle-section-${si}`}
              onDragOver={allowDrop(`end-${s.key}`)}
              onDragLeave={() => setOver(null)}
              onDrop={(e) => dropAt(e, { section: si, index: s.items.length })}
            >
              <div className="bundle-section-head">
                <span className="section-number" aria-hidden="true">
                  {si + 1}
                </span>
                <input
                  aria-label={t('section.title', { n: si + 1 })}
                  value={s.title}
                  readOnly={readOnly}
                  maxLength={120}
                  onChange={(e) => onChange(renameSection(draft, si, e.target.value))}
                  data-testid={`section-title-${si}`}
                />
                {readOnly ? null : (
                  <span className="row-buttons">
                    <button
                      type="button"
                      className="icon"
                      aria-label={t('section.up', { title: s.title })}
                      title={t('section.up', { title: s.title })}
                      disabled={si === 0}
                      onClick={() => onChange(moveSection(draft, si, -1))}
                    >
                      ↑
                    </button>
                    <button
                      type="button"
                      className="icon"
                      aria-label={t('section.down', { title: s.title })}
                      title={t('section.down', { title: s.title })}
                      disabled={si === draft.sections.length - 1}
                      onClick={() => onChange(moveSection(draft, si, 1))}
                    >
                      ↓
                    </button>
                    <button
                      type="button"
                      className="icon"
                      aria-label={t('section.remove', { title: s.title })}
                      title={t('section.remove', { title: s.title })}
                      disabled={draft.sections.length === 1}
                      onClick={() => onChange(removeSection(draft, si))}
                    >
                      ✕
                    </button>
                  </span>
                )}
              </div>
              {sectionProblem ? <p className="field-error">{sectionProblem.message}</p> : null}
              {s.items.length === 0 ? (
                <p className="muted bundle-empty">{t('section.empty')}</p>
              ) : (
                <ol className="bundle-entries">
                  {s.items.map((entry, ii) => {
                    const item = byUid.get(entry.itemUid);
                    const place = { section: si, index: ii };
                    const numberProblem = problemAt('exhibitNumber', si, ii);
                    const rowKey = `${s.key}-${entry.itemUid}`;
                    const first = si === 0 && ii === 0;
                    const last = si === draft.sections.length - 1 && ii === s.items.length - 1;
                    return (
                      <li
                        key={entry.itemUid}
                        className={`bundle-entry${over === rowKey ? ' drop-over' : ''}`}
                        draggable={!readOnly}
                        data-testid={`entry-${entry.itemUid}`}
                        data-exhibit={entry.exhibitNumber}
                        onDragStart={(e) => {
                          e.dataTransfer.setData(
                            DRAG_TYPE,
                            JSON.stringify({ from: 'bundle', place } satisfies Dragged),
                          );
                          e.dataTransfer.effectAllowed = 'move';
                        }}
                        onDragOver={(e) => {
                          e.stopPropagation();
                          allowDrop(rowKey)(e);
                        }}
                        onDrop={(e) => {
                          e.stopPropagation();
                          dropAt(e, place);
                        }}
                      >
                        <span className="drag-handle" aria-hidden="true">
                          ⋮⋮
                        </span>
                        <input
                          className={`exhibit-number${numberProblem ? ' invalid' : ''}`}
                          aria-label={t('entry.number', { title: item?.title ?? entry.itemUid })}
                          aria-invalid={numberProblem ? true : undefined}
                          title={numberProblem?.message}
                          value={entry.exhibitNumber}
                          readOnly={readOnly}
                          maxLength={32}
                          onChange={(e) => onChange(setExhibitNumber(draft, place, e.target.value))}
                          data-testid={`exhibit-number-${entry.itemUid}`}
                        />
                        <span className="entry-title">
                          {item?.title ?? entry.itemUid}
                          <span className="muted">
                            {' '}
                            · {t(`domain:kind.${item?.kind ?? 'other'}`)}
                          </span>
                        </span>
                        {readOnly ? null : (
                          <span className="row-buttons">
                            <button
                              type="button"
                              className="icon"
                              aria-label={t('entry.up', { n: entry.exhibitNumber })}
                              title={t('entry.up', { n: entry.exhibitNumber })}
                              disabled={first}
                              onClick={() => onChange(stepEntry(draft, place, -1))}
                              data-testid={`up-${entry.itemUid}`}
                            >
                              ↑
                            </button>
                            <button
                              type="button"
                              className="icon"
                              aria-label={t('entry.down', { n: entry.exhibitNumber })}
                              title={t('entry.down', { n: entry.exhibitNumber })}
                              disabled={last}
                              onClick={() => onChange(stepEntry(draft, place, 1))}
                              data-testid={`down-${entry.itemUid}`}
                            >
                              ↓
                            </button>
                            {draft.sections.length > 1 ? (
                              <select
                                aria-label={t('entry.section', { n: entry.exhibitNumber })}
                                value={si}
                                onChange={(e) =>
                                  onChange(
                                    moveEntry(draft, place, {
                                      section: Number(e.target.value),
                                      index: Number.MAX_SAFE_INTEGER,
                                    }),
                                  )
                                }
                              >
                                {draft.sections.map((o, oi) => (
                                  <option key={o.key} value={oi}>
                                    {oi + 1}. {o.title}
                                  </option>
                                ))}
                              </select>
                            ) : null}
                            <button
                              type="button"
                              className="icon"
                              aria-label={t('entry.remove', { n: entry.exhibitNumber })}
                              title={t('entry.remove', { n: entry.exhibitNumber })}
                              onClick={() => onChange(removeEntry(draft, place))}
                              data-testid={`remove-${entry.itemUid}`}
                            >
                              ✕
                            </button>
                          </span>
                        )}
                        {numberProblem ? (
                          <span className="field-error entry-problem">{numberProblem.message}</span>
                        ) : null}
                      </li>
                    );
                  })}
                </ol>
              )}
            </section>
          );
        })}
        {readOnly ? null : (
          <div className="actions">
            <button
              type="button"
              onClick={() => onChange(addSection(draft, t('section.newTitle')))}
              data-testid="add-section"
            >
              {t('section.add')}
            </button>
          </div>
        )}
      </div>
      <aside className="card bundle-pool" aria-labelledby="bundle-pool-heading">
        <h2 id="bundle-pool-heading">{t('pool.title')}</h2>
        {pool.length === 0 ? (
          <p className="muted">{t('pool.empty')}</p>
        ) : (
          <ul className="bundle-entries">
            {pool.map((item) => (
              <li
                key={item.uid}
                className="bundle-entry"
                draggable={!readOnly}
                data-testid={`pool-${item.uid}`}
                onDragStart={(e) => {
                  e.dataTransfer.setData(
                    DRAG_TYPE,
                    JSON.stringify({ from: 'pool', itemUid: item.uid } satisfies Dragged),
                  );
                  e.dataTransfer.effectAllowed = 'move';
                }}
              >
                <span className="drag-handle" aria-hidden="true">
                  ⋮⋮
                </span>
                <span className="entry-title">
                  {item.title}
                  <span className="muted"> · {t(`domain:kind.${item.kind}`)}</span>
                </span>
                {readOnly ? null : (
                  <button
                    type="button"
                    className="icon"
                    aria-label={t('pool.add', { title: item.title })}
                    title={t('pool.add', { title: item.title })}
                    onClick={() =>
                      onChange(
                        addEntry(draft, draft.sections.length - 1, {
                          itemUid: item.uid,
                          exhibitNumber: item.exhibitNumber ?? props.nextNumber(),
                        }),
                      )
                    }
                    data-testid={`add-${item.uid}`}
                  >
                    +
                  </button>
                )}
              </li>
            ))}
          </ul>
        )}
      </aside>
    </div>
  );
}
