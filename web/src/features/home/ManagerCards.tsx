import { Col, Empty, Flex, List, Progress, Row, Tag, Typography } from 'antd';
import { AuditOutlined, FieldTimeOutlined, PhoneOutlined, TeamOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { mondayOf } from '../../../../src/domain/calendar.ts';
import { useDates } from '../../i18n/useDates.ts';
import { useT } from '../../i18n/useI18n.ts';
import { activityQueries } from '../activities/api.ts';
import { useCallbacks } from '../callbacks/api.ts';
import { useTeamReports, useWeeklyReview } from '../rhythm/api.ts';
import { DeskCard, SHOWN, toQuery } from './Desk.tsx';
import { HomeCard } from './HomeCard.tsx';

/**
 * A manager's home beyond the dashboard (issue 11): deals due for their 15- or 30-day look, weekly reports missing,
 * unconfirmed callbacks and follow-up compliance. Each card's link opens its page with the same filter.
 */
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
  type Row = NonNullable<typeof team.data>['items'][number];
  const names = (rows: Row[]) =>
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
      query={team}
    >
      {({ items }) => {
        const noPlan = items.filter((row) => row.planSubmittedAt === null);
        const noSummary = items.filter((row) => row.summarySubmittedAt === null);
        return items.length === 0 ? (
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
        );
      }}
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
  return (
    <HomeCard
      testId="home-cadence"
      icon={<PhoneOutlined style={{ color: '#0891b2' }} />}
      title={t('home.cadence.title')}
      to="/activities?tab=cadence"
      query={compliance}
      rows={3}
    >
      {(data) => {
        const laggards = data.items
          .filter((row) => row.compliance !== null && row.overdue > 0)
          .sort((first, second) => (first.compliance ?? 0) - (second.compliance ?? 0))
          .slice(0, 4);
        return data.totals.accounts === 0 ? (
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
        );
      }}
    </HomeCard>
  );
}
