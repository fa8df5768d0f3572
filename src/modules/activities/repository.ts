import type { Insertable, Kysely } from 'kysely';
import type { ActivityTable, Database } from '../../db/schema.ts';
import { containsInsensitive, lockRows, type Engine } from '../../db/dialect.ts';
import type { Actor } from '../../domain/policy.ts';
import { accountsWithinReach, subtreePattern } from '../scope.ts';

/**
 * Every query of the activities area (docs/rhythm.md § Activities). An activity is visible to
 * whoever sees its account (docs/organisation.md, the accounts' rule) and always to its owner;
 * archived ones to nobody.
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

/** The contacts of the activities named, for a page. */
export async function contactsOf(db: Kysely<Database>, workspaceId: number, activityIds: number[]) {
  if (activityIds.length === 0) return [];
  return db
    .selectFrom('activity_contacts as ac')
    .innerJoin('contacts as c', 'c.id', 'ac.contact_id')
    .select(['ac.activity_id', 'c.id', 'c.name'])
    .where('ac.workspace_id', '=', workspaceId)
    .where('ac.activity_id', 'in', activityIds)
    .orderBy('c.name')
    .execute();
}

/** Of the contact ids given, those that are contacts of the account (in its workspace). */
export async function contactsOfAccount(db: Kysely<Database>, workspaceId: number, accountId: number, ids: number[]) {
  if (ids.length === 0) return [];
  const rows = await db
    .selectFrom('contacts')
    .select('id')
    .where('workspace_id', '=', workspaceId)
    .where('account_id', '=', accountId)
    .where('id', 'in', ids)
    .execute();
  return rows.map((r) => r.id);
}

export async function insertActivity(db: Kysely<Database>, row: Insertable<ActivityTable>) {
  return (await db.insertInto('activities').values(row).returning('id').executeTakeFirstOrThrow()).id;
}

export async function setContacts(db: Kysely<Database>, workspaceId: number, activityId: number, contactIds: number[]) {
  await db
    .deleteFrom('activity_contacts')
    .where('workspace_id', '=', workspaceId)
    .where('activity_id', '=', activityId)
    .execute();
  if (contactIds.length)
    await db
      .insertInto('activity_contacts')
      .values(contactIds.map((c) => ({ activity_id: activityId, contact_id: c, workspace_id: workspaceId })))
      .execute();
}

/** The raw row (for a write's before-image), archived or not. */
export async function activityRow(db: Kysely<Database>, workspaceId: number, id: number) {
  return db
    .selectFrom('activities')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .executeTakeFirst();
}

/**
 * Later-dated wins: the account's last follow-up becomes `at` unless it already is later. One
 * UPDATE, atomic on both engines (PostgreSQL locks the row for the statement). Versions are
 * not bumped: a follow-up is not an edit of the account, and nobody's open form goes stale.
 */
export async function raiseFollowUp(db: Kysely<Database>, workspaceId: number, accountId: number, at: number) {
  await db
    .updateTable('accounts')
    .set({ last_follow_up_at: at })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', accountId)
    .where((eb) => eb.or([eb('last_follow_up_at', 'is', null), eb('last_follow_up_at', '<', at)]))
    .execute();
}

/**
 * The account's newest follow-up may have gone (docs/rhythm.md § Activities): with its row
 * locked (so a concurrent log waits and then raises over the result), if its last follow-up is
 * not later than `since`, it becomes the newer of the follow-up known without an activity and
 * the newest remaining qualifying activity — one look-up on (account_id, start_at), newest first.
 */
export async function fallBackFollowUp(
  db: Kysely<Database>,
  engine: Engine,
  workspaceId: number,
  accountId: number,
  since: number,
  qualifying: readonly string[],
) {
  const account = db
    .selectFrom('accounts')
    .select(['last_follow_up_at', 'follow_up_base_at'])
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', accountId);
  await lockRows(engine, account);
  const row = await account.executeTakeFirst();
  if (!row || (row.last_follow_up_at !== null && Number(row.last_follow_up_at) > since)) return;
  const newest =
    qualifying.length === 0
      ? undefined
      : await db
          .selectFrom('activities')
          .select('start_at')
          .where('account_id', '=', accountId)
          .where('workspace_id', '=', workspaceId)
          .where('status', '=', 'done')
          .where('archived_at', 'is', null)
          .where('type', 'in', [...qualifying])
          .orderBy('start_at', 'desc')
          .limit(1)
          .executeTakeFirst();
  const candidates = [row.follow_up_base_at, newest?.start_at]
    .filter((v): v is number => v !== null && v !== undefined)
    .map(Number);
  const value = candidates.length ? Math.max(...candidates) : null;
  await db
    .updateTable('accounts')
    .set({ last_follow_up_at: value })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', accountId)
    .execute();
}

