import { useMemo } from 'react';
import { Alert, Card, Col, Empty, Flex, Row, Skeleton, Statistic, Table, Tag, Tooltip, Typography } from 'antd';
import { Link } from 'react-router';
import type { UseQueryResult } from '@tanstack/react-query';
import type { HealthResponse } from '../../../../src/contracts/funnel.ts';
import { EChart, type ChartOption } from '../../components/EChart.tsx';
import { problemMessage } from '../../api/problems.ts';
import { useMoney } from '../../i18n/money.ts';
import { useI18n, useT } from '../../i18n/useI18n.ts';

const num = (count: number | null | undefined, digits = 1) =>
  count === null || count === undefined ? '—' : Number.isInteger(count) ? String(count) : count.toFixed(digits);
const pct = (n: number | null | undefined) => (n === null || n === undefined ? '—' : `${Math.round(n * 100)}%`);

/**
 * Funnel health (docs/targets.md § Funnel health): yield against the quota, the balance of each
 * stage against the standard funnel with the shape flags, time in each stage, the week-by-week
 * flow projection against the wins still needed, and the new first-stage deals needed a week.
 */
export function HealthPanel({ query }: { query: UseQueryResult<HealthResponse> }) {
  const t = useT();
  const say = useI18n();
  const money = useMoney();
  const health = query.data;
  const chart = useMemo<ChartOption | null>(() => {
    if (!health || health.projection.length === 0) return null;
    const perWeek =
      health.winsNeeded !== null && health.period.weeksLeft > 0 ? health.winsNeeded / health.period.weeksLeft : null;
    return {
      tooltip: { trigger: 'axis' },
      legend: { top: 0 },
      grid: { left: 36, right: 8, top: 32, bottom: 24 },
      xAxis: { type: 'category', data: health.projection.map((w) => t('funnel.weekN', { n: w.week })) },
      yAxis: { type: 'value' },
      series: [
        {
          name: t('funnel.projectedWins'),
          type: 'bar',
          data: health.projection.map((w) => Math.round(w.wins * 10) / 10),
          itemStyle: { color: '#1d4ed8' },
        },
        ...(perWeek !== null
          ? [
              {
                name: t('funnel.winsNeededPerWeek'),
                type: 'line' as const,
                data: health.projection.map(() => Math.round(perWeek * 10) / 10),
                itemStyle: { color: '#dc2626' },
                symbol: 'none',
              },
            ]
          : []),
      ],
    };
  }, [health, t]);
  if (query.isError) return <Alert type="warning" showIcon message={problemMessage(query.error, say)} />;
  if (!health)
    return (
      <Card size="small" title={t('funnel.health')}>
        <Skeleton active />
      </Card>
    );
  type StageRow = HealthResponse['stages'][number];
  const flags = [
    health.flags.topHeavy && 'topHeavy',
    health.flags.bottomHeavy && 'bottomHeavy',
    health.flags.hollowMiddle && 'hollowMiddle',
  ].filter(Boolean) as ('topHeavy' | 'bottomHeavy' | 'hollowMiddle')[];
  return (
    <Card size="small" title={t('funnel.health')} data-testid="funnel-health">
      <Row gutter={[12, 12]}>
        <Col xs={12} md={6}>
          <Statistic title={t('funnel.quota')} value={money(health.quota, true)} />
        </Col>
        <Col xs={12} md={6}>
          <Statistic title={t('funnel.realised')} value={money(health.realised, true)} />
        </Col>
        <Col xs={12} md={6}>
          <Statistic title={t('funnel.expectedAmount')} value={money(health.yield.expectedAmount, true)} />
        </Col>
        <Col xs={12} md={6}>
          <Statistic title={t('funnel.coverage')} value={pct(health.yield.coverage)} data-testid="funnel-coverage" />
        </Col>
      </Row>
      {health.quota === 0 && (
        <Alert
          style={{ marginTop: 12 }}
          type="info"
          showIcon
          message={t('funnel.noQuota')}
          action={<Link to="/funnel/quotas">{t('quotas.title')}</Link>}
        />
      )}
      <Flex gap={8} wrap style={{ margin: '12px 0' }}>
        {flags.length === 0 ? (
          <Tag color="green">{t('funnel.flag.balanced')}</Tag>
        ) : (
          flags.map((flag) => (
            <Tooltip key={flag} title={t(`funnel.flag.${flag}.hint`)}>
              <Tag color="orange">{t(`funnel.flag.${flag}`)}</Tag>
            </Tooltip>
          ))
        )}
        {health.averageDeal !== null && (
          <Tag>
            {t(health.averageDealBasis === 'won' ? 'funnel.averageDealWon' : 'funnel.averageDealOpen')}:{' '}
            {money(health.averageDeal, true)}
          </Tag>
        )}
        {health.standard && <Tag>{t('funnel.standardNew', { n: health.standard.newPerWeek })}</Tag>}
      </Flex>
      <Table<StageRow>
        size="small"
        rowKey="stageId"
        pagination={false}
        scroll={{ x: 'max-content' }}
        dataSource={health.stages}
        expandable={{
          rowExpandable: (s) => s.over.length > 0,
          expandedRowRender: (stage) => (
            <ul style={{ margin: 0 }}>
              {stage.over.map((overItem) => (
                <li key={overItem.id}>
                  <Link to={`/opportunities/${overItem.id}`}>{overItem.name}</Link> ·{' '}
                  {t('funnel.days', { n: Math.round(overItem.days * 10) / 10 })} · {money(overItem.amount, true)}
                </li>
              ))}
            </ul>
          ),
        }}
        columns={[
          { title: t('funnel.stage'), dataIndex: 'name' },
          { title: t('funnel.count'), dataIndex: 'count', align: 'right' },
          {
            title: t('funnel.standard'),
            dataIndex: 'standard',
            align: 'right',
            render: (n: number | null) => n ?? '—',
          },
          {
            title: t('funnel.balance'),
            dataIndex: 'balance',
            align: 'right',
            render: (second: number | null) =>
              second === null ? (
                '—'
              ) : (
                <Typography.Text type={second < 0.6 ? 'danger' : second > 1.5 ? 'warning' : undefined}>
                  {pct(second)}
                </Typography.Text>
              ),
          },
          {
            title: t('funnel.medianDays'),
            dataIndex: 'medianDays',
            align: 'right',
            render: (n: number | null) => num(n),
          },
          { title: t('funnel.p80Days'), dataIndex: 'p80Days', align: 'right', render: (n: number | null) => num(n) },
          { title: t('funnel.expectedDays'), dataIndex: 'expectedDays', align: 'right' },
          {
            title: t('funnel.overCount'),
            dataIndex: 'overCount',
            align: 'right',
            render: (n: number) => (n > 0 ? <Typography.Text type="danger">{n}</Typography.Text> : 0),
          },
        ]}
      />
      <Typography.Title level={5} style={{ marginTop: 16 }}>
        {t('funnel.projection')}
      </Typography.Title>
      {chart ? (
        <EChart option={chart} height={220} label={t('funnel.projection')} />
      ) : (
        <Empty description={t('funnel.noWeeksLeft')} />
      )}
      {health.gap && (
        <Alert
          style={{ marginTop: 12 }}
          type={health.gap.gapAmount > 0 ? 'warning' : 'success'}
          showIcon
          data-testid="funnel-gap"
          message={
            health.gap.gapAmount > 0
              ? t('funnel.gapOpen', {
                  amount: money(health.gap.gapAmount, true),
                  deals: num(health.gap.gapDeals),
                  first: Math.ceil(health.gap.firstStageNeeded),
                  perWeek: health.gap.perWeek === null ? '—' : Math.ceil(health.gap.perWeek),
                })
              : t('funnel.gapCovered', { amount: money(-health.gap.gapAmount, true) })
          }
        />
      )}
      {health.gap?.perWeek === null && health.gap.gapAmount > 0 && (
        <Typography.Paragraph type="secondary" style={{ marginTop: 8 }}>
          {t('funnel.tooLate')}
        </Typography.Paragraph>
      )}
    </Card>
  );
}
