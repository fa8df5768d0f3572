import { Drawer, Skeleton, Timeline, Typography } from 'antd';
import { useMoney } from '../../i18n/money.ts';
import { useDates } from '../../i18n/useDates.ts';
import { useT } from '../../i18n/useI18n.ts';
import { useRules } from '../territories/api.ts';
import { useQuotaHistory } from './api.ts';
import { useLineName, type Share } from './LineSplit.tsx';

/** The changes of one person's or unit's quotas, newest first: from, to, who, when and why. */
export function HistoryDrawer({
  subject,
  onClose,
}: {
  subject: { type: 'user' | 'unit'; id: number; name: string } | null;
  onClose: () => void;
}) {
  const t = useT();
  const money = useMoney();
  const dates = useDates();
  const historyQuery = useQuotaHistory(subject);
  const lines = useRules().data?.businessLines ?? [];
  const lineName = useLineName();
  // A category that is a line shows the line's name; small / large and lines since removed show their key.
  const category = (share: Share) => {
    const line = lines.find((l) => l.key === share.key);
    return `${line ? lineName(line) : share.key} ${share.share}%`;
  };
  const describe = (json: string | null) => {
    if (!json) return t('quotas.history.none');
    const quota = JSON.parse(json) as { amount: number; quarterRatios: number[]; basis: string; categories?: Share[] };
    const split = quota.categories?.length ? ` · ${quota.categories.map(category).join(' / ')}` : '';
    return `${money(quota.amount)} · ${quota.quarterRatios.join('/')} · ${t(`quotas.basis.${quota.basis as 'net' | 'tax_inclusive'}`)}${split}`;
  };
  return (
    <Drawer
      open={subject !== null}
      onClose={onClose}
      title={`${t('quotas.history')} · ${subject?.name ?? ''}`}
      size="default"
    >
      {historyQuery.isLoading ? (
        <Skeleton active />
      ) : (historyQuery.data?.items.length ?? 0) === 0 ? (
        <Typography.Text type="secondary">{t('quotas.history.empty')}</Typography.Text>
      ) : (
        <Timeline
          items={historyQuery.data!.items.map((entry) => ({
            key: entry.id,
            children: (
              <div>
                <div>
                  <b>FY{entry.fiscalYear}</b> · {dates.format(entry.at, 'dateTime')} · {entry.actorName ?? '—'}
                </div>
                <div>
                  {describe(entry.before)} → {describe(entry.after)}
                </div>
                <Typography.Text type="secondary">{entry.reason}</Typography.Text>
              </div>
            ),
          }))}
        />
      )}
    </Drawer>
  );
}
