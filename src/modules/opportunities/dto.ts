import { stageAheadOfBuyer, type BuyingPhase } from '../../domain/buying-phase.ts';
import type { ForecastCategory, OpportunityStatus } from '../../domain/opportunity.ts';
import { classifyProblems, gatheredStatus, sizeClass, type EvidenceGiven } from '../../domain/stage-gate.ts';
import type { OpportunityRow } from './repository.ts';
import type * as contract from '../../contracts/opportunities.ts';

type StageItem = { key: string; label: string; requires: 'check' | 'note' | 'attachment' };
function jsonArray(text: string | null): unknown[] {
  try {
    const v = JSON.parse(text ?? '[]') as unknown;
    return Array.isArray(v) ? v : [];
  } catch {
    return [];
  }
}

export type GatheredItem = contract.GatheredItem;

/**
 * The evidence gathered so far for an open opportunity's current stage (migration 0009), and
 * how far it is. Only items the stage still has are shown, so a move pre-filled with them is
 * never refused for an item an administrator removed since.
 */
export function gatheredOf(r: OpportunityRow): Pick<contract.Opportunity, 'evidence' | 'evidenceStatus'> {
  if (r.status !== 'open' || r.stage_id === null) return { evidence: [], evidenceStatus: null };
  const items = jsonArray(r.stage_evidence_items) as StageItem[];
  const evidence = jsonArray(r.stage_evidence)
    .filter((e): e is EvidenceGiven => typeof e === 'object' && e !== null && (e as EvidenceGiven).stageId === r.stage_id && items.some((i) => i.key === (e as EvidenceGiven).key))
    .map((e) => ({ stageId: e.stageId, key: e.key, note: e.note ?? null, attachmentId: e.attachmentId ?? null }));
  return { evidence, evidenceStatus: gatheredStatus({ evidence: items }, evidence) };
}

/**
 * What a card is judged against: the workspace's large-deal threshold, the request's instant
 * and today's date in the workspace zone (a next step dated yesterday there is overdue).
 */
export interface DtoView {
  largeDealThreshold: number;
  now: number;
  today: string;
}

export function toOpportunityDto(r: OpportunityRow, view: DtoView): contract.Opportunity {
  const { now } = view;
  const problems = r.status === 'open' && r.stage_entered_at !== null
    ? classifyProblems({
        now, enteredStageAt: r.stage_entered_at, expectedDays: r.stage_expected_days ?? 0, nextStep: r.next_step, nextStepDate: r.next_step_date,
        today: view.today, qualificationWeakened: false, markedAdvantageLost: r.advantage_lost === 1,
      })
    : [];
  return {
    id: r.id,
    accountId: r.account_id,
    accountName: r.account_name,
    name: r.name,
    ownerId: r.owner_id,
    ownerName: r.owner_name,
    orgUnitId: r.org_unit_id,
    orgUnitName: r.org_unit_name,
    amount: r.amount,
    sizeClass: sizeClass(r.amount, view.largeDealThreshold),
    status: r.status as OpportunityStatus,
    expectedCloseDate: r.expected_close_date,
    closedAt: r.closed_at,
    processId: r.process_id,
    processName: r.process_name,
    stageId: r.stage_id,
    stageName: r.stage_name,
    probability: r.stage_probability,
    expectedAmount: r.stage_probability === null ? null : Math.round((r.amount * r.stage_probability) / 100),
    stageEnteredAt: r.stage_entered_at,
    // How long it has been sitting: a closed deal no longer sits anywhere.
    daysInStage: r.stage_entered_at === null || r.status !== 'open' ? null : Math.floor((now - r.stage_entered_at) / 86_400_000),
    leadSource: r.lead_source,
    buyingPhase: r.buying_phase as BuyingPhase | null,
    // A warning about the road ahead (docs/sales-process.md § Buying phase): a closed deal has none.
    stageAheadOfBuyer: r.status === 'open' && stageAheadOfBuyer(r.stage_buying_phase as BuyingPhase | null, r.buying_phase as BuyingPhase | null),
    forecastCategory: r.forecast_category as ForecastCategory,
    nextStep: r.next_step,
    nextStepDate: r.next_step_date,
    problems,
    advantageMarked: r.advantage_lost === 1,
    closeReason: r.close_reason,
    closeCompetitor: r.close_competitor,
    contractAmount: r.contract_amount,
    description: r.description,
    products: JSON.parse(r.products) as string[],
    ...gatheredOf(r),
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    version: r.version,
  };
}
