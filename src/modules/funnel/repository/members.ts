import { sql, type Kysely } from 'kysely';
import type { Database } from '../../../db/schema.ts';
import { dealsByStageAnd } from './reads.ts';
import { monthsCondition, ownerRowsOf, type DealFilter, type MonthRange } from './filters.ts';

/** The funnel's per-member table: each person's deals per stage, and the people of its rows. */

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
  const query = ownerRowsOf(
    db,
    workspaceId,
    db
      .selectFrom('funnel_totals')
      .where('funnel_totals.workspace_id', '=', workspaceId)
      .where('funnel_totals.process_id', '=', processId)
      .where(
        sql<boolean>`((funnel_totals.status = 'open' and ${monthsCondition('funnel_totals.close_month', months.open)}) or (funnel_totals.status = 'won' and ${monthsCondition('funnel_totals.close_month', months.won)}))`,
      ),
    filter,
  );
  // The rows as read (sums may be strings on PostgreSQL): the table adds them up in one pass.
  return query
    .select((eb) => [
      'funnel_totals.owner_id',
      'funnel_totals.stage_id',
      'funnel_totals.status',
      eb.fn.sum<number | string>('funnel_totals.deals').as('deals'),
      eb.fn.sum<number | string>('funnel_totals.amount').as('amount'),
    ])
    .groupBy(['funnel_totals.owner_id', 'funnel_totals.stage_id', 'funnel_totals.status'])
    .execute();
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
  const rows = await dealsByStageAnd(db, workspaceId, processId, filter, status, dates, 'owner_id');
  return rows.map((row) => ({
    owner_id: Number(row.key),
    stage_id: row.stageId,
    status,
    deals: row.deals,
    amount: row.amount,
  }));
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
