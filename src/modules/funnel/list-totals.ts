import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { accountReach, type Actor } from '../../domain/policy.ts';
import type { OpportunityListTotals } from '../../contracts/opportunities.ts';
import { subtreePattern } from '../scope.ts';
import { keptListTotals } from './repository.ts';

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
}

/**
 * The opportunity list's totals row (and its pager's total) from the funnel's kept totals
 * (upkeep.ts: kept in the transaction of every change to a deal) instead of an aggregate over
 * every matching deal: at a million deals the admin's list spent 10 s there (README §
 * Benchmarks). Only where the kept totals hold the answer exactly — open or won deals, filtered
 * by nothing but process, stage, owner and unit, for a caller who sees whole subtrees (admin and
 * executive: the workspace; a manager: their unit's). Anything else — a text, an account,
 * dates, probability, size, a rep's own and team deals — is undefined: counted live.
 */
export async function keptOpportunityTotals(
  db: Kysely<Database>,
  actor: Actor,
  filter: ListTotalsFilter,
): Promise<OpportunityListTotals | undefined> {
  const { status } = filter;
  if (status !== 'open' && status !== 'won') return undefined;
  if (
    filter.q ||
    filter.accountId !== undefined ||
    filter.closeFrom ||
    filter.closeTo ||
    filter.minProbability !== undefined ||
    filter.sizeClass
  )
    return undefined;
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
  const row = await keptListTotals(db, actor.workspaceId, {
    status,
    processId: filter.processId,
    stageId: filter.stageId,
    ownerId: filter.ownerId,
    unitPath,
  });
  return {
    count: Number(row.n ?? 0),
    amount: Number(row.amount ?? 0),
    expectedAmount: Math.round(Number(row.weighted ?? 0) / 100),
  };
}
