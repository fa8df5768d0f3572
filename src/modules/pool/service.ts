import type { Kysely } from 'kysely';
import type { Db } from '../../db/database.ts';
import type { Database } from '../../db/schema.ts';
import type { Tier } from '../../domain/accounts.ts';
import { accountReach, can, canManageAccount, type Actor } from '../../domain/policy.ts';
import { canOwnAccounts, claimAllowance, daysInPool, type PoolReason } from '../../domain/pool.ts';
import type { Role } from '../../domain/roles.ts';
import { AppError, conflict, forbidden, invalid, notFound, staleVersion, fieldError } from '../../server/problem.ts';
import { factsOf, getAccount, requireAccount } from '../accounts/service.ts';
import { recordAudit } from '../audit/repository.ts';
import { recordChanges } from '../history/repository.ts';
import { offThread } from '../jobs/off-thread.ts';
import { loadSettings } from '../workspace/service.ts';
import type { PoolEventPage, PoolEventsQuery, PoolPage, PoolQuery, ReleaseRun } from '../../contracts/pool.ts';
import * as listRepo from './repository/list.ts';
import * as moveRepo from './repository/moves.ts';
import { releaseStaleAccounts } from './release.ts';
import { assignableUser } from '../users/service.ts';
import { userNames } from '../users/shared.ts';

/**
 * The pool as people use it (docs/archive.md): an account claimed, assigned or released by hand,
 * the release run now by an administrator, the pool and its events listed. The nightly release:
 * release.ts; bulk claims and assignments: bulk.ts.
 */

/** An administrator runs the release for their workspace now. */
export async function releaseNow(db: Db, actor: Actor, ip: string | null): Promise<ReleaseRun> {
  if (!can(actor, 'pool.run')) throw forbidden('Only an administrator can run the pool release');
  const { now } = actor;
  const result = await offThread(db, { job: 'pool.release', now, workspaceId: actor.workspaceId }, () =>
    releaseStaleAccounts(db.kysely, db.engine, actor.workspaceId, now),
  );
  await recordAudit(
    db.kysely,
    {
      workspaceId: actor.workspaceId,
      actorUserId: actor.userId,
      action: 'pool.release_run',
      ip,
      detail: { released: result.released },
    },
    now,
  );
  return { released: result.released, total: result.total, ranAt: now };
}

/** Whether a pool (by its unit) is one the actor may claim from (docs/organisation.md via policy.accountReach). */
function poolVisible(actor: Actor, unit: { id: number; path: string }): boolean {
  const reach = accountReach(actor);
  if (reach.kind === 'workspace') return true;
  if (reach.kind === 'subtree') return unit.path.startsWith(reach.path);
  if (reach.kind === 'own') return reach.poolUnitIds.includes(unit.id);
  return false;
}

export async function allowanceOf(db: Kysely<Database>, workspaceId: number, userId: number) {
  const [settings, held] = await Promise.all([
    loadSettings(db, workspaceId),
    moveRepo.privateAccountCount(db, workspaceId, userId),
  ]);
  return claimAllowance(held, settings);
}

export function limitReached(allowance: { limit: number; held: number }, field: string) {
  return new AppError(
    'claim_limit_reached',
    `The limit of ${allowance.limit} private accounts is reached (${allowance.held} held)`,
    {
      errors: [
        fieldError(
          field,
          { code: 'claim_limit', params: { limit: allowance.limit } },
          `limit of ${allowance.limit} private accounts reached`,
        ),
      ],
      params: { limit: allowance.limit, held: allowance.held },
    },
  );
}

async function staleOrGone(db: Kysely<Database>, workspaceId: number, id: number, version: number): Promise<AppError> {
  const cur = await moveRepo.currentVersion(db, workspaceId, id);
  if (cur && cur.version === version && cur.in_pool !== 1)
    return conflict('not_in_pool', 'The account is no longer in the pool');
  if (cur && cur.in_pool !== 1)
    return conflict('already_claimed', 'Someone else took this account from the pool first', 'version');
  return staleVersion('Account', cur?.version ?? version);
}

