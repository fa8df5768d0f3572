import type { Db } from '../../db/database.ts';
import { canEditAccount, opportunityRights, type Actor } from '../../domain/policy.ts';
import { AppError, fieldError, forbidden, invalid } from '../../server/problem.ts';
import { factsOf, requireAccount } from '../accounts/service.ts';
import { linkToOpportunity } from '../attachments/service.ts';
import { recordChanges } from '../history/repository.ts';
import { findProcess, stagesOf } from '../sales-processes/service.ts';
import { assignableUser } from '../users/service.ts';
import { checkEvidenceAttachments, exitOf, passGate, stageChange } from './gate.ts';
import { getOpportunity } from './read.ts';
import * as dealRepo from './repository/deal.ts';
import * as stageRepo from './repository/stages.ts';
import * as teamRepo from './repository/team.ts';
import { countNewDeal } from '../funnel/upkeep.ts';
import type * as contract from '../../contracts/opportunities.ts';

/** The fields of a new opportunity, as the contract parses them. */
export type OpportunityInput = Omit<contract.CreateOpportunityRequest, 'evidence' | 'reason' | 'override'>;
/** A new opportunity entering past the first stage proves the stages it skips (docs/sales-process.md). */
export type EntryInput = Pick<contract.CreateOpportunityRequest, 'evidence' | 'reason' | 'override'>;

/**
 * Creates an opportunity on an account the caller may edit; the owner joins the team as sales
 * lead. Entering past the first stage (a returning customer buying again) passes the stage
 * gate of a move from the first stage, and is recorded as that move: the first stage left at
 * once with the evidence given, the stage entered.
 */
export async function createOpportunity(
  db: Db,
  actor: Actor,
  input: contract.CreateOpportunityRequest,
): Promise<contract.OpportunityDetail> {
  const account = await requireAccount(db, actor, input.accountId).catch(() => {
    throw invalid(
      'accountId',
      { code: 'not_found', params: { id: input.accountId } },
      `no account with id ${input.accountId}`,
    );
  });
  if (!canEditAccount(actor, factsOf(account))) throw forbidden('You cannot add opportunities to this account');
  const [stages, process] = await Promise.all([
    stagesOf(db.kysely, actor.workspaceId, [input.processId]),
    findProcess(db.kysely, actor.workspaceId, input.processId),
  ]);
  if (!process || stages.length === 0)
    throw invalid(
      'processId',
      { code: 'not_found', params: { id: input.processId } },
      `no sales process with id ${input.processId}`,
    );
  if (process.active !== 1) throw invalid('processId', { code: 'inactive' }, 'the sales process is no longer in use');
  const first = stages[0]!;
  const stage = input.stageId === undefined ? first : stages.find((s) => s.id === input.stageId);
  if (!stage) throw invalid('stageId', { code: 'not_of_process' }, 'must be a stage of the chosen process');
  if (stage.is_won === 1)
    throw invalid('stageId', { code: 'cannot_start_won' }, 'a new opportunity cannot start as won');
  const owner =
    input.ownerId !== undefined && input.ownerId !== actor.userId
      ? await assignableUser(db, actor, input.ownerId, 'ownerId')
      : { id: actor.userId, org_unit_id: actor.orgUnitId, path: actor.unitPath };
  const evidence = input.evidence ?? [];
  const { edit, manage } = opportunityRights(actor, { ownerId: owner.id, unitPath: owner.path, onTeam: false });
  // Refused before anything is written: a rep's deal for a colleague would be saved out of the
  // rep's sight (a 404 after the insert), and a retrying client would save it again.
  if (!edit)
    throw new AppError('forbidden', 'Only a manager can create an opportunity for someone else', {
      errors: [
        fieldError(
          'ownerId',
          { code: 'lead_only' },
          'only a manager over them can create a deal owned by someone else',
        ),
      ],
    });
  const entry = passGate(
    stages,
    first.id,
    stage.id,
    { evidence, reason: input.reason, override: input.override },
    manage,
  );
  const { now, workspaceId } = actor;
  const id = await db.kysely.transaction().execute(async (trx) => {
    const oppId = await dealRepo.insertOpportunity(trx, {
      workspace_id: workspaceId,
      account_id: input.accountId,
      name: input.name,
      owner_id: owner.id,
      org_unit_id: owner.org_unit_id,
      amount: input.amount,
      status: 'open',
      expected_close_date: input.expectedCloseDate,
      process_id: input.processId,
      stage_id: stage.id,
      stage_entered_at: now,
      lead_source: input.leadSource ?? null,
      buying_phase: input.buyingPhase ?? null,
      forecast_category: input.forecastCategory ?? 'pipeline',
      next_step: input.nextStep ?? null,
      next_step_date: input.nextStepDate ?? null,
      description: input.description ?? null,
      products: JSON.stringify(input.products ?? []),
      created_at: now,
      updated_at: now,
      version: 1,
    });
    await countNewDeal(trx, workspaceId, oppId);
    await teamRepo.insertTeamMember(trx, {
      workspaceId,
      opportunityId: oppId,
      userId: owner.id,
      teamRole: 'sales_lead',
      now,
    });
    const forward = entry.direction === 'forward';
    if (forward) {
      // Files are checked against the opportunity they will prove, so only once it exists; a refusal rolls it back.
      const attachmentIds = await checkEvidenceAttachments(trx, actor, oppId, evidence);
      await stageRepo.insertStageEntry(trx, {
        workspace_id: workspaceId,
        opportunity_id: oppId,
        stage_id: first.id,
        stage_name: first.name,
        probability: first.probability,
        entered_at: now,
        entered_by: actor.userId,
        ...exitOf(actor, entry, evidence, input.reason),
      });
      await linkToOpportunity(trx, workspaceId, attachmentIds, oppId);
    }
    await stageRepo.insertStageEntry(trx, {
      workspace_id: workspaceId,
      opportunity_id: oppId,
      stage_id: stage.id,
      stage_name: stage.name,
      probability: stage.probability,
      entered_at: now,
      entered_by: actor.userId,
    });
    await recordChanges(
      trx,
      [
        {
          workspaceId,
          entityType: 'opportunity',
          entityId: oppId,
          field: 'owner',
          oldValue: null,
          newValue: owner.id,
          reason: 'creator',
          actorUserId: actor.userId,
        },
        {
          workspaceId,
          entityType: 'opportunity',
          entityId: oppId,
          field: 'amount',
          oldValue: null,
          newValue: input.amount,
          actorUserId: actor.userId,
        },
        {
          workspaceId,
          entityType: 'opportunity',
          entityId: oppId,
          field: 'close_date',
          oldValue: null,
          newValue: input.expectedCloseDate,
          actorUserId: actor.userId,
        },
        ...(forward ? [stageChange(actor, oppId, first.name, stage.name, entry, input.reason)] : []),
      ],
      now,
    );
    return oppId;
  });
  return getOpportunity(db, actor, id);
}
