import type { Tier } from './accounts.ts';
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

/** For a SQL filter: accounts whose last follow-up is before these instants are overdue now. */
export function overdueThresholds(now: number, settings: WorkspaceSettings): Record<Tier, number> {
  return {
    A: now - settings.followUpDays.A * DAY,
    B: now - settings.followUpDays.B * DAY,
    C: now - settings.followUpDays.C * DAY,
  };
}
