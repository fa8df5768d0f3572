import { useState } from 'react';
import {
  App,
  Button,
  Card,
  Empty,
  Flex,
  Input,
  Popconfirm,
  Progress,
  Select,
  Space,
  Tag,
  Typography,
  type TableProps,
} from 'antd';
import { InboxOutlined, ReloadOutlined } from '@ant-design/icons';
import { useDates } from '../../i18n/useDates.ts';
import { useProblem } from '../../api/useProblem.ts';
import { isApiError } from '../../api/client.ts';
import { LoadError } from '../../components/LoadError.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { useT } from '../../i18n/useI18n.ts';
import type { MessageKey } from '../../i18n/zh-CN.ts';
import { useCan, useSession } from '../auth/session.ts';
import { UnitTreeSelect } from '../org/UnitTreeSelect.tsx';
import { useClaim, usePool, usePoolEvents, useReleaseRun, type PoolEvent, type PoolItem, type Tier } from './api.ts';
import { ListTable } from '../../components/ListTable.tsx';
import { useListParams } from '../../components/useListParams.ts';
import { PoolAssignModal } from './PoolAssignModal.tsx';
import { useRowSelection } from '../bulk/BulkBar.tsx';
import { PoolBulkBar } from '../bulk/PoolBulkBar.tsx';

const PAGE = 20;
const EVENTS_PAGE = 10;

