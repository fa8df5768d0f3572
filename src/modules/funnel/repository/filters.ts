import { sql, type Kysely, type SelectQueryBuilder } from 'kysely';
import type { Database } from '../../../db/schema.ts';

/**
 * Whose deals a funnel read counts, as WHERE conditions over the three places the same deals are
 * found: the per-owner kept totals (funnel_totals), the per-subtree ones (funnel_unit_totals) and
 * the deals themselves (opportunities). Written once here so the three cannot drift apart.
 */

/**
 * Whose deals: one owner, the units of a subtree, or the whole workspace; `line` narrows them to
 * one business line ('' — the deals of no line; undefined — every line).
 */
export type DealFilter = ({ kind: 'workspace' } | { kind: 'user'; userId: number } | { kind: 'unit'; path: string }) & {
  line?: string | undefined;
};

/** Which months of close (YYYY-MM, inclusive); `from` null: every dated month up to `to`; both null: every row, undated too. */
export interface MonthRange {
  from: string | null;
  to: string | null;
}

/** The ids of a subtree's units (the unit at `path` and every unit below it), for `org_unit_id IN (…)`. */
export function subtreeUnitIds(db: Kysely<Database>, workspaceId: number, path: string) {
  return db
    .selectFrom('org_units')
    .select('id')
    .where('workspace_id', '=', workspaceId)
    .where('path', 'like', `${path}%`);
}

/**
 * The units whose subtree totals hold a filter's deals: the subtree's top unit, or for the
 * workspace its top units (a deal counts at its unit and every unit above it).
 */
function totalsUnitIds(db: Kysely<Database>, workspaceId: number, filter: DealFilter) {
  const units = db.selectFrom('org_units').select('id').where('workspace_id', '=', workspaceId);
  return filter.kind === 'unit' ? units.where('path', '=', filter.path) : units.where('parent_id', 'is', null);
}

/** The per-owner kept totals of a scope, process (null: every process), status and months. */
export function totalsWhere(
  db: Kysely<Database>,
  workspaceId: number,
  processId: number | null,
  filter: DealFilter,
  status: 'open' | 'won',
  months: MonthRange,
) {
  let query = db
    .selectFrom('funnel_totals')
    .where('funnel_totals.workspace_id', '=', workspaceId)
    .where('funnel_totals.status', '=', status);
  if (processId !== null) query = query.where('funnel_totals.process_id', '=', processId);
  query = ownerRowsOf(db, workspaceId, query, filter);
  // '' (no close date) sorts before every month: a lower bound of '0' keeps it out.
  if (months.from !== null || months.to !== null)
    query = query.where('funnel_totals.close_month', '>=', months.from ?? '0');
  if (months.to !== null) query = query.where('funnel_totals.close_month', '<=', months.to);
  return query;
}

/** Narrows a read of the per-owner totals to a filter's owner or subtree and line. */
export function ownerRowsOf(
  db: Kysely<Database>,
  workspaceId: number,
  query: SelectQueryBuilder<Database, 'funnel_totals', object>,
  filter: DealFilter,
) {
  let narrowed = query;
  if (filter.kind === 'user') narrowed = narrowed.where('funnel_totals.owner_id', '=', filter.userId);
  if (filter.kind === 'unit')
    narrowed = narrowed.where('funnel_totals.org_unit_id', 'in', subtreeUnitIds(db, workspaceId, filter.path));
  if (filter.line !== undefined) narrowed = narrowed.where('funnel_totals.business_line', '=', filter.line);
  return narrowed;
}

/**
 * The subtree kept totals of a unit's (or the workspace's) scope, process (null: every process),
 * status and months. Not for one person: their deals are only in the per-owner totals.
 */
export function unitTotalsWhere(
  db: Kysely<Database>,
  workspaceId: number,
  processId: number | null,
  filter: DealFilter,
  status: 'open' | 'won',
  months: MonthRange,
) {
  let query = db
    .selectFrom('funnel_unit_totals')
    .where('workspace_id', '=', workspaceId)
    .where('status', '=', status)
    .where('unit_id', 'in', totalsUnitIds(db, workspaceId, filter));
  if (processId !== null) query = query.where('process_id', '=', processId);
  if (filter.line !== undefined) query = query.where('business_line', '=', filter.line);
  if (months.from !== null || months.to !== null) query = query.where('close_month', '>=', months.from ?? '0');
  if (months.to !== null) query = query.where('close_month', '<=', months.to);
  return query;
}

/** A months condition on a totals table's close_month column ('' — no close date — only when unbounded). */
export function monthsCondition(column: string, months: MonthRange) {
  if (months.from === null && months.to === null) return sql<boolean>`1 = 1`;
  if (months.to === null) return sql<boolean>`${sql.ref(column)} >= ${months.from ?? '0'}`;
  return sql<boolean>`${sql.ref(column)} >= ${months.from ?? '0'} and ${sql.ref(column)} <= ${months.to}`;
}

/** The deals of a scope, process and status expected to close (won: closed) in [from, to). */
export function dealsWhere(
  db: Kysely<Database>,
  workspaceId: number,
  processId: number | null,
  filter: DealFilter,
  status: 'open' | 'won',
  dates: { from: string | null; to: string | null },
) {
  let query = db
    .selectFrom('opportunities')
    .where('opportunities.workspace_id', '=', workspaceId)
    .where('opportunities.status', '=', status);
  query =
    processId === null
      ? query.where('opportunities.process_id', 'is not', null).where('opportunities.stage_id', 'is not', null)
      : query.where('opportunities.process_id', '=', processId);
  if (filter.kind === 'user') query = query.where('opportunities.owner_id', '=', filter.userId);
  if (filter.line !== undefined) query = query.where('opportunities.business_line', '=', filter.line);
  if (filter.kind === 'unit')
    query = query.where('opportunities.org_unit_id', 'in', subtreeUnitIds(db, workspaceId, filter.path));
  if (dates.from !== null || dates.to !== null)
    query = query.where('opportunities.expected_close_date', '>=', dates.from ?? '0');
  if (dates.to !== null) query = query.where('opportunities.expected_close_date', '<', dates.to);
  return query;
}
