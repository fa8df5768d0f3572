import { sql, type Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { Tier } from '../../domain/accounts.ts';
import type { Actor } from '../../domain/policy.ts';
import type { CadenceState } from '../../contracts/activities.ts';
import { accountsWithinReach, standActor, subtreePattern } from '../scope.ts';
import { shapedQueries } from '../../db/fixed-query.ts';

/**
 * Cadence (docs/rhythm.md § Cadence) counted in SQL over the accounts within the caller's
 * reach: owned, active, not in the pool. An account's clock starts at its last qualifying
 * follow-up, or its creation when it has none (src/domain/cadence.ts).
 */
export interface CadenceBounds {
  /** Per tier: a clock before this instant is overdue now. */
  overdue: Record<Tier, number>;
  /** Per tier: a clock before this instant falls due within the "due soon" days. */
  soon: Record<Tier, number>;
  /** Per tier: the interval in milliseconds (clock + interval = next due). */
  interval: Record<Tier, number>;
}

const clock = sql<number>`coalesce(accounts.last_follow_up_at, accounts.created_at)`;
// Parameters are cast: PostgreSQL cannot infer the type of a bare parameter in a CASE branch.
const perTier = (value: Record<Tier, number>) =>
  sql<number>`case accounts.tier when 'A' then cast(${value.A} as bigint) when 'B' then cast(${value.B} as bigint) else cast(${value.C} as bigint) end`;

async function owned(
  db: Kysely<Database>,
  actor: Actor,
  filter: { ownerId?: number | undefined; orgUnitId?: number | undefined },
) {
  let query = db
    .selectFrom('accounts')
    .innerJoin('org_units', (joinBuilder) =>
      joinBuilder
        .onRef('org_units.id', '=', 'accounts.org_unit_id')
        .onRef('org_units.workspace_id', '=', 'accounts.workspace_id'),
    )
    .innerJoin('users as owner', (joinBuilder) =>
      joinBuilder.onRef('owner.id', '=', 'accounts.owner_id').onRef('owner.workspace_id', '=', 'accounts.workspace_id'),
    )
    .innerJoin('org_units as ou', 'ou.id', 'owner.org_unit_id')
    .where(accountsWithinReach(actor))
    .where('accounts.archived_at', 'is', null)
    .where('accounts.in_pool', '=', 0);
  if (filter.ownerId !== undefined) query = query.where('accounts.owner_id', '=', filter.ownerId);
  if (filter.orgUnitId !== undefined)
    query = query.where('ou.path', 'like', await subtreePattern(db, actor.workspaceId, filter.orgUnitId));
  return query;
}

/** The bounds as a shaped query's build sees them: every instant and interval a bound value. */
const standBounds = (stand: <T>(value: T) => T, bounds: CadenceBounds): CadenceBounds => {
  const each = (value: Record<Tier, number>) => ({ A: stand(value.A), B: stand(value.B), C: stand(value.C) });
  return { overdue: each(bounds.overdue), soon: each(bounds.soon), interval: each(bounds.interval) };
};

/** The view's one statement: compiled once per shape (the company's or a manager's whole subtree). */
const complianceQuery = shapedQueries(
  async (db: Kysely<Database>, actor: Actor, bounds: CadenceBounds, orgUnitId: number | undefined) => {
    const overdue = sql<number>`${clock} < ${perTier(bounds.overdue)}`;
    const soon = sql<number>`${clock} >= ${perTier(bounds.overdue)} and ${clock} < ${perTier(bounds.soon)}`;
    let counted = db
      .selectFrom('accounts')
      .innerJoin('org_units', (joinBuilder) =>
        joinBuilder
          .onRef('org_units.id', '=', 'accounts.org_unit_id')
          .onRef('org_units.workspace_id', '=', 'accounts.workspace_id'),
      )
      .where(accountsWithinReach(actor))
      // A literal, not a parameter: the partial index accounts_cadence (in_pool = 0) serves only
      // a statement whose text implies its condition.
      .where('accounts.in_pool', '=', sql.lit(0))
      .where('accounts.archived_at', 'is', null)
      .where('accounts.owner_id', 'is not', null);
    if (orgUnitId !== undefined) {
      // Owners whose own unit lies in the subtree, as the drill-down (owned() above) filters them.
      const pattern = await subtreePattern(db, actor.workspaceId, orgUnitId);
      counted = counted.where('accounts.owner_id', 'in', (eb) =>
        eb
          .selectFrom('users')
          .innerJoin('org_units as ou', 'ou.id', 'users.org_unit_id')
          .select('users.id')
          .where('users.workspace_id', '=', actor.workspaceId)
          .where('ou.path', 'like', pattern),
      );
    }
    const perOwner = counted
      .select([
        'accounts.owner_id',
        (eb) => eb.fn.countAll<number>().as('accounts'),
        sql<number>`sum(case when ${overdue} then 1 else 0 end)`.as('overdue'),
        sql<number>`sum(case when ${soon} then 1 else 0 end)`.as('due_soon'),
      ])
      .groupBy('accounts.owner_id');
    return [
      db
        .selectFrom(perOwner.as('counted'))
        .innerJoin('users as owner', 'owner.id', 'counted.owner_id')
        .innerJoin('org_units as ou', 'ou.id', 'owner.org_unit_id')
        .where('owner.workspace_id', '=', actor.workspaceId)
        .select([
          'owner.id as user_id',
          'owner.name as user_name',
          'ou.name as unit_name',
          'counted.accounts',
          'counted.overdue',
          'counted.due_soon',
        ])
        .orderBy('owner.name')
        .orderBy('owner.id'),
    ] as const;
  },
  // A unit filter reads the unit while building: built afresh.
  (stand, actor, bounds, orgUnitId) =>
    orgUnitId !== undefined ? null : [standActor(stand, actor), standBounds(stand, bounds), orgUnitId],
);

/**
 * Per owner: accounts, overdue, due soon — one statement. The accounts are counted per owner
 * first, read from accounts_cadence (migration 0030: a partial index of the workspace's accounts
 * outside the pool and not archived, in owner order, with the columns the clock needs), so the grouping walks one index without
 * touching the table or sorting; the owners' names and units are joined to the counted rows
 * (one per rep) afterwards, not to every account (issue 10's supervision view of 2,000 reps).
 */
export async function compliancePerOwner(
  db: Kysely<Database>,
  actor: Actor,
  bounds: CadenceBounds,
  orgUnitId?: number,
) {
  const [query] = await complianceQuery(db, actor, bounds, orgUnitId);
  return (await db.executeQuery(query)).rows;
}

const stateOf = (bounds: CadenceBounds) =>
  sql<CadenceState>`case when ${clock} < ${perTier(bounds.overdue)} then 'overdue' when ${clock} < ${perTier(bounds.soon)} then 'due_soon' else 'on_time' end`;

interface CadenceFilter {
  ownerId?: number | undefined;
  orgUnitId?: number | undefined;
  state?: CadenceState | undefined;
  limit: number;
  offset: number;
  sort: { column: 'nextDue' | 'name'; desc: boolean };
}

/** The page and its total: compiled once per shape (the rep's own cadence list is a desk card). */
const cadenceQueries = shapedQueries(
  async (db: Kysely<Database>, actor: Actor, bounds: CadenceBounds, filter: CadenceFilter) => {
    let query = await owned(db, actor, filter);
    if (filter.state === 'overdue') query = query.where(sql<boolean>`${clock} < ${perTier(bounds.overdue)}`);
    if (filter.state === 'due_soon')
      query = query.where(sql<boolean>`${clock} >= ${perTier(bounds.overdue)} and ${clock} < ${perTier(bounds.soon)}`);
    if (filter.state === 'on_time') query = query.where(sql<boolean>`${clock} >= ${perTier(bounds.overdue)}`);
    const nextDue = sql<number>`${clock} + ${perTier(bounds.interval)}`;
    const dir = filter.sort.desc ? 'desc' : 'asc';
    return [
      query
        .select([
          'accounts.id',
          'accounts.name',
          'accounts.tier',
          'accounts.owner_id',
          'owner.name as owner_name',
          'accounts.last_follow_up_at',
          nextDue.as('next_due'),
          stateOf(bounds).as('state'),
        ])
        .orderBy(filter.sort.column === 'name' ? sql`accounts.name` : nextDue, dir)
        .orderBy('accounts.id', dir)
        .limit(filter.limit)
        .offset(filter.offset),
      query.select((eb) => eb.fn.countAll<number>().as('n')),
    ] as const;
  },
  // A unit filter reads the unit while building: built afresh.
  (stand, actor, bounds, filter) =>
    filter.orgUnitId !== undefined
      ? null
      : [
          standActor(stand, actor),
          standBounds(stand, bounds),
          { ...filter, ownerId: stand(filter.ownerId), limit: stand(filter.limit), offset: stand(filter.offset) },
        ],
);

/** The accounts behind a figure: by owner or unit and state, soonest due first. */
export async function cadenceAccounts(
  db: Kysely<Database>,
  actor: Actor,
  bounds: CadenceBounds,
  filter: CadenceFilter,
) {
  const [itemsQuery, totalQuery] = await cadenceQueries(db, actor, bounds, filter);
  const [items, total] = await Promise.all([db.executeQuery(itemsQuery), db.executeQuery(totalQuery)]);
  return { items: items.rows, total: Number(total.rows[0]!.n) };
}
