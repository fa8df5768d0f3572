import { useEffect, useState } from 'react';
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  Flex,
  Input,
  Progress,
  Radio,
  Result,
  Row,
  Select,
  Skeleton,
  Space,
  Steps,
  Tag,
  Typography,
} from 'antd';
import {
  CheckCircleOutlined,
  CloseCircleOutlined,
  DeleteOutlined,
  PlusOutlined,
  ReloadOutlined,
  WarningOutlined,
} from '@ant-design/icons';
import { useDates } from '../../i18n/useDates.ts';
import { useProblem } from '../../api/useProblem.ts';
import { LoadError } from '../../components/LoadError.tsx';
import { useT } from '../../i18n/useI18n.ts';
import {
  strategyNext,
  useInsight,
  useSaveAnalysis,
  useSaveQualification,
  useSaveStrategy,
  useUpdateOpportunity,
} from './api.ts';
import {
  BUYING_PHASES,
  COMPETITOR_STATUSES,
  QUALIFICATION_FACTS,
  SWOT_KEYS,
  type Competitor,
  type Insight,
  type OpportunityDetail,
  type QualificationAnswer,
  type QualificationFact,
  type Stage,
  type StrategyStepResult,
} from './types.ts';

function InsightGate({
  o: opportunity,
  children,
}: {
  o: OpportunityDetail;
  children: (insight: Insight) => React.ReactNode;
}) {
  const insight = useInsight(opportunity.id);
  if (insight.isError) return <LoadError error={insight.error} onRetry={() => void insight.refetch()} />;
  if (!insight.data) return <Skeleton active />;
  return <>{children(insight.data)}</>;
}

const POINTS: Record<QualificationAnswer, number> = { yes: 2, partly: 1, no: 0 };
const ANSWER_COLOR: Record<QualificationAnswer, string> = { yes: '#16a34a', partly: '#d97706', no: '#dc2626' };

/** Six facts, yes / partly / no with a note (docs/sales-process.md § Qualification), and the score. */
export function QualificationTab({ o: opportunity }: { o: OpportunityDetail }) {
  return (
    <InsightGate o={opportunity}>{(insight) => <QualificationForm o={opportunity} insight={insight} />}</InsightGate>
  );
}

function QualificationForm({ o: opportunity, insight }: { o: OpportunityDetail; insight: Insight }) {
  const t = useT();
  const { message } = App.useApp();
  const report = useProblem();
  const save = useSaveQualification();
  const dates = useDates();
  const [facts, setFacts] = useState<
    Partial<Record<QualificationFact, { answer: QualificationAnswer; note: string | null }>>
  >(() =>
    Object.fromEntries(
      QUALIFICATION_FACTS.flatMap((f) => (insight.qualification[f] ? [[f, insight.qualification[f]]] : [])),
    ),
  );
  const score = Math.round(
    (100 * QUALIFICATION_FACTS.reduce((s, f) => s + (facts[f] ? POINTS[facts[f].answer] : 0), 0)) /
      (2 * QUALIFICATION_FACTS.length),
  );
  const canEdit = opportunity.permissions.contribute && opportunity.status === 'open';
  return (
    <Row gutter={24}>
      <Col xs={24} md={17}>
        <Flex vertical gap={10}>
          {QUALIFICATION_FACTS.map((fact) => {
            const answer = facts[fact];
            return (
              <div
                key={fact}
                style={{
                  padding: '10px 12px',
                  border: '1px solid #e5e7eb',
                  borderRadius: 8,
                  borderInlineStart: `3px solid ${answer ? ANSWER_COLOR[answer.answer] : '#e5e7eb'}`,
                }}
              >
                <Flex justify="space-between" align="center" wrap gap={8}>
                  <div>
                    <Typography.Text strong>{t(`opps.qual.${fact}`)}</Typography.Text>
                    {insight.weakened.includes(fact) && (
                      <Tag color="red" style={{ marginInlineStart: 8 }}>
                        {t('opps.qual.weakened')}
                      </Tag>
                    )}
                    <Typography.Text type="secondary" style={{ fontSize: 12, display: 'block' }}>
                      {t(`opps.qual.${fact}Hint`)}
                    </Typography.Text>
                  </div>
                  <Radio.Group
                    size="small"
                    optionType="button"
                    disabled={!canEdit}
                    value={answer?.answer}
                    onChange={(radioChangeEvent) =>
                      setFacts((part) => ({
                        ...part,
                        [fact]: {
                          answer: radioChangeEvent.target.value as QualificationAnswer,
                          note: part[fact]?.note ?? null,
                        },
                      }))
                    }
                    options={(['yes', 'partly', 'no'] as const).map((first) => ({
                      value: first,
                      label: t(`opps.qual.answer.${first}`),
                    }))}
                  />
                </Flex>
                {answer && (
                  <Input
                    size="small"
                    style={{ marginTop: 6 }}
                    placeholder={t('opps.qual.note')}
                    disabled={!canEdit}
                    value={answer.note ?? ''}
                    maxLength={1000}
                    onChange={(changeEvent) =>
                      setFacts((p) => ({ ...p, [fact]: { answer: answer.answer, note: changeEvent.target.value } }))
                    }
                  />
                )}
              </div>
            );
          })}
        </Flex>
        {canEdit && (
          <Button
            type="primary"
            style={{ marginTop: 12 }}
            loading={save.isPending}
            onClick={() =>
              void save
                .mutateAsync({
                  id: opportunity.id,
                  version: insight.version,
                  facts: Object.fromEntries(
                    QUALIFICATION_FACTS.map((qualificationFact) => {
                      const answer = facts[qualificationFact];
                      return [
                        qualificationFact,
                        answer ? { answer: answer.answer, note: answer.note?.trim() || null } : null,
                      ];
                    }),
                  ),
                })
                .then(
                  () => void message.success(t('common.saved')),
                  (e: unknown) => report(e),
                )
            }
          >
            {t('common.save')}
          </Button>
        )}
      </Col>
      <Col xs={24} md={7} style={{ textAlign: 'center', paddingTop: 12 }}>
        <Progress
          type="dashboard"
          percent={score}
          strokeColor={score >= 70 ? '#16a34a' : score >= 40 ? '#d97706' : '#dc2626'}
          format={(p) => <span data-testid="qual-score">{p}</span>}
        />
        <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>
          {t('opps.qual.scoreHint')}
        </Typography.Paragraph>
        {insight.qualificationAssessedAt && (
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {t('opps.qual.assessed', {
              at: dates.format(insight.qualificationAssessedAt),
              by: insight.qualificationAssessedByName ?? '—',
            })}
          </Typography.Text>
        )}
      </Col>
    </Row>
  );
}

