import { z } from 'zod';
import { listQuery, optionalText, queryId, recordId, text, versionField } from './common.ts';

/**
 * Tasks (docs/rhythm.md § Tasks): a title, an assignee, a due date in the workspace's
 * calendar, a status and the records it is about. Created by hand, from a visit review's next
 * steps, from 1-15-30 checkpoints and for callbacks. Pure zod: the web app imports the types.
 */
export const TASK_STATUSES = ['open', 'done', 'cancelled'] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];
export const TASK_SOURCES = ['manual', 'visit_review', 'checkpoint', 'callback'] as const;
export type TaskSource = (typeof TASK_SOURCES)[number];
/** Which tasks a list shows: mine (assigned to me), team (everyone's within my reach). */
export const TASK_SCOPES = ['mine', 'team'] as const;
/** Due filter relative to the workspace's today. */
export const TASK_DUE = ['overdue', 'today', 'week', 'later'] as const;

export const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD')
  .refine(
    (d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d),
    'must be a real date',
  )
  .meta({ format: 'date' });

export const taskSchema = z.object({
  id: z.number().int(),
  title: z.string(),
  notes: z.string().nullable(),
  dueDate: z.string().describe('calendar date in the workspace zone'),
  status: z.enum(TASK_STATUSES),
  source: z.enum(TASK_SOURCES),
  overdue: z.boolean().describe('open and due before today (workspace zone)'),
  assignee: z.object({ id: z.number().int(), name: z.string() }),
  createdBy: z.object({ id: z.number().int(), name: z.string() }).nullable(),
  account: z.object({ id: z.number().int(), name: z.string() }).nullable(),
  opportunity: z.object({ id: z.number().int(), name: z.string() }).nullable(),
  activityId: z.number().int().nullable(),
  completedAt: z.number().int().nullable(),
  createdAt: z.number().int(),
  version: z.number().int(),
  permissions: z.object({ edit: z.boolean(), reassign: z.boolean() }),
});

export const taskListQuery = listQuery(['dueDate', 'createdAt', 'title'], 'dueDate', {
  scope: z.enum(TASK_SCOPES).default('mine'),
  status: z.enum(TASK_STATUSES).optional(),
  due: z.enum(TASK_DUE).optional(),
  assigneeId: queryId.optional(),
  accountId: queryId.optional(),
  opportunityId: queryId.optional(),
});

export const taskListResponse = z.object({
  items: z.array(taskSchema),
  total: z.number().int(),
  today: z.string().describe("the workspace's today, the date `overdue` is judged by"),
});

export const createTaskRequest = z.strictObject({
  title: text(200),
  notes: optionalText(2000),
  dueDate: isoDate,
  assigneeId: recordId.optional().describe('default: the caller'),
  accountId: recordId.nullable().optional(),
  opportunityId: recordId.nullable().optional(),
});

export const updateTaskRequest = z.strictObject({
  version: versionField,
  title: text(200).optional(),
  notes: optionalText(2000),
  dueDate: isoDate.optional(),
});

export const reassignTaskRequest = z.strictObject({ version: versionField, assigneeId: recordId });
export const taskStatusRequest = z.strictObject({ version: versionField });

export type TaskDto = z.infer<typeof taskSchema>;
export type TaskListQuery = z.infer<typeof taskListQuery>;
export type TaskListResponse = z.infer<typeof taskListResponse>;
export type CreateTaskRequest = z.infer<typeof createTaskRequest>;
export type UpdateTaskRequest = z.infer<typeof updateTaskRequest>;
export type ReassignTaskRequest = z.infer<typeof reassignTaskRequest>;
