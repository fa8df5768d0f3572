import { sql, type Kysely } from 'kysely';
import { instantType } from '../dialect.ts';

/**
 * When a workspace's tiers were last computed (the tier summary's "last computed"), kept on the
 * workspace instead of on every account (issue 8). Stamping `accounts.tier_computed_at` rewrote all
 * of a workspace's accounts every night even when no value changed: at the scale set 100,000 row
 * versions in 200 batches, each a new entry in every one of the table's 15 indexes (the rows'
 * pages are full, so no HOT update), and until autovacuum came by PostgreSQL's index-only scans of
 * accounts had to visit the table for every row — a manager's account count went from 6 to 210 ms
 * (15,303 heap fetches) for the rest of a fresh copy's first start (docs/benchmarks.md, 7 December
 * 02:00). The recompute now writes only the accounts whose values changed and this one row.
 * `accounts.tier_computed_at` keeps what it held (no longer written); the stamp starts from its latest.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('workspaces').addColumn('tiers_computed_at', instantType).execute();
  await sql`update workspaces set tiers_computed_at =
    (select max(accounts.tier_computed_at) from accounts where accounts.workspace_id = workspaces.id)`.execute(db);
}
