import { useState } from 'react';
import { Badge, Button, Card, Empty, Flex, Grid, Select, Space, Tabs, Tag, Typography, type TableProps } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { Link } from 'react-router';
import { LoadError } from '../../components/LoadError.tsx';
import { ListTable } from '../../components/ListTable.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { SavedViewsBar } from '../../components/SavedViewsBar.tsx';
import { useT } from '../../i18n/useI18n.ts';
import { useCan } from '../auth/session.ts';
import { ExportButton } from '../imports/ExportButton.tsx';
import { useAttention, useOpportunities, useProcess, useProcesses } from './api.ts';
import { ViewSwitch } from './BoardPage.tsx';
import { ALL_PROCESSES, type BoardChoice } from './boardChoice.ts';
import { PROBLEM_COLOR, ProblemBadges, StatusTag } from './bits.tsx';
import { useMoney } from '../../i18n/money.ts';
import { useOppFilters } from './filters.ts';
import { OppFilterBar } from './OppFilterBar.tsx';
import { NewOpportunityModal } from './NewOpportunityModal.tsx';
import { useRowSelection } from '../bulk/BulkBar.tsx';
import { ListBulkBar } from '../bulk/ListBulkBars.tsx';
import { PROBLEMS, STATUSES, type AttentionPage, type ListFilters, type Opportunity, type Problem } from './types.ts';

/** The list filters a saved view keeps (the tab and the page are not part of a view). */
const VIEW_KEYS = [
  'status',
  'processId',
  'stageId',
  'ownerId',
  'orgUnitId',
  'closeFrom',
  'closeTo',
  'minProbability',
  'sizeClass',
  'line',
  'q',
  'sort',
] as const satisfies readonly (keyof ListFilters)[];
const viewQuery = (filters: ListFilters) =>
  Object.fromEntries(VIEW_KEYS.map((k) => [k, filters[k] === undefined ? undefined : String(filters[k])]));

/** The columns the server sorts by (src/modules/opportunities list query). */
const SORTABLE = ['name', 'amount', 'expectedCloseDate', 'stageEnteredAt'];

