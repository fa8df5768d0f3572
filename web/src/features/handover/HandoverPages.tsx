import { useEffect, useRef, useState } from 'react';
import { Button, Empty, Flex, Popconfirm, Progress, Select, Table, Tag } from 'antd';
import { useUsers } from '../users/api.ts';
import { useSession } from '../auth/session.ts';
import { Link, useNavigate, useParams } from 'react-router';
import { useDates } from '../../i18n/useDates.ts';
import { api } from '../../api/client.ts';
import type { Page } from '../../api/types.ts';
import { FullPageSpinner } from '../../components/FullPageSpinner.tsx';
import { LoadError } from '../../components/LoadError.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { useT } from '../../i18n/useI18n.ts';
import { useHandovers, useStartHandover, type HandoverListItem } from './api.ts';

/** Entry from Settings → Users: opens the user's draft handover, or starts one. */
export function StartHandoverPage() {
  const t = useT();
  const userId = Number(useParams().id);
  const navigate = useNavigate();
  const start = useStartHandover();
  const started = useRef(false);
  useEffect(() => {
    if (started.current) return;
    started.current = true;
    void (async () => {
      const drafts = await api.get<Page<HandoverListItem>>('/handovers', { status: 'draft', limit: 200 });
      const open = drafts.items.find((h) => h.fromUser.id === userId);
      const id = open ? open.id : (await start.mutateAsync(userId)).id;
      navigate(`/handovers/${id}`, { replace: true });
    })().catch(() => undefined);
  }, [userId, navigate, start]);
  if (start.isError) return <LoadError error={start.error} onRetry={() => navigate(0)} />;
  void t;
  return <FullPageSpinner />;
}

/** All handovers within reach: drafts in progress and the kept record of completed ones. */
export function HandoversListPage() {
  const t = useT();
  const list = useHandovers();
  const navigate = useNavigate();
  const { user: me } = useSession();
  const dates = useDates();
  const users = useUsers({ limit: 500, offset: 0, active: true, sort: 'name' });
  const [who, setWho] = useState<number | undefined>();
  if (list.isError) return <LoadError error={list.error} onRetry={() => void list.refetch()} />;
  return (
    <>
      <PageHeader
        title={t('handover.listTitle')}
        subtitle={t('handover.listSubtitle')}
        extra={
          <Flex gap={8} wrap>
            <Select
              showSearch
              optionFilterProp="label"
              placeholder={t('handover.chooseDeparting')}
              value={who}
              onChange={setWho}
              style={{ minWidth: 240 }}
              options={(users.data?.items ?? [])
                .filter((u) => u.id !== me.id)
                .map((u) => ({ value: u.id, label: `${u.name} · ${u.orgUnitLabel}` }))}
              data-testid="departing-user"
            />
            {/* Starting creates the handover record: say whose, and ask first. */}
            <Popconfirm
              title={t('handover.confirmStartTitle')}
              description={t('handover.confirmStart', {
                name: users.data?.items.find((u) => u.id === who)?.name ?? '',
              })}
              okText={t('handover.start')}
              cancelText={t('common.cancel')}
              disabled={!who}
              onConfirm={() => void navigate(`/settings/users/${who}/handover`)}
            >
              <Button type="primary" disabled={!who} data-testid="start-handover">
                {t('handover.start')}
              </Button>
            </Popconfirm>
          </Flex>
        }
      />
      <Table<HandoverListItem>
        rowKey="id"
        loading={list.isFetching}
        dataSource={list.data?.items}
        pagination={false}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: <Empty description={t('handover.listEmpty')} /> }}
        columns={[
          {
            title: t('handover.col.user'),
            key: 'user',
            render: (_, h) => <Link to={`/handovers/${h.id}`}>{h.fromUser.name}</Link>,
          },
          { title: t('handover.col.unit'), key: 'unit', render: (_, h) => h.fromUser.orgUnitName },
          {
            title: t('handover.col.status'),
            dataIndex: 'status',
            key: 'status',
            render: (text: string) => (
              <Tag color={text === 'completed' ? 'success' : text === 'draft' ? 'processing' : 'default'}>
                {t(`handover.status.${text}` as 'handover.status.draft')}
              </Tag>
            ),
          },
          {
            title: t('handover.col.progress'),
            key: 'progress',
            width: 180,
            render: (_, record) => (
              <Progress
                size="small"
                percent={record.itemCount ? Math.round((record.assignedCount / record.itemCount) * 100) : 100}
                format={() => `${record.assignedCount}/${record.itemCount}`}
              />
            ),
          },
          {
            title: t('handover.col.started'),
            key: 'created',
            render: (_, h) => `${dates.format(h.createdAt)} · ${h.createdByName ?? ''}`,
          },
          {
            title: t('handover.col.completed'),
            key: 'completed',
            render: (_, h) => dates.format(h.completedAt, 'dateTime') ?? t('common.none'),
          },
        ]}
      />
    </>
  );
}
