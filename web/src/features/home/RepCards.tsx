import { Col, Empty, Flex, List, Progress, Row, Statistic, Tag, Typography } from 'antd';
import { CalendarOutlined, FormOutlined, RightOutlined, TrophyOutlined } from '@ant-design/icons';
import { Link } from 'react-router';
import { mondayOf } from '../../../../src/domain/calendar.ts';
import { useMoney } from '../../i18n/money.ts';
import { useDates } from '../../i18n/useDates.ts';
import { useT } from '../../i18n/useI18n.ts';
import type { MessageKey } from '../../i18n/zh-CN.ts';
import { useCalendar } from '../calendar/api.ts';
import { useForecast } from '../forecast/api.ts';
import { useTasks, useWeeklyReport } from '../rhythm/api.ts';
import { toQuery } from './Desk.tsx';
import { HomeCard } from './HomeCard.tsx';

/**
 * A rep's home beyond the desk (issue 11): the day, the week's plan and summary, the quarter. Each card reads the
 * endpoint of the page it links to, under that page's query key, and its link opens that page with the same filter.
 */
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
  const late = overdue.data?.total ?? 0;
  const calendarLink = `/calendar?${toQuery({ date: today, view: 'day' })}`;
  return (
    <HomeCard
      testId="home-today"
      icon={<CalendarOutlined style={{ color: '#1d4ed8' }} />}
      title={t('home.today.title')}
      to={calendarLink}
      linkText={t('home.today.open')}
      query={day}
      rows={3}
      before={
        late > 0 && (
          <Link to="/tasks?due=overdue" data-testid="home-today-overdue">
            <Tag color="red" style={{ marginBottom: 8 }}>
              {t('home.today.overdueTasks', { n: late })} <RightOutlined style={{ fontSize: 10 }} />
            </Tag>
          </Link>
        )
      }
    >
      {(data) => {
        const entries = data.entries.filter((entry) => entry.date === today);
        return entries.length === 0 ? (
          <Empty
            image={Empty.PRESENTED_IMAGE_SIMPLE}
            description={t('home.today.empty')}
            data-testid="home-today-empty"
          >
            <Flex gap={8} justify="center" wrap>
              <Link to={calendarLink}>{t('home.today.open')}</Link>
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
        );
      }}
    </HomeCard>
  );
}

/** Whether this week's plan and summary are in, with a link to write them. */
function WeekCard() {
  const t = useT();
  const dates = useDates();
  const week = mondayOf(dates.today());
  const report = useWeeklyReport(week);
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
      query={report}
    >
      {(data) => (
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
  const figure = (title: string, value: string, color?: string) => (
    <Statistic title={title} value={value} styles={{ content: { fontSize: 18, ...(color ? { color } : {}) } }} />
  );
  return (
    <HomeCard
      testId="home-quarter"
      icon={<TrophyOutlined style={{ color: '#d97706' }} />}
      title={view.data ? t('home.quarter.title', { period: view.data.period.name }) : t('home.quarter.open')}
      to="/reports/forecast"
      linkText={t('home.quarter.open')}
      query={view}
    >
      {(data) => {
        const gap = Math.max(0, data.quota - data.realised);
        const attainment = data.quota > 0 ? Math.round((data.realised / data.quota) * 100) : 0;
        return (
          <Flex vertical gap={8}>
            <Row gutter={[12, 12]}>
              <Col span={12}>{figure(t('home.quarter.quota'), money(data.quota, true))}</Col>
              <Col span={12}>{figure(t('home.quarter.realised'), money(data.realised, true))}</Col>
              <Col span={12} data-testid="home-quarter-gap">
                {figure(
                  t('home.quarter.gap'),
                  data.quota === 0 ? '—' : gap === 0 ? t('home.quarter.met') : money(gap, true),
                  gap > 0 ? '#dc2626' : '#16a34a',
                )}
              </Col>
              <Col span={12}>{figure(t('home.quarter.forecast'), money(data.forecast, true))}</Col>
            </Row>
            {data.quota === 0 ? (
              <Typography.Text type="secondary" data-testid="home-quarter-no-quota">
                {t('home.quarter.noQuota')}
              </Typography.Text>
            ) : (
              <>
                <Progress percent={Math.min(100, attainment)} size="small" />
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {t('home.quarter.weeksLeft', { n: data.period.weeksLeft })}
                </Typography.Text>
              </>
            )}
          </Flex>
        );
      }}
    </HomeCard>
  );
}