export async function archiveActivity(
  db: Kysely<Database>,
  workspaceId: number,
  id: number,
  version: number,
  now: number,
) {
  const result = await db
    .updateTable('activities')
    .set({ archived_at: now, updated_at: now, version: version + 1 })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .where('version', '=', version)
    .where('archived_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Bumps the activity's version: its plan and review are versioned through it. */
export async function touchActivity(
  db: Kysely<Database>,
  workspaceId: number,
  id: number,
  version: number,
  now: number,
  status?: string,
) {
  const result = await db
    .updateTable('activities')
    .set({ updated_at: now, version: version + 1, ...(status ? { status } : {}) })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .where('version', '=', version)
    .where('archived_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function planOf(db: Kysely<Database>, workspaceId: number, activityId: number) {
  return db
    .selectFrom('visit_plans as vp')
    .leftJoin('users as p', 'p.id', 'vp.planned_by')
    .leftJoin('org_units as pu', 'pu.id', 'p.org_unit_id')
    .leftJoin('users as r', 'r.id', 'vp.reviewed_by')
    .selectAll('vp')
    .select(['p.name as planned_by_name', 'pu.path as planner_unit_path', 'r.name as reviewed_by_name'])
    .where('vp.workspace_id', '=', workspaceId)
    .where('vp.activity_id', '=', activityId)
    .executeTakeFirst();
}

export async function savePlan(
  db: Kysely<Database>,
  visitPlan: {
    workspaceId: number;
    activityId: number;
    plannedBy: number;
    plan: string;
    objectiveCount: number;
    now: number;
  },
) {
  const updated = await db
    .updateTable('visit_plans')
    .set({ plan: visitPlan.plan, objective_count: visitPlan.objectiveCount, updated_at: visitPlan.now })
    .where('workspace_id', '=', visitPlan.workspaceId)
    .where('activity_id', '=', visitPlan.activityId)
    .executeTakeFirst();
  if (Number(updated.numUpdatedRows) === 1) return;
  await db
    .insertInto('visit_plans')
    .values({
      activity_id: visitPlan.activityId,
      workspace_id: visitPlan.workspaceId,
      planned_by: visitPlan.plannedBy,
      plan: visitPlan.plan,
      objective_count: visitPlan.objectiveCount,
      created_at: visitPlan.now,
      updated_at: visitPlan.now,
    })
    .execute();
}

export async function saveReview(
  db: Kysely<Database>,
  visitReview: {
    workspaceId: number;
    activityId: number;
    reviewedBy: number;
    review: string;
    achieved: number;
    partly: number;
    missed: number;
    now: number;
  },
) {
  await db
    .updateTable('visit_plans')
    .set({
      review: visitReview.review,
      achieved: visitReview.achieved,
      partly: visitReview.partly,
      missed: visitReview.missed,
      reviewed_by: visitReview.reviewedBy,
      reviewed_at: visitReview.now,
      updated_at: visitReview.now,
    })
    .where('workspace_id', '=', visitReview.workspaceId)
    .where('activity_id', '=', visitReview.activityId)
    .execute();
}

export async function attachmentForLink(db: Kysely<Database>, workspaceId: number, id: number) {
  return db
    .selectFrom('attachments')
    .select(['uploaded_by', 'activity_id', 'opportunity_id'])
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .executeTakeFirst();
}

export async function linkAttachment(
  db: Kysely<Database>,
  workspaceId: number,
  attachmentId: number,
  activityId: number,
) {
  const result = await db
    .updateTable('attachments')
    .set({ activity_id: activityId })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', attachmentId)
    .where('activity_id', 'is', null)
    .where('opportunity_id', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function attachmentsOfActivity(db: Kysely<Database>, workspaceId: number, activityId: number) {
  return db
    .selectFrom('attachments')
    .leftJoin('users', 'users.id', 'attachments.uploaded_by')
    .select([
      'attachments.id',
      'attachments.file_name',
      'attachments.content_type',
      'attachments.size',
      'attachments.created_at',
      'attachments.uploaded_by',
      'users.name as uploader_name',
    ])
    .where('attachments.workspace_id', '=', workspaceId)
    .where('attachments.activity_id', '=', activityId)
    .orderBy('attachments.created_at')
    .orderBy('attachments.id')
    .execute();
}

/** For the attachments area: the activity a file belongs to is visible to the actor. */
export async function activityVisible(db: Kysely<Database>, actor: Actor, id: number) {
  return (
    (await visibleActivities(db, actor).select('activities.id').where('activities.id', '=', id).executeTakeFirst()) !==
    undefined
  );
}

/** Plan versus result per owner of planned visits within reach (docs/rhythm.md § Visit plan and review). */
export async function planSummary(
  db: Kysely<Database>,
  actor: Actor,
  filter: { orgUnitId?: number | undefined; fromAt?: number | undefined; toAt?: number | undefined },
) {
  let query = visibleActivities(db, actor)
    .innerJoin('users as u', 'u.id', 'activities.owner_id')
    .where('vp.activity_id', 'is not', null)
    .where('activities.status', '!=', 'cancelled');
  if (filter.orgUnitId !== undefined) {
    const pattern = await subtreePattern(db, actor.workspaceId, filter.orgUnitId);
    query = query.where('u.org_unit_id', 'in', (eb) =>
      eb
        .selectFrom('org_units as ou')
        .select('ou.id')
        .where('ou.workspace_id', '=', actor.workspaceId)
        .where('ou.path', 'like', pattern),
    );
  }
  if (filter.fromAt !== undefined) query = query.where('activities.start_at', '>=', filter.fromAt);
  if (filter.toAt !== undefined) query = query.where('activities.start_at', '<', filter.toAt);
  return query
    .select((eb) => [
      'u.id as user_id',
      'u.name as user_name',
      eb.fn.countAll<number>().as('planned'),
      eb.fn.count<number>('vp.reviewed_at').as('reviewed'),
      eb.fn
        .sum<number>(eb.case().when('vp.reviewed_at', 'is not', null).then(eb.ref('vp.objective_count')).else(0).end())
        .as('objectives'),
      eb.fn.sum<number>(eb.fn.coalesce('vp.achieved', eb.lit(0))).as('achieved'),
      eb.fn.sum<number>(eb.fn.coalesce('vp.partly', eb.lit(0))).as('partly'),
      eb.fn.sum<number>(eb.fn.coalesce('vp.missed', eb.lit(0))).as('missed'),
    ])
    .groupBy(['u.id', 'u.name'])
    .orderBy('u.name')
    .orderBy('u.id')
    .execute();
}
