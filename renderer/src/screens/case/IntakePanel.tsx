// Taking in evidence: the drop strip of the Evidence tab (drop here or anywhere on the case, or
// pick files or a folder), and the progress panel: the batch's progress, then one line per file
// with its result (added, already in the case, cancelled, or why not).
import { useEffect, useId, useRef, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { errorCodeOf } from '../../../../shared/envelope';
import { useErrorText } from '../../app/hooks';
import { CheckField } from '../../components/Field';
import { Icon, type IconName } from '../../components/Icon';
import { formatBytes } from '../../lib/format';
import {
  baseName,
  fractionDone,
  orderResults,
  outcomeOf,
  summarise,
  type IntakeOutcome,
} from '../../lib/intake';
import type { Intake } from './useIntake';

/** Results listed at most (errors first, then duplicates); the summary counts them all. */
const RESULTS_SHOWN = 500;

/** The order of the counts in the summary. */
const OUTCOMES: readonly IntakeOutcome[] = ['added', 'duplicate', 'error', 'cancelled'];

const OUTCOME_ICON: Record<IntakeOutcome, IconName> = {
  added: 'check',
  duplicate: 'duplicate',
  cancelled: 'minus',
  error: 'warning',
};

export function DropStrip(props: { intake: Intake; aside?: ReactNode }): ReactNode {
  const { t } = useTranslation('case');
  const { intake } = props;
  const filesRef = useRef<HTMLInputElement>(null);
  const folderRef = useRef<HTMLInputElement>(null);
  const headingId = useId();

  // The folder picker is a non-standard attribute React does not pass through.
  useEffect(() => {
    folderRef.current?.setAttribute('webkitdirectory', '');
  }, []);

  return (
    <section className="intake" aria-labelledby={headingId} data-testid="intake">
      <div className={intake.over ? 'dropzone over' : 'dropzone'} data-testid="dropzone">
        <Icon name="upload" size={22} className="drop-icon" />
        <div className="drop-main">
          <h3 id={headingId} className="drop-text">
            {intake.running ? t('intake.busy') : t('intake.drop')}
          </h3>
          <CheckField
            label={t('intake.force')}
            name="force"
            hint={t('intake.forceHint')}
            checked={intake.force}
            onChange={intake.setForce}
          />
        </div>
        <div className="actions">
          <button
            type="button"
            disabled={intake.running}
            onClick={() => filesRef.current?.click()}
            data-testid="pick-files"
          >
            {t('intake.pickFiles')}
          </button>
          <button
            type="button"
            disabled={intake.running}
            onClick={() => folderRef.current?.click()}
            data-testid="pick-folder"
          >
            {t('intake.pickFolder')}
          </button>
          {props.aside}
        </div>
        <input
          ref={filesRef}
          type="file"
          multiple
          hidden
          aria-label={t('intake.pickFiles')}
          data-testid="file-input"
          onChange={(e) => {
            intake.start(Array.from(e.target.files ?? []));
            e.target.value = '';
          }}
        />
        <input
          ref={folderRef}
          type="file"
          hidden
          aria-label={t('intake.pickFolder')}
          onChange={(e) => {
            // A picked folder arrives as its files; the host gives each one's path.
            intake.start(Array.from(e.target.files ?? []));
            e.target.value = '';
          }}
        />
      </div>
    </section>
  );
}

export function IntakeStatus(props: { intake: Intake }): ReactNode {
  const { t } = useTranslation('case');
  const errorText = useErrorText();
  const inputId = useId();
  const { state } = props.intake;
  if (state.phase === 'idle') return null;
  const summary = summarise(state.results);
  const p = state.progress;
  const percent = Math.round(fractionDone(p) * 100);
  const cancelledError = state.phase === 'failed' && errorCodeOf(state.error) === 'CANCELLED';
  const stopped = cancelledError || summary.cancelled > 0;

  return (
    <section
      className="card intake-status"
      data-testid="intake-status"
      aria-labelledby={`${inputId}-h`}
    >
      <h2 id={`${inputId}-h`} className="visually-hidden">
        {t('intake.title')}
      </h2>
      {props.intake.running ? (
        <>
          <label htmlFor={`${inputId}-progress`}>
            {p ? t('intake.progress', { done: p.done, total: p.total }) : t('intake.starting')}
          </label>
          <progress
            id={`${inputId}-progress`}
            max={100}
            value={percent}
            aria-valuetext={`${percent}%`}
            data-testid="intake-progress"
          />
          {p?.file ? (
            <p className="muted" title={p.file}>
              {baseName(p.file)}
              {p.bytesTotal
                ? ` — ${formatBytes(p.bytesDone ?? 0)} / ${formatBytes(p.bytesTotal)}`
                : ''}
            </p>
          ) : null}
          <button
            type="button"
            disabled={state.cancelling || state.jobId === null}
            onClick={props.intake.cancel}
            data-testid="intake-cancel"
          >
            {state.cancelling ? t('intake.cancelling') : t('intake.cancel')}
          </button>
        </>
      ) : (
        <>
          <div className="section-head">
            <p role="status" data-testid="intake-summary" className="intake-summary">
              {stopped ? `${t('intake.cancelled')} ` : null}
              {OUTCOMES.filter((o) => summary[o] > 0 || (o === 'added' && summary.added === 0))
                .map((o) => t(`intake.counts.${o}`, { count: summary[o] }))
                .join(' · ')}
            </p>
            <button type="button" className="small" onClick={props.intake.clear}>
              <Icon name="close" />
              {t('intake.dismiss')}
            </button>
          </div>
          {state.phase === 'failed' && !cancelledError ? (
            <p className="error" role="alert">
              <Icon name="warning" />
              <span>{errorText(state.error)}</span>
            </p>
          ) : null}
          <ul className="intake-list" data-testid="intake-results">
            {state.unreadable.map((name) => (
              <li key={`u-${name}`} data-status="error">
                <span className="file">{name}</span>
                <Outcome outcome="error" />
                <span className="msg">{t('intake.noPath')}</span>
              </li>
            ))}
            {orderResults(state.results)
              .slice(0, RESULTS_SHOWN)
              .map((r, i) => {
                const outcome = outcomeOf(r);
                return (
                  <li key={`${r.file}-${i}`} data-status={outcome}>
                    <span className="file" title={r.file}>
                      {baseName(r.file)}
                    </span>
                    <Outcome outcome={outcome} />
                    {r.error && outcome === 'error' ? (
                      <span className="msg">{errorText(r.error)}</span>
                    ) : null}
                  </li>
                );
              })}
            {state.results.length > RESULTS_SHOWN ? (
              <li className="muted">
                {t('intake.more', { count: state.results.length - RESULTS_SHOWN })}
              </li>
            ) : null}
          </ul>
        </>
      )}
    </section>
  );
}

function Outcome(props: { outcome: IntakeOutcome }): ReactNode {
  const { t } = useTranslation('case');
  return (
    <span className={`outcome outcome-${props.outcome}`}>
      <Icon name={OUTCOME_ICON[props.outcome]} />
      {t(`intake.status.${props.outcome}`)}
    </span>
  );
}
