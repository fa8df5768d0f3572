import { Empty, Skeleton, Timeline, Typography } from 'antd';
import dayjs from 'dayjs';
import { LoadError } from '../../components/LoadError.tsx';
import type { MessageKey } from '../../i18n/zh-CN.ts';
import { zhCN } from '../../i18n/zh-CN.ts';
import { useT } from '../../i18n/useI18n.ts';
import { useAccountHistory } from './api.ts';

/** Owner, tier, status and archive changes: who, when and why (SPEC §3.3, §8 audit trail). */
export function HistoryTab({ accountId }: { accountId: number }) {
  const t = useT();
  const history = useAccountHistory(accountId);
  if (history.isError && !history.data) return <LoadError error={history.error} onRetry={() => void history.refetch()} />;
  if (!history.data) return <Skeleton active />;
  if (history.data.length === 0) return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('accounts.history.empty')} />;
  const fieldLabel = (f: string) => (`accounts.history.field.${f}` in zhCN ? t(`accounts.history.field.${f}` as MessageKey) : f);
  return (
    <Timeline
      style={{ marginTop: 8 }}
      items={history.data.map((h) => ({
        key: h.id,
        content: (
          <div>
            <Typography.Text strong>{fieldLabel(h.field)}</Typography.Text>{' '}
            <Typography.Text>{h.oldLabel ?? h.oldValue ?? t('common.none')} → {h.newLabel ?? h.newValue ?? t('common.none')}</Typography.Text>
            <br />
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>{dayjs(h.createdAt).format('YYYY-MM-DD HH:mm')} · {h.actorName ?? t('accounts.history.system')}</Typography.Text>
            {h.reason && <Typography.Paragraph style={{ margin: '4px 0 0', fontSize: 13 }}>{t('accounts.history.reason')}: {h.reason}</Typography.Paragraph>}
          </div>
        ),
      }))}
    />
  );
}
