import { Empty, Skeleton, Timeline, Typography } from 'antd';
import { LoadError } from '../../components/LoadError.tsx';
import { useDates } from '../../i18n/useDates.ts';
import { useT } from '../../i18n/useI18n.ts';
import { useAccountHistory } from './api.ts';
import { useHistoryText } from '../timeline/historyText.ts';

/** Owner, tier, status and archive changes: who, when and why (docs/archive.md, §8 audit trail). */
export function HistoryTab({ accountId }: { accountId: number }) {
  const t = useT();
  const history = useAccountHistory(accountId);
  const words = useHistoryText();
  const dates = useDates();
  if (history.isError && !history.data)
    return <LoadError error={history.error} onRetry={() => void history.refetch()} />;
  if (!history.data) return <Skeleton active />;
  if (history.data.length === 0)
    return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('accounts.history.empty')} />;
  return (
    <Timeline
      style={{ marginTop: 8 }}
      items={history.data.map((historyEntry) => ({
        key: historyEntry.id,
        content: (
          <div>
            <Typography.Text strong>{words.field(historyEntry.field)}</Typography.Text>{' '}
            <Typography.Text>
              {words.value(historyEntry.field, historyEntry.oldValue, historyEntry.oldLabel)} →{' '}
              {words.value(historyEntry.field, historyEntry.newValue, historyEntry.newLabel)}
            </Typography.Text>
            <br />
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {dates.format(historyEntry.createdAt, 'dateTime')} ·{' '}
              {historyEntry.actorName ?? t('accounts.history.system')}
            </Typography.Text>
            {historyEntry.reason && (
              <Typography.Paragraph style={{ margin: '4px 0 0', fontSize: 13 }}>
                {t('accounts.history.reason')}: {words.reason(historyEntry.field, historyEntry.reason)}
              </Typography.Paragraph>
            )}
          </div>
        ),
      }))}
    />
  );
}
