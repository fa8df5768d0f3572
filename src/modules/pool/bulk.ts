import type { Db } from '../../db/database.ts';
import { inBatches } from '../../db/batches.ts';
import type { Actor } from '../../domain/policy.ts';
import type { BulkClaimRequest, BulkResult } from '../../contracts/bulk.ts';
import { AppError } from '../../server/problem.ts';
import { recordAudit } from '../audit/repository.ts';
import { checkSelection } from '../bulk.ts';
import { recordChanges } from '../history/repository.ts';
import * as repo from './repository.ts';
import { allowanceOf, limitReached } from './service.ts';

/**
 * A rep or manager claims several pool accounts at once (docs/archive.md § Bulk actions), all or
 * nothing like the other bulk actions: ids out of sight answer 400 naming `ids.N`; rows no longer in
 * the pool (claimed or assigned a moment ago, archived) 403 `bulk_refused` with `not_in_pool` each;
 * a selection larger than what the claim limit leaves 409 `claim_limit_reached` on `ids`. The check
 * runs inside the transaction, on the rows locked (PostgreSQL) after the claimer is locked, so two
 * claims at once neither pass the limit together nor take the same account twice.
 */
export async function bulkClaim(db: Db, actor: Actor, input: BulkClaimRequest, ip: string | null): Promise<BulkResult> {
  const { now } = actor;
  return db.kysely.transaction().execute(async (trx) => {
    await repo.lockAssignee(trx, db.engine, actor.workspaceId, actor.userId);
    const { ids, rows } = await checkSelection(
      input.ids,
      (batch) => repo.lockedClaimCandidates(trx, db.engine, actor, batch),
      (row) => (row.in_pool === 1 && row.archived_at === null ? null : 'not_in_pool'),
    );
    const allowance = await allowanceOf(trx, actor.workspaceId, actor.userId);
    if (allowance.remaining < rows.length) throw limitReached(allowance, 'ids');
    const taken = await inBatches(ids, async (batch) => [await repo.takeManyFromPool(trx, actor, batch, now)]);
    if (taken.reduce((sum, n) => sum + n, 0) !== rows.length)
      throw new AppError('already_claimed', 'Someone else took one of these accounts from the pool first');
    await recordChanges(
      trx,
      rows.map((row) => ({
        workspaceId: actor.workspaceId,
        entityType: 'account',
        entityId: row.id,
        field: 'owner',
        oldValue: null,
        newValue: actor.userId,
        reason: 'pool_claim',
        actorUserId: actor.userId,
      })),
      now,
    );
    await recordAudit(
      trx,
      {
        workspaceId: actor.workspaceId,
        actorUserId: actor.userId,
        action: 'pool.bulk_claim',
        ip,
        detail: { rows: rows.length, accountIds: ids },
      },
      now,
    );
    return { updated: rows.length };
  });
}
