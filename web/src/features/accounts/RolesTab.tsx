import { useState } from 'react';
import { App, Button, Card, Empty, Flex, Popconfirm, Table, Tag, Typography, type TableProps } from 'antd';
import { DeleteOutlined, EditOutlined, PlusOutlined } from '@ant-design/icons';
import { LoadError } from '../../components/LoadError.tsx';
import { useT } from '../../i18n/useI18n.ts';
import { useContacts, useDeleteRole, useRoles } from './api.ts';
import { AttitudeTag, DegreeBar, InfluenceTag } from './bits.tsx';
import { useProblem } from '../../api/useProblem.ts';
import { RoleFormModal } from './RoleFormModal.tsx';
import { BUYING_ROLES, type AccountDetail, type BuyingRole } from './types.ts';

/** Role assignments as a table; used by the tab and by the contact panel of the map. */
export function RolesTable({ account, contactId }: { account: AccountDetail; contactId?: number }) {
  const t = useT();
  const { message } = App.useApp();
  const report = useProblem();
  const roles = useRoles(account.id);
  const contacts = useContacts(account.id);
  const remove = useDeleteRole();
  const [editing, setEditing] = useState<BuyingRole | 'new' | null>(null);
  const edit = account.permissions.edit;
  const rows = (roles.data ?? [])
    .filter((r) => contactId === undefined || r.contactId === contactId)
    .sort(
      (left, right) =>
        left.contactName.localeCompare(right.contactName) ||
        BUYING_ROLES.indexOf(left.role) - BUYING_ROLES.indexOf(right.role),
    );

  const columns: TableProps<BuyingRole>['columns'] = [
    ...(contactId === undefined
      ? [
          {
            title: t('accounts.roles.contact'),
            key: 'contact',
            render: (_: unknown, r: BuyingRole) => <Typography.Text strong>{r.contactName}</Typography.Text>,
          },
        ]
      : []),
    {
      title: t('accounts.roles.role'),
      key: 'role',
      render: (_, r) => <Tag color="geekblue">{t(`accounts.role.${r.role}`)}</Tag>,
    },
    { title: t('accounts.roles.attitude'), key: 'attitude', render: (_, r) => <AttitudeTag attitude={r.attitude} /> },
    {
      title: t('accounts.roles.influence'),
      key: 'influence',
      render: (_, r) => <InfluenceTag influence={r.influence} />,
    },
    { title: t('accounts.roles.degree'), key: 'degree', render: (_, r) => <DegreeBar degree={r.relationship} /> },
    {
      title: t('accounts.roles.holder'),
      key: 'holder',
      render: (_, record) =>
        record.holderName ?? <Typography.Text type="warning">{t('accounts.roles.noHolder')}</Typography.Text>,
    },
  ];
  if (edit) {
    columns.push({
      title: t('common.actions'),
      key: 'actions',
      width: 100,
      render: (_, role) => (
        <Flex gap={0}>
          <Button
            size="small"
            type="text"
            icon={<EditOutlined />}
            aria-label={t('common.edit')}
            onClick={() => setEditing(role)}
          />
          <Popconfirm
            title={t('accounts.roles.removeConfirm')}
            okText={t('accounts.roles.remove')}
            cancelText={t('common.cancel')}
            okButtonProps={{ danger: true }}
            onConfirm={() =>
              remove.mutateAsync(role.id).then(
                () => void message.success(t('accounts.roles.removed')),
                (e: unknown) => report(e),
              )
            }
          >
            <Button size="small" type="text" danger icon={<DeleteOutlined />} aria-label={t('accounts.roles.remove')} />
          </Popconfirm>
        </Flex>
      ),
    });
  }
  if (roles.isError && !roles.data) return <LoadError error={roles.error} onRetry={() => void roles.refetch()} />;
  return (
    <>
      {edit && (
        <Flex justify="flex-end" style={{ marginBottom: 12 }}>
          <Button
            type="primary"
            icon={<PlusOutlined />}
            onClick={() => setEditing('new')}
            disabled={(contacts.data?.items.length ?? 0) === 0}
            data-testid="add-role"
          >
            {t('accounts.roles.add')}
          </Button>
        </Flex>
      )}
      <Table<BuyingRole>
        rowKey="id"
        size="middle"
        columns={columns}
        dataSource={rows}
        loading={roles.isFetching}
        pagination={false}
        scroll={{ x: 'max-content' }}
        expandable={
          rows.some((r) => r.notes)
            ? {
                rowExpandable: (r) => Boolean(r.notes),
                expandedRowRender: (role) => (
                  <Typography.Paragraph style={{ margin: 0, whiteSpace: 'pre-wrap' }}>
                    {role.notes}
                  </Typography.Paragraph>
                ),
              }
            : undefined
        }
        locale={{
          emptyText: (
            <Empty
              image={Empty.PRESENTED_IMAGE_SIMPLE}
              description={
                <>
                  {t('accounts.roles.empty')}
                  <br />
                  {t(
                    (contacts.data?.items.length ?? 0) === 0
                      ? 'accounts.roles.emptyNoContacts'
                      : 'accounts.roles.emptyHint',
                  )}
                </>
              }
            />
          ),
        }}
        data-testid="roles-table"
      />
      {editing && (
        <RoleFormModal
          role={editing === 'new' ? undefined : editing}
          contacts={contacts.data?.items ?? []}
          contactId={contactId}
          onClose={() => setEditing(null)}
        />
      )}
    </>
  );
}

/** What each of the five buying roles needs and how to work with them (docs/archive.md § Buying roles table). */
export function RoleGuidance() {
  const t = useT();
  return (
    <Flex gap={12} wrap>
      {BUYING_ROLES.map((buyingRole) => (
        <div key={buyingRole} style={{ flex: '1 1 180px' }}>
          <Card size="small" title={t(`accounts.role.${buyingRole}`)} style={{ height: '100%' }}>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {t('accounts.guide.needs')}
            </Typography.Text>
            <Typography.Paragraph style={{ margin: '2px 0 8px' }}>
              {t(`accounts.guide.${buyingRole}.needs`)}
            </Typography.Paragraph>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {t('accounts.guide.how')}
            </Typography.Text>
            <Typography.Paragraph style={{ margin: '2px 0 0' }}>
              {t(`accounts.guide.${buyingRole}.how`)}
            </Typography.Paragraph>
          </Card>
        </div>
      ))}
    </Flex>
  );
}

export function RolesTab({ account }: { account: AccountDetail }) {
  const t = useT();
  return (
    <Flex vertical gap={20}>
      <RolesTable account={account} />
      <div>
        <Typography.Title level={5} style={{ marginTop: 0 }}>
          {t('accounts.guide.title')}
        </Typography.Title>
        <RoleGuidance />
      </div>
    </Flex>
  );
}
