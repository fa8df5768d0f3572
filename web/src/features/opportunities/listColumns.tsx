import { Grid, Space, Typography, type TableProps } from 'antd';
import { Link } from 'react-router';
import { useT } from '../../i18n/useI18n.ts';
import { useMoney } from '../../i18n/money.ts';
import { ProblemBadges, StatusTag } from './bits.tsx';
import type { Opportunity } from './types.ts';

/** The opportunity list's columns, shared by its "all" and "needs attention" tabs. */
export function useColumns(): TableProps<Opportunity>['columns'] {
  const t = useT();
  const money = useMoney();
  const screens = Grid.useBreakpoint();
  return [
    {
      title: t('opps.col.name'),
      key: 'name',
      sorter: true,
      fixed: screens.md ? 'left' : undefined,
      width: screens.md ? 260 : undefined,
      render: (_, opportunity) => (
        <Space direction="vertical" size={0}>
          <Link to={`/opportunities/${opportunity.id}`} style={{ fontWeight: 600 }} data-testid="opp-link">
            {opportunity.name}
          </Link>
          <Link to={`/accounts/${opportunity.accountId}`} style={{ fontSize: 12, color: '#64748b' }}>
            {opportunity.accountName}
          </Link>
          {/* On a phone the other columns fold into the name: what a rep on the road needs at a glance. */}
          {!screens.md && (
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {[
                money(opportunity.amount, true),
                opportunity.stageName && `${opportunity.stageName} ${opportunity.probability ?? 0}%`,
                opportunity.expectedCloseDate,
              ]
                .filter(Boolean)
                .join(' · ')}
            </Typography.Text>
          )}
        </Space>
      ),
    },
    {
      title: t('opps.col.status'),
      key: 'status',
      width: 90,
      responsive: ['md'],
      render: (_, o) => <StatusTag status={o.status} />,
    },
    {
      title: t('opps.col.stage'),
      key: 'stage',
      width: 170,
      responsive: ['md'],
      render: (_, record) =>
        record.stageName ? (
          <Space direction="vertical" size={0}>
            <span>
              {record.stageName} · {record.probability ?? 0}%
            </span>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {record.processName}
            </Typography.Text>
          </Space>
        ) : (
          '—'
        ),
    },
    {
      title: t('opps.col.amount'),
      key: 'amount',
      align: 'right',
      sorter: true,
      width: 130,
      render: (_, o) => money(o.amount),
    },
    {
      title: t('opps.col.expected'),
      key: 'expected',
      align: 'right',
      width: 130,
      responsive: ['lg'],
      render: (_, o) => (o.status === 'open' ? money(o.expectedAmount) : '—'),
    },
    {
      title: t('opps.col.close'),
      key: 'expectedCloseDate',
      sorter: true,
      width: 120,
      responsive: ['md'],
      render: (_, o) => o.expectedCloseDate ?? '—',
    },
    {
      title: t('opps.col.owner'),
      key: 'owner',
      width: 110,
      responsive: ['md'],
      render: (_, opportunity) => (
        <Space direction="vertical" size={0}>
          <span>{opportunity.ownerName ?? '—'}</span>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {opportunity.orgUnitName}
          </Typography.Text>
        </Space>
      ),
    },
    {
      title: t('opps.col.daysInStage'),
      key: 'stageEnteredAt',
      sorter: true,
      width: 100,
      responsive: ['lg'],
      align: 'right',
      render: (_, o) => o.daysInStage ?? '—',
    },
    {
      title: t('opps.col.problems'),
      key: 'problems',
      width: 220,
      render: (_, record) =>
        record.problems.length || record.stageAheadOfBuyer ? (
          <ProblemBadges o={record} compact />
        ) : (
          <Typography.Text type="secondary">—</Typography.Text>
        ),
    },
  ];
}
