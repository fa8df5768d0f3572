import { useState } from 'react';
import {
  App,
  Breadcrumb,
  Button,
  Card,
  Dropdown,
  Flex,
  Grid,
  Result,
  Skeleton,
  Space,
  Tabs,
  Tag,
  Tooltip,
  Typography,
} from 'antd';
import { EditOutlined, MoreOutlined } from '@ant-design/icons';
import { Link, useParams, useSearchParams } from 'react-router';
import { isApiError } from '../../api/client.ts';
import { LoadError } from '../../components/LoadError.tsx';
import { useT } from '../../i18n/useI18n.ts';
import { useAccount, useSetArchived } from './api.ts';
import { AccountFormDrawer } from './AccountFormDrawer.tsx';
import { ReassignModal, TierOverrideModal } from './AccountModals.tsx';
import { StatusTag, TierBadge } from './bits.tsx';
import { useDates } from '../../i18n/useDates.ts';
import { ContactsTab } from './ContactsTab.tsx';
import { HistoryTab } from './HistoryTab.tsx';
import { GroupTab } from './GroupTab.tsx';
import { OpportunitiesTab } from './OpportunitiesTab.tsx';
import { OverviewTab } from './OverviewTab.tsx';
import { ProfileTab } from './ProfileTab.tsx';
import { useProblem } from '../../api/useProblem.ts';
import { RelationshipMapTab } from './RelationshipMapTab.tsx';
import { RolesTab } from './RolesTab.tsx';
import { LogActivityButton } from '../activities/LogActivityButton.tsx';
import { PlanVisitButton } from '../activities/PlanVisitButton.tsx';
import { ActivityTimeline } from '../timeline/ActivityTimeline.tsx';
import type { AccountDetail } from './types.ts';

const TABS = [
  'overview',
  'group',
  'contacts',
  'map',
  'roles',
  'opportunities',
  'activities',
  'history',
  'profile',
] as const;
type TabKey = (typeof TABS)[number];
type Dialog = 'edit' | 'reassign' | 'tier' | null;

function Header({ account, onDialog }: { account: AccountDetail; onDialog: (dialog: Dialog) => void }) {
  const t = useT();
  const { modal, message } = App.useApp();
  const report = useProblem();
  const setArchived = useSetArchived();
  const dates = useDates();
  const { edit, manage } = account.permissions;
  const overridden = account.tierOverride !== null;

  const menu = [
    ...(manage
      ? [
          { key: 'reassign', label: t('accounts.reassign.action') },
          { key: 'tier', label: t('accounts.tierOverride.action') },
          { type: 'divider' as const },
          account.archived
            ? { key: 'restore', label: t('accounts.restore') }
            : { key: 'archive', label: t('accounts.archive'), danger: true },
        ]
      : []),
  ];
  return (
    <Card style={{ marginBottom: 16 }} styles={{ body: { padding: 20 } }}>
      <Flex justify="space-between" align="flex-start" gap={16} wrap>
        <div style={{ minWidth: 0, flex: '1 1 420px' }}>
          <Flex align="center" gap={10} wrap>
            <TierBadge tier={account.tier} overridden={overridden} reason={account.tierOverrideReason} />
            <Typography.Title level={3} style={{ margin: 0 }} data-testid="account-title">
              {account.name}
            </Typography.Title>
            <StatusTag status={account.status} />
            {account.named && <Tag color="purple">{t('accounts.named')}</Tag>}
            {account.inPool && <Tag color="cyan">{t('accounts.inPool')}</Tag>}
            {account.archived && <Tag>{t('accounts.archived')}</Tag>}
          </Flex>
          {overridden && (
            <Typography.Text type="secondary" style={{ fontSize: 12, display: 'block', marginTop: 6 }}>
              {t('accounts.tier.overriddenFrom', { from: account.tierComputed, to: account.tier })}
              {account.tierOverrideReason ? ` · ${account.tierOverrideReason}` : ''}
            </Typography.Text>
          )}
          <Flex gap={24} wrap style={{ marginTop: 12 }}>
            <Meta label={t('accounts.col.owner')} value={account.ownerName ?? t('accounts.noOwner')} />
            <Meta label={t('accounts.col.unit')} value={account.orgUnitName} />
            <Meta
              label={t('accounts.col.nextDue')}
              value={
                <Typography.Text type={account.followUpOverdue ? 'danger' : undefined} strong={account.followUpOverdue}>
                  {dates.format(account.nextFollowUpDue)}
                  {account.followUpOverdue ? ` · ${t('accounts.overdue')}` : ''}
                </Typography.Text>
              }
            />
            <Meta
              label={t('accounts.field.valueType')}
              value={
                account.valueType ? (
                  <Tooltip title={t(`accounts.valueType.${account.valueType}.strategy`)}>
                    <Tag
                      color={
                        account.valueType === 'value' ? 'gold' : account.valueType === 'growth' ? 'green' : 'volcano'
                      }
                      style={{ cursor: 'help' }}
                    >
                      {t(`accounts.valueType.${account.valueType}`)}
                    </Tag>
                  </Tooltip>
                ) : (
                  t('common.none')
                )
              }
            />
          </Flex>
          {account.valueType && (
            <Typography.Paragraph type="secondary" style={{ margin: '10px 0 0', fontSize: 13 }}>
              {t('accounts.valueType.strategyLabel')}: {t(`accounts.valueType.${account.valueType}.strategy`)}
            </Typography.Paragraph>
          )}
        </div>
        <Space wrap>
          {edit && !account.archived && <LogActivityButton type="primary" accountId={account.id} />}
          {edit && !account.archived && <PlanVisitButton accountId={account.id} />}
          {edit && (
            <Button icon={<EditOutlined />} onClick={() => onDialog('edit')} data-testid="edit-account">
              {t('common.edit')}
            </Button>
          )}
          {menu.length > 0 && (
            <Dropdown
              trigger={['click']}
              menu={{
                items: menu,
                onClick: ({ key }) => {
                  if (key === 'reassign' || key === 'tier') onDialog(key);
                  if (key === 'archive' || key === 'restore') {
                    const archived = key === 'archive';
                    modal.confirm({
                      title: t(archived ? 'accounts.archiveConfirm' : 'accounts.restoreConfirm', {
                        name: account.name,
                      }),
                      content: archived ? t('accounts.archiveHint') : undefined,
                      okText: t(archived ? 'accounts.archive' : 'accounts.restore'),
                      cancelText: t('common.cancel'),
                      okButtonProps: { danger: archived },
                      onOk: () =>
                        setArchived.mutateAsync({ account, archived }).then(
                          () => void message.success(t('common.saved')),
                          (e: unknown) => report(e),
                        ),
                    });
                  }
                },
              }}
            >
              <Button icon={<MoreOutlined />}>{t('accounts.more')}</Button>
            </Dropdown>
          )}
        </Space>
      </Flex>
    </Card>
  );
}

