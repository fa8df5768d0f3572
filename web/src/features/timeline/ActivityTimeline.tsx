import { useState, type ReactNode } from 'react';
import { Button, Empty, Flex, Segmented, Skeleton, Space, Tag, Timeline, Typography } from 'antd';
import {
  AuditOutlined, CalendarOutlined, CloseCircleOutlined, EditOutlined, FallOutlined, PaperClipOutlined, PlusCircleOutlined, RiseOutlined, ShopOutlined,
  StopOutlined, TrophyOutlined, UserAddOutlined,
} from '@ant-design/icons';
import dayjs from 'dayjs';
import { Link } from 'react-router';
import { LoadError } from '../../components/LoadError.tsx';
import { useI18n } from '../../i18n/useI18n.ts';
import { TIMELINE_GROUP_NAMES, type TimelineGroup } from '../../../../src/domain/timeline.ts';
import { formatFen } from '../../i18n/money.ts';
import { useTimeline, type TimelineEvent, type TimelineOf } from './api.ts';
import { useHistoryText } from './historyText.ts';
import type { RootCause } from '../opportunities/types.ts';
import type { ActivityType } from '../../../../src/domain/activities.ts';

type Filter = 'all' | TimelineGroup;

/**
 * The activity timeline of an account or an opportunity (docs/archive.md, §5.2): what happened,
 * who did it and why, newest first, filtered by kind and loaded a page at a time.
 */
export function ActivityTimeline({ of }: { of: TimelineOf }) {
  const { t } = useI18n();
  const [filter, setFilter] = useState<Filter>('all');
  const onAccount = 'accountId' in of;
  const groups = TIMELINE_GROUP_NAMES.filter((g) => onAccount || g !== 'account');
  const q = useTimeline(of, filter === 'all' ? [] : [filter]);
  const events = q.data?.pages.flatMap((p) => p.items) ?? [];
  const total = q.data?.pages[0]?.total ?? 0;

  let body: ReactNode;
  if (q.isError && !q.data) body = <LoadError error={q.error} onRetry={() => void q.refetch()} />;
  else if (!q.data) body = <Skeleton active />;
  else if (events.length === 0) {
    body = filter === 'all'
      ? <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} style={{ padding: '24px 0' }} description={<>{t('timeline.empty')}<br /><Typography.Text type="secondary">{t('timeline.emptyHint')}</Typography.Text></>} />
      : <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('timeline.emptyFiltered')} />;
  } else {
    body = (
      <>
        <Timeline style={{ marginTop: 16 }} items={events.map((e) => ({ key: e.id, ...look(e), content: <EventLine e={e} showDeal={onAccount} /> }))} />
        {q.hasNextPage && (
          <Flex justify="center">
            <Button onClick={() => void q.fetchNextPage()} loading={q.isFetchingNextPage} data-testid="timeline-more">{t('timeline.more')}</Button>
          </Flex>
        )}
      </>
    );
  }

  return (
    <div data-testid="activity-timeline">
      <Flex justify="space-between" align="center" wrap gap={8}>
        <Segmented<Filter>
          value={filter}
          onChange={setFilter}
          options={[{ value: 'all', label: t('timeline.group.all') }, ...groups.map((g) => ({ value: g, label: t(`timeline.group.${g}`) }))]}
        />
        {q.data && <Typography.Text type="secondary">{t('timeline.total', { n: total })}</Typography.Text>}
      </Flex>
      {body}
    </div>
  );
}

/** Icon and colour by what happened: progress green, setbacks orange or red, reviews purple. */
function look(e: TimelineEvent): { icon: ReactNode; color: string } {
  switch (e.kind) {
    case 'account_created': return { icon: <ShopOutlined />, color: 'blue' };
    case 'opportunity_created': return { icon: <PlusCircleOutlined />, color: 'blue' };
    case 'contact_added': return { icon: <UserAddOutlined />, color: 'cyan' };
    case 'stage_moved': return e.direction === 'back' ? { icon: <FallOutlined />, color: 'orange' } : { icon: <RiseOutlined />, color: 'green' };
    case 'opportunity_closed':
      if (e.to === 'won') return { icon: <TrophyOutlined />, color: 'green' };
      return e.to === 'lost' ? { icon: <CloseCircleOutlined />, color: 'red' } : { icon: <StopOutlined />, color: 'gray' };
    case 'review': return { icon: <AuditOutlined />, color: 'purple' };
    case 'file_added': return { icon: <PaperClipOutlined />, color: 'gray' };
    case 'activity': return { icon: <CalendarOutlined />, color: e.to === 'done' ? 'green' : e.to === 'planned' ? 'blue' : 'gray' };
    default: return { icon: <EditOutlined />, color: 'gray' };
  }
}

