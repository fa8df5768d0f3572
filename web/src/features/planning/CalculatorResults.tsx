import { useMemo, type ReactNode } from 'react';
import { Alert, Card, Col, Progress, Row, Skeleton, Statistic, Table, Typography } from 'antd';
import type { UseQueryResult } from '@tanstack/react-query';
import type {
  ForecastResponse,
  FunnelGapResponse,
  GapResponse,
  StandardFunnelResponse,
} from '../../../../src/contracts/planning.ts';
import { isApiError } from '../../api/client.ts';
import { useFieldMessage } from '../../api/useProblem.ts';
import { problemMessage } from '../../api/problems.ts';
import { EChart, type ChartOption } from '../../components/EChart.tsx';
import { useMoney } from '../../i18n/money.ts';
import { useI18n, useT } from '../../i18n/useI18n.ts';
import type { MessageKey } from '../../i18n/zh-CN.ts';

const num = (count: number | null | undefined, digits = 1) =>
  count === null || count === undefined ? '—' : Number.isInteger(count) ? String(count) : count.toFixed(digits);

/** A field path of the calculators (`stages.2.probability`) in words: the field's label, the stage's number. */
function useFieldLabel() {
  const t = useT();
  return (field: string) => {
    const [head, index, leaf] = field.split('.');
    if (head === 'stages' && index !== undefined)
      return `${t('planning.stage.nth', { n: Number(index) + 1 })} ${leaf ? t(`planning.stage.${leaf}` as MessageKey) : ''}`;
    const key = `planning.${head}` as MessageKey;
    return /^p[123]$/.test(head ?? '') ? (head ?? '').toUpperCase() : t(key);
  };
}

/** Why a calculator has no answer: the problem and each field it names, in the user's language. */
function Trouble({ error }: { error: unknown }) {
  const say = useI18n();
  const fieldText = useFieldMessage();
  const label = useFieldLabel();
  if (!isApiError(error) || error.errors.length === 0)
    return <Alert type="error" showIcon message={problemMessage(error, say)} />;
  return (
    <Alert
      type="warning"
      showIcon
      message={say.t('planning.fixInput')}
      data-testid="calc-trouble"
      description={
        <ul style={{ margin: 0, paddingInlineStart: 18 }}>
          {error.errors.map((fieldError) => (
            <li key={fieldError.field}>
              {label(fieldError.field)}: {fieldText(error, fieldError)}
            </li>
          ))}
        </ul>
      }
    />
  );
}

function ResultCard<T>({
  title,
  query,
  testId,
  children,
}: {
  title: string;
  query: UseQueryResult<T>;
  testId: string;
  children: (data: T) => ReactNode;
}) {
  return (
    <Card title={title} size="small" data-testid={testId} style={{ height: '100%' }}>
      {query.isError ? <Trouble error={query.error} /> : query.data ? children(query.data) : <Skeleton active />}
    </Card>
  );
}

const Stat = ({ title, value, testId }: { title: string; value: ReactNode; testId?: string }) => (
  <Col xs={12} sm={8}>
    <Statistic title={title} value={value as string} styles={{ content: { fontSize: 20 } }} data-testid={testId} />
  </Col>
);

export function StandardFunnelResult({
  query,
  counts,
}: {
  query: UseQueryResult<StandardFunnelResponse>;
  counts: (number | null)[];
}) {
  const t = useT();
  return (
    <ResultCard title={t('planning.result.standard')} query={query} testId="calc-standard">
      {(result) => (
        <>
          <Row gutter={[12, 12]}>
            <Stat title={t('planning.dealsNeeded')} value={result.dealsNeeded} />
            <Stat title={t('planning.winsPerWeek')} value={num(result.winsPerWeek)} />
            <Stat title={t('planning.newPerWeek')} value={result.newPerWeek} />
            <Stat title={t('planning.repsNeeded')} value={result.repsNeeded ?? '—'} testId="calc-reps" />
          </Row>
          {result.repsNeeded === null && (
            <Typography.Paragraph type="secondary" style={{ fontSize: 12, margin: '8px 0 0' }}>
              {t('planning.repsHint')}
            </Typography.Paragraph>
          )}
          <Table
            size="small"
            style={{ marginTop: 12 }}
            pagination={false}
            rowKey={(_, i) => String(i)}
            dataSource={result.stages.map((s, i) => ({ ...s, count: counts[i] ?? null }))}
            columns={[
              { title: t('planning.stage.name'), dataIndex: 'name' },
              {
                title: t('planning.standard'),
                dataIndex: 'standard',
                align: 'right',
                render: (v: number | null) => v ?? t('planning.noStandard'),
              },
              {
                title: t('planning.stage.count'),
                dataIndex: 'count',
                align: 'right',
                render: (v: number | null) => num(v),
              },
              {
                title: t('planning.balance'),
                align: 'right',
                render: (_, record) =>
                  record.standard && record.count !== null ? (
                    <span
                      style={{
                        color:
                          record.count / record.standard < 0.8
                            ? '#dc2626'
                            : record.count / record.standard > 1.5
                              ? '#d97706'
                              : '#16a34a',
                      }}
                    >
                      {Math.round((record.count / record.standard) * 100)}%
                    </span>
                  ) : (
                    '—'
                  ),
              },
            ]}
          />
        </>
      )}
    </ResultCard>
  );
}