/** The customer's decision cycle (docs/sales-process.md § Buying phase) with the sales stage's expected phase and the misalignment warning. */
export function BuyingPhaseTab({ o: opportunity, stage }: { o: OpportunityDetail; stage: Stage | undefined }) {
  const t = useT();
  const { message } = App.useApp();
  const report = useProblem();
  const update = useUpdateOpportunity();
  const current = opportunity.buyingPhase ? BUYING_PHASES.indexOf(opportunity.buyingPhase) : -1;
  const canEdit = opportunity.permissions.contribute && opportunity.status === 'open';
  const set = (index: number) => {
    const buyingPhase = BUYING_PHASES[index];
    if (!canEdit || !buyingPhase || buyingPhase === opportunity.buyingPhase) return;
    void update.mutateAsync({ id: opportunity.id, version: opportunity.version, buyingPhase: buyingPhase }).then(
      () => void message.success(t('common.saved')),
      (e: unknown) => report(e),
    );
  };
  return (
    <>
      {opportunity.stageAheadOfBuyer && (
        <Alert
          type="warning"
          showIcon
          icon={<WarningOutlined />}
          style={{ marginBottom: 16 }}
          data-testid="phase-warning"
          message={t('opps.phase.ahead', {
            stage: opportunity.stageName ?? '',
            phase: stage?.buyingPhase ? t(`opps.phase.${stage.buyingPhase}`) : '',
          })}
          description={t('opps.phase.aheadHint')}
        />
      )}
      <Typography.Paragraph type="secondary">
        {canEdit ? t('opps.phase.pick') : t('opps.phase.subtitle')}
      </Typography.Paragraph>
      <Steps
        direction="vertical"
        size="small"
        current={current}
        onChange={canEdit ? set : undefined}
        items={BUYING_PHASES.map((buyingPhase) => ({
          title: (
            <Space>
              {t(`opps.phase.${buyingPhase}`)}
              {stage?.buyingPhase === buyingPhase && (
                <Tag color="blue">{t('opps.phase.stageExpects', { stage: stage.name })}</Tag>
              )}
            </Space>
          ),
          description: t(`opps.phase.${buyingPhase}Hint`),
        }))}
      />
    </>
  );
}

const SWOT = SWOT_KEYS;
const SWOT_COLOR = {
  strengths: '#16a34a',
  weaknesses: '#dc2626',
  opportunities: '#2563eb',
  threats: '#d97706',
} as const;

export function SwotTab({ o: opportunity }: { o: OpportunityDetail }) {
  return <InsightGate o={opportunity}>{(insight) => <SwotForm o={opportunity} insight={insight} />}</InsightGate>;
}

