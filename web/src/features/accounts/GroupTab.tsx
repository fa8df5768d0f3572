import { useMemo, useState } from 'react';
import {
  App,
  Button,
  Card,
  Col,
  Empty,
  Flex,
  Grid,
  Row,
  Select,
  Skeleton,
  Statistic,
  Table,
  Tag,
  Typography,
  type TableProps,
} from 'antd';
import { ApartmentOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link } from 'react-router';
import { api, request } from '../../api/client.ts';
import { useProblem } from '../../api/useProblem.ts';
import { LoadError } from '../../components/LoadError.tsx';
import { useI18n } from '../../i18n/useI18n.ts';
import { formatFen } from '../../i18n/money.ts';
import type { Group, GroupMember } from '../../../../src/contracts/groups.ts';
import { accountKeys, accountQueries } from './api.ts';
import { TierBadge } from './bits.tsx';
import type { AccountDetail } from './types.ts';

type Node = GroupMember & { children?: Node[] };

/** Members as a tree under the root; a member whose parent is out of sight hangs under the nearest visible one's level (the root list). */
function treeOf(members: GroupMember[]): Node[] {
  const byId = new Map<number, Node>(members.map((m) => [m.id, { ...m }]));
  const roots: Node[] = [];
  for (const member of byId.values()) {
    const parent = member.parentAccountId === null ? undefined : byId.get(member.parentAccountId);
    if (parent) (parent.children ??= []).push(member);
    else roots.push(member);
  }
  return roots;
}

