import { Card, Flex, Grid, Steps, Typography } from 'antd';
import { useT } from '../../i18n/useI18n.ts';
import type { OpportunityDetail, Process, Stage, StageHistoryEntry } from './types.ts';

/** Time spent in each stage, summed over every visit (the stage history, docs/sales-process.md § The opportunity). */
function daysByStage(history: StageHistoryEntry[] | undefined) {
  const days = new Map<number, number>();
  for (const entry of history ?? []) days.set(entry.stageId, (days.get(entry.stageId) ?? 0) + entry.daysInStage);
  return days;
}

/** The deal's way through its process: the stages in order with the days spent in each; with the right, a click moves it. */
export function StagePath({
  o: opportunity,
  process,
  history,
  onMove,
}: {
  o: OpportunityDetail;
  process: Process;
  history: StageHistoryEntry[] | undefined;
  onMove: (stage: Stage) => void;
}) {
  const t = useT();
  const screens = Grid.useBreakpoint();
  const stages = [...process.stages].sort((a, b) => a.position - b.position);
  const current = stages.findIndex((s) => s.id === opportunity.stageId);
  const days = daysByStage(history);
  const canMove = opportunity.permissions.edit && opportunity.status === 'open';
  const compact = screens.md && stages.length > 5;
  return (
    <Card style={{ marginBottom: 16 }} styles={{ body: { padding: '18px 20px 8px' } }} data-testid="stage-path">
      <Flex justify="space-between" style={{ marginBottom: 12 }}>
        <Typography.Text strong>{t('opps.path.title', { process: process.name })}</Typography.Text>
        {/* The hint is for a pointer; on a phone the process name needs the room. */}
        {screens.md && (
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {canMove ? t('opps.path.hint') : ''}
          </Typography.Text>
        )}
      </Flex>
      <Steps
        size="small"
        orientation={screens.md ? 'horizontal' : 'vertical'}
        // Seven or eight stages with long names (七步法, P0–P7) do not fit side by side: titles go under the icons.
        titlePlacement={compact ? 'vertical' : 'horizontal'}
        current={current}
        status={
          opportunity.status === 'lost' || opportunity.status === 'abandoned'
            ? 'error'
            : opportunity.status === 'won'
              ? 'finish'
              : 'process'
        }
        onChange={
          canMove
            ? (index) => {
                const stage = stages[index];
                if (stage && stage.id !== opportunity.stageId) onMove(stage);
              }
            : undefined
        }
        items={stages.map((stage, index) => ({
          title: stage.name,
          subTitle: compact ? undefined : `${stage.probability}%`,
          description: (
            <span style={{ fontSize: 12 }}>
              {compact && <span style={{ display: 'block' }}>{stage.probability}%</span>}
              {days.has(stage.id)
                ? t('opps.path.days', { days: Math.round((days.get(stage.id) ?? 0) * 10) / 10 })
                : index > current
                  ? t('opps.path.expected', { days: stage.expectedDays })
                  : '—'}
              {index === current && opportunity.evidenceStatus && opportunity.evidenceStatus.required > 0 && (
                <Typography.Text
                  type={
                    opportunity.evidenceStatus.given >= opportunity.evidenceStatus.required ? 'success' : 'secondary'
                  }
                  style={{ fontSize: 12, display: 'block' }}
                  data-testid="path-evidence"
                >
                  {t('opps.path.evidence', {
                    given: opportunity.evidenceStatus.given,
                    required: opportunity.evidenceStatus.required,
                  })}
                </Typography.Text>
              )}
              {index === current && opportunity.problems.includes('stalled') && (
                <Typography.Text type="warning" style={{ fontSize: 12, display: 'block' }}>
                  {t('opps.problem.stalled')}
                </Typography.Text>
              )}
            </span>
          ),
        }))}
      />
    </Card>
  );
}
