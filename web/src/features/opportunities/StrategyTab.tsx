import { useEffect, useState } from 'react';
import { App, Button, Card, Col, Result, Row, Skeleton, Space, Steps, Tag, Typography } from 'antd';
import { CheckCircleOutlined, CloseCircleOutlined, ReloadOutlined } from '@ant-design/icons';
import { useProblem } from '../../api/useProblem.ts';
import { LoadError } from '../../components/LoadError.tsx';
import { useT } from '../../i18n/useI18n.ts';
import { strategyNext, useSaveStrategy } from './api.ts';
import { type Insight, type OpportunityDetail, type StrategyStepResult } from './types.ts';
import { InsightGate } from './InsightTabs.tsx';

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
