import { Link } from 'react-router';
import { Card, Table, Typography } from 'antd';
import { useT } from '../../i18n/useI18n.ts';
import { useMismatches, type Industry, type TerritoryMismatch } from './api.ts';
import { industryLabel } from './placeLabels.ts';

/**
 * Accounts held by someone other than their territory's rep (a rep's own new account in a
 * colleague's slice, an owner changed by hand): listed for the managers to settle.
 */
export function MismatchesCard() {
  const t = useT();
  const mismatches = useMismatches();
  const data = mismatches.data;
  if (!data || data.total === 0) return null;
  return (
    <Card size="small" title={t('territories.mismatchesTitle', { n: data.total })} data-testid="territory-mismatches">
      <Typography.Paragraph type="secondary" style={{ marginBottom: 8 }}>
        {t('territories.mismatchesHint')}
      </Typography.Paragraph>
      <Table
        size="small"
        rowKey="accountId"
        dataSource={data.items}
        pagination={{ pageSize: 10, hideOnSinglePage: true }}
        columns={[
          {
            title: t('territories.col.account'),
            key: 'account',
            render: (_: unknown, m: TerritoryMismatch) => <Link to={`/accounts/${m.accountId}`}>{m.accountName}</Link>,
          },
          {
            title: t('territories.col.placeIndustry'),
            key: 'place',
            responsive: ['md'],
            render: (_: unknown, record: TerritoryMismatch) =>
              `${[record.province, record.city].filter(Boolean).join(' · ')} · ${industryLabel(t, record.industry as Industry | null)}`,
          },
          { title: t('territories.col.owner'), dataIndex: 'ownerName', key: 'owner' },
          { title: t('territories.col.territoryRep'), dataIndex: 'territoryUserName', key: 'rep' },
        ]}
      />
    </Card>
  );
}
