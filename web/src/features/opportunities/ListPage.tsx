import { useState } from 'react';
import { Badge, Button, Card, Empty, Flex, Select, Space, Tabs, Tag, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { LoadError } from '../../components/LoadError.tsx';
import { ListTable } from '../../components/ListTable.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { SavedViewsBar } from '../../components/SavedViewsBar.tsx';
import { useT } from '../../i18n/useI18n.ts';
import { useCan } from '../auth/session.ts';
import { ExportButton } from '../imports/ExportButton.tsx';
import { useOpportunities, useProcess, useProcesses } from './api.ts';
import { ViewSwitch } from './BoardPage.tsx';
import { ALL_PROCESSES, type BoardChoice } from './boardChoice.ts';
import { useMoney } from '../../i18n/money.ts';
import { useOppFilters } from './filters.ts';
import { OppFilterBar } from './OppFilterBar.tsx';
import { NewOpportunityModal } from './NewOpportunityModal.tsx';
import { AttentionTab } from './AttentionTab.tsx';
import { useColumns } from './listColumns.tsx';
import { useRowSelection } from '../bulk/BulkBar.tsx';
import { ListBulkBar } from '../bulk/ListBulkBars.tsx';
import { STATUSES, type ListFilters, type Opportunity } from './types.ts';

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
