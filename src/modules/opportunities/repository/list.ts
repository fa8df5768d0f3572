import { workspaceSettings } from '../../../domain/settings.ts';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../../db/schema.ts';
import type { Engine } from '../../../db/dialect.ts';
import type { Actor } from '../../../domain/policy.ts';
import type { OpportunityListTotals } from '../../../contracts/opportunities.ts';
import { scoped, sortedPage, type PageRequest } from './visible.ts';

export interface OpportunityFilter {
  q?: string | undefined;
  status?: string | undefined;
  ownerId?: number | undefined;
  orgUnitId?: number | undefined;
  accountId?: number | undefined;
  processId?: number | undefined;
  stageId?: number | undefined;
  closeFrom?: string | undefined;
  closeTo?: string | undefined;
  minProbability?: number | undefined;
  sizeClass?: 'small' | 'large' | undefined;
  /** A business line's key, or `none` (NO_LINE_PARAM) for the deals of no line. */
  line?: string | undefined;
}

/** The list's rows before sorting and paging; the export reads the same rows (docs/archive.md § Import and export). */
export async function filteredOpportunities(
  db: Kysely<Database>,
  engine: Engine,
  actor: Actor,
  filter: OpportunityFilter,
) {
  let query = await scoped(db, engine, actor, filter);
  if (filter.status) query = query.where('opportunities.status', '=', filter.status);
  if (filter.accountId !== undefined) query = query.where('opportunities.account_id', '=', filter.accountId);
  if (filter.processId !== undefined) query = query.where('opportunities.process_id', '=', filter.processId);
  if (filter.stageId !== undefined) query = query.where('opportunities.stage_id', '=', filter.stageId);
  if (filter.closeFrom) query = query.where('opportunities.expected_close_date', '>=', filter.closeFrom);
  if (filter.closeTo) query = query.where('opportunities.expected_close_date', '<=', filter.closeTo);
  if (filter.minProbability !== undefined) query = query.where('stage.probability', '>=', filter.minProbability);
  if (filter.sizeClass) {
    const ws = await db
      .selectFrom('workspaces')
      .select('settings')
      .where('id', '=', actor.workspaceId)
      .executeTakeFirst();
    query = query.where(
      'opportunities.amount',
      filter.sizeClass === 'large' ? '>=' : '<',
      workspaceSettings(ws?.settings).largeDealThreshold,
    );
  }
  return query;
}

export async function listOpportunities(
  db: Kysely<Database>,
  engine: Engine,
  actor: Actor,
  filter: OpportunityFilter &
    PageRequest & {
      /** The totals, when the funnel's kept totals hold them. */
      keptTotals?: OpportunityListTotals | undefined;
    },
) {
  const query = await filteredOpportunities(db, engine, actor, filter);
  const [items, totals] = await Promise.all([
    sortedPage(query, filter),
    // The totals row of the list: the same filters and scope, one aggregate — unless the
    // service found them kept (src/modules/funnel/list-totals.ts).
    filter.keptTotals ?? liveListTotals(query),
  ]);
  return { items, total: totals.count, totals };
}

async function liveListTotals(query: Awaited<ReturnType<typeof filteredOpportunities>>) {
  const total = await query
    .select((eb) => [
      eb.fn.countAll<number | string>().as('n'),
      eb.fn.sum<number | string | null>('opportunities.amount').as('amount'),
      eb.fn.sum<number | string | null>(sql`opportunities.amount * stage.probability`).as('weighted'),
    ])
    .executeTakeFirstOrThrow();
  return {
    count: Number(total.n),
    amount: Number(total.amount ?? 0),
    expectedAmount: Math.round(Number(total.weighted ?? 0) / 100),
  };
}
