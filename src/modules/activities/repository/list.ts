import type { Kysely } from 'kysely';
import type { Database } from '../../../db/schema.ts';
import { containsInsensitive, type Engine } from '../../../db/dialect.ts';
import type { Actor } from '../../../domain/policy.ts';
import { accountsWithinReach, subtreePattern } from '../../scope.ts';

/**
 * The activities an actor sees, listed, exported and counted (docs/rhythm.md § Activities); an
 * activity written: writes.ts; plans and reviews: plans.ts. An activity is visible to whoever
 * sees its account (docs/organisation.md, the accounts' rule) and always to its owner; archived
 * ones to nobody.
 */
export function visibleActivities(db: Kysely<Database>, actor: Actor) {
  return db
    .selectFrom('activities')
    .innerJoin('accounts', (joinBuilder) =>
      joinBuilder
        .onRef('accounts.id', '=', 'activities.account_id')
        .onRef('accounts.workspace_id', '=', 'activities.workspace_id'),
    )
    .innerJoin('org_units', (joinBuilder) =>
      joinBuilder
        .onRef('org_units.id', '=', 'accounts.org_unit_id')
        .onRef('org_units.workspace_id', '=', 'accounts.workspace_id'),
    )
    .leftJoin('users as owner', (joinBuilder) =>
      joinBuilder
        .onRef('owner.id', '=', 'activities.owner_id')
        .onRef('owner.workspace_id', '=', 'activities.workspace_id'),
    )
    .leftJoin('opportunities as opp', (joinBuilder) =>
      joinBuilder
        .onRef('opp.id', '=', 'activities.opportunity_id')
        .onRef('opp.workspace_id', '=', 'activities.workspace_id'),
    )
    .leftJoin('visit_plans as vp', 'vp.activity_id', 'activities.id')
    .where('activities.workspace_id', '=', actor.workspaceId)
    .where('activities.archived_at', 'is', null)
    .where((eb) => eb.or([eb('activities.owner_id', '=', actor.userId), accountsWithinReach(actor)(eb)]));
}

const columns = [
  'activities.id',
  'activities.account_id',
  'activities.opportunity_id',
  'activities.owner_id',
  'activities.type',
  'activities.status',
  'activities.start_at',
  'activities.end_at',
  'activities.subject',
  'activities.notes',
  'activities.outcome',
  'activities.location',
  'activities.created_at',
  'activities.updated_at',
  'activities.version',
  'accounts.name as account_name',
  'opp.name as opportunity_name',
  'owner.name as owner_name',
  'vp.planned_by',
  'vp.reviewed_at',
  'vp.objective_count',
  'vp.achieved',
  'vp.partly',
  'vp.missed',
  'org_units.path as unit_path',
] as const;

export interface ListFilter {
  q?: string | undefined;
  ownerId?: number | undefined;
  orgUnitId?: number | undefined;
  accountId?: number | undefined;
  opportunityId?: number | undefined;
  type?: string | undefined;
  status?: string | undefined;
  planned?: boolean | undefined;
  /** Instants [from, to) from the dates of the request. */
  fromAt?: number | undefined;
  toAt?: number | undefined;
}
const sortColumn = {
  startAt: 'activities.start_at',
  updatedAt: 'activities.updated_at',
  createdAt: 'activities.created_at',
} as const;
export type ActivitySort = keyof typeof sortColumn;

export async function filteredActivities(db: Kysely<Database>, engine: Engine, actor: Actor, filter: ListFilter) {
  let query = visibleActivities(db, actor);
  if (filter.ownerId !== undefined) query = query.where('activities.owner_id', '=', filter.ownerId);
  if (filter.orgUnitId !== undefined) {
    const pattern = await subtreePattern(db, actor.workspaceId, filter.orgUnitId);
    query = query.where('activities.owner_id', 'in', (eb) =>
      eb
        .selectFrom('users as u')
        .innerJoin('org_units as ou', 'ou.id', 'u.org_unit_id')
        .select('u.id')
        .where('u.workspace_id', '=', actor.workspaceId)
        .where('ou.path', 'like', pattern),
    );
  }
  if (filter.accountId !== undefined) query = query.where('activities.account_id', '=', filter.accountId);
  if (filter.opportunityId !== undefined) query = query.where('activities.opportunity_id', '=', filter.opportunityId);
  if (filter.type) query = query.where('activities.type', '=', filter.type);
  if (filter.status) query = query.where('activities.status', '=', filter.status);
  if (filter.planned !== undefined) query = query.where('vp.activity_id', filter.planned ? 'is not' : 'is', null);
  if (filter.fromAt !== undefined) query = query.where('activities.start_at', '>=', filter.fromAt);
  if (filter.toAt !== undefined) query = query.where('activities.start_at', '<', filter.toAt);
  if (filter.q) {
    const needle = filter.q;
    query = query.where((eb) =>
      eb.or([
        containsInsensitive(engine, eb.ref('activities.subject'), needle),
        containsInsensitive(engine, eb.ref('activities.notes'), needle),
        containsInsensitive(engine, eb.ref('accounts.name'), needle),
      ]),
    );
  }
  return query;
}

export async function listActivities(
  db: Kysely<Database>,
  engine: Engine,
  actor: Actor,
  filter: ListFilter & { limit: number; offset: number; sort: { column: ActivitySort; desc: boolean } },
) {
  const query = await filteredActivities(db, engine, actor, filter);
  const dir = filter.sort.desc ? 'desc' : 'asc';
  const [items, total] = await Promise.all([
    query
      .select(columns)
      .orderBy(sortColumn[filter.sort.column], dir)
      .orderBy('activities.id', dir)
      .limit(filter.limit)
      .offset(filter.offset)
      .execute(),
    query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { items, total: Number(total.n) };
}
export type ActivityRow = Awaited<ReturnType<typeof listActivities>>['items'][number];

/** One page of the export, after the last id of the previous page (keyset, no deep OFFSET). */
export async function activityExportPage(
  db: Kysely<Database>,
  engine: Engine,
  actor: Actor,
  filter: ListFilter,
  afterId: number,
  limit: number,
) {
  const query = await filteredActivities(db, engine, actor, filter);
  return query.select(columns).where('activities.id', '>', afterId).orderBy('activities.id').limit(limit).execute();
}

export async function countActivities(db: Kysely<Database>, engine: Engine, actor: Actor, filter: ListFilter) {
  const query = await filteredActivities(db, engine, actor, filter);
  return Number((await query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
}

export async function getActivity(db: Kysely<Database>, actor: Actor, id: number) {
  return visibleActivities(db, actor).select(columns).where('activities.id', '=', id).executeTakeFirst();
}

/** For the attachments area: the activity a file belongs to is visible to the actor. */
export async function activityVisible(db: Kysely<Database>, actor: Actor, id: number) {
  return (
    (await visibleActivities(db, actor).select('activities.id').where('activities.id', '=', id).executeTakeFirst()) !==
    undefined
  );
}
