import type { Kysely } from 'kysely';
import type { Db } from '../../db/database.ts';
import type { Database } from '../../db/schema.ts';
import { updateVersioned } from '../../db/versioned.ts';
import { stageAheadOfBuyer, type BuyingPhase } from '../../domain/buying-phase.ts';
import { canEditAccount, OPPORTUNITY_LEAD_FIELDS, opportunityRights, type Actor } from '../../domain/policy.ts';
import type { ForecastCategory, LOSS_REASONS, OpportunityStatus, TeamRole } from '../../domain/opportunity.ts';
import { checkStageMove, classifyProblems, gatheredStatus, sizeClass, type EvidenceGiven } from '../../domain/stage-gate.ts';
import { AppError, conflict, forbidden, invalid, notFound, staleVersion, fieldError } from '../../server/problem.ts';
import { factsOf, requireAccount } from '../accounts/service.ts';
import { recordChanges, type Change } from '../history/repository.ts';
import { getStage, stagesOf, type StageRow } from '../sales-processes/repository.ts';
import { toStageDto } from '../sales-processes/service.ts';
import { labelledHistory } from '../history/labelled.ts';
import { attachmentsOf, attachmentsWithUploaders, linkToOpportunity } from '../attachments/repository.ts';
import { loadSettings } from '../workspace/service.ts';
import { assignableUser } from '../users/service.ts';
import * as repo from './repository.ts';

const today = () => new Date().toISOString().slice(0, 10);

type StageItem = { key: string; label: string; requires: 'check' | 'note' | 'attachment' };
function jsonArray(text: string | null): unknown[] {
  try {
    const v = JSON.parse(text ?? '[]') as unknown;
    return Array.isArray(v) ? v : [];
  } catch {
    return [];
  }
}

export type GatheredItem = { stageId: number; key: string; note: string | null; attachmentId: number | null };

/**
 * The evidence gathered so far for an open opportunity's current stage (migration 0009), and
 * how far it is. Only items the stage still has are shown, so a move pre-filled with them is
 * never refused for an item an administrator removed since.
 */
export function gatheredOf(r: repo.OpportunityRow): { evidence: GatheredItem[]; evidenceStatus: { given: number; required: number } | null } {
  if (r.status !== 'open' || r.stage_id === null) return { evidence: [], evidenceStatus: null };
  const items = jsonArray(r.stage_evidence_items) as StageItem[];
  const evidence = jsonArray(r.stage_evidence)
    .filter((e): e is EvidenceGiven => typeof e === 'object' && e !== null && (e as EvidenceGiven).stageId === r.stage_id && items.some((i) => i.key === (e as EvidenceGiven).key))
    .map((e) => ({ stageId: e.stageId, key: e.key, note: e.note ?? null, attachmentId: e.attachmentId ?? null }));
  return { evidence, evidenceStatus: gatheredStatus({ evidence: items }, evidence) };
}

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
    // How long it has been sitting: a closed deal no longer sits anywhere.
    daysInStage: r.stage_entered_at === null || r.status !== 'open' ? null : Math.floor((now - r.stage_entered_at) / 86_400_000),
    leadSource: r.lead_source,
    buyingPhase: r.buying_phase as BuyingPhase | null,
    // A warning about the road ahead (SPEC §5.4): a closed deal has none.
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

export async function listOpportunities(db: Db, actor: Actor, q: Parameters<typeof repo.listOpportunities>[3]) {
  const [{ items, total }, s] = await Promise.all([repo.listOpportunities(db.kysely, db.engine, actor, q), loadSettings(db.kysely, actor.workspaceId)]);
  return { items: items.map((r) => toOpportunityDto(r, s.largeDealThreshold)), total };
}

export async function requireOpportunity(db: Db, actor: Actor, id: number) {
  const r = await repo.getOpportunity(db.kysely, actor, id);
  if (!r) throw notFound('Opportunity');
  return r;
}

/** What the actor may do with this opportunity (the rule is domain/policy.ts opportunityRights). */
const rightsOf = (actor: Actor, r: repo.OpportunityRow, team: { user_id: number }[]) =>
  opportunityRights(actor, { ownerId: r.owner_id, unitPath: r.unit_path, onTeam: team.some((m) => m.user_id === actor.userId) });

/** The opportunity and its team when the actor holds the right named: 404 out of sight, 403 without it. */
export async function requireRight(db: Db, actor: Actor, id: number, right: 'edit' | 'contribute', refusal: string) {
  const r = await requireOpportunity(db, actor, id);
  const team = await repo.teamOf(db.kysely, actor.workspaceId, [id]);
  const rights = rightsOf(actor, r, team);
  if (!rights[right]) throw forbidden(refusal);
  return { r, team, rights };
}

const LEAD_ONLY = 'Only the owner or a manager over the opportunity';

