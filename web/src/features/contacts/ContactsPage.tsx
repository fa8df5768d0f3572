import { useState } from 'react';
import { Badge, Button, Empty, Flex, Grid, Input, Select, Space, Tag, Typography, type TableProps } from 'antd';
import { FilterOutlined } from '@ant-design/icons';
import { BULK_LIMIT } from '../../../../src/contracts/bulk.ts';
import { Link, useNavigate } from 'react-router';
import { PageHeader } from '../../components/PageHeader.tsx';
import { LoadError } from '../../components/LoadError.tsx';
import { ListTable } from '../../components/ListTable.tsx';
import { SavedViewsBar } from '../../components/SavedViewsBar.tsx';
import { useI18n } from '../../i18n/useI18n.ts';
import { UnitTreeSelect } from '../org/UnitTreeSelect.tsx';
import { ExportButton } from '../imports/ExportButton.tsx';
import { usePeople } from '../accounts/api.ts';
import { TierBadge } from '../accounts/bits.tsx';
import { BUYING_ROLES, TIERS } from '../accounts/types.ts';
import { MailLink, PhoneLink } from '../../components/ContactLinks.tsx';
import { useContactFilters, useContactList, type ContactRow } from './api.ts';
import { useCan } from '../auth/session.ts';
import { BulkBar, useRowSelection } from '../bulk/BulkBar.tsx';

const SORTABLE = ['name', 'accountName', 'updatedAt'];

