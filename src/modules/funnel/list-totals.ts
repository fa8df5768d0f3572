import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { accountReach, type Actor } from '../../domain/policy.ts';
import type { OpportunityListTotals } from '../../contracts/opportunities.ts';
import { subtreePattern } from '../scope.ts';
import { addDays } from '../../domain/calendar.ts';
import { NO_LINE, NO_LINE_PARAM } from '../../domain/business-lines.ts';
import { keptListTotals, keptStageTotals, type KeptTotalsKey } from './repository/list-totals.ts';

/** The opportunity list's filters this module can answer from its kept totals. */
export interface ListTotalsFilter {
  status?: string | undefined;
  q?: string | undefined;
  ownerId?: number | undefined;
  orgUnitId?: number | undefined;
  accountId?: number | undefined;
  processId?: number | undefined;
  stageId?: number | undefined;
  closeFrom?: string | undefined;
  closeTo?: string | undefined;
  minProbability?: number | undefined;
  sizeClass?: string | undefined;
  line?: string | undefined;
}

/**
 * The opportunity list's totals row (and its pager's total) from the funnel's kept totals
 * (upkeep.ts: kept in the transaction of every change to a deal) instead of an aggregate over
 * every matching deal: at a million deals the admin's list spent 10 s there (README §
 * Benchmarks). Only where the kept totals hold the answer exactly (keptTotalsKey); anything
 * else is undefined: counted live.
 */
export async function keptOpportunityTotals(
  db: Kysely<Database>,
  actor: Actor,
  filter: ListTotalsFilter,
): Promise<OpportunityListTotals | undefined> {
  const key = await keptTotalsKey(db, actor, filter);
  if (!key) return undefined;
  const row = await keptListTotals(db, actor.workspaceId, key);
  return {
    count: Number(row.n ?? 0),
    amount: Number(row.amount ?? 0),
    expectedAmount: Math.round(Number(row.weighted ?? 0) / 100),
  };
}

/**
 * Which kept totals answer a filter of the opportunity list or the board exactly: open or won
 * deals, filtered by nothing but process, stage, owner, unit, business line and whole months of expected close
 * (the totals are kept per month), for a caller who sees whole subtrees (admin and executive:
 * the workspace; a manager: their unit's). Anything else — a text, an account, dates within a
 * month, probability, size, a rep's own and team deals — is undefined: counted live.
 */
export async function keptTotalsKey(
  db: Kysely<Database>,
  actor: Actor,
  filter: ListTotalsFilter,
): Promise<KeptTotalsKey | undefined> {
  const { status } = filter;
  if (status !== 'open' && status !== 'won') return undefined;
  if (filter.q || filter.accountId !== undefined || filter.minProbability !== undefined || filter.sizeClass)
    return undefined;
  // The expected close date in whole months: from a month's first day, to a month's last.
  if (filter.closeFrom && !filter.closeFrom.endsWith('-01')) return undefined;
  if (filter.closeTo && !addDays(filter.closeTo, 1).endsWith('-01')) return undefined;
  const reach = accountReach(actor);
  if (reach.kind !== 'workspace' && reach.kind !== 'subtree') return undefined;
  // The subtree the totals are for: the filter's unit (when within reach), else the caller's.
  let unitPath = reach.kind === 'subtree' ? reach.path : undefined;
  if (filter.orgUnitId !== undefined) {
    const path = (await subtreePattern(db, actor.workspaceId, filter.orgUnitId)).slice(0, -1);
    // An unknown unit, or one above the caller's: the live query decides what that leaves.
    if (path === '/none/' || (unitPath && !path.startsWith(unitPath))) return undefined;
    unitPath = path;
  }
  return {
    status,
    processId: filter.processId,
    stageId: filter.stageId,
    ownerId: filter.ownerId,
    unitPath,
    // The kept totals are keyed by the same stamped line the list filters by.
    line: filter.line === undefined ? undefined : filter.line === NO_LINE_PARAM ? NO_LINE : filter.line,
    // A bound on either side leaves out deals without a date (kept at month ''), as the live query does.
    closeMonthFrom: filter.closeFrom?.slice(0, 7) ?? (filter.closeTo ? '0000-01' : undefined),
    closeMonthTo: filter.closeTo?.slice(0, 7),
  };
}

/** One column's totals on the board: weighted is Σ amount × probability (percent), not yet divided. */
export interface StageTotal {
  stageId: number;
  count: number;
  amount: number;
  weighted: number;
}

/**
 * The board's open columns from the kept totals, one row per stage holding deals, with the
 * subtree, owner and stamped line they are for — where the kept totals hold the answer (keptTotalsKey), else
 * undefined: the board counts them live.
 */
export async function keptOpenStageTotals(
  db: Kysely<Database>,
  actor: Actor,
  filter: Omit<ListTotalsFilter, 'status'>,
): Promise<
  | { openTotals: StageTotal[]; unitPath?: string | undefined; ownerId?: number | undefined; line?: string | undefined }
  | undefined
> {
  const key = await keptTotalsKey(db, actor, { ...filter, status: 'open' });
  if (!key) return undefined;
  const openTotals = (await keptStageTotals(db, actor.workspaceId, key))
    .map((row) => ({
      stageId: row.stage_id,
      count: Number(row.n ?? 0),
      amount: Number(row.amount ?? 0),
      weighted: Number(row.weighted ?? 0),
    }))
    .filter((total) => total.count !== 0);
  return { openTotals, unitPath: key.unitPath, ownerId: key.ownerId, line: key.line };
}
