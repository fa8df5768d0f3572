import { sql, type Kysely } from 'kysely';
import type { Database } from '../../../db/schema.ts';

/**
 * The recount baseline: the kept totals counted afresh from the deals — what a rebuild writes and
 * what the tests prove the kept totals always equal.
 */

export const recountSelect = (db: Kysely<Database>, workspaceId: number, threshold: number) => {
  const month = sql<string>`coalesce(substr(expected_close_date, 1, 7), '')`;
  const size = sql<string>`case when amount >= ${sql.lit(Math.trunc(Number(threshold)))} then 'large' else 'small' end`;
  return db
    .selectFrom('opportunities')
    .select((eb) => [
      'workspace_id',
      eb.fn.coalesce('process_id', sql.lit(0)).as('process_id'),
      eb.fn.coalesce('stage_id', sql.lit(0)).as('stage_id'),
      'org_unit_id',
      'owner_id',
      'status',
      month.as('close_month'),
      size.as('size_class'),
      'business_line',
      eb.fn.countAll<number>().as('deals'),
      eb.fn.sum<number>('amount').as('amount'),
    ])
    .where('workspace_id', '=', workspaceId)
    .where('status', 'in', ['open', 'won'])
    .where('process_id', 'is not', null)
    .where('stage_id', 'is not', null)
    .groupBy([
      'workspace_id',
      'process_id',
      'stage_id',
      'org_unit_id',
      'owner_id',
      'status',
      month,
      size,
      'business_line',
    ]);
};

/** The totals counted afresh from the deals: what the kept totals must always equal. */
export async function recountTotals(db: Kysely<Database>, workspaceId: number, threshold: number) {
  return (await recountSelect(db, workspaceId, threshold).execute()).map((row) => ({
    ...row,
    deals: Number(row.deals),
    amount: Number(row.amount),
  }));
}

export async function storedTotals(db: Kysely<Database>, workspaceId: number) {
  return (await db.selectFrom('funnel_totals').selectAll().where('workspace_id', '=', workspaceId).execute()).map(
    (r) => ({ ...r, deals: Number(r.deals), amount: Number(r.amount) }),
  );
}

/** The subtree totals counted from the deals themselves (for the test that the kept ones agree). */
export async function recountUnitTotals(db: Kysely<Database>, workspaceId: number, threshold: number) {
  const month = sql<string>`coalesce(substr(o.expected_close_date, 1, 7), '')`;
  const size = sql<string>`case when o.amount >= ${sql.lit(Math.trunc(Number(threshold)))} then 'large' else 'small' end`;
  const rows = await db
    .selectFrom('opportunities as o')
    .innerJoin('org_units as u', 'u.id', 'o.org_unit_id')
    .innerJoin('org_units as a', (joinBuilder) =>
      joinBuilder.onRef('a.workspace_id', '=', 'u.workspace_id').on(sql<boolean>`u.path like a.path || '%'`),
    )
    .select((eb) => [
      'o.workspace_id',
      'o.process_id',
      'a.id as unit_id',
      'o.status',
      month.as('close_month'),
      'o.stage_id',
      size.as('size_class'),
      'o.business_line',
      eb.fn.countAll<number>().as('deals'),
      eb.fn.sum<number>('o.amount').as('amount'),
    ])
    .where('o.workspace_id', '=', workspaceId)
    .where('o.status', 'in', ['open', 'won'])
    .where('o.process_id', 'is not', null)
    .where('o.stage_id', 'is not', null)
    .groupBy(['o.workspace_id', 'o.process_id', 'a.id', 'o.status', month, 'o.stage_id', size, 'o.business_line'])
    .execute();
  return rows.map((r) => ({ ...r, deals: Number(r.deals), amount: Number(r.amount) }));
}

export async function storedUnitTotals(db: Kysely<Database>, workspaceId: number) {
  return (await db.selectFrom('funnel_unit_totals').selectAll().where('workspace_id', '=', workspaceId).execute()).map(
    (r) => ({ ...r, deals: Number(r.deals), amount: Number(r.amount) }),
  );
}
