import { sql, type Expression, type Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { Tier } from '../../domain/accounts.ts';
import type { Actor } from '../../domain/policy.ts';

/**
 * The notification centre's queries (docs/rhythm.md § Notifications). The generator is one
 * INSERT … SELECT per kind and workspace, ON CONFLICT DO NOTHING on (workspace, user,
 * dedupe key): an occurrence is notified once however often, and in however many processes
 * at once, the job runs. The key names the occurrence — a task's due date, an account's last
 * follow-up, a deal's stay in a stage — so a new occurrence is notified again.
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

const count = (row: { numInsertedOrUpdatedRows?: bigint }[]) =>
  row.reduce((n, x) => n + Number(x.numInsertedOrUpdatedRows ?? 0n), 0);

/** Inserts the occurrences a SELECT finds (in COLUMNS order) that are not notified yet; how many were new. */
async function notifyNew(db: Kysely<Database>, occurrences: Expression<unknown>): Promise<number> {
  const result = await db
    .insertInto('notifications')
    .columns(COLUMNS)
    // Kysely checks an INSERT … SELECT only by position (ExpressionOrFactory<…, any>): nothing is lost by the cast.
    .expression(occurrences as never)
    .onConflict((oc) => oc.columns(['workspace_id', 'user_id', 'dedupe_key']).doNothing())
    .execute();
  return count(result);
}

/** Open tasks due today or earlier, to their assignee; a checkpoint's task is announced as the checkpoint. */
export async function notifyTasksDue(db: Kysely<Database>, workspaceId: number, today: string, now: number) {
  return notifyNew(
    db,
    db
      .selectFrom('tasks')
      .where('tasks.workspace_id', '=', workspaceId)
      .where('tasks.status', '=', 'open')
      .where('tasks.due_date', '<=', today)
      .where('tasks.source', '!=', 'checkpoint')
      .select((eb) => [
        'tasks.workspace_id',
        'tasks.assignee_id',
        sql.lit('task_due').as('kind'),
        sql<string>`'task_due:' || ${eb.ref('tasks.id')} || ':' || ${eb.ref('tasks.due_date')}`.as('dedupe_key'),
        sql.lit('task').as('subject_type'),
        'tasks.id',
        'tasks.title',
        'tasks.due_date',
        sql<number>`cast(${now} as bigint)`.as('created_at'),
      ]),
  );
}

/**
 * Accounts past their tier's follow-up interval (src/domain/cadence.ts), to their owner:
 * one statement per tier, with the instant before which the last follow-up is overdue.
 */
export async function notifyFollowUpsOverdue(
  db: Kysely<Database>,
  workspaceId: number,
  tier: Tier,
  overdueBefore: number,
  now: number,
) {
  return notifyNew(
    db,
    db
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
        sql.lit('follow_up_overdue').as('kind'),
        sql<string>`'follow_up:' || ${eb.ref('accounts.id')} || ':' || coalesce(${eb.ref('accounts.last_follow_up_at')}, ${eb.ref('accounts.created_at')})`.as(
          'dedupe_key',
        ),
        sql.lit('account').as('subject_type'),
        'accounts.id',
        'accounts.name',
        sql<null>`null`.as('due_date'),
        sql<number>`cast(${now} as bigint)`.as('created_at'),
      ]),
  );
}

/**
 * Open deals whose 15- or 30-day checkpoint has come (created before `enteredBefore`) and is
 * not reviewed yet, to their owner. `enteredAfter` bounds how far back: a checkpoint missed
 * long ago stays in the weekly review, it is not announced again on the first run.
 */
export async function notifyCheckpointsDue(
  db: Kysely<Database>,
  workspaceId: number,
  kind: 'day15' | 'day30',
  window: { enteredBefore: number; enteredAfter: number },
  now: number,
) {
  return notifyNew(
    db,
    db
      .selectFrom('opportunities')
      .where('opportunities.workspace_id', '=', workspaceId)
      .where('opportunities.status', '=', 'open')
      .where('opportunities.created_at', '<', window.enteredBefore)
      .where('opportunities.created_at', '>=', window.enteredAfter)
      .where((eb) =>
        eb.not(
          eb.exists(
            eb
              .selectFrom('checkpoint_reviews as c')
              .select(eb.lit(1).as('one'))
              .where('c.workspace_id', '=', workspaceId)
              .whereRef('c.opportunity_id', '=', 'opportunities.id')
              .where('c.kind', '=', kind),
          ),
        ),
      )
      .select((eb) => [
        'opportunities.workspace_id',
        'opportunities.owner_id',
        sql.lit(kind === 'day15' ? 'checkpoint_day15' : 'checkpoint_day30').as('kind'),
        sql<string>`'checkpoint:' || ${eb.ref('opportunities.id')} || ':' || ${kind}`.as('dedupe_key'),
        sql.lit('opportunity').as('subject_type'),
        'opportunities.id',
        'opportunities.name',
        sql<null>`null`.as('due_date'),
        sql<number>`cast(${now} as bigint)`.as('created_at'),
      ]),
  );
}

/** Open deals in their stage longer than its expected days × the stall factor (the board's "stalled"), to their owner, once per stay in a stage. */
export async function notifyStalledDeals(
  db: Kysely<Database>,
  workspaceId: number,
  now: number,
  stalledFactorPercent: number,
) {
  const stalledDayMs = stalledFactorPercent * 864_000;
  return notifyNew(
    db,
    db
      .selectFrom('opportunities')
      .innerJoin('process_stages as stage', 'stage.id', 'opportunities.stage_id')
      .where('opportunities.workspace_id', '=', workspaceId)
      .where('opportunities.status', '=', 'open')
      .where('stage.expected_days', '>', 0)
      .where('opportunities.stage_entered_at', 'is not', null)
      .where(
        sql<boolean>`opportunities.stage_entered_at + stage.expected_days * cast(${stalledDayMs} as bigint) < ${now}`,
      )
      .select((eb) => [
        'opportunities.workspace_id',
        'opportunities.owner_id',
        sql.lit('deal_stalled').as('kind'),
        sql<string>`'stalled:' || ${eb.ref('opportunities.id')} || ':' || ${eb.ref('opportunities.stage_entered_at')}`.as(
          'dedupe_key',
        ),
        sql.lit('opportunity').as('subject_type'),
        'opportunities.id',
        'opportunities.name',
        sql<null>`null`.as('due_date'),
        sql<number>`cast(${now} as bigint)`.as('created_at'),
      ]),
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
