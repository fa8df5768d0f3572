import { useState } from 'react';
import { Button, Empty, Flex, Space, Table, Tag, Tooltip } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { useI18n } from '../../i18n/useI18n.ts';
import { LoadError } from '../../components/LoadError.tsx';
import { formatFen } from '../../i18n/money.ts';
import { accountQueries, type OpportunityRow } from './api.ts';
import { NewOpportunityModal } from '../opportunities/NewOpportunityModal.tsx';
import { useShippedText } from '../processes/shippedText.ts';

const STATUS_COLOR = { open: 'processing', won: 'success', lost: 'error', abandoned: 'default' } as const;

/** The account's opportunities, open first (docs/archive.md: the account page shows them). */
export function OpportunitiesTab({
  account,
}: {
  account: { id: number; name: string; permissions: { edit: boolean } };
}) {
  const { t, locale } = useI18n();
  const shipped = useShippedText();
  const accountId = account.id;
  const [creating, setCreating] = useState(false);
  const list = useQuery(accountQueries.opportunities(accountId));
  if (list.isError) return <LoadError error={list.error} onRetry={() => void list.refetch()} />;
  const rows = [...(list.data?.items ?? [])].sort((a, b) => Number(b.status === 'open') - Number(a.status === 'open'));
  return (
    <>
      {account.permissions.edit && (
        <Flex justify="flex-end" style={{ marginBottom: 12 }}>
          <Button
            type="primary"
            icon={<PlusOutlined />}
            onClick={() => setCreating(true)}
            data-testid="account-new-opportunity"
          >
            {t('accounts.opps.new')}
          </Button>
        </Flex>
      )}
      {creating && <NewOpportunityModal account={account} onClose={() => setCreating(false)} />}
      <Table<OpportunityRow>
        rowKey="id"
        size="middle"
        loading={list.isPending}
        dataSource={rows}
        pagination={false}
        scroll={{ x: 900 }}
        locale={{
          emptyText: (
            <Empty
              image={Empty.PRESENTED_IMAGE_SIMPLE}
              description={
                <>
                  {t('accounts.opps.empty')}
                  <br />
                  {t('accounts.opps.emptyHint')}
                </>
              }
            />
          ),
        }}
        columns={[
          {
            title: t('accounts.opps.name'),
            dataIndex: 'name',
            render: (value: string, record) => (
              <Space direction="vertical" size={0}>
                <span>{value}</span>
                <span style={{ color: '#8c8c8c', fontSize: 12 }}>{shipped(record.processName)}</span>
              </Space>
            ),
          },
          {
            title: t('accounts.opps.stage'),
            render: (_, r) => (r.stageName ? `${shipped(r.stageName)} · ${r.probability ?? 0}%` : '—'),
          },
          { title: t('accounts.opps.amount'), align: 'right', render: (_, r) => formatFen(r.amount, locale) },
          {
            title: t('accounts.opps.expected'),
            align: 'right',
            render: (_, record) =>
              record.status === 'open' && record.expectedAmount !== null
                ? formatFen(record.expectedAmount, locale)
                : '—',
          },
          { title: t('accounts.opps.close'), dataIndex: 'expectedCloseDate', render: (v: string | null) => v ?? '—' },
          { title: t('accounts.opps.owner'), dataIndex: 'ownerName' },
          {
            title: t('accounts.opps.status'),
            render: (_, opportunity) => (
              <Space size={4} wrap>
                <Tag color={STATUS_COLOR[opportunity.status]}>{t(`accounts.opps.status.${opportunity.status}`)}</Tag>
                {opportunity.problems.map((problem) => (
                  <Tooltip
                    key={problem}
                    title={
                      problem === 'stalled' && opportunity.daysInStage !== null
                        ? t('accounts.opps.daysInStage', { days: opportunity.daysInStage })
                        : undefined
                    }
                  >
                    <Tag color="warning">{t(`accounts.opps.problem.${problem}`)}</Tag>
                  </Tooltip>
                ))}
              </Space>
            ),
          },
        ]}
      />
    </>
  );
}
