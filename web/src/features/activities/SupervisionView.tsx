import { useState } from 'react';
import { Button, Card, Drawer, Empty, Flex, Grid, Table, Tag, Typography, type TableProps } from 'antd';
import { RateBar } from '../../components/RateBar.tsx';
import { useQuery } from '@tanstack/react-query';
import { useDates } from '../../i18n/useDates.ts';
import { Link } from 'react-router';
import { LoadError } from '../../components/LoadError.tsx';
import { useI18n } from '../../i18n/useI18n.ts';
import { UnitTreeSelect } from '../org/UnitTreeSelect.tsx';
import type {
  CadenceAccount,
  CadenceState,
  ComplianceRow,
  PlanSummaryRow,
} from '../../../../src/contracts/activities.ts';
import { activityQueries } from './api.ts';

type Drill = { userId: number; userName: string; state?: CadenceState };

/** The manager's supervision view (跟进监督, docs/rhythm.md § Cadence): compliance per rep, the accounts behind each figure, plan versus result. */
export function SupervisionView() {
  const { t } = useI18n();
  const screens = Grid.useBreakpoint();
  const [orgUnitId, setUnit] = useState<number | undefined>();
  const [drill, setDrill] = useState<Drill | null>(null);
  const compliance = useQuery(activityQueries.compliance({ orgUnitId }));
  const plans = useQuery(activityQueries.plans({ orgUnitId }));
  const figure = (row: ComplianceRow, count: number, state?: CadenceState, color?: string) => (
    <Button
      type="link"
      size="small"
      style={{ padding: 0, color: count > 0 ? color : undefined }}
      disabled={count === 0}
      onClick={() => setDrill({ userId: row.userId, userName: row.userName, state })}
      data-testid={`drill-${state ?? 'all'}`}
    >
      {count}
    </Button>
  );
  const columns: TableProps<ComplianceRow>['columns'] = [
    {
      title: t('activities.cadence.rep'),
      key: 'rep',
      render: (_, planRow) => (
        <Flex vertical>
          <strong>{planRow.userName}</strong>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {planRow.orgUnitName}
          </Typography.Text>
        </Flex>
      ),
    },
    {
      title: t('activities.cadence.accounts'),
      key: 'accounts',
      align: 'right',
      render: (_, r) => figure(r, r.accounts),
    },
    {
      title: t('activities.cadence.onTime'),
      key: 'onTime',
      align: 'right',
      responsive: ['sm'],
      render: (_, r) => figure(r, r.onTime, 'on_time'),
    },
    {
      title: t('activities.cadence.dueSoon'),
      key: 'dueSoon',
      align: 'right',
      responsive: ['md'],
      render: (_, r) => figure(r, r.dueSoon, 'due_soon', '#d97706'),
    },
    {
      title: t('activities.cadence.overdue'),
      key: 'overdue',
      align: 'right',
      render: (_, r) => figure(r, r.overdue, 'overdue', '#dc2626'),
    },
    {
      title: t('activities.cadence.compliance'),
      key: 'compliance',
      width: screens.md ? 200 : 90,
      render: (_, row) => <RateBar rate={row.compliance} good={80} wide={!!screens.md} />,
    },
  ];
  const planColumns: TableProps<PlanSummaryRow>['columns'] = [
    {
      title: t('activities.cadence.rep'),
      dataIndex: 'userName',
      key: 'rep',
      render: (v: string, r) => <Link to={`/activities?planned=true&ownerId=${r.userId}`}>{v}</Link>,
    },
    { title: t('activities.plans.planned'), dataIndex: 'planned', key: 'planned', align: 'right' },
    { title: t('activities.plans.reviewed'), dataIndex: 'reviewed', key: 'reviewed', align: 'right' },
    {
      title: t('activities.plans.objectives'),
      dataIndex: 'objectives',
      key: 'objectives',
      align: 'right',
      responsive: ['md'],
    },
    {
      title: t('activities.plans.result'),
      key: 'result',
      render: (_, planRow) => (
        <Flex gap={4} wrap>
          <Tag color="green">
            {t('activities.review.achieved')} {planRow.achieved}
          </Tag>
          <Tag color="gold">
            {t('activities.review.partly')} {planRow.partly}
          </Tag>
          <Tag color="red">
            {t('activities.review.not')} {planRow.missed}
          </Tag>
        </Flex>
      ),
    },
  ];
  const totals = compliance.data?.totals;
  return (
    <Flex vertical gap={16} data-testid="supervision">
      <Flex gap={12} wrap align="center" justify="space-between">
        <UnitTreeSelect
          allowClear
          placeholder={t('activities.filter.team')}
          value={orgUnitId}
          onChange={setUnit}
          style={{ width: 200 }}
          popupMatchSelectWidth={false}
        />
        {totals && (
          <Typography.Text data-testid="cadence-totals">
            {t('activities.cadence.totals', {
              accounts: totals.accounts,
              overdue: totals.overdue,
              compliance: totals.compliance ?? 0,
            })}
          </Typography.Text>
        )}
      </Flex>
      <Card title={t('activities.cadence.title')} size="small">
        {compliance.isError && !compliance.data ? (
          <LoadError error={compliance.error} onRetry={() => void compliance.refetch()} />
        ) : (
          <Table<ComplianceRow>
            rowKey="userId"
            size="small"
            loading={compliance.isPending}
            dataSource={compliance.data?.items}
            columns={columns}
            pagination={false}
            scroll={{ x: 'max-content' }}
            locale={{
              emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('activities.cadence.empty')} />,
            }}
            data-testid="compliance-table"
          />
        )}
      </Card>
      <Card title={t('activities.plans.title')} size="small">
        <Table<PlanSummaryRow>
          rowKey="userId"
          size="small"
          loading={plans.isPending}
          dataSource={plans.data?.items}
          columns={planColumns}
          pagination={false}
          locale={{
            emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('activities.plans.empty')} />,
          }}
        />
      </Card>
      {drill && <DrillDown drill={drill} orgUnitId={orgUnitId} onClose={() => setDrill(null)} />}
    </Flex>
  );
}

