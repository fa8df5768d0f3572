import { sql, type Kysely } from 'kysely';
import type { Database } from '../../../db/schema.ts';
import { dealsWhere, totalsWhere, unitTotalsWhere, type DealFilter, type MonthRange } from './filters.ts';

/**
 * The funnel's figures per stage and per business line: from the kept totals (months, quarters,
 * years), or counted from the deals themselves (a week, finer than the totals' months).
 */

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

/**
 * A process's stages with its name, in one read (a funnel's first step; a process always keeps
 * its won stage, so no row means no such process in the workspace — the caller checks that apart).
 */
export async function stagesWithProcessName(db: Kysely<Database>, workspaceId: number, processId: number) {
  return db
    .selectFrom('process_stages')
    .innerJoin('sales_processes', (join) =>
      join
        .onRef('sales_processes.id', '=', 'process_stages.process_id')
        .onRef('sales_processes.workspace_id', '=', 'process_stages.workspace_id'),
    )
    .selectAll('process_stages')
    .select('sales_processes.name as process_name')
    .where('process_stages.workspace_id', '=', workspaceId)
    .where('process_stages.process_id', '=', processId)
    .orderBy('process_stages.position')
    .execute();
}

/**
 * Deals and amount per stage and size class, from the kept totals: one person's rows of the
 * per-owner totals, or a unit's (the workspace's: its top units') rows of the subtree totals.
 * A null process reads every process (stage ids are unique across them).
 */
function ownerStageTotals(
  db: Kysely<Database>,
  workspaceId: number,
  processId: number | null,
  filter: DealFilter,
  status: 'open' | 'won',
  months: MonthRange,
) {
  return totalsWhere(db, workspaceId, processId, filter, status, months)
    .select((eb) => [
      'funnel_totals.status',
      'funnel_totals.stage_id',
      'funnel_totals.size_class',
      eb.fn.sum<number>('funnel_totals.deals').as('deals'),
      eb.fn.sum<number>('funnel_totals.amount').as('amount'),
    ])
    .groupBy(['funnel_totals.status', 'funnel_totals.stage_id', 'funnel_totals.size_class']);
}

function unitStageTotals(
  db: Kysely<Database>,
  workspaceId: number,
  processId: number | null,
  filter: DealFilter,
  status: 'open' | 'won',
  months: MonthRange,
) {
  return unitTotalsWhere(db, workspaceId, processId, filter, status, months)
    .select((eb) => [
      'status',
      'stage_id',
      'size_class',
      eb.fn.sum<number>('deals').as('deals'),
      eb.fn.sum<number>('amount').as('amount'),
    ])
    .groupBy(['status', 'stage_id', 'size_class']);
}

type StageTotalRow = { status: string; stage_id: number; size_class: string; deals: number; amount: number };
const stageFigures = (rows: StageTotalRow[]) =>
  rows.map((row) => ({
    stageId: row.stage_id,
    sizeClass: row.size_class,
    deals: Number(row.deals),
    amount: Number(row.amount),
  }));

export async function totalsByStage(
  db: Kysely<Database>,
  workspaceId: number,
  processId: number | null,
  filter: DealFilter,
  status: 'open' | 'won',
  months: MonthRange,
) {
  const rows: StageTotalRow[] =
    filter.kind === 'user'
      ? await ownerStageTotals(db, workspaceId, processId, filter, status, months).execute()
      : await unitStageTotals(db, workspaceId, processId, filter, status, months).execute();
  return stageFigures(rows);
}

/** The open deals of some months and the won ones of others, in one statement: a funnel's two reads, one round trip. */
export async function openAndWonByStage(
  db: Kysely<Database>,
  workspaceId: number,
  processId: number,
  filter: DealFilter,
  open: MonthRange,
  won: MonthRange,
) {
  const rows: StageTotalRow[] =
    filter.kind === 'user'
      ? await ownerStageTotals(db, workspaceId, processId, filter, 'open', open)
          .unionAll(ownerStageTotals(db, workspaceId, processId, filter, 'won', won))
          .execute()
      : await unitStageTotals(db, workspaceId, processId, filter, 'open', open)
          .unionAll(unitStageTotals(db, workspaceId, processId, filter, 'won', won))
          .execute();
  return {
    open: stageFigures(rows.filter((row) => row.status === 'open')),
    won: stageFigures(rows.filter((row) => row.status === 'won')),
  };
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
      : await unitTotalsWhere(db, workspaceId, null, filter, status, months)
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

/**
 * Deals and amount per stage and per one more column — the owner (the per-member table) or the
 * business line — counted from the deals by close date [from, to): a week's figures, and the
 * benchmark's baseline.
 */
export async function dealsByStageAnd(
  db: Kysely<Database>,
  workspaceId: number,
  processId: number | null,
  filter: DealFilter,
  status: 'open' | 'won',
  dates: { from: string | null; to: string | null },
  column: 'owner_id' | 'business_line',
) {
  const ref = column === 'owner_id' ? ('opportunities.owner_id' as const) : ('opportunities.business_line' as const);
  const rows = await dealsWhere(db, workspaceId, processId, filter, status, dates)
    .select((eb) => [
      eb.ref(ref).as('key'),
      'opportunities.stage_id',
      eb.fn.countAll<number>().as('deals'),
      eb.fn.sum<number>('opportunities.amount').as('amount'),
    ])
    .groupBy([ref, 'opportunities.stage_id'])
    .execute();
  return rows.map((row) => ({
    key: row.key,
    stageId: row.stage_id ?? 0,
    deals: Number(row.deals),
    amount: Number(row.amount),
  }));
}

/** Per line in every process, counted from the deals by close date [from, to): a week's figures. */
export async function dealsByLine(
  db: Kysely<Database>,
  workspaceId: number,
  filter: DealFilter,
  status: 'open' | 'won',
  dates: { from: string | null; to: string | null },
) {
  const rows = await dealsByStageAnd(db, workspaceId, null, filter, status, dates, 'business_line');
  return rows.map(({ key, ...row }) => ({ line: String(key), ...row }));
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
