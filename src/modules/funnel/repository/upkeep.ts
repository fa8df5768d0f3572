import { sql, type Kysely } from 'kysely';
import type { Database } from '../../../db/schema.ts';
import { recountSelect } from './recount.ts';

/**
 * The funnel's kept totals as they are written (docs/targets.md § Funnel): the facts that decide
 * where a deal counts, the deltas a change applies, the rebuilds, and the business-line stamping.
 * Called by ../upkeep.ts inside the writing transaction.
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
  /** The deal's business line, '' for none (docs/targets.md § Business lines). */
  business_line: string;
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
  /** JSON list of product names: what decides the business line. */
  products: string;
  business_line: string;
}

/** The facts of the deals that decide where they count (read before and after a change). */
export async function dealFacts(
  db: Kysely<Database>,
  workspaceId: number,
  ids: readonly number[],
): Promise<DealFacts[]> {
  if (ids.length === 0) return [];
  const rows: DealFacts[] = [];
  // Bounded IN lists: a handover may move thousands of deals.
  for (let i = 0; i < ids.length; i += 500) {
    rows.push(
      ...(await db
        .selectFrom('opportunities')
        .select([
          'id',
          'process_id',
          'stage_id',
          'org_unit_id',
          'owner_id',
          'status',
          'expected_close_date',
          'amount',
          'products',
          'business_line',
        ])
        .where('workspace_id', '=', workspaceId)
        .where('id', 'in', ids.slice(i, i + 500))
        .execute()),
    );
  }
  return rows;
}

const KEY_COLUMNS = [
  'workspace_id',
  'process_id',
  'owner_id',
  'status',
  'close_month',
  'stage_id',
  'org_unit_id',
  'size_class',
  'business_line',
] as const;

/**
 * Adds (or with negative figures, takes away) deals from the totals: the owner's row, and the
 * row of their unit and of every unit above it. Rows that reach zero deals go.
 */
export async function addToTotals(
  db: Kysely<Database>,
  deltas: readonly (FunnelKey & { deals: number; amount: number })[],
): Promise<void> {
  if (deltas.length === 0) return;
  for (const delta of deltas) {
    await db
      .insertInto('funnel_totals')
      .values(delta)
      .onConflict((oc) =>
        oc.columns([...KEY_COLUMNS]).doUpdateSet((eb) => ({
          deals: eb('funnel_totals.deals', '+', eb.ref('excluded.deals')),
          amount: eb('funnel_totals.amount', '+', eb.ref('excluded.amount')),
        })),
      )
      .execute();
    if (delta.deals < 0) {
      let query = db.deleteFrom('funnel_totals').where('deals', '<=', 0);
      for (const column of KEY_COLUMNS) query = query.where(column, '=', delta[column]);
      await query.execute();
    }
  }
  const workspaceId = deltas[0]!.workspace_id;
  const paths = new Map(
    (
      await db
        .selectFrom('org_units')
        .select(['id', 'path'])
        .where('workspace_id', '=', workspaceId)
        .where('id', 'in', [...new Set(deltas.map((d) => d.org_unit_id))])
        .execute()
    ).map((u) => [u.id, u.path]),
  );
  const net = new Map<string, FunnelUnitKey & { deals: number; amount: number }>();
  for (const delta of deltas) {
    for (const unitId of (paths.get(delta.org_unit_id) ?? '').split('/').filter(Boolean).map(Number)) {
      const key: FunnelUnitKey = {
        workspace_id: delta.workspace_id,
        process_id: delta.process_id,
        unit_id: unitId,
        status: delta.status,
        close_month: delta.close_month,
        stage_id: delta.stage_id,
        size_class: delta.size_class,
        business_line: delta.business_line,
      };
      const mapKey = JSON.stringify(key);
      const have = net.get(mapKey) ?? { ...key, deals: 0, amount: 0 };
      have.deals += delta.deals;
      have.amount += delta.amount;
      net.set(mapKey, have);
    }
  }
  for (const total of net.values()) {
    if (total.deals === 0 && total.amount === 0) continue;
    await db
      .insertInto('funnel_unit_totals')
      .values(total)
      .onConflict((oc) =>
        oc.columns([...UNIT_KEY_COLUMNS]).doUpdateSet((eb) => ({
          deals: eb('funnel_unit_totals.deals', '+', eb.ref('excluded.deals')),
          amount: eb('funnel_unit_totals.amount', '+', eb.ref('excluded.amount')),
        })),
      )
      .execute();
    if (total.deals < 0) {
      let query = db.deleteFrom('funnel_unit_totals').where('deals', '<=', 0);
      for (const column of UNIT_KEY_COLUMNS) query = query.where(column, '=', total[column]);
      await query.execute();
    }
  }
}

