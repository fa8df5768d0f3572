import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { Actor } from '../../domain/policy.ts';
import { subtreePattern, withinReach } from '../scope.ts';

/** Weekly plans and summaries (docs/rhythm.md § Weekly plan and summary): one row per person and Monday week. */

export async function reportOf(db: Kysely<Database>, workspaceId: number, userId: number, weekStart: string) {
  return db
    .selectFrom('weekly_reports')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('user_id', '=', userId)
    .where('week_start', '=', weekStart)
    .executeTakeFirst();
}

export async function reportById(db: Kysely<Database>, workspaceId: number, id: number) {
  return db
    .selectFrom('weekly_reports')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .executeTakeFirst();
}

export type ReportRow = NonNullable<Awaited<ReturnType<typeof reportOf>>>;
export type ReportValues = Partial<
  Pick<
    ReportRow,
    | 'plan_visits'
    | 'plan_targets'
    | 'plan_deals'
    | 'plan_submitted_at'
    | 'summary_done'
    | 'summary_progress'
    | 'summary_problems'
    | 'summary_help'
    | 'summary_submitted_at'
  >
>;

export async function insertReport(
  db: Kysely<Database>,
  workspaceId: number,
  userId: number,
  weekStart: string,
  values: ReportValues,
  now: number,
) {
  const rows = await db
    .insertInto('weekly_reports')
    .values({
      workspace_id: workspaceId,
      user_id: userId,
      week_start: weekStart,
      ...values,
      created_at: now,
      updated_at: now,
      version: 1,
    })
    .onConflict((oc) => oc.columns(['workspace_id', 'user_id', 'week_start']).doNothing())
    .returning('id')
    .execute();
  return rows[0]?.id ?? null;
}

export async function commentsOf(db: Kysely<Database>, workspaceId: number, reportId: number) {
  return db
    .selectFrom('weekly_report_comments as c')
    .innerJoin('users as u', 'u.id', 'c.author_id')
    .select(['c.id', 'c.author_id', 'u.name as author_name', 'c.body', 'c.created_at'])
    .where('c.workspace_id', '=', workspaceId)
    .where('c.report_id', '=', reportId)
    .orderBy('c.created_at')
    .orderBy('c.id')
    .execute();
}

export async function insertComment(
  db: Kysely<Database>,
  comment: { workspaceId: number; reportId: number; authorId: number; body: string; now: number },
) {
  await db
    .insertInto('weekly_report_comments')
    .values({
      workspace_id: comment.workspaceId,
      report_id: comment.reportId,
      author_id: comment.authorId,
      body: comment.body,
      created_at: comment.now,
    })
    .execute();
}

/** Names of the deals a plan lists that the reader sees (a plan may name a deal since handed on). */
export async function opportunityNames(db: Kysely<Database>, workspaceId: number, ids: number[]) {
  if (ids.length === 0) return [];
  return db
    .selectFrom('opportunities')
    .select(['id', 'name'])
    .where('workspace_id', '=', workspaceId)
    .where('id', 'in', ids)
    .execute();
}

/** The reps within the actor's reach (optionally under a unit) with their report of the week, if any: who has not submitted. */
export async function teamReports(
  db: Kysely<Database>,
  actor: Actor,
  weekStart: string,
  orgUnitId: number | undefined,
) {
  let query = db
    .selectFrom('users')
    .innerJoin('org_units', 'org_units.id', 'users.org_unit_id')
    .leftJoin('weekly_reports as r', (joinBuilder) =>
      joinBuilder
        .onRef('r.user_id', '=', 'users.id')
        .onRef('r.workspace_id', '=', 'users.workspace_id')
        .on('r.week_start', '=', weekStart),
    )
    .where(withinReach(actor))
    .where('users.workspace_id', '=', actor.workspaceId)
    .where('users.active', '=', 1)
    .where('users.role', '=', 'rep');
  if (orgUnitId !== undefined)
    query = query.where('org_units.path', 'like', await subtreePattern(db, actor.workspaceId, orgUnitId));
  return query
    .select((eb) => [
      'users.id',
      'users.name',
      'org_units.name as unit_name',
      'r.id as report_id',
      'r.plan_submitted_at',
      'r.summary_submitted_at',
      'r.summary_problems',
      eb
        .selectFrom('weekly_report_comments as c')
        .select((e) => e.fn.countAll<number>().as('n'))
        .whereRef('c.report_id', '=', 'r.id')
        .as('comments'),
    ])
    .orderBy('org_units.path')
    .orderBy('users.name')
    .execute();
}

/** A user's unit path, for the reach check. */
export async function userUnit(db: Kysely<Database>, workspaceId: number, userId: number) {
  return db
    .selectFrom('users')
    .innerJoin('org_units', 'org_units.id', 'users.org_unit_id')
    .select(['users.id', 'users.name', 'users.role', 'org_units.path'])
    .where('users.workspace_id', '=', workspaceId)
    .where('users.id', '=', userId)
    .executeTakeFirst();
}