/** A rep or manager takes a visible pool account (docs/archive.md), within the claim limit. */
export async function claim(db: Db, actor: Actor, id: number, version: number, ip: string | null) {
  if (!can(actor, 'pool.claim')) throw forbidden('Only reps and managers claim accounts from the pool');
  const row = await moveRepo.visibleOrNull(db.kysely, actor, id);
  if (!row) {
    // Claimed a moment ago by someone else from a pool this person sees: say so (409), not 404.
    const from = await moveRepo.lastTakenFrom(db.kysely, actor.workspaceId, id);
    if (from && poolVisible(actor, from))
      throw conflict('already_claimed', 'Someone else took this account from the pool first', 'version');
    throw notFound('Account');
  }
  if (row.in_pool !== 1 || row.archived_at !== null) throw conflict('not_in_pool', 'The account is not in the pool');
  return transfer(
    db,
    actor,
    {
      id,
      version,
      toUserId: actor.userId,
      toUnitId: actor.orgUnitId,
      fromUnitId: row.org_unit_id,
      reason: 'pool_claim',
      field: 'version',
    },
    ip,
  );
}

/** A manager (or admin) gives a pool account in their reach to a rep or manager of their subtree. */
export async function assign(
  db: Db,
  actor: Actor,
  id: number,
  version: number,
  toUserId: number,
  reason: string,
  ip: string | null,
) {
  const row = await requireAccount(db, actor, id);
  if (!canManageAccount(actor, factsOf(row))) throw forbidden('Only a manager over this pool can assign its accounts');
  if (row.in_pool !== 1 || row.archived_at !== null) throw conflict('not_in_pool', 'The account is not in the pool');
  const user = await assignableUser(db, actor, toUserId, 'toUserId');
  if (!canOwnAccounts(user.role as Role))
    throw invalid('toUserId', { code: 'owner_role' }, 'only reps and managers own accounts');
  return transfer(
    db,
    actor,
    {
      id,
      version,
      toUserId: user.id,
      toUnitId: user.org_unit_id,
      fromUnitId: row.org_unit_id,
      reason: 'pool_assign',
      field: 'toUserId',
      note: reason,
    },
    ip,
  );
}

async function transfer(
  db: Db,
  actor: Actor,
  move: {
    id: number;
    version: number;
    toUserId: number;
    toUnitId: number;
    fromUnitId: number;
    reason: PoolReason;
    field: string;
    /** The manager's reason for an assignment. */
    note?: string;
  },
  ip: string | null,
) {
  const { now } = actor;
  await db.kysely.transaction().execute(async (trx) => {
    // First, so the count below sees every claim for this person that committed before ours.
    await moveRepo.lockAssignee(trx, db.engine, actor.workspaceId, move.toUserId);
    const allowance = await allowanceOf(trx, actor.workspaceId, move.toUserId);
    if (allowance.remaining <= 0) throw limitReached(allowance, move.field);
    if (
      !(await moveRepo.takeFromPool(trx, actor.workspaceId, move.id, move.version, move.toUserId, move.toUnitId, now))
    )
      throw await staleOrGone(trx, actor.workspaceId, move.id, move.version);
    await recordChanges(
      trx,
      [
        {
          workspaceId: actor.workspaceId,
          entityType: 'account',
          entityId: move.id,
          field: 'owner',
          oldValue: null,
          newValue: move.toUserId,
          reason: move.reason,
          actorUserId: actor.userId,
        },
      ],
      now,
    );
    await recordAudit(
      trx,
      {
        workspaceId: actor.workspaceId,
        actorUserId: actor.userId,
        action: `pool.${move.reason === 'pool_claim' ? 'claim' : 'assign'}`,
        targetType: 'account',
        targetId: move.id,
        ip,
        detail: {
          toUserId: move.toUserId,
          fromUnitId: move.fromUnitId,
          ...(move.note === undefined ? {} : { reason: move.note }),
        },
      },
      now,
    );
  });
  return getAccount(db, actor, move.id);
}

/** An account with a deal in progress is never released, by hand or by the nightly run (docs/archive.md). */
async function refuseOpenDeals(db: Kysely<Database>, workspaceId: number, id: number) {
  const count = await moveRepo.openOpportunityCount(db, workspaceId, id);
  if (count > 0)
    throw new AppError('open_opportunities', `The account has ${count} open opportunities`, { params: { count } });
}

