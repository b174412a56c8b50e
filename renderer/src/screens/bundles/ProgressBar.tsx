// A progress bar with words (for screen readers and for people who do not read bars), and the
// cancel button of the job it shows.
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { percent, type JobState } from './useJob';

export function JobProgress(props: {
  job: JobState;
  label: string;
  detail?: string | undefined;
  /** Words for done/total when a plain count does not fit (e.g. bytes). */
  countText?: string | undefined;
}): ReactNode {
  const { t } = useTranslation('bundles');
  const { job } = props;
  if (job.jobId === null) return null;
  const p = job.progress;
  const pct = percent(p);
  return (
    <div className="job-progress" data-testid="job-progress" aria-live="polite">
      <div className="job-progress-line">
        <span>{props.label}</span>
        <span className="muted">
          {p === null
            ? t('progress.starting')
            : (props.countText ?? t('progress.count', { done: p.done, total: p.total }))}
          {props.detail ? ` · ${props.detail}` : ''}
        </span>
      </div>
      {pct === null ? (
        <progress aria-label={props.label} />
      ) : (
        <progress aria-label={props.label} max={100} value={pct}>
          {pct}%
        </progress>
      )}
      <div className="actions">
        <button
          type="button"
          onClick={job.cancel}
          disabled={job.cancelling}
          data-testid="job-cancel"
        >
          {job.cancelling ? t('progress.cancelling') : t('progress.cancel')}
        </button>
      </div>
    </div>
  );
}
