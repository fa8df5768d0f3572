import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { SIZE_BANDS } from '../../domain/diagnosis.ts';
import type { TargetSubject } from '../../domain/policy.ts';

/**
 * The aggregates of docs/targets.md § Other analyses, each one GROUP BY in SQL over the deals
 * of a subject: closed in the period (won, or lost and abandoned), or open and expected to close in it.
 */
type Db = Kysely<Database>;

function ofSubject(workspaceId: number, subject: TargetSubject, userCol: string, unitCol: string): RawBuilder<boolean> {
  if (subject.kind === 'user') return sql<boolean>`${sql.ref(userCol)} = ${subject.userId}`;
  if (subject.kind === 'unit')
    return sql<boolean>`${sql.ref(unitCol)} in (select id from org_units where workspace_id = ${workspaceId} and path like ${`${subject.path}%`})`;
  return sql<boolean>`1 = 1`;
}

export interface Window {
  from: number;
  to: number;
  start: string;
  end: string;
}

/** won / lost / open in the period, as one outcome column: the rows every analysis groups. */
const outcome = sql<string>`case when opportunities.status = 'open' then 'open' when opportunities.status = 'won' then 'won' else 'lost' end`;

function inPeriod(timeWindow: Window) {
  return sql<boolean>`((opportunities.status = 'open' and opportunities.expected_close_date >= ${timeWindow.start} and opportunities.expected_close_date < ${timeWindow.end})
    or (opportunities.status <> 'open' and opportunities.closed_at >= ${timeWindow.from} and opportunities.closed_at < ${timeWindow.to}))`;
}

const bandCase = sql<string>`case ${sql.join(
  SIZE_BANDS.filter((b) => b.to !== null).map((b) => sql`when opportunities.amount < ${b.to} then ${b.key}`),
  sql` `,
)} else ${SIZE_BANDS[SIZE_BANDS.length - 1]!.key} end`;

/**
 * GROUP BY the first two selected columns by position: PostgreSQL would not match a repeated
 * expression whose parameters are numbered anew ($1 in the select, $5 in the group by).
 */
const byFirstTwo = [sql`1`, sql`2`];

export async function bySizeBand(db: Db, workspaceId: number, subject: TargetSubject, timeWindow: Window) {
  const rows = await db
    .selectFrom('opportunities')
    .select([
      bandCase.as('band'),
      outcome.as('outcome'),
      sql<number>`count(*)`.as('deals'),
      sql<number>`coalesce(sum(opportunities.amount), 0)`.as('amount'),
    ])
    .where('opportunities.workspace_id', '=', workspaceId)
    .where(inPeriod(timeWindow))
    .where(ofSubject(workspaceId, subject, 'opportunities.owner_id', 'opportunities.org_unit_id'))
    .groupBy(byFirstTwo)
    .execute();
  return rows.map((r) => ({ band: r.band, outcome: r.outcome, deals: Number(r.deals), amount: Number(r.amount) }));
}

/** Closed deals of the period by whether their customer had won anything before the deal began. */
export async function byCustomerNovelty(db: Db, workspaceId: number, subject: TargetSubject, timeWindow: Window) {
  const isNew = sql<number>`case when exists (select 1 from opportunities earlier where earlier.workspace_id = opportunities.workspace_id
    and earlier.account_id = opportunities.account_id and earlier.status = 'won' and earlier.closed_at < opportunities.created_at) then 0 else 1 end`;
  const rows = await db
    .selectFrom('opportunities')
    .select([
      isNew.as('is_new'),
      outcome.as('outcome'),
      sql<number>`count(*)`.as('deals'),
      sql<number>`coalesce(sum(opportunities.amount), 0)`.as('amount'),
    ])
    .where('opportunities.workspace_id', '=', workspaceId)
    .where('opportunities.status', '<>', 'open')
    .where(inPeriod(timeWindow))
    .where(ofSubject(workspaceId, subject, 'opportunities.owner_id', 'opportunities.org_unit_id'))
    .groupBy(byFirstTwo)
    .execute();
  return rows.map((row) => ({
    isNew: Number(row.is_new) === 1,
    outcome: row.outcome,
    deals: Number(row.deals),
    amount: Number(row.amount),
  }));
}

