import type { Tier } from './accounts.ts';
import type { Role } from './roles.ts';
import type { WorkspaceSettings } from './settings.ts';

/**
 * The public pool (客户公海, docs/archive.md) as pure rules. The repository turns
 * `releaseCutoffs` into one set-based UPDATE per tier; `isDueForRelease` states the same
 * rule for one account, so the two can be tested against each other.
 */
export const DAY_MS = 24 * 60 * 60_000;

/** Why an account changed hands through the pool; stored as record_history.reason. */
export const POOL_REASONS = ['pool_release', 'pool_release_manual', 'pool_claim', 'pool_assign'] as const;
export type PoolReason = (typeof POOL_REASONS)[number];

/**
 * Per tier, the instant before which the last qualifying follow-up (and the assignment to
 * the current owner) must lie for the account to return to the pool. A tier whose setting
 * is null (A by default) is never released automatically and is absent from the result.
 */
export function releaseCutoffs(
  now: number,
  settings: Pick<WorkspaceSettings, 'poolReleaseDays'>,
): Partial<Record<Tier, number>> {
  const out: Partial<Record<Tier, number>> = {};
  for (const tier of ['A', 'B', 'C'] as const) {
    const days = settings.poolReleaseDays[tier];
    if (days !== null && days !== undefined && days > 0) out[tier] = now - days * DAY_MS;
  }
  return out;
}

export interface PoolCandidate {
  tier: Tier;
  ownerId: number | null;
  inPool: boolean;
  archived: boolean;
  lastFollowUpAt: number | null;
  createdAt: number;
  /** When the current owner got the account (last owner change), if known. */
  assignedAt: number | null;
  /** How many of its opportunities are open: a deal in progress keeps its account private. */
  openOpportunities: number;
  /** The latest stage entry or close of any of its opportunities, if any. */
  lastStageActivityAt: number | null;
}

/**
 * docs/archive.md: an owned, active account with no open opportunity whose last qualifying
 * follow-up — or its assignment to the current owner, or its creation, or the last stage change
 * or close of one of its deals, whichever is latest — is older than its tier allows.
 */
export function isDueForRelease(
  account: PoolCandidate,
  now: number,
  settings: Pick<WorkspaceSettings, 'poolReleaseDays'>,
): boolean {
  if (account.inPool || account.archived || account.ownerId === null) return false;
  if (account.openOpportunities > 0) return false;
  const cutoff = releaseCutoffs(now, settings)[account.tier];
  if (cutoff === undefined) return false;
  const latest = Math.max(
    account.lastFollowUpAt ?? 0,
    account.assignedAt ?? 0,
    account.lastStageActivityAt ?? 0,
    account.createdAt,
  );
  return latest < cutoff;
}

/** Whole days an account has been in the pool (0 on the day it arrived). */
export function daysInPool(poolSince: number | null, now: number): number {
  if (poolSince === null) return 0;
  return Math.max(0, Math.floor((now - poolSince) / DAY_MS));
}

/** Roles that may own a private account, hence receive one from the pool or a handover. */
export function canOwnAccounts(role: Role): boolean {
  return role === 'rep' || role === 'manager';
}

export interface ClaimAllowance {
  limit: number;
  held: number;
  remaining: number;
}

/** How many more accounts a person may take while holding `held` private accounts. */
export function claimAllowance(held: number, settings: Pick<WorkspaceSettings, 'claimLimit'>): ClaimAllowance {
  return { limit: settings.claimLimit, held, remaining: Math.max(0, settings.claimLimit - held) };
}
