import type { Kysely } from 'kysely';
import type { Db } from '../../db/database.ts';
import type { Database } from '../../db/schema.ts';
import { inTransaction } from '../../db/transaction.ts';
import { addDays, dateIn, mondayOf } from '../../domain/calendar.ts';
import { can, taskRights, type Actor } from '../../domain/policy.ts';
import type { Role } from '../../domain/roles.ts';
import type {
  CreateTaskRequest,
  TaskDto,
  TaskListQuery,
  TaskSource,
  TaskStatus,
  UpdateTaskRequest,
} from '../../contracts/tasks.ts';
import { AppError, forbidden, invalid, notFound, staleVersion } from '../../server/problem.ts';
import { requireAccount } from '../accounts/service.ts';
import { recordAudit } from '../audit/repository.ts';
import { requireOpportunity } from '../opportunities/read.ts';
import { assignableUser } from '../users/service.ts';
import { updateVersioned } from '../versioned.ts';
import { loadRules } from '../workspace/service.ts';
import * as repo from './repository.ts';

/** Tasks (docs/rhythm.md § Tasks): by hand, from visit reviews, checkpoints and callbacks. */

async function today(db: Kysely<Database>, actor: Actor): Promise<string> {
  const { calendar } = await loadRules(db, actor);
  return dateIn(actor.now, calendar.timeZone);
}

export function toTaskDto(actor: Actor, row: repo.TaskRow, todayDate: string): TaskDto {
  const rights = taskRights(actor, {
    assigneeId: row.assignee_id,
    createdBy: row.created_by,
    assigneeUnitPath: row.assignee_unit_path,
  });
  return {
    id: row.id,
    title: row.title,
    notes: row.notes,
    dueDate: row.due_date,
    status: row.status as TaskStatus,
    source: row.source as TaskSource,
    overdue: row.status === 'open' && row.due_date < todayDate,
    assignee: { id: row.assignee_id, name: row.assignee_name },
    createdBy:
      row.created_by !== null && row.creator_name !== null ? { id: row.created_by, name: row.creator_name } : null,
    account:
      row.account_id !== null && row.account_name !== null ? { id: row.account_id, name: row.account_name } : null,
    opportunity:
      row.opportunity_id !== null && row.opportunity_name !== null
        ? { id: row.opportunity_id, name: row.opportunity_name }
        : null,
    activityId: row.activity_id,
    completedAt: row.completed_at === null ? null : Number(row.completed_at),
    createdAt: Number(row.created_at),
    version: row.version,
    permissions: rights,
  };
}

/** The due window a `due` filter names, from the workspace's today (Monday weeks). */
function dueWindow(due: TaskListQuery['due'], todayDate: string): { dueFrom?: string; dueTo?: string } {
  switch (due) {
    case 'overdue':
      return { dueTo: addDays(todayDate, -1) };
    case 'today':
      return { dueFrom: todayDate, dueTo: todayDate };
    case 'week':
      return { dueFrom: todayDate, dueTo: addDays(mondayOf(todayDate), 6) };
    case 'later':
      return { dueFrom: addDays(mondayOf(todayDate), 7) };
    default:
      return {};
  }
}

export async function listTasks(db: Db, actor: Actor, query: TaskListQuery) {
  const todayDate = await today(db.kysely, actor);
  const window = dueWindow(query.due, todayDate);
  // An overdue task is an open one; "mine" is what is assigned to me, whoever created it.
  const status = query.due === 'overdue' ? 'open' : query.status;
  const { items, total } = await repo.listTasks(db.kysely, actor, {
    ...window,
    status,
    assigneeId: query.scope === 'mine' ? actor.userId : query.assigneeId,
    accountId: query.accountId,
    opportunityId: query.opportunityId,
    limit: query.limit,
    offset: query.offset,
    sort: query.sort,
  });
  return { items: items.map((r) => toTaskDto(actor, r, todayDate)), total, today: todayDate };
}

