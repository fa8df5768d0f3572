import type { Kysely } from 'kysely';
import type { Database } from '../../../db/schema.ts';
import { containsInsensitive, type Engine } from '../../../db/dialect.ts';
import type { Tier } from '../../../domain/accounts.ts';
import type { Actor } from '../../../domain/policy.ts';
import { POOL_REASONS } from '../../../domain/pool.ts';
import { visibleAccounts } from '../../accounts/repository/accounts.ts';
import { subtreePattern } from '../../scope.ts';
import { candidateIds, prepareMatch } from '../../search/shared.ts';

/**
 * The pool as its page lists it, within the actor's reach: the accounts in it (and the ids a bulk
 * action's `match` selects from the same filter), and the releases and claims.
 */

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
