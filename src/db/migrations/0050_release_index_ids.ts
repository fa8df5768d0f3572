import { sql, type Kysely } from 'kysely';
import type { Engine } from '../dialect.ts';

/**
 * The nightly pool release's read of the accounts due (issue 10, src/modules/pool/repository/
 * release.ts dueAccountIds) from accounts_ws_release alone on PostgreSQL too. Migration 0029's
 * index holds the filter but not the id, which the read returns and its two probes join on; on
 * SQLite every index entry carries the rowid, which is the id, but PostgreSQL had to visit each
 * candidate's row, and at the scale set (13,600 tier C candidates spread over all of the table's
 * 12,500 pages) chose a parallel scan of the whole table: three processes on two cores for
 * 0.6 s a tier, beside other users' lists. With the id in the index the candidates are an
 * index-only range (485 pages). SQLite's index is left as it is.
 */
export async function up(db: Kysely<unknown>, engine: Engine): Promise<void> {
  if (engine !== 'postgres') return;
  await sql`drop index accounts_ws_release`.execute(db);
  await sql`create index accounts_ws_release on accounts
    (workspace_id, in_pool, tier, last_follow_up_at, created_at, id)
    where archived_at is null and owner_id is not null`.execute(db);
}
