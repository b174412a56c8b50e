// One case, in tabs: Overview, Persons, Evidence (list with a detail pane), Custody, Bundles.
// Files dropped anywhere on the case are taken in; the progress panel stays above the tabs.
import { useCallback, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { kesi } from '../../api';
import { useCall } from '../../app/hooks';
import { useNavigation } from '../../app/navigation';
import type { ScreenProps } from '../../app/screen';
import { useSession } from '../../app/session';
import { ErrorMessage } from '../../components/ErrorMessage';
import { Icon } from '../../components/Icon';
import { TabPanel, Tabs } from '../../components/Tabs';
import { CaseBundles } from '../bundles/BundlesScreen';
import { CaseLogTab } from './CaseLogTab';
import { EvidenceTab } from './EvidenceTab';
import { IntakeStatus } from './IntakePanel';
import { OverviewTab } from './OverviewTab';
import { PersonsTab } from './PersonsTab';
import { useIntake } from './useIntake';

const TABS = ['overview', 'persons', 'evidence', 'custody', 'bundles'] as const;
type Tab = (typeof TABS)[number];

function tabOf(x: string | undefined): Tab {
  if (x === 'log') return 'custody'; // links made before the tab was renamed
  return TABS.find((t) => t === x) ?? 'overview';
}

/** Files (not text or a dragged row of the bundle builder) are being dragged. */
function draggingFiles(e: React.DragEvent): boolean {
  return Array.from(e.dataTransfer.types).includes('Files');
}

export function CaseScreen(props: ScreenProps): ReactNode {
  const ref = props.route.params['ref'] ?? '';
  // Another case: everything starts afresh (its intake panel, filters, selection).
  return <CaseView key={ref} caseRef={ref} params={props.route.params} />;
}

function CaseView(props: { caseRef: string; params: Readonly<Record<string, string>> }): ReactNode {
  const { t } = useTranslation('case');
  const { navigate, href } = useNavigation();
  const session = useSession();
  const ref = props.caseRef;
  const tab = tabOf(props.params['tab']);
  const kase = useCall(() => kesi.getCase(ref), [ref]);
  const items = useCall(() => kesi.listItems(ref), [ref]);
  const reloadItems = items.reload;
  const onAdded = useCallback(() => reloadItems(), [reloadItems]);
  const intake = useIntake(ref, onAdded);
  const canAdd = session.can('items.add');
  const tabs = TABS.filter((id) => id !== 'bundles' || session.can('bundles.write'));

  if (kase.error) {
    return (
      <section className="screen">
        <p className="breadcrumb">
          <a href={href({ screen: 'cases' })}>{t('cases:title')}</a>
        </p>
        <ErrorMessage error={kase.error} />
      </section>
    );
  }
  const c = kase.data;
  return (
    <section
      className={intake.over ? 'screen case-screen drop-over' : 'screen case-screen'}
      aria-labelledby="case-heading"
      data-testid="case-screen"
      onDragOver={(e) => {
        if (!canAdd || !draggingFiles(e)) return;
        e.preventDefault();
        e.dataTransfer.dropEffect = intake.running ? 'none' : 'copy';
        if (!intake.over) intake.setOver(true);
      }}
      onDragLeave={(e) => {
        // Leaving for a child is not leaving the case.
        if (e.currentTarget.contains(e.relatedTarget as Node | null)) return;
        intake.setOver(false);
      }}
      onDrop={(e) => {
        if (!canAdd || !draggingFiles(e)) return;
        e.preventDefault();
        intake.setOver(false);
        intake.start(Array.from(e.dataTransfer.files));
      }}
    >
      <p className="breadcrumb">
        <a href={href({ screen: 'cases' })}>{t('cases:title')}</a>
      </p>
      <div className="screen-head">
        <h1 id="case-heading">
          {c ? (
            <>
              <span className="mono">{c.ref}</span> — {c.title}
            </>
          ) : (
            t('common:loading')
          )}
        </h1>
      </div>
      {intake.over ? (
        <div className="drop-hint" aria-hidden="true">
          <Icon name="upload" size={28} />
          {t('intake.dropHere')}
        </div>
      ) : null}
      <IntakeStatus intake={intake} />
      <Tabs
        label={t('tabs.label')}
        idPrefix="case"
        tabs={tabs.map((id) => ({ id, label: t(`tabs.${id}`) }))}
        current={tab}
        onSelect={(id) => navigate({ screen: 'case', ref, tab: id }, { replace: true })}
      />
      {c ? (
        <TabPanel idPrefix="case" id={tab}>
          {tab === 'overview' ? (
            <OverviewTab kase={c} onChanged={(next) => kase.setData(() => next)} />
          ) : tab === 'persons' ? (
            <PersonsTab caseRef={c.ref} />
          ) : tab === 'evidence' ? (
            <EvidenceTab
              caseRef={c.ref}
              items={items}
              intake={canAdd ? intake : null}
              selectedId={Number(props.params['item']) || null}
            />
          ) : tab === 'custody' ? (
            <CaseLogTab caseRef={c.ref} />
          ) : (
            <CaseBundles caseRef={c.ref} bundleUid={props.params['bundle'] ?? null} />
          )}
        </TabPanel>
      ) : null}
    </section>
  );
}
