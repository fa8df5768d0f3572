import type { ReactNode } from 'react';
import { Card, Col, Empty, Flex, List, Progress, Row, Skeleton, Statistic, Typography } from 'antd';
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
  const v = view.data;
  const g = gap.data;
  if (view.isError) return null;
  if (!v) return <Card><Skeleton active paragraph={{ rows: 4 }} /></Card>;
  const attainment = v.quota > 0 ? v.realised / v.quota : null;

  const tile = (title: string, value: string, extra: ReactNode, to: string, testId: string) => (
    <Col xs={12} md={8} xl={4}>
      <Link to={to} data-testid={testId} style={{ color: 'inherit' }}>
        <Statistic title={title} value={value} styles={{ content: { fontSize: 20 } }} />
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>{extra}</Typography.Text>
      </Link>
    </Col>
  );

  return (
    <Card data-testid="director-dashboard"
      title={<Flex vertical gap={0}><span>{t('dashboard.title', { scope: v.scope.name, period: v.period.name })}</span><Typography.Text type="secondary" style={{ fontSize: 12, fontWeight: 400 }}>{t('dashboard.weeksLeft', { n: v.period.weeksLeft })}</Typography.Text></Flex>}
      extra={<Link to="/reports/forecast">{t('dashboard.open')} <RightOutlined /></Link>}>
      <Row gutter={[16, 20]}>
        {tile(t('forecast.quota'), money(v.quota, true), v.quota === 0 ? t('dashboard.noQuota') : '\u00a0', '/reports/forecast', 'dash-quota')}
        {tile(t('forecast.realised'), money(v.realised, true), t('dashboard.attainment', { p: pct(attainment) }), '/reports/forecast', 'dash-realised')}
        {tile(t('forecast.forecast'), money(v.forecast, true), t('dashboard.completion', { p: pct(v.completion) }), '/reports/forecast', 'dash-forecast')}
        {tile(t('dashboard.funnel'), money(v.objective.expectedAmount, true), t('dashboard.funnelDeals', { n: v.objective.deals, amount: money(v.objective.amount, true) }), '/funnel', 'dash-funnel')}
        {tile(t('dashboard.gap'), g ? money(Math.max(0, g.gap0), true) : '—', g?.newAccountsPerWeek != null ? t('dashboard.newPerWeek', { n: Math.ceil(g.newAccountsPerWeek - 1e-9) }) : '\u00a0', '/reports/gap', 'dash-gap')}
        {tile(t('dashboard.submitted'), `${v.submitted}/${v.members}`, t('dashboard.thisWeek'), '/reports/forecast', 'dash-submitted')}
      </Row>
      <Progress style={{ marginTop: 12 }} percent={Math.min(100, Math.round((v.completion ?? 0) * 100))} success={{ percent: Math.min(100, Math.round((attainment ?? 0) * 100)) }} showInfo={false} />
      <Typography.Title level={5} style={{ marginTop: 16 }}>{t('dashboard.behind')}</Typography.Title>
      {behind.isPending ? <Skeleton active paragraph={{ rows: 2 }} /> : !behind.data?.items.length ? <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('dashboard.noBehind')} /> : (
        <List size="small" dataSource={behind.data.items} data-testid="dash-behind"
          renderItem={(i) => (
            <List.Item>
              <Flex vertical style={{ width: '100%' }} gap={2}>
                <Flex justify="space-between" gap={8} wrap>
                  <Link to={`/reports/forecast?scope=${i.kind}:${i.id}`}>{i.name}</Link>
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>{t('dashboard.behindLine', { realised: money(i.realised, true), quota: money(i.quota, true) })}</Typography.Text>
                </Flex>
                <Progress percent={Math.min(100, Math.round((i.attainment ?? 0) * 100))} size="small" status={(i.attainment ?? 0) < 0.5 ? 'exception' : 'normal'} format={() => pct(i.attainment)} />
              </Flex>
            </List.Item>
          )} />
      )}
    </Card>
  );
}
