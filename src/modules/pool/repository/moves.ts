import type { Kysely } from 'kysely';
import type { Database } from '../../../db/schema.ts';
import { lockRows, type Engine } from '../../../db/dialect.ts';
import type { Actor } from '../../../domain/policy.ts';
import { bulkCandidates, getAccount } from '../../accounts/repository/accounts.ts';

/**
 * An account moved into or out of the pool by a person: claimed or assigned (one, or a bulk
 * selection in batches), released by hand; what such a move checks first (the claim limit's
 * count, open deals, the version, who took it first).
 */

/** The account if the actor may see it (the accounts area's visibility rule). */
export const visibleOrNull = (db: Kysely<Database>, actor: Actor, id: number) => getAccount(db, actor, id);

/**
 * Takes a row lock on the user an account is about to go to (PostgreSQL only), so that their
 * claims and assignments run one after another: under READ COMMITTED two transactions could
 * otherwise both count the held accounts before either commits and together pass the claim
 * limit. SQLite runs one write transaction at a time, so it needs nothing here.
 */
export async function lockAssignee(
  trx: Kysely<Database>,
  engine: Engine,
  workspaceId: number,
  userId: number,
): Promise<void> {
  await lockRows(
    engine,
    trx.selectFrom('users').select('id').where('workspace_id', '=', workspaceId).where('id', '=', userId),
  );
}

/** Private (non-pool, not archived) accounts a user holds: what the claim limit counts. */
export async function privateAccountCount(db: Kysely<Database>, workspaceId: number, userId: number): Promise<number> {
  const row = await db
    .selectFrom('accounts')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('workspace_id', '=', workspaceId)
    .where('owner_id', '=', userId)
    .where('in_pool', '=', 0)
    .where('archived_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * Moves an account out of the pool to a new owner, only if it is still in the pool and
 * still at the version the caller read: of two people claiming at once, exactly one wins.
 */
export async function takeFromPool(
  trx: Kysely<Database>,
  workspaceId: number,
  id: number,
  version: number,
  ownerId: number,
  unitId: number,
  now: number,
): Promise<boolean> {
  const result = await trx
    .updateTable('accounts')
    .set({
      owner_id: ownerId,
      org_unit_id: unitId,
      in_pool: 0,
      pool_since: null,
      updated_at: now,
      version: version + 1,
    })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .where('version', '=', version)
    .where('in_pool', '=', 1)
    .where('archived_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Puts an owned account into the pool of its unit, if unchanged since the caller read it. */
export async function putIntoPool(
  trx: Kysely<Database>,
  workspaceId: number,
  id: number,
  version: number,
  now: number,
): Promise<boolean> {
  const result = await trx
    .updateTable('accounts')
    .set({ owner_id: null, in_pool: 1, pool_since: now, updated_at: now, version: version + 1 })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .where('version', '=', version)
    .where('in_pool', '=', 0)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Open opportunities of an account (any owner): an account with a deal in progress stays private. */
export async function openOpportunityCount(db: Kysely<Database>, workspaceId: number, accountId: number) {
  const row = await db
    .selectFrom('opportunities')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('workspace_id', '=', workspaceId)
    .where('account_id', '=', accountId)
    .where('status', '=', 'open')
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function currentVersion(db: Kysely<Database>, workspaceId: number, id: number) {
  return db
    .selectFrom('accounts')
    .select(['version', 'in_pool'])
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .executeTakeFirst();
}

/**
 * The pool unit an account was last taken from, if its current owner took it from the pool
 * (read from the audit entry of the claim): lets a claimer who lost a race learn that
 * someone was first (409) rather than that the account does not exist (404).
 */
export async function lastTakenFrom(db: Kysely<Database>, workspaceId: number, accountId: number) {
  const row = await db
    .selectFrom('audit_log')
    .innerJoin('accounts', (joinBuilder) =>
      joinBuilder.onRef('accounts.id', '=', 'audit_log.target_id').on('accounts.workspace_id', '=', workspaceId),
    )
    .select(['audit_log.detail', 'accounts.owner_id'])
    .where('audit_log.workspace_id', '=', workspaceId)
    .where('audit_log.action', 'in', ['pool.claim', 'pool.assign'])
    .where('audit_log.target_type', '=', 'account')
    .where('audit_log.target_id', '=', accountId)
    .orderBy('audit_log.created_at', 'desc')
    .orderBy('audit_log.id', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (!row?.detail) return null;
  const detail = JSON.parse(row.detail) as { toUserId?: number; fromUnitId?: number };
  if (detail.toUserId !== row.owner_id || detail.fromUnitId === undefined) return null;
  const unit = await db
    .selectFrom('org_units')
    .select(['id', 'path'])
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', detail.fromUnitId)
    .executeTakeFirst();
  return unit ?? null;
}

/**
 * One batch of a bulk claim's selection as the claimer sees it, read after locking the accounts'
 * own rows (PostgreSQL), so a claim running at the same time waits and then reads the row taken.
 */
export async function lockedClaimCandidates(trx: Kysely<Database>, engine: Engine, actor: Actor, ids: number[]) {
  await lockRows(
    engine,
    trx.selectFrom('accounts').select('id').where('workspace_id', '=', actor.workspaceId).where('id', 'in', ids),
  );
  return bulkCandidates(trx, actor, ids);
}

/** One batch out of the pool to its new owner (the claimer, or whom a manager assigns) and their unit, only rows still in it; how many moved. */
export async function takeManyFromPool(
  trx: Kysely<Database>,
  actor: Actor,
  ids: number[],
  owner: { id: number; unitId: number },
  now: number,
) {
  const result = await trx
    .updateTable('accounts')
    .set((eb) => ({
      owner_id: owner.id,
      org_unit_id: owner.unitId,
      in_pool: 0,
      pool_since: null,
      updated_at: now,
      version: eb('version', '+', 1),
    }))
    .where('workspace_id', '=', actor.workspaceId)
    .where('id', 'in', ids)
    .where('in_pool', '=', 1)
    .where('archived_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}
