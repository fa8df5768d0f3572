import { useState } from 'react';
import {
  Button,
  DatePicker,
  Empty,
  Flex,
  Grid,
  Input,
  Select,
  Space,
  Tabs,
  Tag,
  Typography,
  type TableProps,
} from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useDates } from '../../i18n/useDates.ts';
import { Link } from 'react-router';
import { PageHeader } from '../../components/PageHeader.tsx';
import { LoadError } from '../../components/LoadError.tsx';
import { ListTable } from '../../components/ListTable.tsx';
import { useListParams } from '../../components/useListParams.ts';
import { useI18n } from '../../i18n/useI18n.ts';
import { useCan } from '../auth/session.ts';
import { useAccount, usePeople } from '../accounts/api.ts';
import { useOpportunity } from '../opportunities/api.ts';
import { UnitTreeSelect } from '../org/UnitTreeSelect.tsx';
import { ExportButton } from '../imports/ExportButton.tsx';
import { ACTIVITY_STATUSES, ACTIVITY_TYPES } from '../../../../src/domain/activities.ts';
import type { ActivityDto } from '../../../../src/contracts/activities.ts';
import { useActivities, useActivity } from './api.ts';
import { LogActivityDrawer } from './LogActivityDrawer.tsx';
import { SupervisionView } from './SupervisionView.tsx';

const PAGE_SIZE = 20;
const FILTERS = [
  'q',
  'mine',
  'ownerId',
  'orgUnitId',
  'accountId',
  'opportunityId',
  'type',
  'status',
  'from',
  'to',
  'planned',
  'sort',
] as const;

/** /activities: the activities one may see, filtered; and for managers the supervision views (docs/rhythm.md). */
export default function ActivitiesPage() {
  const { t } = useI18n();
  const can = useCan();
  const list = useListParams({ pageSize: PAGE_SIZE, defaultSort: '-startAt' });
  const tab = list.str('tab') ?? 'list';
  return (
    <>
      <PageHeader title={t('activities.title')} subtitle={t('activities.subtitle')} />
      {can('activities.supervise') ? (
        <Tabs
          activeKey={tab}
          onChange={(k) => list.update({ tab: k === 'list' ? undefined : k })}
          destroyOnHidden
          items={[
            { key: 'list', label: t('activities.tab.list'), children: <ActivityList /> },
            { key: 'cadence', label: t('activities.tab.cadence'), children: <SupervisionView /> },
          ]}
        />
      ) : (
        <ActivityList />
      )}
    </>
  );
}

