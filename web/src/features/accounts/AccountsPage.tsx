import { useState } from 'react';
import {
  Badge,
  Button,
  Empty,
  Flex,
  Grid,
  Input,
  Select,
  Space,
  Tag,
  Tooltip,
  Typography,
  type TableProps,
} from 'antd';
import { FilterOutlined, InboxOutlined, PlusOutlined, UploadOutlined, SwapOutlined } from '@ant-design/icons';
import { Link, useNavigate } from 'react-router';
import { PageHeader } from '../../components/PageHeader.tsx';
import { LoadError } from '../../components/LoadError.tsx';
import { useI18n } from '../../i18n/useI18n.ts';
import { useCan } from '../auth/session.ts';
import { UnitTreeSelect } from '../org/UnitTreeSelect.tsx';
import { ExportButton } from '../imports/ExportButton.tsx';
import { useAccounts, usePeople } from './api.ts';
import { ListTable } from '../../components/ListTable.tsx';
import { AccountFormDrawer } from './AccountFormDrawer.tsx';
import { StatusTag, TierBadge } from './bits.tsx';
import { useDates } from '../../i18n/useDates.ts';
import { formatFen } from '../../i18n/money.ts';
import { SavedViewsBar } from '../../components/SavedViewsBar.tsx';
import { useAccountFilters } from './useAccountFilters.ts';
import { useRowSelection } from '../bulk/BulkBar.tsx';
import { ListBulkBar } from '../bulk/ListBulkBars.tsx';
import { ACCOUNT_STATUSES, INDUSTRIES, PROVINCES, TIERS, VALUE_TYPES, type Account } from './types.ts';

const SORTABLE = ['name', 'tier', 'lastFollowUpAt', 'trailingAmount', 'updatedAt', 'createdAt'];

