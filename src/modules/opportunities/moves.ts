import type { Db } from '../../db/database.ts';
import { updateVersioned } from '../versioned.ts';
import { dateIn } from '../../domain/calendar.ts';
import type { Actor } from '../../domain/policy.ts';
import { AppError, invalid, staleVersion } from '../../server/problem.ts';
import { linkToOpportunity } from '../attachments/service.ts';
import { recordChanges, type Change } from '../history/repository.ts';
import { getStage, stagesOf } from '../sales-processes/service.ts';
import { loadRules } from '../workspace/service.ts';
import { gatheredOf } from './dto.ts';
import { checkEvidenceAttachments, exitOf, passGate, stageChange } from './gate.ts';
import { getOpportunity, LEAD_ONLY, requireRight } from './read.ts';
import * as stageRepo from './repository/stages.ts';
import { keepingFunnel } from '../funnel/upkeep.ts';
import type * as contract from '../../contracts/opportunities.ts';

/** `version` is optional for integrations (the API's fixed point is {stageId, evidence, reason?}); the web app always sends it. */
export type StageMoveInput = contract.MoveStageRequest;

/**
 * The stage gate (docs/sales-process.md): forward with the evidence of the stage left and of every stage
 * skipped, back with a reason, a manager's override with a reason; reaching the won stage
 * closes the opportunity as won and needs the contract amount (§5.7). One transaction: the
 * history row of the stage left is closed with its evidence, the next one opened.
 */
export async function moveStage(db: Db, actor: Actor, id: number, input: StageMoveInput) {
  const { r: opportunity, rights } = await requireRight(
    db,
    actor,
    id,
    'edit',
    `${LEAD_ONLY} moves it through the stages`,
  );
  if (opportunity.status !== 'open') throw new AppError('closed', 'The opportunity is closed; reopen it first');
  // A move decided on a stale card is refused even when it would change nothing: the other
  // person's move is news to this one (the conditional update below guards the race itself).
  if (input.version !== undefined && input.version !== opportunity.version)
    throw staleVersion('Opportunity', opportunity.version);
  const version = input.version ?? opportunity.version;
  if (opportunity.process_id === null || opportunity.stage_id === null)
    throw new AppError('no_process', 'The opportunity has no sales process yet; choose one first');
  const target = await getStage(db.kysely, actor.workspaceId, input.stageId);
  if (!target || target.process_id !== opportunity.process_id)
    throw invalid('stageId', { code: 'not_of_process' }, "must be a stage of the opportunity's own sales process");
  const stages = await stagesOf(db.kysely, actor.workspaceId, [opportunity.process_id]);
  // What the team gathered for the stage being left counts unless the move says otherwise
  // (an integration moving a deal need not resend it; the dialog shows it pre-filled).
  const sent = new Set(input.evidence.map((e) => `${e.stageId}:${e.key}`));
  const given = [
    ...input.evidence,
    ...gatheredOf(opportunity).evidence.filter((e) => !sent.has(`${e.stageId}:${e.key}`)),
  ];
  const forward =
    (stages.find((s) => s.id === input.stageId)?.position ?? 0) >
    (stages.find((s) => s.id === opportunity.stage_id)?.position ?? 0);
  input = { ...input, evidence: forward ? given : input.evidence };
  const check = passGate(stages, opportunity.stage_id, input.stageId, input, rights.manage);
  const attachmentIds = await checkEvidenceAttachments(db.kysely, actor, id, input.evidence);
  if (check.direction === 'none') return getOpportunity(db, actor, id);
  const won = target.is_won === 1;
  if (won && (input.contractAmount === undefined || input.contractAmount <= 0))
    throw invalid(
      'contractAmount',
      { code: 'too_small', params: { min: 0, origin: 'number', inclusive: false } },
      'closing as won needs the contract amount',
    );
  const { now } = actor;
  // Won today, in the workspace's zone: a deal signed at 01:30 in Shanghai closes on that Shanghai date.
  const today = won ? dateIn(now, (await loadRules(db.kysely, actor)).calendar.timeZone) : undefined;
  await db.kysely.transaction().execute(async (trx) => {
    await keepingFunnel(trx, actor.workspaceId, [id], () =>
      updateVersioned(
        trx,
        'opportunities',
        'Opportunity',
        { workspaceId: actor.workspaceId, id, version },
        {
          stage_id: target.id,
          stage_entered_at: now,
          // What was gathered belonged to the stage left; what the move gave is in its history row.
          stage_evidence: '[]',
          updated_at: now,
          // Won today: its close date is today and it is committed (what the forecast of docs/targets.md § Revenue forecast reads).
          ...(won
            ? {
                status: 'won',
                closed_at: now,
                contract_amount: input.contractAmount,
                amount: input.contractAmount,
                expected_close_date: today,
                forecast_category: 'commit',
              }
            : {}),
        },
      ),
    );
    await stageRepo.leaveCurrentStage(trx, actor.workspaceId, id, exitOf(actor, check, input.evidence, input.reason));
    await stageRepo.insertStageEntry(trx, {
      workspace_id: actor.workspaceId,
      opportunity_id: id,
      stage_id: target.id,
      stage_name: target.name,
      probability: target.probability,
      entered_at: now,
      entered_by: actor.userId,
      ...(won ? { left_at: now, exit_direction: 'closed' } : {}),
    });
    await linkToOpportunity(trx, actor.workspaceId, attachmentIds, id);
    await recordChanges(
      trx,
      [
        stageChange(actor, id, opportunity.stage_name, target.name, check, input.reason),
        ...(won
          ? [
              {
                workspaceId: actor.workspaceId,
                entityType: 'opportunity' as const,
                entityId: id,
                field: 'status',
                oldValue: 'open',
                newValue: 'won',
                actorUserId: actor.userId,
              },
            ]
          : []),
        ...(won && opportunity.expected_close_date !== today
          ? [
              {
                workspaceId: actor.workspaceId,
                entityType: 'opportunity' as const,
                entityId: id,
                field: 'close_date',
                oldValue: opportunity.expected_close_date,
                newValue: today!,
                reason: 'won',
                actorUserId: actor.userId,
              },
            ]
          : []),
        ...(won && input.contractAmount !== opportunity.amount
          ? [
              {
                workspaceId: actor.workspaceId,
                entityType: 'opportunity' as const,
                entityId: id,
                field: 'amount',
                oldValue: opportunity.amount,
                newValue: input.contractAmount!,
                reason: 'contract_amount',
                actorUserId: actor.userId,
              },
            ]
          : []),
      ],
      now,
    );
  });
  return getOpportunity(db, actor, id);
}

