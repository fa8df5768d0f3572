import type { ReactNode } from 'react';
import { Card, Col, Empty, Flex, Grid, List, Progress, Row, Skeleton, Statistic, Typography } from 'antd';
import { RightOutlined } from '@ant-design/icons';
import { Link } from 'react-router';
import { useMoney } from '../../i18n/money.ts';
import { useT } from '../../i18n/useI18n.ts';
import { useBehind, useForecast, useGap } from './api.ts';

const pct = (x: number | null | undefined) => (x === null || x === undefined ? '—' : `${Math.round(x * 100)}%`);

/**
 * The director's dashboard (docs/targets.md): the home page of executives and managers opens on
 * their scope's quarter — quota, realised, forecast, the funnel's objective figure, the gap, and
 * the three units or people furthest behind — each a link to its report.
 */
export function DirectorDashboard() {
  const t = useT();
  const money = useMoney();
  const view = useForecast({});
  const gap = useGap({});
  const behind = useBehind({});
  const screens = Grid.useBreakpoint();
  const data = view.data;
  const group = gap.data;
  if (view.isError) return null;
  if (!data)
    return (
      <Card>
        <Skeleton active paragraph={{ rows: 4 }} />
      </Card>
    );
  const attainment = data.quota > 0 ? data.realised / data.quota : null;

  // What closing the gap takes: the quota is met, the open deals cover it, or new customers a week.
  const gapLine = () => {
    if (!group) return '\u00a0';
    if (group.gap0 <= 0) return t('dashboard.quotaMet');
    if (group.newAccountsPerWeek === null) return '\u00a0';
    const perWeek = Math.ceil(group.newAccountsPerWeek - 1e-9);
    return perWeek > 0 ? t('dashboard.newPerWeek', { n: perWeek }) : t('dashboard.pipelineCovers');
  };

  const tile = (title: string, value: string, extra: ReactNode, to: string, testId: string) => (
    <Col xs={12} md={8} xl={4}>
      <Link to={to} data-testid={testId} style={{ color: 'inherit' }}>
        <Statistic title={title} value={value} styles={{ content: { fontSize: 20 } }} />
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {extra}
        </Typography.Text>
      </Link>
    </Col>
  );

  return (
    <Card
      data-testid="director-dashboard"
      // A phone has room for the scope and quarter only on two lines: the title wraps instead of being cut.
      styles={{ title: { whiteSpace: 'normal', overflow: 'visible' } }}
      title={
        <Flex vertical gap={0}>
          <span>{t('dashboard.title', { scope: data.scope.name, period: data.period.name })}</span>
          <Typography.Text type="secondary" style={{ fontSize: 12, fontWeight: 400 }}>
            {t('dashboard.weeksLeft', { n: data.period.weeksLeft })}
          </Typography.Text>
        </Flex>
      }
      extra={
        <Link to="/reports/forecast" aria-label={t('dashboard.open')}>
          {screens.sm ? <>{t('dashboard.open')} </> : null}
          <RightOutlined />
        </Link>
      }
    >
      <Row gutter={[16, 20]}>
        {tile(
          t('forecast.quota'),
          money(data.quota, true),
          data.quota === 0 ? t('dashboard.noQuota') : '\u00a0',
          '/reports/forecast',
          'dash-quota',
        )}
        {tile(
          t('forecast.realised'),
          money(data.realised, true),
          t('dashboard.attainment', { p: pct(attainment) }),
          '/reports/forecast',
          'dash-realised',
        )}
        {tile(
          t('forecast.forecast'),
          money(data.forecast, true),
          t('dashboard.completion', { p: pct(data.completion) }),
          '/reports/forecast',
          'dash-forecast',
        )}
        {tile(
          t('dashboard.funnel'),
          money(data.objective.expectedAmount, true),
          t('dashboard.funnelDeals', { n: data.objective.deals, amount: money(data.objective.amount, true) }),
          '/funnel',
          'dash-funnel',
        )}
        {tile(
          t('dashboard.gap'),
          group ? money(Math.max(0, group.gap0), true) : '—',
          gapLine(),
          '/reports/gap',
          'dash-gap',
        )}
        {tile(
          t('dashboard.submitted'),
          `${data.submitted}/${data.members}`,
          t('dashboard.thisWeek'),
          '/reports/forecast',
          'dash-submitted',
        )}
      </Row>
      <Progress
        style={{ marginTop: 12 }}
        percent={Math.min(100, Math.round((data.completion ?? 0) * 100))}
        success={{ percent: Math.min(100, Math.round((attainment ?? 0) * 100)) }}
        showInfo={false}
      />
      <Typography.Title level={5} style={{ marginTop: 16 }}>
        {t('dashboard.behind')}
      </Typography.Title>
      {behind.isPending ? (
        <Skeleton active paragraph={{ rows: 2 }} />
      ) : !behind.data?.items.length ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('dashboard.noBehind')} />
      ) : (
        <List
          size="small"
          dataSource={behind.data.items}
          data-testid="dash-behind"
          renderItem={(item) => (
            <List.Item>
              <Flex vertical style={{ width: '100%' }} gap={2}>
                <Flex justify="space-between" gap={8} wrap>
                  <Link to={`/reports/forecast?scope=${item.kind}:${item.id}`}>{item.name}</Link>
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {t('dashboard.behindLine', {
                      realised: money(item.realised, true),
                      quota: money(item.quota, true),
                    })}
                  </Typography.Text>
                </Flex>
                <Progress
                  percent={Math.min(100, Math.round((item.attainment ?? 0) * 100))}
                  size="small"
                  status={(item.attainment ?? 0) < 0.5 ? 'exception' : 'normal'}
                  format={() => pct(item.attainment)}
                />
              </Flex>
            </List.Item>
          )}
        />
      )}
    </Card>
  );
}
