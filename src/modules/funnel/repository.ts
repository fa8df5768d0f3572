import { sql, type Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';

/**
 * The funnel's kept totals (docs/targets.md § Funnel): every query on `funnel_totals`, the
 * recount they are proven equal to, and the raw reads funnel health needs.
 */

/** Where one deal counts in the totals; null when it counts nowhere (lost, abandoned, no process). */
export interface FunnelKey {
  workspace_id: number;
  process_id: number;
  stage_id: number;
  org_unit_id: number;
  owner_id: number;
  status: string;
  close_month: string;
  size_class: string;
}

export interface DealFacts {
  id: number;
  process_id: number | null;
  stage_id: number | null;
  org_unit_id: number;
  owner_id: number;
  status: string;
  expected_close_date: string | null;
  amount: number;
}

/** The facts of the deals that decide where they count (read before and after a change). */
export async function dealFacts(db: Kysely<Database>, workspaceId: number, ids: readonly number[]): Promise<DealFacts[]> {
  if (ids.length === 0) return [];
  const rows: DealFacts[] = [];
  // Bounded IN lists: a handover may move thousands of deals.
  for (let i = 0; i < ids.length; i += 500) {
    rows.push(...await db.selectFrom('opportunities')
      .select(['id', 'process_id', 'stage_id', 'org_unit_id', 'owner_id', 'status', 'expected_close_date', 'amount'])
      .where('workspace_id', '=', workspaceId).where('id', 'in', ids.slice(i, i + 500)).execute());
  }
  return rows;
}

const KEY_COLUMNS = ['workspace_id', 'process_id', 'owner_id', 'status', 'close_month', 'stage_id', 'org_unit_id', 'size_class'] as const;

/** Adds (or with negative figures, takes away) deals from the totals; rows that reach zero deals go. */
export async function addToTotals(db: Kysely<Database>, deltas: readonly (FunnelKey & { deals: number; amount: number })[]): Promise<void> {
  for (const d of deltas) {
    await db.insertInto('funnel_totals').values(d)
      .onConflict((oc) => oc.columns([...KEY_COLUMNS]).doUpdateSet((eb) => ({
        deals: eb('funnel_totals.deals', '+', eb.ref('excluded.deals')),
        amount: eb('funnel_totals.amount', '+', eb.ref('excluded.amount')),
      })))
      .execute();
    if (d.deals < 0) {
      let q = db.deleteFrom('funnel_totals').where('deals', '<=', 0);
      for (const c of KEY_COLUMNS) q = q.where(c, '=', d[c]);
      await q.execute();
    }
  }
}

const recountSelect = (db: Kysely<Database>, workspaceId: number, threshold: number) => {
  const month = sql<string>`coalesce(substr(expected_close_date, 1, 7), '')`;
  const size = sql<string>`case when amount >= ${sql.lit(Math.trunc(Number(threshold)))} then 'large' else 'small' end`;
  return db.selectFrom('opportunities')
    .select((eb) => [
      'workspace_id', eb.fn.coalesce('process_id', sql.lit(0)).as('process_id'), eb.fn.coalesce('stage_id', sql.lit(0)).as('stage_id'), 'org_unit_id', 'owner_id', 'status',
      month.as('close_month'), size.as('size_class'), eb.fn.countAll<number>().as('deals'), eb.fn.sum<number>('amount').as('amount'),
    ])
    .where('workspace_id', '=', workspaceId).where('status', 'in', ['open', 'won']).where('process_id', 'is not', null).where('stage_id', 'is not', null)
    .groupBy(['workspace_id', 'process_id', 'stage_id', 'org_unit_id', 'owner_id', 'status', month, size]);
};

/** The totals counted afresh from the deals: what the kept totals must always equal. */
export async function recountTotals(db: Kysely<Database>, workspaceId: number, threshold: number) {
  return (await recountSelect(db, workspaceId, threshold).execute()).map((r) => ({ ...r, deals: Number(r.deals), amount: Number(r.amount) }));
}

export async function storedTotals(db: Kysely<Database>, workspaceId: number) {
  return (await db.selectFrom('funnel_totals').selectAll().where('workspace_id', '=', workspaceId).execute()).map((r) => ({ ...r, deals: Number(r.deals), amount: Number(r.amount) }));
}

/** Replaces a workspace's totals with a recount (after a bulk load, or a new large-deal threshold). */
export async function rebuildTotals(db: Kysely<Database>, workspaceId: number, threshold: number): Promise<void> {
  await db.deleteFrom('funnel_totals').where('workspace_id', '=', workspaceId).execute();
  await db.insertInto('funnel_totals')
    .columns(['workspace_id', 'process_id', 'stage_id', 'org_unit_id', 'owner_id', 'status', 'close_month', 'size_class', 'deals', 'amount'])
    .expression(recountSelect(db, workspaceId, threshold))
    .execute();
}