/** 客户公海 (docs/archive.md): pool accounts within reach, claim with confirmation, a manager's assignment, and the release/claim log. */
export default function PoolPage() {
  const t = useT();
  const { message } = App.useApp();
  const report = useProblem();
  const { reach } = useSession();
  const dates = useDates();
  const can = useCan();
  // The unit filter and the release log are for those who see more than their own unit's pool.
  const manages = reach !== 'unit';
  const canClaim = can('pool.claim');
  const canAssign = can('pool.assign');
  const [assigning, setAssigning] = useState<PoolItem | null>(null);
  const list = useListParams({ pageSize: PAGE });
  // The release/claim log below pages on its own, under its own parameter.
  const eventList = useListParams({ pageSize: EVENTS_PAGE, pageKey: 'eventsPage' });
  const orgUnitId = list.num('orgUnitId');
  const tier = list.str('tier') as Tier | undefined;
  const search = list.str('q');
  const [query, setQ] = useState(search ?? '');
  const pool = usePool({ limit: list.limit, offset: list.offset, orgUnitId, tier, q: search, sort: '-poolSince' });
  const events = usePoolEvents({ orgUnitId, limit: eventList.limit, offset: eventList.offset });
  const claim = useClaim();
  const run = useReleaseRun();
  const allowance = pool.data?.allowance ?? null;
  const selection = useRowSelection<PoolItem>(JSON.stringify({ orgUnitId, tier, search }));
  const selectable = canClaim || canAssign || can('export');

  function doClaim(poolItem: PoolItem) {
    return claim.mutateAsync(poolItem).then(
      () => void message.success(t('pool.claimed', { name: poolItem.name })),
      (err: unknown) => {
        if (isApiError(err) && err.code === 'claim_limit_reached') return void message.error(t('pool.limitReached'));
        if (
          isApiError(err) &&
          (err.code === 'already_claimed' || err.code === 'not_in_pool' || err.code === 'version_conflict')
        )
          return void message.warning(t('pool.alreadyClaimed'));
        report(err);
      },
    );
  }

  const columns: TableProps<PoolItem>['columns'] = [
    {
      title: t('pool.col.name'),
      dataIndex: 'name',
      key: 'name',
      render: (value: string, record) => (
        <Space size={4}>
          <Typography.Text strong>{value}</Typography.Text>
          {record.named && <Tag color="gold">{t('pool.named')}</Tag>}
        </Space>
      ),
    },
    {
      title: t('pool.col.tier'),
      dataIndex: 'tier',
      key: 'tier',
      width: 70,
      render: (v: Tier) => <Tag color={v === 'A' ? 'red' : v === 'B' ? 'orange' : 'default'}>{v}</Tag>,
    },
    { title: t('pool.col.unit'), dataIndex: 'orgUnitName', key: 'unit', responsive: ['md'] },
    {
      title: t('pool.col.region'),
      key: 'region',
      responsive: ['lg'],
      render: (_, a) => [a.province, a.city].filter(Boolean).join(' ') || t('common.none'),
    },
    {
      title: t('pool.col.daysInPool'),
      dataIndex: 'daysInPool',
      key: 'days',
      width: 100,
      render: (v: number) => t('pool.days', { n: v }),
    },
    {
      title: t('pool.col.previousOwner'),
      key: 'prev',
      responsive: ['sm'],
      render: (_, account) => (
        <Space size={4} wrap>
          <span>{account.previousOwnerName ?? t('common.none')}</span>
          {account.releaseReason && <Tag>{t(`pool.reason.${account.releaseReason}` as MessageKey)}</Tag>}
        </Space>
      ),
    },
    {
      title: t('pool.col.lastFollowUp'),
      dataIndex: 'lastFollowUpAt',
      key: 'last',
      responsive: ['xl'],
      render: (v: number | null) => dates.format(v) ?? t('pool.never'),
    },
  ];
  if (canClaim || canAssign) {
    columns.push({
      title: t('common.actions'),
      key: 'actions',
      fixed: 'right',
      width: canClaim && canAssign ? 160 : 110,
      render: (_, account) => (
        <Space size={4}>
          {canClaim && (
            <Popconfirm
              title={t('pool.claimConfirm', { name: account.name })}
              description={allowance ? t('pool.claimConfirmHint', { n: allowance.remaining - 1 }) : undefined}
              okText={t('pool.claim')}
              cancelText={t('common.cancel')}
              onConfirm={() => doClaim(account)}
              disabled={allowance !== null && allowance.remaining <= 0}
            >
              <Button
                size="small"
                type="primary"
                disabled={allowance !== null && allowance.remaining <= 0}
                data-testid={`claim-${account.id}`}
              >
                {t('pool.claim')}
              </Button>
            </Popconfirm>
          )}
          {canAssign && (
            <Button size="small" onClick={() => setAssigning(account)} data-testid={`assign-${account.id}`}>
              {t('pool.assign')}
            </Button>
          )}
        </Space>
      ),
    });
  }

  if (pool.isError && !pool.data) return <LoadError error={pool.error} onRetry={() => void pool.refetch()} />;

  return (
    <>
      <PageHeader
        title={t('pool.title')}
        subtitle={t('pool.subtitle')}
        extra={
          can('pool.run') ? (
            <Button
              icon={<ReloadOutlined />}
              loading={run.isPending}
              onClick={() =>
                run.mutateAsync(undefined).then(
                  (r) => void message.success(t('pool.runDone', { n: r.total })),
                  (e: unknown) => report(e),
                )
              }
            >
              {t('pool.runNow')}
            </Button>
          ) : undefined
        }
      />
      {allowance && (
        <Card size="small" style={{ marginBottom: 16 }} data-testid="pool-allowance">
          <Flex align="center" gap={16} wrap>
            <Progress
              type="circle"
              size={56}
              percent={Math.min(100, Math.round((allowance.held / Math.max(1, allowance.limit)) * 100))}
              status={allowance.remaining <= 0 ? 'exception' : 'normal'}
            />
            <div>
              <Typography.Text strong>{t('pool.allowance', { remaining: allowance.remaining })}</Typography.Text>
              <br />
              <Typography.Text type="secondary">
                {t('pool.allowanceHint', { held: allowance.held, limit: allowance.limit })}
              </Typography.Text>
            </div>
          </Flex>
        </Card>
      )}
      <Flex gap={12} wrap style={{ marginBottom: 16 }}>
        <Input.Search
          allowClear
          placeholder={t('pool.search')}
          value={query}
          onChange={(changeEvent) => {
            setQ(changeEvent.target.value);
            if (!changeEvent.target.value) list.update({ q: undefined });
          }}
          onSearch={(v) => list.update({ q: v.trim() })}
          style={{ flex: '1 1 220px', maxWidth: 320 }}
          aria-label={t('common.search')}
          data-testid="pool-search"
        />
        {manages && (
          <UnitTreeSelect
            allowClear
            placeholder={t('pool.filter.unit')}
            value={orgUnitId}
            onChange={(v) => list.update({ orgUnitId: v, eventsPage: undefined })}
            style={{ flex: '1 1 200px', maxWidth: 280 }}
            popupMatchSelectWidth={false}
          />
        )}
        <Select
          allowClear
          placeholder={t('pool.filter.tier')}
          value={tier}
          onChange={(v: Tier | undefined) => list.update({ tier: v })}
          options={(['A', 'B', 'C'] as const).map((x) => ({ value: x, label: x }))}
          style={{ width: 120 }}
        />
      </Flex>
      {selectable && (
        <PoolBulkBar
          selection={selection}
          allowance={allowance}
          filters={{ orgUnitId: orgUnitId === undefined ? undefined : String(orgUnitId), tier, q: search }}
          page={pool.data ? { ids: pool.data.items.map((item) => item.id), total: pool.data.total } : undefined}
        />
      )}
      <ListTable<PoolItem>
        list={list}
        query={pool}
        columns={columns}
        rowSelection={selectable ? selection.rowSelection : undefined}
        locale={{
          emptyText: (
            <Empty
              image={<InboxOutlined style={{ fontSize: 40, color: '#94a3b8' }} />}
              description={
                <>
                  {t('pool.empty')}
                  <br />
                  <Typography.Text type="secondary">{t('pool.emptyHint')}</Typography.Text>
                </>
              }
            />
          ),
        }}
        data-testid="pool-table"
      />
      <Typography.Title level={5} style={{ marginTop: 24 }}>
        {t('pool.events')}
      </Typography.Title>
      <ListTable<PoolEvent>
        list={eventList}
        query={events}
        size="small"
        showTotal={false}
        locale={{ emptyText: t('pool.eventsEmpty') }}
        columns={[
          {
            title: t('pool.ev.when'),
            dataIndex: 'createdAt',
            key: 'when',
            width: 150,
            render: (v: number) => dates.format(v, 'dateTime'),
          },
          {
            title: t('pool.ev.what'),
            dataIndex: 'kind',
            key: 'kind',
            render: (value: string) => (
              <Tag color={value === 'pool_claim' || value === 'pool_assign' ? 'green' : 'blue'}>
                {t(`pool.reason.${value}` as MessageKey)}
              </Tag>
            ),
          },
          { title: t('pool.ev.account'), dataIndex: 'accountName', key: 'account' },
          {
            title: t('pool.ev.who'),
            key: 'who',
            render: (_, record) =>
              record.kind === 'pool_release'
                ? t('pool.ev.system', { owner: record.fromUserName ?? t('common.none') })
                : record.kind === 'pool_release_manual'
                  ? `${record.actorName ?? ''} ← ${record.fromUserName ?? ''}`
                  : `${record.toUserName ?? ''}${record.actorName && record.actorName !== record.toUserName ? ` (${record.actorName})` : ''}`,
          },
          {
            title: t('pool.ev.why'),
            dataIndex: 'note',
            key: 'why',
            render: (v: string | null, e) => v ?? (e.kind === 'pool_release' ? t('pool.ev.stale') : t('common.none')),
          },
        ]}
        data-testid="pool-events"
      />
      {assigning && <PoolAssignModal account={assigning} onClose={() => setAssigning(null)} />}
    </>
  );
}
