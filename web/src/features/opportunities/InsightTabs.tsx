import { useState } from 'react';
import {
  Alert,
  App,
  Button,
  Col,
  Flex,
  Input,
  Progress,
  Radio,
  Row,
  Skeleton,
  Space,
  Steps,
  Tag,
  Typography,
} from 'antd';
import { WarningOutlined } from '@ant-design/icons';
import { useDates } from '../../i18n/useDates.ts';
import { useProblem } from '../../api/useProblem.ts';
import { LoadError } from '../../components/LoadError.tsx';
import { useT } from '../../i18n/useI18n.ts';
import { useInsight, useSaveQualification, useUpdateOpportunity } from './api.ts';
import {
  BUYING_PHASES,
  QUALIFICATION_FACTS,
  type Insight,
  type OpportunityDetail,
  type QualificationAnswer,
  type QualificationFact,
  type Stage,
} from './types.ts';

export function InsightGate({
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
