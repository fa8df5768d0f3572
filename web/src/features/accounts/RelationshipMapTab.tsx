import { useEffect, useMemo, useRef, useState } from 'react';
import { Button, Card, Descriptions, Drawer, Empty, Flex, Grid, List, Skeleton, Space, Tag, Typography } from 'antd';
import { EditOutlined, PlusOutlined } from '@ant-design/icons';
import { LoadError } from '../../components/LoadError.tsx';
import { useT } from '../../i18n/useI18n.ts';
import { useContacts, useRelationshipMap } from './api.ts';
import { ContactFormDrawer } from './ContactFormDrawer.tsx';
import { MapChart } from './MapChart.tsx';
import { RolesTable } from './RolesTab.tsx';
import { PhoneLink } from '../../components/ContactLinks.tsx';
import type { AccountDetail } from './types.ts';
import { buildOption } from './mapOption.ts';
import { CoverageCard, GAP_COLORS, GAP_ICONS, gapText, Legend } from './MapCards.tsx';

/** The relationship map tab (渔网图): the picture, the gaps and the coverage score (docs/archive.md § Buying roles). */
export function RelationshipMapTab({ account, onAddContact }: { account: AccountDetail; onAddContact: () => void }) {
  const t = useT();
  const screens = Grid.useBreakpoint();
  const map = useRelationshipMap(account.id);
  const contacts = useContacts(account.id);
  const [selected, setSelected] = useState<number | null>(null);
  const [editingContact, setEditingContact] = useState(false);
  const touch = !screens.md;
  const built = useMemo(
    () => (map.data && map.data.contacts.length ? buildOption(map.data, t, touch) : null),
    [map.data, t, touch],
  );
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (box.current && built) box.current.scrollLeft = Math.max(0, built.focusX - box.current.clientWidth / 2);
  }, [built]);
  const names = useMemo(() => new Map((map.data?.contacts ?? []).map((c) => [c.id, c.name])), [map.data]);

  if (map.isError && !map.data) return <LoadError error={map.error} onRetry={() => void map.refetch()} />;
  if (!map.data) return <Skeleton active paragraph={{ rows: 8 }} />;
  const data = map.data;
  if (data.contacts.length === 0) {
    return (
      <Empty
        style={{ padding: '48px 0' }}
        description={
          <>
            <Typography.Text strong>{t('accounts.map.empty')}</Typography.Text>
            <br />
            {t('accounts.map.emptyHint')}
          </>
        }
        data-testid="map-empty"
      >
        {account.permissions.edit && (
          <Button type="primary" icon={<PlusOutlined />} onClick={onAddContact}>
            {t('accounts.contact.new')}
          </Button>
        )}
      </Empty>
    );
  }
  const contact = data.contacts.find((c) => c.id === selected);

  return (
    <Flex gap={16} vertical={!screens.lg} align="stretch">
      <Card
        size="small"
        style={{ flex: '1 1 auto', minWidth: 0 }}
        title={t('accounts.map.title')}
        extra={
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {t(touch ? 'accounts.map.hintTouch' : 'accounts.map.hint')}
          </Typography.Text>
        }
      >
        <div
          ref={box}
          style={{
            background: 'radial-gradient(circle, #e2e8f0 1px, transparent 1px)',
            backgroundSize: '18px 18px',
            borderRadius: 6,
            overflowX: 'auto',
          }}
        >
          {built && (
            <MapChart
              option={built.option}
              height={built.height}
              minWidth={built.minWidth}
              label={t('accounts.map.title')}
              testId="relationship-map"
              onNodeClick={(date) => {
                const id = (date as { contactId?: number }).contactId;
                if (id) setSelected(id);
              }}
            />
          )}
        </div>
        <div style={{ marginTop: 8 }}>
          <Legend />
        </div>
      </Card>
      <Flex vertical gap={16} style={{ width: screens.lg ? 320 : '100%', flex: 'none' }}>
        <CoverageCard data={data} />
        <Card
          size="small"
          title={
            <Space>
              {t('accounts.map.gaps')}
              <Tag color={data.gaps.length ? 'error' : 'success'}>{data.gaps.length}</Tag>
            </Space>
          }
        >
          {data.gaps.length === 0 ? (
            <Typography.Text type="success">{t('accounts.map.noGaps')}</Typography.Text>
          ) : (
            <List
              size="small"
              dataSource={data.gaps}
              data-testid="map-gaps"
              renderItem={(gap) => (
                <List.Item
                  style={{ padding: '6px 0', cursor: 'contactId' in gap ? 'pointer' : undefined }}
                  onClick={() => 'contactId' in gap && setSelected(gap.contactId)}
                >
                  <Space align="start" size={8}>
                    <span style={{ color: GAP_COLORS[gap.kind] }}>{GAP_ICONS[gap.kind]}</span>
                    <Typography.Text style={{ fontSize: 13 }} data-gap={gap.kind}>
                      {gapText(gap, t, names)}
                    </Typography.Text>
                  </Space>
                </List.Item>
              )}
            />
          )}
        </Card>
      </Flex>
      <Drawer
        open={contact !== undefined}
        onClose={() => setSelected(null)}
        size={screens.md ? 720 : '100%'}
        title={contact ? `${contact.name}${contact.title ? ` · ${contact.title}` : ''}` : ''}
        destroyOnHidden
        extra={
          account.permissions.edit &&
          contact && (
            <Button icon={<EditOutlined />} onClick={() => setEditingContact(true)}>
              {t('accounts.contact.edit')}
            </Button>
          )
        }
      >
        {contact && (
          <>
            <Descriptions
              size="small"
              column={screens.sm ? 2 : 1}
              style={{ marginBottom: 16 }}
              items={[
                {
                  key: 'dept',
                  label: t('accounts.contact.department'),
                  children: contact.department ?? t('common.none'),
                },
                {
                  key: 'boss',
                  label: t('accounts.contact.reportsTo'),
                  children: contact.reportsToId
                    ? (names.get(contact.reportsToId) ?? t('common.none'))
                    : t('common.none'),
                },
                {
                  key: 'mobile',
                  label: t('accounts.contact.mobile'),
                  children:
                    (contact.mobile ?? contact.phone) ? (
                      <PhoneLink number={(contact.mobile ?? contact.phone)!} />
                    ) : (
                      t('common.none')
                    ),
                },
                { key: 'wechat', label: t('accounts.contact.wechat'), children: contact.wechat ?? t('common.none') },
                ...(contact.notes
                  ? [{ key: 'notes', label: t('accounts.contact.notes'), children: contact.notes, span: 2 }]
                  : []),
              ]}
            />
            <Typography.Title level={5}>{t('accounts.roles.ofContact')}</Typography.Title>
            <RolesTable account={account} contactId={contact.id} />
          </>
        )}
      </Drawer>
      {editingContact && contact && (
        <ContactFormDrawer
          accountId={account.id}
          contact={contact}
          contacts={contacts.data?.items ?? []}
          onClose={() => setEditingContact(false)}
        />
      )}
    </Flex>
  );
}
