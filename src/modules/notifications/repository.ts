import { sql, type AliasedSelectQueryBuilder, type Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { Tier } from '../../domain/accounts.ts';
import type { Actor } from '../../domain/policy.ts';
import { notReviewed } from '../checkpoints/repository.ts';

/**
 * The notification centre's queries (docs/rhythm.md § Notifications). Each kind of reminder is a
 * SELECT of its occurrences (in COLUMNS order, aliased `o`), one per subject (task, account, deal),
 * keyed by a dedupe key that names the occurrence — a task's due date, an account's last
 * follow-up, a deal's stay in a stage — so a new occurrence is notified again. The generator
 * reads the subjects of those not notified yet (ids only, no lock) and inserts them in short
 * batches, each an INSERT … SELECT of the same occurrences restricted to the batch's subjects,
 * ON CONFLICT DO NOTHING on (workspace, user, dedupe key): an occurrence is notified once
 * however often, in however many batches, processes at once, or runs after a crash half-way.
 */
const COLUMNS = [
  'workspace_id',
  'user_id',
  'kind',
  'dedupe_key',
  'subject_type',
  'subject_id',
  'subject_name',
  'due_date',
  'created_at',
] as const;

export interface Occurrence {
  workspace_id: number;
  user_id: number;
  kind: string;
  dedupe_key: string;
  subject_type: string;
  subject_id: number;
  subject_name: string;
  due_date: string | null;
  created_at: number;
}
export type Occurrences = AliasedSelectQueryBuilder<Occurrence, 'o'>;

const count = (row: { numInsertedOrUpdatedRows?: bigint }[]) =>
  row.reduce((n, x) => n + Number(x.numInsertedOrUpdatedRows ?? 0n), 0);

/**
 * The subjects whose occurrence is not notified yet: one read of ids, no lock held, no write. In
 * user order: both indexes of notifications lead with the user, so a batch of one user's rows
 * writes a few of their pages, where subject order spread each batch over every user's (at the
 * scale set 40 ms a batch against 10, and each page written to the WAL again with each commit).
 */
export async function pendingSubjects(db: Kysely<Database>, occurrences: Occurrences): Promise<number[]> {
  const rows = await db
    .selectFrom(occurrences)
    .select(['o.user_id', 'o.subject_id'])
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('notifications as n')
            .select(eb.lit(1).as('one'))
            .whereRef('n.workspace_id', '=', 'o.workspace_id')
            .whereRef('n.user_id', '=', 'o.user_id')
            .whereRef('n.dedupe_key', '=', 'o.dedupe_key'),
        ),
      ),
    )
    .execute();
  // Grouped by user, each group's ids sorted as a typed array: the same order as a comparator sort
  // of (user, subject) pairs, which for the scale set's 222,445 stalled deals held the server's
  // event loop 120–235 ms in one piece (issue 8).
  const byUser = new Map<number, number[]>();
  for (const row of rows) {
    const subjects = byUser.get(Number(row.user_id));
    if (subjects) subjects.push(Number(row.subject_id));
    else byUser.set(Number(row.user_id), [Number(row.subject_id)]);
  }
  const ordered: number[] = [];
  for (const user of Float64Array.from(byUser.keys()).sort())
    for (const subject of Float64Array.from(byUser.get(user)!).sort()) ordered.push(subject);
  return ordered;
}

/** Inserts the occurrences of these subjects that are (still) found and not notified yet; how many were new. */
export async function notifySubjects(
  db: Kysely<Database>,
  occurrences: Occurrences,
  subjectIds: readonly number[],
): Promise<number> {
  if (subjectIds.length === 0) return 0;
  const result = await db
    .insertInto('notifications')
    .columns(COLUMNS)
    .expression(
      db
        .selectFrom(occurrences)
        .select(COLUMNS.map((column) => `o.${column}` as const))
        .where('o.subject_id', 'in', subjectIds),
    )
    .onConflict((oc) => oc.columns(['workspace_id', 'user_id', 'dedupe_key']).doNothing())
    .execute();
  return count(result);
}

