import type { Db } from '../../db/database.ts';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { BATCH_ROWS, shortTransaction } from '../../db/batches.ts';
import { inTransaction } from '../../db/transaction.ts';
import { addDays, dateIn, periodOf, type Calendar } from '../../domain/calendar.ts';
import { drawCallbackSample } from '../../domain/callback-sample.ts';
import { can, unitReach, type Actor } from '../../domain/policy.ts';
import type {
  AnswerCallbackRequest,
  CallbackDto,
  CallbackListQuery,
  CallbackOutcome,
  CallbackPage,
  CallbackRatesResponse,
  DrawCallbacksRequest,
  DrawCallbacksResponse,
} from '../../contracts/callbacks.ts';
import { conflict, forbidden, invalid, notFound, staleVersion } from '../../server/problem.ts';
import { recordAudit } from '../audit/repository.ts';
import { notifyUser } from '../notifications/service.ts';
import { completeGeneratedTask, createTasksInTransaction } from '../tasks/service.ts';
import { loadRules } from '../workspace/service.ts';
import * as repo from './repository.ts';

/** The random callback audit (docs/rhythm.md § Callback audit, SPEC §4.6). */

/** Days the auditor has to make a drawn callback. */
const CALL_WITHIN_DAYS = 7;

const taskKey = (activityId: number) => `callback:${activityId}`;

/**
 * Draws a month's sample for every rep within the caller's reach who logged visits in it and
 * whose month has not been drawn yet: per rep, `drawCallbackSample` over the ids of their visits,
 * seeded with workspace, month and rep, at the workspace's rate — so the same month always draws
 * the same visits and a rep cannot tell which from anything they see. Each drawn visit becomes a
 * callback and an open task for the auditor, in one transaction. A month is drawn only once it is
 * over, when its visits are all logged; a rep's month is drawn once (a later draw skips it).
 */
export async function drawCallbacks(
  db: Db,
  actor: Actor,
  input: DrawCallbacksRequest,
  ip: string | null,
): Promise<DrawCallbacksResponse> {
  if (!can(actor, 'callbacks.draw')) throw forbidden('Only managers and administrators draw callbacks');
  const { settings, calendar } = await loadRules(db.kysely, actor);
  const month = periodOf('month', `${input.period}-01`, calendar);
  if (month.to > actor.now) throw invalid('period', { code: 'period_not_over' }, 'the month is not over yet');
  const auditor = await repo.activeAuditor(db.kysely, actor.workspaceId, input.auditorId);
  if (!auditor)
    throw input.auditorId === undefined
      ? invalid('auditorId', { code: 'required' }, 'the workspace has no active auditor')
      : invalid(
          'auditorId',
          { code: 'not_in_reach', params: { id: input.auditorId } },
          `no active auditor with id ${input.auditorId}`,
        );

  const visits = await repo.visitsOfMonth(db.kysely, actor.workspaceId, unitReach(actor), month.from, month.to);
  return drawSample(
    db,
    { workspaceId: actor.workspaceId, userId: actor.userId, now: actor.now },
    { period: input.period, visits, auditorId: auditor.id, ratePercent: settings.callbackRatePercent, calendar },
    ip,
  );
}

/**
 * The draw itself, shared by a manager's draw and the monthly job (./scheduled.ts): per rep not yet
 * drawn, `drawCallbackSample` seeded with workspace, month and rep — so whoever draws, the same
 * visits are drawn — and each drawn visit a callback and the auditor's task, in one transaction,
 * audited. `userId` null is the job.
 */