export type CloseInput = contract.CloseOpportunityRequest;

/**
 * Closes an opportunity (docs/sales-process.md § The stage gate): won needs the contract amount and moves it to the
 * process's won stage; lost or abandoned needs a reason and the competitor ('none' when the
 * customer bought nothing). The open stage-history row is closed.
 */
export async function closeOpportunity(db: Db, actor: Actor, id: number, input: CloseInput) {
  const { r: opportunity } = await requireRight(db, actor, id, 'edit', `${LEAD_ONLY} closes it`);
  if (opportunity.status !== 'open') throw new AppError('closed', `The opportunity is already ${opportunity.status}`);
  if (input.version !== opportunity.version) throw staleVersion('Opportunity', opportunity.version);
  if (input.outcome === 'won') {
    // Won is the last stage: reaching it is a move through the gate like any other (docs/sales-process.md),
    // with the evidence of the stage left and of every stage skipped, or a manager's override.
    if (input.contractAmount === undefined || input.contractAmount <= 0)
      throw invalid(
        'contractAmount',
        { code: 'too_small', params: { min: 0, origin: 'number', inclusive: false } },
        'closing as won needs the contract amount (more than 0)',
      );
    if (opportunity.process_id === null)
      throw new AppError('no_process', 'The opportunity has no sales process yet; choose one first');
    const wonStage = (await stagesOf(db.kysely, actor.workspaceId, [opportunity.process_id])).find(
      (s) => s.is_won === 1,
    );
    if (!wonStage) throw new AppError('no_won_stage', 'The sales process has no won stage');
    return moveStage(db, actor, id, {
      version: input.version,
      stageId: wonStage.id,
      evidence: input.evidence ?? [],
      override: input.override,
      reason: input.note,
      contractAmount: input.contractAmount,
    });
  }
  if (!input.reason) throw invalid('reason', { code: 'required' }, `closing as ${input.outcome} needs a reason`);
  if (!input.competitor)
    throw invalid(
      'competitor',
      { code: 'required' },
      'say who won the deal, or "none" when the customer bought nothing',
    );
  const { now } = actor;
  const reason = input.reason;
  await db.kysely.transaction().execute(async (trx) => {
    await keepingFunnel(trx, actor.workspaceId, [id], () =>
      updateVersioned(
        trx,
        'opportunities',
        'Opportunity',
        { workspaceId: actor.workspaceId, id, version: input.version },
        {
          status: input.outcome,
          closed_at: now,
          updated_at: now,
          close_reason: reason,
          close_competitor: input.competitor ?? null,
          stage_evidence: '[]',
          // Out of the forecast from today (docs/targets.md § Revenue forecast).
          forecast_category: 'omitted',
        },
      ),
    );
    await stageRepo.leaveCurrentStage(trx, actor.workspaceId, id, {
      left_at: now,
      left_by: actor.userId,
      exit_direction: 'closed',
      exit_reason: input.note ?? reason,
    });
    const change = (
      field: string,
      from: string | number | null,
      to: string | number | null,
      why: string | null = null,
    ): Change => ({
      workspaceId: actor.workspaceId,
      entityType: 'opportunity',
      entityId: id,
      field,
      oldValue: from,
      newValue: to,
      reason: why,
      actorUserId: actor.userId,
    });
    await recordChanges(
      trx,
      [
        change(
          'status',
          'open',
          input.outcome,
          [reason, `competitor: ${input.competitor}`, input.note].filter(Boolean).join(' · '),
        ),
        ...(opportunity.forecast_category !== 'omitted'
          ? [change('forecast_category', opportunity.forecast_category, 'omitted')]
          : []),
      ],
      now,
    );
  });
  return getOpportunity(db, actor, id);
}

