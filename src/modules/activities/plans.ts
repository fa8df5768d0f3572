import type { Kysely } from 'kysely';
import type { Db } from '../../db/database.ts';
import type { Database } from '../../db/schema.ts';
import { inTransaction } from '../../db/transaction.ts';
import { FUTURE_GRACE_MS } from '../../domain/activities.ts';
import { addDays, startOfDay } from '../../domain/calendar.ts';
import { can, type Actor } from '../../domain/policy.ts';
import type { CreateActivityRequest, PlanSummaryRow, VisitPlan, VisitReview } from '../../contracts/activities.ts';
import { AppError, fieldError, forbidden, invalid, staleVersion, type FieldError } from '../../server/problem.ts';
import { assignableUser } from '../users/service.ts';
import { createTasksInTransaction } from '../tasks/service.ts';
import { loadRules } from '../workspace/service.ts';
import * as planRepo from './repository/plans.ts';
import * as writeRepo from './repository/writes.ts';
import { canReview, getActivity, requireActivity } from './service.ts';
import { applyFollowUp, createActivity } from './writes.ts';

/**
 * Visit plans and reviews (docs/rhythm.md § Visit plan and review). The plan is kept as the
 * request gave it (JSON); the objective count and, after the review, how many were achieved,
 * partly achieved or missed are columns, so plan-versus-result is counted in SQL.
 */

const planWriter = (actor: Actor, plan: VisitPlan) => (trx: Kysely<Database>, activityId: number) =>
  planRepo.savePlan(trx, {
    workspaceId: actor.workspaceId,
    activityId,
    plannedBy: actor.userId,
    plan: JSON.stringify(plan),
    objectiveCount: plan.objectives.length,
    now: actor.now,
  });

/** POST /accounts/:id/activities with a plan: the visit and its plan in one transaction. */
export function createActivityWithPlan(db: Db, actor: Actor, accountId: number, input: CreateActivityRequest) {
  return createActivity(db, actor, accountId, input, input.plan ? planWriter(actor, input.plan) : undefined);
}

/** Plans (or re-plans) a visit not yet reviewed: its owner or a manager over the account. */
export async function savePlan(db: Db, actor: Actor, id: number, input: { version: number; plan: VisitPlan }) {
  const before = await getActivity(db, actor, id);
  if (!before.permissions.edit) throw forbidden('Only its owner or a manager over the account plans a visit');
  if (before.type !== 'visit') throw invalid('plan', { code: 'visit_only' }, 'only a visit has a plan');
  if (before.reviewedAt !== null)
    throw new AppError('already_reviewed', 'The visit is reviewed: its plan is what it was measured against');
  await inTransaction(db.kysely, async (trx) => {
    if (!(await writeRepo.touchActivity(trx, actor.workspaceId, id, input.version, actor.now)))
      throw staleVersion('The activity', before.version);
    await planRepo.savePlan(trx, {
      workspaceId: actor.workspaceId,
      activityId: id,
      plannedBy: before.plannedBy ?? actor.userId,
      plan: JSON.stringify(input.plan),
      objectiveCount: input.plan.objectives.length,
      now: actor.now,
    });
  });
  return getActivity(db, actor, id);
}

/**
 * Reviews a planned visit against its plan, objective by objective: who planned it, or their
 * manager (403 otherwise). A visit still marked planned becomes done (it happened), which
 * counts as its account's follow-up. Next steps become tasks (the tasks area) in the same
 * transaction. A review is written once (409 after).
 */