function EventLine({ e, showDeal }: { e: TimelineEvent; showDeal: boolean }) {
  const { t, locale } = useI18n();
  const words = useHistoryText();
  const value = (v: string | null) => words.value(e.field ?? '', v);
  // On the account page every deal event names its deal, beside who and when.
  const deal = showDeal && e.opportunityId !== null ? <Link to={`/opportunities/${e.opportunityId}`}>{e.opportunityName}</Link> : null;
  const strong = (s: ReactNode) => <Typography.Text strong>{s}</Typography.Text>;

  let what: ReactNode;
  const extra: ReactNode[] = [];
  switch (e.kind) {
    case 'account_created':
      what = <>{t('timeline.account_created')} {strong(e.subject)}</>;
      break;
    case 'contact_added':
      what = <>{t('timeline.contact_added')} {strong(e.subject)}{e.detail && <Typography.Text type="secondary"> · {e.detail}</Typography.Text>}</>;
      break;
    case 'opportunity_created':
      what = <>{t('timeline.opportunity_created')} {strong(e.subject)} <Tag>{formatFen(e.amount, locale)}</Tag></>;
      break;
    case 'stage_moved':
      what = <>{t(`timeline.stage_moved.${e.direction === 'back' ? 'back' : e.direction === 'forward' ? 'forward' : 'none'}`)} {e.from} → {strong(e.subject)}{e.probability !== null && <Typography.Text type="secondary"> · {t('timeline.probability', { n: e.probability })}</Typography.Text>}</>;
      if (e.evidenceCount) extra.push(<Tag key="ev" color="green">{t('timeline.evidence', { n: e.evidenceCount })}</Tag>);
      break;
    case 'opportunity_closed': {
      const outcome = e.to === 'won' || e.to === 'lost' ? e.to : 'abandoned';
      what = <>{strong(t(`timeline.opportunity_closed.${outcome}`))}{outcome === 'won' && <Typography.Text type="secondary"> · {t('timeline.contract', { amount: formatFen(e.amount, locale) })}</Typography.Text>}</>;
      if (e.detail && e.detail !== 'none') extra.push(<span key="to">{t('timeline.lostTo', { name: e.detail })}</span>);
      break;
    }
    case 'review':
      what = t('timeline.review');
      extra.push(
        <div key="r" style={{ fontSize: 13 }}>
          <div>{t('timeline.review.completed')}{e.subject}</div>
          {e.from && <div>{t('timeline.review.evidence')}{e.from}</div>}
          {e.to && <div>{t('timeline.review.next')}{strong(e.to)}</div>}
          {e.detail && <div>{t('timeline.review.plan')}{e.detail}</div>}
          {e.reason && <Tag color="volcano" style={{ marginTop: 2 }}>{t('opps.review.rootCause')}{t('common.colon')}{t(`opps.rootCause.${e.reason as RootCause}`)}</Tag>}
        </div>,
      );
      break;
    case 'file_added':
      what = <>{t('timeline.file_added')} {strong(e.subject)}</>;
      break;
    case 'activity': {
      const status = e.to === 'planned' || e.to === 'cancelled' ? e.to : 'done';
      const type = (e.field ?? 'visit') as ActivityType;
      what = <>{t(`timeline.activity.${status}`)} <Tag color={status === 'done' ? 'green' : undefined}>{t(`activities.type.${type}`)}</Tag>{e.subject && strong(e.subject)}{e.amount !== null && <Typography.Text type="secondary"> · {t('timeline.activity.minutes', { n: e.amount })}</Typography.Text>}</>;
      if (e.detail) extra.push(<Typography.Text key="notes" style={{ fontSize: 13 }}>{e.detail}</Typography.Text>);
      if (e.reason) extra.push(<Typography.Text key="outcome" type="secondary" style={{ fontSize: 13 }}>→ {e.reason}</Typography.Text>);
      break;
    }
    case 'opportunity_changed':
    case 'account_changed':
      what = e.field === 'status' && e.to === 'open'
        ? t('timeline.reopened')
        : <>{t('timeline.changed', { field: words.field(e.field ?? '') })}: {value(e.from)} → {strong(value(e.to))}</>;
      break;
  }
  // A close's reason is a loss-reason code or, for an earlier close, its stored parts.
  const why = words.reason(e.kind === 'opportunity_closed' ? 'status' : (e.field ?? ''), e.reason);
  // A team change's "reason" is the member's role on the deal.
  if (why && e.field === 'team') extra.push(<Tag key="role">{why}</Tag>);
  else if (why && e.kind !== 'review' && e.kind !== 'activity') extra.push(<span key="why">{t('timeline.reason', { reason: why })}</span>);

  return (
    <div data-testid={`event-${e.kind}`}>
      <div>{what}</div>
      {extra.length > 0 && <Space size={4} wrap style={{ marginTop: 2 }}>{extra}</Space>}
      <div>
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {e.actorName ?? t('timeline.system')}{deal && <> · {deal}</>} · {dayjs(e.at).format('YYYY-MM-DD HH:mm')}
        </Typography.Text>
      </div>
    </div>
  );
}
