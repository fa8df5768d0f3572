import { useMemo } from 'react';
import { Card, Col, Empty, Flex, Row, Table, Tag, Typography } from 'antd';
import type { AnalysesResponse } from '../../../../src/contracts/analyses.ts';
import { EChart, type ChartOption } from '../../components/EChart.tsx';
import { useMoney } from '../../i18n/money.ts';
import { useT } from '../../i18n/useI18n.ts';
import type { MessageKey } from '../../i18n/zh-CN.ts';
import { useAnalyses } from './api.ts';
import { ExportReport } from './ExportReport.tsx';
import { ReportPending } from './ReportPending.tsx';
import { ScopeBar, useScopeParams } from './ScopeBar.tsx';

const pct = (x: number | null | undefined) => (x === null || x === undefined ? '—' : `${Math.round(x * 100)}%`);

/** The other analyses (docs/targets.md § Other analyses) of a scope and period. */
export default function AnalysesPage() {
  const t = useT();
  const [params, set] = useScopeParams();
  const query = useAnalyses(params);
  const data = query.data;
  const controls = (
    <Flex gap={8} wrap>
      <ScopeBar params={params} set={set} shown={data?.scope} currentPeriod={data?.period.name} />
      <ExportReport report="analyses" params={params} />
    </Flex>
  );
  if (query.isError || !data) return <ReportPending controls={controls} report={query} onBack={() => set({})} />;
  return (
    <Flex vertical gap={16}>
      {controls}
      <Typography.Text type="secondary">
        {t('forecast.viewOf', { scope: data.scope.name, period: data.period.name, left: data.period.weeksLeft })}
      </Typography.Text>
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={14}>
          <SizeBands a={data} />
        </Col>
        <Col xs={24} xl={10}>
          <Flex vertical gap={16}>
            <NewVsExisting a={data} />
            <Projects a={data} />
          </Flex>
        </Col>
      </Row>
      <Diagnosis a={data} />
      <ActivityProductivity a={data} />
    </Flex>
  );
}

function SizeBands({ a: first }: { a: AnalysesResponse }) {
  const t = useT();
  const money = useMoney();
  const option = useMemo<ChartOption>(
    () => ({
      tooltip: { trigger: 'axis' },
      legend: { top: 0 },
      grid: { left: 36, right: 8, top: 32, bottom: 24 },
      xAxis: { type: 'category', data: first.sizeBands.map((b) => t(`analyses.band.${b.band}` as MessageKey)) },
      yAxis: { type: 'value' },
      series: [
        {
          name: t('analyses.won'),
          type: 'bar',
          data: first.sizeBands.map((b) => b.won),
          itemStyle: { color: '#16a34a' },
        },
        {
          name: t('analyses.lost'),
          type: 'bar',
          data: first.sizeBands.map((b) => b.lost),
          itemStyle: { color: '#dc2626' },
        },
        {
          name: t('analyses.open'),
          type: 'bar',
          data: first.sizeBands.map((b) => b.open),
          itemStyle: { color: '#1d4ed8' },
        },
      ],
    }),
    [first, t],
  );
  const empty = first.sizeBands.every((b) => b.won + b.lost + b.open === 0);
  return (
    <Card title={t('analyses.sizeBands')} data-testid="size-bands">
      {empty ? (
        <Empty description={t('analyses.empty')} />
      ) : (
        <EChart option={option} height={220} label={t('analyses.sizeBands')} />
      )}
      <Table
        size="small"
        rowKey="band"
        pagination={false}
        dataSource={first.sizeBands}
        scroll={{ x: 520 }}
        style={{ marginTop: 8 }}
        columns={[
          {
            title: t('analyses.band'),
            dataIndex: 'band',
            render: (b: string) => t(`analyses.band.${b}` as MessageKey),
          },
          { title: t('analyses.won'), dataIndex: 'won', align: 'right' },
          {
            title: t('analyses.wonAmount'),
            dataIndex: 'wonAmount',
            align: 'right',
            render: (n: number) => money(n, true),
          },
          {
            title: t('analyses.average'),
            dataIndex: 'wonAverage',
            align: 'right',
            render: (n: number | null) => money(n, true),
          },
          { title: t('analyses.winRate'), dataIndex: 'winRate', align: 'right', render: pct },
          { title: t('analyses.open'), dataIndex: 'open', align: 'right' },
        ]}
      />
    </Card>
  );
}

