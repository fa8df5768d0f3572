import { createHash, randomBytes } from 'node:crypto';
import ICAL from 'ical.js';
import type { Db } from '../../db/database.ts';
import { addDays, dateIn, startOfDay } from '../../domain/calendar.ts';
import type { Actor } from '../../domain/policy.ts';
import type { Role } from '../../domain/roles.ts';
import type { CalendarFeed, CreatedFeed } from '../../contracts/calendar.ts';
import { notFound } from '../../server/problem.ts';
import { isSqliteBusy } from '../../db/dialect.ts';
import { recordAudit } from '../audit/repository.ts';
import { loadRules } from '../workspace/service.ts';
import * as repo from './repository.ts';

/**
 * The per-user iCalendar feed (docs/rhythm.md § Calendar): a calendar application subscribes
 * to a URL whose token is the only credential, so only its SHA-256 is stored (as sessions), a
 * new token revokes the old one, and a revoked token or a deactivated user answers 404.
 */
const FEED_PREFIX = '/api/v1/calendar/feed/';
/** What the feed carries: planned activities from a month back, open tasks from a quarter back, a year ahead. */
const PAST_ACTIVITY_DAYS = 30;
const PAST_TASK_DAYS = 90;
const FUTURE_DAYS = 365;
const FEED_MAX = 2000;
/** last_used_at is written at most this often: calendar apps poll, a read should not become a write each time. */
const TOUCH_INTERVAL_MS = 60 * 60 * 1000;

const sha256 = (token: string) => createHash('sha256').update(token).digest('hex');

export async function getFeed(db: Db, actor: Actor): Promise<CalendarFeed> {
  const feed = await repo.activeFeed(db.kysely, actor.workspaceId, actor.userId);
  return feed
    ? {
        active: true,
        createdAt: Number(feed.created_at),
        lastUsedAt: feed.last_used_at === null ? null : Number(feed.last_used_at),
      }
    : { active: false, createdAt: null, lastUsedAt: null };
}

/** A new feed address; any earlier one stops working in the same transaction. */
export async function createFeed(db: Db, actor: Actor, ip: string | null): Promise<CreatedFeed> {
  const token = randomBytes(32).toString('base64url');
  const { now } = actor;
  await db.kysely.transaction().execute(async (trx) => {
    const replaced = await repo.revokeFeeds(trx, actor.workspaceId, actor.userId, now);
    await repo.insertFeed(trx, {
      workspaceId: actor.workspaceId,
      userId: actor.userId,
      tokenHash: sha256(token),
      now,
    });
    await recordAudit(
      trx,
      {
        workspaceId: actor.workspaceId,
        actorUserId: actor.userId,
        action: 'calendar.feed_create',
        targetType: 'user',
        targetId: actor.userId,
        ip,
        detail: { replaced },
      },
      now,
    );
  });
  return { path: `${FEED_PREFIX}${token}.ics`, createdAt: now };
}

export async function revokeFeed(db: Db, actor: Actor, ip: string | null): Promise<void> {
  await db.kysely.transaction().execute(async (trx) => {
    const revoked = await repo.revokeFeeds(trx, actor.workspaceId, actor.userId, actor.now);
    if (!revoked) return;
    await recordAudit(
      trx,
      {
        workspaceId: actor.workspaceId,
        actorUserId: actor.userId,
        action: 'calendar.feed_revoke',
        targetType: 'user',
        targetId: actor.userId,
        ip,
      },
      actor.now,
    );
  });
}

const utc = (instant: number) => ICAL.Time.fromJSDate(new Date(instant), true);

/** The feed's text for the token in `file` (`<token>.ics`), or 404. */
export async function feedText(db: Db, file: string, now: number): Promise<string> {
  const owner = await repo.feedOwner(db.kysely, sha256(file.slice(0, -'.ics'.length)));
  if (!owner) throw notFound('Calendar feed');
  if (owner.last_used_at === null || now - Number(owner.last_used_at) > TOUCH_INTERVAL_MS) {
    // Best effort, as a session's last seen: a poll must neither fail nor wait while SQLite is busy writing.
    await repo.touchFeed(db.noWait, owner.feed_id, now).catch((err: unknown) => {
      if (!isSqliteBusy(err)) throw err;
    });
  }
  const actor: Actor = {
    workspaceId: owner.workspace_id,
    userId: owner.user_id,
    role: owner.role as Role,
    orgUnitId: owner.org_unit_id,
    unitPath: owner.unit_path,
    now,
    exportGranted: owner.can_export === 1,
  };
  const { timeZone } = (await loadRules(db.kysely, actor)).calendar;
  const today = dateIn(now, timeZone);
  const mine = { kind: 'user', userId: actor.userId } as const;
  const [activities, tasks] = await Promise.all([
    repo.plannedActivities(
      db.kysely,
      actor,
      mine,
      startOfDay(addDays(today, -PAST_ACTIVITY_DAYS), timeZone),
      startOfDay(addDays(today, FUTURE_DAYS), timeZone),
      FEED_MAX,
    ),
    repo.tasksDue(
      db.kysely,
      actor,
      mine,
      addDays(today, -PAST_TASK_DAYS),
      addDays(today, FUTURE_DAYS),
      ['open'],
      FEED_MAX,
    ),
  ]);

  const calendar = new ICAL.Component(['vcalendar', [], []]);
  calendar.updatePropertyWithValue('prodid', '-//Keyline//Calendar//EN');
  calendar.updatePropertyWithValue('version', '2.0');
  calendar.updatePropertyWithValue('calscale', 'GREGORIAN');
  calendar.updatePropertyWithValue('x-wr-calname', 'Keyline');
  calendar.updatePropertyWithValue('x-wr-timezone', timeZone);
  // UIDs name the record and its workspace, so an edit updates the same entry in the subscriber's calendar.
  const uid = (kind: string, id: number) => `${kind}-${id}.ws${actor.workspaceId}@keyline`;
  const about = (account: string | null, opportunity: string | null) =>
    [account, opportunity].filter((part): part is string => Boolean(part)).join(' · ');
  for (const row of activities) {
    const event = new ICAL.Component('vevent');
    event.updatePropertyWithValue('uid', uid('activity', row.id));
    event.updatePropertyWithValue('dtstamp', utc(Number(row.updated_at)));
    event.updatePropertyWithValue('dtstart', utc(Number(row.start_at)));
    if (row.end_at !== null) event.updatePropertyWithValue('dtend', utc(Number(row.end_at)));
    event.updatePropertyWithValue('summary', row.subject ? `${row.subject} · ${row.account_name}` : row.account_name);
    event.updatePropertyWithValue('description', about(row.account_name, row.opportunity_name));
    event.updatePropertyWithValue('categories', row.type);
    if (row.location) event.updatePropertyWithValue('location', row.location);
    calendar.addSubcomponent(event);
  }
  for (const row of tasks) {
    const todo = new ICAL.Component('vtodo');
    todo.updatePropertyWithValue('uid', uid('task', row.id));
    todo.updatePropertyWithValue('dtstamp', utc(Number(row.updated_at)));
    todo.updatePropertyWithValue('due', ICAL.Time.fromDateString(row.due_date));
    todo.updatePropertyWithValue('summary', row.title);
    todo.updatePropertyWithValue('status', 'NEEDS-ACTION');
    const description = about(row.account_name, row.opportunity_name);
    if (description) todo.updatePropertyWithValue('description', description);
    calendar.addSubcomponent(todo);
  }
  return `${calendar.toString()}\r\n`;
}
