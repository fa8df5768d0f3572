import { NO_LINE, NO_LINE_PARAM } from '../../../domain/business-lines.ts';
import type { ExpressionBuilder, Kysely } from 'kysely';
import type { Database } from '../../../db/schema.ts';
import { containsInsensitive, type Engine } from '../../../db/dialect.ts';
import type { Actor } from '../../../domain/policy.ts';
import { opportunitiesWithinReach, subtreePattern } from '../../scope.ts';
import { candidateIds, prepareMatch } from '../../search/shared.ts';

/**
 * The deals an actor sees, and what the list, the board and the attention list narrow them by
 * alike: the columns a deal's row carries, the sort orders, and the scope (text, owner, subtree,
 * business line).
 */

export const columns = [
  'opportunities.id',
  'opportunities.account_id',
  'opportunities.name',
  'opportunities.owner_id',
  'opportunities.org_unit_id',
  'opportunities.amount',
  'opportunities.status',
  'opportunities.expected_close_date',
  'opportunities.closed_at',
  'opportunities.process_id',
  'opportunities.stage_id',
  'opportunities.stage_entered_at',
  'opportunities.lead_source',
  'opportunities.buying_phase',
  'opportunities.forecast_category',
  'opportunities.next_step',
  'opportunities.next_step_date',
  'opportunities.products',
  'opportunities.competitors',
  'opportunities.qualification',
  'opportunities.swot',
  'opportunities.win_strategy',
  'opportunities.advantage_lost',
  'opportunities.close_reason',
  'opportunities.close_competitor',
  'opportunities.contract_amount',
  'opportunities.description',
  'opportunities.stage_evidence',
  'opportunities.created_at',
  'opportunities.updated_at',
  'opportunities.version',
  'accounts.name as account_name',
  'owner.name as owner_name',
  'org_units.path as unit_path',
  'org_units.name as org_unit_name',
  'stage.name as stage_name',
  'stage.probability as stage_probability',
  'stage.expected_days as stage_expected_days',
  'stage.buying_phase as stage_buying_phase',
  'stage.position as stage_position',
  'stage.evidence as stage_evidence_items',
  'process.name as process_name',
] as const;

/** A deal's row with what its columns name (account, owner, unit, stage, process), of any scope. */
export function opportunityRows(db: Kysely<Database>) {
  return db
    .selectFrom('opportunities')
    .innerJoin('org_units', (joinBuilder) =>
      joinBuilder
        .onRef('org_units.id', '=', 'opportunities.org_unit_id')
        .onRef('org_units.workspace_id', '=', 'opportunities.workspace_id'),
    )
    .innerJoin('accounts', 'accounts.id', 'opportunities.account_id')
    .leftJoin('users as owner', 'owner.id', 'opportunities.owner_id')
    .leftJoin('process_stages as stage', 'stage.id', 'opportunities.stage_id')
    .leftJoin('sales_processes as process', 'process.id', 'opportunities.process_id');
}

export function visibleOpportunities(db: Kysely<Database>, actor: Actor) {
  return opportunityRows(db).where(opportunitiesWithinReach(actor));
}

export type OpportunitySort = 'name' | 'amount' | 'expectedCloseDate' | 'updatedAt' | 'stageEnteredAt';
export const sortColumn = {
  name: 'opportunities.name',
  amount: 'opportunities.amount',
  expectedCloseDate: 'opportunities.expected_close_date',
  updatedAt: 'opportunities.updated_at',
  stageEnteredAt: 'opportunities.stage_entered_at',
} as const;

/** The search index narrows to deals whose name or account's name may hold the text; the substring test decides (docs/search.md). */
async function indexedOpportunityText(db: Kysely<Database>, actor: Actor, needle: string) {
  const match = await prepareMatch(db, actor.workspaceId, needle);
  return (eb: ExpressionBuilder<Database, 'opportunities'>) =>
    eb.or([
      eb('opportunities.id', 'in', candidateIds(eb, actor.workspaceId, match, 'o')),
      eb('opportunities.account_id', 'in', candidateIds(eb, actor.workspaceId, match, 'a')),
    ]);
}

/** Filters of the board and the attention list (docs/sales-process.md): the same scope as the list. */
export interface ScopeFilter {
  q?: string | undefined;
  ownerId?: number | undefined;
  orgUnitId?: number | undefined;
  /** A business line's key, or `none` (NO_LINE_PARAM) for the deals of no line. */
  line?: string | undefined;
}

/** The line stamped on a deal that a `line` parameter asks for ('' for `none`), as the kept totals key it. */
const stampedLine = (line: string) => (line === NO_LINE_PARAM ? NO_LINE : line);

export async function scoped(db: Kysely<Database>, engine: Engine, actor: Actor, filter: ScopeFilter) {
  let query = visibleOpportunities(db, actor);
  if (filter.q) {
    const needle = filter.q;
    query = query.where(await indexedOpportunityText(db, actor, needle));
    query = query.where((eb) =>
      eb.or([
        containsInsensitive(engine, eb.ref('opportunities.name'), needle),
        containsInsensitive(engine, eb.ref('accounts.name'), needle),
      ]),
    );
  }
  if (filter.ownerId !== undefined) query = query.where('opportunities.owner_id', '=', filter.ownerId);
  if (filter.orgUnitId !== undefined) {
    query = query.where('org_units.path', 'like', await subtreePattern(db, actor.workspaceId, filter.orgUnitId));
  }
  // The line the funnel's upkeep stamped on the deal, so a funnel narrowed to a line, its
  // drill-down to the list and the board all hold the same deals.
  if (filter.line !== undefined) query = query.where('opportunities.business_line', '=', stampedLine(filter.line));
  return query;
}

/** A page of the list's or the attention list's rows, in the order asked. */
export interface PageRequest {
  limit: number;
  offset: number;
  sort: { column: OpportunitySort; desc: boolean };
}

/** The page's statement: the list's and the attention list's, each compiled once per shape (src/db/fixed-query.ts, shapedQueries). */
export function sortedPageQuery(query: Awaited<ReturnType<typeof scoped>>, page: PageRequest) {
  return (
    query
      .select(columns)
      .orderBy(sortColumn[page.sort.column], page.sort.desc ? 'desc' : 'asc')
      // The tie-breaker runs the same way, so one index (…, column, id) gives the whole order.
      .orderBy('opportunities.id', page.sort.desc ? 'desc' : 'asc')
      .limit(page.limit)
      .offset(page.offset)
  );
}
