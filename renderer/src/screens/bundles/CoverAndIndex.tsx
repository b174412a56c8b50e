// The cover details of a bundle, and its index as the PDF will print it: exhibit, title, date,
// and, once a file has been generated, the pages each exhibit fills.
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { TextField } from '../../components/Field';
import { NONE, eat } from '../../lib/format';
import type { DraftCover, IndexRow, SpecProblem } from './draft';

const FIELDS = ['title', 'court', 'caseNumber', 'parties', 'preparedBy'] as const;

export function CoverForm(props: {
  cover: DraftCover;
  problems: readonly SpecProblem[];
  showProblems: boolean;
  readOnly: boolean;
  onChange(cover: DraftCover): void;
}): ReactNode {
  const { t } = useTranslation('bundles');
  const { cover } = props;
  const problem = (field: string) =>
    props.showProblems ? props.problems.find((p) => p.field === field)?.message : undefined;
  return (
    <section className="card bundle-cover" aria-labelledby="bundle-cover-heading">
      <h2 id="bundle-cover-heading">{t('cover.heading')}</h2>
      <div className="form-grid">
        {FIELDS.map((f) => (
          <TextField
            key={f}
            label={t(`cover.${f}`)}
            name={`cover-${f}`}
            required
            readOnly={props.readOnly}
            hint={t(`cover.${f}Hint`)}
            value={cover[f]}
            onChange={(v) => props.onChange({ ...cover, [f]: v })}
            error={problem(f) ? t('cover.required') : undefined}
          />
        ))}
        <TextField
          label={t('cover.date')}
          name="cover-date"
          type="date"
          required
          readOnly={props.readOnly}
          value={cover.date}
          onChange={(v) => props.onChange({ ...cover, date: v })}
          error={problem('date') ? t('cover.dateInvalid') : undefined}
        />
      </div>
      <label className="checkbox">
        <input
          type="checkbox"
          checked={cover.usePseudonyms}
          disabled={props.readOnly}
          onChange={(e) => props.onChange({ ...cover, usePseudonyms: e.target.checked })}
          data-testid="cover-pseudonyms"
        />{' '}
        {t('cover.usePseudonyms')}
      </label>
    </section>
  );
}

export function IndexPreview(props: { rows: readonly IndexRow[]; generated: boolean }): ReactNode {
  const { t } = useTranslation('bundles');
  let lastSection = 0;
  return (
    <section className="card bundle-index" aria-labelledby="bundle-index-heading">
      <h2 id="bundle-index-heading">{t('index.title')}</h2>
      {props.rows.length === 0 ? (
        <p className="muted">{t('index.empty')}</p>
      ) : (
        <table className="plain-table" data-testid="index-preview">
          <thead>
            <tr>
              <th scope="col">{t('index.exhibit')}</th>
              <th scope="col">{t('index.titleColumn')}</th>
              <th scope="col">{t('index.date')}</th>
              <th scope="col" className="num">
                {t('index.pages')}
              </th>
            </tr>
          </thead>
          <tbody>
            {props.rows.flatMap((r) => {
              const out: ReactNode[] = [];
              if (r.section !== lastSection) {
                lastSection = r.section;
                out.push(
                  <tr key={`section-${r.section}`} className="index-section">
                    <th scope="rowgroup" colSpan={4}>
                      {r.section}. {r.sectionTitle}
                    </th>
                  </tr>,
                );
              }
              out.push(
                <tr key={r.itemUid} data-testid={`index-row-${r.itemUid}`}>
                  <td className="mono">{r.exhibitNumber}</td>
                  <td>{r.title}</td>
                  <td>{r.capturedAt ? eat(r.capturedAt) : NONE}</td>
                  <td className="num">
                    {r.pages
                      ? r.pages.first === r.pages.last
                        ? String(r.pages.first)
                        : `${r.pages.first}–${r.pages.last}`
                      : NONE}
                  </td>
                </tr>,
              );
              return out;
            })}
          </tbody>
        </table>
      )}
      {props.generated ? null : <p className="hint">{t('index.pagesLater')}</p>}
    </section>
  );
}
