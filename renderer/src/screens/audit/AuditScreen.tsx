// The audit screen (#/audit[?verify=<path>]): the vault audit, with progress and cancel, its
// result per item and per custody event, saved as a PDF where the user chooses; and the check
// of a court bundle file on its own (dropped, picked, or handed over by the bundle builder),
// with a verdict per exhibit. Red only for failures, green only for "verified", and always
// with words and a sign beside the colour.
import { useEffect, useRef, useState, type DragEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type {
  AuditProblemView,
  AuditReportView,
  BundleVerifyView,
  SavedFileView,
} from '../../../../shared/contract';
import { BUNDLE_CHECKS } from '../../../../shared/bundle-report';
import { errorCodeOf } from '../../../../shared/envelope';
import { host, kesi } from '../../api';
import { useAction } from '../../app/hooks';
import type { ScreenProps } from '../../app/screen';
import { useSession } from '../../app/session';
import { ErrorMessage } from '../../components/ErrorMessage';
import { NONE, eatSeconds, formatBytes, isoToEatInput } from '../../lib/format';
import { JobProgress } from '../bundles/ProgressBar';
import { useJob } from '../bundles/useJob';
import '../bundles/bundles.css';
import './audit.css';

export function AuditScreen(props: ScreenProps): ReactNode {
  const { t } = useTranslation('audit');
  const session = useSession();
  return (
    <section
      className="screen audit-screen"
      aria-labelledby="audit-heading"
      data-testid="audit-screen"
    >
      <div className="screen-head">
        <h1 id="audit-heading">{t('title')}</h1>
      </div>
      {session.can('audit.run') ? <VaultAudit /> : null}
      <VerifyBundle initialPath={props.route.params['verify'] ?? null} />
    </section>
  );
}

function Verdict(props: { ok: boolean; warnings: number; testId: string; children: ReactNode }) {
  const { t } = useTranslation('audit');
  const cls = props.ok ? (props.warnings > 0 ? 'verdict warn' : 'verdict ok') : 'verdict fail';
  return (
    <div className={cls} role="status" data-testid={props.testId}>
      <span className="verdict-sign" aria-hidden="true">
        {props.ok ? (props.warnings > 0 ? '!' : '✓') : '✗'}
      </span>
      <div>
        <strong>
          {props.ok
            ? props.warnings > 0
              ? t('verdict.intactWarnings', { count: props.warnings })
              : t('verdict.intact')
            : t('verdict.broken')}
        </strong>
        <div>{props.children}</div>
      </div>
    </div>
  );
}

function Severity(props: { severity: 'error' | 'warning' }): ReactNode {
  const { t } = useTranslation('audit');
  return (
    <span className={`badge severity-${props.severity}`}>
      <span aria-hidden="true">{props.severity === 'error' ? '✗ ' : '! '}</span>
      {t(`severity.${props.severity}`)}
    </span>
  );
}

// ---- the vault audit --------------------------------------------------------------------------

type GroupBy = 'item' | 'event';

function problemItem(p: AuditProblemView): string | null {
  return p.itemId === undefined ? null : String(p.itemId);
}

function problemEvent(p: AuditProblemView): string | null {
  if (p.seq === undefined && p.chain === undefined) return null;
  const log = p.caseRef !== undefined ? p.caseRef : p.chain === 'vault' ? 'vault' : (p.chain ?? '');
  return p.seq === undefined ? log : `${log} #${p.seq}`;
}

function VaultAudit(): ReactNode {
  const { t } = useTranslation('audit');
  const job = useJob();
  const [report, setReport] = useState<AuditReportView | null>(null);
  const [cancelled, setCancelled] = useState(false);
  const [saved, setSaved] = useState<SavedFileView | null>(null);
  const [groupBy, setGroupBy] = useState<GroupBy>('item');

  const run = useAction(async () => {
    setCancelled(false);
    setSaved(null);
    try {
      setReport(await job.run((jobId) => kesi.audit(jobId)));
    } catch (e) {
      if (errorCodeOf(e) === 'CANCELLED') {
        setCancelled(true);
        return;
      }
      throw e;
    }
  });
  const save = useAction(async () => {
    if (report === null) return;
    // The day in East Africa Time, as every date the app shows.
    const day = isoToEatInput(report.finishedAt).slice(0, 10);
    const path = await kesi.chooseSavePath(`Kesi audit ${day}.pdf`);
    if (path === null) return;
    setSaved(await kesi.exportAuditReport(path));
  });
  const open = useAction((path: string) => kesi.openPath(path));

  const errors = report?.problems.filter((p) => p.severity === 'error').length ?? 0;
  const warnings = (report?.problems.length ?? 0) - errors;
  const p = job.progress;
  return (
    <section className="card audit-vault" aria-labelledby="audit-vault-heading">
      <h2 id="audit-vault-heading">{t('vault.title')}</h2>
      <p className="hint">{t('vault.intro')}</p>
      <ErrorMessage error={run.error ?? save.error ?? open.error} testId="audit-error" />
      {job.jobId !== null ? (
        <JobProgress
          job={job}
          label={t('vault.running')}
          detail={p?.phase ? t(`phase.${p.phase}`, { defaultValue: p.phase }) : undefined}
          countText={
            p?.phase === 'blobs'
              ? t('vault.bytesOf', { done: formatBytes(p.done), total: formatBytes(p.total) })
              : undefined
          }
        />
      ) : (
        <div className="actions">
          <button
            type="button"
            className="primary"
            onClick={() => void run.run()}
            disabled={run.busy}
            data-testid="run-audit"
          >
            {report ? t('vault.again') : t('vault.run')}
          </button>
        </div>
      )}
      {cancelled ? (
        <p className="warning" role="status" data-testid="audit-cancelled">
          {t('vault.cancelled')}
        </p>
      ) : null}
      {report ? (
        <div className="audit-result" data-testid="audit-result">
          <Verdict ok={report.ok} warnings={warnings} testId="audit-verdict">
            {t('vault.checked', {
              chains: report.counts.chains,
              events: report.counts.events,
              items: report.counts.items,
              blobs: report.counts.blobs,
              bytes: formatBytes(report.counts.bytesChecked),
            })}{' '}
            {t('vault.when', { at: eatSeconds(report.finishedAt) })}
          </Verdict>
          {report.problems.length > 0 ? (
            <>
              <div className="group-by" role="radiogroup" aria-label={t('vault.groupBy')}>
                {(['item', 'event'] as const).map((g) => (
                  <label key={g}>
                    <input
                      type="radio"
                      name="audit-group"
                      checked={groupBy === g}
                      onChange={() => setGroupBy(g)}
                    />{' '}
                    {t(`vault.by.${g}`)}
                  </label>
                ))}
              </div>
              <ProblemGroups problems={report.problems} groupBy={groupBy} />
            </>
          ) : (
            <p className="muted">{t('vault.noProblems')}</p>
          )}
          <div className="actions">
            <button
              type="button"
              onClick={() => void save.run()}
              disabled={save.busy}
              data-testid="export-audit"
            >
              {save.busy ? t('vault.saving') : t('vault.export')}
            </button>
          </div>
          {saved ? (
            <div className="success" role="status" data-testid="audit-saved">
              <p>
                {t('vault.saved')} <span className="mono small">{saved.path}</span>
              </p>
              <button type="button" onClick={() => void open.run(saved.path)}>
                {t('vault.open')}
              </button>
            </div>
          ) : null}
        </div>
      ) : null}
    </section>
  );
}

function ProblemGroups(props: {
  problems: readonly AuditProblemView[];
  groupBy: GroupBy;
}): ReactNode {
  const { t } = useTranslation('audit');
  const keyOf = props.groupBy === 'item' ? problemItem : problemEvent;
  const groups = new Map<string, AuditProblemView[]>();
  for (const p of props.problems) {
    const k = keyOf(p) ?? '';
    groups.set(k, [...(groups.get(k) ?? []), p]);
  }
  const keys = [...groups.keys()].sort((a, b) =>
    a === '' ? 1 : b === '' ? -1 : a.localeCompare(b, 'en', { numeric: true }),
  );
  return (
    <table className="plain-table audit-problems" data-testid="audit-problems">
      <thead>
        <tr>
          <th scope="col">{t('problem.severity')}</th>
          <th scope="col">{t('problem.what')}</th>
          <th scope="col">{t('problem.item')}</th>
          <th scope="col">{t('problem.event')}</th>
        </tr>
      </thead>
      {keys.map((k) => (
        <tbody key={k}>
          <tr className="index-section">
            <th scope="rowgroup" colSpan={4}>
              {k === ''
                ? t(`vault.other.${props.groupBy}`)
                : props.groupBy === 'item'
                  ? t('vault.itemGroup', { id: k })
                  : t('vault.eventGroup', { event: k })}
            </th>
          </tr>
          {(groups.get(k) ?? []).map((p, i) => (
            <tr key={i}>
              <td>
                <Severity severity={p.severity} />
              </td>
              <td>
                {p.message}
                <div className="muted small mono">{p.code}</div>
              </td>
              <td>{p.itemId ?? NONE}</td>
              <td>{problemEvent(p) ?? NONE}</td>
            </tr>
          ))}
        </tbody>
      ))}
    </table>
  );
}

// ---- a bundle file ----------------------------------------------------------------------------

const STATUS_SIGN: Record<string, string> = { pass: '✓', fail: '✗', warn: '!', skipped: '–' };

function VerifyBundle(props: { initialPath: string | null }): ReactNode {
  const { t } = useTranslation('audit');
  const [report, setReport] = useState<BundleVerifyView | null>(null);
  const [over, setOver] = useState(false);
  const [noPath, setNoPath] = useState(false);
  const [againstVault, setAgainstVault] = useState(false);
  const [lastPath, setLastPath] = useState<string | null>(null);
  const input = useRef<HTMLInputElement>(null);
  const verify = useAction(async (path: string, withVault: boolean) => {
    setReport(null);
    setLastPath(path);
    setReport(await kesi.verifyBundle(path, { againstVault: withVault }));
  });
  useEffect(() => {
    if (props.initialPath) void verify.run(props.initialPath, againstVault);
  }, [props.initialPath]);

  const take = (files: FileList | null) => {
    const file = files?.[0];
    if (!file) return;
    const path = host().pathForFile(file);
    setNoPath(path === null);
    if (path !== null) void verify.run(path, againstVault);
  };
  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    e.stopPropagation();
    setOver(false);
    take(e.dataTransfer.files);
  };

  return (
    <section className="card audit-bundle" aria-labelledby="audit-bundle-heading">
      <h2 id="audit-bundle-heading">{t('bundle.title')}</h2>
      <p className="hint">{t('bundle.intro')}</p>
      <div
        className={`dropzone verify-drop${over ? ' drop-over' : ''}`}
        data-testid="verify-drop"
        onDragEnter={(e) => {
          e.preventDefault();
          setOver(true);
        }}
        onDragOver={(e) => {
          e.preventDefault();
          e.dataTransfer.dropEffect = 'copy';
        }}
        onDragLeave={() => setOver(false)}
        onDrop={onDrop}
      >
        <p>{t('bundle.drop')}</p>
        <button type="button" onClick={() => input.current?.click()}>
          {t('bundle.pick')}
        </button>
        <input
          ref={input}
          type="file"
          accept="application/pdf,.pdf"
          className="visually-hidden"
          tabIndex={-1}
          aria-label={t('bundle.pick')}
          data-testid="verify-file-input"
          onChange={(e) => {
            take(e.target.files);
            e.target.value = '';
          }}
        />
      </div>
      <label className="check-option">
        <input
          type="checkbox"
          checked={againstVault}
          data-testid="verify-against-vault"
          onChange={(e) => {
            setAgainstVault(e.target.checked);
            if (lastPath !== null && !verify.busy) void verify.run(lastPath, e.target.checked);
          }}
        />{' '}
        {t('bundle.againstVault')}
      </label>
      {noPath ? (
        <p className="error" role="alert">
          {t('bundle.noPath')}
        </p>
      ) : null}
      {verify.busy ? (
        <p className="muted" role="status" data-testid="verify-running">
          {t('bundle.running')}
        </p>
      ) : null}
      <ErrorMessage error={verify.error} testId="verify-error" />
      {report ? <BundleReport report={report} /> : null}
    </section>
  );
}