/** Open tasks due today or earlier, to their assignee; a checkpoint's task is announced as the checkpoint. */
export function tasksDue(db: Kysely<Database>, workspaceId: number, today: string, now: number): Occurrences {
  return db
    .selectFrom('tasks')
    .where('tasks.workspace_id', '=', workspaceId)
    .where('tasks.status', '=', 'open')
    .where('tasks.due_date', '<=', today)
    .where('tasks.source', '!=', 'checkpoint')
    .select((eb) => [
      'tasks.workspace_id',
      'tasks.assignee_id as user_id',
      sql<string>`'task_due'`.as('kind'),
      sql<string>`'task_due:' || ${eb.ref('tasks.id')} || ':' || ${eb.ref('tasks.due_date')}`.as('dedupe_key'),
      sql<string>`'task'`.as('subject_type'),
      'tasks.id as subject_id',
      'tasks.title as subject_name',
      'tasks.due_date',
      sql<number>`cast(${now} as bigint)`.as('created_at'),
    ])
    .as('o');
}

/**
 * Accounts past their tier's follow-up interval (src/domain/cadence.ts), to their owner:
 * one query per tier, with the instant before which the last follow-up is overdue.
 */
export function followUpsOverdue(
  db: Kysely<Database>,
  workspaceId: number,
  tier: Tier,
  overdueBefore: number,
  now: number,
): Occurrences {
  return db
    .selectFrom('accounts')
    .where('accounts.workspace_id', '=', workspaceId)
    .where('accounts.tier', '=', tier)
    .where('accounts.owner_id', 'is not', null)
    .where('accounts.in_pool', '=', 0)
    .where('accounts.archived_at', 'is', null)
    .where((eb) => eb(eb.fn.coalesce('accounts.last_follow_up_at', 'accounts.created_at'), '<', overdueBefore))
    .select((eb) => [
      'accounts.workspace_id',
      sql<number>`${eb.ref('accounts.owner_id')}`.as('user_id'),
      sql<string>`'follow_up_overdue'`.as('kind'),
      sql<string>`'follow_up:' || ${eb.ref('accounts.id')} || ':' || coalesce(${eb.ref('accounts.last_follow_up_at')}, ${eb.ref('accounts.created_at')})`.as(
        'dedupe_key',
      ),
      sql<string>`'account'`.as('subject_type'),
      'accounts.id as subject_id',
      'accounts.name as subject_name',
      sql<string | null>`null`.as('due_date'),
      sql<number>`cast(${now} as bigint)`.as('created_at'),
    ])
    .as('o');
}

/**
 * Open deals whose 15- or 30-day checkpoint has come (created before `enteredBefore`) and is
 * not reviewed yet, to their owner. `enteredAfter` bounds how far back: a checkpoint missed
 * long ago stays in the weekly review, it is not announced again on the first run.
 */
export function checkpointsDue(
  db: Kysely<Database>,
  workspaceId: number,
  kind: 'day15' | 'day30',
  window: { enteredBefore: number; enteredAfter: number },
  now: number,
): Occurrences {
  return db
    .selectFrom('opportunities')
    .where('opportunities.workspace_id', '=', workspaceId)
    .where('opportunities.status', '=', 'open')
    .where('opportunities.created_at', '<', window.enteredBefore)
    .where('opportunities.created_at', '>=', window.enteredAfter)
    .where((eb) => notReviewed(eb, workspaceId, kind))
    .select((eb) => [
      'opportunities.workspace_id',
      'opportunities.owner_id as user_id',
      sql<string>`${sql.lit(kind === 'day15' ? 'checkpoint_day15' : 'checkpoint_day30')}`.as('kind'),
      sql<string>`'checkpoint:' || ${eb.ref('opportunities.id')} || ':' || ${kind}`.as('dedupe_key'),
      sql<string>`'opportunity'`.as('subject_type'),
      'opportunities.id as subject_id',
      'opportunities.name as subject_name',
      sql<string | null>`null`.as('due_date'),
      sql<number>`cast(${now} as bigint)`.as('created_at'),
    ])
    .as('o');
}