const UNIT_KEY_COLUMNS = [
  'workspace_id',
  'process_id',
  'unit_id',
  'status',
  'close_month',
  'stage_id',
  'size_class',
  'business_line',
] as const;
type FunnelUnitKey = Pick<Database['funnel_unit_totals'], (typeof UNIT_KEY_COLUMNS)[number]>;

/** Replaces a workspace's totals with a recount (after a bulk load, or a new large-deal threshold). */
export async function rebuildTotals(db: Kysely<Database>, workspaceId: number, threshold: number): Promise<void> {
  await db.deleteFrom('funnel_totals').where('workspace_id', '=', workspaceId).execute();
  await db
    .insertInto('funnel_totals')
    .columns([
      'workspace_id',
      'process_id',
      'stage_id',
      'org_unit_id',
      'owner_id',
      'status',
      'close_month',
      'size_class',
      'business_line',
      'deals',
      'amount',
    ])
    .expression(recountSelect(db, workspaceId, threshold))
    .execute();
  await rebuildUnitTotals(db, workspaceId);
}

/** A page of a workspace's deals with their products and line, by id (the line stamping of a rebuild). */
export async function dealProducts(db: Kysely<Database>, workspaceId: number, afterId: number, limit: number) {
  return db
    .selectFrom('opportunities')
    .select(['id', 'products', 'business_line'])
    .where('workspace_id', '=', workspaceId)
    .where('id', '>', afterId)
    .orderBy('id')
    .limit(limit)
    .execute();
}

/** Stamps deals with a business line. */
export async function setBusinessLine(db: Kysely<Database>, workspaceId: number, ids: readonly number[], line: string) {
  for (let i = 0; i < ids.length; i += 500)
    await db
      .updateTable('opportunities')
      .set({ business_line: line })
      .where('workspace_id', '=', workspaceId)
      .where('id', 'in', ids.slice(i, i + 500))
      .execute();
}

/** A workspace without lines: every deal is of no line. */
export async function clearBusinessLines(db: Kysely<Database>, workspaceId: number) {
  await db
    .updateTable('opportunities')
    .set({ business_line: '' })
    .where('workspace_id', '=', workspaceId)
    .where('business_line', '<>', '')
    .execute();
}

/** The subtree totals summed afresh from the per-owner ones: each unit holds its own and everything below it. */
function unitRecountSelect(db: Kysely<Database>, workspaceId: number) {
  return db
    .selectFrom('funnel_totals as t')
    .innerJoin('org_units as u', 'u.id', 't.org_unit_id')
    .innerJoin('org_units as a', (joinBuilder) =>
      joinBuilder.onRef('a.workspace_id', '=', 'u.workspace_id').on(sql<boolean>`u.path like a.path || '%'`),
    )
    .select((eb) => [
      't.workspace_id',
      't.process_id',
      'a.id as unit_id',
      't.status',
      't.close_month',
      't.stage_id',
      't.size_class',
      't.business_line',
      eb.fn.sum<number>('t.deals').as('deals'),
      eb.fn.sum<number>('t.amount').as('amount'),
    ])
    .where('t.workspace_id', '=', workspaceId)
    .groupBy([
      't.workspace_id',
      't.process_id',
      'a.id',
      't.status',
      't.close_month',
      't.stage_id',
      't.size_class',
      't.business_line',
    ]);
}

/** After the tree changed shape (a unit moved), the subtree totals follow it. */
export async function rebuildUnitTotals(db: Kysely<Database>, workspaceId: number): Promise<void> {
  await db.deleteFrom('funnel_unit_totals').where('workspace_id', '=', workspaceId).execute();
  await db
    .insertInto('funnel_unit_totals')
    .columns([
      'workspace_id',
      'process_id',
      'unit_id',
      'status',
      'close_month',
      'stage_id',
      'size_class',
      'business_line',
      'deals',
      'amount',
    ])
    .expression(unitRecountSelect(db, workspaceId))
    .execute();
}
