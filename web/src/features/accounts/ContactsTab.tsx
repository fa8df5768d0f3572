import { useState } from 'react';
import { App, Button, Empty, Flex, Space, Switch, Table, Tag, Typography, type TableProps } from 'antd';
import { EditOutlined, PlusOutlined } from '@ant-design/icons';
import { LoadError } from '../../components/LoadError.tsx';
import { useT } from '../../i18n/useI18n.ts';
import { useArchiveContact, useContacts, useRoles } from './api.ts';
import { ContactFormDrawer } from './ContactFormDrawer.tsx';
import { useProblem } from '../../api/useProblem.ts';
import { MailLink, PhoneLink } from '../../components/ContactLinks.tsx';
import type { AccountDetail, Contact } from './types.ts';

/** The account's contacts; writers add and edit, managers archive (docs/archive.md: nobody deletes). */
export function ContactsTab({ account, openNew = false }: { account: AccountDetail; openNew?: boolean }) {
  const t = useT();
  const { modal, message } = App.useApp();
  const report = useProblem();
  const [showArchived, setShowArchived] = useState(false);
  const contacts = useContacts(account.id, showArchived);
  const active = useContacts(account.id, false);
  const roles = useRoles(account.id);
  const archive = useArchiveContact();
  const [editing, setEditing] = useState<Contact | 'new' | null>(openNew && account.permissions.edit ? 'new' : null);
  const byId = new Map((active.data?.items ?? []).map((c) => [c.id, c]));
  const { edit, manage } = account.permissions;

  const columns: TableProps<Contact>['columns'] = [
    {
      title: t('accounts.contact.name'),
      key: 'name',
      render: (_, contact) => (
        <Flex vertical>
          <Typography.Text strong>
            {contact.name}
            {contact.archived && <Tag style={{ marginInlineStart: 6 }}>{t('accounts.archived')}</Tag>}
          </Typography.Text>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {[contact.title, contact.department].filter(Boolean).join(' · ')}
          </Typography.Text>
        </Flex>
      ),
    },
    {
      title: t('accounts.contact.reportsTo'),
      key: 'reportsTo',
      responsive: ['md'],
      render: (_, c) => (c.reportsToId ? (byId.get(c.reportsToId)?.name ?? t('common.none')) : t('common.none')),
    },
    {
      title: t('accounts.contact.roles'),
      key: 'roles',
      render: (_, contact) => {
        const mine = (roles.data ?? []).filter((r) => r.contactId === contact.id);
        return mine.length ? (
          <Space size={4} wrap>
            {mine.map((mineItem) => (
              <Tag key={mineItem.id} color="geekblue">
                {t(`accounts.role.${mineItem.role}`)}
              </Tag>
            ))}
          </Space>
        ) : (
          <Typography.Text type="secondary">{t('common.none')}</Typography.Text>
        );
      },
    },
    // Shown on a phone too: calling a contact is what a rep on the road opens the list for.
    {
      title: t('accounts.contact.mobile'),
      key: 'mobile',
      render: (_, contact) => {
        const phone = contact.mobile ?? contact.phone;
        return phone ? <PhoneLink number={phone} /> : t('common.none');
      },
    },
    {
      title: t('accounts.contact.email'),
      dataIndex: 'email',
      key: 'email',
      responsive: ['lg'],
      render: (v: string | null) => (v ? <MailLink email={v} /> : t('common.none')),
    },
    {
      title: t('accounts.contact.wechat'),
      dataIndex: 'wechat',
      key: 'wechat',
      responsive: ['xl'],
      render: (v: string | null) => v ?? t('common.none'),
    },
  ];
  if (edit || manage) {
    columns.push({
      title: t('common.actions'),
      key: 'actions',
      width: 160,
      render: (_, contact) => (
        <Space size={0}>
          {edit && !contact.archived && (
            <Button size="small" type="link" icon={<EditOutlined />} onClick={() => setEditing(contact)}>
              {t('common.edit')}
            </Button>
          )}
          {manage && (
            <Button
              size="small"
              type="link"
              danger={!contact.archived}
              onClick={() =>
                modal.confirm({
                  title: t(contact.archived ? 'accounts.contact.restoreConfirm' : 'accounts.contact.archiveConfirm', {
                    name: contact.name,
                  }),
                  okText: t(contact.archived ? 'accounts.restore' : 'accounts.archive'),
                  cancelText: t('common.cancel'),
                  okButtonProps: { danger: !contact.archived },
                  onOk: () =>
                    archive.mutateAsync({ contact: contact, archived: !contact.archived }).then(
                      () => void message.success(t('common.saved')),
                      (e: unknown) => report(e),
                    ),
                })
              }
            >
              {t(contact.archived ? 'accounts.restore' : 'accounts.archive')}
            </Button>
          )}
        </Space>
      ),
    });
  }

  if (contacts.isError && !contacts.data)
    return <LoadError error={contacts.error} onRetry={() => void contacts.refetch()} />;
  return (
    <>
      <Flex justify="space-between" align="center" gap={8} wrap style={{ marginBottom: 12 }}>
        <Space>
          <Switch size="small" checked={showArchived} onChange={setShowArchived} />
          <Typography.Text type="secondary">{t('accounts.contact.showArchived')}</Typography.Text>
        </Space>
        {edit && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')} data-testid="new-contact">
            {t('accounts.contact.new')}
          </Button>
        )}
      </Flex>
      <Table<Contact>
        rowKey="id"
        size="middle"
        columns={columns}
        dataSource={contacts.data?.items}
        loading={contacts.isFetching}
        pagination={false}
        scroll={{ x: 'max-content' }}
        expandable={
          (contacts.data?.items ?? []).some((c) => c.notes || c.birthday)
            ? {
                rowExpandable: (c) => Boolean(c.notes || c.birthday),
                expandedRowRender: (contact) => (
                  <Typography.Paragraph style={{ margin: 0, whiteSpace: 'pre-wrap' }}>
                    {contact.birthday && (
                      <>
                        <Typography.Text type="secondary">{t('accounts.contact.birthday')}: </Typography.Text>
                        {contact.birthday}
                        <br />
                      </>
                    )}
                    {contact.notes && (
                      <>
                        <Typography.Text type="secondary">{t('accounts.contact.notes')}: </Typography.Text>
                        {contact.notes}
                      </>
                    )}
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
                  {t('accounts.contact.empty')}
                  <br />
                  {t('accounts.contact.emptyHint')}
                </>
              }
            />
          ),
        }}
        data-testid="contacts-table"
      />
      {editing && (
        <ContactFormDrawer
          accountId={account.id}
          contact={editing === 'new' ? undefined : editing}
          contacts={active.data?.items ?? []}
          onClose={() => setEditing(null)}
        />
      )}
    </>
  );
}