export async function drawSample(
  db: Db,
  who: { workspaceId: number; userId: number | null; now: number },
  draw: {
    period: string;
    visits: Awaited<ReturnType<typeof repo.visitsOfMonth>>;
    auditorId: number;
    ratePercent: number;
    calendar: Calendar;
  },
  ip: string | null,
  batching: { sqliteWorker?: boolean; batchRows?: number | undefined } = {},
): Promise<DrawCallbacksResponse> {
  const { period, visits } = draw;
  const byRep = new Map<number, { name: string; visits: typeof visits }>();
  for (const visit of visits) {
    const rep = byRep.get(visit.owner_id) ?? { name: visit.owner_name, visits: [] };
    rep.visits.push(visit);
    byRep.set(visit.owner_id, rep);
  }
  const drawnBefore = await repo.repsDrawn(db.kysely, who.workspaceId, period, [...byRep.keys()]);
  const reps: DrawCallbacksResponse['reps'] = [];
  const rows: repo.NewCallback[] = [];
  for (const [repId, rep] of byRep) {
    const alreadyDrawn = drawnBefore.has(repId);
    const sample = alreadyDrawn
      ? []
      : drawCallbackSample({
          visitIds: rep.visits.map((v) => v.id),
          seed: `${who.workspaceId}:${period}:${repId}`,
          ratePercent: draw.ratePercent,
        });
    const accountOf = new Map(rep.visits.map((v) => [v.id, v.account_id]));
    for (const activityId of sample) rows.push({ period, repId, activityId, accountId: accountOf.get(activityId)! });
    reps.push({ rep: { id: repId, name: rep.name }, visits: rep.visits.length, sampled: sample.length, alreadyDrawn });
  }
  reps.sort((a, b) => a.rep.name.localeCompare(b.rep.name) || a.rep.id - b.rep.id);
  const result = { period, ratePercent: draw.ratePercent, created: 0, reps };
  // The job finds nothing left to draw on every run after the first: no transaction, no audit entry.
  if (who.userId === null && rows.length === 0) return result;

  if (who.userId === null) {
    // The job: a rep's callbacks and tasks together, in short transactions of whole reps of about
    // `batchRows` rows (src/db/batches.ts): a rep drawn is drawn whole, so a crash half-way leaves
    // the other reps to the next run. Its audit entry after, in a transaction of its own.
    const groups: repo.NewCallback[][] = [];
    for (const row of rows) {
      const last = groups.at(-1);
      if (last && (last.at(-1)!.repId === row.repId || last.length < (batching.batchRows ?? BATCH_ROWS)))
        last.push(row);
      else groups.push([row]);
    }
    for (const group of groups)
      result.created += await shortTransaction(db.kysely, (trx) => writeDraw(trx, who, draw, group), batching);
    if (result.created > 0)
      await shortTransaction(db.kysely, (trx) => auditDraw(trx, who, period, result.created, ip), batching);
    return result;
  }
  result.created = await inTransaction(db.kysely, async (trx) => {
    const created = await writeDraw(trx, who, draw, rows);
    await auditDraw(trx, who, period, created, ip);
    return created;
  });
  return result;
}

type Who = { workspaceId: number; userId: number | null; now: number };

/** The callbacks drawn and the auditor's task for each, in the caller's transaction; how many were new. */
async function writeDraw(
  trx: Kysely<Database>,
  who: Who,
  draw: { auditorId: number; calendar: Calendar },
  rows: repo.NewCallback[],
): Promise<number> {
  const inserted = await repo.insertCallbacks(trx, who.workspaceId, draw.auditorId, rows, who.now);
  const names = await repo.accountNames(
    trx,
    who.workspaceId,
    inserted.map((r) => r.account_id),
  );
  const due = addDays(dateIn(who.now, draw.calendar.timeZone), CALL_WITHIN_DAYS);
  // The title is the account's name: it reads the same in either language, the source says "callback".
  await createTasksInTransaction(
    trx,
    who,
    inserted.map((row) => ({
      title: names.get(row.account_id) ?? String(row.account_id),
      assigneeId: draw.auditorId,
      dueDate: due,
      source: 'callback' as const,
      sourceKey: taskKey(row.activity_id),
      accountId: row.account_id,
      activityId: row.activity_id,
    })),
  );
  await repo.linkTasks(
    trx,
    who.workspaceId,
    inserted.map((r) => r.id),
  );
  return inserted.length;
}

async function auditDraw(trx: Kysely<Database>, who: Who, period: string, created: number, ip: string | null) {
  await recordAudit(
    trx,
    {
      workspaceId: who.workspaceId,
      actorUserId: who.userId,
      action: 'callback.draw',
      targetType: 'callback',
      ip,
      detail: { period, created, ...(who.userId === null ? { scheduled: true } : {}) },
    },
    who.now,
  );
  return created;
}

export async function listCallbacks(
  db: Db,
  actor: Actor,
  query: CallbackListQuery | repo.CallbackFilter,
): Promise<CallbackPage> {
  const { items, total } = await repo.listCallbacks(db.kysely, actor, query);
  const contacts = await repo.contactsFor(db.kysely, actor.workspaceId, items);
  return {
    total,
    items: items.map((row): CallbackDto => ({
      id: row.id,
      period: row.period,
      visit: { id: row.activity_id, startAt: Number(row.start_at), subject: row.subject },
      account: { id: row.account_id, name: row.account_name, city: row.city },
      contacts: contacts.get(row.activity_id) ?? [],
      rep: { id: row.rep_id, name: row.rep_name },
      auditor: { id: row.auditor_id, name: row.auditor_name },
      // answerCallback writes only CALLBACK_OUTCOMES.
      outcome: row.outcome as CallbackOutcome | null,
      feedback: row.feedback,
      answeredAt: row.answered_at === null ? null : Number(row.answered_at),
      version: row.version,
      permissions: { answer: canAnswer(actor, row) },
    })),
  };
}

