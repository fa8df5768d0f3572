/** Shapes of the opportunity API (src/modules/opportunities/routes.ts, docs/sales-process.md). Money in fen. */
import { FORECAST_CATEGORIES, LOSS_REASONS, OPPORTUNITY_STATUSES as STATUSES, ROOT_CAUSES, TEAM_ROLES } from '../../../../src/domain/opportunity.ts';
import { BUYING_PHASES, QUALIFICATION_FACTS } from '../../../../src/domain/buying-phase.ts';
import { STRATEGIES, STRATEGY_QUESTIONS } from '../../../../src/domain/win-strategy.ts';

// Vocabularies shared with the server's pure domain modules (docs/sales-process.md § The opportunity, §5.4–§5.7).
export { BUYING_PHASES, FORECAST_CATEGORIES, LOSS_REASONS, QUALIFICATION_FACTS, ROOT_CAUSES, STATUSES, STRATEGIES, STRATEGY_QUESTIONS, TEAM_ROLES };
export type RootCause = (typeof ROOT_CAUSES)[number];
export type Status = (typeof STATUSES)[number];
export const PROBLEMS = ['stalled', 'no_plan', 'advantage_lost'] as const;
export type Problem = (typeof PROBLEMS)[number];
export type TeamRole = (typeof TEAM_ROLES)[number];
export type ForecastCategory = (typeof FORECAST_CATEGORIES)[number];
export type BuyingPhase = (typeof BUYING_PHASES)[number];
export type QualificationFact = (typeof QUALIFICATION_FACTS)[number];
export type QualificationAnswer = 'yes' | 'partly' | 'no';
export type StrategyQuestion = (typeof STRATEGY_QUESTIONS)[number];
export type Strategy = (typeof STRATEGIES)[number];

export interface Opportunity {
  id: number;
  accountId: number;
  accountName: string;
  name: string;
  ownerId: number;
  ownerName: string | null;
  orgUnitId: number;
  orgUnitName: string;
  amount: number;
  sizeClass: 'small' | 'large';
  status: Status;
  expectedCloseDate: string | null;
  closedAt: number | null;
  processId: number | null;
  processName: string | null;
  stageId: number | null;
  stageName: string | null;
  probability: number | null;
  expectedAmount: number | null;
  stageEnteredAt: number | null;
  daysInStage: number | null;
  leadSource: string | null;
  buyingPhase: BuyingPhase | null;
  stageAheadOfBuyer: boolean;
  forecastCategory: ForecastCategory;
  nextStep: string | null;
  nextStepDate: string | null;
  problems: Problem[];
  advantageMarked: boolean;
  closeReason: string | null;
  closeCompetitor: string | null;
  contractAmount: number | null;
  description: string | null;
  products: string[];
  /** The evidence gathered so far for the current stage (docs/sales-process.md), emptied when the stage changes; a move starts from it. */
  evidence: EvidenceGiven[];
  /** How far the current stage's evidence is; null when closed. */
  evidenceStatus: EvidenceStatus | null;
  createdAt: number;
  updatedAt: number;
  version: number;
}

export interface EvidenceStatus { given: number; required: number }

export interface TeamMember { id: number; userId: number; userName: string; teamRole: TeamRole }

export interface OpportunityDetail extends Opportunity {
  team: TeamMember[];
  /**
   * What the user may do (the server's rule, docs/organisation.md): edit = lead the deal (figures, stage moves,
   * close, reopen, the team, reviews); contribute = the analysis (qualification, buying phase, SWOT,
   * strategy, next step, products, description); manage = a manager over it (override, advantage lost).
   */
  permissions: { edit: boolean; contribute: boolean; manage: boolean };
  /** Roles the current stage asks to involve that nobody on the team holds (when the server sends it). */
  suggestedRoles?: string[];
}

/** Processes and stages: the sales-processes contract. */
export type { EvidenceItem, Stage, ProcessSummary, Process } from '../../../../src/contracts/sales-processes.ts';
import type { Stage } from '../../../../src/contracts/sales-processes.ts';

/** A board card says whether the user may move it (drag it to another column) and override missing evidence in the move. */
export interface BoardCard extends Opportunity { permissions: { edit: boolean; manage: boolean } }
export interface BoardColumn { stage: Stage; count: number; amount: number; expectedAmount: number; cards: BoardCard[]; more: number }
export interface Board { process: { id: number; name: string }; columns: BoardColumn[] }

export interface EvidenceGiven { stageId: number; key: string; note?: string | null; attachmentId?: number | null }

export interface StageHistoryEntry {
  id: number;
  stageId: number;
  stageName: string;
  probability: number;
  enteredAt: number;
  enteredByName: string | null;
  leftAt: number | null;
  leftByName: string | null;
  daysInStage: number;
  exitDirection: string | null;
  exitEvidence: EvidenceGiven[];
  exitReason: string | null;
  exitOverridden: unknown[];
}

export interface MissingEvidence { stageId: number; stageName: string; key: string; label: string; problem: 'missing' | 'note_required' | 'attachment_required' }

export interface BoardFilters {
  processId?: number;
  ownerId?: number;
  orgUnitId?: number;
  closeFrom?: string;
  closeTo?: string;
  q?: string;
}

export interface ListFilters extends BoardFilters {
  status?: Status;
  stageId?: number;
  sort?: string;
  /** Current stage probability at least this percent. */
  minProbability?: number;
  /** Small or large projects (the funnel drills down by it). */
  sizeClass?: 'small' | 'large';
}

export interface AttentionPage { items: Opportunity[]; total: number; counts?: Partial<Record<Problem, number>> }

export interface Review {
  id: number;
  reviewerName: string | null;
  completedStep: string;
  evidence: string | null;
  nextAction: string;
  jointPlan: string | null;
  rootCause: RootCause | null;
  nextActionDate: string | null;
  createdAt: number;
}

export interface HistoryItem {
  field: string;
  oldValue: string | null;
  newValue: string | null;
  oldLabel: string | null;
  newLabel: string | null;
  reason: string | null;
  actorName: string | null;
  createdAt: number;
}

export const SWOT_KEYS = ['strengths', 'weaknesses', 'opportunities', 'threats'] as const;
export type Swot = Record<(typeof SWOT_KEYS)[number], string[]>;
export const COMPETITOR_STATUSES = ['leading', 'close', 'behind', 'out'] as const;
export interface Competitor { name: string; strengths: string; weaknesses: string; status: (typeof COMPETITOR_STATUSES)[number] }

/** GET /opportunities/:id/insight: the opportunity with qualification, SWOT, competitors and win strategy. */
export interface Insight extends OpportunityDetail {
  qualification: Record<QualificationFact, { answer: QualificationAnswer; note: string | null } | null>;
  qualificationScore: number;
  weakened: QualificationFact[];
  qualificationAssessedAt: number | null;
  qualificationAssessedByName: string | null;
  swot: Swot;
  competitors: Competitor[];
  strategy: { strategy: Strategy; path: { question: StrategyQuestion; answer: boolean }[]; answers: Partial<Record<StrategyQuestion, boolean>>; decidedAt: number; decidedByName: string | null } | null;
  advantageLost: boolean;
  stageBuyingPhase: BuyingPhase | null;
}

export interface StrategyStepResult { done: boolean; next?: StrategyQuestion; strategy?: Strategy; path: { question: StrategyQuestion; answer: boolean }[] }
