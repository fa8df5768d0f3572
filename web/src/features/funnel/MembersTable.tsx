import { useState } from 'react';
import { Card, Input, Table } from 'antd';
import { Link } from 'react-router';
import type { FunnelMembersResponse, FunnelResponse } from '../../../../src/contracts/funnel.ts';
import { useMoney } from '../../i18n/money.ts';
import { useT } from '../../i18n/useI18n.ts';
import { useFunnelMembers, type FunnelParams, type MemberPageParams } from './api.ts';
import { drillDown } from './links.ts';

/** The sort shown on a column: the server's answer names the order it used (its default when none was asked). */
const sortOrderOf = (sort: string | undefined, key: string) =>
  sort === key ? ('ascend' as const) : sort === `-${key}` ? ('descend' as const) : null;

/**
 * A row per member of the scope, paged, sorted and searched by the server (GET /funnel/members):
 * a company of 2,000 people is one page of rows at a time, furthest behind first by default.
 */
export function MembersTable({ f: funnelData, params }: { f: FunnelResponse; params: FunnelParams }) {
  const t = useT();
  const money = useMoney();
  const [page, setPage] = useState<MemberPageParams>({ limit: 20, offset: 0 });
  const members = useFunnelMembers({ ...params, ...page }, true);
  const answer = members.data;
  type Member = FunnelMembersResponse['members'][number];
  const stages = answer?.stages ?? [];
  const shown = answer?.sort;
  const sorted = (key: string) => ({ key, sorter: true, sortOrder: sortOrderOf(shown, key) });
  const withPeriod = funnelData.period !== null;
  const percent = (x: number | null) => (x === null ? '—' : `${(x * 100).toFixed(1)}%`);
  return (
    <Card
      size="small"
      title={t('funnel.members')}
      data-testid="funnel-members"
      extra={
        <Input.Search
          allowClear
          size="small"
          style={{ width: 180 }}
          placeholder={t('funnel.searchMember')}
          aria-label={t('funnel.searchMember')}
          onSearch={(q: string) => setPage((p) => ({ ...p, offset: 0, q: q.trim() || undefined }))}
        />
      }
    >
      <Table<Member>
        size="small"
        rowKey="userId"
        loading={members.isFetching}
        dataSource={answer?.members ?? []}
        scroll={{ x: 'max-content' }}
        pagination={{
          current: Math.floor(page.offset / page.limit) + 1,
          pageSize: page.limit,
          total: answer?.total ?? 0,
          hideOnSinglePage: true,
          pageSizeOptions: [20, 50, 100],
          showTotal: (total) => t('common.totalItems', { count: total }),
        }}
        onChange={(pagination, _filters, sorter, extra) => {
          if (extra.action === 'paginate') {
            const limit = pagination.pageSize ?? page.limit;
            setPage((p) => ({ ...p, limit, offset: limit === p.limit ? ((pagination.current ?? 1) - 1) * limit : 0 }));
          }
          if (extra.action === 'sort') {
            const active = Array.isArray(sorter) ? sorter[0] : sorter;
            const key = String(active?.columnKey ?? '');
            const sort = active?.order && key ? `${active.order === 'descend' ? '-' : ''}${key}` : undefined;
            setPage((p) => ({ ...p, offset: 0, sort }));
          }
        }}
        locale={{ emptyText: t('funnel.noMembers') }}
        columns={[
          {
            title: t('funnel.member'),
            dataIndex: 'name',
            fixed: 'left',
            ...sorted('name'),
            render: (name: string, record) => (
              <Link
                to={`/funnel?scope=user:${record.userId}${funnelData.process ? `&processId=${funnelData.process.id}` : ''}${funnelData.period ? `&period=${funnelData.period.name}` : '&period=all'}`}
              >
                {name}
              </Link>
            ),
          },
          { title: t('funnel.unit'), dataIndex: 'orgUnitName', responsive: ['md'], ...sorted('unit') },
          ...stages.map((stage, index) => ({
            title: stage.name,
            align: 'right' as const,
            ...sorted(`stage:${stage.stageId}`),
            render: (_: unknown, record: Member) => (
              <Link to={drillDown(funnelData, { stageId: stage.stageId, ownerId: record.userId })}>
                {record.counts[index]}
              </Link>
            ),
          })),
          {
            title: t('funnel.amount'),
            dataIndex: 'amount',
            align: 'right',
            ...sorted('amount'),
            render: (n: number, m) => <Link to={drillDown(funnelData, { ownerId: m.userId })}>{money(n, true)}</Link>,
          },
          {
            title: t('funnel.expectedAmount'),
            dataIndex: 'expectedAmount',
            align: 'right',
            ...sorted('expectedAmount'),
            render: (n: number) => money(n, true),
          },
          {
            title: t('funnel.won'),
            dataIndex: 'won',
            align: 'right',
            ...sorted('won'),
            render: (n: number) => money(n, true),
          },
          ...(withPeriod
            ? [
                {
                  title: t('funnel.quota'),
                  dataIndex: 'quota',
                  align: 'right' as const,
                  ...sorted('quota'),
                  render: (n: number | null) => money(n, true),
                },
                {
                  title: t('funnel.attainment'),
                  dataIndex: 'attainment',
                  align: 'right' as const,
                  ...sorted('attainment'),
                  render: percent,
                },
                {
                  title: <span title={t('funnel.memberGap.hint')}>{t('funnel.memberGap')}</span>,
                  dataIndex: 'gap',
                  align: 'right' as const,
                  ...sorted('gap'),
                  render: (n: number | null) => money(n, true),
                },
              ]
            : []),
        ]}
      />
    </Card>
  );
}
