import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';

/**
 * Storage of the opportunity's insight (docs/sales-process.md § Qualification qualification, §5.2 SWOT and competitors,
 * §5.6 win strategy) in the JSON columns of `opportunities` (migration 0006), and the
 * pipeline review entries (docs/sales-process.md) in `opportunity_reviews`. Callers have already checked
 * that the actor sees the opportunity; every query is still scoped to the workspace.
 */
export async function insightRow(db: Kysely<Database>, workspaceId: number, id: number) {
  return db
    .selectFrom('opportunities')
    .leftJoin('process_stages as stage', (joinBuilder) =>
      joinBuilder
        .onRef('stage.id', '=', 'opportunities.stage_id')
        .onRef('stage.workspace_id', '=', 'opportunities.workspace_id'),
    )
    .select([
      'opportunities.id',
      'opportunities.qualification',
      'opportunities.swot',
      'opportunities.competitors',
      'opportunities.win_strategy',
      'opportunities.advantage_lost',
      'opportunities.version',
      'stage.buying_phase as stage_buying_phase',
    ])
    .where('opportunities.workspace_id', '=', workspaceId)
    .where('opportunities.id', '=', id)
    .executeTakeFirst();
}

export type InsightRow = NonNullable<Awaited<ReturnType<typeof insightRow>>>;

export async function listReviews(db: Kysely<Database>, workspaceId: number, opportunityId: number) {
  return db
    .selectFrom('opportunity_reviews as r')
    .leftJoin('users as u', (j) => j.onRef('u.id', '=', 'r.reviewer_id').onRef('u.workspace_id', '=', 'r.workspace_id'))
    .select([
      'r.id',
      'r.reviewer_id',
      'u.name as reviewer_name',
      'r.completed_step',
      'r.evidence',
      'r.next_action',
      'r.joint_plan',
      'r.root_cause',
      'r.next_action_date',
      'r.created_at',
    ])
    .where('r.workspace_id', '=', workspaceId)
    .where('r.opportunity_id', '=', opportunityId)
    .orderBy('r.created_at', 'desc')
    .orderBy('r.id', 'desc')
    .limit(500)
    .execute();
}

export type ReviewRow = Awaited<ReturnType<typeof listReviews>>[number];

export interface NewReview {
  workspaceId: number;
  opportunityId: number;
  reviewerId: number;
  completedStep: string;
  evidence: string | null;
  nextAction: string;
  jointPlan: string | null;
  rootCause: string | null;
  nextActionDate: string | null;
  now: number;
}

export async function insertReview(db: Kysely<Database>, review: NewReview): Promise<number> {
  const { id } = await db
    .insertInto('opportunity_reviews')
    .values({
      workspace_id: review.workspaceId,
      opportunity_id: review.opportunityId,
      reviewer_id: review.reviewerId,
      completed_step: review.completedStep,
      evidence: review.evidence,
      next_action: review.nextAction,
      joint_plan: review.jointPlan,
      root_cause: review.rootCause,
      next_action_date: review.nextActionDate,
      created_at: review.now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return id;
}

export async function getReview(db: Kysely<Database>, workspaceId: number, id: number) {
  return db
    .selectFrom('opportunity_reviews as r')
    .leftJoin('users as u', (j) => j.onRef('u.id', '=', 'r.reviewer_id').onRef('u.workspace_id', '=', 'r.workspace_id'))
    .select([
      'r.id',
      'r.reviewer_id',
      'u.name as reviewer_name',
      'r.completed_step',
      'r.evidence',
      'r.next_action',
      'r.joint_plan',
      'r.root_cause',
      'r.next_action_date',
      'r.created_at',
    ])
    .where('r.workspace_id', '=', workspaceId)
    .where('r.id', '=', id)
    .executeTakeFirstOrThrow();
}

/** A review's dated next action becomes the deal's next step; the version moves on so open forms see the change. */
export async function planNextStep(
  db: Kysely<Database>,
  workspaceId: number,
  opportunityId: number,
  plan: { nextStep: string; date: string; now: number },
) {
  await db
    .updateTable('opportunities')
    .set((eb) => ({
      next_step: plan.nextStep,
      next_step_date: plan.date,
      updated_at: plan.now,
      version: eb('version', '+', 1),
    }))
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', opportunityId)
    .execute();
}
