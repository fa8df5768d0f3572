import { useMemo, useState } from 'react';
import {
  Alert,
  Button,
  Card,
  Col,
  Empty,
  Flex,
  Progress,
  Row,
  Skeleton,
  Statistic,
  Table,
  Tag,
  Typography,
} from 'antd';
import { EditOutlined, SendOutlined } from '@ant-design/icons';
import type { AccuracyRow, ForecastView } from '../../../../src/contracts/forecasts.ts';
import { EChart, type ChartOption } from '../../components/EChart.tsx';
import { useMoney } from '../../i18n/money.ts';
import { useT } from '../../i18n/useI18n.ts';
import { useCan } from '../auth/session.ts';
import { AdjustModal } from './AdjustModal.tsx';
import { useAccuracy, useForecast } from './api.ts';
import { ExportReport } from './ExportReport.tsx';
import { ReportPending } from './ReportPending.tsx';
import { LineSelect, ScopeBar, useLineName, useScopeParams } from './ScopeBar.tsx';
import { SubmitDrawer } from './SubmitDrawer.tsx';

const pct = (x: number | null | undefined) => (x === null || x === undefined ? '—' : `${Math.round(x * 100)}%`);

/**
 * The revenue forecast of a scope (docs/targets.md § Revenue forecast): the reps' latest
 * submissions in the formula, beside the funnel's objective figure and the manager's adjusted
 * one; the week-by-week history, each person, and accuracy.
 */
export default function ForecastPage() {
  const t = useT();
  const lineName = useLineName();
  const money = useMoney();
  const can = useCan();
  const [params, set] = useScopeParams();
  const view = useForecast(params);
  const accuracy = useAccuracy(params);
  const [submitting, setSubmitting] = useState(false);
  const [adjusting, setAdjusting] = useState(false);
  const data = view.data;

  const chart = useMemo<ChartOption | null>(() => {
    if (!data || data.weeks.length === 0) return null;
    return {
      tooltip: { trigger: 'axis' },
      legend: { top: 0 },
      grid: { left: 56, right: 8, top: 32, bottom: 24 },
      xAxis: { type: 'category', data: data.weeks.map((w) => w.weekStart.slice(5)) },
      yAxis: { type: 'value', axisLabel: { formatter: (n: number) => money(n * 100, true) } },
      series: [
        {
          name: t('forecast.submitted'),
          type: 'bar',
          data: data.weeks.map((w) => Math.round(w.forecast / 100)),
          itemStyle: { color: '#1d4ed8' },
        },
        {
          name: t('forecast.adjusted'),
          type: 'bar',
          data: data.weeks.map((w) => (w.adjusted === null ? null : Math.round(w.adjusted / 100))),
          itemStyle: { color: '#f59e0b' },
        },
      ],
    };
  }, [data, t, money]);

  const controls = (
    <Flex gap={8} wrap>
      <ScopeBar params={params} set={set} shown={data?.scope} currentPeriod={data?.period.name} />
      <LineSelect params={params} set={set} />
      {can('forecasts.submit') && (
        <Button type="primary" icon={<SendOutlined />} onClick={() => setSubmitting(true)} data-testid="open-submit">
          {t('forecast.submit.open')}
        </Button>
      )}
      {data?.scope.kind === 'unit' && can('forecasts.adjust') && (
        <Button icon={<EditOutlined />} onClick={() => setAdjusting(true)} data-testid="open-adjust">
          {t('forecast.adjust.open')}
        </Button>
      )}
      <ExportReport report="forecast" params={params} />
    </Flex>
  );

  if (view.isError || !data) return <ReportPending controls={controls} report={view} onBack={() => set({})} />;

  return (
    <Flex vertical gap={16}>
      {controls}
      <Typography.Text type="secondary">
        {t('forecast.viewOf', { scope: data.scope.name, period: data.period.name, left: data.period.weeksLeft })}
      </Typography.Text>
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={14}>
          <Card title={t('forecast.title')} data-testid="forecast-summary" style={{ height: '100%' }}>
            <Row gutter={[12, 16]}>
              <Col xs={12} sm={8}>
                <Statistic title={t('forecast.quota')} value={money(data.quota)} />
              </Col>
              <Col xs={12} sm={8}>
                <Statistic title={t('forecast.realised')} value={money(data.realised)} />
              </Col>
              <Col xs={12} sm={8}>
                <Statistic title={t('forecast.forecast')} value={money(data.forecast)} data-testid="forecast-value" />
              </Col>
              <Col xs={12} sm={8}>
                <Statistic title={t('forecast.commit')} value={money(data.commit)} />
              </Col>
              <Col xs={12} sm={8}>
                <Statistic title={t('forecast.possible')} value={money(data.possible)} />
              </Col>
              <Col xs={12} sm={8}>
                <Statistic title={t('forecast.objective')} value={money(data.objective.expectedAmount)} />
              </Col>
            </Row>
            {data.line && (
              // A line's own figures; the submissions above stay per rep, of every line.
              <Row gutter={[12, 16]} style={{ marginTop: 16 }} data-testid="forecast-line">
                <Col span={24}>
                  <Typography.Text strong>
                    {t('forecast.line.title', { line: lineName(data.line.key) })}
                  </Typography.Text>
                </Col>
                <Col xs={12} sm={8}>
                  <Statistic title={t('forecast.line.quota')} value={money(data.line.quota)} />
                </Col>
                <Col xs={12} sm={8}>
                  <Statistic title={t('forecast.realised')} value={money(data.line.realised)} />
                </Col>
                <Col xs={12} sm={8}>
                  <Statistic title={t('forecast.objective')} value={money(data.line.objective.expectedAmount)} />
                </Col>
                <Col span={24}>
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {t('forecast.line.perRep')}
                  </Typography.Text>
                </Col>
              </Row>
            )}
            <Progress
              style={{ marginTop: 16 }}
              percent={Math.round((data.completion ?? 0) * 100)}
              format={() => pct(data.completion)}
              status={(data.completion ?? 0) >= 1 ? 'success' : 'active'}
            />
            <Typography.Paragraph type="secondary" style={{ fontSize: 12, margin: '8px 0 0' }}>
              {t('forecast.formula', {
                commit: data.weights.commitWeight,
                possible: data.weights.possibleWeight,
                rate: data.weights.unforecastRate,
                weeks: data.period.weeksLeft,
              })}
            </Typography.Paragraph>
            {data.adjustment && (
              <Alert
                style={{ marginTop: 12 }}
                type="info"
                showIcon
                data-testid="adjusted"
                message={t('forecast.adjustedBy', {
                  amount: money(data.adjustment.amount),
                  name: data.adjustment.adjustedByName,
                  week: data.adjustment.weekStart,
                })}
                description={data.adjustment.note ?? undefined}
              />
            )}
          </Card>
        </Col>
        <Col xs={24} lg={10}>
          <Card title={t('forecast.history')} style={{ height: '100%' }}>
            {chart ? (
              <EChart option={chart} height={240} label={t('forecast.history')} />
            ) : (
              <Empty description={t('forecast.noHistory')} />
            )}
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {t('forecast.submittedCount', { n: data.submitted, of: data.members })}
            </Typography.Text>
          </Card>
        </Col>
      </Row>
      {data.people.length > 0 && <PeopleTable v={data} />}
      <AccuracyCard rows={accuracy.data?.rows} loading={accuracy.isPending} />
      <SubmitDrawer open={submitting} period={params.period} onClose={() => setSubmitting(false)} />
      {data.scope.kind === 'unit' && <AdjustModal open={adjusting} view={data} onClose={() => setAdjusting(false)} />}
    </Flex>
  );
}

