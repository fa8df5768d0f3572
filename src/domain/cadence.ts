import type { Tier } from './accounts.ts';
import { addDays, dateIn, startOfDay, type IsoDate } from './calendar.ts';
import type { WorkspaceSettings } from './settings.ts';

const DAY = 86_400_000;

/**
 * Follow-up frequency by tier (docs/archive.md § Follow-up cadence): the next qualifying follow-up is due this many
 * days after the last one (or after the account was created, if there has been none).
 */
export function followUpDueAt(
  lastFollowUpAt: number | null,
  createdAt: number,
  tier: Tier,
  settings: WorkspaceSettings,
): number {
  return (lastFollowUpAt ?? createdAt) + settings.followUpDays[tier] * DAY;
}

/**
 * A follow-up is due on a date, not at an instant (docs/rhythm.md § Cadence): the workspace's date of the last
 * follow-up (or creation) plus the tier's days. It is overdue once the workspace's today is past that date, so an
 * account does not turn red in the middle of the afternoon on the very day the desk says it is due.
 */
export function followUpDueDate(
  lastFollowUpAt: number | null,
  createdAt: number,
  tier: Tier,
  settings: WorkspaceSettings,
  timeZone: string,
): IsoDate {
  return addDays(dateIn(lastFollowUpAt ?? createdAt, timeZone), settings.followUpDays[tier]);
}

export function isFollowUpOverdue(dueDate: IsoDate, now: number, timeZone: string): boolean {
  return dateIn(now, timeZone) > dueDate;
}

/**
 * For a SQL filter, per tier: a clock (last follow-up, or creation) before this instant has its due date before
 * `today + days`. date(clock) + N < today + days  ⇔  date(clock) < today + days − N  ⇔  clock < start of that date.
 */
export function dueBeforeThresholds(
  now: number,
  settings: WorkspaceSettings,
  timeZone: string,
  days = 0,
): Record<Tier, number> {
  const today = dateIn(now, timeZone);
  const before = (tier: Tier) => startOfDay(addDays(today, days - settings.followUpDays[tier]), timeZone);
  return { A: before('A'), B: before('B'), C: before('C') };
}

/** For a SQL filter: accounts whose last follow-up is before these instants are overdue today. */
export function overdueThresholds(now: number, settings: WorkspaceSettings, timeZone: string): Record<Tier, number> {
  return dueBeforeThresholds(now, settings, timeZone);
}
