import { useState } from 'react';
import { App, Button, Dropdown, Empty, Flex, Input, Select, Tag, Tooltip, Typography, type TableProps } from 'antd';
import { CheckOutlined, EditOutlined, MoreOutlined, PlusOutlined } from '@ant-design/icons';
import { useNavigate } from 'react-router';
import dayjs from 'dayjs';
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
  const canEdit = useCan()('users.administer');
  const { list, params, update } = useUserListParams();
  const users = useUsers(params);
  const setActive = useSetActive();
  const [dialog, setDialog] = useState<Dialog>(null);
  const navigate = useNavigate();
  const [q, setQ] = useState(params.q ?? '');

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
          (e: unknown) => (isApiError(e) && e.code === 'handover_required' ? offerHandover(user, e.problem) : report(e)),
        ),
    });
  }

  /** The user still owns work: a handover gives it successors and then deactivates them (docs/archive.md). */
  function offerHandover(user: User, p: Record<string, unknown>) {
    const n = (k: string) => Number(p[k] ?? 0);
    const handoverId = typeof p.handoverId === 'number' ? p.handoverId : null;
    modal.confirm({
      title: t('users.handoverRequiredTitle', { name: user.name }),
      content: (
        <>
          {(n('accounts') > 0 || n('opportunities') > 0 || n('territories') > 0) && (
            <p>{t('users.handoverRequiredOwns', { accounts: n('accounts'), opportunities: n('opportunities'), territories: n('territories') })}</p>
          )}
          {handoverId !== null && <p>{t('users.handoverRequiredDraft')}</p>}
          <p>{t('users.handoverRequiredHint')}</p>
        </>
      ),
      okText: t(handoverId !== null ? 'users.openHandover' : 'users.startHandover'),
      cancelText: t('common.cancel'),
      onOk: () => void navigate(handoverId !== null ? `/handovers/${handoverId}` : `/settings/users/${user.id}/handover`),
    });
  }


  const columns: TableProps<User>['columns'] = [
    {
      title: t('users.col.name'),
      dataIndex: 'name',
      key: 'name',
      sorter: true,
      render: (_, u) => (
        <Flex vertical style={{ opacity: u.active ? 1 : 0.5 }}>
          <span>
            <Typography.Text strong>{u.name}</Typography.Text>
            {u.id === me.id && <Tag style={{ marginInlineStart: 8 }}>{t('users.you')}</Tag>}
          </span>
          {u.title && <Typography.Text type="secondary" style={{ fontSize: 12 }}>{u.title}</Typography.Text>}
        </Flex>
      ),
    },
    { title: t('users.col.email'), dataIndex: 'email', key: 'email', sorter: true, responsive: ['md'], render: (v: string, u) => <span style={{ opacity: u.active ? 1 : 0.5 }}><MailLink email={v} icon={false} /></span> },
    { title: t('users.col.role'), dataIndex: 'role', key: 'role', sorter: true, render: (r: Role) => <RoleTag role={r} /> },
    // Many branches have a 销售一部: the label names the unit as far up as it takes, the tooltip the whole way.
    { title: t('users.col.unit'), dataIndex: 'orgUnitLabel', key: 'unit', responsive: ['sm'], render: (v: string, u) => <Tooltip title={u.orgUnitPath.join(' / ')}><span>{v}</span></Tooltip> },
    { title: t('users.col.phone'), dataIndex: 'phone', key: 'phone', responsive: ['xl'], render: (v: string | null) => (v ? <PhoneLink number={v} icon={false} /> : t('common.none')) },
    { title: t('users.col.export'), dataIndex: 'canExport', key: 'export', align: 'center', responsive: ['lg'], render: (v: boolean) => (v ? <CheckOutlined style={{ color: '#16a34a' }} aria-label={t('common.yes')} /> : <Typography.Text type="secondary">{t('common.none')}</Typography.Text>) },
    {
      title: t('users.col.status'), dataIndex: 'active', key: 'status',
      render: (v: boolean, u) => (
        <Flex gap={4} wrap>
          {v ? <Tag color="success">{t('users.status.active')}</Tag> : <Tag>{t('users.status.inactive')}</Tag>}
          {v && u.mustChangePassword && <Tooltip title={t('users.mustChangePasswordHint')}><Tag color="warning">{t('users.mustChangePassword')}</Tag></Tooltip>}
        </Flex>
      ),
    },
    { title: t('users.col.createdAt'), dataIndex: 'createdAt', key: 'createdAt', sorter: true, responsive: ['xl'], render: (v: number) => dayjs(v).format('YYYY-MM-DD') },
  ];
  if (canEdit) {
    columns.push({
      title: t('common.actions'),
      key: 'actions',
      fixed: 'right',
      width: 120,
      render: (_, u) => (
        <Flex gap={4}>
          <Button size="small" type="text" icon={<EditOutlined />} onClick={() => setDialog({ kind: 'edit', user: u })} aria-label={t('common.edit')}>
            {t('common.edit')}
          </Button>
          <Dropdown
            trigger={['click']}
            menu={{
              items: [
                { key: 'password', label: t('users.resetPassword'), disabled: !u.active },
                { key: 'handover', label: t('handover.usersAction'), disabled: !u.active || u.id === me.id },
                u.active
                  ? { key: 'deactivate', label: t('users.deactivate'), danger: true, disabled: u.id === me.id }
                  : { key: 'activate', label: t('users.activate') },
              ],
              onClick: ({ key }) => {
                if (key === 'password') setDialog({ kind: 'password', user: u });
                if (key === 'handover') void navigate(`/settings/users/${u.id}/handover`);
                if (key === 'deactivate') confirmActive(u, false);
                if (key === 'activate') confirmActive(u, true);
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
          value={q}
          onChange={(e) => {
            setQ(e.target.value);
            if (!e.target.value) update({ q: undefined });
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
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setDialog({ kind: 'create' })} style={{ marginInlineStart: 'auto' }}>
            {t('users.create')}
          </Button>
        )}
      </Flex>
      <ListTable<User>
        list={list}
        query={users}
        sortable={SORTABLE}
        columns={columns}
        locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={<>{t('users.empty')}<br />{t('users.emptyHint')}</>} /> }}
        data-testid="users-table"
      />
      {dialog?.kind === 'create' && <UserFormDrawer defaultUnitId={params.orgUnitId} onClose={() => setDialog(null)} />}
      {dialog?.kind === 'edit' && <UserFormDrawer user={dialog.user} onClose={() => setDialog(null)} />}
      {dialog?.kind === 'password' && <ResetPasswordModal user={dialog.user} onClose={() => setDialog(null)} />}
    </>
  );
}
