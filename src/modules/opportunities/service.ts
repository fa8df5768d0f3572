import type { Db } from '../../db/database.ts';
import { updateVersioned } from '../../db/versioned.ts';
import { stageAheadOfBuyer, type BuyingPhase } from '../../domain/buying-phase.ts';
import { canManageAccount, reachesUnit, type Actor } from '../../domain/policy.ts';
import type { ForecastCategory, OpportunityStatus, TeamRole } from '../../domain/opportunity.ts';
import { checkStageMove, classifyProblems, sizeClass, type EvidenceGiven } from '../../domain/stage-gate.ts';
import { AppError, forbidden, invalid, notFound, staleVersion } from '../../server/problem.ts';
import { factsOf, requireAccount } from '../accounts/service.ts';
import { recordChanges, type Change } from '../history/repository.ts';
import { getStage, stagesOf } from '../sales-processes/repository.ts';
import { loadSettings } from '../workspace/service.ts';
import { canEditAccount } from '../../domain/policy.ts';
import * as repo from './repository.ts';

const today = () => new Date().toISOString().slice(0, 10);

export function toOpportunityDto(r: repo.OpportunityRow, largeDealThreshold: number, now = Date.now()) {
  const problems = r.status === 'open' && r.stage_entered_at !== null
    ? classifyProblems({
        now, enteredStageAt: r.stage_entered_at, expectedDays: r.stage_expected_days ?? 0, nextStep: r.next_step, nextStepDate: r.next_step_date,
        today: today(), qualificationWeakened: false, markedAdvantageLost: r.advantage_lost === 1,
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
    sizeClass: sizeClass(r.amount, largeDealThreshold),
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
    daysInStage: r.stage_entered_at === null ? null : Math.floor((now - r.stage_entered_at) / 86_400_000),
    leadSource: r.lead_source,
    buyingPhase: r.buying_phase as BuyingPhase | null,
    stageAheadOfBuyer: stageAheadOfBuyer(r.stage_buying_phase as BuyingPhase | null, r.buying_phase as BuyingPhase | null),
    forecastCategory: r.forecast_category as ForecastCategory,
    nextStep: r.next_step,
    nextStepDate: r.next_step_date,
    problems,
    closeReason: r.close_reason,
    closeCompetitor: r.close_competitor,
    contractAmount: r.contract_amount,
    description: r.description,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    version: r.version,
  };
}

export async function listOpportunities(db: Db, actor: Actor, q: Parameters<typeof repo.listOpportunities>[3]) {
  const [{ items, total }, s] = await Promise.all([repo.listOpportunities(db.kysely, db.engine, actor, q), loadSettings(db.kysely, actor.workspaceId)]);
  return { items: items.map((r) => toOpportunityDto(r, s.largeDealThreshold)), total };
}

async function requireOpportunity(db: Db, actor: Actor, id: number) {
  const r = await repo.getOpportunity(db.kysely, actor, id);
  if (!r) throw notFound('Opportunity');
  return r;
}

/** The owner, a team member, a manager above it, an admin may work on an opportunity. */
function canEdit(actor: Actor, r: repo.OpportunityRow, onTeam: boolean) {
  if (actor.role === 'admin') return true;
  if (actor.role === 'manager') return r.unit_path.startsWith(actor.unitPath);
  if (actor.role === 'rep' || actor.role === 'presales') return r.owner_id === actor.userId || onTeam;
  return false;
}
const canManage = (actor: Actor, r: repo.OpportunityRow) => canManageAccount(actor, { unitPath: r.unit_path });

export async function getOpportunity(db: Db, actor: Actor, id: number) {
  const r = await requireOpportunity(db, actor, id);
  const [s, team] = await Promise.all([loadSettings(db.kysely, actor.workspaceId), repo.teamOf(db.kysely, actor.workspaceId, [id])]);
  const onTeam = team.some((m) => m.user_id === actor.userId);
  return {
    ...toOpportunityDto(r, s.largeDealThreshold),
    team: team.map((m) => ({ id: m.id, userId: m.user_id, userName: m.user_name, teamRole: m.team_role as TeamRole })),
    permissions: { edit: canEdit(actor, r, onTeam), manage: canManage(actor, r) },
  };
}

export interface OpportunityInput {
  accountId: number;
  name: string;
  processId: number;
  stageId?: number | undefined;
  amount: number;
  expectedCloseDate: string;
  ownerId?: number | undefined;
  leadSource?: string | null | undefined;
  buyingPhase?: BuyingPhase | null | undefined;
  forecastCategory?: ForecastCategory | undefined;
  nextStep?: string | null | undefined;
  nextStepDate?: string | null | undefined;
  description?: string | null | undefined;
}

async function ownerUnit(db: Db, actor: Actor, ownerId: number) {
  const u = await db.kysely
    .selectFrom('users')
    .innerJoin('org_units', 'org_units.id', 'users.org_unit_id')
    .select(['users.id', 'users.active', 'users.org_unit_id', 'org_units.path'])
    .where('users.workspace_id', '=', actor.workspaceId)
    .where('users.id', '=', ownerId)
    .executeTakeFirst();
  if (!u || !u.active || !reachesUnit(actor, u.path)) throw invalid('ownerId', `no active user with id ${ownerId} in your organisation`);
  return u;
}

/** Creates an opportunity on an account the caller may edit; the owner joins the team as sales lead. */
export async function createOpportunity(db: Db, actor: Actor, input: OpportunityInput) {
  const account = await requireAccount(db, actor, input.accountId).catch(() => {
    throw invalid('accountId', `no account with id ${input.accountId}`);
  });
  if (!canEditAccount(actor, factsOf(account))) throw forbidden('You cannot add opportunities to this account');
  const stages = await stagesOf(db.kysely, actor.workspaceId, [input.processId]);
  const process = await db.kysely.selectFrom('sales_processes').select(['id', 'active']).where('workspace_id', '=', actor.workspaceId).where('id', '=', input.processId).executeTakeFirst();
  if (!process || stages.length === 0) throw invalid('processId', `no sales process with id ${input.processId}`);
  if (process.active !== 1) throw invalid('processId', 'the sales process is no longer in use');
  const stage = input.stageId === undefined ? stages[0]! : stages.find((s) => s.id === input.stageId);
  if (!stage) throw invalid('stageId', 'must be a stage of the chosen process');
  if (stage.is_won === 1) throw invalid('stageId', 'a new opportunity cannot start as won');
  const owner = input.ownerId !== undefined && input.ownerId !== actor.userId
    ? await ownerUnit(db, actor, input.ownerId)
    : { id: actor.userId, org_unit_id: actor.orgUnitId };
  const now = Date.now();
  const id = await db.kysely.transaction().execute(async (trx) => {
    const { id: oppId } = await trx
      .insertInto('opportunities')
      .values({
        workspace_id: actor.workspaceId, account_id: input.accountId, name: input.name, owner_id: owner.id, org_unit_id: owner.org_unit_id,
        amount: input.amount, status: 'open', expected_close_date: input.expectedCloseDate, process_id: input.processId, stage_id: stage.id,
        stage_entered_at: now, lead_source: input.leadSource ?? null, buying_phase: input.buyingPhase ?? null,
        forecast_category: input.forecastCategory ?? 'pipeline', next_step: input.nextStep ?? null, next_step_date: input.nextStepDate ?? null,
        description: input.description ?? null, created_at: now, updated_at: now, version: 1,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await trx.insertInto('opportunity_team').values({ workspace_id: actor.workspaceId, opportunity_id: oppId, user_id: owner.id, team_role: 'sales_lead', created_at: now }).execute();
    await trx.insertInto('opportunity_stage_history').values({ workspace_id: actor.workspaceId, opportunity_id: oppId, stage_id: stage.id, stage_name: stage.name, probability: stage.probability, entered_at: now, entered_by: actor.userId }).execute();
    await recordChanges(trx, [
      { workspaceId: actor.workspaceId, entityType: 'opportunity', entityId: oppId, field: 'owner', oldValue: null, newValue: owner.id, reason: 'creator', actorUserId: actor.userId },
      { workspaceId: actor.workspaceId, entityType: 'opportunity', entityId: oppId, field: 'amount', oldValue: null, newValue: input.amount, actorUserId: actor.userId },
      { workspaceId: actor.workspaceId, entityType: 'opportunity', entityId: oppId, field: 'close_date', oldValue: null, newValue: input.expectedCloseDate, actorUserId: actor.userId },
    ], now);
    return oppId;
  });
  return getOpportunity(db, actor, id);
}

export type OpportunityPatch = Partial<Omit<OpportunityInput, 'accountId' | 'processId' | 'stageId'>> & { version: number; ownerReason?: string | undefined; advantageLost?: boolean | undefined };

/** Changes fields; owner, amount, close date and forecast category go to the history (SPEC §8). */
export async function updateOpportunity(db: Db, actor: Actor, id: number, patch: OpportunityPatch) {
  const r = await requireOpportunity(db, actor, id);
  const team = await repo.teamOf(db.kysely, actor.workspaceId, [id]);
  if (!canEdit(actor, r, team.some((m) => m.user_id === actor.userId))) throw forbidden('You cannot edit this opportunity');
  if (r.status !== 'open') throw new AppError(409, 'closed', 'A closed opportunity cannot be edited');
  let newOwner: { id: number; org_unit_id: number } | undefined;
  if (patch.ownerId !== undefined && patch.ownerId !== r.owner_id) {
    // Reps cannot reassign opportunities they do not own (issue: opportunities, permissions).
    if (!canManage(actor, r) && r.owner_id !== actor.userId) throw forbidden('Only the owner or a manager can reassign this opportunity');
    if (!patch.ownerReason) throw invalid('ownerReason', 'say why the owner changes');
    newOwner = await ownerUnit(db, actor, patch.ownerId);
  }
  if (patch.advantageLost !== undefined && !canManage(actor, r)) throw forbidden('Only a manager marks an advantage as lost');
  const now = Date.now();
  const changes: Change[] = [];
  const track = (field: string, from: string | number | null, to: string | number | null | undefined, reason?: string) => {
    if (to !== undefined && to !== from) changes.push({ workspaceId: actor.workspaceId, entityType: 'opportunity', entityId: id, field, oldValue: from, newValue: to, reason: reason ?? null, actorUserId: actor.userId });
  };
  track('owner', r.owner_id, newOwner?.id, patch.ownerReason);
  track('amount', r.amount, patch.amount);
  track('close_date', r.expected_close_date, patch.expectedCloseDate);
  track('forecast_category', r.forecast_category, patch.forecastCategory);
  await db.kysely.transaction().execute(async (trx) => {
    await updateVersioned(trx, 'opportunities', 'Opportunity', { workspaceId: actor.workspaceId, id, version: patch.version }, {
      ...(patch.name !== undefined ? { name: patch.name } : {}),
      ...(patch.amount !== undefined ? { amount: patch.amount } : {}),
      ...(patch.expectedCloseDate !== undefined ? { expected_close_date: patch.expectedCloseDate } : {}),
      ...(patch.leadSource !== undefined ? { lead_source: patch.leadSource } : {}),
      ...(patch.buyingPhase !== undefined ? { buying_phase: patch.buyingPhase } : {}),
      ...(patch.forecastCategory !== undefined ? { forecast_category: patch.forecastCategory } : {}),
      ...(patch.nextStep !== undefined ? { next_step: patch.nextStep } : {}),
      ...(patch.nextStepDate !== undefined ? { next_step_date: patch.nextStepDate } : {}),
      ...(patch.description !== undefined ? { description: patch.description } : {}),
      ...(patch.advantageLost !== undefined ? { advantage_lost: patch.advantageLost ? 1 : 0 } : {}),
      ...(newOwner ? { owner_id: newOwner.id, org_unit_id: newOwner.org_unit_id } : {}),
      updated_at: now,
    });
    if (newOwner) {
      await trx.deleteFrom('opportunity_team').where('workspace_id', '=', actor.workspaceId).where('opportunity_id', '=', id).where('team_role', '=', 'sales_lead').execute();
      await trx.deleteFrom('opportunity_team').where('workspace_id', '=', actor.workspaceId).where('opportunity_id', '=', id).where('user_id', '=', newOwner.id).execute();
      await trx.insertInto('opportunity_team').values({ workspace_id: actor.workspaceId, opportunity_id: id, user_id: newOwner.id, team_role: 'sales_lead', created_at: now }).execute();
    }
    await recordChanges(trx, changes, now);
  });
  return getOpportunity(db, actor, id);
}

export interface StageMoveInput {
  version: number;
  stageId: number;
  evidence: EvidenceGiven[];
  reason?: string | undefined;
  override?: boolean | undefined;
  contractAmount?: number | undefined;
}

/**
 * The stage gate (SPEC §5.3): forward with the evidence of the stage left and of every stage
 * skipped, back with a reason, a manager's override with a reason; reaching the won stage
 * closes the opportunity as won and needs the contract amount (§5.7). One transaction: the
 * history row of the stage left is closed with its evidence, the next one opened.
 */
export async function moveStage(db: Db, actor: Actor, id: number, input: StageMoveInput) {
  const r = await requireOpportunity(db, actor, id);
  const team = await repo.teamOf(db.kysely, actor.workspaceId, [id]);
  if (!canEdit(actor, r, team.some((m) => m.user_id === actor.userId))) throw forbidden('You cannot move this opportunity');
  if (r.status !== 'open') throw new AppError(409, 'closed', 'The opportunity is closed; reopen it first');
  // A move decided on a stale card is refused even when it would change nothing: the other
  // person's move is news to this one (the conditional update below guards the race itself).
  if (input.version !== r.version) throw staleVersion('Opportunity', r.version);
  if (r.process_id === null || r.stage_id === null) throw new AppError(409, 'no_process', 'The opportunity has no sales process yet; choose one first');
  const target = await getStage(db.kysely, actor.workspaceId, input.stageId);
  if (!target || target.process_id !== r.process_id) throw invalid('stageId', 'must be a stage of the opportunity\'s own sales process');
  const stages = await stagesOf(db.kysely, actor.workspaceId, [r.process_id]);
  const gate = stages.map((s) => ({ id: s.id, position: s.position, evidence: (JSON.parse(s.evidence) as { key: string; requires: 'check' | 'note' | 'attachment' }[]) }));
  const check = checkStageMove(gate, r.stage_id, input.stageId, input.evidence, { reason: input.reason ?? null, canOverride: canManage(actor, r), override: input.override ?? false });
  if (!check.ok) {
    if (check.error === 'reason_required') throw invalid('reason', input.override ? 'an override needs a reason' : 'moving back needs a reason', 'reason_required');
    const names = new Map(stages.map((s) => [s.id, s]));
    const missing = check.missing.map((m) => {
      const stage = names.get(m.stageId)!;
      const item = (JSON.parse(stage.evidence) as { key: string; label: string }[]).find((e) => e.key === m.key);
      return { ...m, stageName: stage.name, label: item?.label ?? m.key };
    });
    throw new AppError(422, 'evidence_missing', `Evidence missing: ${missing.map((m) => `${m.stageName} – ${m.label}${m.problem === 'missing' ? '' : ` (${m.problem.replace('_', ' ')})`}`).join('; ')}`,
      missing.map((m) => ({ field: `evidence.${m.stageId}.${m.key}`, message: m.problem })), { missing });
  }
  if (check.direction === 'none') return getOpportunity(db, actor, id);
  const won = target.is_won === 1;
  if (won && (input.contractAmount === undefined || input.contractAmount <= 0)) throw invalid('contractAmount', 'closing as won needs the contract amount');
  const now = Date.now();
  await db.kysely.transaction().execute(async (trx) => {
    await updateVersioned(trx, 'opportunities', 'Opportunity', { workspaceId: actor.workspaceId, id, version: input.version }, {
      stage_id: target.id,
      stage_entered_at: now,
      updated_at: now,
      ...(won ? { status: 'won', closed_at: now, contract_amount: input.contractAmount, amount: input.contractAmount } : {}),
    });
    await trx
      .updateTable('opportunity_stage_history')
      .set({
        left_at: now,
        left_by: actor.userId,
        exit_direction: check.direction,
        exit_evidence: JSON.stringify(input.evidence),
        exit_reason: input.reason ?? null,
        exit_overridden: check.overridden.length ? JSON.stringify(check.overridden) : null,
      })
      .where('workspace_id', '=', actor.workspaceId)
      .where('opportunity_id', '=', id)
      .where('left_at', 'is', null)
      .execute();
    await trx.insertInto('opportunity_stage_history').values({ workspace_id: actor.workspaceId, opportunity_id: id, stage_id: target.id, stage_name: target.name, probability: target.probability, entered_at: now, entered_by: actor.userId, ...(won ? { left_at: now, exit_direction: 'closed' } : {}) }).execute();
    await recordChanges(trx, [
      { workspaceId: actor.workspaceId, entityType: 'opportunity', entityId: id, field: 'stage', oldValue: r.stage_name, newValue: target.name, reason: input.reason ?? (check.overridden.length ? 'override' : null), actorUserId: actor.userId },
      ...(won ? [{ workspaceId: actor.workspaceId, entityType: 'opportunity' as const, entityId: id, field: 'status', oldValue: 'open', newValue: 'won', actorUserId: actor.userId }] : []),
    ], now);
  });
  return getOpportunity(db, actor, id);
}

/** Stage history with time in each stage (SPEC §5.2). */
export async function stageHistory(db: Db, actor: Actor, id: number) {
  await requireOpportunity(db, actor, id);
  const now = Date.now();
  return (await repo.stageHistory(db.kysely, actor.workspaceId, id)).map((h) => ({
    id: h.id,
    stageId: h.stage_id,
    stageName: h.stage_name,
    probability: h.probability,
    enteredAt: h.entered_at,
    enteredByName: h.entered_by_name,
    leftAt: h.left_at,
    leftByName: h.left_by_name,
    daysInStage: Math.round((((h.left_at ?? now) - h.entered_at) / 86_400_000) * 10) / 10,
    exitDirection: h.exit_direction,
    exitEvidence: h.exit_evidence ? (JSON.parse(h.exit_evidence) as EvidenceGiven[]) : [],
    exitReason: h.exit_reason,
    exitOverridden: h.exit_overridden ? (JSON.parse(h.exit_overridden) as unknown[]) : [],
  }));
}
