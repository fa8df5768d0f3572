import { useState } from 'react';
import {
  Alert,
  App,
  Button,
  Empty,
  Flex,
  Input,
  Popconfirm,
  Select,
  Table,
  Tag,
  Typography,
  type TableProps,
} from 'antd';
import { DeleteOutlined, EditOutlined, PlusOutlined } from '@ant-design/icons';
import { useProblem } from '../../api/useProblem.ts';
import { useT } from '../../i18n/useI18n.ts';
import { LoadError } from '../../components/LoadError.tsx';
import { useCan } from '../auth/session.ts';
import {
  INDUSTRIES,
  useApplyTerritories,
  useConflicts,
  useDeleteTerritory,
  useTerritories,
  type Industry,
  type Territory,
} from './api.ts';
import { industryLabel, placeText } from './placeLabels.ts';
import { PreviewBox } from './PreviewBox.tsx';
import { TerritoryDrawer } from './TerritoryDrawer.tsx';
import { MismatchesCard } from './MismatchesCard.tsx';

/** Settings → Territories (井田, docs/organisation.md): the rules, their conflicts, and who would get a new account. */
export default function TerritoriesPanel() {
  const t = useT();
  const { message, modal } = App.useApp();
  const report = useProblem();
  const canEdit = useCan()('territories.manage');
  const [filter, setFilter] = useState<{ province?: string; industry?: Industry }>({});
  const list = useTerritories(filter);
  const conflicts = useConflicts();
  const remove = useDeleteTerritory();
  const apply = useApplyTerritories();
  const [editing, setEditing] = useState<Territory | 'new' | null>(null);

  function runApply() {
    apply.mutate(true, {
      onError: (e) => report(e),
      onSuccess: (dry) =>
        modal.confirm({
          title: t('territories.applyTitle'),
          content: t('territories.applyPlan', {
            pool: dry.poolAccounts,
            assigned: dry.assigned,
            conflicted: dry.conflicted,
            unmatched: dry.unmatched,
          }),
          okText: t('territories.applyConfirm'),
          cancelText: t('common.cancel'),
          okButtonProps: { disabled: dry.assigned === 0 },
          onOk: () =>
            apply.mutateAsync(false).then(
              (r) => void message.success(t('territories.applied', { n: r.assigned })),
              (e: unknown) => report(e),
            ),
        }),
    });
  }

  const columns: TableProps<Territory>['columns'] = [
    {
      title: t('territories.col.place'),
      key: 'place',
      render: (_, territory) => (
        <Flex vertical>
          <Typography.Text strong>{placeText(t, territory)}</Typography.Text>
          {territory.name && (
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {territory.name}
            </Typography.Text>
          )}
        </Flex>
      ),
    },
    {
      title: t('territories.col.industry'),
      dataIndex: 'industry',
      key: 'industry',
      render: (v: Industry | null) => industryLabel(t, v),
    },
    {
      title: t('territories.col.rep'),
      key: 'rep',
      render: (_, territory) => (
        <Flex vertical>
          <span>
            {territory.userName}
            {!territory.userActive && (
              <Tag color="warning" style={{ marginInlineStart: 6 }}>
                {t('territories.repInactive')}
              </Tag>
            )}
          </span>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {territory.orgUnitName}
          </Typography.Text>
        </Flex>
      ),
    },
    {
      title: t('territories.col.specificity'),
      dataIndex: 'specificity',
      key: 'specificity',
      responsive: ['md'],
      align: 'center',
    },
    {
      title: t('territories.col.status'),
      dataIndex: 'active',
      key: 'active',
      render: (value: boolean) =>
        value ? <Tag color="success">{t('territories.active')}</Tag> : <Tag>{t('territories.inactive')}</Tag>,
    },
  ];
  if (canEdit) {
    columns.push({
      title: t('common.actions'),
      key: 'actions',
      width: 120,
      render: (_, territory) =>
        territory.editable && (
          <Flex gap={4}>
            <Button
              size="small"
              type="text"
              icon={<EditOutlined />}
              aria-label={t('common.edit')}
              onClick={() => setEditing(territory)}
            />
            <Popconfirm
              title={t('territories.deleteConfirm')}
              okText={t('territories.delete')}
              cancelText={t('common.cancel')}
              okButtonProps={{ danger: true }}
              onConfirm={() =>
                remove.mutateAsync(territory.id).then(
                  () => void message.success(t('territories.deleted')),
                  (e: unknown) => report(e),
                )
              }
            >
              <Button size="small" type="text" danger icon={<DeleteOutlined />} aria-label={t('territories.delete')} />
            </Popconfirm>
          </Flex>
        ),
    });
  }

  if (list.isError && !list.data) return <LoadError error={list.error} onRetry={() => void list.refetch()} />;

  return (
    <Flex vertical gap={16}>
      {conflicts.data && conflicts.data.total > 0 && (
        <Alert
          type="error"
          showIcon
          data-testid="territory-conflicts"
          title={t('territories.conflictsTitle', { n: conflicts.data.total })}
          description={
            <Flex vertical gap={4}>
              <span>{t('territories.conflictsHint')}</span>
              {conflicts.data.items.map((conflict, index) => (
                <span key={index}>
                  <Typography.Text strong>
                    {placeText(t, conflict.place)} · {industryLabel(t, conflict.place.industry)}
                  </Typography.Text>
                  {' → '}
                  {conflict.rules.map((r) => r.userName).join(t('territories.vs'))}
                </span>
              ))}
            </Flex>
          }
        />
      )}
      {conflicts.data && conflicts.data.total === 0 && (list.data?.total ?? 0) > 0 && (
        <Alert type="success" showIcon title={t('territories.noConflicts')} />
      )}
      <MismatchesCard />
      <PreviewBox />
      <Flex gap={12} wrap>
        <Input.Search
          allowClear
          placeholder={t('territories.filterProvince')}
          onSearch={(v) => setFilter((f) => ({ ...f, province: v.trim() || undefined }))}
          style={{ flex: '1 1 180px', maxWidth: 240 }}
          aria-label={t('territories.filterProvince')}
        />
        <Select
          allowClear
          placeholder={t('territories.col.industry')}
          value={filter.industry}
          onChange={(industry?: Industry) => setFilter((f) => ({ ...f, industry }))}
          options={INDUSTRIES.map((i) => ({ value: i, label: industryLabel(t, i) }))}
          style={{ flex: '1 1 150px', maxWidth: 200 }}
        />
        {canEdit && (
          <Flex gap={8} style={{ marginInlineStart: 'auto' }}>
            <Button onClick={runApply} loading={apply.isPending}>
              {t('territories.apply')}
            </Button>
            <Button
              type="primary"
              icon={<PlusOutlined />}
              onClick={() => setEditing('new')}
              data-testid="territory-add"
            >
              {t('territories.add')}
            </Button>
          </Flex>
        )}
      </Flex>
      <Table<Territory>
        rowKey="id"
        size="middle"
        columns={columns}
        dataSource={list.data?.items}
        loading={list.isFetching}
        scroll={{ x: 'max-content' }}
        pagination={{
          pageSize: 20,
          hideOnSinglePage: true,
          showTotal: (total) => t('common.totalItems', { count: total }),
        }}
        locale={{
          emptyText: (
            <Empty
              image={Empty.PRESENTED_IMAGE_SIMPLE}
              description={
                <>
                  {t('territories.empty')}
                  <br />
                  {t('territories.emptyHint')}
                </>
              }
            />
          ),
        }}
        data-testid="territories-table"
      />
      {editing && <TerritoryDrawer rule={editing === 'new' ? undefined : editing} onClose={() => setEditing(null)} />}
    </Flex>
  );
}
