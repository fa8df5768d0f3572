import type { Db } from '../../db/database.ts';
import { writeInBatches } from '../../db/batches.ts';
import { inTransaction } from '../../db/transaction.ts';
import { addDays, dateIn, mondayOf, periodOf, startOfDay, type Calendar } from '../../domain/calendar.ts';
import { checkpointDates, checkpointTaskTitle, CHECKPOINT_DAYS } from '../../domain/checkpoints.ts';
import { opportunityRights, type Actor } from '../../domain/policy.ts';
import type {
  CheckpointReviewRequest,
  WeeklyReviewItem,
  WeeklyReviewQuery,
  WeeklyReviewResponse,
} from '../../contracts/rhythm.ts';
import { conflict, invalid } from '../../server/problem.ts';
import { recordAudit } from '../audit/repository.ts';
import { requireRight } from '../opportunities/read.ts';
import { completeGeneratedTask, createTasksInTransaction } from '../tasks/service.ts';
import { loadRules } from '../workspace/service.ts';
import * as repo from './repository.ts';

/** The 1-15-30 rule (docs/rhythm.md § 1-15-30): the weekly review of a week, and its records. */

/** The week holding `date`: its Monday and Sunday. */
function weekOf(date: string, cal: Calendar) {
  const period = periodOf('week', date, cal);
  return { start: period.start, end: addDays(period.end, -1) };
}

/** Deals whose checkpoint (entry date + N days) is on or before `last` were created before this instant. */
const createdBefore = (last: string, days: number, timeZone: string) => startOfDay(addDays(last, -days + 1), timeZone);

type Done = WeeklyReviewItem['weekly']['done'];

export async function weeklyReview(db: Db, actor: Actor, query: WeeklyReviewQuery): Promise<WeeklyReviewResponse> {
  const { calendar } = await loadRules(db.kysely, actor);
  const tz = calendar.timeZone;
  const week = weekOf(query.week ?? dateIn(actor.now, tz), calendar);
  const list = await repo.reviewList(db.kysely, actor, {
    ownerId: query.ownerId,
    orgUnitId: query.orgUnitId,
    due: query.due,
    limit: query.limit,
    offset: query.offset,
    day15Before: createdBefore(week.end, CHECKPOINT_DAYS.day15, tz),
    day30Before: createdBefore(week.end, CHECKPOINT_DAYS.day30, tz),
  });
  const reviews = await repo.reviewsOf(
    db.kysely,
    actor.workspaceId,
    list.items.map((i) => i.id),
    week.start,
  );
  const doneOf = (id: number, kind: string): Done => {
    const review = reviews.find((x) => x.opportunity_id === id && x.kind === kind);
    return review
      ? {
          outcome: review.outcome as NonNullable<Done>['outcome'],
          note: review.note,
          by: review.reviewer_name,
          at: Number(review.created_at),
        }
      : null;
  };
  const items = list.items.map((opportunity): WeeklyReviewItem => {
    const enteredOn = dateIn(Number(opportunity.created_at), tz);
    const dates = checkpointDates(enteredOn);
    const state = (kind: 'day15' | 'day30') => {
      const done = doneOf(opportunity.id, kind);
      const due = done === null && dates[kind] <= week.end;
      return { date: dates[kind], due, overdue: due && dates[kind] < week.start, done };
    };
    return {
      id: opportunity.id,
      name: opportunity.name,
      account: { id: opportunity.account_id, name: opportunity.account_name },
      owner: { id: opportunity.owner_id, name: opportunity.owner_name ?? '' },
      amount: Number(opportunity.amount),
      stageName: opportunity.stage_name,
      enteredOn,
      weekly: { done: doneOf(opportunity.id, 'weekly') },
      day15: state('day15'),
      day30: state('day30'),
      canReview: opportunityRights(actor, {
        ownerId: opportunity.owner_id,
        unitPath: opportunity.unit_path,
        onTeam: false,
      }).edit,
    };
  });
  return { week, items, total: list.total, counts: list.counts };
}

/**
 * Records a look at a deal: the weekly one (for a week), the 15-day check, or the 30-day
 * judgement — advanced, with the evidence in the note, or disqualified. Whoever leads the deal
 * (its owner, a manager above, an admin). The checkpoint's task, if the job made one, is done.
 */
