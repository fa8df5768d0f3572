import type { Kysely } from 'kysely';
import type { Database } from '../../../db/schema.ts';
import type { Actor } from '../../../domain/policy.ts';
import { subtreePattern } from '../../scope.ts';
import { visibleActivities } from './list.ts';

/** A visit's plan and review, and plan versus result per owner (docs/rhythm.md § Visit plan and review). */
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