function NewVsExisting({ a: first }: { a: AnalysesResponse }) {
  const t = useT();
  const money = useMoney();
  const rows = [
    { key: 'new', ...first.newVsExisting.new },
    { key: 'existing', ...first.newVsExisting.existing },
  ];
  return (
    <Card title={t('analyses.newVsExisting')} size="small">
      <Table
        size="small"
        pagination={false}
        dataSource={rows}
        columns={[
          { title: '', dataIndex: 'key', render: (k: string) => t(`analyses.customer.${k}` as MessageKey) },
          { title: t('analyses.won'), dataIndex: 'won', align: 'right' },
          { title: t('analyses.lost'), dataIndex: 'lost', align: 'right' },
          { title: t('analyses.winRate'), dataIndex: 'winRate', align: 'right', render: pct },
          {
            title: t('analyses.wonAmount'),
            dataIndex: 'wonAmount',
            align: 'right',
            render: (n: number) => money(n, true),
          },
        ]}
      />
    </Card>
  );
}

function Projects({ a: first }: { a: AnalysesResponse }) {
  const t = useT();
  const money = useMoney();
  const rows = [
    { key: 'small', ...first.projects.small },
    { key: 'large', ...first.projects.large },
  ];
  return (
    <Card title={t('analyses.projects', { threshold: money(first.projects.threshold, true) })} size="small">
      <Table
        size="small"
        pagination={false}
        dataSource={rows}
        columns={[
          { title: '', dataIndex: 'key', render: (k: string) => t(`analyses.project.${k}` as MessageKey) },
          { title: t('analyses.share'), dataIndex: 'share', align: 'right', render: pct },
          {
            title: t('analyses.wonAmount'),
            dataIndex: 'wonAmount',
            align: 'right',
            render: (n: number) => money(n, true),
          },
          {
            title: t('analyses.cycle'),
            dataIndex: 'cycleDays',
            align: 'right',
            render: (d: number | null) => (d === null ? '—' : t('analyses.days', { n: Math.round(d) })),
          },
        ]}
      />
    </Card>
  );
}

function Diagnosis({ a: first }: { a: AnalysesResponse }) {
  const t = useT();
  const money = useMoney();
  return (
    <Card
      title={t('analyses.diagnosis')}
      styles={{ body: { padding: first.diagnosis.length ? 0 : undefined } }}
      data-testid="diagnosis"
    >
      {first.diagnosis.length === 0 ? (
        <Empty description={t('analyses.noPeople')} />
      ) : (
        <Table
          size="small"
          rowKey="userId"
          dataSource={first.diagnosis}
          pagination={first.diagnosis.length > 20 ? { pageSize: 20 } : false}
          scroll={{ x: 760 }}
          columns={[
            { title: t('forecast.person'), dataIndex: 'name', fixed: 'left' },
            { title: t('analyses.newAccounts'), dataIndex: 'newAccounts', align: 'right' },
            { title: t('analyses.winRate'), dataIndex: 'winRate', align: 'right', render: pct },
            {
              title: t('analyses.average'),
              dataIndex: 'averageDeal',
              align: 'right',
              render: (n: number | null) => money(n, true),
            },
            {
              title: t('analyses.problem'),
              dataIndex: 'problem',
              render: (part: string | null, record) =>
                part ? (
                  <div>
                    <Tag color="orange">{t(`analyses.problem.${part}` as MessageKey)}</Tag>
                    <div style={{ fontSize: 12, color: '#64748b', marginTop: 4 }}>
                      {record.topics.map((k) => t(`analyses.topic.${k}` as MessageKey)).join('、')}
                    </div>
                  </div>
                ) : (
                  <Tag color="green">{t('analyses.problem.none')}</Tag>
                ),
            },
          ]}
        />
      )}
    </Card>
  );
}

