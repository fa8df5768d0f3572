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

const recountSelect = (db: Kysely<Database>, workspaceId: number, threshold: number) => {
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

// ————— Reads —————

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

/** The process a funnel opens on: the active one holding the most open deals (the top units' totals), else the first. */
export async function defaultProcess(db: Kysely<Database>, workspaceId: number) {
  const busiest = await db
    .selectFrom('funnel_unit_totals')
    .innerJoin('sales_processes', (joinBuilder) =>
      joinBuilder
        .onRef('sales_processes.id', '=', 'funnel_unit_totals.process_id')
        .on('sales_processes.active', '=', 1),
    )
    .select(['sales_processes.id', 'sales_processes.name'])
    .where('funnel_unit_totals.workspace_id', '=', workspaceId)
    .where('funnel_unit_totals.status', '=', 'open')
    .where(
      'funnel_unit_totals.unit_id',
      'in',
      db.selectFrom('org_units').select('id').where('workspace_id', '=', workspaceId).where('parent_id', 'is', null),
    )
    .groupBy(['sales_processes.id', 'sales_processes.name'])
    .orderBy((eb) => eb.fn.sum('funnel_unit_totals.deals'), 'desc')
    .orderBy('sales_processes.id')
    .executeTakeFirst();
  return (
    busiest ??
    db
      .selectFrom('sales_processes')
      .select(['id', 'name'])
      .where('workspace_id', '=', workspaceId)
      .where('active', '=', 1)
      .orderBy('id')
      .executeTakeFirst()
  );
}

function totalsWhere(
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
  if (filter.kind === 'user') query = query.where('funnel_totals.owner_id', '=', filter.userId);
  if (filter.kind === 'unit') {
    query = query.where(
      'funnel_totals.org_unit_id',
      'in',
      db
        .selectFrom('org_units')
        .select('id')
        .where('workspace_id', '=', workspaceId)
        .where('path', 'like', `${filter.path}%`),
    );
  }
  if (filter.line !== undefined) query = query.where('funnel_totals.business_line', '=', filter.line);
  // '' (no close date) sorts before every month: a lower bound of '0' keeps it out.
  if (months.from !== null || months.to !== null)
    query = query.where('funnel_totals.close_month', '>=', months.from ?? '0');
  if (months.to !== null) query = query.where('funnel_totals.close_month', '<=', months.to);
  return query;
}

/**
 * Deals and amount per stage and size class, from the kept totals: one person's rows of the
 * per-owner totals, or a unit's (the workspace's: its top units') rows of the subtree totals.
 * A null process reads every process (stage ids are unique across them).
 */
export async function totalsByStage(
  db: Kysely<Database>,
  workspaceId: number,
  processId: number | null,
  filter: DealFilter,
  status: 'open' | 'won',
  months: MonthRange,
) {
  if (filter.kind === 'user') {
    const rows = await totalsWhere(db, workspaceId, processId, filter, status, months)
      .select((eb) => [
        'funnel_totals.stage_id',
        'funnel_totals.size_class',
        eb.fn.sum<number>('funnel_totals.deals').as('deals'),
        eb.fn.sum<number>('funnel_totals.amount').as('amount'),
      ])
      .groupBy(['funnel_totals.stage_id', 'funnel_totals.size_class'])
      .execute();
    return rows.map((row) => ({
      stageId: row.stage_id,
      sizeClass: row.size_class,
      deals: Number(row.deals),
      amount: Number(row.amount),
    }));
  }
  let query = db.selectFrom('funnel_unit_totals').where('workspace_id', '=', workspaceId).where('status', '=', status);
  if (processId !== null) query = query.where('process_id', '=', processId);
  query =
    filter.kind === 'unit'
      ? query.where(
          'unit_id',
          '=',
          db
            .selectFrom('org_units')
            .select('id')
            .where('workspace_id', '=', workspaceId)
            .where('path', '=', filter.path),
        )
      : query.where(
          'unit_id',
          'in',
          db
            .selectFrom('org_units')
            .select('id')
            .where('workspace_id', '=', workspaceId)
            .where('parent_id', 'is', null),
        );
  if (filter.line !== undefined) query = query.where('business_line', '=', filter.line);
  if (months.from !== null || months.to !== null) query = query.where('close_month', '>=', months.from ?? '0');
  if (months.to !== null) query = query.where('close_month', '<=', months.to);
  const rows = await query
    .select((eb) => [
      'stage_id',
      'size_class',
      eb.fn.sum<number>('deals').as('deals'),
      eb.fn.sum<number>('amount').as('amount'),
    ])
    .groupBy(['stage_id', 'size_class'])
    .execute();
  return rows.map((row) => ({
    stageId: row.stage_id,
    sizeClass: row.size_class,
    deals: Number(row.deals),
    amount: Number(row.amount),
  }));
}

/**
 * Deals and amount per business line in every process, from the kept totals (a person's rows of
 * the per-owner totals, a unit's or the workspace's of the subtree totals): what each line won
 * or has open in a period (docs/targets.md § Business lines).
 */
export async function totalsByLine(
  db: Kysely<Database>,
  workspaceId: number,
  filter: DealFilter,
  status: 'open' | 'won',
  months: MonthRange,
) {
  const rows =
    filter.kind === 'user'
      ? await totalsWhere(db, workspaceId, null, filter, status, months)
          .select((eb) => [
            'funnel_totals.business_line',
            'funnel_totals.stage_id',
            eb.fn.sum<number>('funnel_totals.deals').as('deals'),
            eb.fn.sum<number>('funnel_totals.amount').as('amount'),
          ])
          .groupBy(['funnel_totals.business_line', 'funnel_totals.stage_id'])
          .execute()
      : await db
          .selectFrom('funnel_unit_totals')
          .where('workspace_id', '=', workspaceId)
          .where('status', '=', status)
          .where(
            'unit_id',
            'in',
            filter.kind === 'unit'
              ? db
                  .selectFrom('org_units')
                  .select('id')
                  .where('workspace_id', '=', workspaceId)
                  .where('path', '=', filter.path)
              : db
                  .selectFrom('org_units')
                  .select('id')
                  .where('workspace_id', '=', workspaceId)
                  .where('parent_id', 'is', null),
          )
          .$if(filter.line !== undefined, (query) => query.where('business_line', '=', filter.line!))
          .$if(months.from !== null || months.to !== null, (query) =>
            query.where('close_month', '>=', months.from ?? '0'),
          )
          .$if(months.to !== null, (query) => query.where('close_month', '<=', months.to!))
          .select((eb) => [
            'business_line',
            'stage_id',
            eb.fn.sum<number>('deals').as('deals'),
            eb.fn.sum<number>('amount').as('amount'),
          ])
          .groupBy(['business_line', 'stage_id'])
          .execute();
  return rows.map((row) => ({
    line: row.business_line,
    stageId: row.stage_id,
    deals: Number(row.deals),
    amount: Number(row.amount),
  }));
}

/** The same per line counted from the deals, by close date [from, to): a week's figures. */
export async function dealsByLine(
  db: Kysely<Database>,
  workspaceId: number,
  filter: DealFilter,
  status: 'open' | 'won',
  dates: { from: string | null; to: string | null },
) {
  const rows = await dealsWhere(db, workspaceId, null, filter, status, dates)
    .select((eb) => [
      'opportunities.business_line',
      'opportunities.stage_id',
      eb.fn.countAll<number>().as('deals'),
      eb.fn.sum<number>('opportunities.amount').as('amount'),
    ])
    .groupBy(['opportunities.business_line', 'opportunities.stage_id'])
    .execute();
  return rows.map((row) => ({
    line: row.business_line,
    stageId: row.stage_id ?? 0,
    deals: Number(row.deals),
    amount: Number(row.amount),
  }));
}

/** Deals and amount per owner and stage, from the kept totals (the per-member table). */
export async function totalsByOwner(
  db: Kysely<Database>,
  workspaceId: number,
  processId: number,
  filter: DealFilter,
  status: 'open' | 'won',
  months: MonthRange,
) {
  const rows = await totalsWhere(db, workspaceId, processId, filter, status, months)
    .select((eb) => [
      'funnel_totals.owner_id',
      'funnel_totals.stage_id',
      eb.fn.sum<number>('funnel_totals.deals').as('deals'),
      eb.fn.sum<number>('funnel_totals.amount').as('amount'),
    ])
    .groupBy(['funnel_totals.owner_id', 'funnel_totals.stage_id'])
    .execute();
  return rows.map((row) => ({
    ownerId: row.owner_id,
    stageId: row.stage_id,
    deals: Number(row.deals),
    amount: Number(row.amount),
  }));
}

/** A months condition on a totals table's close_month column ('' — no close date — only when unbounded). */
function monthsCondition(column: string, months: MonthRange) {
  if (months.from === null && months.to === null) return sql<boolean>`1 = 1`;
  if (months.to === null) return sql<boolean>`${sql.ref(column)} >= ${months.from ?? '0'}`;
  return sql<boolean>`${sql.ref(column)} >= ${months.from ?? '0'} and ${sql.ref(column)} <= ${months.to}`;
}

/**
 * The per-member table's one read: open deals (by `open` months) and won ones (by `won`
 * months) per owner and stage from the per-owner totals, in a single GROUP BY.
 */
export async function memberTotals(
  db: Kysely<Database>,
  workspaceId: number,
  processId: number,
  filter: DealFilter,
  months: { open: MonthRange; won: MonthRange },
) {
  let query = db
    .selectFrom('funnel_totals')
    .where('funnel_totals.workspace_id', '=', workspaceId)
    .where('funnel_totals.process_id', '=', processId)
    .where(
      sql<boolean>`((funnel_totals.status = 'open' and ${monthsCondition('funnel_totals.close_month', months.open)}) or (funnel_totals.status = 'won' and ${monthsCondition('funnel_totals.close_month', months.won)}))`,
    );
  if (filter.kind === 'user') query = query.where('funnel_totals.owner_id', '=', filter.userId);
  if (filter.line !== undefined) query = query.where('funnel_totals.business_line', '=', filter.line);
  if (filter.kind === 'unit')
    query = query.where(
      'funnel_totals.org_unit_id',
      'in',
      db
        .selectFrom('org_units')
        .select('id')
        .where('workspace_id', '=', workspaceId)
        .where('path', 'like', `${filter.path}%`),
    );
  const rows = await query
    .select((eb) => [
      'funnel_totals.owner_id',
      'funnel_totals.stage_id',
      'funnel_totals.status',
      eb.fn.sum<number>('funnel_totals.deals').as('deals'),
      eb.fn.sum<number>('funnel_totals.amount').as('amount'),
    ])
    .groupBy(['funnel_totals.owner_id', 'funnel_totals.stage_id', 'funnel_totals.status'])
    .execute();
  return rows.map((row) => ({
    ownerId: row.owner_id,
    stageId: row.stage_id,
    status: row.status,
    deals: Number(row.deals),
    amount: Number(row.amount),
  }));
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
  if (filter.kind === 'unit') {
    query = query.where(
      'opportunities.org_unit_id',
      'in',
      db
        .selectFrom('org_units')
        .select('id')
        .where('workspace_id', '=', workspaceId)
        .where('path', 'like', `${filter.path}%`),
    );
  }
  if (dates.from !== null || dates.to !== null)
    query = query.where('opportunities.expected_close_date', '>=', dates.from ?? '0');
  if (dates.to !== null) query = query.where('opportunities.expected_close_date', '<', dates.to);
  return query;
}

/**
 * The same per-stage figures counted from the deals themselves, by close date [from, to): for
 * a week (the totals are by month) and as the benchmark's baseline.
 */
export async function dealsByStage(
  db: Kysely<Database>,
  workspaceId: number,
  processId: number | null,
  filter: DealFilter,
  status: 'open' | 'won',
  dates: { from: string | null; to: string | null },
  threshold: number,
) {
  const size = sql<string>`case when opportunities.amount >= ${sql.lit(Math.trunc(Number(threshold)))} then 'large' else 'small' end`;
  const rows = await dealsWhere(db, workspaceId, processId, filter, status, dates)
    .select((eb) => [
      'opportunities.stage_id',
      size.as('size_class'),
      eb.fn.countAll<number>().as('deals'),
      eb.fn.sum<number>('opportunities.amount').as('amount'),
    ])
    .groupBy(['opportunities.stage_id', size])
    .execute();
  return rows.map((row) => ({
    stageId: row.stage_id ?? 0,
    sizeClass: row.size_class,
    deals: Number(row.deals),
    amount: Number(row.amount),
  }));
}

/** The per-owner figures counted from the deals (weeks, and the benchmark's baseline). */
export async function dealsByOwner(
  db: Kysely<Database>,
  workspaceId: number,
  processId: number,
  filter: DealFilter,
  status: 'open' | 'won',
  dates: { from: string | null; to: string | null },
) {
  const rows = await dealsWhere(db, workspaceId, processId, filter, status, dates)
    .select((eb) => [
      'opportunities.owner_id',
      'opportunities.stage_id',
      eb.fn.countAll<number>().as('deals'),
      eb.fn.sum<number>('opportunities.amount').as('amount'),
    ])
    .groupBy(['opportunities.owner_id', 'opportunities.stage_id'])
    .execute();
  return rows.map((row) => ({
    ownerId: row.owner_id,
    stageId: row.stage_id ?? 0,
    deals: Number(row.deals),
    amount: Number(row.amount),
  }));
}

/** Open deals of the funnel with when they entered their stage (time-in-step). */
export async function openDealAges(
  db: Kysely<Database>,
  workspaceId: number,
  processId: number,
  filter: DealFilter,
  dates: { from: string | null; to: string | null },
) {
  return dealsWhere(db, workspaceId, processId, filter, 'open', dates)
    .select([
      'opportunities.id',
      'opportunities.name',
      'opportunities.stage_id',
      'opportunities.stage_entered_at',
      'opportunities.created_at',
      'opportunities.amount',
    ])
    .execute();
}

/** Every stage's probability in the workspace (the objective figure reads every process). */
export async function stageProbabilities(db: Kysely<Database>, workspaceId: number) {
  const rows = await db
    .selectFrom('process_stages')
    .select(['id', 'probability'])
    .where('workspace_id', '=', workspaceId)
    .execute();
  return new Map(rows.map((r) => [r.id, r.probability]));
}

/** The active people of a subtree (or the workspace) with their units' names: the member rows. */
export async function membersUnder(db: Kysely<Database>, workspaceId: number, pathPrefix: string | null) {
  let query = db
    .selectFrom('users')
    .innerJoin('org_units', 'org_units.id', 'users.org_unit_id')
    .select(['users.id', 'users.name', 'users.org_unit_id', 'org_units.name as unit_name'])
    .where('users.workspace_id', '=', workspaceId)
    .where('users.active', '=', 1);
  if (pathPrefix) query = query.where('org_units.path', 'like', `${pathPrefix}%`);
  return query.execute();
}

/** The names of people and their units, for the member rows. */
export async function peopleNamed(db: Kysely<Database>, workspaceId: number, ids: readonly number[]) {
  if (ids.length === 0) return [];
  const out = [];
  for (let i = 0; i < ids.length; i += 1000) {
    out.push(
      ...(await db
        .selectFrom('users')
        .innerJoin('org_units', 'org_units.id', 'users.org_unit_id')
        .select(['users.id', 'users.name', 'users.org_unit_id', 'org_units.name as unit_name'])
        .where('users.workspace_id', '=', workspaceId)
        .where('users.id', 'in', ids.slice(i, i + 1000))
        .execute()),
    );
  }
  return out;
}

/** What the opportunity list's totals row and the board's column totals may read from the kept totals (src/modules/funnel/list-totals.ts). */
export interface KeptTotalsKey {
  status: 'open' | 'won';
  processId?: number | undefined;
  stageId?: number | undefined;
  ownerId?: number | undefined;
  /** The subtree's path ("/1/4/"); undefined: the whole workspace. */
  unitPath?: string | undefined;
  /** Expected close months ("2026-10"), both ends included: whole months only, as the totals are kept. */
  closeMonthFrom?: string | undefined;
  closeMonthTo?: string | undefined;
}

const keptSums = [
  sql<number | string | null>`sum(kept.deals)`.as('n'),
  sql<number | string | null>`sum(kept.amount)`.as('amount'),
  sql<number | string | null>`sum(kept.amount * stage.probability)`.as('weighted'),
];

/**
 * The sums of the kept totals a key describes — the per-owner rows for an owner, else the
 * per-subtree rows — in one row, or one row per stage.
 */
async function keptSumsOf(db: Kysely<Database>, workspaceId: number, key: KeptTotalsKey, byStage: boolean) {
  const { unitPath } = key;
  if (key.ownerId !== undefined)
    return db
      .selectFrom('funnel_totals as kept')
      .innerJoin('process_stages as stage', 'stage.id', 'kept.stage_id')
      .$if(unitPath !== undefined, (query) =>
        query.innerJoin('org_units as unit', 'unit.id', 'kept.org_unit_id').where('unit.path', 'like', `${unitPath}%`),
      )
      .where('kept.workspace_id', '=', workspaceId)
      .where('kept.owner_id', '=', key.ownerId)
      .where('kept.status', '=', key.status)
      .$if(key.processId !== undefined, (query) => query.where('kept.process_id', '=', key.processId!))
      .$if(key.stageId !== undefined, (query) => query.where('kept.stage_id', '=', key.stageId!))
      .$if(key.closeMonthFrom !== undefined, (query) => query.where('kept.close_month', '>=', key.closeMonthFrom!))
      .$if(key.closeMonthTo !== undefined, (query) => query.where('kept.close_month', '<=', key.closeMonthTo!))
      .$if(byStage, (query) => query.select('kept.stage_id').groupBy('kept.stage_id'))
      .select(keptSums)
      .execute();
  return (
    db
      .selectFrom('funnel_unit_totals as kept')
      .innerJoin('process_stages as stage', 'stage.id', 'kept.stage_id')
      .where('kept.workspace_id', '=', workspaceId)
      // A deal counts at its unit and every unit above: a subtree's top unit holds its total,
      // the workspace's is the sum over its top units.
      .where('kept.unit_id', 'in', (eb) => {
        const units = eb
          .selectFrom('org_units')
          .select('org_units.id')
          .where('org_units.workspace_id', '=', workspaceId);
        return unitPath === undefined
          ? units.where('org_units.parent_id', 'is', null)
          : units.where('org_units.path', '=', unitPath);
      })
      .where('kept.status', '=', key.status)
      .$if(key.processId !== undefined, (query) => query.where('kept.process_id', '=', key.processId!))
      .$if(key.stageId !== undefined, (query) => query.where('kept.stage_id', '=', key.stageId!))
      .$if(key.closeMonthFrom !== undefined, (query) => query.where('kept.close_month', '>=', key.closeMonthFrom!))
      .$if(key.closeMonthTo !== undefined, (query) => query.where('kept.close_month', '<=', key.closeMonthTo!))
      .$if(byStage, (query) => query.select('kept.stage_id').groupBy('kept.stage_id'))
      .select(keptSums)
      .execute()
  );
}

/** Count, amount and amount × stage probability of the deals a key describes, from the kept totals. */
export async function keptListTotals(db: Kysely<Database>, workspaceId: number, key: KeptTotalsKey) {
  const [row] = await keptSumsOf(db, workspaceId, key, false);
  return row ?? { n: 0, amount: 0, weighted: 0 };
}

/** The same per stage (the board's columns); a stage without deals has no row. */
export async function keptStageTotals(db: Kysely<Database>, workspaceId: number, key: KeptTotalsKey) {
  const rows = await keptSumsOf(db, workspaceId, key, true);
  return rows.map((row) => ({ ...row, stage_id: Number(row.stage_id) }));
}