const canAnswer = (actor: Actor, row: { auditor_id: number; outcome: string | null }) =>
  can(actor, 'callbacks.answer') && row.auditor_id === actor.userId && row.outcome === null;

/**
 * The auditor records what the customer said, once. A visit the customer did not confirm is
 * flagged to the rep's manager (a `callback_unconfirmed` notification) in the same transaction,
 * and the callback's task is done.
 */
export async function answerCallback(
  db: Db,
  actor: Actor,
  id: number,
  input: AnswerCallbackRequest,
  ip: string | null,
) {
  if (!can(actor, 'callbacks.answer')) throw forbidden('Only auditors answer callbacks');
  const callback = await repo.getCallback(db.kysely, actor, id);
  if (!callback) throw notFound('Callback');
  if (callback.auditor_id !== actor.userId) throw forbidden('The callback is assigned to another auditor');
  if (callback.outcome !== null) throw conflict('callback_answered', 'The callback has already been answered');
  const feedback = input.feedback?.trim() || null;
  if (input.outcome === 'feedback' && feedback === null)
    throw invalid('feedback', { code: 'required' }, 'feedback needs what the customer said');
  await inTransaction(db.kysely, async (trx) => {
    const answered = await repo.answerCallback(trx, actor.workspaceId, id, input.version, {
      outcome: input.outcome,
      feedback,
      now: actor.now,
    });
    if (!answered) {
      const current = await repo.getCallback(trx, actor, id);
      if (!current || current.outcome !== null)
        throw conflict('callback_answered', 'The callback has already been answered');
      throw staleVersion('Callback', current.version);
    }
    await completeGeneratedTask(trx, actor, taskKey(callback.activity_id));
    if (input.outcome === 'not_confirmed') {
      const { calendar } = await loadRules(trx, actor.workspaceId);
      for (const managerId of await repo.nearestManagers(trx, actor.workspaceId, callback.rep_unit_path))
        await notifyUser(trx, {
          workspaceId: actor.workspaceId,
          userId: managerId,
          kind: 'callback_unconfirmed',
          dedupeKey: `callback:${id}`,
          subjectType: 'callback',
          subjectId: id,
          subjectName: callback.account_name,
          dueDate: dateIn(actor.now, calendar.timeZone),
          now: actor.now,
        });
    }
    await recordAudit(
      trx,
      {
        workspaceId: actor.workspaceId,
        actorUserId: actor.userId,
        action: 'callback.answer',
        targetType: 'callback',
        targetId: id,
        ip,
        detail: { outcome: input.outcome },
      },
      actor.now,
    );
  });
  const { items } = await listCallbacks(db, actor, {
    id,
    limit: 1,
    offset: 0,
    sort: { column: 'visitAt', desc: false },
  });
  if (!items[0]) throw notFound('Callback');
  return items[0];
}

const percent = (confirmed: number, notConfirmed: number) =>
  confirmed + notConfirmed === 0 ? null : Math.round((confirmed / (confirmed + notConfirmed)) * 1000) / 10;

/** Confirmation rate per rep within reach for a month, counted in SQL (docs/rhythm.md § Callback audit). */
export async function callbackRates(
  db: Db,
  actor: Actor,
  query: { period: string; orgUnitId?: number | undefined },
): Promise<CallbackRatesResponse> {
  if (!can(actor, 'activities.supervise')) throw forbidden('Only managers see confirmation rates');
  const rows = await repo.ratesPerRep(db.kysely, actor, query.period, query.orgUnitId);
  const items = rows.map((row) => {
    const figures = {
      drawn: Number(row.drawn),
      open: Number(row.open),
      confirmed: Number(row.confirmed),
      notConfirmed: Number(row.not_confirmed),
      feedback: Number(row.feedback),
    };
    return {
      rep: { id: row.rep_id, name: row.rep_name },
      orgUnitName: row.unit_name,
      ...figures,
      rate: percent(figures.confirmed, figures.notConfirmed),
    };
  });
  const sum = (key: 'drawn' | 'open' | 'confirmed' | 'notConfirmed' | 'feedback') =>
    items.reduce((total, item) => total + item[key], 0);
  return {
    period: query.period,
    items,
    totals: {
      drawn: sum('drawn'),
      open: sum('open'),
      confirmed: sum('confirmed'),
      notConfirmed: sum('notConfirmed'),
      feedback: sum('feedback'),
      rate: percent(sum('confirmed'), sum('notConfirmed')),
    },
  };
}