/** Won and open deals of the period by size class, with the average days from creation to win. */
export async function byProjectSize(
  db: Db,
  workspaceId: number,
  subject: TargetSubject,
  timeWindow: Window,
  threshold: number,
) {
  const large = sql<number>`case when opportunities.amount >= ${threshold} then 1 else 0 end`;
  const rows = await db
    .selectFrom('opportunities')
    .select([
      large.as('large'),
      outcome.as('outcome'),
      sql<number>`count(*)`.as('deals'),
      sql<number>`coalesce(sum(opportunities.amount), 0)`.as('amount'),
      sql<number | null>`avg(opportunities.closed_at - opportunities.created_at)`.as('cycle_ms'),
    ])
    .where('opportunities.workspace_id', '=', workspaceId)
    .where('opportunities.status', 'in', ['open', 'won'])
    .where(inPeriod(timeWindow))
    .where(ofSubject(workspaceId, subject, 'opportunities.owner_id', 'opportunities.org_unit_id'))
    .groupBy(byFirstTwo)
    .execute();
  return rows.map((row) => ({
    large: Number(row.large) === 1,
    outcome: row.outcome,
    deals: Number(row.deals),
    amount: Number(row.amount),
    cycleMs: row.cycle_ms === null ? null : Number(row.cycle_ms),
  }));
}

/** Per seller of the subject: closed deals of the period and new accounts they opened in it. */
export async function perSeller(db: Db, workspaceId: number, subject: TargetSubject, timeWindow: Window) {
  const people = await db
    .selectFrom('users')
    .select(['id', 'name'])
    .where('workspace_id', '=', workspaceId)
    .where('active', '=', 1)
    .where('role', 'in', ['rep', 'manager'])
    .where(ofSubject(workspaceId, subject, 'users.id', 'users.org_unit_id'))
    .orderBy('name')
    .orderBy('id')
    .execute();
  const deals = await db
    .selectFrom('opportunities')
    .select([
      'opportunities.owner_id',
      outcome.as('outcome'),
      sql<number>`count(*)`.as('deals'),
      sql<number>`coalesce(sum(opportunities.amount), 0)`.as('amount'),
    ])
    .where('opportunities.workspace_id', '=', workspaceId)
    .where('opportunities.status', '<>', 'open')
    .where(inPeriod(timeWindow))
    .where(ofSubject(workspaceId, subject, 'opportunities.owner_id', 'opportunities.org_unit_id'))
    .groupBy(['opportunities.owner_id', outcome])
    .execute();
  const accounts = await db
    .selectFrom('accounts')
    .select(['owner_id', sql<number>`count(*)`.as('n')])
    .where('workspace_id', '=', workspaceId)
    .where('created_at', '>=', timeWindow.from)
    .where('created_at', '<', timeWindow.to)
    .where('owner_id', 'is not', null)
    .where(ofSubject(workspaceId, subject, 'accounts.owner_id', 'accounts.org_unit_id'))
    .groupBy('owner_id')
    .execute();
  return {
    people,
    deals: deals.map((deal) => ({
      ownerId: deal.owner_id,
      outcome: deal.outcome,
      deals: Number(deal.deals),
      amount: Number(deal.amount),
    })),
    newAccounts: new Map(accounts.map((a) => [a.owner_id!, Number(a.n)])),
  };
}

/**
 * Done activities per owner and type with their start in [from, to), of the subject's people
 * (an activity belongs to its owner, who sits in a unit): one GROUP BY for activity productivity.
 */
export async function activitiesByOwner(db: Db, workspaceId: number, subject: TargetSubject, from: number, to: number) {
  const rows = await db
    .selectFrom('activities')
    .select(['activities.owner_id', 'activities.type', sql<number>`count(*)`.as('n')])
    .where('activities.workspace_id', '=', workspaceId)
    .where('activities.status', '=', 'done')
    .where('activities.archived_at', 'is', null)
    .where('activities.start_at', '>=', from)
    .where('activities.start_at', '<', to)
    .where(
      subject.kind === 'user'
        ? sql<boolean>`activities.owner_id = ${subject.userId}`
        : subject.kind === 'unit'
          ? sql<boolean>`activities.owner_id in (select users.id from users join org_units on org_units.id = users.org_unit_id where users.workspace_id = ${workspaceId} and org_units.path like ${`${subject.path}%`})`
          : sql<boolean>`1 = 1`,
    )
    .groupBy(['activities.owner_id', 'activities.type'])
    .execute();
  return rows.map((r) => ({ ownerId: r.owner_id, type: r.type, count: Number(r.n) }));
}
