import { sql, type Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { Actor, UnitReach } from '../../domain/policy.ts';
import { callbacksWithinReach, subtreePattern } from '../scope.ts';

/** Every query of the callback audit (docs/rhythm.md § Callback audit); reads are scoped by callbacksWithinReach. */

/**
 * The logged visits of a month whose owner sits within the actor's reach (a manager: their
 * subtree), oldest first. Planned, cancelled and archived visits are not "logged".
 */
export async function visitsOfMonth(
  db: Kysely<Database>,
  workspaceId: number,
  reach: UnitReach,
  from: number,
  to: number,
) {
  return visitsOfMonthQuery(db, workspaceId, reach, from, to)
    .select(['activities.id', 'activities.account_id', 'activities.owner_id', 'owner.name as owner_name'])
    .orderBy('activities.start_at')
    .orderBy('activities.id')
    .execute();
}

/** Whether the month has any such visit: one row read, where the visits themselves are seconds at the scale set. */
export async function anyVisitOfMonth(
  db: Kysely<Database>,
  workspaceId: number,
  reach: UnitReach,
  from: number,
  to: number,
): Promise<boolean> {
  const row = await visitsOfMonthQuery(db, workspaceId, reach, from, to)
    .select('activities.id')
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

function visitsOfMonthQuery(db: Kysely<Database>, workspaceId: number, reach: UnitReach, from: number, to: number) {
  let query = db
    .selectFrom('activities')
    .innerJoin('users as owner', (join) =>
      join.onRef('owner.id', '=', 'activities.owner_id').onRef('owner.workspace_id', '=', 'activities.workspace_id'),
    )
    .innerJoin('org_units', 'org_units.id', 'owner.org_unit_id')
    .where('activities.workspace_id', '=', workspaceId)
    .where('activities.type', '=', 'visit')
    .where('activities.status', '=', 'done')
    .where('activities.archived_at', 'is', null)
    .where('activities.start_at', '>=', from)
    .where('activities.start_at', '<', to);
  if (reach.kind === 'subtree') query = query.where('org_units.path', 'like', `${reach.path}%`);
  if (reach.kind === 'unit') query = query.where('org_units.id', '=', reach.unitId);
  return query;
}

/** Which of these reps' months have been drawn already (a rep's month is drawn once). */
export async function repsDrawn(db: Kysely<Database>, workspaceId: number, period: string, repIds: number[]) {
  if (repIds.length === 0) return new Set<number>();
  const rows = await db
    .selectFrom('callbacks')
    .select('rep_id')
    .distinct()
    .where('workspace_id', '=', workspaceId)
    .where('period', '=', period)
    .where('rep_id', 'in', repIds)
    .execute();
  return new Set(rows.map((r) => r.rep_id));
}

/** An active auditor of the workspace: the one named, or the first. */
export async function activeAuditor(db: Kysely<Database>, workspaceId: number, userId: number | undefined) {
  let query = db
    .selectFrom('users')
    .select(['id', 'name'])
    .where('workspace_id', '=', workspaceId)
    .where('role', '=', 'auditor')
    .where('active', '=', 1);
  if (userId !== undefined) query = query.where('id', '=', userId);
  return query.orderBy('id').limit(1).executeTakeFirst();
}

export interface NewCallback {
  period: string;
  repId: number;
  activityId: number;
  accountId: number;
}

/**
 * Inserts the drawn callbacks; a visit that already has one (two draws racing) is skipped by
 * the unique (workspace, activity) key. Returns the rows inserted.
 */
export async function insertCallbacks(
  db: Kysely<Database>,
  workspaceId: number,
  auditorId: number,
  rows: NewCallback[],
  now: number,
) {
  const inserted: { id: number; activity_id: number; account_id: number }[] = [];
  for (let i = 0; i < rows.length; i += 200) {
    inserted.push(
      ...(await db
        .insertInto('callbacks')
        .values(
          rows.slice(i, i + 200).map((row) => ({
            workspace_id: workspaceId,
            period: row.period,
            rep_id: row.repId,
            activity_id: row.activityId,
            account_id: row.accountId,
            auditor_id: auditorId,
            created_at: now,
            version: 1,
          })),
        )
        .onConflict((oc) => oc.columns(['workspace_id', 'activity_id']).doNothing())
        .returning(['id', 'activity_id', 'account_id'])
        .execute()),
    );
  }
  return inserted;
}

/** Names of accounts, for the callback tasks' titles. */
export async function accountNames(db: Kysely<Database>, workspaceId: number, ids: number[]) {
  if (ids.length === 0) return new Map<number, string>();
  const rows = await db
    .selectFrom('accounts')
    .select(['id', 'name'])
    .where('workspace_id', '=', workspaceId)
    .where('id', 'in', [...new Set(ids)])
    .execute();
  return new Map(rows.map((r) => [r.id, r.name]));
}

/** Links each new callback to the task made for it (source key `callback:<activity>`), in one statement. */
export async function linkTasks(db: Kysely<Database>, workspaceId: number, ids: number[]) {
  for (let i = 0; i < ids.length; i += 500)
    await db
      .updateTable('callbacks')
      .set((eb) => ({
        task_id: eb
          .selectFrom('tasks')
          .select('tasks.id')
          .where('tasks.workspace_id', '=', workspaceId)
          .where('tasks.source_key', '=', sql<string>`'callback:' || ${eb.ref('callbacks.activity_id')}`),
      }))
      .where('workspace_id', '=', workspaceId)
      .where('id', 'in', ids.slice(i, i + 500))
      .execute();
}

function visible(db: Kysely<Database>, actor: Actor) {
  return db
    .selectFrom('callbacks')
    .innerJoin('users as rep', (join) =>
      join.onRef('rep.id', '=', 'callbacks.rep_id').onRef('rep.workspace_id', '=', 'callbacks.workspace_id'),
    )
    .innerJoin('org_units', 'org_units.id', 'rep.org_unit_id')
    .where(callbacksWithinReach(actor));
}

export interface CallbackFilter {
  /** One callback (the answer's reply). */
  id?: number | undefined;
  period?: string | undefined;
  repId?: number | undefined;
  state?: string | undefined;
  limit: number;
  offset: number;
  sort: { column: 'visitAt' | 'answeredAt'; desc: boolean };
}

export async function listCallbacks(db: Kysely<Database>, actor: Actor, filter: CallbackFilter) {
  let query = visible(db, actor)
    .innerJoin('activities', (join) =>
      join
        .onRef('activities.id', '=', 'callbacks.activity_id')
        .onRef('activities.workspace_id', '=', 'callbacks.workspace_id'),
    )
    .innerJoin('accounts', (join) =>
      join
        .onRef('accounts.id', '=', 'callbacks.account_id')
        .onRef('accounts.workspace_id', '=', 'callbacks.workspace_id'),
    )
    .innerJoin('users as auditor', 'auditor.id', 'callbacks.auditor_id');
  if (filter.id !== undefined) query = query.where('callbacks.id', '=', filter.id);
  if (filter.period !== undefined) query = query.where('callbacks.period', '=', filter.period);
  if (filter.repId !== undefined) query = query.where('callbacks.rep_id', '=', filter.repId);
  if (filter.state !== undefined) {
    query =
      filter.state === 'open'
        ? query.where('callbacks.outcome', 'is', null)
        : query.where('callbacks.outcome', '=', filter.state);
  }
  const dir = filter.sort.desc ? 'desc' : 'asc';
  const [items, total] = await Promise.all([
    query
      .select([
        'callbacks.id',
        'callbacks.period',
        'callbacks.activity_id',
        'callbacks.account_id',
        'callbacks.rep_id',
        'callbacks.auditor_id',
        'callbacks.outcome',
        'callbacks.feedback',
        'callbacks.answered_at',
        'callbacks.version',
        'activities.start_at',
        'activities.subject',
        'accounts.name as account_name',
        'accounts.city',
        'rep.name as rep_name',
        'auditor.name as auditor_name',
      ])
      .orderBy(filter.sort.column === 'answeredAt' ? 'callbacks.answered_at' : 'activities.start_at', dir)
      .orderBy('callbacks.id', dir)
      .limit(filter.limit)
      .offset(filter.offset)
      .execute(),
    query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { items, total: Number(total.n) };
}
export type CallbackRow = Awaited<ReturnType<typeof listCallbacks>>['items'][number];

/**
 * Who to phone for each callback: the contacts the visit named; for a visit that named none,
 * the account's (at most three). Archived contacts are left out.
 */
export async function contactsFor(
  db: Kysely<Database>,
  workspaceId: number,
  rows: readonly { id: number; activity_id: number; account_id: number }[],
) {
  const columns = ['contacts.id', 'contacts.name', 'contacts.title', 'contacts.mobile', 'contacts.phone'] as const;
  const byActivity = new Map<
    number,
    { id: number; name: string; title: string | null; mobile: string | null; phone: string | null }[]
  >();
  if (rows.length === 0) return byActivity;
  const named = await db
    .selectFrom('activity_contacts')
    .innerJoin('contacts', 'contacts.id', 'activity_contacts.contact_id')
    .select(['activity_contacts.activity_id', ...columns])
    .where('activity_contacts.workspace_id', '=', workspaceId)
    .where(
      'activity_contacts.activity_id',
      'in',
      rows.map((r) => r.activity_id),
    )
    .where('contacts.archived_at', 'is', null)
    .orderBy('contacts.id')
    .execute();
  for (const { activity_id: activityId, ...contact } of named)
    byActivity.set(activityId, [...(byActivity.get(activityId) ?? []), contact]);
  const without = rows.filter((r) => !byActivity.has(r.activity_id));
  if (without.length > 0) {
    const ofAccounts = await db
      .selectFrom('contacts')
      .select(['contacts.account_id', ...columns])
      .where('contacts.workspace_id', '=', workspaceId)
      .where(
        'contacts.account_id',
        'in',
        without.map((r) => r.account_id),
      )
      .where('contacts.archived_at', 'is', null)
      .orderBy('contacts.id')
      .execute();
    for (const row of without) {
      const list = ofAccounts.filter((c) => c.account_id === row.account_id).slice(0, 3);
      byActivity.set(
        row.activity_id,
        list.map(({ account_id: _account, ...contact }) => contact),
      );
    }
  }
  return byActivity;
}

/** One callback within reach, with what answering it needs. */
export async function getCallback(db: Kysely<Database>, actor: Actor, id: number) {
  return visible(db, actor)
    .innerJoin('accounts', (join) =>
      join
        .onRef('accounts.id', '=', 'callbacks.account_id')
        .onRef('accounts.workspace_id', '=', 'callbacks.workspace_id'),
    )
    .select([
      'callbacks.id',
      'callbacks.period',
      'callbacks.activity_id',
      'callbacks.rep_id',
      'callbacks.auditor_id',
      'callbacks.outcome',
      'callbacks.version',
      'accounts.name as account_name',
      'org_units.path as rep_unit_path',
    ])
    .where('callbacks.id', '=', id)
    .executeTakeFirst();
}

/** Records the answer once: only an open callback at the version read changes. */
export async function answerCallback(
  db: Kysely<Database>,
  workspaceId: number,
  id: number,
  version: number,
  answer: { outcome: string; feedback: string | null; now: number },
): Promise<boolean> {
  const result = await db
    .updateTable('callbacks')
    .set({ outcome: answer.outcome, feedback: answer.feedback, answered_at: answer.now, version: version + 1 })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .where('version', '=', version)
    .where('outcome', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/**
 * The rep's managers: the active managers of the nearest unit at or above the rep's that has
 * any (a branch GM for a rep of one of its departments), so a flag goes to one level, not to
 * every level up to the group.
 */
export async function nearestManagers(db: Kysely<Database>, workspaceId: number, repUnitPath: string) {
  const rows = await db
    .selectFrom('users')
    .innerJoin('org_units', 'org_units.id', 'users.org_unit_id')
    .select(['users.id', 'org_units.path'])
    .where('users.workspace_id', '=', workspaceId)
    .where('users.role', '=', 'manager')
    .where('users.active', '=', 1)
    .where(sql<boolean>`${repUnitPath} like ${sql.ref('org_units.path')} || '%'`)
    .execute();
  const depth = Math.max(0, ...rows.map((r) => r.path.length));
  return rows.filter((r) => r.path.length === depth).map((r) => r.id);
}

/** Per rep within reach: callbacks drawn in the month and how they were answered, one grouped statement. */
export async function ratesPerRep(db: Kysely<Database>, actor: Actor, period: string, orgUnitId?: number) {
  let query = visible(db, actor).where('callbacks.period', '=', period);
  if (orgUnitId !== undefined)
    query = query.where('org_units.path', 'like', await subtreePattern(db, actor.workspaceId, orgUnitId));
  const count = (outcome: string) => sql<number>`sum(case when callbacks.outcome = ${outcome} then 1 else 0 end)`;
  return query
    .select([
      'rep.id as rep_id',
      'rep.name as rep_name',
      'org_units.name as unit_name',
      (eb) => eb.fn.countAll<number>().as('drawn'),
      sql<number>`sum(case when callbacks.outcome is null then 1 else 0 end)`.as('open'),
      count('confirmed').as('confirmed'),
      count('not_confirmed').as('not_confirmed'),
      count('feedback').as('feedback'),
    ])
    .groupBy(['rep.id', 'rep.name', 'org_units.name'])
    .orderBy('rep.name')
    .orderBy('rep.id')
    .execute();
}

/** The answered callback of an activity, for the activity's page (null while it is open or there is none). */
export async function answeredCallbackOf(db: Kysely<Database>, workspaceId: number, activityId: number) {
  return db
    .selectFrom('callbacks')
    .select(['id', 'outcome', 'feedback', 'answered_at'])
    .where('workspace_id', '=', workspaceId)
    .where('activity_id', '=', activityId)
    .where('outcome', 'is not', null)
    .executeTakeFirst();
}

/** Every workspace, for the monthly draw (./scheduled.ts). */
export async function workspaceIds(db: Kysely<Database>) {
  return (await db.selectFrom('workspaces').select('id').orderBy('id').execute()).map((w) => w.id);
}