export function FunnelGapResult({
  query,
  neededPerWeek,
  weeksLeft,
}: {
  query: UseQueryResult<FunnelGapResponse>;
  neededPerWeek: number | null;
  weeksLeft: number;
}) {
  const t = useT();
  const money = useMoney();
  const data = query.data;
  const option = useMemo<ChartOption | null>(() => {
    if (!data) return null;
    const weeks = data.weeks.map((w) => t('planning.weekN', { n: w.week }));
    return {
      tooltip: { trigger: 'axis' },
      legend: { top: 0 },
      grid: { left: 36, right: 8, top: 32, bottom: 24 },
      xAxis: { type: 'category', data: weeks },
      yAxis: { type: 'value' },
      series: [
        {
          name: t('planning.projectedWins'),
          type: 'bar',
          data: data.weeks.map((w) => Math.round(w.wins * 10) / 10),
          itemStyle: { color: '#1d4ed8' },
        },
        ...(neededPerWeek !== null
          ? [
              {
                name: t('planning.winsNeeded'),
                type: 'bar' as const,
                data: data.weeks.map((w) => (w.week <= weeksLeft ? Math.round(neededPerWeek * 10) / 10 : 0)),
                itemStyle: { color: '#cbd5e1' },
              },
            ]
          : []),
      ],
    };
  }, [data, neededPerWeek, weeksLeft, t]);
  return (
    <ResultCard title={t('planning.result.gap')} query={query} testId="calc-funnel-gap">
      {(result) => (
        <>
          <Row gutter={[12, 12]}>
            <Stat title={t('planning.expectedDeals')} value={num(result.expectedDeals)} />
            <Stat title={t('planning.expectedAmount')} value={money(result.expectedAmount)} />
            <Stat title={t('planning.gapAmount')} value={money(result.gapAmount)} />
            <Stat title={t('planning.gapDeals')} value={num(result.gapDeals)} />
            <Stat
              title={t('planning.firstStageNeeded')}
              value={Math.max(0, Math.ceil(result.firstStageNeeded - 1e-9))}
              testId="calc-first-stage"
            />
            <Stat
              title={t('planning.firstStagePerWeek')}
              value={weeksLeft > 0 ? num(Math.max(0, result.firstStageNeeded) / weeksLeft) : '—'}
            />
          </Row>
          {option && <EChart option={option} height={220} label={t('planning.projectionChart')} />}
        </>
      )}
    </ResultCard>
  );
}

export function ForecastResult({ query }: { query: UseQueryResult<ForecastResponse> }) {
  const t = useT();
  const money = useMoney();
  return (
    <ResultCard title={t('planning.result.forecast')} query={query} testId="calc-forecast">
      {(result) => (
        <>
          <Row gutter={[12, 12]}>
            <Stat title={t('planning.forecast')} value={money(result.forecast)} testId="calc-forecast-value" />
            <Stat
              title={t('planning.completion')}
              value={result.completion === null ? '—' : `${Math.round(result.completion * 100)}%`}
            />
          </Row>
          {result.completion !== null && (
            <Progress
              percent={Math.round(result.completion * 100)}
              status={result.completion >= 1 ? 'success' : 'normal'}
              style={{ marginTop: 8 }}
            />
          )}
          <Typography.Paragraph type="secondary" style={{ fontSize: 12, margin: '8px 0 0' }}>
            {t('planning.forecastParts', {
              commit: money(result.commitPart),
              possible: money(result.possiblePart),
              unforecast: money(result.unforecastPart),
            })}
          </Typography.Paragraph>
        </>
      )}
    </ResultCard>
  );
}

export function GapResult({ query }: { query: UseQueryResult<GapResponse> }) {
  const t = useT();
  const money = useMoney();
  return (
    <ResultCard title={t('planning.result.p1p4')} query={query} testId="calc-gap">
      {(result) => (
        <Row gutter={[12, 12]}>
          <Stat title="Gap0" value={money(result.gap0)} />
          <Stat title="Gap1" value={money(result.gap1)} />
          <Stat title="Gap2" value={money(result.gap2)} />
          <Stat title={t('planning.gap3')} value={money(result.gap3)} />
          <Stat title={t('planning.newAccounts')} value={num(result.newAccounts)} testId="calc-new-accounts" />
          <Stat title={t('planning.newAccountsPerWeek')} value={num(result.newAccountsPerWeek)} />
        </Row>
      )}
    </ResultCard>
  );
}
