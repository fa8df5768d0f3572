import { useState } from 'react';
import { Badge, Button, Empty, Flex, Grid, Input, Space, Tag, Tooltip, Typography, type TableProps } from 'antd';
import { FilterOutlined, InboxOutlined, PlusOutlined, UploadOutlined, SwapOutlined } from '@ant-design/icons';
import { Link, useNavigate } from 'react-router';
import { PageHeader } from '../../components/PageHeader.tsx';
import { LoadError } from '../../components/LoadError.tsx';
import { useI18n } from '../../i18n/useI18n.ts';
import { useCan } from '../auth/session.ts';
import { ExportButton } from '../imports/ExportButton.tsx';
import { useAccounts } from './api.ts';
import { AccountFilterRow } from './AccountFilterRow.tsx';
import { ListTable } from '../../components/ListTable.tsx';
import { AccountFormDrawer } from './AccountFormDrawer.tsx';
import { StatusTag, TierBadge } from './bits.tsx';
import { useDates } from '../../i18n/useDates.ts';
import { formatFen } from '../../i18n/money.ts';
import { SavedViewsBar } from '../../components/SavedViewsBar.tsx';
import { useAccountFilters } from './useAccountFilters.ts';
import { useRowSelection } from '../bulk/BulkBar.tsx';
import { ListBulkBar } from '../bulk/ListBulkBars.tsx';
import type { Account } from './types.ts';

const SORTABLE = ['name', 'tier', 'lastFollowUpAt', 'trailingAmount', 'updatedAt', 'createdAt'];

/** /accounts: the customer archive (docs/archive.md), filtered, sorted and paginated on the server. */
export default function AccountsPage() {
  const { t, locale } = useI18n();
  const navigate = useNavigate();
  const screens = Grid.useBreakpoint();
  const can = useCan();
  const { list, filters, page, update, replaceAll } = useAccountFilters();
  const accounts = useAccounts(filters, page);
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
          <AccountFilterRow
            filters={filters}
            update={update}
            filterCount={filterCount}
            onClear={() => replaceAll(filters.q ? { q: filters.q } : {})}
          />
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
