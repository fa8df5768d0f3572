import { useState, type ReactNode } from 'react';
import { Button, Empty, Flex, Segmented, Skeleton, Space, Tag, Timeline, Typography } from 'antd';
import {
  AuditOutlined,
  CalendarOutlined,
  CloseCircleOutlined,
  EditOutlined,
  FallOutlined,
  PaperClipOutlined,
  PlusCircleOutlined,
  RiseOutlined,
  ShopOutlined,
  StopOutlined,
  TrophyOutlined,
  UserAddOutlined,
} from '@ant-design/icons';
import { useDates } from '../../i18n/useDates.ts';
import { Link } from 'react-router';
import { LoadError } from '../../components/LoadError.tsx';
import { useI18n } from '../../i18n/useI18n.ts';
import { TIMELINE_GROUP_NAMES, type TimelineGroup } from '../../../../src/domain/timeline.ts';
import { formatFen } from '../../i18n/money.ts';
import { useTimeline, type TimelineEvent, type TimelineOf } from './api.ts';
import { useHistoryText } from './historyText.ts';
import type { RootCause } from '../opportunities/types.ts';
import type { ActivityType } from '../../../../src/domain/activities.ts';
import { useShippedText } from '../processes/shippedText.ts';

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
  const query = useTimeline(of, filter === 'all' ? [] : [filter]);
  const events = query.data?.pages.flatMap((p) => p.items) ?? [];
  const total = query.data?.pages[0]?.total ?? 0;

  let body: ReactNode;
  if (query.isError && !query.data) body = <LoadError error={query.error} onRetry={() => void query.refetch()} />;
  else if (!query.data) body = <Skeleton active />;
  else if (events.length === 0) {
    body =
      filter === 'all' ? (
        <Empty
          image={Empty.PRESENTED_IMAGE_SIMPLE}
          style={{ padding: '24px 0' }}
          description={
            <>
              {t('timeline.empty')}
              <br />
              <Typography.Text type="secondary">{t('timeline.emptyHint')}</Typography.Text>
            </>
          }
        />
      ) : (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('timeline.emptyFiltered')} />
      );
  } else {
    body = (
      <>
        <Timeline
          style={{ marginTop: 16 }}
          items={events.map((e) => ({ key: e.id, ...look(e), content: <EventLine e={e} showDeal={onAccount} /> }))}
        />
        {query.hasNextPage && (
          <Flex justify="center">
            <Button
              onClick={() => void query.fetchNextPage()}
              loading={query.isFetchingNextPage}
              data-testid="timeline-more"
            >
              {t('timeline.more')}
            </Button>
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
          options={[
            { value: 'all', label: t('timeline.group.all') },
            ...groups.map((g) => ({ value: g, label: t(`timeline.group.${g}`) })),
          ]}
        />
        <Space size={12} wrap>
          {/* The activities of this account or deal as a list: filters and the export live there. */}
          <Link
            to={`/activities?${onAccount ? `accountId=${of.accountId}` : `opportunityId=${of.opportunityId}`}`}
            data-testid="timeline-activity-list"
          >
            {t('timeline.activityList')}
          </Link>
          {query.data && <Typography.Text type="secondary">{t('timeline.total', { n: total })}</Typography.Text>}
        </Space>
      </Flex>
      {body}
    </div>
  );
}

/** Icon and colour by what happened: progress green, setbacks orange or red, reviews purple. */
function look(timelineEvent: TimelineEvent): { icon: ReactNode; color: string } {
  switch (timelineEvent.kind) {
    case 'account_created':
      return { icon: <ShopOutlined />, color: 'blue' };
    case 'opportunity_created':
      return { icon: <PlusCircleOutlined />, color: 'blue' };
    case 'contact_added':
      return { icon: <UserAddOutlined />, color: 'cyan' };
    case 'stage_moved':
      return timelineEvent.direction === 'back'
        ? { icon: <FallOutlined />, color: 'orange' }
        : { icon: <RiseOutlined />, color: 'green' };
    case 'opportunity_closed':
      if (timelineEvent.to === 'won') return { icon: <TrophyOutlined />, color: 'green' };
      return timelineEvent.to === 'lost'
        ? { icon: <CloseCircleOutlined />, color: 'red' }
        : { icon: <StopOutlined />, color: 'gray' };
    case 'review':
      return { icon: <AuditOutlined />, color: 'purple' };
    case 'file_added':
      return { icon: <PaperClipOutlined />, color: 'gray' };
    case 'activity':
      return {
        icon: <CalendarOutlined />,
        color: timelineEvent.to === 'done' ? 'green' : timelineEvent.to === 'planned' ? 'blue' : 'gray',
      };
    default:
      return { icon: <EditOutlined />, color: 'gray' };
  }
}

function EventLine({ e: timelineEvent, showDeal }: { e: TimelineEvent; showDeal: boolean }) {
  const { t, locale } = useI18n();
  const words = useHistoryText();
  const dates = useDates();
  const shipped = useShippedText();
  const value = (v: string | null) => words.value(timelineEvent.field ?? '', v);
  // On the account page every deal event names its deal, beside who and when.
  const deal =
    showDeal && timelineEvent.opportunityId !== null ? (
      <Link to={`/opportunities/${timelineEvent.opportunityId}`}>{timelineEvent.opportunityName}</Link>
    ) : null;
  const strong = (s: ReactNode) => <Typography.Text strong>{s}</Typography.Text>;

  let what: ReactNode;
  const extra: ReactNode[] = [];
  switch (timelineEvent.kind) {
    case 'account_created':
      what = (
        <>
          {t('timeline.account_created')} {strong(timelineEvent.subject)}
        </>
      );
      break;
    case 'contact_added':
      what = (
        <>
          {t('timeline.contact_added')} {strong(timelineEvent.subject)}
          {timelineEvent.detail && <Typography.Text type="secondary"> · {timelineEvent.detail}</Typography.Text>}
        </>
      );
      break;
    case 'opportunity_created':
      what = (
        <>
          {t('timeline.opportunity_created')} {strong(timelineEvent.subject)}{' '}
          <Tag>{formatFen(timelineEvent.amount, locale)}</Tag>
        </>
      );
      break;
    case 'stage_moved':
      what = (
        <>
          {t(
            `timeline.stage_moved.${timelineEvent.direction === 'back' ? 'back' : timelineEvent.direction === 'forward' ? 'forward' : 'none'}`,
          )}{' '}
          {shipped(timelineEvent.from)} → {strong(shipped(timelineEvent.subject))}
          {timelineEvent.probability !== null && (
            <Typography.Text type="secondary">
              {' '}
              · {t('timeline.probability', { n: timelineEvent.probability })}
            </Typography.Text>
          )}
        </>
      );
      if (timelineEvent.evidenceCount)
        extra.push(
          <Tag key="ev" color="green">
            {t('timeline.evidence', { n: timelineEvent.evidenceCount })}
          </Tag>,
        );
      break;
    case 'opportunity_closed': {
      const outcome = timelineEvent.to === 'won' || timelineEvent.to === 'lost' ? timelineEvent.to : 'abandoned';
      what = (
        <>
          {strong(t(`timeline.opportunity_closed.${outcome}`))}
          {outcome === 'won' && (
            <Typography.Text type="secondary">
              {' '}
              · {t('timeline.contract', { amount: formatFen(timelineEvent.amount, locale) })}
            </Typography.Text>
          )}
        </>
      );
      if (timelineEvent.detail && timelineEvent.detail !== 'none')
        extra.push(<span key="to">{t('timeline.lostTo', { name: timelineEvent.detail })}</span>);
      break;
    }
    case 'review':
      what = t('timeline.review');
      extra.push(
        <div key="r" style={{ fontSize: 13 }}>
          <div>
            {t('timeline.review.completed')}
            {timelineEvent.subject}
          </div>
          {timelineEvent.from && (
            <div>
              {t('timeline.review.evidence')}
              {timelineEvent.from}
            </div>
          )}
          {timelineEvent.to && (
            <div>
              {t('timeline.review.next')}
              {strong(timelineEvent.to)}
            </div>
          )}
          {timelineEvent.detail && (
            <div>
              {t('timeline.review.plan')}
              {timelineEvent.detail}
            </div>
          )}
          {timelineEvent.reason && (
            <Tag color="volcano" style={{ marginTop: 2 }}>
              {t('opps.review.rootCause')}
              {t('common.colon')}
              {t(`opps.rootCause.${timelineEvent.reason as RootCause}`)}
            </Tag>
          )}
        </div>,
      );
      break;
    case 'file_added':
      what = (
        <>
          {t('timeline.file_added')} {strong(timelineEvent.subject)}
        </>
      );
      break;
    case 'activity': {
      const status = timelineEvent.to === 'planned' || timelineEvent.to === 'cancelled' ? timelineEvent.to : 'done';
      const type = (timelineEvent.field ?? 'visit') as ActivityType;
      what = (
        <>
          {t(`timeline.activity.${status}`)}{' '}
          <Tag color={status === 'done' ? 'green' : undefined}>{t(`activities.type.${type}`)}</Tag>
          {timelineEvent.subject && strong(timelineEvent.subject)}
          {timelineEvent.amount !== null && (
            <Typography.Text type="secondary">
              {' '}
              · {t('timeline.activity.minutes', { n: timelineEvent.amount })}
            </Typography.Text>
          )}
        </>
      );
      if (timelineEvent.detail)
        extra.push(
          <Typography.Text key="notes" style={{ fontSize: 13 }}>
            {timelineEvent.detail}
          </Typography.Text>,
        );
      if (timelineEvent.reason)
        extra.push(
          <Typography.Text key="outcome" type="secondary" style={{ fontSize: 13 }}>
            → {timelineEvent.reason}
          </Typography.Text>,
        );
      break;
    }
    case 'opportunity_changed':
    case 'account_changed':
      what =
        timelineEvent.field === 'status' && timelineEvent.to === 'open' ? (
          t('timeline.reopened')
        ) : (
          <>
            {t('timeline.changed', { field: words.field(timelineEvent.field ?? '') })}: {value(timelineEvent.from)} →{' '}
            {strong(value(timelineEvent.to))}
          </>
        );
      break;
  }
  // A close's reason is a loss-reason code or, for an earlier close, its stored parts.
  const why = words.reason(
    timelineEvent.kind === 'opportunity_closed' ? 'status' : (timelineEvent.field ?? ''),
    timelineEvent.reason,
  );
  // A team change's "reason" is the member's role on the deal.
  if (why && timelineEvent.field === 'team') extra.push(<Tag key="role">{why}</Tag>);
  else if (why && timelineEvent.kind !== 'review' && timelineEvent.kind !== 'activity')
    extra.push(<span key="why">{t('timeline.reason', { reason: why })}</span>);

  return (
    <div data-testid={`event-${timelineEvent.kind}`}>
      <div>{what}</div>
      {extra.length > 0 && (
        <Space size={4} wrap style={{ marginTop: 2 }}>
          {extra}
        </Space>
      )}
      <div>
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {timelineEvent.actorName ?? t('timeline.system')}
          {deal && <> · {deal}</>} · {dates.format(timelineEvent.at, 'dateTime')}
        </Typography.Text>
      </div>
    </div>
  );
}
