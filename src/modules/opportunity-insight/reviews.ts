import type { Db } from '../../db/database.ts';
import type { RootCause } from '../../domain/opportunity.ts';
import type { Actor } from '../../domain/policy.ts';
import { forbidden } from '../../server/problem.ts';
import { getOpportunity } from '../opportunities/service.ts';
import * as repo from './repository.ts';
import type * as contract from '../../contracts/opportunity-insight.ts';

const reviewDto = (review: repo.ReviewRow) => ({
  id: review.id,
  reviewerId: review.reviewer_id,
  reviewerName: review.reviewer_name,
  completedStep: review.completed_step ?? '',
  evidence: review.evidence,
  nextAction: review.next_action ?? '',
  jointPlan: review.joint_plan,
  rootCause: (review.root_cause ?? null) as RootCause | null,
  nextActionDate: review.next_action_date,
  createdAt: review.created_at,
});

/** Pipeline review entries (盘问, docs/sales-process.md), newest first. */
export async function listReviews(db: Db, actor: Actor, id: number): Promise<{ items: contract.Review[] }> {
  await getOpportunity(db, actor, id);
  return { items: (await repo.listReviews(db.kysely, actor.workspaceId, id)).map(reviewDto) };
}

export type ReviewInput = contract.AddReviewRequest;

/** The four questions answered: by those who lead the deal — its owner, a manager over it, an admin. */
export async function addReview(db: Db, actor: Actor, id: number, input: ReviewInput): Promise<contract.Review> {
  const detail = await getOpportunity(db, actor, id);
  if (!detail.permissions.edit)
    throw forbidden('Only the owner or a manager over the opportunity records a pipeline review');
  const { now } = actor;
  const reviewId = await db.kysely.transaction().execute(async (trx) => {
    const newId = await repo.insertReview(trx, {
      workspaceId: actor.workspaceId,
      opportunityId: id,
      reviewerId: actor.userId,
      completedStep: input.completedStep,
      evidence: input.evidence ?? null,
      nextAction: input.nextAction,
      jointPlan: input.jointPlan ?? null,
      rootCause: input.rootCause ?? null,
      nextActionDate: input.nextActionDate ?? null,
      now,
    });
    // "What will you do next? Let us plan it together": a dated next action is the deal's next step (no longer "no plan").
    if (input.nextActionDate) {
      await repo.planNextStep(trx, actor.workspaceId, id, {
        nextStep: input.nextAction.slice(0, 500),
        date: input.nextActionDate,
        now,
      });
    }
    return newId;
  });
  return reviewDto(await repo.getReview(db.kysely, actor.workspaceId, reviewId));
}
