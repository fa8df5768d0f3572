import type { ReactNode } from 'react';
import { Button, Card, Col, Empty, Flex, List, Progress, Row, Skeleton, Statistic, Tag, Typography } from 'antd';
import {
  AuditOutlined,
  CalendarOutlined,
  FieldTimeOutlined,
  FormOutlined,
  PhoneOutlined,
  RightOutlined,
  TeamOutlined,
  TrophyOutlined,
} from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { mondayOf } from '../../../../src/domain/calendar.ts';
import { LoadError } from '../../components/LoadError.tsx';
import { useMoney } from '../../i18n/money.ts';
import { useDates } from '../../i18n/useDates.ts';
import { useT } from '../../i18n/useI18n.ts';
import type { MessageKey } from '../../i18n/zh-CN.ts';
import { activityQueries } from '../activities/api.ts';
import { useCalendar } from '../calendar/api.ts';
import { useCallbacks } from '../callbacks/api.ts';
import { useForecast } from '../forecast/api.ts';
import { useTasks, useTeamReports, useWeeklyReport, useWeeklyReview } from '../rhythm/api.ts';
import { DeskCard, toQuery } from './Desk.tsx';

/**
 * The cards of each role's home page beyond the desk (issue 11): a rep's day, week and quarter; a
 * manager's reviews due, missing weekly reports, unconfirmed callbacks and follow-up compliance;
 * an auditor's callbacks. Each reads the endpoint of the page it links to, under that page's
 * query key, and its link opens that page with the same filter; an empty card says what to do.
 */

const SHOWN = 5;

/** A card that is not a list: a title with an icon and a link, the body, and an empty state. */
function HomeCard({
  testId,
  icon,
  title,
  to,
  linkText,
  children,
}: {
  testId: string;
  icon: ReactNode;
  title: string;
  to: string;
  linkText?: string;
  children: ReactNode;
}) {
  const t = useT();
  return (
    <Card
      data-testid={testId}
      style={{ height: '100%' }}
      styles={{ body: { paddingTop: 12 }, title: { whiteSpace: 'normal' } }}
      title={
        <Flex gap={8} align="center">
          {icon}
          <span>{title}</span>
        </Flex>
      }
      extra={
        <Link to={to} data-testid={`${testId}-link`}>
          {linkText ?? t('home.desk.viewAll')} <RightOutlined style={{ fontSize: 10 }} />
        </Link>
      }
    >
      {children}
    </Card>
  );
}

/** The rep's row: today, this week's plan and summary, the period's numbers. */
export function RepCards() {
  return (
    <Row gutter={[20, 20]} data-testid="rep-cards">
      <Col xs={24} xl={8}>
        <TodayCard />
      </Col>
      <Col xs={24} md={12} xl={8}>
        <WeekCard />
      </Col>
      <Col xs={24} md={12} xl={8}>
        <QuarterCard />
      </Col>
    </Row>
  );
}

/** Today's planned visits and due tasks (the calendar's day), and how many tasks are overdue. */
export function TodayCard() {
  const t = useT();
  const dates = useDates();
  const today = dates.today();
  const day = useCalendar({ from: today, days: 1 });
  const overdue = useTasks({ scope: 'mine', status: 'open', due: 'overdue', limit: 1, offset: 0 });
  const entries = (day.data?.entries ?? []).filter((entry) => entry.date === today);
  const late = overdue.data?.total ?? 0;
  return (
    <HomeCard
      testId="home-today"
      icon={<CalendarOutlined style={{ color: '#1d4ed8' }} />}
      title={t('home.today.title')}
      to={`/calendar?${toQuery({ date: today, view: 'day' })}`}
      linkText={t('home.today.open')}
    >
      {late > 0 && (
        <Link to="/tasks?due=overdue" data-testid="home-today-overdue">
          <Tag color="red" style={{ marginBottom: 8 }}>
            {t('home.today.overdueTasks', { n: late })} <RightOutlined style={{ fontSize: 10 }} />
          </Tag>
        </Link>
      )}
      {day.isError && !day.data ? (
        <LoadError error={day.error} onRetry={() => void day.refetch()} />
      ) : !day.data ? (
        <Skeleton active paragraph={{ rows: 3 }} />
      ) : entries.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('home.today.empty')} data-testid="home-today-empty">
          <Flex gap={8} justify="center" wrap>
            <Link to={`/calendar?${toQuery({ date: today, view: 'day' })}`}>{t('home.today.open')}</Link>
            {late > 0 && <Link to="/tasks?due=overdue">{t('home.today.toTasks')}</Link>}
          </Flex>
        </Empty>
      ) : (
        <List
          size="small"
          dataSource={entries.slice(0, 6)}
          renderItem={(entry) => (
            <List.Item key={`${entry.kind}-${entry.id}`}>
              <Flex vertical style={{ minWidth: 0, width: '100%' }}>
                <Flex gap={8} align="center" style={{ minWidth: 0 }}>
                  {entry.startAt !== null && (
                    <Typography.Text type="secondary" style={{ fontSize: 12, flexShrink: 0 }}>
                      {dates.format(entry.startAt, 'time')}
                    </Typography.Text>
                  )}
                  {entry.activityType ? (
                    <Tag style={{ margin: 0 }}>{t(`activities.type.${entry.activityType}` as MessageKey)}</Tag>
                  ) : (
                    <Tag color={entry.overdue ? 'red' : 'blue'} style={{ margin: 0 }}>
                      {t('nav.tasks')}
                    </Tag>
                  )}
                  <Typography.Text ellipsis style={{ minWidth: 0 }}>
                    {entry.title || t('home.today.untitled')}
                  </Typography.Text>
                </Flex>
                {entry.account && (
                  <Link to={`/accounts/${entry.account.id}`} style={{ fontSize: 12 }}>
                    {entry.account.name}
                  </Link>
                )}
              </Flex>
            </List.Item>
          )}
        />
      )}
    </HomeCard>
  );
}

