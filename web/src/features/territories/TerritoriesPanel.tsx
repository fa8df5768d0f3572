import { useState } from 'react';
import { Link } from 'react-router';
import {
  Alert,
  App,
  Button,
  Card,
  Drawer,
  Empty,
  Flex,
  Form,
  Grid,
  Input,
  Popconfirm,
  Select,
  Switch,
  Table,
  Tag,
  Typography,
  type TableProps,
} from 'antd';
import { DeleteOutlined, EditOutlined, PlusOutlined, SearchOutlined } from '@ant-design/icons';
import { useProblem } from '../../api/useProblem.ts';
import { useT } from '../../i18n/useI18n.ts';
import type { MessageKey } from '../../i18n/zh-CN.ts';
import { LoadError } from '../../components/LoadError.tsx';
import { useCan } from '../auth/session.ts';
import { PROVINCES } from '../accounts/types.ts';
import { canonicalProvince } from '../../../../src/domain/regions.ts';
import {
  INDUSTRIES,
  useApplyTerritories,
  useConflicts,
  useCreateTerritory,
  useDeleteTerritory,
  useMismatches,
  usePreview,
  useTerritories,
  useTerritoryOwners,
  useUpdateTerritory,
  type Industry,
  type Territory,
  type TerritoryMismatch,
} from './api.ts';

type T = ReturnType<typeof useT>;
export const industryLabel = (translate: T, industry: Industry | null | undefined) =>
  industry ? translate(`territories.industry.${industry}` as MessageKey) : translate('territories.anyIndustry');
const placeText = (translate: T, place: { province: string | null; city: string | null; district: string | null }) =>
  [place.province ?? translate('territories.anyPlace'), place.city, place.district].filter(Boolean).join(' / ');

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

/** "Who would get a new account here?" — the same rule the server applies on create. */
function PreviewBox() {
  const t = useT();
  const [form] = Form.useForm<{ province?: string; city?: string; district?: string; industry?: Industry }>();
  const [place, setPlace] = useState<Record<string, string | undefined> | null>(null);
  const preview = usePreview(place);
  const previewData = preview.data;
  return (
    <Card size="small" title={t('territories.previewTitle')}>
      <Form
        form={form}
        name="preview"
        layout="inline"
        onFinish={(values) =>
          setPlace({
            province: values.province?.trim(),
            city: values.city?.trim() || undefined,
            district: values.district?.trim() || undefined,
            industry: values.industry,
          })
        }
        style={{ rowGap: 8 }}
      >
        <Form.Item name="province" rules={[{ required: true, whitespace: true, message: t('validation.required') }]}>
          <Input
            placeholder={t('territories.form.province')}
            aria-label={t('territories.form.province')}
            style={{ width: 120 }}
          />
        </Form.Item>
        <Form.Item name="city">
          <Input
            placeholder={t('territories.form.city')}
            aria-label={t('territories.form.city')}
            style={{ width: 120 }}
          />
        </Form.Item>
        <Form.Item name="district">
          <Input
            placeholder={t('territories.form.district')}
            aria-label={t('territories.form.district')}
            style={{ width: 120 }}
          />
        </Form.Item>
        <Form.Item name="industry">
          <Select
            allowClear
            placeholder={t('territories.form.industry')}
            options={INDUSTRIES.map((i) => ({ value: i, label: industryLabel(t, i) }))}
            style={{ width: 140 }}
          />
        </Form.Item>
        <Button
          htmlType="submit"
          icon={<SearchOutlined />}
          loading={preview.isFetching}
          data-testid="territory-preview"
        >
          {t('territories.previewRun')}
        </Button>
      </Form>
      {previewData && (
        <div style={{ marginTop: 12 }} data-testid="territory-preview-result">
          {previewData.result === 'assigned' && (
            <Alert
              type="success"
              showIcon
              title={t('territories.previewAssigned', {
                name: previewData.user!.name,
                unit: previewData.user!.orgUnitName,
              })}
            />
          )}
          {previewData.result === 'inactive' && (
            <Alert type="warning" showIcon title={t('territories.previewInactive', { name: previewData.user!.name })} />
          )}
          {previewData.result === 'none' && <Alert type="info" showIcon title={t('territories.previewNone')} />}
          {previewData.result === 'conflict' && (
            <Alert
              type="error"
              showIcon
              title={t('territories.previewConflict', {
                names: previewData.rules.map((r) => r.userName).join(t('territories.vs')),
              })}
            />
          )}
        </div>
      )}
    </Card>
  );
}

interface Values {
  name?: string;
  province: string;
  city?: string;
  district?: string;
  industry?: Industry | null;
  userId: number;
  active: boolean;
}

const blankToNull = (s: string | undefined) => (s?.trim() ? s.trim() : null);