function Meta({ label, value }: { label: string; value: React.ReactNode }) {
  return (
    <div>
      <Typography.Text type="secondary" style={{ fontSize: 12, display: 'block' }}>
        {label}
      </Typography.Text>
      <span>{value}</span>
    </div>
  );
}

/** /accounts/:id — one account: header with actions by permission, and the tabs of docs/archive.md–3.3. */
export default function AccountDetailPage() {
  const t = useT();
  const screens = Grid.useBreakpoint();
  const id = Number(useParams().id);
  const validId = Number.isInteger(id) && id > 0;
  const account = useAccount(validId ? id : 0, validId);
  const [search, setSearch] = useSearchParams();
  const [dialog, setDialog] = useState<Dialog>(null);
  const [addContact, setAddContact] = useState(0);
  const tab = (TABS as readonly string[]).includes(search.get('tab') ?? '')
    ? (search.get('tab') as TabKey)
    : 'overview';
  const setTab = (key: string) =>
    setSearch(
      (prev) => {
        const params = new URLSearchParams(prev);
        if (key === 'overview') params.delete('tab');
        else params.set('tab', key);
        return params;
      },
      { replace: true },
    );

  if (!validId || (account.isError && !account.data)) {
    if (!validId || (isApiError(account.error) && account.error.status === 404)) {
      return (
        <Result
          status="404"
          title={t('accounts.notFound')}
          subTitle={t('accounts.notFoundHint')}
          extra={
            <Link to="/accounts">
              <Button type="primary">{t('accounts.backToList')}</Button>
            </Link>
          }
        />
      );
    }
    return <LoadError error={account.error} onRetry={() => void account.refetch()} />;
  }
  if (!account.data) return <Skeleton active paragraph={{ rows: 12 }} />;
  const accountDetail = account.data;
  const keyAccount = accountDetail.tier === 'A' || accountDetail.named;

  return (
    <>
      <Breadcrumb
        style={{ marginBottom: 12 }}
        items={[{ title: <Link to="/accounts">{t('accounts.title')}</Link> }, { title: accountDetail.name }]}
      />
      <Header account={accountDetail} onDialog={setDialog} />
      <Card styles={{ body: { paddingTop: 4 } }}>
        <Tabs
          activeKey={tab}
          onChange={setTab}
          size={screens.md ? 'middle' : 'small'}
          items={[
            { key: 'overview', label: t('accounts.tab.overview'), children: <OverviewTab account={accountDetail} /> },
            { key: 'group', label: t('accounts.tab.group'), children: <GroupTab account={accountDetail} /> },
            {
              key: 'contacts',
              label: `${t('accounts.tab.contacts')} ${accountDetail.contactCount}`,
              children: <ContactsTab key={addContact} account={accountDetail} openNew={addContact > 0} />,
            },
            {
              key: 'map',
              label: t('accounts.tab.map'),
              children: (
                <RelationshipMapTab
                  account={accountDetail}
                  onAddContact={() => {
                    setTab('contacts');
                    setAddContact((n) => n + 1);
                  }}
                />
              ),
            },
            { key: 'roles', label: t('accounts.tab.roles'), children: <RolesTab account={accountDetail} /> },
            {
              key: 'opportunities',
              label: t('accounts.tab.opportunities'),
              children: <OpportunitiesTab account={accountDetail} />,
            },
            {
              key: 'activities',
              label: t('accounts.tab.activities'),
              children: <ActivityTimeline of={{ accountId: accountDetail.id }} />,
            },
            { key: 'history', label: t('accounts.tab.history'), children: <HistoryTab accountId={accountDetail.id} /> },
            {
              key: 'profile',
              label: (
                <span>
                  {t('accounts.tab.profile')}
                  {keyAccount ? '' : ` · ${t('accounts.tab.profileOnlyKey')}`}
                </span>
              ),
              children: <ProfileTab account={accountDetail} />,
              disabled: false,
            },
          ]}
          destroyOnHidden
        />
      </Card>
      {dialog === 'edit' && <AccountFormDrawer account={accountDetail} onClose={() => setDialog(null)} />}
      {dialog === 'reassign' && <ReassignModal account={accountDetail} onClose={() => setDialog(null)} />}
      {dialog === 'tier' && <TierOverrideModal account={accountDetail} onClose={() => setDialog(null)} />}
    </>
  );
}