/** Whether this week's plan and summary are in, with a link to write them. */
function WeekCard() {
  const t = useT();
  const dates = useDates();
  const week = mondayOf(dates.today());
  const report = useWeeklyReport(week);
  const data = report.data;
  const line = (label: string, submittedAt: number | null, started: boolean, testId: string) => (
    <Flex justify="space-between" align="center" gap={8} wrap data-testid={testId}>
      <Typography.Text strong>{label}</Typography.Text>
      {submittedAt ? (
        <Tag color="green" style={{ margin: 0 }}>
          {t('home.week.submitted', { date: dates.format(submittedAt, 'monthDayTime') })}
        </Tag>
      ) : (
        <Flex gap={8} align="center">
          <Tag color={started ? 'gold' : 'red'} style={{ margin: 0 }}>
            {t(started ? 'home.week.draft' : 'home.week.missing')}
          </Tag>
          <Link to={`/weekly-reports?${toQuery({ week })}`}>{t('home.week.write')}</Link>
        </Flex>
      )}
    </Flex>
  );
  return (
    <HomeCard
      testId="home-week"
      icon={<FormOutlined style={{ color: '#7c3aed' }} />}
      title={t('home.week.title')}
      to={`/weekly-reports?${toQuery({ week })}`}
    >
      {report.isError && !data ? (
        <LoadError error={report.error} onRetry={() => void report.refetch()} />
      ) : !data ? (
        <Skeleton active paragraph={{ rows: 2 }} />
      ) : (
        <Flex vertical gap={12}>
          {line(
            t('home.week.plan'),
            data.planSubmittedAt,
            data.plan.visits !== null || data.plan.targets !== null || data.plan.deals.length > 0,
            'home-week-plan',
          )}
          {line(
            t('home.week.summary'),
            data.summarySubmittedAt,
            data.summary.done !== null || data.summary.progress !== null || data.summary.problems.length > 0,
            'home-week-summary',
          )}
          {data.comments.length > 0 && (
            <Typography.Text type="secondary">{t('home.week.comments', { n: data.comments.length })}</Typography.Text>
          )}
        </Flex>
      )}
    </HomeCard>
  );
}

/** The caller's own period: quota, won, the gap and this week's forecast (the forecast page's default scope). */
function QuarterCard() {
  const t = useT();
  const money = useMoney();
  const view = useForecast({});
  const data = view.data;
  const gap = data ? Math.max(0, data.quota - data.realised) : 0;
  const attainment = data && data.quota > 0 ? Math.round((data.realised / data.quota) * 100) : null;
  return (
    <HomeCard
      testId="home-quarter"
      icon={<TrophyOutlined style={{ color: '#d97706' }} />}
      title={data ? t('home.quarter.title', { period: data.period.name }) : t('home.quarter.open')}
      to="/reports/forecast"
      linkText={t('home.quarter.open')}
    >
      {view.isError && !data ? (
        <LoadError error={view.error} onRetry={() => void view.refetch()} />
      ) : !data ? (
        <Skeleton active paragraph={{ rows: 2 }} />
      ) : (
        <Flex vertical gap={8}>
          <Row gutter={[12, 12]}>
            <Col span={12}>
              <Statistic
                title={t('home.quarter.quota')}
                value={money(data.quota, true)}
                styles={{ content: { fontSize: 18 } }}
              />
            </Col>
            <Col span={12}>
              <Statistic
                title={t('home.quarter.realised')}
                value={money(data.realised, true)}
                styles={{ content: { fontSize: 18 } }}
              />
            </Col>
            <Col span={12} data-testid="home-quarter-gap">
              <Statistic
                title={t('home.quarter.gap')}
                value={data.quota === 0 ? '—' : gap === 0 ? t('home.quarter.met') : money(gap, true)}
                styles={{ content: { fontSize: 18, color: gap > 0 ? '#dc2626' : '#16a34a' } }}
              />
            </Col>
            <Col span={12}>
              <Statistic
                title={t('home.quarter.forecast')}
                value={money(data.forecast, true)}
                styles={{ content: { fontSize: 18 } }}
              />
            </Col>
          </Row>
          {data.quota === 0 ? (
            <Typography.Text type="secondary" data-testid="home-quarter-no-quota">
              {t('home.quarter.noQuota')}
            </Typography.Text>
          ) : (
            <>
              <Progress percent={Math.min(100, attainment ?? 0)} size="small" />
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {t('home.quarter.weeksLeft', { n: data.period.weeksLeft })}
              </Typography.Text>
            </>
          )}
        </Flex>
      )}
    </HomeCard>
  );
}