function TerritoryDrawer({ rule, onClose }: { rule?: Territory; onClose: () => void }) {
  const t = useT();
  const { message } = App.useApp();
  const report = useProblem();
  const screens = Grid.useBreakpoint();
  const [form] = Form.useForm<Values>();
  const owners = useTerritoryOwners();
  const create = useCreateTerritory();
  const update = useUpdateTerritory();
  const initial: Partial<Values> = rule
    ? {
        name: rule.name ?? '',
        province: rule.province ?? '',
        city: rule.city ?? '',
        district: rule.district ?? '',
        industry: rule.industry,
        userId: rule.userId,
        active: rule.active,
      }
    : { active: true };

  function submit(values: Values) {
    const body = {
      name: blankToNull(values.name),
      province: values.province.trim(),
      city: blankToNull(values.city),
      district: blankToNull(values.district),
      industry: values.industry ?? null,
      userId: values.userId,
      active: values.active,
    };
    const done = {
      onSuccess: () => {
        message.success(t('common.saved'));
        onClose();
      },
      onError: (e: unknown) => report(e, form),
    };
    if (rule) update.mutate({ id: rule.id, version: rule.version, ...body }, done);
    else create.mutate(body, done);
  }
  const required = { required: true, whitespace: true, message: t('validation.required') };
  return (
    <Drawer
      open
      title={rule ? t('territories.edit') : t('territories.add')}
      size={screens.sm ? 440 : '100%'}
      onClose={onClose}
      destroyOnHidden
      footer={
        <Flex justify="flex-end" gap={8}>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button
            type="primary"
            loading={create.isPending || update.isPending}
            onClick={() => form.submit()}
            data-testid="territory-submit"
          >
            {rule ? t('common.save') : t('common.create')}
          </Button>
        </Flex>
      }
    >
      <Form form={form} layout="vertical" initialValues={initial} onFinish={submit}>
        <Form.Item name="province" label={t('territories.form.province')} rules={[required]}>
          <Select
            autoFocus
            showSearch
            placeholder={t('territories.form.provinceHint')}
            options={PROVINCES.map((p) => ({ value: p, label: p }))}
            // 上海 and Shanghai find 上海市: the server stores every province by its full name.
            filterOption={(input, o) => !!o && (o.value.includes(input.trim()) || canonicalProvince(input) === o.value)}
            data-testid="territory-province"
          />
        </Form.Item>
        <Flex gap={12}>
          <Form.Item name="city" label={t('territories.form.city')} rules={[{ max: 30 }]} style={{ flex: 1 }}>
            <Input placeholder={t('territories.form.optional')} />
          </Form.Item>
          <Form.Item name="district" label={t('territories.form.district')} rules={[{ max: 30 }]} style={{ flex: 1 }}>
            <Input placeholder={t('territories.form.optional')} />
          </Form.Item>
        </Flex>
        <Form.Item name="industry" label={t('territories.form.industry')} extra={t('territories.form.industryHint')}>
          <Select
            allowClear
            placeholder={t('territories.anyIndustry')}
            options={INDUSTRIES.map((i) => ({ value: i, label: industryLabel(t, i) }))}
          />
        </Form.Item>
        <Form.Item
          name="userId"
          label={t('territories.form.rep')}
          rules={[{ required: true, message: t('validation.required') }]}
        >
          <Select
            showSearch
            optionFilterProp="label"
            loading={owners.isPending}
            placeholder={t('territories.form.repHint')}
            options={(owners.data ?? []).map((u) => ({ value: u.id, label: `${u.name} · ${u.orgUnitLabel}` }))}
            data-testid="territory-rep"
          />
        </Form.Item>
        <Form.Item name="name" label={t('territories.form.name')} rules={[{ max: 100 }]}>
          <Input placeholder={t('territories.form.optional')} />
        </Form.Item>
        <Form.Item name="active" label={t('territories.form.active')} valuePropName="checked">
          <Switch />
        </Form.Item>
      </Form>
    </Drawer>
  );
}

/**
 * Accounts held by someone other than their territory's rep (a rep's own new account in a
 * colleague's slice, an owner changed by hand): listed for the managers to settle.
 */
function MismatchesCard() {
  const t = useT();
  const mismatches = useMismatches();
  const data = mismatches.data;
  if (!data || data.total === 0) return null;
  return (
    <Card size="small" title={t('territories.mismatchesTitle', { n: data.total })} data-testid="territory-mismatches">
      <Typography.Paragraph type="secondary" style={{ marginBottom: 8 }}>
        {t('territories.mismatchesHint')}
      </Typography.Paragraph>
      <Table
        size="small"
        rowKey="accountId"
        dataSource={data.items}
        pagination={{ pageSize: 10, hideOnSinglePage: true }}
        columns={[
          {
            title: t('territories.col.account'),
            key: 'account',
            render: (_: unknown, m: TerritoryMismatch) => <Link to={`/accounts/${m.accountId}`}>{m.accountName}</Link>,
          },
          {
            title: t('territories.col.placeIndustry'),
            key: 'place',
            responsive: ['md'],
            render: (_: unknown, record: TerritoryMismatch) =>
              `${[record.province, record.city].filter(Boolean).join(' · ')} · ${industryLabel(t, record.industry as Industry | null)}`,
          },
          { title: t('territories.col.owner'), dataIndex: 'ownerName', key: 'owner' },
          { title: t('territories.col.territoryRep'), dataIndex: 'territoryUserName', key: 'rep' },
        ]}
      />
    </Card>
  );
}