export async function saveReview(db: Db, actor: Actor, id: number, input: { version: number; review: VisitReview }) {
  const activity = await requireActivity(db, actor, id);
  // Who the next steps go to is checked first: an id the caller may not name is a 400 whatever else is wrong.
  const errors: FieldError[] = [];
  for (const [index, nextStep] of input.review.nextSteps.entries()) {
    if (nextStep.assigneeId !== undefined && nextStep.assigneeId !== actor.userId) {
      const ok = await assignableUser(db, actor, nextStep.assigneeId, `review.nextSteps.${index}.assigneeId`).then(
        () => true,
        () => false,
      );
      if (!ok)
        errors.push(
          fieldError(
            `review.nextSteps.${index}.assigneeId`,
            { code: 'not_in_reach', params: { id: nextStep.assigneeId } },
            `no active user with id ${nextStep.assigneeId} in your organisation`,
          ),
        );
    }
  }
  if (errors.length)
    throw new AppError('validation_failed', errors.map((e) => `${e.field}: ${e.message}`).join('; '), { errors });
  const plan = await planRepo.planOf(db.kysely, actor.workspaceId, id);
  if (!plan) throw new AppError('no_plan', 'Only a planned visit is reviewed against its plan');
  if (!canReview(actor, plan.planned_by, plan.planner_unit_path))
    throw forbidden('Only who planned the visit, or their manager, reviews it');
  // A review is the record of what came of the plan: written once, like the tasks it creates.
  if (plan.reviewed_at !== null) throw new AppError('already_reviewed', 'The visit is reviewed already');
  const { objectives } = input.review;
  if (objectives.length !== plan.objective_count) {
    errors.push(
      fieldError(
        'review.objectives',
        { code: 'objectives_mismatch', params: { count: plan.objective_count } },
        `must give a result for each of the plan's ${plan.objective_count} objectives`,
      ),
    );
  }
  objectives.forEach((objective, index) => {
    if (objective.result !== 'achieved' && !objective.note)
      errors.push(
        fieldError(`review.objectives.${index}.note`, { code: 'required' }, 'say why it was not (fully) achieved'),
      );
  });
  if (activity.status === 'planned' && Number(activity.start_at) > actor.now + FUTURE_GRACE_MS)
    errors.push(fieldError('review', { code: 'in_future' }, 'the visit has not happened yet'));
  if (activity.status === 'cancelled')
    errors.push(
      fieldError(
        'review',
        { code: 'invalid_transition', params: { from: 'cancelled', to: 'done' } },
        'the visit was cancelled',
      ),
    );
  if (errors.length)
    throw new AppError('validation_failed', errors.map((e) => `${e.field}: ${e.message}`).join('; '), { errors });
  const count = (k: string) => objectives.filter((o) => o.result === k).length;
  await inTransaction(db.kysely, async (trx) => {
    const before = await writeRepo.activityRow(trx, actor.workspaceId, id);
    if (
      !before ||
      !(await writeRepo.touchActivity(
        trx,
        actor.workspaceId,
        id,
        input.version,
        actor.now,
        before.status === 'planned' ? 'done' : undefined,
      ))
    ) {
      throw staleVersion('The activity', before?.version ?? activity.version);
    }
    const steps = input.review.nextSteps.map((s) => ({ ...s, assigneeId: s.assigneeId ?? actor.userId }));
    const taskIds = await createTasksInTransaction(
      trx,
      actor,
      steps.map((step, index) => ({
        title: step.title,
        dueDate: step.dueDate,
        assigneeId: step.assigneeId,
        source: 'visit_review' as const,
        sourceKey: `visit_review:${id}:${index}`,
        accountId: before.account_id,
        opportunityId: before.opportunity_id,
        activityId: id,
      })),
    );
    const review = { ...input.review, nextSteps: steps.map((s, i) => ({ ...s, taskId: taskIds[i] ?? null })) };
    await planRepo.saveReview(trx, {
      workspaceId: actor.workspaceId,
      activityId: id,
      reviewedBy: actor.userId,
      review: JSON.stringify(review),
      achieved: count('achieved'),
      partly: count('partly'),
      missed: count('not'),
      now: actor.now,
    });
    if (before.status === 'planned') {
      const facts = {
        accountId: before.account_id,
        type: before.type,
        startAt: Number(before.start_at),
        archived: false,
      };
      await applyFollowUp(trx, db, actor.workspaceId, { ...facts, status: 'planned' }, { ...facts, status: 'done' });
    }
  });
  return getActivity(db, actor, id);
}

/** Plan versus result per rep within reach (docs/rhythm.md § Visit plan and review), counted in SQL. */
export async function planSummary(
  db: Db,
  actor: Actor,
  query: { orgUnitId?: number | undefined; from?: string | undefined; to?: string | undefined },
): Promise<PlanSummaryRow[]> {
  if (!can(actor, 'activities.supervise')) throw forbidden('Only managers see plan versus result across a team');
  const { calendar } = await loadRules(db.kysely, actor);
  const rows = await planRepo.planSummary(db.kysely, actor, {
    orgUnitId: query.orgUnitId,
    fromAt: query.from ? startOfDay(query.from, calendar.timeZone) : undefined,
    toAt: query.to ? startOfDay(addDays(query.to, 1), calendar.timeZone) : undefined,
  });
  return rows.map((row) => ({
    userId: row.user_id,
    userName: row.user_name,
    planned: Number(row.planned),
    reviewed: Number(row.reviewed),
    objectives: Number(row.objectives ?? 0),
    achieved: Number(row.achieved ?? 0),
    partly: Number(row.partly ?? 0),
    missed: Number(row.missed ?? 0),
  }));
}