function BundleReport(props: { report: BundleVerifyView }): ReactNode {
  const { t } = useTranslation('audit');
  const r = props.report;
  const errors = r.problems.filter((p) => p.severity === 'error').length;
  const warnings = r.problems.length - errors;
  const general = r.problems.filter((p) => p.exhibitNumber === undefined);
  const checks = BUNDLE_CHECKS.filter((c) => c in r.checks);
  return (
    <div className="bundle-report" data-testid="verify-result">
      <Verdict ok={r.ok} warnings={warnings} testId="verify-verdict">
        {t('bundle.file', {
          name: r.file.name ?? r.path,
          size: formatBytes(r.file.size),
          pages: r.pages ?? '?',
        })}
      </Verdict>
      <dl className="facts">
        <dt>{t('bundle.sha256')}</dt>
        <dd className="mono small">{r.file.sha256}</dd>
        {r.manifest ? (
          <>
            <dt>{t('bundle.case')}</dt>
            <dd>
              {r.manifest.caseRef} · {r.manifest.caseTitle}
            </dd>
            <dt>{t('bundle.generated')}</dt>
            <dd>
              {eatSeconds(r.manifest.generatedAt)}
              {r.manifest.signer ? ` · ${t('bundle.by', { user: r.manifest.signer.user })}` : ''}
            </dd>
          </>
        ) : null}
        {r.pdfSignature ? (
          <>
            <dt>{t('bundle.signature')}</dt>
            <dd>
              {r.pdfSignature.certificate?.commonName ?? r.pdfSignature.name ?? '?'}
              {r.pdfSignature.signingTime ? ` · ${eatSeconds(r.pdfSignature.signingTime)}` : ''}
            </dd>
          </>
        ) : null}
        {r.vault ? (
          <>
            <dt>{t('bundle.vaultComparison')}</dt>
            <dd data-testid="verify-vault-comparison">
              {t(`comparison.${r.vault.comparison}`)}
              {r.vault.exportedBy
                ? ` · ${t('bundle.exportedBy', { user: r.vault.exportedBy })}`
                : ''}
            </dd>
          </>
        ) : null}
      </dl>
      <ul className="check-list" aria-label={t('bundle.checks')} data-testid="verify-checks">
        {checks.map((c) => {
          const status = r.checks[c] ?? 'skipped';
          return (
            <li key={c} className={`check check-${status}`}>
              <span aria-hidden="true">{STATUS_SIGN[status] ?? '?'}</span>{' '}
              {t(`check.${c}`, { defaultValue: c })}: <strong>{t(`status.${status}`)}</strong>
            </li>
          );
        })}
      </ul>
      <h3>{t('bundle.exhibits', { count: r.exhibits.length })}</h3>
      <table className="plain-table" data-testid="verify-exhibits">
        <thead>
          <tr>
            <th scope="col">{t('bundle.exhibit')}</th>
            <th scope="col">{t('bundle.exhibitTitle')}</th>
            <th scope="col" className="num">
              {t('bundle.pages')}
            </th>
            <th scope="col" className="num">
              {t('bundle.events')}
            </th>
            <th scope="col">{t('bundle.verdict')}</th>
          </tr>
        </thead>
        <tbody>
          {r.exhibits.map((e) => (
            <tr key={e.itemUid} data-testid={`verify-exhibit-${e.exhibitNumber}`}>
              <td className="mono">{e.exhibitNumber}</td>
              <td>
                {e.title}
                {e.problems.map((p, i) => (
                  <div key={i} className="small">
                    <Severity severity={p.severity} /> {p.message}
                    {p.seq !== undefined ? ` (${t('bundle.eventNo', { seq: p.seq })})` : ''}
                  </div>
                ))}
              </td>
              <td className="num">
                {e.firstPage === e.lastPage ? e.firstPage : `${e.firstPage}–${e.lastPage}`}
              </td>
              <td className="num">{e.events}</td>
              <td>
                <span className={e.ok ? 'badge verified' : 'badge failed'}>
                  <span aria-hidden="true">{e.ok ? '✓ ' : '✗ '}</span>
                  {e.ok ? t('bundle.exhibitOk') : t('bundle.exhibitBad')}
                </span>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {general.length > 0 ? (
        <>
          <h3>{t('bundle.otherProblems', { count: general.length })}</h3>
          <ul className="problem-list" data-testid="verify-problems">
            {general.map((p, i) => (
              <li key={i}>
                <Severity severity={p.severity} /> {p.message}
                <span className="muted small mono">
                  {' '}
                  {[
                    p.code,
                    p.page !== undefined ? t('bundle.page', { page: p.page }) : null,
                    p.seq !== undefined ? t('bundle.eventNo', { seq: p.seq }) : null,
                  ]
                    .filter(Boolean)
                    .join(' · ')}
                </span>
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </div>
  );
}