function PeopleTable({ v: value }: { v: ForecastView }) {
  const t = useT();
  const money = useMoney();
  return (
    <Card title={t('forecast.people')} styles={{ body: { padding: 0 } }}>
      <Table
        size="small"
        rowKey="userId"
        dataSource={value.people}
        pagination={value.people.length > 20 ? { pageSize: 20 } : false}
        scroll={{ x: 640 }}
        columns={[
          { title: t('forecast.person'), dataIndex: 'name', fixed: 'left' },
          {
            title: t('forecast.lastWeek'),
            dataIndex: 'weekStart',
            render: (width: string | null) =>
              width ? (
                width === value.weekStart ? (
                  <Tag color="green">{width}</Tag>
                ) : (
                  <Tag>{width}</Tag>
                )
              ) : (
                <Tag color="red">{t('forecast.notSubmitted')}</Tag>
              ),
          },
          { title: t('forecast.commit'), dataIndex: 'commit', align: 'right', render: (n: number) => money(n) },
          { title: t('forecast.possible'), dataIndex: 'possible', align: 'right', render: (n: number) => money(n) },
          {
            title: t('forecast.forecast'),
            dataIndex: 'forecast',
            align: 'right',
            render: (n: number | null) => money(n),
          },
          { title: t('forecast.realised'), dataIndex: 'realised', align: 'right', render: (n: number) => money(n) },
        ]}
      />
    </Card>
  );
}

function AccuracyCard({ rows, loading }: { rows: AccuracyRow[] | undefined; loading: boolean }) {
  const t = useT();
  const money = useMoney();
  const shown = (rows ?? []).filter((r) => r.lastForecast !== null || r.actual > 0);
  return (
    <Card
      title={t('forecast.accuracy')}
      styles={{ body: { padding: shown.length ? 0 : undefined } }}
      data-testid="accuracy"
    >
      {loading ? (
        <Skeleton active />
      ) : shown.length === 0 ? (
        <Empty description={t('forecast.noAccuracy')} />
      ) : (
        <Table
          size="small"
          rowKey={(r) => `${r.kind}:${r.id}`}
          dataSource={shown}
          pagination={shown.length > 20 ? { pageSize: 20 } : false}
          scroll={{ x: 640 }}
          columns={[
            {
              title: t('forecast.who'),
              dataIndex: 'name',
              fixed: 'left',
              render: (count: string, record) => (
                <>
                  {record.kind === 'unit' && <Tag>{t('forecast.unit')}</Tag>}
                  {count}
                </>
              ),
            },
            {
              title: t('forecast.firstForecast'),
              dataIndex: 'firstForecast',
              align: 'right',
              render: (n: number | null) => money(n),
            },
            {
              title: t('forecast.lastForecast'),
              dataIndex: 'lastForecast',
              align: 'right',
              render: (n: number | null) => money(n),
            },
            { title: t('forecast.actual'), dataIndex: 'actual', align: 'right', render: (n: number) => money(n) },
            {
              title: t('forecast.accuracyRate'),
              dataIndex: 'accuracy',
              align: 'right',
              render: (x: number | null) => pct(x),
            },
          ]}
        />
      )}
    </Card>
  );
}
