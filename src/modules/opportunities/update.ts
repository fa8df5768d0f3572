import type { Db } from '../../db/database.ts';
import { updateVersioned } from '../versioned.ts';
import { OPPORTUNITY_LEAD_FIELDS, type Actor } from '../../domain/policy.ts';
import { AppError, forbidden, invalid, fieldError } from '../../server/problem.ts';
import { recordChanges, type Change } from '../history/repository.ts';
import { assignableUser } from '../users/service.ts';
import { getOpportunity, LEAD_ONLY, requireRight } from './read.ts';
import * as teamRepo from './repository/team.ts';
import { keepingFunnel } from '../funnel/upkeep.ts';
import type * as contract from '../../contracts/opportunities.ts';

export type OpportunityPatch = contract.UpdateOpportunityRequest;

/** Changes fields; owner, amount, close date and forecast category go to the history (docs/method.md). */
export async function updateOpportunity(db: Db, actor: Actor, id: number, patch: OpportunityPatch) {
  const { r: opportunity, rights } = await requireRight(
    db,
    actor,
    id,
    'contribute',
    'You cannot edit this opportunity',
  );
  if (opportunity.status !== 'open') throw new AppError('closed', 'A closed opportunity cannot be edited');
  if (!rights.edit) {
    // The rest of the team contributes the analysis; the deal's figures are its lead's.
    const current = {
      name: opportunity.name,
      amount: opportunity.amount,
      expectedCloseDate: opportunity.expected_close_date,
      forecastCategory: opportunity.forecast_category,
      ownerId: opportunity.owner_id,
      leadSource: opportunity.lead_source,
    };
    const field = OPPORTUNITY_LEAD_FIELDS.find((f) => patch[f] !== undefined && patch[f] !== current[f]);
    if (field)
      throw new AppError('forbidden', `${LEAD_ONLY} changes ${field}`, {
        errors: [
          fieldError(field, { code: 'lead_only' }, 'only the owner or a manager over the opportunity changes this'),
        ],
      });
  }
  let newOwner: { id: number; org_unit_id: number } | undefined;
  if (patch.ownerId !== undefined && patch.ownerId !== opportunity.owner_id) {
    if (!patch.ownerReason) throw invalid('ownerReason', { code: 'required' }, 'say why the owner changes');
    newOwner = await assignableUser(db, actor, patch.ownerId, 'ownerId');
  }
  if (patch.advantageLost !== undefined && !rights.manage) throw forbidden('Only a manager marks an advantage as lost');
  // The weekly review asks why a deal lost its edge; clearing the mark needs no reason.
  if (patch.advantageLost === true && opportunity.advantage_lost !== 1 && !patch.advantageReason)
    throw invalid('advantageReason', { code: 'required' }, 'say why the advantage is lost');
  const { now } = actor;
  const changes: Change[] = [];
  const track = (
    field: string,
    from: string | number | null,
    to: string | number | null | undefined,
    reason?: string,
  ) => {
    if (to !== undefined && to !== from)
      changes.push({
        workspaceId: actor.workspaceId,
        entityType: 'opportunity',
        entityId: id,
        field,
        oldValue: from,
        newValue: to,
        reason: reason ?? null,
        actorUserId: actor.userId,
      });
  };
  track('owner', opportunity.owner_id, newOwner?.id, patch.ownerReason);
  track('amount', opportunity.amount, patch.amount);
  track('close_date', opportunity.expected_close_date, patch.expectedCloseDate);
  track(
    'advantage_lost',
    opportunity.advantage_lost === 1 ? 'true' : 'false',
    patch.advantageLost === undefined ? undefined : String(patch.advantageLost),
    patch.advantageReason,
  );
  track('forecast_category', opportunity.forecast_category, patch.forecastCategory);
  await db.kysely.transaction().execute(async (trx) => {
    await keepingFunnel(trx, actor.workspaceId, [id], () =>
      updateVersioned(
        trx,
        'opportunities',
        'Opportunity',
        { workspaceId: actor.workspaceId, id, version: patch.version },
        {
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
        },
      ),
    );
    if (newOwner) await teamRepo.seatNewLead(trx, actor.workspaceId, id, newOwner.id, now);
    await recordChanges(trx, changes, now);
  });
  return getOpportunity(db, actor, id);
}
