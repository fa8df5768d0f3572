import { useState } from 'react';
import { App, Button, Dropdown, Empty, Flex, Input, Select, Tag, Tooltip, Typography, type TableProps } from 'antd';
import { CheckOutlined, EditOutlined, MoreOutlined, PlusOutlined } from '@ant-design/icons';
import { useNavigate } from 'react-router';
import { useDates } from '../../i18n/useDates.ts';
import { ROLES, type Role, type User } from '../../api/types.ts';
import type { UserListParams } from '../../api/keys.ts';
import { isApiError } from '../../api/client.ts';
import { useProblem } from '../../api/useProblem.ts';
import { useT } from '../../i18n/useI18n.ts';
import { LoadError } from '../../components/LoadError.tsx';
import { ListTable } from '../../components/ListTable.tsx';
import { useListParams } from '../../components/useListParams.ts';
import { RoleTag } from '../../components/RoleTag.tsx';
import { useCan, useSession } from '../auth/session.ts';
import { UnitTreeSelect } from '../org/UnitTreeSelect.tsx';
import { useSetActive, useUsers } from './api.ts';
import { UserFormDrawer } from './UserFormDrawer.tsx';
import { MailLink, PhoneLink } from '../../components/ContactLinks.tsx';
import { ResetPasswordModal } from './ResetPasswordModal.tsx';

const PAGE_SIZE = 20;
const SORTABLE = ['name', 'email', 'role', 'createdAt'];

type Dialog = { kind: 'create' } | { kind: 'edit'; user: User } | { kind: 'password'; user: User } | null;

/** The users list's state, in the URL (useListParams), as the list endpoint takes it. */
function useUserListParams() {
  const list = useListParams({ pageSize: PAGE_SIZE, defaultSort: 'name' });
  const active = list.str('active');
  const params: UserListParams = {
    limit: list.limit,
    offset: list.offset,
    sort: list.sort,
    q: list.str('q'),
    role: list.str('role'),
    orgUnitId: list.num('orgUnitId'),
    active: active === undefined ? undefined : active === 'true',
  };
  return { list, params, update: list.update };
}