/** Open deals in their stage longer than its expected days × the stall factor (the board's "stalled"), to their owner, once per stay in a stage. */
export function stalledDeals(
  db: Kysely<Database>,
  workspaceId: number,
  now: number,
  stalledFactorPercent: number,
): Occurrences {
  const stalledDayMs = stalledFactorPercent * 864_000;
  return (
    db
      .selectFrom('opportunities')
      // `+` keeps SQLite from reading the deals stage by stage (an index from the stage, each deal
      // then looked up in the table: 15 s at the scale set): they are read from
      // opportunities_ws_open_created alone (migration 0047).
      .innerJoin('process_stages as stage', (join) => join.on(sql<boolean>`stage.id = +opportunities.stage_id`))
      .where('opportunities.workspace_id', '=', workspaceId)
      .where('opportunities.status', '=', 'open')
      .where('stage.expected_days', '>', 0)
      // A deal with no stage entry is not stalled: null + … < now is not true.
      .where(
        sql<boolean>`opportunities.stage_entered_at + stage.expected_days * cast(${stalledDayMs} as bigint) < ${now}`,
      )
      .select((eb) => [
        'opportunities.workspace_id',
        'opportunities.owner_id as user_id',
        sql<string>`'deal_stalled'`.as('kind'),
        sql<string>`'stalled:' || ${eb.ref('opportunities.id')} || ':' || ${eb.ref('opportunities.stage_entered_at')}`.as(
          'dedupe_key',
        ),
        sql<string>`'opportunity'`.as('subject_type'),
        'opportunities.id as subject_id',
        'opportunities.name as subject_name',
        sql<string | null>`null`.as('due_date'),
        sql<number>`cast(${now} as bigint)`.as('created_at'),
      ])
      .as('o')
  );
}

/** One notification for one user (a callback not confirmed, to the rep's manager). */
export async function notifyOnce(
  db: Kysely<Database>,
  notification: {
    workspaceId: number;
    userId: number;
    kind: string;
    dedupeKey: string;
    subjectType: string;
    subjectId: number;
    subjectName: string;
    dueDate: string | null;
    now: number;
  },
) {
  await db
    .insertInto('notifications')
    .values({
      workspace_id: notification.workspaceId,
      user_id: notification.userId,
      kind: notification.kind,
      dedupe_key: notification.dedupeKey,
      subject_type: notification.subjectType,
      subject_id: notification.subjectId,
      subject_name: notification.subjectName,
      due_date: notification.dueDate,
      created_at: notification.now,
    })
    .onConflict((oc) => oc.columns(['workspace_id', 'user_id', 'dedupe_key']).doNothing())
    .execute();
}

export async function workspaces(db: Kysely<Database>) {
  return db.selectFrom('workspaces').select(['id', 'settings', 'time_zone']).orderBy('id').execute();
}

const mine = (db: Kysely<Database>, actor: Actor) =>
  db.selectFrom('notifications').where('workspace_id', '=', actor.workspaceId).where('user_id', '=', actor.userId);

export async function listMine(
  db: Kysely<Database>,
  actor: Actor,
  filter: { unread: boolean; limit: number; offset: number },
) {
  let query = mine(db, actor);
  if (filter.unread) query = query.where('read_at', 'is', null);
  const [items, total, unread] = await Promise.all([
    query
      .select(['id', 'kind', 'subject_type', 'subject_id', 'subject_name', 'due_date', 'created_at', 'read_at'])
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(filter.limit)
      .offset(filter.offset)
      .execute(),
    query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    unreadCount(db, actor),
  ]);
  return { items, total: Number(total.n), unread };
}

export async function unreadCount(db: Kysely<Database>, actor: Actor): Promise<number> {
  const row = await mine(db, actor)
    .where('read_at', 'is', null)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function markRead(db: Kysely<Database>, actor: Actor, id: number | null, now: number): Promise<number> {
  let query = db
    .updateTable('notifications')
    .set({ read_at: now })
    .where('workspace_id', '=', actor.workspaceId)
    .where('user_id', '=', actor.userId)
    .where('read_at', 'is', null);
  if (id !== null) query = query.where('id', '=', id);
  return Number((await query.executeTakeFirst()).numUpdatedRows);
}

export async function exists(db: Kysely<Database>, actor: Actor, id: number): Promise<boolean> {
  return (await mine(db, actor).select('id').where('id', '=', id).executeTakeFirst()) !== undefined;
}
