import { Card, Select, Space, Table, Tag, Typography } from 'antd';
import { Link } from 'react-router';
import { useDates } from '../../i18n/useDates.ts';
import type { Role, User } from '../../api/types.ts';
import { useT } from '../../i18n/useI18n.ts';
import { zhCN, type MessageKey } from '../../i18n/zh-CN.ts';
import { canTakeOver } from '../../../../src/domain/handover.ts';
import { useMoney } from '../../i18n/money.ts';
import { StatusTag } from '../opportunities/bits.tsx';
import { CATEGORIES, type Category, type HandoverDetail, type HandoverFollower, type HandoverItem } from './api.ts';
import { useShippedText } from '../processes/shippedText.ts';

/**
 * A handover's items and the leaver's tasks and visits that follow them, as the wizard's steps and
 * the completed record show them; who may take each kind of item.
 */

/** Who may take each kind of item: the server's own rule (src/domain/handover.ts). */
export const takes = (category: Category, role: Role | undefined) => role !== undefined && canTakeOver(category, role);

export const catLabel = (c: Category) => `handover.cat.${c}` as MessageKey;

/**
 * The item's second line: names as written, then its role or industry in words. An unknown
 * code (added on the server later) still shows, as itself.
 */
function ItemDetail({ item: item }: { item: HandoverItem }) {
  const t = useT();
  const word = (key: string, code: string) => (key in zhCN ? t(key as MessageKey) : code);
  const role =
    item.role &&
    (item.category === 'team'
      ? word(`opps.teamRole.${item.role}`, item.role)
      : word(`accounts.role.${item.role}`, item.role));
  const industry = item.industry && word(`accounts.industry.${item.industry}`, item.industry);
  const line = [item.detail, role, industry].filter(Boolean).join(' · ');
  return line ? (
    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
      {line}
    </Typography.Text>
  ) : null;
}

/** A deal row's state: what the successor takes on (status, stage and probability, amount). */
function DealState({ item }: { item: HandoverItem }) {
  const t = useT();
  const shipped = useShippedText();
  const money = useMoney();
  if (item.dealStatus === null) return null;
  return (
    <Space size={6} wrap data-testid="handover-deal-state">
      <StatusTag status={item.dealStatus} />
      {item.stageName && (
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {item.probability === null
            ? shipped(item.stageName)
            : t('handover.dealStage', { stage: shipped(item.stageName), probability: item.probability })}
        </Typography.Text>
      )}
      {item.amount !== null && <Typography.Text style={{ fontSize: 12 }}>{money(item.amount)}</Typography.Text>}
    </Space>
  );
}

/** The leaver's open tasks and planned visits on the accounts handed over, and whom each goes to. */
export function FollowersTable({ d: detail }: { d: HandoverDetail }) {
  const t = useT();
  const dates = useDates();
  if (detail.followers.length === 0) return null;
  return (
    <Card
      size="small"
      title={`${t('handover.followers.title')} (${detail.followers.length})`}
      style={{ marginTop: 16 }}
      data-testid="handover-followers"
    >
      <Typography.Paragraph type="secondary">{t('handover.tasksNote')}</Typography.Paragraph>
      <Table<HandoverFollower>
        size="small"
        rowKey={(follower) => `${follower.kind}-${follower.id}`}
        dataSource={detail.followers}
        pagination={detail.followers.length > 20 ? { pageSize: 20 } : false}
        scroll={{ x: 'max-content' }}
        columns={[
          {
            title: t('handover.followers.col.what'),
            key: 'what',
            render: (_, follower) => (
              <Space size={6}>
                <Tag color={follower.kind === 'task' ? 'green' : 'blue'}>
                  {follower.kind === 'task'
                    ? t('handover.followers.kind.task')
                    : t(`activities.type.${follower.activityType ?? 'visit'}` as MessageKey)}
                </Tag>
                {follower.title}
              </Space>
            ),
          },
          {
            title: t('handover.followers.col.date'),
            key: 'date',
            render: (_, follower) =>
              follower.startAt !== null ? dates.format(follower.startAt, 'dateTime') : follower.date,
          },
          {
            title: t('handover.followers.col.account'),
            key: 'account',
            render: (_, follower) => <Link to={`/accounts/${follower.account.id}`}>{follower.account.name}</Link>,
          },
          {
            title: t('handover.followers.col.to'),
            key: 'to',
            render: (_, follower) =>
              follower.toUserName ?? (
                <Typography.Text type="warning">{t('handover.followers.noSuccessor')}</Typography.Text>
              ),
          },
        ]}
      />
    </Card>
  );
}

export const userOptions = (users: User[], category: Category | null) =>
  users
    .filter((u) => takes(category ?? 'account', u.role))
    .map((u) => ({ value: u.id, label: `${u.name} · ${u.orgUnitLabel}` }));

export function ItemsTable({
  d: detail,
  editable,
  users,
  onAssign,
}: {
  d: HandoverDetail;
  editable?: boolean;
  users?: User[];
  onAssign?: (itemId: number, toUserId: number | null) => void;
}) {
  const t = useT();
  return (
    <Table<HandoverItem>
      rowKey="id"
      size="small"
      dataSource={detail.items}
      pagination={detail.items.length > 50 ? { pageSize: 50, showSizeChanger: false } : false}
      scroll={{ x: 'max-content' }}
      data-testid="handover-items"
      columns={[
        {
          title: t('handover.col.kind'),
          dataIndex: 'category',
          key: 'cat',
          width: 110,
          render: (c: Category) => <Tag>{t(catLabel(c))}</Tag>,
          filters: CATEGORIES.map((c) => ({ text: t(catLabel(c)), value: c })),
          onFilter: (v, r) => r.category === v,
        },
        {
          title: t('handover.col.item'),
          key: 'label',
          render: (_, item) => (
            <Space direction="vertical" size={0}>
              <Space size={4}>
                <Typography.Text strong>{item.label}</Typography.Text>
                {item.tier && (
                  <Tag color={item.tier === 'A' ? 'red' : item.tier === 'B' ? 'orange' : 'default'}>{item.tier}</Tag>
                )}
                {item.named && <Tag color="gold">{t('pool.named')}</Tag>}
                {item.keyAccount && <Tag color="purple">{t('handover.keyAccount')}</Tag>}
              </Space>
              <ItemDetail item={item} />
              <DealState item={item} />
            </Space>
          ),
        },
        {
          title: t('handover.col.successor'),
          key: 'to',
          width: 280,
          render: (_, item) =>
            editable && users ? (
              <Select
                allowClear
                showSearch
                optionFilterProp="label"
                size="small"
                style={{ width: 260 }}
                placeholder={t('handover.chooseSuccessor')}
                value={item.toUserId ?? undefined}
                onChange={(v?: number) => onAssign?.(item.id, v ?? null)}
                options={userOptions(users, item.category)}
                status={item.toUserId ? undefined : 'warning'}
              />
            ) : (
              (item.toUserName ?? <Typography.Text type="warning">{t('handover.noSuccessor')}</Typography.Text>)
            ),
        },
      ]}
    />
  );
}
