import type { Db } from '../../db/database.ts';
import { inBatches } from '../../db/batches.ts';
import { opportunityRights, type Actor } from '../../domain/policy.ts';
import type { BulkReassignOpportunitiesRequest, BulkResult } from '../../contracts/bulk.ts';
import { recordAudit } from '../audit/repository.ts';
import { checkSelection, selectionIds } from '../bulk.ts';
import { keepingFunnel } from '../funnel/upkeep.ts';
import { recordChanges } from '../history/repository.ts';
import { assignableUser } from '../users/service.ts';
import * as bulkRepo from './repository/bulk.ts';
import * as teamRepo from './repository/team.ts';

/**
 * Gives the selected deals to one person, with a reason (the list's bulk action). Each row needs
 * the right the single change needs — its owner or a manager over it — and must be open; otherwise
 * nothing changes (src/modules/bulk.ts). One transaction, written in batches.
 */
export async function bulkReassign(
  db: Db,
  actor: Actor,
  input: BulkReassignOpportunitiesRequest,
  ip: string | null,
): Promise<BulkResult> {
  const selected = await selectionIds(input, (limit) =>
    bulkRepo.matchingOpportunityIds(db.kysely, db.engine, actor, input.match ?? {}, limit),
  );
  const { ids, rows } = await checkSelection(
    selected,
    (batch) => bulkRepo.bulkCandidates(db.kysely, actor, batch),
    (row) => {
      const rights = opportunityRights(actor, { ownerId: row.owner_id, unitPath: row.unit_path, onTeam: false });
      if (!rights.edit) return 'forbidden';
      return row.status === 'open' ? null : 'closed';
    },
  );
  const user = await assignableUser(db, actor, input.toUserId, 'toUserId');
  const moving = rows.filter((row) => row.owner_id !== user.id);
  const { now } = actor;
  await db.kysely.transaction().execute(async (trx) => {
    await inBatches(
      moving.map((row) => row.id),
      (batch) =>
        keepingFunnel(trx, actor.workspaceId, batch, () =>
          bulkRepo.reassignOpportunities(trx, actor.workspaceId, batch, { id: user.id, unitId: user.org_unit_id }, now),
        ),
    );
    for (const row of moving) await teamRepo.seatNewLead(trx, actor.workspaceId, row.id, user.id, now);
    await recordChanges(
      trx,
      moving.map((row) => ({
        workspaceId: actor.workspaceId,
        entityType: 'opportunity',
        entityId: row.id,
        field: 'owner',
        oldValue: row.owner_id,
        newValue: user.id,
        reason: input.reason,
        actorUserId: actor.userId,
      })),
      now,
    );
    await recordAudit(
      trx,
      {
        workspaceId: actor.workspaceId,
        actorUserId: actor.userId,
        action: 'opportunity.bulk_reassign',
        ip,
        detail: {
          toUserId: user.id,
          reason: input.reason,
          rows: moving.length,
          selected: ids.length,
          ...(input.match ? { filter: input.match } : {}),
        },
      },
      now,
    );
  });
  return { updated: moving.length };
}
