import type { Kysely } from 'kysely';

/**
 * The board and the capped counts at a million deals (issue 8; the plans are held by
 * test/sql/plans.test.ts; the figures are in README § Benchmarks):
 * - opportunities_ws_stage_amount: each column's largest deals are read by one `LIMIT` per
 *   stage that walks it in the board's order (amount descending, id ascending) and stops at the
 *   limit — before, every open deal of the process was numbered by a window function, 2.5–3.9 s.
 *   The unit last: a manager's walk tests the subtree from the index, loading only the rows shown;
 * - opportunities_ws_stage_won: the won column's totals — the deals of a won stage won in a
 *   period, with their amount and unit — read from the index alone, never from the table's rows;
 * - accounts and contacts by (unit / account, archived_at): a capped count walks the index
 *   alone — a subtree's accounts unit by unit, their contacts account by account — where it read
 *   a row of the table per account or contact it counted. They replace accounts_ws_unit and
 *   contacts_ws_account, which they serve as well.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createIndex('opportunities_ws_stage_amount')
    .on('opportunities')
    .columns(['workspace_id', 'stage_id', 'status', 'amount desc', 'id', 'org_unit_id'])
    .execute();
  await db.schema
    .createIndex('opportunities_ws_stage_won')
    .on('opportunities')
    .columns(['workspace_id', 'stage_id', 'status', 'closed_at', 'amount', 'org_unit_id'])
    .execute();
  await db.schema.dropIndex('accounts_ws_unit').execute();
  await db.schema
    .createIndex('accounts_ws_unit_archived')
    .on('accounts')
    .columns(['workspace_id', 'org_unit_id', 'archived_at'])
    .execute();
  await db.schema.dropIndex('contacts_ws_account').execute();
  await db.schema
    .createIndex('contacts_ws_account_archived')
    .on('contacts')
    .columns(['workspace_id', 'account_id', 'archived_at'])
    .execute();
}