async function requireTask(db: Kysely<Database>, actor: Actor, id: number): Promise<repo.TaskRow> {
  const task = await repo.getTask(db, actor, id);
  if (!task) throw notFound('Task');
  return task;
}

export async function getTask(db: Db, actor: Actor, id: number) {
  const [task, todayDate] = await Promise.all([requireTask(db.kysely, actor, id), today(db.kysely, actor)]);
  return toTaskDto(actor, task, todayDate);
}

/** The records a task links to must be ones the caller sees (400 naming the field otherwise), and a deal must be of the account. */
async function checkLinks(
  db: Db,
  actor: Actor,
  input: { accountId?: number | null | undefined; opportunityId?: number | null | undefined },
) {
  let accountId = input.accountId ?? null;
  if (accountId !== null) {
    try {
      await requireAccount(db, actor, accountId);
    } catch (error) {
      if (error instanceof AppError && error.status === 404)
        throw invalid('accountId', { code: 'not_found', params: { id: accountId } }, `no account with id ${accountId}`);
      throw error;
    }
  }
  const opportunityId = input.opportunityId ?? null;
  if (opportunityId !== null) {
    let opp;
    try {
      opp = await requireOpportunity(db, actor, opportunityId);
    } catch (error) {
      if (error instanceof AppError && error.status === 404)
        throw invalid(
          'opportunityId',
          { code: 'not_found', params: { id: opportunityId } },
          `no opportunity with id ${opportunityId}`,
        );
      throw error;
    }
    if (accountId !== null && opp.account_id !== accountId)
      throw invalid('opportunityId', { code: 'not_of_account' }, 'the opportunity is not one of the account');
    accountId = opp.account_id;
  }
  return { accountId, opportunityId };
}

/** Someone the actor may give a task to: themselves, or an active user within their reach who can read tasks. */
async function assignee(db: Db, actor: Actor, userId: number | undefined, field: string): Promise<number> {
  if (userId === undefined || userId === actor.userId) return actor.userId;
  const user = await assignableUser(db, actor, userId, field);
  if (!can({ role: user.role as Role, exportGranted: false }, 'tasks.read'))
    throw invalid(field, { code: 'not_in_reach', params: { id: userId } }, `user ${userId} does not work with tasks`);
  return user.id;
}

export async function createTask(db: Db, actor: Actor, input: CreateTaskRequest, ip: string | null) {
  if (!can(actor, 'tasks.write')) throw forbidden('You cannot create tasks');
  const assigneeId = await assignee(db, actor, input.assigneeId, 'assigneeId');
  const links = await checkLinks(db, actor, input);
  const id = await inTransaction(db.kysely, async (trx) => {
    const taskId = await repo.insertTask(trx, {
      workspaceId: actor.workspaceId,
      title: input.title,
      notes: input.notes,
      assigneeId,
      createdBy: actor.userId,
      dueDate: input.dueDate,
      source: 'manual',
      ...links,
      now: actor.now,
    });
    await recordAudit(
      trx,
      {
        workspaceId: actor.workspaceId,
        actorUserId: actor.userId,
        action: 'task.create',
        targetType: 'task',
        targetId: taskId,
        ip,
        detail: { assigneeId },
      },
      actor.now,
    );
    return taskId;
  });
  return getTask(db, actor, id);
}

async function editable(db: Db, actor: Actor, id: number, right: 'edit' | 'reassign') {
  const task = await requireTask(db.kysely, actor, id);
  const rights = taskRights(actor, {
    assigneeId: task.assignee_id,
    createdBy: task.created_by,
    assigneeUnitPath: task.assignee_unit_path,
  });
  if (!rights[right])
    throw forbidden('Only the assignee, the creator or a manager over the assignee changes this task');
  return task;
}

