import type { ReactNode } from 'react';
import { Alert, Button, Skeleton } from 'antd';
import { problemMessage } from '../../api/problems.ts';
import { useI18n, useT } from '../../i18n/useI18n.ts';

/**
 * A report page before its figures are there: its controls stay usable above the problem (a
 * scope out of reach, a period that does not parse) with a way back to one's own figures, or
 * above a skeleton while loading.
 */
export function ReportPending({
  controls,
  report,
  onBack,
}: {
  controls: ReactNode;
  report: { isError: boolean; error: unknown };
  onBack: () => void;
}) {
  const t = useT();
  const say = useI18n();
  return (
    <>
      {controls}
      {report.isError ? (
        <Alert
          style={{ marginTop: 16 }}
          type="warning"
          showIcon
          message={problemMessage(report.error, say)}
          action={<Button onClick={onBack}>{t('forecast.backToMine')}</Button>}
        />
      ) : (
        <Skeleton active style={{ marginTop: 16 }} />
      )}
    </>
  );
}
