import { Tag, Tooltip } from 'antd';
import {
  CheckSquareOutlined,
  ClockCircleOutlined,
  FallOutlined,
  FieldTimeOutlined,
  RiseOutlined,
} from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { useT } from '../../i18n/useI18n.ts';
import { territoryQueries } from '../territories/api.ts';
import type { EvidenceStatus, Opportunity, Status } from './types.ts';

/**
 * A date is overdue only while the deal is open: a won or lost deal's close date is history, not a warning.
 * The board, the list and the opportunity page all ask here.
 */
export const overdueDate = (opportunity: Pick<Opportunity, 'status'>, date: string | null, today: string) =>
  opportunity.status === 'open' && date !== null && date < today;

export const STATUS_COLOR: Record<Status, string> = {
  open: 'processing',
  won: 'success',
  lost: 'error',
  abandoned: 'default',
};

export function StatusTag({ status }: { status: Status }) {
  const t = useT();
  return <Tag color={STATUS_COLOR[status]}>{t(`opps.status.${status}`)}</Tag>;
}

/** The warning badges of docs/sales-process.md (problems) and §5.4 (stage ahead of the buyer). */
export function ProblemBadges({
  o: opportunity,
  compact,
}: {
  o: Pick<Opportunity, 'problems' | 'stageAheadOfBuyer' | 'daysInStage' | 'nextStepDate'>;
  compact?: boolean;
}) {
  const t = useT();
  // The stall factor is a workspace setting; the rules are one cached query however many cards ask.
  const rules = useQuery({ ...territoryQueries.rules(), enabled: opportunity.problems.includes('stalled') });
  const icon = {
    stalled: <FieldTimeOutlined />,
    no_plan: <ClockCircleOutlined />,
    advantage_lost: <FallOutlined />,
  } as const;
  const hint = {
    stalled: t('opps.problem.stalledHint', {
      days: opportunity.daysInStage ?? 0,
      factor: (rules.data?.stalledFactorPercent ?? 150) / 100,
    }),
    no_plan: t('opps.problem.no_planHint'),
    advantage_lost: t('opps.problem.advantage_lostHint'),
  } as const;
  return (
    <>
      {opportunity.problems.map((problem) => (
        <Tooltip key={problem} title={hint[problem]}>
          <Tag
            color={problem === 'advantage_lost' ? 'red' : 'orange'}
            icon={icon[problem]}
            style={{ marginInlineEnd: 4, fontSize: compact ? 11 : undefined }}
            data-testid={`problem-${problem}`}
          >
            {t(`opps.problem.${problem}`)}
          </Tag>
        </Tooltip>
      ))}
      {opportunity.stageAheadOfBuyer && (
        <Tooltip title={t('opps.problem.aheadHint')}>
          <Tag
            color="purple"
            icon={<RiseOutlined />}
            style={{ marginInlineEnd: 4, fontSize: compact ? 11 : undefined }}
          >
            {t('opps.problem.ahead')}
          </Tag>
        </Tooltip>
      )}
    </>
  );
}

/** How much of the current stage's evidence is done (docs/sales-process.md "what is done is seen"); nothing when the stage asks for none. */
export function EvidenceProgress({
  status,
  compact,
  testId = 'evidence-progress',
}: {
  status: EvidenceStatus | null;
  compact?: boolean;
  testId?: string;
}) {
  const t = useT();
  if (!status || status.required === 0) return null;
  const done = status.given >= status.required;
  return (
    <Tooltip title={t('opps.evidence.statusHint')}>
      <Tag
        color={done ? 'success' : status.given > 0 ? 'processing' : 'default'}
        icon={<CheckSquareOutlined />}
        style={{ margin: 0, fontSize: compact ? 11 : undefined }}
        data-testid={testId}
      >
        {t(compact ? 'opps.evidence.short' : 'opps.evidence.status', {
          given: status.given,
          required: status.required,
        })}
      </Tag>
    </Tooltip>
  );
}

export const PROBLEM_COLOR = { stalled: '#f59e0b', no_plan: '#f97316', advantage_lost: '#dc2626' } as const;