/** /accounts: the customer archive (docs/archive.md), filtered, sorted and paginated on the server. */
export default function AccountsPage() {
  const { t, locale } = useI18n();
  const navigate = useNavigate();
  const screens = Grid.useBreakpoint();
  const can = useCan();
  const { list, filters, page, update, replaceAll } = useAccountFilters();
  const accounts = useAccounts(filters, page);
  const people = usePeople();
  const dates = useDates();
  const [searchText, setQ] = useState(filters.q ?? '');
  const [creating, setCreating] = useState(false);
  const [moreFilters, setMoreFilters] = useState(false);
  const canCreate = can('accounts.create');
  const canImport = can('import');
  const { q: _q, sort: _sort, ...narrowing } = filters;
  const filterCount = Object.keys(narrowing).length;
  const showAllFilters = screens.md || moreFilters;
  // Rows are selectable when the caller may do something with a selection (docs/archive.md § Bulk actions).
  const selection = useRowSelection<Account>(JSON.stringify(filters));
  const selectable = can('accounts.manage') || can('export');

  const yesNo = [
    { value: 'true', label: t('common.yes') },
    { value: 'false', label: t('common.no') },
  ];

  const columns: TableProps<Account>['columns'] = [
    {
      title: t('accounts.col.name'),
      key: 'name',
      sorter: true,
      render: (_, account) => (
        <Flex vertical style={{ minWidth: 160, maxWidth: 260 }}>
          <Link to={`/accounts/${account.id}`} style={{ fontWeight: 600 }} data-testid="account-link">
            {account.name}
          </Link>
          <Space size={4} wrap style={{ marginTop: 2 }}>
            {account.named && (
              <Tag color="purple" style={{ fontSize: 11, lineHeight: '16px' }}>
                {t('accounts.named')}
              </Tag>
            )}
            {account.inPool && (
              <Tag color="cyan" style={{ fontSize: 11, lineHeight: '16px' }}>
                {t('accounts.inPool')}
              </Tag>
            )}
            {account.archived && <Tag style={{ fontSize: 11, lineHeight: '16px' }}>{t('accounts.archived')}</Tag>}
            {!screens.md && (
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {account.ownerName ?? t('accounts.noOwner')}
              </Typography.Text>
            )}
          </Space>
        </Flex>
      ),
    },
    {
      title: t('accounts.col.tier'),
      key: 'tier',
      sorter: true,
      align: 'center',
      width: 64,
      render: (_, a) => <TierBadge tier={a.tier} overridden={a.tierOverride !== null} reason={a.tierOverrideReason} />,
    },
    {
      title: t('accounts.col.status'),
      key: 'status',
      responsive: ['md'],
      render: (_, a) => <StatusTag status={a.status} />,
    },
    {
      title: t('accounts.col.industry'),
      key: 'industry',
      responsive: ['lg'],
      render: (_, a) => (a.industry ? t(`accounts.industry.${a.industry}`) : t('common.none')),
    },
    {
      title: t('accounts.col.region'),
      key: 'region',
      responsive: ['lg'],
      render: (_, a) => [a.province, a.city].filter(Boolean).join(' · ') || t('common.none'),
    },
    {
      title: t('accounts.col.owner'),
      key: 'owner',
      responsive: ['md'],
      render: (_, a) => a.ownerName ?? <Typography.Text type="secondary">{t('accounts.noOwner')}</Typography.Text>,
    },
    // The owner's unit is the first to go on a 1440-pixel screen: the owner column names the person.
    { title: t('accounts.col.unit'), dataIndex: 'orgUnitName', key: 'unit', responsive: ['xxl'] },
    {
      title: t('accounts.col.lastFollowUp'),
      key: 'lastFollowUpAt',
      sorter: true,
      responsive: ['lg'],
      render: (_, account) =>
        dates.format(account.lastFollowUpAt) ?? (
          <Typography.Text type="secondary">{t('accounts.never')}</Typography.Text>
        ),
    },
    {
      title: t('accounts.col.nextDue'),
      key: 'nextDue',
      render: (_, account) =>
        account.followUpOverdue ? (
          <Tooltip title={t('accounts.overdueHint')}>
            <Typography.Text type="danger" strong data-testid="overdue">
              {dates.format(account.nextFollowUpDue)} · {t('accounts.overdue')}
            </Typography.Text>
          </Tooltip>
        ) : (
          dates.format(account.nextFollowUpDue)
        ),
    },
    {
      title: t('accounts.col.amount'),
      key: 'trailingAmount',
      sorter: true,
      align: 'right',
      responsive: ['md'],
      render: (_, account) => (
        <span style={{ fontVariantNumeric: 'tabular-nums' }}>{formatFen(account.trailingAmount, locale)}</span>
      ),
    },
    {
      title: t('accounts.col.contacts'),
      dataIndex: 'contactCount',
      key: 'contacts',
      align: 'right',
      // At 1440 px the list fits without it; the account page lists the contacts.
      responsive: ['xxl'],
    },
  ];

  const empty = accounts.data && accounts.data.total === 0;
  const nothingAtAll = empty && Object.keys(filters).filter((k) => k !== 'sort').length === 0;

  return (
    <>
      <PageHeader
        title={t('accounts.title')}
        subtitle={t('accounts.subtitle')}
        extra={
          <Flex gap={8} wrap>
            <Button icon={<InboxOutlined />} onClick={() => navigate('/accounts/pool')}>
              {t('accounts.pool')}
            </Button>
            {can('handover.manage') && (
              <Button icon={<SwapOutlined />} onClick={() => navigate('/handovers')}>
                {t('accounts.handovers')}
              </Button>
            )}
            {canImport && (
              <Button icon={<UploadOutlined />} onClick={() => navigate('/accounts/import')}>
                {t('accounts.import')}
              </Button>
            )}
            {can('export') && <ExportButton area="accounts" filters={filters} />}
            {canCreate && (
              <Button
                type="primary"
                icon={<PlusOutlined />}
                onClick={() => setCreating(true)}
                data-testid="new-account"
              >
                {t('accounts.new')}
              </Button>
            )}
          </Flex>
        }
      />
      <div
        style={{
          background: '#fff',
          borderRadius: 8,
          padding: screens.md ? 16 : 12,
          marginBottom: 16,
          border: '1px solid #eef0f4',
        }}
      >
        <Flex gap={12} wrap justify="space-between" style={{ marginBottom: showAllFilters ? 12 : 0 }}>
          <Flex gap={8} style={{ flex: '1 1 320px', maxWidth: 520 }}>
            <Input.Search
              allowClear
              placeholder={t('accounts.searchPlaceholder')}
              value={searchText}
              onChange={(changeEvent) => {
                setQ(changeEvent.target.value);
                if (!changeEvent.target.value) update({ q: undefined });
              }}
              onSearch={(value) => update({ q: value.trim() })}
              aria-label={t('common.search')}
              data-testid="account-search"
            />
            {!screens.md && (
              <Badge count={filterCount} size="small">
                <Button
                  icon={<FilterOutlined />}
                  onClick={() => setMoreFilters((v) => !v)}
                  aria-label={t('accounts.filters')}
                />
              </Badge>
            )}
          </Flex>
          <SavedViewsBar
            area="accounts"
            filters={filters}
            onPick={(query) => {
              replaceAll(query);
              setQ(query.q ?? '');
            }}
          />
        </Flex>
        {showAllFilters && (
          <Flex gap={8} wrap>
            <Select
              allowClear
              showSearch={{ optionFilterProp: 'label' }}
              placeholder={t('accounts.filter.owner')}
              value={filters.ownerId ? Number(filters.ownerId) : undefined}
              onChange={(v) => update({ ownerId: v })}
              options={(people.data ?? []).map((u) => ({ value: u.id, label: u.name }))}
              loading={people.isPending}
              style={{ width: 140 }}
            />
            <UnitTreeSelect
              allowClear
              placeholder={t('accounts.filter.unit')}
              value={filters.orgUnitId ? Number(filters.orgUnitId) : undefined}
              onChange={(v) => update({ orgUnitId: v })}
              style={{ width: 170 }}
              popupMatchSelectWidth={false}
            />
            <Select
              allowClear
              placeholder={t('accounts.filter.tier')}
              value={filters.tier}
              onChange={(v) => update({ tier: v })}
              options={TIERS.map((x) => ({ value: x, label: `${x} · ${t(`accounts.tier.hint.${x}`)}` }))}
              style={{ width: 110 }}
              popupMatchSelectWidth={false}
            />
            <Select
              allowClear
              placeholder={t('accounts.filter.status')}
              value={filters.status}
              onChange={(v) => update({ status: v })}
              options={ACCOUNT_STATUSES.map((x) => ({ value: x, label: t(`accounts.status.${x}`) }))}
              style={{ width: 110 }}
            />
            <Select
              allowClear
              showSearch={{ optionFilterProp: 'label' }}
              placeholder={t('accounts.filter.industry')}
              value={filters.industry}
              onChange={(v) => update({ industry: v })}
              options={INDUSTRIES.map((x) => ({ value: x, label: t(`accounts.industry.${x}`) }))}
              style={{ width: 120 }}
              popupMatchSelectWidth={false}
            />
            <Select
              allowClear
              showSearch
              placeholder={t('accounts.filter.province')}
              value={filters.province}
              onChange={(v) => update({ province: v, city: undefined })}
              options={PROVINCES.map((x) => ({ value: x, label: x }))}
              style={{ width: 120 }}
              popupMatchSelectWidth={false}
            />
            <Input
              allowClear
              placeholder={t('accounts.filter.city')}
              defaultValue={filters.city}
              key={`city-${filters.city ?? ''}`}
              onPressEnter={(e) => update({ city: e.currentTarget.value.trim() })}
              onBlur={(e) => e.target.value.trim() !== (filters.city ?? '') && update({ city: e.target.value.trim() })}
              style={{ width: 100 }}
            />
            <Select
              allowClear
              placeholder={t('accounts.filter.valueType')}
              value={filters.valueType}
              onChange={(v) => update({ valueType: v })}
              options={VALUE_TYPES.map((x) => ({ value: x, label: t(`accounts.valueType.${x}`) }))}
              style={{ width: 130 }}
              popupMatchSelectWidth={false}
            />
            <Select
              allowClear
              placeholder={t('accounts.filter.named')}
              value={filters.named}
              onChange={(v) => update({ named: v })}
              options={yesNo}
              style={{ width: 110 }}
            />
            <Select
              allowClear
              placeholder={t('accounts.filter.inPool')}
              value={filters.inPool}
              onChange={(v) => update({ inPool: v })}
              options={yesNo}
              style={{ width: 110 }}
            />
            <Select
              allowClear
              placeholder={t('accounts.filter.overdue')}
              value={filters.overdue}
              onChange={(v) => update({ overdue: v })}
              options={yesNo}
              style={{ width: 130 }}
              popupMatchSelectWidth={false}
            />
            <Select
              allowClear
              placeholder={t('accounts.filter.archived')}
              value={filters.archived}
              onChange={(v) => update({ archived: v })}
              options={[
                { value: 'false', label: t('accounts.filter.activeOnly') },
                { value: 'true', label: t('accounts.filter.archivedOnly') },
              ]}
              style={{ width: 120 }}
              popupMatchSelectWidth={false}
            />
            {filterCount > 0 && (
              <Button
                type="link"
                onClick={() => {
                  replaceAll(filters.q ? { q: filters.q } : {});
                }}
              >
                {t('accounts.filter.clear')}
              </Button>
            )}
          </Flex>
        )}
      </div>
      {selectable && (
        <ListBulkBar
          area="accounts"
          selection={selection}
          filters={filters}
          page={
            accounts.data && {
              ids: accounts.data.items.map((account) => account.id),
              total: accounts.data.total,
              capped: accounts.data.totalCapped,
            }
          }
        />
      )}
      {accounts.isError && !accounts.data ? (
        <LoadError error={accounts.error} onRetry={() => void accounts.refetch()} />
      ) : (
        <ListTable<Account>
          list={list}
          query={accounts}
          rowSelection={selectable ? selection.rowSelection : undefined}
          sortable={SORTABLE}
          columns={columns}
          rowClassName={(a) => (a.archived ? 'kl-row-archived' : '')}
          onRow={(a) => ({ onDoubleClick: () => navigate(`/accounts/${a.id}`) })}
          locale={{
            emptyText: accounts.isPending ? (
              ' '
            ) : (
              <Empty
                image={Empty.PRESENTED_IMAGE_SIMPLE}
                description={
                  nothingAtAll ? (
                    <>
                      <Typography.Text strong>{t('accounts.empty.none')}</Typography.Text>
                      <br />
                      {t(canCreate ? 'accounts.empty.noneHint' : 'accounts.empty.noneHintReader')}
                    </>
                  ) : (
                    <>
                      {t('accounts.empty.filtered')}
                      <br />
                      {t('accounts.empty.filteredHint')}
                    </>
                  )
                }
              >
                {nothingAtAll && canCreate && (
                  <Space>
                    <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>
                      {t('accounts.new')}
                    </Button>
                    <Button icon={<UploadOutlined />} onClick={() => navigate('/accounts/import')}>
                      {t('accounts.import')}
                    </Button>
                  </Space>
                )}
              </Empty>
            ),
          }}
          data-testid="accounts-table"
        />
      )}
      {creating && (
        <AccountFormDrawer onClose={() => setCreating(false)} onCreated={(a) => navigate(`/accounts/${a.id}`)} />
      )}
    </>
  );
}
