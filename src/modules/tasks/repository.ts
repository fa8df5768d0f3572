import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { Actor } from '../../domain/policy.ts';
import { tasksWithinReach } from '../scope.ts';

/** Every query of the tasks area; reads are scoped by tasksWithinReach (src/modules/scope.ts). */

export interface NewTask {
  workspaceId: number;
  title: string;
  notes?: string | null | undefined;
  assigneeId: number;
  createdBy: number | null;
  dueDate: string;
  source: string;
  sourceKey?: string | null | undefined;
  accountId?: number | null | undefined;
  opportunityId?: number | null | undefined;
  activityId?: number | null | undefined;
  now: number;
}

const values = (task: NewTask) => ({
  workspace_id: task.workspaceId,
  title: task.title,
  notes: task.notes ?? null,
  assignee_id: task.assigneeId,
  created_by: task.createdBy,
  due_date: task.dueDate,
  status: 'open',
  source: task.source,
  source_key: task.sourceKey ?? null,
  account_id: task.accountId ?? null,
  opportunity_id: task.opportunityId ?? null,
  activity_id: task.activityId ?? null,
  created_at: task.now,
  updated_at: task.now,
  version: 1,
});

export async function insertTask(db: Kysely<Database>, task: NewTask): Promise<number> {
  return (await db.insertInto('tasks').values(values(task)).returning('id').executeTakeFirstOrThrow()).id;
}

/**
 * Inserts generated tasks once: a row whose source_key the workspace already has is skipped
 * (ON CONFLICT DO NOTHING on the unique key), so a generator may run again safely.
 * Returns the ids of the rows inserted.
 */
export async function insertTasksOnce(db: Kysely<Database>, tasks: NewTask[]): Promise<number[]> {
  const ids: number[] = [];
  for (let i = 0; i < tasks.length; i += 200) {
    const rows = await db
      .insertInto('tasks')
      .values(tasks.slice(i, i + 200).map(values))
      .onConflict((oc) => oc.columns(['workspace_id', 'source_key']).doNothing())
      .returning('id')
      .execute();
    ids.push(...rows.map((r) => r.id));
  }
  return ids;
}

function visible(db: Kysely<Database>, actor: Actor) {
  return db
    .selectFrom('tasks')
    .innerJoin('users as assignee', 'assignee.id', 'tasks.assignee_id')
    .innerJoin('org_units', 'org_units.id', 'assignee.org_unit_id')
    .leftJoin('users as creator', 'creator.id', 'tasks.created_by')
    .leftJoin('accounts', 'accounts.id', 'tasks.account_id')
    .leftJoin('opportunities', 'opportunities.id', 'tasks.opportunity_id')
    .where(tasksWithinReach(actor));
}

const columns = [
  'tasks.id',
  'tasks.title',
  'tasks.notes',
  'tasks.due_date',
  'tasks.status',
  'tasks.source',
  'tasks.assignee_id',
  'tasks.created_by',
  'tasks.account_id',
  'tasks.opportunity_id',
  'tasks.activity_id',
  'tasks.completed_at',
  'tasks.created_at',
  'tasks.version',
  'assignee.name as assignee_name',
  'org_units.path as assignee_unit_path',
  'creator.name as creator_name',
  'accounts.name as account_name',
  'opportunities.name as opportunity_name',
] as const;

export type TaskRow = Awaited<ReturnType<typeof getTask>> & object;

export async function getTask(db: Kysely<Database>, actor: Actor, id: number) {
  return visible(db, actor).select(columns).where('tasks.id', '=', id).executeTakeFirst();
}

export interface TaskFilter {
  assigneeId?: number | undefined;
  status?: string | undefined;
  /** Due dates in [from, to] (either end open). */
  dueFrom?: string | undefined;
  dueTo?: string | undefined;
  accountId?: number | undefined;
  opportunityId?: number | undefined;
  limit: number;
  offset: number;
  sort: { column: 'dueDate' | 'createdAt' | 'title'; desc: boolean };
}

const SORT = { dueDate: 'tasks.due_date', createdAt: 'tasks.created_at', title: 'tasks.title' } as const;

export async function listTasks(db: Kysely<Database>, actor: Actor, filter: TaskFilter) {
  let query = visible(db, actor);
  if (filter.assigneeId !== undefined) query = query.where('tasks.assignee_id', '=', filter.assigneeId);
  if (filter.status !== undefined) query = query.where('tasks.status', '=', filter.status);
  if (filter.dueFrom !== undefined) query = query.where('tasks.due_date', '>=', filter.dueFrom);
  if (filter.dueTo !== undefined) query = query.where('tasks.due_date', '<=', filter.dueTo);
  if (filter.accountId !== undefined) query = query.where('tasks.account_id', '=', filter.accountId);
  if (filter.opportunityId !== undefined) query = query.where('tasks.opportunity_id', '=', filter.opportunityId);
  const dir = filter.sort.desc ? 'desc' : 'asc';
  const [items, total] = await Promise.all([
    query
      .select(columns)
      .orderBy(SORT[filter.sort.column], dir)
      .orderBy('tasks.id', dir)
      .limit(filter.limit)
      .offset(filter.offset)
      .execute(),
    query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { items, total: Number(total.n) };
}

export async function setStatus(
  db: Kysely<Database>,
  workspaceId: number,
  id: number,
  version: number,
  status: 'open' | 'done' | 'cancelled',
  by: number,
  now: number,
) {
  const result = await db
    .updateTable('tasks')
    .set({
      status,
      completed_at: status === 'done' ? now : null,
      completed_by: status === 'done' ? by : null,
      updated_at: now,
      version: version + 1,
    })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** A user's open tasks (handover inventory, docs/archive.md). */
export async function openTaskIds(db: Kysely<Database>, workspaceId: number, userId: number): Promise<number[]> {
  const rows = await db
    .selectFrom('tasks')
    .select('id')
    .where('workspace_id', '=', workspaceId)
    .where('assignee_id', '=', userId)
    .where('status', '=', 'open')
    .orderBy('id')
    .execute();
  return rows.map((r) => r.id);
}

/** Moves tasks to another assignee (handover), inside the caller's transaction. */
export async function moveTasks(
  db: Kysely<Database>,
  workspaceId: number,
  ids: number[],
  toUserId: number,
  now: number,
) {
  for (let i = 0; i < ids.length; i += 500) {
    await db
      .updateTable('tasks')
      .set((eb) => ({ assignee_id: toUserId, updated_at: now, version: eb('version', '+', 1) }))
      .where('workspace_id', '=', workspaceId)
      .where('id', 'in', ids.slice(i, i + 500))
      .execute();
  }
}

/** Closes the open task a generator made (a callback answered), by its key. */
export async function completeBySourceKey(
  db: Kysely<Database>,
  workspaceId: number,
  sourceKey: string,
  by: number,
  now: number,
) {
  await db
    .updateTable('tasks')
    .set((eb) => ({
      status: 'done',
      completed_at: now,
      completed_by: by,
      updated_at: now,
      version: eb('version', '+', 1),
    }))
    .where('workspace_id', '=', workspaceId)
    .where('source_key', '=', sourceKey)
    .where('status', '=', 'open')
    .execute();
}
