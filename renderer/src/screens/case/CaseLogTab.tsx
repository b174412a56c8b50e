// The case's custody chain, oldest first.
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { kesi } from '../../api';
import { useCall } from '../../app/hooks';
import { CustodyTimeline } from '../../components/CustodyTimeline';
import { ErrorMessage } from '../../components/ErrorMessage';

export function CaseLogTab(props: { caseRef: string }): ReactNode {
  const { t } = useTranslation('case');
  const log = useCall(() => kesi.caseLog(props.caseRef), [props.caseRef]);
  return (
    <div data-testid="case-log">
      <h2>{t('log.title')}</h2>
      <ErrorMessage error={log.error} />
      {log.data ? <CustodyTimeline events={log.data} /> : <p>{t('common:loading')}</p>}
    </div>
  );
}
