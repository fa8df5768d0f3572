import { workspaceSettings } from '../../../domain/settings.ts';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../../db/schema.ts';
import type { Engine } from '../../../db/dialect.ts';
import type { Actor } from '../../../domain/policy.ts';
import type { OpportunityListTotals } from '../../../contracts/opportunities.ts';
import { shapedQueries } from '../../../db/fixed-query.ts';
import { standActor } from '../../scope.ts';
import {
  dealsUnder,
  opportunityRows,
  scopeConditions,
  sortedPageQuery,
  withConditions,
  type DealCondition,
  type PageRequest,
} from './visible.ts';

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

/** The conditions of the list's reach and filters: one list of them for its page, its totals and the export's rows. */
async function listConditions(
  db: Kysely<Database>,
  engine: Engine,
  actor: Actor,
  filter: OpportunityFilter,
): Promise<DealCondition[]> {
  const conditions = await scopeConditions(db, engine, actor, filter);
  const { status, accountId, processId, stageId, closeFrom, closeTo, minProbability } = filter;
  if (status) conditions.push((eb) => eb('opportunities.status', '=', status));
  if (accountId !== undefined) conditions.push((eb) => eb('opportunities.account_id', '=', accountId));
  if (processId !== undefined) conditions.push((eb) => eb('opportunities.process_id', '=', processId));
  if (stageId !== undefined) conditions.push((eb) => eb('opportunities.stage_id', '=', stageId));
  if (closeFrom) conditions.push((eb) => eb('opportunities.expected_close_date', '>=', closeFrom));
  if (closeTo) conditions.push((eb) => eb('opportunities.expected_close_date', '<=', closeTo));
  if (minProbability !== undefined) conditions.push((eb) => eb('stage.probability', '>=', minProbability));
  if (filter.sizeClass) {
    const ws = await db
      .selectFrom('workspaces')
      .select('settings')
      .where('id', '=', actor.workspaceId)
      .executeTakeFirst();
    const { largeDealThreshold } = workspaceSettings(ws?.settings);
    const operator = filter.sizeClass === 'large' ? '>=' : '<';
    conditions.push((eb) => eb('opportunities.amount', operator, largeDealThreshold));
  }
  return conditions;
}

/** The list's rows before sorting and paging; the export reads the same rows (docs/archive.md § Import and export). */
export async function filteredOpportunities(
  db: Kysely<Database>,
  engine: Engine,
  actor: Actor,
  filter: OpportunityFilter,
) {
  return withConditions(opportunityRows(db), await listConditions(db, engine, actor, filter));
}

type ListFilter = OpportunityFilter & PageRequest;

/** The list's page and, unless kept totals answer it, its totals row: compiled once per shape (a desk card). */
const listQueries = shapedQueries(
  async (db: Kysely<Database>, engine: Engine, actor: Actor, filter: ListFilter, withTotals: boolean) => {
    const conditions = await listConditions(db, engine, actor, filter);
    const items = sortedPageQuery(db, engine, conditions, filter);
    // The totals row of the list: the same filters and scope, one aggregate over the deals with
    // their unit and stage alone — what the conditions and the sums read (the names joined to
    // every deal in scope cost PostgreSQL a third of a rep's totals in planning).
    const totals = dealsUnder(db, conditions).select((eb) => [
      eb.fn.countAll<number | string>().as('n'),
      eb.fn.sum<number | string | null>('opportunities.amount').as('amount'),
      eb.fn.sum<number | string | null>(sql`opportunities.amount * stage.probability`).as('weighted'),
    ]);
    return withTotals ? ([items, totals] as const) : ([items] as const);
  },
  // A text, a unit or a size class reads the search index, the unit or the settings while building: built afresh.
  (stand, engine, actor, filter, withTotals) =>
    filter.q || filter.orgUnitId !== undefined || filter.sizeClass
      ? null
      : [
          engine,
          standActor(stand, actor),
          {
            ...filter,
            ownerId: stand(filter.ownerId),
            accountId: stand(filter.accountId),
            processId: stand(filter.processId),
            stageId: stand(filter.stageId),
            closeFrom: stand(filter.closeFrom),
            closeTo: stand(filter.closeTo),
            minProbability: stand(filter.minProbability),
            limit: stand(filter.limit),
            offset: stand(filter.offset),
          },
          withTotals,
        ],
);

export async function listOpportunities(
  db: Kysely<Database>,
  engine: Engine,
  actor: Actor,
  filter: ListFilter & {
    /** The totals, when the funnel's kept totals hold them. */
    keptTotals?: OpportunityListTotals | undefined;
  },
) {
  const { keptTotals, ...listFilter } = filter;
  const [itemsQuery, totalsQuery] = await listQueries(db, engine, actor, listFilter, keptTotals === undefined);
  const [items, totals] = await Promise.all([
    db.executeQuery(itemsQuery),
    // Unless the service found them kept (src/modules/funnel/list-totals.ts).
    totalsQuery ? db.executeQuery(totalsQuery).then(({ rows }) => liveListTotals(rows[0]!)) : keptTotals!,
  ]);
  return { items: items.rows, total: totals.count, totals };
}

function liveListTotals(total: {
  n: number | string;
  amount: number | string | null;
  weighted: number | string | null;
}) {
  return {
    count: Number(total.n),
    amount: Number(total.amount ?? 0),
    expectedAmount: Math.round(Number(total.weighted ?? 0) / 100),
  };
}
