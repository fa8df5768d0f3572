/** Shapes of the opportunity API: the opportunities and opportunity-insight contracts (docs/sales-process.md). Money in fen. */
import {
  FORECAST_CATEGORIES,
  LOSS_REASONS,
  OPPORTUNITY_STATUSES as STATUSES,
  ROOT_CAUSES,
  TEAM_ROLES,
} from '../../../../src/domain/opportunity.ts';
import { BUYING_PHASES, QUALIFICATION_FACTS } from '../../../../src/domain/buying-phase.ts';
import { STRATEGIES, STRATEGY_QUESTIONS } from '../../../../src/domain/win-strategy.ts';

// Vocabularies shared with the server's pure domain modules (docs/sales-process.md § The opportunity, §5.4–§5.7).
export {
  BUYING_PHASES,
  FORECAST_CATEGORIES,
  LOSS_REASONS,
  QUALIFICATION_FACTS,
  ROOT_CAUSES,
  STATUSES,
  STRATEGIES,
  STRATEGY_QUESTIONS,
  TEAM_ROLES,
};
export type RootCause = (typeof ROOT_CAUSES)[number];
export type Status = (typeof STATUSES)[number];
export { OPPORTUNITY_PROBLEMS as PROBLEMS } from '../../../../src/domain/stage-gate.ts';
export type { OpportunityProblem as Problem } from '../../../../src/domain/stage-gate.ts';
export type TeamRole = (typeof TEAM_ROLES)[number];
export type ForecastCategory = (typeof FORECAST_CATEGORIES)[number];
export type BuyingPhase = (typeof BUYING_PHASES)[number];
export type QualificationFact = (typeof QUALIFICATION_FACTS)[number];
export type { QualificationAnswer } from '../../../../src/contracts/opportunity-insight.ts';
export type StrategyQuestion = (typeof STRATEGY_QUESTIONS)[number];
export type Strategy = (typeof STRATEGIES)[number];

export type {
  Opportunity,
  OpportunityDetail,
  EvidenceStatus,
  TeamMember,
} from '../../../../src/contracts/opportunities.ts';

/** Processes and stages: the sales-processes contract. */
export type { EvidenceItem, Stage, ProcessSummary, Process } from '../../../../src/contracts/sales-processes.ts';

/** A board card says whether the user may move it (drag it to another column) and override missing evidence in the move. */
export type {
  BoardCard,
  BoardColumn,
  Board,
  EvidenceGiven,
  StageHistoryEntry,
  MissingEvidence,
} from '../../../../src/contracts/opportunities.ts';

export interface BoardFilters {
  processId?: number;
  ownerId?: number;
  orgUnitId?: number;
  closeFrom?: string;
  closeTo?: string;
  q?: string;
  /** A business line's key, or `none` (docs/targets.md § Business lines). */
  line?: string;
}

export interface ListFilters extends BoardFilters {
  status?: Status;
  stageId?: number;
  sort?: string;
  /** Current stage probability at least this percent. */
  minProbability?: number;
  /** Small or large projects (the funnel drills down by it). */
  sizeClass?: 'small' | 'large';
  /** A business line's key, or none: the deals of no line (the funnel drills down by it). */
  line?: string;
}

export type {
  AttentionPage,
  HistoryItem,
  OpportunityListPage,
  OpportunityListTotals,
} from '../../../../src/contracts/opportunities.ts';
export type { Review } from '../../../../src/contracts/opportunity-insight.ts';

export { SWOT_KEYS, COMPETITOR_STATUSES } from '../../../../src/domain/opportunity.ts';
/** GET /opportunities/:id/insight: the opportunity with qualification, SWOT, competitors and win strategy. */
export type { Swot, Competitor, Insight, StrategyStepResult } from '../../../../src/contracts/opportunity-insight.ts';
