import { stageAheadOfBuyer, type BuyingPhase } from '../../domain/buying-phase.ts';
import type { ForecastCategory, OpportunityStatus } from '../../domain/opportunity.ts';
import { classifyProblems, gatheredStatus, sizeClass, type EvidenceGiven } from '../../domain/stage-gate.ts';
import type { OpportunityRow } from './repository/deal.ts';
import type * as contract from '../../contracts/opportunities.ts';

type StageItem = { key: string; label: string; requires: 'check' | 'note' | 'attachment' };
function jsonArray(text: string | null): unknown[] {
  try {
    const parsed = JSON.parse(text ?? '[]') as unknown;
    return Array.isArray(parsed) ? parsed : [];
  } catch {
    return [];
  }
}

export type GatheredItem = contract.GatheredItem;

/**
 * Each stage's evidence items as parsed, by their text: a page of deals repeats the same few
 * stages, and parsing their JSON again for every card was a twentieth of the list's own CPU.
 * Shared, so read only: nothing changes them or hands them out. Emptied when full.
 */
const stageItems = new Map<string, StageItem[]>();
function stageItemsOf(text: string | null): StageItem[] {
  const key = text ?? '';
  let items = stageItems.get(key);
  if (items === undefined) {
    items = jsonArray(text) as StageItem[];
    if (stageItems.size >= 1_000) stageItems.clear();
    stageItems.set(key, items);
  }
  return items;
}

/**
 * The evidence gathered so far for an open opportunity's current stage (migration 0009), and
 * how far it is. Only items the stage still has are shown, so a move pre-filled with them is
 * never refused for an item an administrator removed since.
 */
export function gatheredOf(opportunity: OpportunityRow): Pick<contract.Opportunity, 'evidence' | 'evidenceStatus'> {
  if (opportunity.status !== 'open' || opportunity.stage_id === null) return { evidence: [], evidenceStatus: null };
  const items = stageItemsOf(opportunity.stage_evidence_items);
  const evidence = jsonArray(opportunity.stage_evidence)
    .filter(
      (err): err is EvidenceGiven =>
        typeof err === 'object' &&
        err !== null &&
        (err as EvidenceGiven).stageId === opportunity.stage_id &&
        items.some((i) => i.key === (err as EvidenceGiven).key),
    )
    .map((e) => ({ stageId: e.stageId, key: e.key, note: e.note ?? null, attachmentId: e.attachmentId ?? null }));
  return { evidence, evidenceStatus: gatheredStatus({ evidence: items }, evidence) };
}

/**
 * What a card is judged against: the workspace's large-deal threshold and stall factor, the request's instant
 * and today's date in the workspace zone (a next step dated yesterday there is overdue).
 */
export interface DtoView {
  largeDealThreshold: number;
  stalledFactorPercent: number;
  now: number;
  today: string;
}

export function toOpportunityDto(opportunity: OpportunityRow, view: DtoView): contract.Opportunity {
  const { now } = view;
  const problems =
    opportunity.status === 'open' && opportunity.stage_entered_at !== null
      ? classifyProblems({
          now,
          enteredStageAt: opportunity.stage_entered_at,
          expectedDays: opportunity.stage_expected_days ?? 0,
          stalledFactor: view.stalledFactorPercent / 100,
          nextStep: opportunity.next_step,
          nextStepDate: opportunity.next_step_date,
          today: view.today,
          qualificationWeakened: false,
          markedAdvantageLost: opportunity.advantage_lost === 1,
        })
      : [];
  return {
    id: opportunity.id,
    accountId: opportunity.account_id,
    accountName: opportunity.account_name,
    name: opportunity.name,
    ownerId: opportunity.owner_id,
    ownerName: opportunity.owner_name,
    orgUnitId: opportunity.org_unit_id,
    orgUnitName: opportunity.org_unit_name,
    amount: opportunity.amount,
    sizeClass: sizeClass(opportunity.amount, view.largeDealThreshold),
    status: opportunity.status as OpportunityStatus,
    expectedCloseDate: opportunity.expected_close_date,
    closedAt: opportunity.closed_at,
    processId: opportunity.process_id,
    processName: opportunity.process_name,
    stageId: opportunity.stage_id,
    stageName: opportunity.stage_name,
    probability: opportunity.stage_probability,
    expectedAmount:
      opportunity.stage_probability === null
        ? null
        : Math.round((opportunity.amount * opportunity.stage_probability) / 100),
    stageEnteredAt: opportunity.stage_entered_at,
    // How long it has been sitting: a closed deal no longer sits anywhere.
    daysInStage:
      opportunity.stage_entered_at === null || opportunity.status !== 'open'
        ? null
        : Math.floor((now - opportunity.stage_entered_at) / 86_400_000),
    leadSource: opportunity.lead_source,
    buyingPhase: opportunity.buying_phase as BuyingPhase | null,
    // A warning about the road ahead (docs/sales-process.md § Buying phase): a closed deal has none.
    stageAheadOfBuyer:
      opportunity.status === 'open' &&
      stageAheadOfBuyer(
        opportunity.stage_buying_phase as BuyingPhase | null,
        opportunity.buying_phase as BuyingPhase | null,
      ),
    forecastCategory: opportunity.forecast_category as ForecastCategory,
    nextStep: opportunity.next_step,
    nextStepDate: opportunity.next_step_date,
    problems,
    advantageMarked: opportunity.advantage_lost === 1,
    closeReason: opportunity.close_reason,
    closeCompetitor: opportunity.close_competitor,
    contractAmount: opportunity.contract_amount,
    description: opportunity.description,
    products: JSON.parse(opportunity.products) as string[],
    ...gatheredOf(opportunity),
    createdAt: opportunity.created_at,
    updatedAt: opportunity.updated_at,
    version: opportunity.version,
  };
}
