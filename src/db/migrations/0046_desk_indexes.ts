import { sql, type Kysely } from 'kysely';

/**
 * A region manager's desk at the scale set (GET /api/v1/desk; the same lists from the account and
 * opportunity list pages with those filters). Its cards took 0.6–1 s a statement on SQLite and
 * 1.6 s a request on PostgreSQL: the overdue-accounts page read every account of the workspace
 * not in the pool and sorted them by tier; the closing-this-month page and its totals read every
 * open deal of each of the region's units. The plans are held by test/sql/plans.test.ts; the
 * figures are in docs/benchmarks.md.
 * - accounts_ws_overdue_tier: the overdue page in its order (tier, id), walked and stopped at the
 *   page; the unit and the follow-up instant after it let each entry be tested from the index,
 *   so only the rows shown are read from the table. A manager's scope is a path prefix of the
 *   account's unit (scope.ts), which no index of accounts holds: the walk tests it unit by unit.
 * - opportunities_ws_open_close: the closing page in its order (expected_close_date, id) within
 *   a status, the unit and stage after it for the same reason;
 * - opportunities_ws_unit_close: the closing page's totals, unit by unit a range of
 *   expected_close_date, the stage and amount read from the index alone.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create index accounts_ws_overdue_tier on accounts
    (workspace_id, in_pool, tier, id, org_unit_id, archived_at, (coalesce(last_follow_up_at, created_at)))`.execute(db);
  await sql`create index opportunities_ws_open_close on opportunities
    (workspace_id, status, expected_close_date, id, org_unit_id, stage_id)`.execute(db);
  await sql`create index opportunities_ws_unit_close on opportunities
    (workspace_id, org_unit_id, status, expected_close_date, stage_id, amount)`.execute(db);
}
