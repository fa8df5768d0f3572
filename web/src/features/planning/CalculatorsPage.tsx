import { useEffect, useMemo, useState } from 'react';
import { Button, Col, Flex, Form, Row } from 'antd';
import { ReloadOutlined } from '@ant-design/icons';
import type {
  ForecastRequest,
  FunnelGapRequest,
  GapRequest,
  StandardFunnelRequest,
} from '../../../../src/contracts/planning.ts';
import { PageHeader } from '../../components/PageHeader.tsx';
import { useT } from '../../i18n/useI18n.ts';
import { useForecastCalc, useFunnelGap, useGapCalc, useStandardFunnel } from './api.ts';
import { CalculatorInputs, type CalcValues } from './CalculatorInputs.tsx';
import { ForecastResult, FunnelGapResult, GapResult, StandardFunnelResult } from './CalculatorResults.tsx';

/** Yuan typed → fen; an empty box stays absent, so the server names it as required. */
const fen = (yuan: number | null | undefined) =>
  yuan === null || yuan === undefined ? undefined : Math.round(yuan * 100);
const opt = (n: number | null | undefined) => (n === null || n === undefined ? undefined : n);

/** The SPEC's worked examples, so the first look already shows a story (docs/targets.md). */
function example(translate: ReturnType<typeof useT>): CalcValues {
  return {
    quota: 1_300_000,
    averageDeal: 10_000,
    weeks: 13,
    weeksLeft: 8,
    realised: 450_000,
    newPerRepPerWeek: 4,
    stages: [
      { name: translate('planning.example.intent'), probability: 20, weeks: 1, count: 100 },
      { name: translate('planning.example.proposal'), probability: 40, weeks: 1, count: 40 },
      { name: translate('planning.example.negotiation'), probability: 80, weeks: 1, count: 30 },
    ],
    commit: 400_000,
    possible: 320_000,
    nonCommit: 320_000,
    commitWeight: 70,
    possibleWeight: 25,
    unforecastRate: 4,
    p1: 70,
    p2: 25,
    p3: 20,
  };
}

/** Waits until the typing stops, so each keystroke does not ask the server four times. */
function useSettled<T>(value: T, ms = 300): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return settled;
}

/**
 * The planning calculators (docs/targets.md § Planning calculators): a manager types the
 * numbers and sees the standard funnel with its headcount, the flow projection and the gap, the
 * forecast and P1–P4 at once. Every figure comes from the same API the live reports use.
 */
export default function CalculatorsPage() {
  const t = useT();
  const [form] = Form.useForm<CalcValues>();
  const initial = useMemo(() => example(t), [t]);
  const [values, setValues] = useState<CalcValues>(initial);
  const [processId, setProcessId] = useState<number | undefined>();
  const settledValues = useSettled(values);

  const stages = settledValues.stages ?? [];
  const standard: StandardFunnelRequest = {
    quota: fen(settledValues.quota)!,
    averageDeal: fen(settledValues.averageDeal)!,
    weeks: opt(settledValues.weeks)!,
    newPerRepPerWeek: settledValues.newPerRepPerWeek || undefined,
    stages: stages.map((s) => ({ name: s?.name ?? '', probability: opt(s?.probability)!, weeks: opt(s?.weeks) })),
  };
  const funnelGap: FunnelGapRequest = {
    quota: fen(settledValues.quota)!,
    realised: fen(settledValues.realised)!,
    averageDeal: fen(settledValues.averageDeal)!,
    stages: stages.map((stage) => ({
      name: stage?.name ?? '',
      probability: opt(stage?.probability)!,
      weeks: opt(stage?.weeks),
      count: opt(stage?.count) ?? 0,
    })),
  };
  const forecast: ForecastRequest = {
    quota: fen(settledValues.quota)!,
    realised: fen(settledValues.realised)!,
    commit: fen(settledValues.commit)!,
    possible: fen(settledValues.possible)!,
    weeksLeft: opt(settledValues.weeksLeft)!,
    commitWeight: opt(settledValues.commitWeight),
    possibleWeight: opt(settledValues.possibleWeight),
    unforecastRate: opt(settledValues.unforecastRate),
  };
  const gap: GapRequest = {
    quota: fen(settledValues.quota)!,
    finished: fen(settledValues.realised)!,
    commit: fen(settledValues.commit)!,
    nonCommit: fen(settledValues.nonCommit)!,
    averageDeal: fen(settledValues.averageDeal)!,
    weeksLeft: opt(settledValues.weeksLeft),
    p1: opt(settledValues.p1),
    p2: opt(settledValues.p2),
    p3: opt(settledValues.p3),
  };
  const standardQ = useStandardFunnel(standard);
  const funnelGapQ = useFunnelGap(funnelGap);
  const forecastQ = useForecastCalc(forecast);
  const gapQ = useGapCalc(gap);

  // The wins still needed each remaining week, beside the projection: (quota − realised) ÷ average deal ÷ weeks left.
  const neededPerWeek =
    settledValues.quota && settledValues.averageDeal && settledValues.weeksLeft
      ? Math.max(
          0,
          (settledValues.quota - (settledValues.realised ?? 0)) / settledValues.averageDeal / settledValues.weeksLeft,
        )
      : null;

  const reset = () => {
    form.setFieldsValue(initial);
    setValues(initial);
  };

  return (
    <>
      <PageHeader
        title={t('planning.title')}
        subtitle={t('planning.subtitle')}
        extra={
          <Button icon={<ReloadOutlined />} onClick={reset}>
            {t('planning.reset')}
          </Button>
        }
      />
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={10} xxl={8}>
          <CalculatorInputs
            form={form}
            initialValues={initial}
            processId={processId}
            onProcess={setProcessId}
            onChange={setValues}
          />
        </Col>
        <Col xs={24} lg={14} xxl={16}>
          <Flex vertical gap={16}>
            <StandardFunnelResult query={standardQ} counts={stages.map((s) => s?.count ?? null)} />
            <FunnelGapResult
              query={funnelGapQ}
              neededPerWeek={neededPerWeek}
              weeksLeft={settledValues.weeksLeft ?? 0}
            />
            <Row gutter={[16, 16]}>
              <Col xs={24} xl={12}>
                <ForecastResult query={forecastQ} />
              </Col>
              <Col xs={24} xl={12}>
                <GapResult query={gapQ} />
              </Col>
            </Row>
          </Flex>
        </Col>
      </Row>
    </>
  );
}
