import { Button } from 'antd';
import { DownloadOutlined } from '@ant-design/icons';
import { useI18n } from '../../i18n/useI18n.ts';
import { useCan } from '../auth/session.ts';
import type { ExportReport as Report } from '../../../../src/contracts/exports.ts';
import { exportUrl, type ScopeParams } from './api.ts';

/** Downloads the report as Excel with the scope and period it shows (audited; only with the export permission). */
export function ExportReport({
  report,
  params,
}: {
  report: Report;
  params: ScopeParams & { processId?: number | undefined };
}) {
  const { t, locale } = useI18n();
  const can = useCan();
  if (!can('export')) return null;
  return (
    <Button icon={<DownloadOutlined />} href={exportUrl(report, params, locale)} data-testid={`export-${report}`}>
      {t('forecast.export')}
    </Button>
  );
}