export async function updateTask(db: Db, actor: Actor, id: number, patch: UpdateTaskRequest) {
  await editable(db, actor, id, 'edit');
  await updateVersioned(
    db.kysely,
    'tasks',
    'Task',
    { workspaceId: actor.workspaceId, id, version: patch.version },
    {
      ...(patch.title !== undefined ? { title: patch.title } : {}),
      ...(patch.notes !== undefined ? { notes: patch.notes } : {}),
      ...(patch.dueDate !== undefined ? { due_date: patch.dueDate } : {}),
      updated_at: actor.now,
    },
  );
  return getTask(db, actor, id);
}

export async function setTaskStatus(db: Db, actor: Actor, id: number, version: number, status: TaskStatus) {
  const task = await editable(db, actor, id, 'edit');
  if (task.version !== version) throw staleVersion('Task', task.version);
  if (!(await repo.setStatus(db.kysely, actor.workspaceId, id, version, status, actor.userId, actor.now)))
    throw staleVersion('Task', (await requireTask(db.kysely, actor, id)).version);
  return getTask(db, actor, id);
}

export async function reassignTask(
  db: Db,
  actor: Actor,
  id: number,
  input: { version: number; assigneeId: number },
  ip: string | null,
) {
  const task = await editable(db, actor, id, 'reassign');
  const to = await assignee(db, actor, input.assigneeId, 'assigneeId');
  await inTransaction(db.kysely, async (trx) => {
    await updateVersioned(
      trx,
      'tasks',
      'Task',
      { workspaceId: actor.workspaceId, id, version: input.version },
      { assignee_id: to, updated_at: actor.now },
    );
    await recordAudit(
      trx,
      {
        workspaceId: actor.workspaceId,
        actorUserId: actor.userId,
        action: 'task.reassign',
        targetType: 'task',
        targetId: id,
        ip,
        detail: { from: task.assignee_id, to },
      },
      actor.now,
    );
  });
  return getTask(db, actor, id);
}

/** A task another area creates (a visit review's next step, a checkpoint, a callback). */
export interface GeneratedTask {
  title: string;
  notes?: string | null | undefined;
  /** Default: the actor. */
  assigneeId?: number | undefined;
  dueDate: string;
  source: Exclude<TaskSource, 'manual'>;
  /** Makes the creation idempotent: a second task with the same key in the workspace is not created. */
  sourceKey?: string | undefined;
  accountId?: number | null | undefined;
  opportunityId?: number | null | undefined;
  activityId?: number | null | undefined;
}

/**
 * Creates tasks inside the caller's transaction (`trx`), for another area's use case — the
 * activities area turns a visit review's next steps into tasks with it, in the review's own
 * transaction, so a failed review leaves no tasks behind. The caller has already checked
 * that the actor may see the linked records and that the assignees are theirs to give work
 * to; this function does not repeat those reads. Returns the ids created (tasks whose
 * sourceKey already exists are skipped). A job creates with `userId: null` (no creator) and
 * names every assignee.
 */
export async function createTasksInTransaction(
  trx: Kysely<Database>,
  actor: { workspaceId: number; userId: number | null; now: number },
  tasks: readonly GeneratedTask[],
): Promise<number[]> {
  if (tasks.length === 0) return [];
  return repo.insertTasksOnce(
    trx,
    tasks.map((task) => ({
      workspaceId: actor.workspaceId,
      ...task,
      assigneeId: task.assigneeId ?? actor.userId ?? 0,
      createdBy: actor.userId,
      sourceKey: task.sourceKey ?? null,
      now: actor.now,
    })),
  );
}

/** Closes the open task a generator made, by its source key, in the caller's transaction (a checkpoint reviewed, a callback answered). */
export async function completeGeneratedTask(
  trx: Kysely<Database>,
  actor: Pick<Actor, 'workspaceId' | 'userId' | 'now'>,
  sourceKey: string,
): Promise<void> {
  await repo.completeBySourceKey(trx, actor.workspaceId, sourceKey, actor.userId, actor.now);
}
