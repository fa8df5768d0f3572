import type { Kysely } from 'kysely';
import type { Db } from '../../db/database.ts';
import type { Database } from '../../db/schema.ts';
import { addDays, dateIn, startOfDay } from '../../domain/calendar.ts';
import { CHECKPOINT_DAYS } from '../../domain/checkpoints.ts';
import { overdueThresholds } from '../../domain/cadence.ts';
import type { Actor } from '../../domain/policy.ts';
import { workspaceSettings } from '../../domain/settings.ts';
import type { NotificationDto, NotificationKind } from '../../contracts/notifications.ts';
import { notFound } from '../../server/problem.ts';
import { writeInBatches } from '../../db/batches.ts';
import { ANNOUNCE_DAYS, createCheckpointTasks } from '../checkpoints/service.ts';
import * as repo from './repository.ts';

export const NOTIFY_JOB = 'rhythm.notify';

/** How the job writes: on the job worker's SQLite connection or not, and (tests) a smaller batch than BATCH_ROWS. */
export interface BatchOptions {
  sqliteWorker?: boolean;
  batchRows?: number | undefined;
}

/**
 * Generates the notifications of every workspace (docs/rhythm.md § Notifications): tasks due,
 * follow-ups overdue, checkpoints come (each also a task for the deal's owner), deals
 * stalled. Idempotent: each occurrence once. Each kind reads the ids of its subjects not
 * notified yet, then inserts their notifications in batches of `batchRows`, each in a short
 * transaction of its own (src/db/batches.ts writeInBatches): at the scale set the first run
 * writes ~285,000, and one INSERT … SELECT per kind held the write lock for seconds.
 */
export async function generateNotifications(db: Db, now: number, opts: BatchOptions = {}): Promise<string> {
  let total = 0;
  let tasks = 0;
  const kysely = db.kysely;
  const batched = { sqliteWorker: opts.sqliteWorker ?? false, size: opts.batchRows };
  for (const ws of await repo.workspaces(kysely)) {
    const settings = workspaceSettings(ws.settings);
    const today = dateIn(now, ws.time_zone);
    tasks += await createCheckpointTasks(db, ws.id, ws.time_zone, now, opts);
    const overdue = overdueThresholds(now, settings, ws.time_zone);
    const kinds: repo.Occurrences[] = [
      repo.tasksDue(kysely, ws.id, today, now),
      ...(['A', 'B', 'C'] as const).map((tier) => repo.followUpsOverdue(kysely, ws.id, tier, overdue[tier], now)),
      ...(['day15', 'day30'] as const).map((kind) => {
        // Checkpoint date = the entry date + N days ≤ today  ⇔  entered before the start of (today − N + 1).
        const days = CHECKPOINT_DAYS[kind];
        const enteredBefore = startOfDay(addDays(today, -days + 1), ws.time_zone);
        const enteredAfter = startOfDay(addDays(today, -days - ANNOUNCE_DAYS), ws.time_zone);
        return repo.checkpointsDue(kysely, ws.id, kind, { enteredBefore, enteredAfter }, now);
      }),
      repo.stalledDeals(kysely, ws.id, now, settings.stalledFactorPercent),
    ];
    for (const occurrences of kinds) {
      const pending = await repo.pendingSubjects(kysely, occurrences);
      total += await writeInBatches(
        kysely,
        pending,
        (trx, subjects) => repo.notifySubjects(trx, occurrences, subjects),
        batched,
      );
    }
  }
  return `${total} notifications, ${tasks} checkpoint tasks`;
}

/**
 * One notification for one user, from another area's use case inside its transaction (a callback
 * not confirmed, to the rep's manager); a second one with the same dedupe key is not created.
 */
export async function notifyUser(trx: Kysely<Database>, notification: Parameters<typeof repo.notifyOnce>[1]) {
  await repo.notifyOnce(trx, notification);
}

type Row = Awaited<ReturnType<typeof repo.listMine>>['items'][number];

const toDto = (row: Row): NotificationDto => ({
  id: row.id,
  kind: row.kind as NotificationKind,
  subject: { type: row.subject_type as NotificationDto['subject']['type'], id: row.subject_id, name: row.subject_name },
  dueDate: row.due_date,
  createdAt: Number(row.created_at),
  read: row.read_at !== null,
});

export async function listNotifications(
  db: Db,
  actor: Actor,
  query: { unread?: boolean | undefined; limit: number; offset: number },
) {
  const page = await repo.listMine(db.kysely, actor, {
    unread: query.unread === true,
    limit: query.limit,
    offset: query.offset,
  });
  return { items: page.items.map(toDto), total: page.total, unread: page.unread };
}

export async function unreadCount(db: Db, actor: Actor) {
  return { unread: await repo.unreadCount(db.kysely, actor) };
}

export async function markRead(db: Db, actor: Actor, id: number) {
  if (!(await repo.exists(db.kysely, actor, id))) throw notFound('Notification');
  await repo.markRead(db.kysely, actor, id, actor.now);
  return { unread: await repo.unreadCount(db.kysely, actor) };
}

export async function markAllRead(db: Db, actor: Actor) {
  await repo.markRead(db.kysely, actor, null, actor.now);
  return { unread: 0 };
}