const perWeek = (x: number) => (Math.round(x * 10) / 10).toString();

/** Activity productivity: each rep's done activities of the period per week elapsed, beside the average rep. */
function ActivityProductivity({ a: report }: { a: AnalysesResponse }) {
  const t = useT();
  const { activity } = report;
  type Row = AnalysesResponse['activity']['reps'][number];
  const rows: Row[] = [{ ...activity.team, userId: 0, name: t('analyses.activityTeam') }, ...activity.reps];
  const above = (value: number, team: number) => (team > 0 && value >= team ? { color: '#16a34a' } : undefined);
  // Against the workspace's target when one is set (Settings → Rules): met is green, missed red.
  const { targets } = activity;
  const versus = (value: number, target: number) => ({ color: value >= target ? '#16a34a' : '#dc2626' });
  const targetWords = [
    targets.newAccountsPerWeek !== null ? t('analyses.targetAccounts', { n: targets.newAccountsPerWeek }) : null,
    targets.visitsPerWeek !== null ? t('analyses.targetVisits', { n: targets.visitsPerWeek }) : null,
  ].filter((x) => x !== null);
  return (
    <Card
      title={t('analyses.activity')}
      extra={
        <Typography.Text type="secondary">
          {[t('analyses.activityWeeks', { n: perWeek(activity.weeks) }), ...targetWords].join(' · ')}
        </Typography.Text>
      }
      data-testid="activity-productivity"
    >
      {activity.reps.length === 0 ? (
        <Empty description={t('analyses.empty')} />
      ) : (
        <Table
          size="small"
          rowKey="userId"
          pagination={false}
          dataSource={rows}
          scroll={{ x: 640 }}
          rowClassName={(row) => (row.userId === 0 ? 'ant-table-row-selected' : '')}
          columns={[
            { title: t('forecast.person'), dataIndex: 'name', fixed: 'left', width: 120 },
            {
              title: t('analyses.activitiesPerWeek'),
              dataIndex: 'activitiesPerWeek',
              align: 'right',
              render: (value: number, row) => (
                <span style={row.userId ? above(value, activity.team.activitiesPerWeek) : undefined}>
                  {perWeek(value)}
                </span>
              ),
            },
            {
              title: t('analyses.visitsPerWeek'),
              dataIndex: 'visitsPerWeek',
              align: 'right',
              render: (value: number, row) => (
                <span
                  style={
                    !row.userId
                      ? undefined
                      : targets.visitsPerWeek !== null
                        ? versus(value, targets.visitsPerWeek)
                        : above(value, activity.team.visitsPerWeek)
                  }
                >
                  {perWeek(value)}
                </span>
              ),
            },
            {
              title: t('analyses.qualifyingPerWeek'),
              dataIndex: 'qualifyingPerWeek',
              align: 'right',
              render: perWeek,
            },
            {
              title: t('analyses.newAccountsPerWeek'),
              dataIndex: 'newAccountsPerWeek',
              align: 'right',
              render: (value: number, row) => (
                <span
                  style={
                    row.userId && targets.newAccountsPerWeek !== null
                      ? versus(value, targets.newAccountsPerWeek)
                      : undefined
                  }
                >
                  {perWeek(value)}
                </span>
              ),
            },
            {
              title: t('analyses.visitsPerWon'),
              dataIndex: 'visitsPerWon',
              align: 'right',
              render: (n: number | null) => (n === null ? '—' : perWeek(n)),
            },
          ]}
        />
      )}
      <Typography.Paragraph type="secondary" style={{ margin: '8px 0 0', fontSize: 12 }}>
        {t('analyses.activityHint')}
      </Typography.Paragraph>
    </Card>
  );
}