function useColumns(): TableProps<Opportunity>['columns'] {
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

function AllTab() {
  const t = useT();
  const can = useCan();
  const { list: listParams, filters, page, update } = useOppFilters();
  const processes = useProcesses();
  const process = useProcess(filters.processId);
  const list = useOpportunities(filters, page);
  const columns = useColumns();
  const money = useMoney();
  const selection = useRowSelection<Opportunity>(JSON.stringify(viewQuery(filters)));
  const selectable = can('opportunities.write') || can('export');
  return (
    <>
      <Flex gap={8} wrap style={{ marginBottom: 12 }}>
        <SavedViewsBar
          area="opportunities"
          filters={viewQuery(filters)}
          onPick={(query) => update(Object.fromEntries(VIEW_KEYS.map((k) => [k, query[k] ?? null])))}
        />
      </Flex>
      <Flex gap={8} wrap style={{ marginBottom: 12 }} data-testid="list-filter-bar">
        {/* Keyed by the search text: picking a saved view shows the view's text in the search box. */}
        {/* A process's stages behind "More filters", counted there when set: beside the process they
            wrapped the bar at 1440 px (test/e2e/list-filter-bars.test.ts). */}
        <OppFilterBar
          key={filters.q ?? ''}
          filters={filters}
          update={update}
          sizeFilter
          lineFilter
          moreFilters
          more={{
            filters: filters.processId && (
              <Select
                allowClear
                style={{ width: '100%' }}
                placeholder={t('opps.col.stage')}
                value={filters.stageId}
                onChange={(v: number | undefined) => update({ stageId: v ?? null })}
                options={(process.data?.stages ?? []).map((s) => ({ value: s.id, label: s.name }))}
                data-testid="list-stage-filter"
              />
            ),
            set: filters.processId && filters.stageId ? 1 : 0,
          }}
        >
          <Select
            allowClear
            style={{ width: 110 }}
            placeholder={t('opps.col.status')}
            value={filters.status}
            onChange={(v: string | undefined) => update({ status: v ?? null })}
            options={STATUSES.map((s) => ({ value: s, label: t(`opps.status.${s}`) }))}
            data-testid="status-filter"
          />
          <Select
            style={{ width: 170 }}
            placeholder={t('opps.filter.process')}
            value={filters.processId ?? ALL_PROCESSES}
            onChange={(v: BoardChoice) => update({ processId: v === ALL_PROCESSES ? null : v, stageId: null })}
            options={[
              { value: ALL_PROCESSES, label: t('opps.filter.allProcesses') },
              ...(processes.data ?? []).map((p) => ({ value: p.id, label: p.name })),
            ]}
            data-testid="list-process-filter"
          />
          {/* Set by a link (the desk's "closing soon"); shown so the list never filters out of sight. */}
          {filters.minProbability !== undefined && (
            <Tag closable onClose={() => update({ minProbability: null })} data-testid="min-probability-filter">
              {t('opps.filter.minProbability', { n: filters.minProbability })}
            </Tag>
          )}
        </OppFilterBar>
        {can('export') && <ExportButton area="opportunities" filters={viewQuery(filters)} />}
      </Flex>
      {/* The whole filtered set, not the page: what a manager reads off a filtered pipeline. */}
      {list.data && (
        <Typography.Paragraph strong style={{ marginBottom: 8 }} data-testid="opp-totals">
          {t('opps.list.totals', {
            count: list.data.totals.count,
            amount: money(list.data.totals.amount),
            expected: money(list.data.totals.expectedAmount),
          })}
        </Typography.Paragraph>
      )}
      {selectable && (
        <ListBulkBar
          area="opportunities"
          selection={selection}
          filters={viewQuery(filters)}
          page={list.data && { ids: list.data.items.map((opportunity) => opportunity.id), total: list.data.total }}
        />
      )}
      {list.isError ? (
        <LoadError error={list.error} onRetry={() => void list.refetch()} />
      ) : (
        <ListTable<Opportunity>
          list={listParams}
          query={list}
          rowSelection={selectable ? selection.rowSelection : undefined}
          columns={columns}
          sortable={SORTABLE}
          scroll={{ x: 1300 }}
          locale={{
            emptyText: (
              <Empty
                image={Empty.PRESENTED_IMAGE_SIMPLE}
                description={
                  <>
                    {t('opps.list.empty')}
                    <br />
                    {t('opps.list.emptyHint')}
                  </>
                }
              />
            ),
          }}
        />
      )}
    </>
  );
}

function AttentionTab() {
  const t = useT();
  const money = useMoney();
  const { list, filters, page, update, search } = useOppFilters();
  const problem = (search.get('problem') ?? undefined) as Problem | undefined;
  const attention = useAttention({ orgUnitId: filters.orgUnitId, ownerId: filters.ownerId, problem }, page, true);
  // What is wrong comes first here: the problems column right after the name.
  const all = (useColumns() ?? []).map(({ sorter: _sorter, ...c }) => c);
  // It fits a 1440-pixel screen whole (the owner column was off the edge): no status (all are open),
  // no expected amount (the amount says it), a narrower problems column.
  const columns = [
    ...all.filter((c) => c.key === 'name'),
    ...all.filter((c) => c.key === 'problems').map((c) => ({ ...c, width: 180 })),
    ...all.filter((c) => !['name', 'problems', 'status', 'expected'].includes(String(c.key))),
  ];
  if (attention.isError) return <LoadError error={attention.error} onRetry={() => void attention.refetch()} />;
  const counts: Partial<AttentionPage['counts']> = attention.data?.counts ?? {};
  const sum = (attention.data?.items ?? []).reduce((s, o) => s + o.amount, 0);
  return (
    <>
      <Flex gap={12} wrap style={{ marginBottom: 12 }}>
        {PROBLEMS.map((problemKind) => (
          <Card
            key={problemKind}
            size="small"
            hoverable
            onClick={() => update({ problem: problem === problemKind ? null : problemKind })}
            data-testid={`attention-${problemKind}`}
            style={{
              width: 200,
              borderColor: problem === problemKind ? PROBLEM_COLOR[problemKind] : undefined,
              borderTop: `3px solid ${PROBLEM_COLOR[problemKind]}`,
            }}
          >
            <Typography.Text type="secondary">{t(`opps.problem.${problemKind}`)}</Typography.Text>
            <div style={{ fontSize: 26, fontWeight: 600, color: PROBLEM_COLOR[problemKind] }}>
              {counts[problemKind] ?? 0}
            </div>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {t(`opps.problem.${problemKind}Short`)}
            </Typography.Text>
          </Card>
        ))}
      </Flex>
      <Flex gap={8} wrap style={{ marginBottom: 12 }} align="center">
        <OppFilterBar filters={filters} update={update} />
        {attention.data && (
          <Typography.Text type="secondary">{t('opps.attention.onPage', { amount: money(sum) })}</Typography.Text>
        )}
      </Flex>
      <ListTable<Opportunity>
        list={list}
        query={attention}
        columns={columns}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('opps.attention.empty')} /> }}
      />
    </>
  );
}

/** /opportunities/list — every opportunity in reach, with the managers' "needs attention" view (docs/sales-process.md). */
export default function ListPage() {
  const t = useT();
  const can = useCan();
  const { search, update } = useOppFilters();
  // Everyone has deals that stall: a rep's attention view holds their own (the endpoint scopes by reach).
  // A link to one problem (the home desk, a bookmark) opens the attention view it belongs to.
  const tab = search.get('tab') === 'attention' || search.get('problem') ? 'attention' : 'all';
  const [creating, setCreating] = useState(false);
  const canCreate = can('opportunities.write');
  return (
    <>
      <PageHeader
        title={t('opps.title')}
        subtitle={t('opps.list.subtitle')}
        extra={
          <Space>
            <ViewSwitch value="list" />
            {canCreate && (
              <Button
                type="primary"
                icon={<PlusOutlined />}
                onClick={() => setCreating(true)}
                data-testid="new-opportunity"
              >
                {t('opps.new.title')}
              </Button>
            )}
          </Space>
        }
      />
      {creating && <NewOpportunityModal onClose={() => setCreating(false)} />}
      <Card styles={{ body: { paddingTop: 4 } }}>
        <Tabs
          activeKey={tab}
          onChange={(k) => update({ tab: k === 'all' ? null : k, problem: null })}
          destroyOnHidden
          items={[
            { key: 'all', label: t('opps.list.all'), children: <AllTab /> },
            {
              key: 'attention',
              label: (
                <Badge dot offset={[6, 0]}>
                  {t('opps.attention.tab')}
                </Badge>
              ),
              children: <AttentionTab />,
            },
          ]}
        />
      </Card>
    </>
  );
}