/** The accounts behind one figure, soonest due first. */
function DrillDown({ drill, onClose }: { drill: Drill; orgUnitId?: number | undefined; onClose: () => void }) {
  const { t } = useI18n();
  const screens = Grid.useBreakpoint();
  const dates = useDates();
  const [page, setPage] = useState(1);
  const cadenceQuery = useQuery(
    activityQueries.cadence({ ownerId: drill.userId, state: drill.state, limit: 20, offset: (page - 1) * 20 }),
  );
  const columns: TableProps<CadenceAccount>['columns'] = [
    {
      title: t('activities.cadence.account'),
      key: 'name',
      render: (_, record) => (
        <Flex gap={6} align="center">
          <Tag>{record.tier}</Tag>
          <Link to={`/accounts/${record.id}`}>{record.name}</Link>
        </Flex>
      ),
    },
    {
      title: t('activities.cadence.last'),
      key: 'last',
      responsive: ['sm'],
      render: (_, a) => dates.format(a.lastFollowUpAt) ?? t('accounts.never'),
    },
    {
      title: t('activities.cadence.nextDue'),
      key: 'due',
      render: (_, record) => (
        <Typography.Text
          type={record.state === 'overdue' ? 'danger' : record.state === 'due_soon' ? 'warning' : undefined}
        >
          {dates.format(record.nextDue)}
        </Typography.Text>
      ),
    },
  ];
  return (
    <Drawer
      open
      onClose={onClose}
      size={screens.md ? 560 : '100%'}
      title={`${drill.userName} · ${t(drill.state ? `activities.cadence.state.${drill.state}` : 'activities.cadence.accounts')}`}
    >
      <Table<CadenceAccount>
        rowKey="id"
        size="small"
        loading={cadenceQuery.isPending}
        dataSource={cadenceQuery.data?.items}
        columns={columns}
        data-testid="drill-table"
        pagination={{
          current: page,
          pageSize: 20,
          total: cadenceQuery.data?.total ?? 0,
          onChange: setPage,
          showSizeChanger: false,
        }}
      />
    </Drawer>
  );
}