/** The owner gives an account up, or a manager releases it; the reason is kept (docs/archive.md). */
export async function releaseByHand(
  db: Db,
  actor: Actor,
  id: number,
  version: number,
  reason: string,
  ip: string | null,
) {
  const row = await requireAccount(db, actor, id);
  if (row.in_pool === 1) throw conflict('already_in_pool', 'The account is already in the pool');
  if (row.archived_at !== null) throw conflict('archived', 'An archived account cannot go to the pool');
  const isOwner = row.owner_id === actor.userId && can(actor, 'pool.release');
  if (!isOwner && !canManageAccount(actor, factsOf(row)))
    throw forbidden('Only the owner or a manager can release this account');
  const { now } = actor;
  await db.kysely.transaction().execute(async (trx) => {
    await refuseOpenDeals(trx, actor.workspaceId, id);
    if (!(await moveRepo.putIntoPool(trx, actor.workspaceId, id, version, now)))
      throw staleVersion('Account', (await moveRepo.currentVersion(trx, actor.workspaceId, id))?.version ?? version);
    await recordChanges(
      trx,
      [
        {
          workspaceId: actor.workspaceId,
          entityType: 'account',
          entityId: id,
          field: 'owner',
          oldValue: row.owner_id,
          newValue: null,
          reason: 'pool_release_manual',
          actorUserId: actor.userId,
        },
      ],
      now,
    );
    await recordAudit(
      trx,
      {
        workspaceId: actor.workspaceId,
        actorUserId: actor.userId,
        action: 'pool.release_manual',
        targetType: 'account',
        targetId: id,
        ip,
        detail: { reason, previousOwnerId: row.owner_id },
      },
      now,
    );
  });
  return getAccount(db, actor, id);
}

export async function listPool(db: Db, actor: Actor, query: PoolQuery): Promise<PoolPage> {
  const { now } = actor;
  const { items, total } = await listRepo.listPool(db.kysely, db.engine, actor, query);
  const ownerIds = [
    ...new Set(
      items
        .map((i) => (i.previous_owner_id == null ? null : Number(i.previous_owner_id)))
        .filter((v): v is number => v !== null && Number.isFinite(v)),
    ),
  ];
  const names = await userNames(db.kysely, actor.workspaceId, ownerIds);
  const allowance = can(actor, 'pool.claim') ? await allowanceOf(db.kysely, actor.workspaceId, actor.userId) : null;
  return {
    items: items.map((item) => {
      const prev = item.previous_owner_id == null ? null : Number(item.previous_owner_id);
      return {
        id: item.id,
        name: item.name,
        industry: item.industry,
        province: item.province,
        city: item.city,
        tier: item.tier as Tier,
        named: item.named_account === 1,
        status: item.status,
        orgUnitId: item.org_unit_id,
        orgUnitName: item.org_unit_name,
        poolSince: item.pool_since,
        daysInPool: daysInPool(item.pool_since, now),
        lastFollowUpAt: item.last_follow_up_at,
        trailingAmount: item.trailing_amount,
        previousOwnerId: prev,
        previousOwnerName: prev === null ? null : (names.get(prev) ?? null),
        releaseReason: (item.release_reason as string | null) ?? null,
        version: item.version,
      };
    }),
    total,
    allowance,
  };
}

export async function listEvents(db: Db, actor: Actor, query: PoolEventsQuery): Promise<PoolEventPage> {
  const { items, total } = await listRepo.listPoolEvents(db.kysely, actor, query);
  const ids = [
    ...new Set(
      items
        .flatMap((i) => [i.old_value, i.new_value])
        .filter((v): v is string => v !== null)
        .map(Number),
    ),
  ];
  const names = await userNames(db.kysely, actor.workspaceId, ids);
  const name = (v: string | null) => (v === null ? null : (names.get(Number(v)) ?? null));
  return {
    items: items.map((item) => {
      let note: string | null = null;
      if (item.detail) {
        try {
          note = (JSON.parse(item.detail) as { reason?: string }).reason ?? null;
        } catch {
          note = null;
        }
      }
      return {
        id: item.id,
        kind: item.reason as PoolReason,
        accountId: item.account_id,
        accountName: item.account_name,
        tier: item.tier as Tier,
        orgUnitName: item.org_unit_name,
        fromUserId: item.old_value === null ? null : Number(item.old_value),
        fromUserName: name(item.old_value),
        toUserId: item.new_value === null ? null : Number(item.new_value),
        toUserName: name(item.new_value),
        actorUserId: item.actor_user_id,
        actorName: item.actor_name,
        note,
        createdAt: item.created_at,
      };
    }),
    total,
  };
}
