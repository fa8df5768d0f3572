import type { Kysely } from 'kysely';
import type { Db } from '../../db/database.ts';
import type { Database } from '../../db/schema.ts';
import { inBatches } from '../../db/batches.ts';
import { canManageAccount, type Actor } from '../../domain/policy.ts';
import { canOwnAccounts } from '../../domain/pool.ts';
import type { Role } from '../../domain/roles.ts';
import type { BulkAssignRequest, BulkClaimRequest, BulkRefusal, BulkResult } from '../../contracts/bulk.ts';
import { AppError, invalid } from '../../server/problem.ts';
import { recordAudit } from '../audit/repository.ts';
import { checkSelection, selectionIds } from '../bulk.ts';
import { recordChanges } from '../history/repository.ts';
import { assignableUser } from '../users/service.ts';
import * as listRepo from './repository/list.ts';
import * as moveRepo from './repository/moves.ts';
import { allowanceOf, limitReached } from './service.ts';

type Candidate = Awaited<ReturnType<typeof moveRepo.lockedClaimCandidates>>[number];
const stillInPool = (row: Candidate): BulkRefusal['reason'] | null =>
  row.in_pool === 1 && row.archived_at === null ? null : 'not_in_pool';

/**
 * A rep or manager claims several pool accounts at once (docs/archive.md § Bulk actions), all or
 * nothing like the other bulk actions: ids out of sight answer 400 naming `ids.N`; rows no longer in
 * the pool (claimed or assigned a moment ago, archived) 403 `bulk_refused` with `not_in_pool` each;
 * a selection larger than what the claim limit leaves 409 `claim_limit_reached` on `ids`. "Select
 * all N matching" sends the pool list's filter (`match`), resolved within the caller's sight.
 */
export async function bulkClaim(db: Db, actor: Actor, input: BulkClaimRequest, ip: string | null): Promise<BulkResult> {
  const selected = await selectionIds(input, (limit) =>
    listRepo.matchingPoolIds(db.kysely, db.engine, actor, input.match ?? {}, limit),
  );
  return takeSelection(db, actor, selected, {
    owner: { id: actor.userId, unitId: actor.orgUnitId },
    reason: 'pool_claim',
    limitField: 'ids',
    refusal: stillInPool,
    audit: { action: 'pool.bulk_claim', detail: input.match ? { filter: input.match } : {} },
    ip,
  });
}

/**
 * A manager gives several pool accounts of their reach to one rep or manager of their subtree, with
 * a reason (the pool list's bulk action): each row needs a manager over it (`forbidden`) and must
 * still be in the pool (`not_in_pool`); the assignee's claim limit counts for the whole selection,
 * as it does for one assignment (409 `claim_limit_reached` on `toUserId`). All or nothing.
 */
export async function bulkAssign(
  db: Db,
  actor: Actor,
  input: BulkAssignRequest,
  ip: string | null,
): Promise<BulkResult> {
  const selected = await selectionIds(input, (limit) =>
    listRepo.matchingPoolIds(db.kysely, db.engine, actor, input.match ?? {}, limit),
  );
  const user = await assignableUser(db, actor, input.toUserId, 'toUserId');
  if (!canOwnAccounts(user.role as Role))
    throw invalid('toUserId', { code: 'owner_role' }, 'only reps and managers own accounts');
  return takeSelection(db, actor, selected, {
    owner: { id: user.id, unitId: user.org_unit_id },
    reason: 'pool_assign',
    limitField: 'toUserId',
    refusal: (row) => (canManageAccount(actor, { unitPath: row.unit_path }) ? stillInPool(row) : 'forbidden'),
    audit: {
      action: 'pool.bulk_assign',
      detail: { toUserId: user.id, reason: input.reason, ...(input.match ? { filter: input.match } : {}) },
    },
    ip,
  });
}

/**
 * Moves the selection out of the pool to one owner in one transaction. The check runs inside it, on
 * the rows locked (PostgreSQL) after the new owner is locked, so two claims at once neither pass the
 * limit together nor take the same account twice; nothing moves unless every row can.
 */
async function takeSelection(
  db: Db,
  actor: Actor,
  selected: number[],
  move: {
    owner: { id: number; unitId: number };
    reason: 'pool_claim' | 'pool_assign';
    limitField: string;
    refusal: (row: Candidate) => BulkRefusal['reason'] | null;
    audit: { action: string; detail: Record<string, unknown> };
    ip: string | null;
  },
): Promise<BulkResult> {
  const { now } = actor;
  return db.kysely.transaction().execute(async (trx: Kysely<Database>) => {
    await moveRepo.lockAssignee(trx, db.engine, actor.workspaceId, move.owner.id);
    const { ids, rows } = await checkSelection(
      selected,
      (batch) => moveRepo.lockedClaimCandidates(trx, db.engine, actor, batch),
      move.refusal,
    );
    const allowance = await allowanceOf(trx, actor.workspaceId, move.owner.id);
    if (allowance.remaining < rows.length) throw limitReached(allowance, move.limitField);
    const taken = await inBatches(ids, async (batch) => [
      await moveRepo.takeManyFromPool(trx, actor, batch, move.owner, now),
    ]);
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
        newValue: move.owner.id,
        reason: move.reason,
        actorUserId: actor.userId,
      })),
      now,
    );
    await recordAudit(
      trx,
      {
        workspaceId: actor.workspaceId,
        actorUserId: actor.userId,
        action: move.audit.action,
        ip: move.ip,
        detail: { ...move.audit.detail, rows: rows.length, accountIds: ids },
      },
      now,
    );
    return { updated: rows.length };
  });
}
