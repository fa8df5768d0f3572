import { NO_LINE, NO_LINE_PARAM } from '../../../domain/business-lines.ts';
import type {
  AliasedSelectQueryBuilder,
  Expression,
  ExpressionBuilder,
  Kysely,
  Selectable,
  SelectQueryBuilder,
  SqlBool,
} from 'kysely';
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
  return withNames(db.selectFrom('opportunities'));
}

/**
 * The deals of a page, read first (pagedRows), with what their columns name: the names joined
 * to those rows only. Planning the list's page as one statement of six tables took PostgreSQL
 * 3.1–3.3 ms (warm, at the scale set) for 0.8 ms of execution; the page's deals alone and their
 * names after, 0.6–0.7 ms.
 */
export function pageRows(
  db: Kysely<Database>,
  page: AliasedSelectQueryBuilder<Selectable<Database['opportunities']>, 'opportunities'>,
) {
  return withNames(db.selectFrom(page));
}

function withNames<Q extends SelectQueryBuilder<Database, 'opportunities', object>>(deals: Q) {
  return deals
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

/** The tables a deal's scope and filters read: the deal, its unit (the reach's path) and its stage (probability). */
type DealTables = Database & { stage: Database['process_stages'] };

/** A condition of the scope or of a filter, on a deal, its unit and its stage. */
export type DealCondition = (
  eb: ExpressionBuilder<DealTables, 'opportunities' | 'org_units' | 'stage'>,
) => Expression<SqlBool>;

/** The deals with no more joins than their conditions read: their unit and their stage. */
export function dealsWithUnitAndStage(db: Kysely<Database>) {
  return db
    .selectFrom('opportunities')
    .innerJoin('org_units', (joinBuilder) =>
      joinBuilder
        .onRef('org_units.id', '=', 'opportunities.org_unit_id')
        .onRef('org_units.workspace_id', '=', 'opportunities.workspace_id'),
    )
    .leftJoin('process_stages as stage', 'stage.id', 'opportunities.stage_id');
}

/**
 * The conditions of the actor's reach and of the scope filters, in the order they are written:
 * on the deals with their names (scoped: the board, the export) or on the deals with their unit
 * and stage alone (the list's page and totals, list.ts).
 */
export async function scopeConditions(
  db: Kysely<Database>,
  engine: Engine,
  actor: Actor,
  filter: ScopeFilter,
): Promise<DealCondition[]> {
  const conditions: DealCondition[] = [opportunitiesWithinReach(actor)];
  if (filter.q) {
    const needle = filter.q;
    conditions.push(await indexedOpportunityText(db, actor, needle));
    // The account's name tested on its row by key: the list reads its deals without their accounts.
    conditions.push((eb) =>
      eb.or([
        containsInsensitive(engine, eb.ref('opportunities.name'), needle),
        eb.exists(
          eb
            .selectFrom('accounts as deal_account')
            .select('deal_account.id')
            .whereRef('deal_account.id', '=', 'opportunities.account_id')
            .where((account) => containsInsensitive(engine, account.ref('deal_account.name'), needle)),
        ),
      ]),
    );
  }
  if (filter.ownerId !== undefined) {
    const ownerId = filter.ownerId;
    conditions.push((eb) => eb('opportunities.owner_id', '=', ownerId));
  }
  if (filter.orgUnitId !== undefined) {
    const pattern = await subtreePattern(db, actor.workspaceId, filter.orgUnitId);
    conditions.push((eb) => eb('org_units.path', 'like', pattern));
  }
  // The line the funnel's upkeep stamped on the deal, so a funnel narrowed to a line, its
  // drill-down to the list and the board all hold the same deals.
  if (filter.line !== undefined) {
    const line = stampedLine(filter.line);
    conditions.push((eb) => eb('opportunities.business_line', '=', line));
  }
  return conditions;
}

/** The deals in reach under the scope filters, with their names (the board's cards and totals). */
export async function scoped(db: Kysely<Database>, engine: Engine, actor: Actor, filter: ScopeFilter) {
  return withConditions(opportunityRows(db), await scopeConditions(db, engine, actor, filter));
}

/** Deals with their names under conditions (filteredOpportunities: the export, the bulk actions' "all matching"). */
export function withConditions(query: ReturnType<typeof opportunityRows>, conditions: DealCondition[]) {
  return conditions.reduce((narrowed, condition) => narrowed.where(condition), query);
}

/** The deals with their unit and stage under conditions: the list's page and totals. */
export function dealsUnder(db: Kysely<Database>, conditions: DealCondition[]) {
  return conditions.reduce((narrowed, condition) => narrowed.where(condition), dealsWithUnitAndStage(db));
}

/** A page of the list's or the attention list's rows, in the order asked. */
export interface PageRequest {
  limit: number;
  offset: number;
  sort: { column: OpportunitySort; desc: boolean };
}

/**
 * The list's page statement, compiled once per shape (src/db/fixed-query.ts, shapedQueries). On
 * PostgreSQL the page's deals are read first, in order, from the deals with their unit and stage
 * alone, and their names joined to those rows (pageRows): planning the page as one statement of
 * six tables cost 3.1–3.3 ms a call at the scale set against 0.6–0.7 ms so. SQLite plans a
 * statement in microseconds and, offered the page as a table of its own, read the units first
 * and indexed the page: there the page stays one statement over the deals with their names.
 */
export function sortedPageQuery(db: Kysely<Database>, engine: Engine, conditions: DealCondition[], page: PageRequest) {
  const order = sortColumn[page.sort.column];
  const direction = page.sort.desc ? 'desc' : 'asc';
  if (engine === 'sqlite')
    return (
      withConditions(opportunityRows(db), conditions)
        .select(columns)
        .orderBy(order, direction)
        // The tie-breaker runs the same way, so one index (…, column, id) gives the whole order.
        .orderBy('opportunities.id', direction)
        .limit(page.limit)
        .offset(page.offset)
    );
  const dealsOfPage = dealsUnder(db, conditions)
    .selectAll('opportunities')
    .orderBy(order, direction)
    .orderBy('opportunities.id', direction)
    .limit(page.limit)
    .offset(page.offset);
  return pageRows(db, dealsOfPage.as('opportunities'))
    .select(columns)
    .orderBy(order, direction)
    .orderBy('opportunities.id', direction);
}