/** The manager's row: reviews due, weekly reports missing, unconfirmed callbacks, follow-up compliance. */
export function ManagerCards() {
  return (
    <Row gutter={[20, 20]} data-testid="manager-cards">
      <Col xs={24} md={12} xl={6}>
        <ReviewCard />
      </Col>
      <Col xs={24} md={12} xl={6}>
        <ReportsCard />
      </Col>
      <Col xs={24} md={12} xl={6}>
        <CallbacksCard />
      </Col>
      <Col xs={24} md={12} xl={6}>
        <CadenceCard />
      </Col>
    </Row>
  );
}

/** The team's deals with a 15-day check or 30-day judgement due this week. */
function ReviewCard() {
  const t = useT();
  const review = useWeeklyReview({ due: 'checkpoints', limit: SHOWN, offset: 0 });
  return (
    <DeskCard
      testId="home-review"
      icon={<FieldTimeOutlined style={{ color: '#0f766e' }} />}
      title={t('home.review.title')}
      query={review}
      more={`/weekly-review?${toQuery({ due: 'checkpoints' })}`}
      empty={t('home.review.empty')}
      render={(item) => {
        const due = (['day15', 'day30'] as const).filter((kind) => item[kind].due && !item[kind].done);
        return (
          <List.Item key={item.id}>
            <Flex vertical style={{ minWidth: 0, width: '100%' }}>
              <Link to={`/opportunities/${item.id}`} style={{ fontWeight: 500 }}>
                {item.name}
              </Link>
              <Flex gap={4} wrap align="center">
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {item.owner.name}
                </Typography.Text>
                {due.map((kind) => (
                  <Tag key={kind} color={item[kind].overdue ? 'red' : 'gold'} style={{ margin: 0, fontSize: 11 }}>
                    {t(`home.review.${kind}`)}
                    {item[kind].overdue ? ` · ${t('home.review.overdue')}` : ''}
                  </Tag>
                ))}
              </Flex>
            </Flex>
          </List.Item>
        );
      }}
    />
  );
}

/** Who in the team has not submitted this week's plan or summary. */
function ReportsCard() {
  const t = useT();
  const dates = useDates();
  const week = mondayOf(dates.today());
  const team = useTeamReports(week, true);
  const items = team.data?.items ?? [];
  const noPlan = items.filter((row) => row.planSubmittedAt === null);
  const noSummary = items.filter((row) => row.summarySubmittedAt === null);
  const names = (rows: typeof items) =>
    rows
      .slice(0, 6)
      .map((row) => row.user.name)
      .join('、') + (rows.length > 6 ? ' …' : '');
  return (
    <HomeCard
      testId="home-reports"
      icon={<TeamOutlined style={{ color: '#7c3aed' }} />}
      title={t('home.reports.title')}
      to={`/weekly-reports?${toQuery({ tab: 'team', week })}`}
    >
      {team.isError && !team.data ? (
        <LoadError error={team.error} onRetry={() => void team.refetch()} />
      ) : !team.data ? (
        <Skeleton active paragraph={{ rows: 2 }} />
      ) : items.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('home.reports.nobody')} />
      ) : noPlan.length === 0 && noSummary.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('home.reports.allIn')} />
      ) : (
        <Flex vertical gap={12}>
          {noPlan.length > 0 && (
            <div data-testid="home-reports-plan">
              <Typography.Text strong type="danger">
                {t('home.reports.planMissing', { n: noPlan.length })}
              </Typography.Text>
              <div>
                <Typography.Text type="secondary">{names(noPlan)}</Typography.Text>
              </div>
            </div>
          )}
          {noSummary.length > 0 && (
            <div data-testid="home-reports-summary">
              <Typography.Text strong>{t('home.reports.summaryMissing', { n: noSummary.length })}</Typography.Text>
              <div>
                <Typography.Text type="secondary">{names(noSummary)}</Typography.Text>
              </div>
            </div>
          )}
        </Flex>
      )}
    </HomeCard>
  );
}

