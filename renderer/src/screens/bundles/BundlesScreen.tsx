// The court bundle builder of a case, its Bundles tab (#/case?ref=<case>&tab=bundles[&bundle=<uid>];
// #/bundles?ref=<case> leads there, #/bundles alone asks for the case): the stored bundles,
// then for the one open: items in sections (drag, or the keyboard), exhibit numbers, cover
// details and the index; save; generate the signed PDF where the user chooses, with progress and
// cancel; then open it, or check it on the audit screen.
import { useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { DEFAULT_EXHIBIT_PREFIX } from '../../../../shared/bundle-spec';
import type {
  BundleView,
  CaseView,
  GeneratedBundleView,
  ItemView,
} from '../../../../shared/contract';
import { errorCodeOf } from '../../../../shared/envelope';
import { kesi } from '../../api';
import { useAction, useCall } from '../../app/hooks';
import { useNavigation } from '../../app/navigation';
import type { ScreenProps } from '../../app/screen';
import { useSession } from '../../app/session';
import { ErrorMessage } from '../../components/ErrorMessage';
import { eat, formatBytes } from '../../lib/format';
import { BundleBuilder } from './BundleBuilder';
import { CoverForm, IndexPreview } from './CoverAndIndex';
import {
  draftFromSpec,
  emptyCover,
  indexRows,
  initialDraft,
  pagesFromLog,
  specOf,
  type Draft,
} from './draft';
import { JobProgress } from './ProgressBar';
import { useJob } from './useJob';
import './bundles.css';

/** Today in Nairobi (EAT, UTC+3, no daylight saving), YYYY-MM-DD. */
function todayEat(): string {
  return new Date(Date.now() + 3 * 3600_000).toISOString().slice(0, 10);
}

/** A file name from a case reference: letters, digits, dot, dash, underscore. */
function fileName(ref: string, title: string): string {
  const safe = (s: string) => s.replace(/[^\p{L}\p{N}._-]+/gu, '-').replace(/^-+|-+$/g, '');
  return `${safe(ref)} ${safe(title).slice(0, 60) || 'bundle'}.pdf`;
}

export function BundlesScreen(props: ScreenProps): ReactNode {
  const { navigate } = useNavigation();
  const ref = props.route.params['ref'] ?? '';
  const bundle = props.route.params['bundle'] ?? null;
  useEffect(() => {
    if (ref !== '') navigate({ screen: 'case', ref, tab: 'bundles', bundle }, { replace: true });
  }, [ref, bundle, navigate]);
  if (ref === '') return <PickCase />;
  return null;
}

/** Where the builder of a case's bundle is. */
function bundleRoute(ref: string, bundle?: string) {
  return { screen: 'case', ref, tab: 'bundles', bundle };
}

function PickCase(): ReactNode {
  const { t } = useTranslation('bundles');
  const { href } = useNavigation();
  const cases = useCall(() => kesi.listCases(), []);
  return (
    <section
      className="screen bundles-screen"
      aria-labelledby="bundles-heading"
      data-testid="bundles-screen"
    >
      <h1 id="bundles-heading">{t('pickCase')}</h1>
      <ErrorMessage error={cases.error} />
      <ul className="link-list">
        {(cases.data ?? []).map((c) => (
          <li key={c.id}>
            <a href={href(bundleRoute(c.ref))}>
              <strong>{c.ref}</strong> · {c.title}
            </a>
          </li>
        ))}
      </ul>
    </section>
  );
}

export function CaseBundles(props: { caseRef: string; bundleUid: string | null }): ReactNode {
  const { t } = useTranslation('bundles');
  const { navigate } = useNavigation();
  const data = useCall(
    () =>
      Promise.all([
        kesi.listItems(props.caseRef),
        kesi.listBundles(props.caseRef),
        kesi.getCase(props.caseRef),
      ]),
    [props.caseRef],
  );
  // The editor starts afresh when another bundle is chosen, not when the one being edited is
  // saved for the first time and gets its uid in the address (its work, e.g. a generation
  // under way, goes on).
  const [editorKey, setEditorKey] = useState(props.bundleUid ?? 'new');
  const adopted = useRef<string | null>(null);
  useEffect(() => {
    if (props.bundleUid !== null && props.bundleUid === adopted.current) return;
    adopted.current = null;
    setEditorKey(props.bundleUid ?? `new-${Date.now()}`);
  }, [props.bundleUid]);
  if (data.error) return <ErrorMessage error={data.error} />;
  if (!data.data) return <p className="muted">{t('common:loading')}</p>;
  const [items, bundles, kase] = data.data;
  const open = bundles.find((b) => b.uid === props.bundleUid) ?? null;
  return (
    <div className="bundles-layout">
      <nav className="card bundle-list" aria-labelledby="bundle-list-heading">
        <h2 id="bundle-list-heading">{t('list.title')}</h2>
        {bundles.length === 0 ? <p className="muted">{t('list.none')}</p> : null}
        <ul>
          {bundles.map((b) => (
            <li key={b.uid}>
              <button
                type="button"
                className={b.uid === props.bundleUid ? 'link current' : 'link'}
                aria-current={b.uid === props.bundleUid ? 'page' : undefined}
                onClick={() => navigate(bundleRoute(props.caseRef, b.uid))}
              >
                {b.title}
              </button>
              <span className="muted small">
                {b.lastGeneratedAt
                  ? t('list.generated', { at: eat(b.lastGeneratedAt) })
                  : t('list.notGenerated')}
              </span>
            </li>
          ))}
        </ul>
        <button
          type="button"
          onClick={() => navigate(bundleRoute(props.caseRef))}
          data-testid="new-bundle"
        >
          {t('list.new')}
        </button>
      </nav>
      <Editor
        key={editorKey}
        caseRef={props.caseRef}
        items={items}
        kase={kase}
        stored={open}
        onGenerated={data.reload}
        onSaved={(b) => {
          data.setData((prev) =>
            prev ? [prev[0], [...prev[1].filter((x) => x.uid !== b.uid), b], prev[2]] : prev,
          );
          if (b.uid !== props.bundleUid) {
            adopted.current = b.uid;
            navigate(bundleRoute(props.caseRef, b.uid), { replace: true });
          }
        }}
      />
    </div>
  );
}

function Editor(props: {
  caseRef: string;
  items: readonly ItemView[];
  kase: CaseView;
  stored: BundleView | null;
  onSaved(b: BundleView): void;
  onGenerated(): void;
}): ReactNode {
  const { t } = useTranslation('bundles');
  const session = useSession();
  const { navigate } = useNavigation();
  const readOnly = !session.can('bundles.write');
  const [draft, setDraft] = useState<Draft>(() =>
    props.stored
      ? draftFromSpec(props.stored.spec)
      : initialDraft(props.caseRef, props.items, {
          ...emptyCover(todayEat(), session.user.name),
          // What the case already says about its court.
          court: props.kase.court ?? '',
          caseNumber: props.kase.courtCaseNumber ?? '',
        }),
  );
  const [savedUid, setSavedUid] = useState<string | null>(props.stored?.uid ?? null);
  const [dirty, setDirty] = useState(props.stored === null);
  const [tried, setTried] = useState(false);
  const [generated, setGenerated] = useState<GeneratedBundleView | null>(null);
  const [pages, setPages] = useState<Map<string, { first: number; last: number }>>(new Map());
  const [cancelled, setCancelled] = useState(false);
  const job = useJob();

  const checked = useMemo(() => specOf(draft), [draft]);
  const problems = checked.ok ? [] : checked.problems;
  const byUid = useMemo(() => new Map(props.items.map((i) => [i.uid, i])), [props.items]);
  const rows = useMemo(() => indexRows(draft, byUid, pages), [draft, byUid, pages]);

  // Pages of a file generated before (the last one), from the case log.
  useEffect(() => {
    const sha = props.stored?.lastSha256;
    if (!sha) return;
    let live = true;
    kesi.caseLog(props.caseRef).then(
      (events) => live && setPages(pagesFromLog(events, sha)),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [props.caseRef, props.stored?.lastSha256]);

  const change = (next: Draft) => {
    setDraft(next);
    setDirty(true);
    setGenerated(null);
    setPages(new Map());
  };
  const nextNumber = () => {
    const taken = new Set(
      draft.sections.flatMap((s) => s.items.map((i) => i.exhibitNumber.toLowerCase())),
    );
    for (const i of props.items) if (i.exhibitNumber) taken.add(i.exhibitNumber.toLowerCase());
    for (let n = 1; ; n++) {
      const c = `${DEFAULT_EXHIBIT_PREFIX}${n}`;
      if (!taken.has(c.toLowerCase())) return c;
    }
  };

  const save = useAction(async (): Promise<BundleView | null> => {
    setTried(true);
    if (!checked.ok) return null;
    const b = await kesi.saveBundle(checked.spec, savedUid ?? undefined);
    setSavedUid(b.uid);
    setDirty(false);
    props.onSaved(b);
    return b;
  });

  const generate = useAction(async () => {
    setCancelled(false);
    let uid = savedUid;
    if (dirty || uid === null) {
      const b = await save.run();
      if (!b) return;
      uid = b.uid;
    }
    const path = await kesi.chooseSavePath(fileName(props.caseRef, draft.cover.title));
    if (path === null) return;
    const bundleUid = uid;
    try {
      const result = await job.run((jobId) => kesi.generateBundle(bundleUid, path, {}, jobId));
      setGenerated(result);
      props.onGenerated();
      const events = await kesi.caseLog(props.caseRef);
      setPages(pagesFromLog(events, result.sha256));
    } catch (e) {
      if (errorCodeOf(e) === 'CANCELLED') {
        setCancelled(true);
        return;
      }
      throw e;
    }
  });
  const openFile = useAction((path: string) => kesi.openPath(path));

  const exhibits = draft.sections.reduce((n, s) => n + s.items.length, 0);
  const p = job.progress;
  return (
    <div className="bundle-editor" data-testid="bundle-editor">
      <CoverForm
        cover={draft.cover}
        problems={problems}
        showProblems={tried}
        readOnly={readOnly}
        onChange={(cover) => change({ ...draft, cover })}
      />
      <h2 className="bundle-subhead">{t('sections.title', { count: exhibits })}</h2>
      <p className="hint">{t('sections.hint')}</p>
      <BundleBuilder
        draft={draft}
        items={props.items}
        problems={tried ? problems : problems.filter((x) => x.field === 'exhibitNumber')}
        onChange={change}
        nextNumber={nextNumber}
        readOnly={readOnly}
      />
      <IndexPreview rows={rows} generated={pages.size > 0} />
      <section className="card bundle-generate" aria-labelledby="bundle-generate-heading">
        <h2 id="bundle-generate-heading">{t('generate.title')}</h2>
        {tried && !checked.ok ? (
          <p className="error" role="alert" data-testid="spec-problems">
            {t('generate.problems', { count: problems.length })}{' '}
            {problems[0] ? `(${problems[0].message})` : ''}
          </p>
        ) : null}
        <ErrorMessage
          error={save.error ?? generate.error ?? openFile.error}
          testId="bundle-error"
        />
        {job.jobId !== null ? (
          <JobProgress
            job={job}
            label={t('generate.running')}
            detail={
              p?.phase === 'exhibits' || p?.phase === undefined
                ? undefined
                : t(`generate.phase.${p.phase}`, { defaultValue: p.phase })
            }
          />
        ) : (
          <div className="actions">
            {readOnly ? null : (
              <button
                type="button"
                onClick={() => void save.run()}
                disabled={save.busy || generate.busy || !dirty}
                data-testid="save-bundle"
              >
                {save.busy ? t('common:saving') : dirty ? t('generate.save') : t('generate.saved')}
              </button>
            )}
            {readOnly ? null : (
              <button
                type="button"
                className="primary"
                onClick={() => void generate.run()}
                disabled={generate.busy || exhibits === 0}
                data-testid="generate-bundle"
              >
                {t('generate.button')}
              </button>
            )}
          </div>
        )}
        {cancelled ? (
          <p className="warning" role="status" data-testid="bundle-cancelled">
            {t('generate.cancelled')}
          </p>
        ) : null}
        {generated ? (
          <div className="success bundle-result" role="status" data-testid="bundle-result">
            <p>
              <strong>{t('generate.done')}</strong>{' '}
              {t('generate.summary', {
                pages: generated.pages,
                size: formatBytes(generated.bytes),
                at: eat(generated.generatedAt),
              })}
            </p>
            <p className="mono small" data-testid="bundle-path">
              {generated.path}
            </p>
            <p className="small">
              {t('generate.sha256')} <span className="mono">{generated.sha256}</span>
            </p>
            <div className="actions">
              <button
                type="button"
                onClick={() => void openFile.run(generated.path)}
                data-testid="open-bundle"
              >
                {t('generate.open')}
              </button>
              <button
                type="button"
                onClick={() => navigate({ screen: 'audit', verify: generated.path })}
                data-testid="verify-bundle-link"
              >
                {t('generate.verify')}
              </button>
            </div>
          </div>
        ) : null}
      </section>
    </div>
  );
}