function SwotForm({ o: opportunity, insight }: { o: OpportunityDetail; insight: Insight }) {
  const t = useT();
  const { message } = App.useApp();
  const report = useProblem();
  const save = useSaveAnalysis();
  const [swot, setSwot] = useState<Record<string, string>>(() =>
    Object.fromEntries(SWOT.map((k) => [k, insight.swot[k].join('\n')])),
  );
  const [competitors, setCompetitors] = useState<Competitor[]>(() => insight.competitors);
  const canEdit = opportunity.permissions.contribute && opportunity.status === 'open';
  return (
    <>
      <Row gutter={[12, 12]}>
        {SWOT.map((swotKey) => (
          <Col key={swotKey} xs={24} md={12}>
            <Card
              size="small"
              title={<span style={{ color: SWOT_COLOR[swotKey] }}>{t(`opps.swot.${swotKey}`)}</span>}
              style={{ borderTop: `3px solid ${SWOT_COLOR[swotKey]}` }}
            >
              <Input.TextArea
                variant="borderless"
                autoSize={{ minRows: 3, maxRows: 8 }}
                maxLength={2000}
                disabled={!canEdit}
                placeholder={`${t(`opps.swot.${swotKey}Hint`)} (${t('opps.swot.linesHint')})`}
                value={swot[swotKey]}
                onChange={(e) => setSwot((p) => ({ ...p, [swotKey]: e.target.value }))}
              />
            </Card>
          </Col>
        ))}
      </Row>
      <Typography.Title level={5} style={{ marginTop: 20 }}>
        {t('opps.swot.competitors')}
      </Typography.Title>
      <Flex vertical gap={8}>
        {competitors.length === 0 && <Typography.Text type="secondary">{t('opps.swot.noCompetitors')}</Typography.Text>}
        {competitors.map((competitor, index) => (
          <Flex key={index} gap={8} wrap>
            <Input
              style={{ width: 180 }}
              placeholder={t('opps.swot.competitor')}
              value={competitor.name}
              disabled={!canEdit}
              onChange={(changeEvent) =>
                setCompetitors((p) => p.map((x, j) => (j === index ? { ...x, name: changeEvent.target.value } : x)))
              }
            />
            <Input
              style={{ flex: 1, minWidth: 160 }}
              placeholder={t('opps.swot.theirStrengths')}
              value={competitor.strengths}
              disabled={!canEdit}
              onChange={(changeEvent) =>
                setCompetitors((previous) =>
                  previous.map((x, j) => (j === index ? { ...x, strengths: changeEvent.target.value } : x)),
                )
              }
            />
            <Input
              style={{ flex: 1, minWidth: 160 }}
              placeholder={t('opps.swot.theirWeaknesses')}
              value={competitor.weaknesses}
              disabled={!canEdit}
              onChange={(changeEvent) =>
                setCompetitors((previous) =>
                  previous.map((x, j) => (j === index ? { ...x, weaknesses: changeEvent.target.value } : x)),
                )
              }
            />
            <Select
              style={{ width: 120 }}
              placeholder={t('opps.swot.threat')}
              value={competitor.status}
              disabled={!canEdit}
              onChange={(v) => setCompetitors((p) => p.map((x, j) => (j === index ? { ...x, status: v } : x)))}
              options={COMPETITOR_STATUSES.map((v) => ({ value: v, label: t(`opps.swot.status.${v}`) }))}
            />
            {canEdit && (
              <Button
                type="text"
                danger
                icon={<DeleteOutlined />}
                onClick={() => setCompetitors((p) => p.filter((_, j) => j !== index))}
                aria-label={t('opps.team.remove')}
              />
            )}
          </Flex>
        ))}
      </Flex>
      {canEdit && (
        <Space style={{ marginTop: 12 }}>
          <Button
            icon={<PlusOutlined />}
            onClick={() => setCompetitors((p) => [...p, { name: '', strengths: '', weaknesses: '', status: 'close' }])}
          >
            {t('opps.swot.addCompetitor')}
          </Button>
          <Button
            type="primary"
            loading={save.isPending}
            onClick={() =>
              void save
                .mutateAsync({
                  id: opportunity.id,
                  version: insight.version,
                  swot: Object.fromEntries(
                    SWOT.map((swotItem) => [
                      swotItem,
                      (swot[swotItem] ?? '')
                        .split('\n')
                        .map((l) => l.trim())
                        .filter(Boolean),
                    ]),
                  ) as Insight['swot'],
                  competitors: competitors.filter((c) => c.name.trim()).map((c) => ({ ...c, name: c.name.trim() })),
                })
                .then(
                  () => void message.success(t('common.saved')),
                  (e: unknown) => report(e),
                )
            }
          >
            {t('common.save')}
          </Button>
        </Space>
      )}
    </>
  );
}