/** Callbacks the customer did not confirm: visits to ask the rep about. */
function CallbacksCard() {
  const t = useT();
  const dates = useDates();
  const callbacks = useCallbacks({ state: 'not_confirmed', sort: '-visitAt', limit: SHOWN, offset: 0 });
  return (
    <DeskCard
      testId="home-callbacks"
      icon={<AuditOutlined style={{ color: '#dc2626' }} />}
      title={t('home.callbacks.title')}
      query={callbacks}
      more="/rhythm/callbacks"
      empty={t('home.callbacks.empty')}
      render={(callback) => (
        <List.Item key={callback.id}>
          <Flex vertical style={{ minWidth: 0, width: '100%' }}>
            <Link to={`/accounts/${callback.account.id}`} style={{ fontWeight: 500 }}>
              {callback.account.name}
            </Link>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {callback.rep.name} ·{' '}
              {t('home.callbacks.visitOn', { date: dates.format(callback.visit.startAt, 'monthDay') })}
            </Typography.Text>
          </Flex>
        </List.Item>
      )}
    />
  );
}

/** The team's follow-up compliance and the people furthest behind on it. */
function CadenceCard() {
  const t = useT();
  const compliance = useQuery(activityQueries.compliance({}));
  const data = compliance.data;
  const laggards = (data?.items ?? [])
    .filter((row) => row.compliance !== null && row.overdue > 0)
    .sort((first, second) => (first.compliance ?? 0) - (second.compliance ?? 0))
    .slice(0, 4);
  return (
    <HomeCard
      testId="home-cadence"
      icon={<PhoneOutlined style={{ color: '#0891b2' }} />}
      title={t('home.cadence.title')}
      to="/activities?tab=cadence"
    >
      {compliance.isError && !data ? (
        <LoadError error={compliance.error} onRetry={() => void compliance.refetch()} />
      ) : !data ? (
        <Skeleton active paragraph={{ rows: 3 }} />
      ) : data.totals.accounts === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('home.cadence.empty')} />
      ) : (
        <Flex vertical gap={8}>
          <Typography.Text strong data-testid="home-cadence-rate">
            {t('home.cadence.rate', { rate: `${data.totals.compliance ?? 0}%` })}
          </Typography.Text>
          <Progress percent={Math.round(data.totals.compliance ?? 0)} size="small" showInfo={false} />
          <List
            size="small"
            dataSource={laggards}
            renderItem={(row) => (
              <List.Item key={row.userId}>
                <Flex justify="space-between" style={{ width: '100%' }} gap={8}>
                  <Link to={`/accounts?${toQuery({ ownerId: row.userId, overdue: 'true' })}`}>{row.userName}</Link>
                  <Typography.Text type="secondary" style={{ whiteSpace: 'nowrap' }}>
                    {row.compliance}% · {t('home.cadence.overdue', { n: row.overdue })}
                  </Typography.Text>
                </Flex>
              </List.Item>
            )}
          />
        </Flex>
      )}
    </HomeCard>
  );
}

/** The auditor's home: the callbacks assigned to them, oldest visit first, and their day. */
export function AuditorCards() {
  const t = useT();
  const dates = useDates();
  const callbacks = useCallbacks({ state: 'open', sort: 'visitAt', limit: SHOWN, offset: 0 });
  return (
    <Row gutter={[20, 20]} data-testid="auditor-cards">
      <Col xs={24} xl={14}>
        <DeskCard
          testId="home-auditor-callbacks"
          icon={<PhoneOutlined style={{ color: '#1d4ed8' }} />}
          title={t('home.auditor.title')}
          query={callbacks}
          more="/rhythm/callbacks"
          empty={t('home.auditor.empty')}
          render={(callback) => {
            const contact = callback.contacts[0];
            const number = contact?.mobile ?? contact?.phone ?? null;
            return (
              <List.Item key={callback.id}>
                <Flex vertical style={{ minWidth: 0, width: '100%' }}>
                  <Flex justify="space-between" gap={8} wrap>
                    <Typography.Text strong>{callback.account.name}</Typography.Text>
                    {contact && number && (
                      <Button size="small" icon={<PhoneOutlined />} href={`tel:${number}`}>
                        {t('home.auditor.call', { name: contact.name })}
                      </Button>
                    )}
                  </Flex>
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {callback.rep.name} ·{' '}
                    {t('home.callbacks.visitOn', { date: dates.format(callback.visit.startAt, 'monthDay') })}
                  </Typography.Text>
                </Flex>
              </List.Item>
            );
          }}
        />
      </Col>
      <Col xs={24} xl={10}>
        <TodayCard />
      </Col>
    </Row>
  );
}