function ActivityList() {
  const { t } = useI18n();
  const screens = Grid.useBreakpoint();
  const can = useCan();
  const list = useListParams({ pageSize: PAGE_SIZE, defaultSort: '-startAt' });
  const people = usePeople();
  const dates = useDates();
  const filters: Record<string, string | undefined> = Object.fromEntries(
    FILTERS.map((k) => [k, list.str(k)]).filter(([, v]) => v !== undefined),
  );
  const activitiesQuery = useActivities({ ...filters, limit: PAGE_SIZE, offset: (list.page - 1) * PAGE_SIZE });
  const [search, setSearch] = useState(filters.q ?? '');
  const [open, setOpen] = useState<'new' | number | null>(null);
  const editing = useActivity(typeof open === 'number' ? open : null);
  const narrowed = Object.keys(filters).some((k) => k !== 'sort');

  const columns: TableProps<ActivityDto>['columns'] = [
    {
      title: t('activities.col.when'),
      key: 'startAt',
      sorter: true,
      width: 150,
      render: (_, activity) => (
        <Flex vertical>
          <span>{dates.format(activity.startAt, 'dateTime')}</span>
          <Space size={4}>
            <Tag
              color={activity.status === 'done' ? 'green' : activity.status === 'planned' ? 'blue' : undefined}
              style={{ marginInlineEnd: 0 }}
            >
              {t(`activities.status.${activity.status}`)}
            </Tag>
            {activity.hasPlan && (
              <Tag color={activity.reviewed ? 'purple' : 'gold'} data-testid="activity-plan-tag">
                {activity.reviewed && activity.planResult
                  ? t('visits.resultTag', {
                      achieved: activity.planResult.achieved ?? 0,
                      total: activity.planResult.objectives,
                    })
                  : t('activities.hasPlan')}
              </Tag>
            )}
          </Space>
        </Flex>
      ),
    },
    {
      title: t('activities.col.what'),
      key: 'what',
      render: (_, activity) => (
        <Flex vertical style={{ minWidth: 160 }}>
          <Space size={6} wrap>
            <Tag>{t(`activities.type.${activity.type}`)}</Tag>
            <a onClick={() => setOpen(activity.id)} data-testid="activity-open">
              {activity.subject ?? t(`activities.type.${activity.type}`)}
            </a>
          </Space>
          <Link to={`/accounts/${activity.accountId}`} style={{ fontSize: 13 }}>
            {activity.accountName}
          </Link>
          {!screens.md && (
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {activity.ownerName}
            </Typography.Text>
          )}
        </Flex>
      ),
    },
    {
      title: t('activities.col.contacts'),
      key: 'contacts',
      responsive: ['lg'],
      render: (_, a) => a.contacts.map((c) => c.name).join('、') || t('common.none'),
    },
    {
      title: t('activities.col.opportunity'),
      key: 'opp',
      responsive: ['lg'],
      render: (_, record) =>
        record.opportunityId ? (
          <Link to={`/opportunities/${record.opportunityId}`}>{record.opportunityName}</Link>
        ) : (
          t('common.none')
        ),
    },
    { title: t('activities.col.owner'), key: 'owner', responsive: ['md'], render: (_, a) => a.ownerName },
    {
      title: t('activities.col.notes'),
      key: 'notes',
      responsive: ['xl'],
      render: (_, activity) => (
        <Typography.Paragraph ellipsis={{ rows: 2 }} style={{ margin: 0, maxWidth: 320 }}>
          {activity.notes ?? ''}
        </Typography.Paragraph>
      ),
    },
  ];

  return (
    <>
      <div
        style={{
          background: '#fff',
          borderRadius: 8,
          padding: screens.md ? 16 : 12,
          marginBottom: 16,
          border: '1px solid #eef0f4',
        }}
      >
        <Flex gap={8} wrap justify="space-between" style={{ marginBottom: 12 }}>
          <Input.Search
            allowClear
            placeholder={t('activities.search')}
            data-testid="activity-search"
            value={search}
            style={{ flex: '1 1 260px', maxWidth: 420 }}
            onChange={(changeEvent) => {
              setSearch(changeEvent.target.value);
              if (!changeEvent.target.value) list.update({ q: undefined });
            }}
            onSearch={(v) => list.update({ q: v.trim() || undefined })}
          />
          <Space wrap>
            {can('export') && <ExportButton area="activities" filters={filters} />}
            {can('activities.write') && (
              <Button type="primary" icon={<PlusOutlined />} onClick={() => setOpen('new')} data-testid="activity-new">
                {t('activities.log')}
              </Button>
            )}
          </Space>
        </Flex>
        <Flex gap={8} wrap>
          {filters.accountId && (
            <RecordTag
              kind="account"
              id={Number(filters.accountId)}
              onClose={() => list.update({ accountId: undefined })}
            />
          )}
          {filters.opportunityId && (
            <RecordTag
              kind="opportunity"
              id={Number(filters.opportunityId)}
              onClose={() => list.update({ opportunityId: undefined })}
            />
          )}
          <Select
            value={filters.mine === 'true' ? 'mine' : 'all'}
            onChange={(v) => list.update({ mine: v === 'mine' ? 'true' : undefined })}
            style={{ width: 110 }}
            options={[
              { value: 'all', label: t('activities.filter.all') },
              { value: 'mine', label: t('activities.filter.mine') },
            ]}
            data-testid="activity-filter-mine"
          />
          <UnitTreeSelect
            allowClear
            placeholder={t('activities.filter.team')}
            value={filters.orgUnitId ? Number(filters.orgUnitId) : undefined}
            onChange={(v) => list.update({ orgUnitId: v })}
            style={{ width: 160 }}
            popupMatchSelectWidth={false}
          />
          <Select
            allowClear
            showSearch={{ optionFilterProp: 'label' }}
            placeholder={t('activities.filter.owner')}
            value={filters.ownerId ? Number(filters.ownerId) : undefined}
            onChange={(v) => list.update({ ownerId: v })}
            options={(people.data ?? []).map((u) => ({ value: u.id, label: u.name }))}
            style={{ width: 130 }}
          />
          <Select
            allowClear
            placeholder={t('activities.filter.type')}
            value={filters.type}
            onChange={(v) => list.update({ type: v })}
            options={ACTIVITY_TYPES.map((x) => ({ value: x, label: t(`activities.type.${x}`) }))}
            style={{ width: 120 }}
            popupMatchSelectWidth={false}
          />
          <Select
            value={filters.planned === 'true' ? 'planned' : 'all'}
            onChange={(v) => list.update({ planned: v === 'planned' ? 'true' : undefined })}
            options={[
              { value: 'all', label: t('visits.planFilter.all') },
              { value: 'planned', label: t('visits.planFilter.planned') },
            ]}
            aria-label={t('visits.planFilter')}
            style={{ width: 140 }}
            popupMatchSelectWidth={false}
            data-testid="activity-filter-planned"
          />
          <Select
            allowClear
            placeholder={t('activities.filter.status')}
            value={filters.status}
            onChange={(v) => list.update({ status: v })}
            options={ACTIVITY_STATUSES.map((x) => ({ value: x, label: t(`activities.status.${x}`) }))}
            style={{ width: 110 }}
          />
          <DatePicker.RangePicker
            allowEmpty={[true, true]}
            value={[dates.pickerDay(filters.from), dates.pickerDay(filters.to)]}
            style={{ width: 250 }}
            onChange={(range) =>
              list.update({
                from: dates.pickedDay(range?.[0]) ?? undefined,
                to: dates.pickedDay(range?.[1]) ?? undefined,
              })
            }
          />
          {narrowed && (
            <Button type="link" onClick={() => list.replace(FILTERS, {})}>
              {t('accounts.filter.clear')}
            </Button>
          )}
        </Flex>
      </div>
      {activitiesQuery.isError && !activitiesQuery.data ? (
        <LoadError error={activitiesQuery.error} onRetry={() => void activitiesQuery.refetch()} />
      ) : (
        <ListTable<ActivityDto>
          list={list}
          query={activitiesQuery}
          sortable={['startAt', 'updatedAt', 'createdAt']}
          columns={columns}
          data-testid="activities-table"
          locale={{
            emptyText: activitiesQuery.isPending ? (
              ' '
            ) : (
              <Empty
                image={Empty.PRESENTED_IMAGE_SIMPLE}
                description={
                  <>
                    {t(narrowed ? 'activities.empty.filtered' : 'activities.empty.none')}
                    <br />
                    {t(narrowed ? 'accounts.empty.filteredHint' : 'activities.empty.noneHint')}
                  </>
                }
              >
                {!narrowed && can('activities.write') && (
                  <Button type="primary" onClick={() => setOpen('new')}>
                    {t('activities.log')}
                  </Button>
                )}
              </Empty>
            ),
          }}
        />
      )}
      {open === 'new' && (
        // A list narrowed to one account logs on that account (the deal too, when narrowed to one of its deals).
        <LogActivityDrawer
          accountId={filters.accountId ? Number(filters.accountId) : undefined}
          opportunityId={filters.accountId && filters.opportunityId ? Number(filters.opportunityId) : undefined}
          onClose={() => setOpen(null)}
        />
      )}
      {typeof open === 'number' && editing.data && (
        <LogActivityDrawer activity={editing.data} onClose={() => setOpen(null)} />
      )}
    </>
  );
}

/** The account or deal the list is narrowed to (from its page's timeline), by name, with a cross to widen it again. */
function RecordTag({ kind, id, onClose }: { kind: 'account' | 'opportunity'; id: number; onClose: () => void }) {
  const { t } = useI18n();
  const account = useAccount(id, kind === 'account');
  const deal = useOpportunity(id, kind === 'opportunity');
  const name = kind === 'account' ? account.data?.name : deal.data?.name;
  return (
    <Tag
      closable
      onClose={onClose}
      color="blue"
      style={{ display: 'flex', alignItems: 'center', marginInlineEnd: 0, maxWidth: '100%' }}
      data-testid={`activity-filter-${kind}`}
    >
      <Typography.Text ellipsis style={{ maxWidth: 260, color: 'inherit' }}>
        {t(`activities.filter.${kind}`, { name: name ?? '…' })}
      </Typography.Text>
    </Tag>
  );
}