/**
 * Reopens a closed opportunity (its owner or a manager over it, with a reason): back to open
 * at the stage it was in — for a won one, the stage before the won stage. A fresh
 * stage-history row starts now.
 */
export async function reopenOpportunity(db: Db, actor: Actor, id: number, input: contract.ReopenRequest) {
  const { r: opportunity } = await requireRight(db, actor, id, 'edit', `${LEAD_ONLY} reopens it`);
  if (opportunity.status === 'open') throw new AppError('open', 'The opportunity is open already');
  if (input.version !== opportunity.version) throw staleVersion('Opportunity', opportunity.version);
  let stage: { id: number; name: string; probability: number } | undefined;
  if (opportunity.stage_id !== null && opportunity.process_id !== null) {
    const stages = await stagesOf(db.kysely, actor.workspaceId, [opportunity.process_id]);
    const current = stages.find((s) => s.id === opportunity.stage_id);
    if (current && current.is_won !== 1) stage = current;
    else {
      // Won: the last stage it was in before the won stage, else the last open stage.
      const history = await stageRepo.stageHistory(db.kysely, actor.workspaceId, id);
      const before = history.filter((h) => stages.some((s) => s.id === h.stage_id && s.is_won !== 1)).at(-1);
      stage = stages.find((s) => s.id === before?.stage_id) ?? stages.filter((s) => s.is_won !== 1).at(-1);
    }
  }
  const { now } = actor;
  await db.kysely.transaction().execute(async (trx) => {
    await keepingFunnel(trx, actor.workspaceId, [id], () =>
      updateVersioned(
        trx,
        'opportunities',
        'Opportunity',
        { workspaceId: actor.workspaceId, id, version: input.version },
        {
          status: 'open',
          closed_at: null,
          close_reason: null,
          close_competitor: null,
          contract_amount: null,
          stage_evidence: '[]',
          updated_at: now,
          ...(stage ? { stage_id: stage.id, stage_entered_at: now } : {}),
        },
      ),
    );
    if (stage) {
      await stageRepo.leaveCurrentStage(trx, actor.workspaceId, id, {
        left_at: now,
        left_by: actor.userId,
        exit_direction: 'closed',
      });
      await stageRepo.insertStageEntry(trx, {
        workspace_id: actor.workspaceId,
        opportunity_id: id,
        stage_id: stage.id,
        stage_name: stage.name,
        probability: stage.probability,
        entered_at: now,
        entered_by: actor.userId,
      });
    }
    await recordChanges(
      trx,
      [
        {
          workspaceId: actor.workspaceId,
          entityType: 'opportunity',
          entityId: id,
          field: 'status',
          oldValue: opportunity.status,
          newValue: 'open',
          reason: input.reason,
          actorUserId: actor.userId,
        },
        ...(stage && stage.id !== opportunity.stage_id
          ? [
              {
                workspaceId: actor.workspaceId,
                entityType: 'opportunity' as const,
                entityId: id,
                field: 'stage',
                oldValue: opportunity.stage_name,
                newValue: stage.name,
                reason: input.reason,
                actorUserId: actor.userId,
              },
            ]
          : []),
      ],
      now,
    );
  });
  return getOpportunity(db, actor, id);
}
