import { sql, type Kysely } from 'kysely';
import type { Engine } from '../dialect.ts';

/**
 * Indexes that give each list its default order and each scope its rows (issue 8; the plans
 * are held by test/sql/plans.test.ts). A list page in its default order is then read from the
 * index and stops after the page, instead of sorting the whole workspace first:
 * - accounts and opportunities by (updated_at, id) — the id too, so PostgreSQL needs no sort
 *   for the tie-breaker (SQLite has the rowid in every index anyway);
 * - contacts by name as people read it (nameOrder in db/dialect.ts: the zh_sort_key function
 *   on SQLite, the keyline_zh collation on PostgreSQL), the expression the list sorts by;
 * - the pool by (in_pool, pool_since, id), its default order.
 * accounts_ws_updated is replaced by the wider index, which serves every query it served.
 */
export async function up(db: Kysely<unknown>, engine: Engine): Promise<void> {
  await db.schema.dropIndex('accounts_ws_updated').execute();
  await db.schema
    .createIndex('accounts_ws_updated_id')
    .on('accounts')
    .columns(['workspace_id', 'updated_at', 'id'])
    .execute();
  await db.schema
    .createIndex('opportunities_ws_updated_id')
    .on('opportunities')
    .columns(['workspace_id', 'updated_at', 'id'])
    .execute();
  await db.schema
    .createIndex('accounts_ws_pool_since')
    .on('accounts')
    .columns(['workspace_id', 'in_pool', 'pool_since', 'id'])
    .execute();
  const contactName = engine === 'postgres' ? sql`name collate keyline_zh` : sql`zh_sort_key(name)`;
  await sql`create index contacts_ws_name on contacts (workspace_id, ${contactName}, id)`.execute(db);
}