export async function getOpportunity(db: Db, actor: Actor, id: number) {
  const r = await requireOpportunity(db, actor, id);
  const [s, team, stage] = await Promise.all([
    loadSettings(db.kysely, actor.workspaceId),
    repo.teamOf(db.kysely, actor.workspaceId, [id]),
    r.stage_id === null ? undefined : getStage(db.kysely, actor.workspaceId, r.stage_id),
  ]);
  // SPEC §5.1 "roles to involve": the current stage's roles nobody on the team holds yet.
  const held = new Set(team.map((m) => m.team_role));
  const suggestedRoles = r.status === 'open' && stage ? (JSON.parse(stage.roles) as TeamRole[]).filter((role) => !held.has(role)) : [];
  return {
    ...toOpportunityDto(r, s.largeDealThreshold),
    team: team.map((m) => ({ id: m.id, userId: m.user_id, userName: m.user_name, teamRole: m.team_role as TeamRole })),
    suggestedRoles,
    permissions: rightsOf(actor, r, team),
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
  /** What is being sold (SPEC §5.2 "products"). */
  products?: string[] | undefined;
}

/** A new opportunity entering past the first stage proves the stages it skips (SPEC §5.3). */
export interface EntryInput {
  evidence?: EvidenceGiven[] | undefined;
  reason?: string | undefined;
  override?: boolean | undefined;
}

/**
 * Creates an opportunity on an account the caller may edit; the owner joins the team as sales
 * lead. Entering past the first stage (a returning customer buying again) passes the stage
 * gate of a move from the first stage, and is recorded as that move: the first stage left at
 * once with the evidence given, the stage entered.
 */
export async function createOpportunity(db: Db, actor: Actor, input: OpportunityInput & EntryInput) {
  const account = await requireAccount(db, actor, input.accountId).catch(() => {
    throw invalid('accountId', { code: 'not_found', params: { id: input.accountId } }, `no account with id ${input.accountId}`);
  });
  if (!canEditAccount(actor, factsOf(account))) throw forbidden('You cannot add opportunities to this account');
  const stages = await stagesOf(db.kysely, actor.workspaceId, [input.processId]);
  const process = await db.kysely.selectFrom('sales_processes').select(['id', 'active']).where('workspace_id', '=', actor.workspaceId).where('id', '=', input.processId).executeTakeFirst();
  if (!process || stages.length === 0) throw invalid('processId', { code: 'not_found', params: { id: input.processId } }, `no sales process with id ${input.processId}`);
  if (process.active !== 1) throw invalid('processId', { code: 'inactive' }, 'the sales process is no longer in use');
  const first = stages[0]!;
  const stage = input.stageId === undefined ? first : stages.find((s) => s.id === input.stageId);
  if (!stage) throw invalid('stageId', { code: 'not_of_process' }, 'must be a stage of the chosen process');
  if (stage.is_won === 1) throw invalid('stageId', { code: 'cannot_start_won' }, 'a new opportunity cannot start as won');
  const owner = input.ownerId !== undefined && input.ownerId !== actor.userId
    ? await assignableUser(db, actor, input.ownerId, 'ownerId')
    : { id: actor.userId, org_unit_id: actor.orgUnitId, path: actor.unitPath };
  const evidence = input.evidence ?? [];
  const { manage } = opportunityRights(actor, { ownerId: owner.id, unitPath: owner.path, onTeam: false });
  const entry = passGate(stages, first.id, stage.id, { evidence, reason: input.reason, override: input.override }, manage);
  const now = Date.now();
  const id = await db.kysely.transaction().execute(async (trx) => {
    const { id: oppId } = await trx
      .insertInto('opportunities')
      .values({
        workspace_id: actor.workspaceId, account_id: input.accountId, name: input.name, owner_id: owner.id, org_unit_id: owner.org_unit_id,
        amount: input.amount, status: 'open', expected_close_date: input.expectedCloseDate, process_id: input.processId, stage_id: stage.id,
        stage_entered_at: now, lead_source: input.leadSource ?? null, buying_phase: input.buyingPhase ?? null,
        forecast_category: input.forecastCategory ?? 'pipeline', next_step: input.nextStep ?? null, next_step_date: input.nextStepDate ?? null,
        description: input.description ?? null, products: JSON.stringify(input.products ?? []), created_at: now, updated_at: now, version: 1,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await trx.insertInto('opportunity_team').values({ workspace_id: actor.workspaceId, opportunity_id: oppId, user_id: owner.id, team_role: 'sales_lead', created_at: now }).execute();
    const forward = entry.direction === 'forward';
    if (forward) {
      // Files are checked against the opportunity they will prove, so only once it exists; a refusal rolls it back.
      const attachmentIds = await checkEvidenceAttachments(trx, actor, oppId, evidence);
      await trx.insertInto('opportunity_stage_history').values({
        workspace_id: actor.workspaceId, opportunity_id: oppId, stage_id: first.id, stage_name: first.name, probability: first.probability, entered_at: now, entered_by: actor.userId,
        ...exitOf(actor, now, entry, evidence, input.reason),
      }).execute();
      await linkToOpportunity(trx, actor.workspaceId, attachmentIds, oppId);
    }
    await trx.insertInto('opportunity_stage_history').values({ workspace_id: actor.workspaceId, opportunity_id: oppId, stage_id: stage.id, stage_name: stage.name, probability: stage.probability, entered_at: now, entered_by: actor.userId }).execute();
    await recordChanges(trx, [
      { workspaceId: actor.workspaceId, entityType: 'opportunity', entityId: oppId, field: 'owner', oldValue: null, newValue: owner.id, reason: 'creator', actorUserId: actor.userId },
      { workspaceId: actor.workspaceId, entityType: 'opportunity', entityId: oppId, field: 'amount', oldValue: null, newValue: input.amount, actorUserId: actor.userId },
      { workspaceId: actor.workspaceId, entityType: 'opportunity', entityId: oppId, field: 'close_date', oldValue: null, newValue: input.expectedCloseDate, actorUserId: actor.userId },
      ...(forward ? [stageChange(actor, oppId, first.name, stage.name, entry, input.reason)] : []),
    ], now);
    return oppId;
  });
  return getOpportunity(db, actor, id);
}

export type OpportunityPatch = Partial<Omit<OpportunityInput, 'accountId' | 'processId' | 'stageId'>> & { version: number; ownerReason?: string | undefined; advantageLost?: boolean | undefined; advantageReason?: string | undefined };

/** Changes fields; owner, amount, close date and forecast category go to the history (SPEC §8). */
export async function updateOpportunity(db: Db, actor: Actor, id: number, patch: OpportunityPatch) {
  const { r, rights } = await requireRight(db, actor, id, 'contribute', 'You cannot edit this opportunity');
  if (r.status !== 'open') throw new AppError('closed', 'A closed opportunity cannot be edited');
  if (!rights.edit) {
    // The rest of the team contributes the analysis; the deal's figures are its lead's.
    const current = { name: r.name, amount: r.amount, expectedCloseDate: r.expected_close_date, forecastCategory: r.forecast_category, ownerId: r.owner_id, leadSource: r.lead_source };
    const field = OPPORTUNITY_LEAD_FIELDS.find((f) => patch[f] !== undefined && patch[f] !== current[f]);
    if (field) throw new AppError('forbidden', `${LEAD_ONLY} changes ${field}`, { errors: [fieldError(field, { code: 'lead_only' }, 'only the owner or a manager over the opportunity changes this')] });
  }
  let newOwner: { id: number; org_unit_id: number } | undefined;
  if (patch.ownerId !== undefined && patch.ownerId !== r.owner_id) {
    if (!patch.ownerReason) throw invalid('ownerReason', { code: 'required' }, 'say why the owner changes');
    newOwner = await assignableUser(db, actor, patch.ownerId, 'ownerId');
  }
  if (patch.advantageLost !== undefined && !rights.manage) throw forbidden('Only a manager marks an advantage as lost');
  // The weekly review asks why a deal lost its edge; clearing the mark needs no reason.
  if (patch.advantageLost === true && r.advantage_lost !== 1 && !patch.advantageReason) throw invalid('advantageReason', { code: 'required' }, 'say why the advantage is lost');
  const now = Date.now();
  const changes: Change[] = [];
  const track = (field: string, from: string | number | null, to: string | number | null | undefined, reason?: string) => {
    if (to !== undefined && to !== from) changes.push({ workspaceId: actor.workspaceId, entityType: 'opportunity', entityId: id, field, oldValue: from, newValue: to, reason: reason ?? null, actorUserId: actor.userId });
  };
  track('owner', r.owner_id, newOwner?.id, patch.ownerReason);
  track('amount', r.amount, patch.amount);
  track('close_date', r.expected_close_date, patch.expectedCloseDate);
  track('advantage_lost', r.advantage_lost === 1 ? 'true' : 'false', patch.advantageLost === undefined ? undefined : String(patch.advantageLost), patch.advantageReason);
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
      ...(patch.products !== undefined ? { products: JSON.stringify(patch.products) } : {}),
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
  /** Optional for integrations (the API's fixed point is {stageId, evidence, reason?}); the web app always sends it. */
  version?: number | undefined;
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
  const { r, rights } = await requireRight(db, actor, id, 'edit', `${LEAD_ONLY} moves it through the stages`);
  if (r.status !== 'open') throw new AppError('closed', 'The opportunity is closed; reopen it first');
  // A move decided on a stale card is refused even when it would change nothing: the other
  // person's move is news to this one (the conditional update below guards the race itself).
  if (input.version !== undefined && input.version !== r.version) throw staleVersion('Opportunity', r.version);
  const version = input.version ?? r.version;
  if (r.process_id === null || r.stage_id === null) throw new AppError('no_process', 'The opportunity has no sales process yet; choose one first');
  const target = await getStage(db.kysely, actor.workspaceId, input.stageId);
  if (!target || target.process_id !== r.process_id) throw invalid('stageId', { code: 'not_of_process' }, 'must be a stage of the opportunity\'s own sales process');
  const stages = await stagesOf(db.kysely, actor.workspaceId, [r.process_id]);
  // What the team gathered for the stage being left counts unless the move says otherwise
  // (an integration moving a deal need not resend it; the dialog shows it pre-filled).
  const sent = new Set(input.evidence.map((e) => `${e.stageId}:${e.key}`));
  const given = [...input.evidence, ...gatheredOf(r).evidence.filter((e) => !sent.has(`${e.stageId}:${e.key}`))];
  const forward = (stages.find((s) => s.id === input.stageId)?.position ?? 0) > (stages.find((s) => s.id === r.stage_id)?.position ?? 0);
  input = { ...input, evidence: forward ? given : input.evidence };
  const check = passGate(stages, r.stage_id, input.stageId, input, rights.manage);
  const attachmentIds = await checkEvidenceAttachments(db.kysely, actor, id, input.evidence);
  if (check.direction === 'none') return getOpportunity(db, actor, id);
  const won = target.is_won === 1;
  if (won && (input.contractAmount === undefined || input.contractAmount <= 0)) throw invalid('contractAmount', { code: 'too_small', params: { min: 0, origin: 'number', inclusive: false } }, 'closing as won needs the contract amount');
  const now = Date.now();
  await db.kysely.transaction().execute(async (trx) => {
    await updateVersioned(trx, 'opportunities', 'Opportunity', { workspaceId: actor.workspaceId, id, version }, {
      stage_id: target.id,
      stage_entered_at: now,
      // What was gathered belonged to the stage left; what the move gave is in its history row.
      stage_evidence: '[]',
      updated_at: now,
      // Won today: its close date is today and it is committed (what the forecast of SPEC §6.4 reads).
      ...(won ? { status: 'won', closed_at: now, contract_amount: input.contractAmount, amount: input.contractAmount, expected_close_date: today(), forecast_category: 'commit' } : {}),
    });
    await trx
      .updateTable('opportunity_stage_history')
      .set(exitOf(actor, now, check, input.evidence, input.reason))
      .where('workspace_id', '=', actor.workspaceId)
      .where('opportunity_id', '=', id)
      .where('left_at', 'is', null)
      .execute();
    await trx.insertInto('opportunity_stage_history').values({ workspace_id: actor.workspaceId, opportunity_id: id, stage_id: target.id, stage_name: target.name, probability: target.probability, entered_at: now, entered_by: actor.userId, ...(won ? { left_at: now, exit_direction: 'closed' } : {}) }).execute();
    await linkToOpportunity(trx, actor.workspaceId, attachmentIds, id);
    await recordChanges(trx, [
      stageChange(actor, id, r.stage_name, target.name, check, input.reason),
      ...(won ? [{ workspaceId: actor.workspaceId, entityType: 'opportunity' as const, entityId: id, field: 'status', oldValue: 'open', newValue: 'won', actorUserId: actor.userId }] : []),
      ...(won && r.expected_close_date !== today() ? [{ workspaceId: actor.workspaceId, entityType: 'opportunity' as const, entityId: id, field: 'close_date', oldValue: r.expected_close_date, newValue: today(), reason: 'won', actorUserId: actor.userId }] : []),
      ...(won && input.contractAmount !== r.amount ? [{ workspaceId: actor.workspaceId, entityType: 'opportunity' as const, entityId: id, field: 'amount', oldValue: r.amount, newValue: input.contractAmount!, reason: 'contract amount', actorUserId: actor.userId }] : []),
    ], now);
  });
  return getOpportunity(db, actor, id);
}

type GateInput = Pick<StageMoveInput, 'evidence' | 'reason' | 'override'>;
type Passed = Extract<ReturnType<typeof checkStageMove>, { ok: true }>;
export const evidenceItems = (s: StageRow) => JSON.parse(s.evidence) as { key: string; label: string; requires: 'check' | 'note' | 'attachment' }[];

/**
 * The stage gate (SPEC §5.3) for a move, and for a new opportunity entering past the first
 * stage (a move from the first): the check passed, or the problem thrown — 400 naming an
 * evidence item that proves nothing of this move, 403 for an override one may not grant,
 * 400 for a missing reason, 422 listing the evidence still missing.
 */
function passGate(stages: StageRow[], fromId: number, toId: number, input: GateInput, canOverride: boolean): Passed {
  const gate = stages.map((s) => ({ id: s.id, position: s.position, evidence: evidenceItems(s) }));
  const check = checkStageMove(gate, fromId, toId, input.evidence, { reason: input.reason ?? null, canOverride, override: input.override ?? false });
  if (check.ok) return check;
  const byId = new Map(stages.map((s) => [s.id, s]));
  switch (check.error) {
    case 'unknown_stage':
      throw invalid('stageId', { code: 'not_of_process' }, 'must be a stage of the opportunity\'s own sales process');
    case 'override_forbidden':
      throw forbidden('Only a manager over the opportunity may override missing evidence');
    case 'evidence_invalid': {
      const { index, field } = check.invalid;
      const given = input.evidence[index]!;
      throw field === 'stageId'
        ? invalid(`evidence.${index}.stageId`, { code: 'evidence_not_due', params: { stageId: given.stageId } }, `stage ${given.stageId} is not left or skipped by this move; give only the evidence of those stages`)
        : invalid(`evidence.${index}.key`, { code: 'unknown_evidence', params: { key: given.key, stage: byId.get(given.stageId)?.name ?? String(given.stageId) } }, `"${given.key}" is not an evidence item of ${byId.get(given.stageId)?.name ?? `stage ${given.stageId}`}`);
    }
    case 'reason_required':
      throw invalid('reason', { code: 'required' }, input.override ? 'an override needs a reason' : 'moving back needs a reason', 'reason_required');
    case 'evidence_missing': {
      const missing = check.missing.map((m) => {
        const stage = byId.get(m.stageId)!;
        const item = evidenceItems(stage).find((e) => e.key === m.key);
        return { ...m, stageName: stage.name, label: item?.label ?? m.key };
      });
      throw new AppError('evidence_missing', `Evidence missing: ${missing.map((m) => `${m.stageName} – ${m.label}${m.problem === 'missing' ? '' : ` (${m.problem.replace('_', ' ')})`}`).join('; ')}`,
        { errors: missing.map((m) => fieldError(`evidence.${m.stageId}.${m.key}`, { code: m.problem === 'missing' ? 'required' : m.problem }, m.problem)), params: { missing } });
    }
  }
}

/** How a stage was left, as its history row keeps it: direction, evidence, reason, what was overridden. */
const exitOf = (actor: Actor, now: number, check: Passed, evidence: EvidenceGiven[], reason: string | undefined) => ({
  left_at: now,
  left_by: actor.userId,
  exit_direction: check.direction,
  exit_evidence: JSON.stringify(evidence),
  exit_reason: reason ?? null,
  exit_overridden: check.overridden.length ? JSON.stringify(check.overridden) : null,
});

/** The audit-trail entry of a stage change (SPEC §5.3 "every move is in the audit trail"). */
const stageChange = (actor: Actor, id: number, from: string | null, to: string, check: Passed, reason: string | undefined): Change => ({
  workspaceId: actor.workspaceId, entityType: 'opportunity', entityId: id, field: 'stage', oldValue: from, newValue: to,
  reason: reason ?? (check.overridden.length ? 'override' : null), actorUserId: actor.userId,
});

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

// ————— Board, team, closing, needs attention, audit trail (SPEC §5.2, §5.3, §5.7) —————

/** Epoch ms of 00:00 of a calendar day in a time zone (the workspace's, SPEC §2). */
function startOfDay(date: string, timeZone: string): number {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const guess = Date.UTC(y, m - 1, d);
  const parts = Object.fromEntries(new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' })
    .formatToParts(new Date(guess)).map((p) => [p.type, p.value]));
  const asUtc = Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), Number(parts.hour), Number(parts.minute), Number(parts.second));
  return guess - (asUtc - guess);
}

async function workspaceTimeZone(db: Db, workspaceId: number) {
  const w = await db.kysely.selectFrom('workspaces').select('time_zone').where('id', '=', workspaceId).executeTakeFirst();
  return w?.time_zone ?? 'Asia/Shanghai';
}

export interface BoardQuery {
  processId: number;
  ownerId?: number | undefined;
  orgUnitId?: number | undefined;
  closeFrom?: string | undefined;
  closeTo?: string | undefined;
  q?: string | undefined;
}

/**
 * The kanban board of one sales process (SPEC §5.3): a column per stage in order with count,
 * amount and expected (weighted) amount from one grouped query, and the largest cards. The
 * won column holds what was won in [closeFrom, closeTo] (default: the last 30 days).
 */
/** What a card lets the viewer do: drag it (edit), and override missing evidence in the move (manage). */
function boardRights(actor: Actor, c: { owner_id: number; unit_path: string }) {
  const { edit, manage } = opportunityRights(actor, { ownerId: c.owner_id, unitPath: c.unit_path, onTeam: false });
  return { edit, manage };
}

export async function board(db: Db, actor: Actor, query: BoardQuery) {
  const process = await db.kysely.selectFrom('sales_processes').select(['id', 'name']).where('workspace_id', '=', actor.workspaceId).where('id', '=', query.processId).executeTakeFirst();
  if (!process) throw invalid('processId', { code: 'not_found', params: { id: query.processId } }, `no sales process with id ${query.processId}`);
  if (query.closeFrom && query.closeTo && query.closeFrom > query.closeTo) throw invalid('closeTo', { code: 'not_before', params: { other: 'closeFrom' } }, 'must not be before closeFrom');
  const [stages, s, tz] = await Promise.all([stagesOf(db.kysely, actor.workspaceId, [process.id]), loadSettings(db.kysely, actor.workspaceId), workspaceTimeZone(db, actor.workspaceId)]);
  const now = Date.now();
  const wonTo = query.closeTo ? startOfDay(query.closeTo, tz) + 86_400_000 : now + 1;
  const wonFrom = query.closeFrom ? startOfDay(query.closeFrom, tz) : (query.closeTo ? wonTo : now) - 30 * 86_400_000;
  const { totals, cards } = await repo.board(db.kysely, db.engine, actor, { ...query, wonFrom, wonTo });
  const byStage = new Map(totals.map((t) => [t.stageId, t]));
  return {
    process: { id: process.id, name: process.name },
    columns: stages.map((stage) => {
      const t = byStage.get(stage.id);
      const shown = cards.filter((c) => c.stage_id === stage.id);
      const count = t?.count ?? 0;
      return {
        stage: toStageDto(stage),
        count,
        amount: t?.amount ?? 0,
        expectedAmount: Math.round((t?.weighted ?? 0) / 100),
        // Whether the card may be dragged: leading a deal does not depend on its team.
        cards: shown.map((c) => ({ ...toOpportunityDto(c, s.largeDealThreshold, now), permissions: boardRights(actor, c) })),
        more: Math.max(0, count - shown.length),
      };
    }),
  };
}

export async function attention(db: Db, actor: Actor, q: Omit<Parameters<typeof repo.attention>[3], 'now' | 'today'>) {
  const [result, s] = await Promise.all([repo.attention(db.kysely, db.engine, actor, { ...q, now: Date.now(), today: today() }), loadSettings(db.kysely, actor.workspaceId)]);
  return { items: result.items.map((r) => toOpportunityDto(r, s.largeDealThreshold)), total: result.total, counts: result.counts };
}

const isUniqueViolation = (e: unknown) => {
  const code = typeof e === 'object' && e !== null ? (e as { code?: unknown }).code : undefined;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE';
};

/**
 * Adds a colleague to the team (SPEC §5.2). Any active user of the workspace may join —
 * presales or an executive sponsor often sits in another unit. The sales lead is the owner.
 */
export async function addTeamMember(db: Db, actor: Actor, id: number, input: { userId: number; teamRole: TeamRole }) {
  const { r, team } = await requireRight(db, actor, id, 'edit', `${LEAD_ONLY} adds people to the team`);
  const user = await repo.activeUser(db.kysely, actor.workspaceId, input.userId);
  if (!user || user.active !== 1) throw invalid('userId', { code: 'not_found', params: { id: input.userId } }, `no active user with id ${input.userId} in this workspace`);
  if (input.teamRole === 'sales_lead' && input.userId !== r.owner_id) throw invalid('teamRole', { code: 'lead_is_owner' }, 'the owner is the sales lead; change the owner to hand the lead over');
  if (team.some((m) => m.user_id === input.userId)) throw conflict('duplicate_member', `${user.name} is already on the team`, 'userId');
  const now = Date.now();
  await db.kysely.transaction().execute(async (trx) => {
    // Two people adding the same colleague at once: the unique index decides, the loser gets the 409 too.
    await trx.insertInto('opportunity_team').values({ workspace_id: actor.workspaceId, opportunity_id: id, user_id: input.userId, team_role: input.teamRole, created_at: now }).execute()
      .catch((e: unknown) => {
        throw isUniqueViolation(e) ? conflict('duplicate_member', `${user.name} is already on the team`, 'userId') : e;
      });
    await trx.updateTable('opportunities').set({ updated_at: now }).where('workspace_id', '=', actor.workspaceId).where('id', '=', id).execute();
    await recordChanges(trx, [{ workspaceId: actor.workspaceId, entityType: 'opportunity', entityId: id, field: 'team', oldValue: null, newValue: input.userId, reason: input.teamRole, actorUserId: actor.userId }], now);
  });
  return getOpportunity(db, actor, id);
}

/**
 * Removes a team member: the deal's lead removes anyone but the owner's seat; a member may
 * leave. Answers the opportunity, or null when the one who left can no longer see it.
 */
export async function removeTeamMember(db: Db, actor: Actor, id: number, memberId: number) {
  const { r, rights } = await requireRight(db, actor, id, 'contribute', 'You cannot change this team');
  const m = await repo.teamMember(db.kysely, actor.workspaceId, id, memberId);
  if (!m) throw notFound('Team member');
  if (!rights.edit && m.user_id !== actor.userId) throw forbidden(`${LEAD_ONLY} removes others from the team; you may leave it`);
  if (m.user_id === r.owner_id && m.team_role === 'sales_lead') throw conflict('owner_seat', 'The owner\'s sales-lead seat cannot be removed; change the owner instead');
  const now = Date.now();
  await db.kysely.transaction().execute(async (trx) => {
    await trx.deleteFrom('opportunity_team').where('workspace_id', '=', actor.workspaceId).where('opportunity_id', '=', id).where('id', '=', memberId).execute();
    await trx.updateTable('opportunities').set({ updated_at: now }).where('workspace_id', '=', actor.workspaceId).where('id', '=', id).execute();
    await recordChanges(trx, [{ workspaceId: actor.workspaceId, entityType: 'opportunity', entityId: id, field: 'team', oldValue: m.user_id, newValue: null, reason: m.team_role, actorUserId: actor.userId }], now);
  });
  return (await repo.getOpportunity(db.kysely, actor, id)) ? getOpportunity(db, actor, id) : null;
}

export interface CloseInput {
  version: number;
  outcome: 'won' | 'lost' | 'abandoned';
  contractAmount?: number | undefined;
  /** Won: the evidence of the stage left and of every stage skipped, as a move to the won stage takes it. */
  evidence?: EvidenceGiven[] | undefined;
  override?: boolean | undefined;
  reason?: (typeof LOSS_REASONS)[number] | undefined;
  competitor?: string | undefined;
  note?: string | undefined;
}

/**
 * Closes an opportunity (SPEC §5.7): won needs the contract amount and moves it to the
 * process's won stage; lost or abandoned needs a reason and the competitor ('none' when the
 * customer bought nothing). The open stage-history row is closed.
 */
export async function closeOpportunity(db: Db, actor: Actor, id: number, input: CloseInput) {
  const { r } = await requireRight(db, actor, id, 'edit', `${LEAD_ONLY} closes it`);
  if (r.status !== 'open') throw new AppError('closed', `The opportunity is already ${r.status}`);
  if (input.version !== r.version) throw staleVersion('Opportunity', r.version);
  if (input.outcome === 'won') {
    // Won is the last stage: reaching it is a move through the gate like any other (SPEC §5.3),
    // with the evidence of the stage left and of every stage skipped, or a manager's override.
    if (input.contractAmount === undefined || input.contractAmount <= 0) throw invalid('contractAmount', { code: 'too_small', params: { min: 0, origin: 'number', inclusive: false } }, 'closing as won needs the contract amount (more than 0)');
    if (r.process_id === null) throw new AppError('no_process', 'The opportunity has no sales process yet; choose one first');
    const wonStage = (await stagesOf(db.kysely, actor.workspaceId, [r.process_id])).find((s) => s.is_won === 1);
    if (!wonStage) throw new AppError('no_won_stage', 'The sales process has no won stage');
    return moveStage(db, actor, id, {
      version: input.version, stageId: wonStage.id, evidence: input.evidence ?? [], override: input.override, reason: input.note, contractAmount: input.contractAmount,
    });
  }
  if (!input.reason) throw invalid('reason', { code: 'required' }, `closing as ${input.outcome} needs a reason`);
  if (!input.competitor) throw invalid('competitor', { code: 'required' }, 'say who won the deal, or "none" when the customer bought nothing');
  const now = Date.now();
  const reason = input.reason;
  await db.kysely.transaction().execute(async (trx) => {
    await updateVersioned(trx, 'opportunities', 'Opportunity', { workspaceId: actor.workspaceId, id, version: input.version }, {
      status: input.outcome,
      closed_at: now,
      updated_at: now,
      close_reason: reason,
      close_competitor: input.competitor ?? null,
      stage_evidence: '[]',
      // Out of the forecast from today (SPEC §6.4).
      forecast_category: 'omitted',
    });
    await trx
      .updateTable('opportunity_stage_history')
      .set({ left_at: now, left_by: actor.userId, exit_direction: 'closed', exit_reason: input.note ?? reason })
      .where('workspace_id', '=', actor.workspaceId)
      .where('opportunity_id', '=', id)
      .where('left_at', 'is', null)
      .execute();
    const change = (field: string, from: string | number | null, to: string | number | null, why: string | null = null): Change =>
      ({ workspaceId: actor.workspaceId, entityType: 'opportunity', entityId: id, field, oldValue: from, newValue: to, reason: why, actorUserId: actor.userId });
    await recordChanges(trx, [
      change('status', 'open', input.outcome, [reason, `competitor: ${input.competitor}`, input.note].filter(Boolean).join(' · ')),
      ...(r.forecast_category !== 'omitted' ? [change('forecast_category', r.forecast_category, 'omitted')] : []),
    ], now);
  });
  return getOpportunity(db, actor, id);
}

/**
 * Reopens a closed opportunity (its owner or a manager over it, with a reason): back to open
 * at the stage it was in — for a won one, the stage before the won stage. A fresh
 * stage-history row starts now.
 */
export async function reopenOpportunity(db: Db, actor: Actor, id: number, input: { version: number; reason: string }) {
  const { r } = await requireRight(db, actor, id, 'edit', `${LEAD_ONLY} reopens it`);
  if (r.status === 'open') throw new AppError('open', 'The opportunity is open already');
  if (input.version !== r.version) throw staleVersion('Opportunity', r.version);
  let stage: { id: number; name: string; probability: number } | undefined;
  if (r.stage_id !== null && r.process_id !== null) {
    const stages = await stagesOf(db.kysely, actor.workspaceId, [r.process_id]);
    const current = stages.find((s) => s.id === r.stage_id);
    if (current && current.is_won !== 1) stage = current;
    else {
      // Won: the last stage it was in before the won stage, else the last open stage.
      const history = await repo.stageHistory(db.kysely, actor.workspaceId, id);
      const before = history.filter((h) => stages.some((s) => s.id === h.stage_id && s.is_won !== 1)).at(-1);
      stage = stages.find((s) => s.id === before?.stage_id) ?? stages.filter((s) => s.is_won !== 1).at(-1);
    }
  }
  const now = Date.now();
  await db.kysely.transaction().execute(async (trx) => {
    await updateVersioned(trx, 'opportunities', 'Opportunity', { workspaceId: actor.workspaceId, id, version: input.version }, {
      status: 'open', closed_at: null, close_reason: null, close_competitor: null, contract_amount: null, stage_evidence: '[]', updated_at: now,
      ...(stage ? { stage_id: stage.id, stage_entered_at: now } : {}),
    });
    if (stage) {
      await trx.updateTable('opportunity_stage_history').set({ left_at: now, left_by: actor.userId, exit_direction: 'closed' }).where('workspace_id', '=', actor.workspaceId).where('opportunity_id', '=', id).where('left_at', 'is', null).execute();
      await trx.insertInto('opportunity_stage_history').values({ workspace_id: actor.workspaceId, opportunity_id: id, stage_id: stage.id, stage_name: stage.name, probability: stage.probability, entered_at: now, entered_by: actor.userId }).execute();
    }
    await recordChanges(trx, [
      { workspaceId: actor.workspaceId, entityType: 'opportunity', entityId: id, field: 'status', oldValue: r.status, newValue: 'open', reason: input.reason, actorUserId: actor.userId },
      ...(stage && stage.id !== r.stage_id ? [{ workspaceId: actor.workspaceId, entityType: 'opportunity' as const, entityId: id, field: 'stage', oldValue: r.stage_name, newValue: stage.name, reason: input.reason, actorUserId: actor.userId }] : []),
    ], now);
  });
  return getOpportunity(db, actor, id);
}

/** The audit trail of an opportunity (SPEC §8): owner and team members by name. */
export async function opportunityHistory(db: Db, actor: Actor, id: number) {
  await requireOpportunity(db, actor, id);
  return labelledHistory(db.kysely, actor.workspaceId, 'opportunity', id, ['owner', 'team']);
}

/**
 * Evidence files given at a stage move, or gathered before one (SPEC §5.3), must exist in the
 * workspace, not prove another opportunity, and come from someone who can see this one.
 * Answers the ids to link.
 */
export async function checkEvidenceAttachments(db: Kysely<Database>, actor: Actor, id: number, evidence: EvidenceGiven[]): Promise<number[]> {
  const given = evidence.filter((e) => e.attachmentId);
  if (given.length === 0) return [];
  const rows = await attachmentsWithUploaders(db, actor.workspaceId, [...new Set(given.map((e) => e.attachmentId!))]);
  const byId = new Map(rows.map((a) => [a.id, a]));
  const uploaderSees = new Map<number, boolean>();
  for (const a of rows) {
    // A file already linked here is this opportunity's (its team downloads it), whoever uploaded it.
    if (a.uploaded_by === actor.userId || a.opportunity_id === id || uploaderSees.has(a.uploaded_by)) continue;
    const uploader: Actor = { workspaceId: actor.workspaceId, userId: a.uploaded_by, role: a.uploader_role as Actor['role'], orgUnitId: a.uploader_unit_id, unitPath: a.uploader_unit_path, exportGranted: false };
    uploaderSees.set(a.uploaded_by, (await repo.getOpportunity(db, uploader, id)) !== undefined);
  }
  for (const e of given) {
    const a = byId.get(e.attachmentId!);
    const field = `evidence.${e.stageId}.${e.key}`;
    if (!a) throw invalid(field, { code: 'not_found', params: { id: e.attachmentId! } }, `no attachment with id ${e.attachmentId}; upload the file first`);
    if (a.opportunity_id !== null && a.opportunity_id !== id) throw invalid(field, { code: 'attachment_elsewhere' }, 'the attachment is evidence for another opportunity');
    if (a.uploaded_by !== actor.userId && a.opportunity_id !== id && !uploaderSees.get(a.uploaded_by)) throw invalid(field, { code: 'attachment_not_visible' }, 'the attachment was uploaded by someone who cannot see this opportunity');
  }
  return rows.map((a) => a.id);
}

/** The files given as evidence on this opportunity's stage moves (SPEC §5.3), without their bytes. */
export async function opportunityAttachments(db: Db, actor: Actor, id: number) {
  await requireOpportunity(db, actor, id);
  return (await attachmentsOf(db.kysely, actor.workspaceId, id)).map((a) => ({
    id: a.id, fileName: a.file_name, size: a.size, contentType: a.content_type, createdAt: a.created_at, uploadedByName: a.uploader_name,
  }));
}