/** /contacts: every contact of the accounts the user may see (docs/archive.md § Contacts list). */
export default function ContactsPage() {
  const { t } = useI18n();
  const navigate = useNavigate();
  const screens = Grid.useBreakpoint();
  const { list, filters, page, update, replaceAll } = useContactFilters();
  const contacts = useContactList(filters, page);
  const people = usePeople();
  const [searchText, setQ] = useState(filters.q ?? '');
  const [moreFilters, setMoreFilters] = useState(false);
  const { q: _q, sort: _sort, ...narrowing } = filters;
  const filterCount = Object.keys(narrowing).length;
  const showAllFilters = screens.md || moreFilters;
  // The one bulk action on contacts is the export of a selection (docs/archive.md § Bulk actions).
  const canExport = useCan()('export');
  const selection = useRowSelection<ContactRow>(JSON.stringify(filters));

  const phoneOf = (c: ContactRow) => c.mobile ?? c.phone;
  const columns: TableProps<ContactRow>['columns'] = [
    {
      title: t('contacts.col.name'),
      key: 'name',
      sorter: true,
      render: (_, contact) => (
        <Flex vertical style={{ minWidth: 120, maxWidth: 260 }}>
          <Link
            to={`/accounts/${contact.accountId}?tab=contacts`}
            style={{ fontWeight: 600 }}
            data-testid="contact-name"
          >
            {contact.name}
          </Link>
          {contact.title && (
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {contact.title}
            </Typography.Text>
          )}
          {!screens.md && (
            <Space size={4} wrap style={{ fontSize: 12 }}>
              <Typography.Text style={{ fontSize: 12 }}>{contact.accountName}</Typography.Text>
              {phoneOf(contact) && (
                <span data-testid="contact-phone">
                  <PhoneLink number={phoneOf(contact)!} />
                </span>
              )}
            </Space>
          )}
          {contact.archived && <Tag style={{ width: 'fit-content', fontSize: 11 }}>{t('accounts.archived')}</Tag>}
        </Flex>
      ),
    },
    {
      title: t('contacts.col.account'),
      key: 'accountName',
      sorter: true,
      responsive: ['md'],
      render: (_, contact) => (
        <Space size={6}>
          <TierBadge tier={contact.accountTier} overridden={false} reason={null} />
          <Link to={`/accounts/${contact.accountId}`}>{contact.accountName}</Link>
        </Space>
      ),
    },
    {
      title: t('contacts.col.department'),
      key: 'department',
      responsive: ['lg'],
      render: (_, c) => c.department ?? t('common.none'),
    },
    {
      title: t('contacts.col.phone'),
      key: 'phone',
      responsive: ['md'],
      render: (_, c) => (phoneOf(c) ? <PhoneLink number={phoneOf(c)!} /> : t('common.none')),
    },
    {
      title: t('contacts.col.email'),
      key: 'email',
      responsive: ['lg'],
      render: (_, c) => (c.email ? <MailLink email={c.email} /> : t('common.none')),
    },
    {
      title: t('contacts.col.wechat'),
      key: 'wechat',
      responsive: ['xl'],
      render: (_, c) => c.wechat ?? t('common.none'),
    },
    {
      title: t('contacts.col.owner'),
      key: 'owner',
      responsive: ['lg'],
      render: (_, record) =>
        record.accountOwnerName ?? <Typography.Text type="secondary">{t('accounts.noOwner')}</Typography.Text>,
    },
  ];

  const nothingAtAll = contacts.data?.total === 0 && filterCount === 0 && !filters.q;

  return (
    <>
      <PageHeader
        title={t('contacts.title')}
        subtitle={t('contacts.subtitle')}
        extra={<ExportButton area="contacts" filters={filters} />}
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
              placeholder={t('contacts.searchPlaceholder')}
              value={searchText}
              onChange={(event) => {
                setQ(event.target.value);
                if (!event.target.value) update({ q: undefined });
              }}
              onSearch={(value) => update({ q: value.trim() })}
              aria-label={t('common.search')}
              data-testid="contact-search"
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
            area="contacts"
            filters={filters}
            onPick={(query) => {
              replaceAll(query);
              setQ(query.q ?? '');
            }}
          />
        </Flex>
        {showAllFilters && (
          <Flex gap={8} wrap data-testid="contact-filters">
            <Select
              allowClear
              showSearch={{ optionFilterProp: 'label' }}
              placeholder={t('contacts.filter.owner')}
              value={filters.ownerId ? Number(filters.ownerId) : undefined}
              onChange={(v) => update({ ownerId: v })}
              options={(people.data ?? []).map((u) => ({ value: u.id, label: u.name }))}
              loading={people.isPending}
              style={{ width: 150 }}
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
              placeholder={t('contacts.filter.tier')}
              value={filters.tier}
              onChange={(v) => update({ tier: v })}
              options={TIERS.map((x) => ({ value: x, label: `${x} · ${t(`accounts.tier.hint.${x}`)}` }))}
              style={{ width: 130 }}
              popupMatchSelectWidth={false}
              data-testid="contact-filter-tier"
            />
            <Select
              allowClear
              placeholder={t('contacts.filter.role')}
              value={filters.role}
              onChange={(v) => update({ role: v })}
              options={BUYING_ROLES.map((x) => ({ value: x, label: t(`accounts.role.${x}`) }))}
              style={{ width: 150 }}
              popupMatchSelectWidth={false}
            />
            <Select
              allowClear
              placeholder={t('contacts.filter.hasPhone')}
              value={filters.hasPhone}
              onChange={(v) => update({ hasPhone: v })}
              options={[
                { value: 'true', label: t('common.yes') },
                { value: 'false', label: t('common.no') },
              ]}
              style={{ width: 120 }}
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
              <Button type="link" onClick={() => replaceAll(filters.q ? { q: filters.q } : {})}>
                {t('accounts.filter.clear')}
              </Button>
            )}
          </Flex>
        )}
      </div>
      {canExport && (
        <BulkBar
          count={selection.ids.length}
          onClear={selection.clear}
          outcome={null}
          onCloseOutcome={selection.clear}
          nameOf={() => undefined}
          onDeselect={selection.deselect}
        >
          {selection.ids.length <= BULK_LIMIT && (
            <ExportButton area="contacts" filters={filters} selection={selection.ids} />
          )}
        </BulkBar>
      )}
      {contacts.isError && !contacts.data ? (
        <LoadError error={contacts.error} onRetry={() => void contacts.refetch()} />
      ) : (
        <ListTable<ContactRow>
          list={list}
          query={contacts}
          sortable={SORTABLE}
          columns={columns}
          rowSelection={canExport ? selection.rowSelection : undefined}
          rowClassName={(c) => (c.archived ? 'kl-row-archived' : '')}
          onRow={(c) => ({ onDoubleClick: () => navigate(`/accounts/${c.accountId}?tab=contacts`) })}
          locale={{
            emptyText: contacts.isPending ? (
              ' '
            ) : (
              <Empty
                image={Empty.PRESENTED_IMAGE_SIMPLE}
                description={
                  <>
                    {t(nothingAtAll ? 'contacts.empty.none' : 'contacts.empty.filtered')}
                    <br />
                    {t(nothingAtAll ? 'contacts.empty.noneHint' : 'accounts.empty.filteredHint')}
                  </>
                }
              >
                {nothingAtAll && (
                  <Button type="primary" onClick={() => navigate('/accounts')}>
                    {t('contacts.empty.toAccounts')}
                  </Button>
                )}
              </Empty>
            ),
          }}
          data-testid="contacts-table"
        />
      )}
    </>
  );
}
