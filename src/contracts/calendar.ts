import { z } from 'zod';
import { ACTIVITY_TYPES } from '../domain/activities.ts';
import { queryBool, queryId, queryInt } from './common.ts';
import { isoDate } from './tasks.ts';

/**
 * The calendar (docs/rhythm.md § Calendar): planned activities and tasks by day, for one person
 * or a manager's whole team, and the per-user iCalendar feed. Dates are calendar dates of the
 * workspace's zone; instants epoch milliseconds.
 */
export const CALENDAR_MAX_DAYS = 42;
/** More entries than a page can show sensibly; the answer says it was cut (`truncated`). */
export const CALENDAR_MAX_ENTRIES = 1000;

export const calendarQuery = z.strictObject({
  from: isoDate.describe('the first day shown (workspace zone)'),
  days: queryInt(z.number().int().min(1).max(CALENDAR_MAX_DAYS)).default(7),
  userId: queryId
    .optional()
    .describe("one person's calendar (default: the caller's own); 404 outside the caller's reach"),
  team: queryBool.describe("everyone within the caller's reach (a manager: their subtree); not for reps"),
});

const named = z.object({ id: z.number().int(), name: z.string() });

export const calendarEntrySchema = z.object({
  kind: z.enum(['activity', 'task']),
  id: z.number().int(),
  date: z.string().describe('the day it stands on (workspace zone)'),
  title: z.string().describe("a task's title; an activity's subject (empty when it has none)"),
  activityType: z.enum(ACTIVITY_TYPES).nullable(),
  startAt: z.number().int().nullable().describe('activities: when it starts'),
  endAt: z.number().int().nullable(),
  location: z.string().nullable(),
  status: z.enum(['planned', 'open', 'done']).describe('activities are planned; tasks open or done'),
  overdue: z.boolean().describe('a task open past its due date; an activity still planned after its start'),
  hasPlan: z.boolean().describe('a visit with a visit plan'),
  person: named.describe("the activity's owner or the task's assignee"),
  account: named.nullable(),
  opportunity: named.nullable(),
});

export const calendarResponse = z.object({
  from: z.string(),
  to: z.string().describe('the last day shown'),
  today: z.string().describe("the workspace's today"),
  timeZone: z.string(),
  entries: z.array(calendarEntrySchema).describe('by day, then time (tasks after timed activities)'),
  truncated: z.boolean().describe(`more than ${CALENDAR_MAX_ENTRIES} entries: narrow to a person or fewer days`),
});

export const calendarFeedSchema = z.object({
  active: z.boolean(),
  createdAt: z.number().int().nullable(),
  lastUsedAt: z.number().int().nullable(),
});

export const createdFeedSchema = z.object({
  path: z.string().describe('the feed address under this server, with its token: shown once, only its hash is kept'),
  createdAt: z.number().int(),
});

export const feedParams = z.strictObject({
  file: z
    .string()
    .regex(/^[A-Za-z0-9_-]{43}\.ics$/, 'must be a feed token followed by .ics')
    .describe('the token, then .ics'),
});

export const ICS_MEDIA_TYPE = 'text/calendar';
export const icsResponse = {
  200: {
    description: 'planned activities (VEVENT) and open tasks (VTODO) of the token’s user',
    content: { [ICS_MEDIA_TYPE]: { schema: z.string() } },
  },
} as const;

export type CalendarQuery = z.infer<typeof calendarQuery>;
export type CalendarEntry = z.infer<typeof calendarEntrySchema>;
export type CalendarResponse = z.infer<typeof calendarResponse>;
export type CalendarFeed = z.infer<typeof calendarFeedSchema>;
export type CreatedFeed = z.infer<typeof createdFeedSchema>;
