import { sql, type Kysely } from 'kysely';
import type { Database } from '../../../db/schema.ts';
import type { TargetSubject } from '../../../domain/policy.ts';
import { ofSubject } from './subjects.ts';

/** The deals a forecast is made of: won, open by category, their averages, a rep's own for the submission form. */
type Db = Kysely<Database>;

/** Won in [from, to) per owner: "finished" and "realised" (the deal's amount is its contract amount once won). */
export async function wonByOwner(
  db: Db,
  workspaceId: number,
  subject: TargetSubject,
  from: number,
  to: number,
  line?: string,
) {
  const rows = await db
    .selectFrom('opportunities')
    .select(['owner_id', sql<number>`coalesce(sum(amount), 0)`.as('amount'), sql<number>`count(*)`.as('deals')])
    .where('workspace_id', '=', workspaceId)
    .where('status', '=', 'won')
    .where('closed_at', '>=', from)
    .where('closed_at', '<', to)
    .where(ofSubject(workspaceId, subject, 'opportunities.owner_id', 'opportunities.org_unit_id'))
    .$if(line !== undefined, (query) => query.where('business_line', '=', line!))
    .groupBy('owner_id')
    .execute();
  return rows.map((r) => ({ ownerId: r.owner_id, amount: Number(r.amount), deals: Number(r.deals) }));
}

/**
 * Won in [from, to) summed into each of the given units' subtrees: one GROUP BY over the
 * deals' units (by path), rolled up here — not a query per unit.
 */
export async function wonInUnits(
  db: Db,
  workspaceId: number,
  units: readonly { id: number; path: string }[],
  from: number,
  to: number,
) {
  const out = new Map<number, number>(units.map((u) => [u.id, 0]));
  if (units.length === 0) return out;
  const rows = await db
    .selectFrom('opportunities')
    .innerJoin('org_units', 'org_units.id', 'opportunities.org_unit_id')
    .select(['org_units.path', sql<number>`coalesce(sum(opportunities.amount), 0)`.as('amount')])
    .where('opportunities.workspace_id', '=', workspaceId)
    .where('opportunities.status', '=', 'won')
    .where('opportunities.closed_at', '>=', from)
    .where('opportunities.closed_at', '<', to)
    .where((eb) => eb.or(units.map((u) => eb('org_units.path', 'like', `${u.path}%`))))
    .groupBy('org_units.path')
    .execute();
  for (const unit of units)
    out.set(
      unit.id,
      rows.filter((r) => r.path.startsWith(unit.path)).reduce((sum, r) => sum + Number(r.amount), 0),
    );
  return out;
}

/** Open deals expected to close in [start, end) by forecast category: amount, expected amount (× stage probability), count. */
export async function openByCategory(
  db: Db,
  workspaceId: number,
  subject: TargetSubject,
  start: string,
  end: string,
  line?: string,
) {
  const rows = await db
    .selectFrom('opportunities')
    .leftJoin('process_stages', 'process_stages.id', 'opportunities.stage_id')
    .select([
      'opportunities.forecast_category as category',
      sql<number>`coalesce(sum(opportunities.amount), 0)`.as('amount'),
      sql<number>`coalesce(sum(opportunities.amount * coalesce(process_stages.probability, 0)), 0)`.as('weighted'),
      sql<number>`count(*)`.as('deals'),
    ])
    .where('opportunities.workspace_id', '=', workspaceId)
    .where('opportunities.status', '=', 'open')
    .where('opportunities.expected_close_date', '>=', start)
    .where('opportunities.expected_close_date', '<', end)
    .where(ofSubject(workspaceId, subject, 'opportunities.owner_id', 'opportunities.org_unit_id'))
    .$if(line !== undefined, (query) => query.where('opportunities.business_line', '=', line!))
    .groupBy('opportunities.forecast_category')
    .execute();
  return rows.map((row) => ({
    category: row.category,
    amount: Number(row.amount),
    expectedAmount: Math.round(Number(row.weighted) / 100),
    deals: Number(row.deals),
  }));
}

/** The average won deal of a subject since an instant, and how many there were. */
export async function averageWon(db: Db, workspaceId: number, subject: TargetSubject, since: number, line?: string) {
  const row = await db
    .selectFrom('opportunities')
    .select([sql<number>`coalesce(avg(amount), 0)`.as('avg'), sql<number>`count(*)`.as('n')])
    .where('workspace_id', '=', workspaceId)
    .where('status', '=', 'won')
    .where('closed_at', '>=', since)
    .where(ofSubject(workspaceId, subject, 'opportunities.owner_id', 'opportunities.org_unit_id'))
    .$if(line !== undefined, (query) => query.where('business_line', '=', line!))
    .executeTakeFirst();
  return { average: Math.round(Number(row?.avg ?? 0)), count: Number(row?.n ?? 0) };
}

/** The average open deal of a subject: P4 when it has won nothing yet. */
export async function averageOpen(db: Db, workspaceId: number, subject: TargetSubject, line?: string) {
  const row = await db
    .selectFrom('opportunities')
    .select(sql<number>`coalesce(avg(amount), 0)`.as('avg'))
    .where('workspace_id', '=', workspaceId)
    .where('status', '=', 'open')
    .where(ofSubject(workspaceId, subject, 'opportunities.owner_id', 'opportunities.org_unit_id'))
    .$if(line !== undefined, (query) => query.where('business_line', '=', line!))
    .executeTakeFirst();
  return Math.round(Number(row?.avg ?? 0));
}

/** A rep's open deals the submission form lists: expected to close by the period's end, or already in a forecast category. */
export async function draftDeals(db: Db, workspaceId: number, userId: number, end: string) {
  return db
    .selectFrom('opportunities')
    .innerJoin('accounts', 'accounts.id', 'opportunities.account_id')
    .leftJoin('process_stages', 'process_stages.id', 'opportunities.stage_id')
    .select([
      'opportunities.id',
      'opportunities.name',
      'accounts.name as account_name',
      'process_stages.name as stage_name',
      'process_stages.probability',
      'opportunities.expected_close_date',
      'opportunities.amount',
      'opportunities.forecast_category',
    ])
    .where('opportunities.workspace_id', '=', workspaceId)
    .where('opportunities.owner_id', '=', userId)
    .where('opportunities.status', '=', 'open')
    .where((eb) =>
      eb.or([
        eb('opportunities.expected_close_date', '<', end),
        eb('opportunities.forecast_category', 'in', ['commit', 'possible']),
      ]),
    )
    .orderBy('opportunities.expected_close_date')
    .orderBy('opportunities.id')
    .limit(2000)
    .execute();
}

/** Which of these deals are the user's own open deals (the only ones a submission may name). */
export async function ownOpenDeals(db: Db, workspaceId: number, userId: number, ids: readonly number[]) {
  if (ids.length === 0) return new Set<number>();
  const rows = await db
    .selectFrom('opportunities')
    .select('id')
    .where('workspace_id', '=', workspaceId)
    .where('owner_id', '=', userId)
    .where('status', '=', 'open')
    .where('id', 'in', ids)
    .execute();
  return new Set(rows.map((r) => r.id));
}