/** The win-strategy wizard (docs/sales-process.md § Win strategy): one question at a time, the path, the strategy and what it means. */
export function StrategyTab({ o: opportunity }: { o: OpportunityDetail }) {
  return <InsightGate o={opportunity}>{(insight) => <StrategyWizard o={opportunity} insight={insight} />}</InsightGate>;
}

function StrategyWizard({ o: opportunity, insight }: { o: OpportunityDetail; insight: Insight }) {
  const t = useT();
  const { message } = App.useApp();
  const report = useProblem();
  const save = useSaveStrategy();
  const saved = insight.strategy;
  const [answers, setAnswers] = useState<Record<string, boolean>>(() => ({ ...(saved?.answers ?? {}) }));
  const [step, setStep] = useState<StrategyStepResult | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(false);
  const canEdit = opportunity.permissions.contribute && opportunity.status === 'open';

  useEffect(() => {
    let live = true;
    setLoading(true);
    strategyNext(opportunity.id, answers)
      .then(
        (row) => {
          if (live) {
            setStep(row);
            setError(null);
          }
        },
        (err: unknown) => {
          if (live) setError(err);
        },
      )
      .finally(() => {
        if (live) setLoading(false);
      });
    return () => {
      live = false;
    };
  }, [opportunity.id, answers]);

  if (error) return <LoadError error={error} onRetry={() => setAnswers((a) => ({ ...a }))} />;
  if (!step) return <Skeleton active />;
  const answer = (value: boolean) => step.next && setAnswers((a) => ({ ...a, [step.next as string]: value }));
  /** Going back to a question drops the answers after it on the path. */
  const backTo = (index: number) =>
    setAnswers(Object.fromEntries(step.path.slice(0, index).map((p) => [p.question, p.answer])));

  return (
    <Row gutter={24}>
      <Col xs={24} md={10}>
        <Typography.Text type="secondary" style={{ display: 'block', marginBottom: 8 }}>
          {t('opps.strategy.path')}
        </Typography.Text>
        <Steps
          direction="vertical"
          size="small"
          current={step.path.length}
          items={[
            ...step.path.map((pathStep, index) => ({
              title: <a onClick={() => canEdit && backTo(index)}>{t(`opps.strategy.q.${pathStep.question}`)}</a>,
              description: pathStep.answer ? (
                <Tag color="green" icon={<CheckCircleOutlined />}>
                  {t('common.yes')}
                </Tag>
              ) : (
                <Tag color="red" icon={<CloseCircleOutlined />}>
                  {t('common.no')}
                </Tag>
              ),
              status: 'finish' as const,
            })),
            step.done
              ? { title: t('opps.strategy.result'), status: 'finish' as const }
              : { title: step.next ? t(`opps.strategy.q.${step.next}`) : '', status: 'process' as const },
          ]}
        />
      </Col>
      <Col xs={24} md={14}>
        {!step.done && step.next && (
          <Card loading={loading} data-testid="strategy-question">
            <Typography.Text type="secondary">
              {t('opps.strategy.question', { n: step.path.length + 1 })}
            </Typography.Text>
            <Typography.Title level={4} style={{ marginTop: 4 }}>
              {t(`opps.strategy.q.${step.next}`)}
            </Typography.Title>
            <Typography.Paragraph type="secondary">{t(`opps.strategy.q.${step.next}Hint`)}</Typography.Paragraph>
            <Space>
              <Button type="primary" disabled={!canEdit} onClick={() => answer(true)} data-testid="strategy-yes">
                {t('common.yes')}
              </Button>
              <Button disabled={!canEdit} onClick={() => answer(false)} data-testid="strategy-no">
                {t('common.no')}
              </Button>
            </Space>
          </Card>
        )}
        {step.done && step.strategy && (
          <Result
            status="success"
            style={{ padding: '16px 0' }}
            title={<span data-testid="strategy-result">{t(`opps.strategy.s.${step.strategy}`)}</span>}
            subTitle={t(`opps.strategy.s.${step.strategy}Meaning`)}
            extra={
              canEdit
                ? [
                    <Button
                      key="save"
                      type="primary"
                      loading={save.isPending}
                      onClick={() =>
                        void save.mutateAsync({ id: opportunity.id, version: insight.version, answers }).then(
                          () => void message.success(t('opps.strategy.saved')),
                          (e: unknown) => report(e),
                        )
                      }
                    >
                      {t('opps.strategy.save')}
                    </Button>,
                    <Button key="again" icon={<ReloadOutlined />} onClick={() => setAnswers({})}>
                      {t('opps.strategy.restart')}
                    </Button>,
                  ]
                : undefined
            }
          />
        )}
        {saved?.strategy && (
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {t('opps.strategy.current', { s: t(`opps.strategy.s.${saved.strategy}`) })}
          </Typography.Text>
        )}
      </Col>
    </Row>
  );
}
