import { useEffect } from 'react';
import { Card, Input, Table } from 'antd';
import { Link } from 'react-router';
import type { FunnelMembersResponse, FunnelResponse } from '../../../../src/contracts/funnel.ts';
import { isApiError } from '../../api/client.ts';
import { useListParams } from '../../components/useListParams.ts';
import { useMoney } from '../../i18n/money.ts';
import { useT } from '../../i18n/useI18n.ts';
import { useFunnelMembers, type FunnelParams } from './api.ts';
import { drillDown } from './links.ts';

/** The sort shown on a column: the server's answer names the order it used (its default when none was asked). */
const sortOrderOf = (sort: string | undefined, key: string) =>
  sort === key ? ('ascend' as const) : sort === `-${key}` ? ('descend' as const) : null;

const PAGE_SIZES = [20, 50, 100] as const;

/**
 * A row per member of the scope, paged, sorted and searched by the server (GET /funnel/members):
 * a company of 2,000 people is one page of rows at a time, furthest behind first by default.
 * Its page, page size, sort and search text live in the URL (`page`, `size`, `sort`, `q`,
 * useListParams as on the lists), so a reload or a shared link shows the same rows.
 */
export function MembersTable({ f: funnelData, params }: { f: FunnelResponse; params: FunnelParams }) {
  const t = useT();
  const money = useMoney();
  const list = useListParams({ pageSize: PAGE_SIZES[0], pageSizes: PAGE_SIZES });
  const searchText = list.str('q');
  const members = useFunnelMembers(
    { ...params, limit: list.limit, offset: list.offset, sort: list.sort, q: searchText },
    true,
  );
  const answer = members.data;
  // A link's sort the server does not know (a stage of another process, typed by hand) goes, not the table.
  const badSort = isApiError(members.error) && members.error.errors.some((e) => e.field === 'query.sort');
  const { update } = list;
  useEffect(() => {
    if (badSort) update({ sort: null });
  }, [badSort, update]);
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
          key={searchText ?? ''}
          defaultValue={searchText}
          allowClear
          size="small"
          style={{ width: 180 }}
          placeholder={t('funnel.searchMember')}
          aria-label={t('funnel.searchMember')}
          data-testid="funnel-member-search"
          onSearch={(text: string) => list.update({ q: text.trim() || null })}
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
          current: list.page,
          pageSize: list.pageSize,
          total: answer?.total ?? 0,
          hideOnSinglePage: true,
          pageSizeOptions: [...PAGE_SIZES],
          showTotal: (total) => t('common.totalItems', { count: total }),
        }}
        onChange={(pagination, _filters, sorter, extra) => {
          if (extra.action === 'paginate') {
            const size = pagination.pageSize ?? list.pageSize;
            if (size !== list.pageSize) list.setPageSize(size);
            else list.setPage(pagination.current ?? 1);
          }
          if (extra.action === 'sort') {
            const active = Array.isArray(sorter) ? sorter[0] : sorter;
            const key = String(active?.columnKey ?? '');
            list.update({ sort: active?.order && key ? `${active.order === 'descend' ? '-' : ''}${key}` : null });
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