/** Settings → Users: everyone the caller may see; administrators create and manage them. */
export default function UsersPanel() {
  const t = useT();
  const { modal, message } = App.useApp();
  const report = useProblem();
  const { user: me } = useSession();
  const dates = useDates();
  const canEdit = useCan()('users.administer');
  const { list, params, update } = useUserListParams();
  const users = useUsers(params);
  const setActive = useSetActive();
  const [dialog, setDialog] = useState<Dialog>(null);
  const navigate = useNavigate();
  const [query, setQ] = useState(params.q ?? '');

  function confirmActive(user: User, active: boolean) {
    modal.confirm({
      title: t(active ? 'users.activateConfirm' : 'users.deactivateConfirm', { name: user.name }),
      content: active ? undefined : t('users.deactivateHint'),
      okText: t(active ? 'users.activate' : 'users.deactivate'),
      cancelText: t('common.cancel'),
      okButtonProps: { danger: !active },
      onOk: () =>
        setActive.mutateAsync({ user, active }).then(
          () => void message.success(t(active ? 'users.activated' : 'users.deactivated')),
          (err: unknown) =>
            isApiError(err) && err.code === 'handover_required' ? offerHandover(user, err.problem) : report(err),
        ),
    });
  }

  /** The user still owns work: a handover gives it successors and then deactivates them (docs/archive.md). */
  function offerHandover(user: User, problem: Record<string, unknown>) {
    const count = (k: string) => Number(problem[k] ?? 0);
    const handoverId = typeof problem.handoverId === 'number' ? problem.handoverId : null;
    modal.confirm({
      title: t('users.handoverRequiredTitle', { name: user.name }),
      content: (
        <>
          {(count('accounts') > 0 || count('opportunities') > 0 || count('territories') > 0) && (
            <p>
              {t('users.handoverRequiredOwns', {
                accounts: count('accounts'),
                opportunities: count('opportunities'),
                territories: count('territories'),
              })}
            </p>
          )}
          {handoverId !== null && <p>{t('users.handoverRequiredDraft')}</p>}
          <p>{t('users.handoverRequiredHint')}</p>
        </>
      ),
      okText: t(handoverId !== null ? 'users.openHandover' : 'users.startHandover'),
      cancelText: t('common.cancel'),
      onOk: () =>
        void navigate(handoverId !== null ? `/handovers/${handoverId}` : `/settings/users/${user.id}/handover`),
    });
  }

  const columns: TableProps<User>['columns'] = [
    {
      title: t('users.col.name'),
      dataIndex: 'name',
      key: 'name',
      sorter: true,
      render: (_, user) => (
        <Flex vertical style={{ opacity: user.active ? 1 : 0.5 }}>
          <span>
            <Typography.Text strong>{user.name}</Typography.Text>
            {user.id === me.id && <Tag style={{ marginInlineStart: 8 }}>{t('users.you')}</Tag>}
          </span>
          {user.title && (
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {user.title}
            </Typography.Text>
          )}
        </Flex>
      ),
    },
    {
      title: t('users.col.email'),
      dataIndex: 'email',
      key: 'email',
      sorter: true,
      responsive: ['md'],
      render: (value: string, record) => (
        <span style={{ opacity: record.active ? 1 : 0.5 }}>
          <MailLink email={value} icon={false} />
        </span>
      ),
    },
    {
      title: t('users.col.role'),
      dataIndex: 'role',
      key: 'role',
      sorter: true,
      render: (r: Role) => <RoleTag role={r} />,
    },
    // Many branches have a 销售一部: the label names the unit as far up as it takes, the tooltip the whole way.
    {
      title: t('users.col.unit'),
      dataIndex: 'orgUnitLabel',
      key: 'unit',
      responsive: ['sm'],
      render: (value: string, record) => (
        <Tooltip title={record.orgUnitPath.join(' / ')}>
          <span>{value}</span>
        </Tooltip>
      ),
    },
    {
      title: t('users.col.phone'),
      dataIndex: 'phone',
      key: 'phone',
      responsive: ['xl'],
      render: (v: string | null) => (v ? <PhoneLink number={v} icon={false} /> : t('common.none')),
    },
    {
      title: t('users.col.export'),
      dataIndex: 'canExport',
      key: 'export',
      align: 'center',
      responsive: ['lg'],
      render: (value: boolean) =>
        value ? (
          <CheckOutlined style={{ color: '#16a34a' }} aria-label={t('common.yes')} />
        ) : (
          <Typography.Text type="secondary">{t('common.none')}</Typography.Text>
        ),
    },
    {
      title: t('users.col.status'),
      dataIndex: 'active',
      key: 'status',
      render: (active: boolean, user) => (
        <Flex gap={4} wrap>
          {active ? <Tag color="success">{t('users.status.active')}</Tag> : <Tag>{t('users.status.inactive')}</Tag>}
          {active && user.mustChangePassword && (
            <Tooltip title={t('users.mustChangePasswordHint')}>
              <Tag color="warning">{t('users.mustChangePassword')}</Tag>
            </Tooltip>
          )}
        </Flex>
      ),
    },
    {
      title: t('users.col.createdAt'),
      dataIndex: 'createdAt',
      key: 'createdAt',
      sorter: true,
      responsive: ['xl'],
      render: (v: number) => dates.format(v),
    },
  ];
  if (canEdit) {
    columns.push({
      title: t('common.actions'),
      key: 'actions',
      fixed: 'right',
      width: 120,
      render: (_, user) => (
        <Flex gap={4}>
          <Button
            size="small"
            type="text"
            icon={<EditOutlined />}
            onClick={() => setDialog({ kind: 'edit', user: user })}
            aria-label={t('common.edit')}
          >
            {t('common.edit')}
          </Button>
          <Dropdown
            trigger={['click']}
            menu={{
              items: [
                { key: 'password', label: t('users.resetPassword'), disabled: !user.active },
                { key: 'handover', label: t('handover.usersAction'), disabled: !user.active || user.id === me.id },
                user.active
                  ? { key: 'deactivate', label: t('users.deactivate'), danger: true, disabled: user.id === me.id }
                  : { key: 'activate', label: t('users.activate') },
              ],
              onClick: ({ key }) => {
                if (key === 'password') setDialog({ kind: 'password', user: user });
                if (key === 'handover')
                  modal.confirm({
                    title: t('handover.confirmStartTitle'),
                    content: t('handover.confirmStart', { name: user.name }),
                    okText: t('handover.start'),
                    cancelText: t('common.cancel'),
                    onOk: () => void navigate(`/settings/users/${user.id}/handover`),
                  });
                if (key === 'deactivate') confirmActive(user, false);
                if (key === 'activate') confirmActive(user, true);
              },
            }}
          >
            <Button size="small" type="text" icon={<MoreOutlined />} aria-label={t('common.actions')} />
          </Dropdown>
        </Flex>
      ),
    });
  }

  if (users.isError && !users.data) return <LoadError error={users.error} onRetry={() => void users.refetch()} />;

  return (
    <>
      <Flex gap={12} wrap style={{ marginBottom: 16 }}>
        <Input.Search
          allowClear
          placeholder={t('users.searchPlaceholder')}
          value={query}
          onChange={(changeEvent) => {
            setQ(changeEvent.target.value);
            if (!changeEvent.target.value) update({ q: undefined });
          }}
          onSearch={(value) => update({ q: value.trim() })}
          style={{ flex: '1 1 220px', maxWidth: 320 }}
          aria-label={t('common.search')}
        />
        <Select
          allowClear
          placeholder={t('users.filter.role')}
          value={params.role}
          onChange={(role) => update({ role })}
          options={ROLES.map((r) => ({ value: r, label: t(`role.${r}`) }))}
          style={{ flex: '1 1 130px', maxWidth: 180 }}
        />
        <UnitTreeSelect
          allowClear
          placeholder={t('users.filter.unit')}
          value={params.orgUnitId}
          onChange={(orgUnitId) => update({ orgUnitId })}
          style={{ flex: '1 1 180px', maxWidth: 260 }}
          popupMatchSelectWidth={false}
        />
        <Select
          allowClear
          placeholder={t('users.filter.status')}
          value={params.active === undefined ? undefined : String(params.active)}
          onChange={(active) => update({ active })}
          options={[
            { value: 'true', label: t('users.status.active') },
            { value: 'false', label: t('users.status.inactive') },
          ]}
          style={{ flex: '1 1 110px', maxWidth: 150 }}
        />
        {canEdit && (
          <Button
            type="primary"
            icon={<PlusOutlined />}
            onClick={() => setDialog({ kind: 'create' })}
            style={{ marginInlineStart: 'auto' }}
          >
            {t('users.create')}
          </Button>
        )}
      </Flex>
      <ListTable<User>
        list={list}
        query={users}
        sortable={SORTABLE}
        columns={columns}
        locale={{
          emptyText: (
            <Empty
              image={Empty.PRESENTED_IMAGE_SIMPLE}
              description={
                <>
                  {t('users.empty')}
                  <br />
                  {t('users.emptyHint')}
                </>
              }
            />
          ),
        }}
        data-testid="users-table"
      />
      {dialog?.kind === 'create' && <UserFormDrawer defaultUnitId={params.orgUnitId} onClose={() => setDialog(null)} />}
      {dialog?.kind === 'edit' && <UserFormDrawer user={dialog.user} onClose={() => setDialog(null)} />}
      {dialog?.kind === 'password' && <ResetPasswordModal user={dialog.user} onClose={() => setDialog(null)} />}
    </>
  );
}
