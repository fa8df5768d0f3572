import type { Db } from '../../db/database.ts';
import { inBatches } from '../../db/batches.ts';
import { canOwnAccounts } from '../../domain/pool.ts';
import { canManageAccount, type Actor } from '../../domain/policy.ts';
import type { Role } from '../../domain/roles.ts';
import type { BulkReassignAccountsRequest, BulkResult } from '../../contracts/bulk.ts';
import { invalid } from '../../server/problem.ts';
import { recordAudit } from '../audit/repository.ts';
import { checkSelection, selectionIds } from '../bulk.ts';
import { recordChanges } from '../history/repository.ts';
import { assignableUser } from '../users/service.ts';
import * as repo from './repository/accounts.ts';
import { matchingAccountIds } from './service.ts';

/**
 * Gives the selected accounts to one rep or manager, with a reason (the list's bulk action). Each
 * row needs a manager over it, as the single reassignment; pool accounts go through the pool's
 * assignment and archived ones stay put — otherwise nothing changes (src/modules/bulk.ts).
 */
export async function bulkReassign(
  db: Db,
  actor: Actor,
  input: BulkReassignAccountsRequest,
  ip: string | null,
): Promise<BulkResult> {
  const selected = await selectionIds(input, (limit) => matchingAccountIds(db, actor, input.match ?? {}, limit));
  const { ids, rows } = await checkSelection(
    selected,
    (batch) => repo.bulkCandidates(db.kysely, actor, batch),
    (row) => {
      if (!canManageAccount(actor, { unitPath: row.unit_path })) return 'forbidden';
      if (row.archived_at !== null) return 'archived';
      return row.in_pool === 1 ? 'in_pool' : null;
    },
  );
  const user = await assignableUser(db, actor, input.toUserId, 'toUserId');
  if (!canOwnAccounts(user.role as Role))
    throw invalid('toUserId', { code: 'owner_role' }, 'only reps and managers own accounts');
  const moving = rows.filter((row) => row.owner_id !== user.id);
  const { now } = actor;
  await db.kysely.transaction().execute(async (trx) => {
    await inBatches(
      moving.map((row) => row.id),
      (batch) => repo.reassignAccounts(trx, actor.workspaceId, batch, { id: user.id, unitId: user.org_unit_id }, now),
    );
    await recordChanges(
      trx,
      moving.map((row) => ({
        workspaceId: actor.workspaceId,
        entityType: 'account',
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
        action: 'account.bulk_reassign',
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