export async function recordCheckpoint(
  db: Db,
  actor: Actor,
  opportunityId: number,
  input: CheckpointReviewRequest,
  ip: string | null,
) {
  const { r: opportunity } = await requireRight(
    db,
    actor,
    opportunityId,
    'edit',
    'Only the owner or a manager over the opportunity reviews it',
  );
  if (opportunity.status !== 'open') throw conflict('closed', 'The opportunity is closed');
  const { calendar } = await loadRules(db.kysely, actor);
  const today = dateIn(actor.now, calendar.timeZone);
  const note = input.note?.trim() || null;
  let period: string;
  if (input.kind === 'weekly') {
    period = mondayOf(input.week ?? today);
  } else {
    period = checkpointDates(dateIn(Number(opportunity.created_at), calendar.timeZone))[input.kind];
    // Reviewed in the weekly meeting of the week it falls in, or any time after.
    if (period > weekOf(today, calendar).end)
      throw invalid(
        'kind',
        { code: 'checkpoint_not_due', params: { date: period } },
        `the checkpoint is due on ${period}`,
      );
  }
  const allowed = input.kind === 'day30' ? ['advanced', 'disqualified'] : ['reviewed'];
  if (!allowed.includes(input.outcome))
    throw invalid(
      'outcome',
      { code: 'invalid_value', params: { values: allowed } },
      `must be one of ${allowed.join(', ')}`,
    );
  if (input.outcome === 'advanced' && !note)
    throw invalid('note', { code: 'note_required' }, 'the evidence that the deal advanced is required');
  await inTransaction(db.kysely, async (trx) => {
    const inserted = await repo.insertReview(trx, {
      workspaceId: actor.workspaceId,
      opportunityId,
      kind: input.kind,
      period,
      outcome: input.outcome,
      note,
      by: actor.userId,
      now: actor.now,
    });
    if (!inserted) throw conflict('checkpoint_recorded', 'This checkpoint is already recorded');
    if (input.kind !== 'weekly') await completeGeneratedTask(trx, actor, `checkpoint:${opportunityId}:${input.kind}`);
    await recordAudit(
      trx,
      {
        workspaceId: actor.workspaceId,
        actorUserId: actor.userId,
        action: 'checkpoint.review',
        targetType: 'opportunity',
        targetId: opportunityId,
        ip,
        detail: { kind: input.kind, period, outcome: input.outcome },
      },
      actor.now,
    );
  });
  return { opportunityId, kind: input.kind, period, outcome: input.outcome };
}

/** Checkpoints announced this many days after they came; older ones stay in the weekly review only. */
export const ANNOUNCE_DAYS = 14;

/**
 * The job's part (src/modules/notifications): every 15- and 30-day checkpoint that came in the
 * last ANNOUNCE_DAYS and is not reviewed becomes a task for the deal's owner, due on the
 * checkpoint's date — once (source key `checkpoint:<deal>:<kind>`).
 */
export async function createCheckpointTasks(
  db: Db,
  workspaceId: number,
  timeZone: string,
  now: number,
  opts: { sqliteWorker?: boolean; batchRows?: number | undefined } = {},
): Promise<number> {
  const today = dateIn(now, timeZone);
  let created = 0;
  for (const kind of ['day15', 'day30'] as const) {
    const days = CHECKPOINT_DAYS[kind];
    const window = {
      enteredBefore: createdBefore(today, days, timeZone),
      enteredAfter: startOfDay(addDays(today, -days - ANNOUNCE_DAYS), timeZone),
    };
    const come = await repo.checkpointsCome(db.kysely, workspaceId, kind, window);
    // Short transactions of a batch each (src/db/batches.ts); a task once by its source key, so a batch run again adds nothing.
    created += await writeInBatches(
      db.kysely,
      come,
      async (trx, batch) =>
        (
          await createTasksInTransaction(
            trx,
            { workspaceId, userId: null, now },
            batch.map((opportunity) => ({
              title: checkpointTaskTitle(opportunity.owner_locale, kind, opportunity.name),
              assigneeId: opportunity.owner_id,
              dueDate: checkpointDates(dateIn(Number(opportunity.created_at), timeZone))[kind],
              source: 'checkpoint' as const,
              sourceKey: `checkpoint:${opportunity.id}:${kind}`,
              accountId: opportunity.account_id,
              opportunityId: opportunity.id,
            })),
          )
        ).length,
      { sqliteWorker: opts.sqliteWorker ?? false, size: opts.batchRows },
    );
  }
  return created;
}
