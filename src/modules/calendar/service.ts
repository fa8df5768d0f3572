import type { Db } from '../../db/database.ts';
import { addDays, dateIn, startOfDay } from '../../domain/calendar.ts';
import { unitReach, type Actor } from '../../domain/policy.ts';
import type { ActivityType } from '../../domain/activities.ts';
import {
  CALENDAR_MAX_ENTRIES,
  type CalendarEntry,
  type CalendarQuery,
  type CalendarResponse,
} from '../../contracts/calendar.ts';
import { forbidden, notFound } from '../../server/problem.ts';
import { loadRules } from '../workspace/service.ts';
import * as repo from './repository.ts';

/**
 * The calendar (docs/rhythm.md § Calendar): planned activities and tasks of one person or a
 * team, by day of the workspace's zone. Who may look at whose follows the org reach: anyone
 * their own; a manager anyone in their subtree or the whole subtree; admins and executives
 * the workspace.
 */
export async function whoseCalendar(db: Db, actor: Actor, query: Pick<CalendarQuery, 'userId' | 'team'>) {
  const reach = unitReach(actor);
  if (query.userId !== undefined && query.userId !== actor.userId) {
    const user = await repo.userInWorkspace(db.kysely, actor.workspaceId, query.userId);
    const seen =
      user !== undefined &&
      (reach.kind === 'workspace' || (reach.kind === 'subtree' && user.path.startsWith(reach.path)));
    if (!seen) throw notFound('User');
    return { kind: 'user', userId: user.id } as const;
  }
  if (query.userId === undefined && query.team) {
    if (reach.kind === 'unit') throw forbidden("Only managers, executives and admins see a team's calendar");
    return { kind: 'team', path: reach.kind === 'workspace' ? null : reach.path } as const;
  }
  return { kind: 'user', userId: actor.userId } as const;
}

const named = (id: number | null, name: string | null) => (id !== null && name !== null ? { id, name } : null);

export async function calendar(db: Db, actor: Actor, query: CalendarQuery): Promise<CalendarResponse> {
  const whose = await whoseCalendar(db, actor, query);
  const { timeZone } = (await loadRules(db.kysely, actor)).calendar;
  const to = addDays(query.from, query.days - 1);
  const today = dateIn(actor.now, timeZone);
  // One more than shown tells whether there were more.
  const [activities, tasks] = await Promise.all([
    repo.plannedActivities(
      db.kysely,
      actor,
      whose,
      startOfDay(query.from, timeZone),
      startOfDay(addDays(to, 1), timeZone),
      CALENDAR_MAX_ENTRIES + 1,
    ),
    repo.tasksDue(db.kysely, actor, whose, query.from, to, ['open', 'done'], CALENDAR_MAX_ENTRIES + 1),
  ]);
  const entries: CalendarEntry[] = [
    ...activities.map((row) => ({
      kind: 'activity' as const,
      id: row.id,
      date: dateIn(Number(row.start_at), timeZone),
      title: row.subject ?? '',
      // The activities area writes only ACTIVITY_TYPES into this column.
      activityType: row.type as ActivityType,
      startAt: Number(row.start_at),
      endAt: row.end_at === null ? null : Number(row.end_at),
      location: row.location,
      status: 'planned' as const,
      overdue: Number(row.start_at) < actor.now,
      hasPlan: row.plan_id !== null,
      person: { id: row.owner_id, name: row.owner_name },
      account: { id: row.account_id, name: row.account_name },
      opportunity: named(row.opportunity_id, row.opportunity_name),
    })),
    ...tasks.map((row) => ({
      kind: 'task' as const,
      id: row.id,
      date: row.due_date,
      title: row.title,
      activityType: null,
      startAt: null,
      endAt: null,
      location: null,
      status: row.status === 'done' ? ('done' as const) : ('open' as const),
      overdue: row.status === 'open' && row.due_date < today,
      hasPlan: false,
      person: { id: row.assignee_id, name: row.assignee_name },
      account: named(row.account_id, row.account_name),
      opportunity: named(row.opportunity_id, row.opportunity_name),
    })),
  ];
  // Timed activities first within a day, then the day's tasks.
  const timeOf = (entry: CalendarEntry) => entry.startAt ?? Number.MAX_SAFE_INTEGER;
  entries.sort(
    (left, right) => left.date.localeCompare(right.date) || timeOf(left) - timeOf(right) || left.id - right.id,
  );
  const truncated = activities.length > CALENDAR_MAX_ENTRIES || tasks.length > CALENDAR_MAX_ENTRIES;
  return {
    from: query.from,
    to,
    today,
    timeZone,
    entries: entries.slice(0, CALENDAR_MAX_ENTRIES),
    truncated: truncated || entries.length > CALENDAR_MAX_ENTRIES,
  };
}
