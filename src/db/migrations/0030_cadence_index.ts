import { sql, type Kysely } from 'kysely';

/**
 * The supervision view (GET /cadence/compliance, docs/rhythm.md § Cadence) counts each rep's
 * active, owned accounts and how many are overdue or due soon. This index holds exactly those
 * accounts (outside the pool, not archived) in owner order, with every column the cadence clock
 * needs (tier, last follow-up, creation) and the unit the scope tests, so the counting walks it
 * without reading the accounts table or sorting to group (README § Benchmarks). It is partial so
 * that no other read mistakes it for theirs: the account list and the pool keep their own
 * indexes (test/sql/plans.test.ts), and only a query that says `in_pool = 0` in its text can use it.
 * The two columns of its condition are in it as well: SQLite counts a partial index as covering
 * only when it holds every column the query names, the condition's included.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createIndex('accounts_cadence')
    .on('accounts')
    .columns([
      'workspace_id',
      'owner_id',
      'tier',
      'last_follow_up_at',
      'created_at',
      'org_unit_id',
      'in_pool',
      'archived_at',
    ])
    .where(sql.ref('in_pool'), '=', sql.lit(0))
    .where(sql.ref('archived_at'), 'is', null)
    .execute();
}
