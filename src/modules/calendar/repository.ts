import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { Actor } from '../../domain/policy.ts';
import { accountsWithinReach, tasksWithinReach } from '../scope.ts';

/**
 * Every query of the calendar (docs/rhythm.md § Calendar). It reads activities and tasks by the
 * same visibility rules as their own areas (src/modules/scope.ts), narrowed to whose calendar is
 * asked for: one person, or everyone whose unit lies under a path (null: the whole workspace).
 */
export type Whose = { kind: 'user'; userId: number } | { kind: 'team'; path: string | null };

export async function userInWorkspace(db: Kysely<Database>, workspaceId: number, userId: number) {
  return db
    .selectFrom('users')
    .innerJoin('org_units', 'org_units.id', 'users.org_unit_id')
    .select(['users.id', 'users.name', 'org_units.path'])
    .where('users.workspace_id', '=', workspaceId)
    .where('users.id', '=', userId)
    .executeTakeFirst();
}

function teamMembers(db: Kysely<Database>, workspaceId: number, path: string | null) {
  let query = db
    .selectFrom('users as member')
    .innerJoin('org_units as member_unit', 'member_unit.id', 'member.org_unit_id')
    .select('member.id')
    .where('member.workspace_id', '=', workspaceId);
  if (path !== null) query = query.where('member_unit.path', 'like', `${path}%`);
  return query;
}

/** Planned activities starting in [fromAt, toAt), soonest first, at most `limit`. */
export async function plannedActivities(
  db: Kysely<Database>,
  actor: Actor,
  whose: Whose,
  fromAt: number,
  toAt: number,
  limit: number,
) {
  let query = db
    .selectFrom('activities')
    .innerJoin('accounts', (join) =>
      join
        .onRef('accounts.id', '=', 'activities.account_id')
        .onRef('accounts.workspace_id', '=', 'activities.workspace_id'),
    )
    .innerJoin('org_units', 'org_units.id', 'accounts.org_unit_id')
    .innerJoin('users as owner', 'owner.id', 'activities.owner_id')
    .leftJoin('opportunities as opp', 'opp.id', 'activities.opportunity_id')
    .leftJoin('visit_plans as vp', 'vp.activity_id', 'activities.id')
    .where('activities.workspace_id', '=', actor.workspaceId)
    .where('activities.archived_at', 'is', null)
    .where('activities.status', '=', 'planned')
    .where('activities.start_at', '>=', fromAt)
    .where('activities.start_at', '<', toAt)
    .where((eb) => eb.or([eb('activities.owner_id', '=', actor.userId), accountsWithinReach(actor)(eb)]));
  query =
    whose.kind === 'user'
      ? query.where('activities.owner_id', '=', whose.userId)
      : query.where('activities.owner_id', 'in', teamMembers(db, actor.workspaceId, whose.path));
  return query
    .select([
      'activities.id',
      'activities.type',
      'activities.subject',
      'activities.start_at',
      'activities.end_at',
      'activities.location',
      'activities.owner_id',
      'owner.name as owner_name',
      'activities.account_id',
      'accounts.name as account_name',
      'activities.opportunity_id',
      'opp.name as opportunity_name',
      'vp.activity_id as plan_id',
      'activities.updated_at',
    ])
    .orderBy('activities.start_at')
    .orderBy('activities.id')
    .limit(limit)
    .execute();
}

/** Tasks of the given statuses due in [fromDate, toDate], by due date, at most `limit`. */
export async function tasksDue(
  db: Kysely<Database>,
  actor: Actor,
  whose: Whose,
  fromDate: string,
  toDate: string,
  statuses: ('open' | 'done')[],
  limit: number,
) {
  let query = db
    .selectFrom('tasks')
    .innerJoin('users as assignee', 'assignee.id', 'tasks.assignee_id')
    .innerJoin('org_units', 'org_units.id', 'assignee.org_unit_id')
    .leftJoin('accounts', 'accounts.id', 'tasks.account_id')
    .leftJoin('opportunities', 'opportunities.id', 'tasks.opportunity_id')
    .where(tasksWithinReach(actor))
    .where('tasks.status', 'in', statuses)
    .where('tasks.due_date', '>=', fromDate)
    .where('tasks.due_date', '<=', toDate);
  query =
    whose.kind === 'user'
      ? query.where('tasks.assignee_id', '=', whose.userId)
      : query.where('tasks.assignee_id', 'in', teamMembers(db, actor.workspaceId, whose.path));
  return query
    .select([
      'tasks.id',
      'tasks.title',
      'tasks.due_date',
      'tasks.status',
      'tasks.assignee_id',
      'assignee.name as assignee_name',
      'tasks.account_id',
      'accounts.name as account_name',
      'tasks.opportunity_id',
      'opportunities.name as opportunity_name',
      'tasks.updated_at',
    ])
    .orderBy('tasks.due_date')
    .orderBy('tasks.id')
    .limit(limit)
    .execute();
}

/** The feed's owner, when the token is known, not revoked and the user still active. */
export async function feedOwner(db: Kysely<Database>, tokenHash: string) {
  return db
    .selectFrom('calendar_feeds')
    .innerJoin('users', 'users.id', 'calendar_feeds.user_id')
    .innerJoin('org_units', 'org_units.id', 'users.org_unit_id')
    .select([
      'calendar_feeds.id as feed_id',
      'calendar_feeds.last_used_at',
      'users.workspace_id',
      'users.id as user_id',
      'users.role',
      'users.org_unit_id',
      'users.can_export',
      'org_units.path as unit_path',
    ])
    .where('calendar_feeds.token_hash', '=', tokenHash)
    .where('calendar_feeds.revoked_at', 'is', null)
    .where('users.active', '=', 1)
    .executeTakeFirst();
}

export async function touchFeed(db: Kysely<Database>, feedId: number, now: number) {
  await db.updateTable('calendar_feeds').set({ last_used_at: now }).where('id', '=', feedId).execute();
}

export async function activeFeed(db: Kysely<Database>, workspaceId: number, userId: number) {
  return db
    .selectFrom('calendar_feeds')
    .select(['id', 'created_at', 'last_used_at'])
    .where('workspace_id', '=', workspaceId)
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .orderBy('id', 'desc')
    .executeTakeFirst();
}

/** Revokes every live feed of the user; the number revoked. */
export async function revokeFeeds(db: Kysely<Database>, workspaceId: number, userId: number, now: number) {
  const result = await db
    .updateTable('calendar_feeds')
    .set({ revoked_at: now })
    .where('workspace_id', '=', workspaceId)
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

export async function insertFeed(
  db: Kysely<Database>,
  feed: { workspaceId: number; userId: number; tokenHash: string; now: number },
) {
  return (
    await db
      .insertInto('calendar_feeds')
      .values({
        workspace_id: feed.workspaceId,
        user_id: feed.userId,
        token_hash: feed.tokenHash,
        created_at: feed.now,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
  ).id;
}
