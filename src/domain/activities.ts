/**
 * Activities (docs/rhythm.md § Activities) as pure rules: their kinds and states, which count
 * as a qualifying follow-up, and what a change to one does to its account's last follow-up.
 */
export const ACTIVITY_TYPES = [
  'visit',
  'call',
  'meeting',
  'demo',
  'technical_exchange',
  'email',
  'wechat',
  'event',
] as const;
export type ActivityType = (typeof ACTIVITY_TYPES)[number];

export const ACTIVITY_STATUSES = ['planned', 'done', 'cancelled'] as const;
export type ActivityStatus = (typeof ACTIVITY_STATUSES)[number];

/** The workspace default of qualifying follow-ups: contact with the customer, not a message. */
export const DEFAULT_QUALIFYING_TYPES: readonly ActivityType[] = [
  'visit',
  'call',
  'meeting',
  'demo',
  'technical_exchange',
];

/**
 * A logged (done) activity may not lie in the future. Phones' clocks drift and a rep taps
 * "save" a moment after choosing "now", so a few minutes ahead of the server still count as now.
 */
export const FUTURE_GRACE_MS = 10 * 60_000;

/** Status changes a person may make: a done activity stays done (its follow-up was counted). */
export function canChangeStatus(from: ActivityStatus, to: ActivityStatus): boolean {
  if (from === to) return true;
  if (from === 'planned') return true;
  if (from === 'cancelled') return to === 'planned';
  return false;
}

/** The facts of an activity that decide whether, and when, it is a follow-up of its account. */
export interface FollowUpFacts {
  accountId: number;
  type: string;
  status: string;
  startAt: number;
  archived: boolean;
}

/** The instant this activity followed its account up, or null when it does not count. */
export function followUpAt(activity: FollowUpFacts | null, qualifying: readonly string[]): number | null {
  if (!activity || activity.archived || activity.status !== 'done' || !qualifying.includes(activity.type)) return null;
  return activity.startAt;
}

/**
 * What a write of one activity (create: before null; archive: after archived) does to the
 * last follow-up of the accounts involved, without counting anything again:
 *  - raise: the account's last follow-up becomes this instant if it is later (later-dated wins);
 *  - fallBack: the activity may have been the account's newest follow-up and no longer is (moved
 *    earlier, to another account, to another type or state, archived): if the account's value
 *    is not later than `since`, it falls back to the newest remaining qualifying activity, or the
 *    follow-up known without one — one indexed look-up, not a recount.
 */
export interface FollowUpEffect {
  raise: { accountId: number; at: number }[];
  fallBack: { accountId: number; since: number }[];
}

export function followUpEffect(
  before: FollowUpFacts | null,
  after: FollowUpFacts | null,
  qualifying: readonly string[],
): FollowUpEffect {
  const was = followUpAt(before, qualifying);
  const is = followUpAt(after, qualifying);
  const out: FollowUpEffect = { raise: [], fallBack: [] };
  if (is !== null && after) out.raise.push({ accountId: after.accountId, at: is });
  if (was !== null && before) {
    const sameAccount = is !== null && after !== null && after.accountId === before.accountId;
    if (!sameAccount || is! < was) out.fallBack.push({ accountId: before.accountId, since: was });
  }
  return out;
}