/** The account's group (docs/archive.md § Group accounts): its parent, and purchases, deals, contacts and tier rolled up. */
export function GroupTab({ account }: { account: AccountDetail }) {
  const { t, locale } = useI18n();
  const screens = Grid.useBreakpoint();
  const { message } = App.useApp();
  const report = useProblem();
  const qc = useQueryClient();
  const group = useQuery({
    queryKey: [...accountKeys.detail(account.id), 'group'],
    queryFn: ({ signal }) => api.get<Group>(`/accounts/${account.id}/group`, {}, { signal }),
  });
  const [searchText, setQ] = useState('');
  const picker = useQuery(accountQueries.picker(searchText));
  const setParent = useMutation({
    mutationFn: (parentAccountId: number | null) =>
      request<AccountDetail>('PUT', `/accounts/${account.id}/parent`, { version: account.version, parentAccountId }),
    onSettled: () => qc.invalidateQueries({ queryKey: accountKeys.all }),
  });
  const save = (parentAccountId: number | null) =>
    setParent.mutate(parentAccountId, {
      onSuccess: () => void message.success(t('common.saved')),
      onError: (e) => report(e),
    });
  const tree = useMemo(() => treeOf(group.data?.members ?? []), [group.data]);

  if (group.isError && !group.data) return <LoadError error={group.error} onRetry={() => void group.refetch()} />;
  if (!group.data) return <Skeleton active />;
  const groupData = group.data;
  const parent = groupData.members.find((m) => m.id === account.parentAccountId);
  const money = (fen: number) => formatFen(fen, locale, true);

  const columns: TableProps<Node>['columns'] = [
    {
      title: t('accounts.group.col.member'),
      key: 'name',
      render: (_, member) => (
        <Flex gap={6} align="center" wrap>
          <TierBadge tier={member.tier} overridden={false} reason={null} />
          {member.id === account.id ? (
            <Typography.Text strong>{member.name}</Typography.Text>
          ) : (
            <Link to={`/accounts/${member.id}?tab=group`}>{member.name}</Link>
          )}
          {member.named && (
            <Tag color="purple" style={{ fontSize: 11 }}>
              {t('accounts.named')}
            </Tag>
          )}
        </Flex>
      ),
    },
    {
      title: t('accounts.col.owner'),
      key: 'owner',
      responsive: ['md'],
      render: (_, m) => m.ownerName ?? t('accounts.noOwner'),
    },
    { title: t('accounts.col.amount'), key: 'amount', align: 'right', render: (_, m) => money(m.trailingAmount) },
    {
      title: t('accounts.group.col.openDeals'),
      key: 'open',
      align: 'right',
      responsive: ['md'],
      render: (_, m) => `${m.openDeals} · ${money(m.openAmount)}`,
    },
    {
      title: t('accounts.col.contacts'),
      key: 'contacts',
      align: 'right',
      responsive: ['lg'],
      render: (_, m) => m.contacts,
    },
  ];

  return (
    <Flex vertical gap={16} style={{ marginTop: 8 }} data-testid="group-tab">
      <Card size="small" title={t('accounts.group.parent')}>
        <Flex gap={8} wrap align="center">
          <Select
            showSearch
            allowClear
            filterOption={false}
            onSearch={setQ}
            loading={picker.isFetching || setParent.isPending}
            disabled={!account.permissions.edit}
            placeholder={t('accounts.group.parentPlaceholder')}
            value={account.parentAccountId ?? undefined}
            onChange={(v: number | undefined) => save(v ?? null)}
            style={{ width: screens.md ? 360 : '100%' }}
            data-testid="group-parent"
            options={[
              ...(account.parentAccountId !== null &&
              !(picker.data?.items ?? []).some((a) => a.id === account.parentAccountId)
                ? [{ value: account.parentAccountId, label: parent?.name ?? `#${account.parentAccountId}` }]
                : []),
              ...(picker.data?.items ?? [])
                .filter((a) => a.id !== account.id)
                .map((a) => ({ value: a.id, label: a.city ? `${a.name} · ${a.city}` : a.name })),
            ]}
          />
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {t('accounts.group.parentHint')}
          </Typography.Text>
        </Flex>
      </Card>
      {groupData.members.length <= 1 && groupData.hiddenMembers === 0 ? (
        <Empty
          image={<ApartmentOutlined style={{ fontSize: 40, color: '#bfc5d2' }} />}
          description={t('accounts.group.empty')}
        />
      ) : (
        <>
          <Row gutter={[12, 12]}>
            <Col xs={12} md={6}>
              <Card size="small">
                <Statistic
                  title={t('accounts.group.members')}
                  value={groupData.totals.accounts}
                  suffix={
                    groupData.hiddenMembers ? (
                      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                        {t('accounts.group.hidden', { count: groupData.hiddenMembers })}
                      </Typography.Text>
                    ) : undefined
                  }
                />
              </Card>
            </Col>
            <Col xs={12} md={6}>
              <Card size="small">
                <Statistic title={t('accounts.group.purchases')} value={money(groupData.totals.trailingAmount)} />
              </Card>
            </Col>
            <Col xs={12} md={6}>
              <Card size="small">
                <Statistic
                  title={t('accounts.group.openDeals')}
                  value={`${groupData.totals.openDeals} · ${money(groupData.totals.openAmount)}`}
                />
              </Card>
            </Col>
            <Col xs={12} md={6}>
              <Card size="small">
                <Statistic
                  title={t('accounts.group.tier')}
                  valueRender={() => (
                    <Flex gap={6} align="center">
                      <TierBadge tier={groupData.tier} overridden={false} reason={null} />
                      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                        A {groupData.tierCounts.A} · B {groupData.tierCounts.B} · C {groupData.tierCounts.C}
                      </Typography.Text>
                    </Flex>
                  )}
                />
              </Card>
            </Col>
          </Row>
          <Table<Node>
            rowKey="id"
            size="small"
            pagination={false}
            columns={columns}
            dataSource={tree}
            expandable={{ defaultExpandAllRows: true }}
            scroll={{ x: 'max-content' }}
            data-testid="group-tree"
            summary={() => (
              <Table.Summary.Row>
                <Table.Summary.Cell index={0}>
                  <Typography.Text strong>{t('accounts.group.total')}</Typography.Text>
                </Table.Summary.Cell>
                {screens.md && <Table.Summary.Cell index={1} />}
                <Table.Summary.Cell index={2} align="right">
                  <Typography.Text strong>{money(groupData.totals.trailingAmount)}</Typography.Text>
                </Table.Summary.Cell>
                {screens.md && (
                  <Table.Summary.Cell
                    index={3}
                    align="right"
                  >{`${groupData.totals.openDeals} · ${money(groupData.totals.openAmount)}`}</Table.Summary.Cell>
                )}
                {screens.lg && (
                  <Table.Summary.Cell index={4} align="right">
                    {groupData.totals.contacts}
                  </Table.Summary.Cell>
                )}
              </Table.Summary.Row>
            )}
          />
          {groupData.hiddenMembers > 0 && (
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {t('accounts.group.hiddenHint')}
            </Typography.Text>
          )}
        </>
      )}
      {account.parentAccountId !== null && account.permissions.edit && (
        <div>
          <Button size="small" onClick={() => save(null)} loading={setParent.isPending}>
            {t('accounts.group.leave')}
          </Button>
        </div>
      )}
    </Flex>
  );
}
