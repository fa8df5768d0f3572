import { CompiledQuery, sql, type Compilable, type Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { containsInsensitive, lockRows, type Engine } from '../../db/dialect.ts';
import type { Tier } from '../../domain/accounts.ts';
import type { Actor } from '../../domain/policy.ts';
import { POOL_REASONS } from '../../domain/pool.ts';
import { bulkCandidates, getAccount, visibleAccounts } from '../accounts/repository.ts';
import { subtreePattern } from '../scope.ts';
import { candidateIds, prepareMatch } from '../search/shared.ts';

/** The account if the actor may see it (the accounts area's visibility rule). */
export const visibleOrNull = (db: Kysely<Database>, actor: Actor, id: number) => getAccount(db, actor, id);

/**
 * The accounts of one tier due for the automatic release (docs/archive.md): owned, not archived,
 * created and last followed up before the cutoff, not assigned to their owner since (claim,
 * handover, reassignment), and with no deal in progress nor one that moved or closed since.
 * The candidates come from accounts_ws_release alone, and each NOT EXISTS probes one account
 * through an index: history_ws_entity, and opportunities_ws_account_work, which holds the
 * three columns tested, so an account's ten-odd deals are read from the index alone
 * (migration 0029; tier C at 100,000 accounts and 1,000,000 deals: 3.5 s → 0.25 s).
 */
function dueAccounts(db: Kysely<Database>, workspaceId: number, tier: Tier, cutoff: number) {
  return (
    db
      .selectFrom('accounts')
      .where('accounts.workspace_id', '=', workspaceId)
      .where('accounts.tier', '=', tier)
      .where('accounts.in_pool', '=', 0)
      .where('accounts.archived_at', 'is', null)
      .where('accounts.owner_id', 'is not', null)
      .where('accounts.created_at', '<', cutoff)
      .where((eb) =>
        eb.or([eb('accounts.last_follow_up_at', 'is', null), eb('accounts.last_follow_up_at', '<', cutoff)]),
      )
      // Assigned to the current owner (claim, handover, reassignment) within the window: not yet.
      .where((eb) =>
        eb.not(
          eb.exists(
            eb
              .selectFrom('record_history as h')
              .select(eb.lit(1).as('one'))
              .where('h.workspace_id', '=', workspaceId)
              .where('h.entity_type', '=', 'account')
              .whereRef('h.entity_id', '=', 'accounts.id')
              .where('h.field', '=', 'owner')
              .where('h.created_at', '>=', cutoff),
          ),
        ),
      )
      // A deal in progress, or one that moved or closed within the window, is work on the account.
      .where((eb) =>
        eb.not(
          eb.exists(
            eb
              .selectFrom('opportunities as o')
              .select(eb.lit(1).as('one'))
              .where('o.workspace_id', '=', workspaceId)
              .whereRef('o.account_id', '=', 'accounts.id')
              .where((inner) =>
                inner.or([
                  inner('o.status', '=', 'open'),
                  inner('o.stage_entered_at', '>=', cutoff),
                  inner('o.closed_at', '>=', cutoff),
                ]),
              ),
          ),
        ),
      )
  );
}

/**
 * The ids due in a tier, read in one statement from the two indexes of migration 0029 (ids
 * only: 100,000 accounts are 800 kB); the release then writes them in batches (service.ts).
 * SQLite is told the index (INDEXED BY): its statistics come from a sample of the first rows
 * of each index (src/db/statistics.ts), which makes accounts_ws_owner look as selective, and
 * through it the read visits every account row (1.3 s at 100,000 accounts instead of 25 ms).
 */
export async function dueAccountIds(
  db: Kysely<Database>,
  engine: Engine,
  workspaceId: number,
  tier: Tier,
  cutoff: number,
): Promise<number[]> {
  const query = dueAccounts(db, workspaceId, tier, cutoff).select('accounts.id');
  const result = await db.executeQuery<{ id: number }>(
    readingAccounts(engine, query, 'indexed by "accounts_ws_release"'),
  );
  return result.rows.map((row) => row.id);
}

/**
 * A statement reading `accounts` with SQLite told how: the sampled statistics (see dueAccountIds)
 * would otherwise walk accounts_ws_owner over every account, also for a batch of ids given,
 * which `not indexed` reads by rowid instead. PostgreSQL's planner has real statistics.
 */
function readingAccounts(engine: Engine, query: Compilable, hint: string): CompiledQuery {
  const compiled = query.compile();
  if (engine === 'postgres') return compiled;
  const from = 'from "accounts" where';
  if (!compiled.sql.includes(from)) throw new Error('the due accounts statement no longer reads from accounts');
  return CompiledQuery.raw(compiled.sql.replace(from, `from "accounts" ${hint} where`), [...compiled.parameters]);
}

/**
 * Releases those of `ids` still due, set-based, inside the caller's transaction:
 *  1. on PostgreSQL, lock the due rows so nothing changes them until commit;
 *  2. one INSERT … SELECT writes a record_history row (field 'owner', reason 'pool_release')
 *     for every account of the batch still due;
 *  3. one UPDATE releases exactly the accounts those rows name.
 * Because step 2 reads `in_pool = 0` when it writes, a second run (another process) that
 * waited for this one finds nothing left to release. Returns how many accounts were released.
 */
export async function releaseDue(
  trx: Kysely<Database>,
  engine: Engine,
  workspaceId: number,
  tier: Tier,
  cutoff: number,
  now: number,
  ids: number[],
): Promise<number> {
  if (ids.length === 0) return 0;
  const due = () => dueAccounts(trx, workspaceId, tier, cutoff).where('accounts.id', 'in', ids);
  await lockRows(engine, due().select('accounts.id'));
  const insert = trx
    .insertInto('record_history')
    .columns([
      'workspace_id',
      'entity_type',
      'entity_id',
      'field',
      'old_value',
      'new_value',
      'reason',
      'actor_user_id',
      'created_at',
    ])
    .expression(
      due().select((eb) => [
        eb.val(workspaceId).as('workspace_id'),
        sql.lit('account').as('entity_type'),
        'accounts.id',
        sql.lit('owner').as('field'),
        sql<string>`cast(${eb.ref('accounts.owner_id')} as text)`.as('old_value'),
        sql<null>`null`.as('new_value'),
        sql.lit('pool_release').as('reason'),
        sql<null>`null`.as('actor_user_id'),
        eb.val(now).as('created_at'),
      ]),
    );
  const inserted = await trx.executeQuery(readingAccounts(engine, insert, 'not indexed'));
  if (Number(inserted.numAffectedRows ?? 0) === 0) return 0;
  const released = await trx
    .updateTable('accounts')
    .set((eb) => ({ owner_id: null, in_pool: 1, pool_since: now, updated_at: now, version: eb('version', '+', 1) }))
    .where('workspace_id', '=', workspaceId)
    .where('in_pool', '=', 0)
    .where('id', 'in', ids)
    .where('id', 'in', (eb) =>
      eb
        .selectFrom('record_history')
        .select('entity_id')
        .where('workspace_id', '=', workspaceId)
        .where('entity_type', '=', 'account')
        .where('field', '=', 'owner')
        .where('reason', '=', 'pool_release')
        .where('created_at', '=', now)
        .where('entity_id', 'in', ids),
    )
    .executeTakeFirst();
  return Number(released.numUpdatedRows);
}

export async function workspacesWithSettings(db: Kysely<Database>) {
  return db.selectFrom('workspaces').select(['id', 'settings']).orderBy('id').execute();
}

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

export type PoolSort = 'poolSince' | 'name' | 'tier' | 'lastFollowUpAt';
const poolSortColumn = {
  poolSince: 'accounts.pool_since',
  name: 'accounts.name',
  tier: 'accounts.tier',
  lastFollowUpAt: 'accounts.last_follow_up_at',
} as const;

export interface PoolFilter {
  orgUnitId?: number | undefined;
  q?: string | undefined;
  tier?: Tier | undefined;
  industry?: string | undefined;
}

/** Pool accounts within the actor's reach and the list's filter: the list and "select all N matching" read the same rows. */
async function filteredPool(db: Kysely<Database>, engine: Engine, actor: Actor, filter: PoolFilter) {
  let query = visibleAccounts(db, actor).where('accounts.in_pool', '=', 1).where('accounts.archived_at', 'is', null);
  if (filter.orgUnitId !== undefined)
    query = query.where('org_units.path', 'like', await subtreePattern(db, actor.workspaceId, filter.orgUnitId));
  if (filter.q) {
    const needle = filter.q;
    const match = await prepareMatch(db, actor.workspaceId, needle);
    query = query.where((eb) => eb('accounts.id', 'in', candidateIds(eb, actor.workspaceId, match, 'a')));
    query = query.where((eb) =>
      eb.or([
        containsInsensitive(engine, eb.ref('accounts.name'), needle),
        containsInsensitive(engine, eb.ref('accounts.credit_code'), needle),
      ]),
    );
  }
  if (filter.tier) query = query.where('accounts.tier', '=', filter.tier);
  if (filter.industry) query = query.where('accounts.industry', '=', filter.industry);
  return query;
}

/** The ids of every pool account the filter gives the actor, at most `limit` (a bulk action's `match`). */
export async function matchingPoolIds(
  db: Kysely<Database>,
  engine: Engine,
  actor: Actor,
  filter: PoolFilter,
  limit: number,
): Promise<number[]> {
  const query = await filteredPool(db, engine, actor, filter);
  const rows = await query.select('accounts.id').orderBy('accounts.id').limit(limit).execute();
  return rows.map((row) => row.id);
}

/** Pool accounts within the actor's reach, with the previous owner and why they were released. */
export async function listPool(
  db: Kysely<Database>,
  engine: Engine,
  actor: Actor,
  filter: PoolFilter & { limit: number; offset: number; sort: { column: PoolSort; desc: boolean } },
) {
  const query = await filteredPool(db, engine, actor, filter);
  const [items, total] = await Promise.all([
    query
      .select([
        'accounts.id',
        'accounts.name',
        'accounts.industry',
        'accounts.province',
        'accounts.city',
        'accounts.tier',
        'accounts.named_account',
        'accounts.status',
        'accounts.org_unit_id',
        'org_units.name as org_unit_name',
        'accounts.pool_since',
        'accounts.last_follow_up_at',
        'accounts.trailing_amount',
        'accounts.version',
      ])
      // The release that put it here: the latest owner change to nobody.
      .select((eb) => {
        const lastRelease = () =>
          eb
            .selectFrom('record_history as h')
            .where('h.workspace_id', '=', actor.workspaceId)
            .where('h.entity_type', '=', 'account')
            .whereRef('h.entity_id', '=', 'accounts.id')
            .where('h.field', '=', 'owner')
            .where('h.new_value', 'is', null)
            .orderBy('h.created_at', 'desc')
            .orderBy('h.id', 'desc')
            .limit(1);
        return [
          lastRelease().select('h.old_value').as('previous_owner_id'),
          lastRelease().select('h.reason').as('release_reason'),
        ];
      })
      .orderBy(poolSortColumn[filter.sort.column], filter.sort.desc ? 'desc' : 'asc')
      .orderBy('accounts.id', filter.sort.desc ? 'desc' : 'asc')
      .limit(filter.limit)
      .offset(filter.offset)
      .execute(),
    query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { items, total: Number(total.n) };
}

/** Releases and claims (record_history rows with a pool reason) of accounts within reach, newest first. */
export async function listPoolEvents(
  db: Kysely<Database>,
  actor: Actor,
  filter: { orgUnitId?: number | undefined; limit: number; offset: number },
) {
  let query = visibleAccounts(db, actor)
    .innerJoin('record_history as h', (joinBuilder) =>
      joinBuilder
        .onRef('h.entity_id', '=', 'accounts.id')
        .on('h.entity_type', '=', 'account')
        .on('h.workspace_id', '=', actor.workspaceId),
    )
    .where('h.field', '=', 'owner')
    .where('h.reason', 'in', [...POOL_REASONS]);
  if (filter.orgUnitId !== undefined)
    query = query.where('org_units.path', 'like', await subtreePattern(db, actor.workspaceId, filter.orgUnitId));
  const [items, total] = await Promise.all([
    query
      .leftJoin('users as actor', (joinBuilder) =>
        joinBuilder.onRef('actor.id', '=', 'h.actor_user_id').on('actor.workspace_id', '=', actor.workspaceId),
      )
      // The reason given: the audit entry of a release by hand or an assignment of this account, or
      // of the bulk assignment it was part of (one entry for the selection, written with its history).
      .leftJoin('audit_log as a', (joinBuilder) =>
        joinBuilder
          .on('a.workspace_id', '=', actor.workspaceId)
          .onRef('a.created_at', '=', 'h.created_at')
          .on((eb) =>
            eb.or([
              eb.and([
                eb('a.action', 'in', ['pool.release_manual', 'pool.assign']),
                eb('a.target_type', '=', 'account'),
                eb('a.target_id', '=', eb.ref('h.entity_id')),
              ]),
              eb.and([
                eb('a.action', '=', 'pool.bulk_assign'),
                eb('h.reason', '=', 'pool_assign'),
                eb('a.actor_user_id', '=', eb.ref('h.actor_user_id')),
              ]),
            ]),
          ),
      )
      .select([
        'h.id',
        'h.reason',
        'h.old_value',
        'h.new_value',
        'h.created_at',
        'h.actor_user_id',
        'actor.name as actor_name',
        'accounts.id as account_id',
        'accounts.name as account_name',
        'accounts.tier',
        'org_units.name as org_unit_name',
        'a.detail',
      ])
      .orderBy('h.created_at', 'desc')
      .orderBy('h.id', 'desc')
      .limit(filter.limit)
      .offset(filter.offset)
      .execute(),
    query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { items, total: Number(total.n) };
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
