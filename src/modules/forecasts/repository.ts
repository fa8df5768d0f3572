import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { TargetSubject } from '../../domain/policy.ts';

/**
 * Every query of the revenue forecast (docs/targets.md § Revenue forecast, § Gap analysis).
 * A subject (workspace, unit subtree, one person) becomes one condition on a row's person and
 * unit columns; the service has already refused a subject out of the caller's reach.
 */
type Db = Kysely<Database>;

/** The rows of a subject: one person's (by `userCol`), a unit subtree's (by `unitCol`), or all of the workspace's. */
function ofSubject(workspaceId: number, subject: TargetSubject, userCol: string, unitCol: string): RawBuilder<boolean> {
  if (subject.kind === 'user') return sql<boolean>`${sql.ref(userCol)} = ${subject.userId}`;
  if (subject.kind === 'unit')
    return sql<boolean>`${sql.ref(unitCol)} in (select id from org_units where workspace_id = ${workspaceId} and path like ${`${subject.path}%`})`;
  return sql<boolean>`1 = 1`;
}

export async function unitFacts(db: Db, workspaceId: number, unitId: number) {
  return db
    .selectFrom('org_units')
    .select(['id', 'name', 'path'])
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', unitId)
    .executeTakeFirst();
}

/** Every unit's path, by id (to place rows that carry a unit id in the tree). */
export async function unitPaths(db: Db, workspaceId: number) {
  const rows = await db
    .selectFrom('org_units')
    .select(['id', 'path'])
    .where('workspace_id', '=', workspaceId)
    .execute();
  return new Map(rows.map((u) => [u.id, u.path]));
}

/** The people a subject's forecast is made of: active sellers (reps and managers). */
export async function sellersOf(db: Db, workspaceId: number, subject: TargetSubject) {
  return db
    .selectFrom('users')
    .select(['id', 'name', 'org_unit_id'])
    .where('workspace_id', '=', workspaceId)
    .where('active', '=', 1)
    .where('role', 'in', ['rep', 'manager'])
    .where(ofSubject(workspaceId, subject, 'users.id', 'users.org_unit_id'))
    .orderBy('name')
    .orderBy('id')
    .execute();
}

/** The sub-units one level below a unit (the workspace's top units for the workspace). */
export async function childUnits(db: Db, workspaceId: number, parentId: number | null) {
  let query = db
    .selectFrom('org_units')
    .select(['id', 'name', 'path'])
    .where('workspace_id', '=', workspaceId)
    .where('archived_at', 'is', null);
  query =
    parentId === null
      ? query.where(
          'parent_id',
          'in',
          db
            .selectFrom('org_units')
            .select('id')
            .where('workspace_id', '=', workspaceId)
            .where('parent_id', 'is', null),
        )
      : query.where('parent_id', '=', parentId);
  return query.orderBy('sort_order').orderBy('id').execute();
}

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

const SUBMISSION_COLUMNS = [
  'forecast_submissions.id',
  'forecast_submissions.user_id',
  'users.name as user_name',
  'forecast_submissions.org_unit_id',
  'forecast_submissions.period',
  'forecast_submissions.week_start',
  'forecast_submissions.commit_amount',
  'forecast_submissions.possible_amount',
  'forecast_submissions.quota',
  'forecast_submissions.realised',
  'forecast_submissions.forecast',
  'forecast_submissions.note',
  'forecast_submissions.submitted_at',
  'forecast_submissions.superseded_at',
] as const;

const submissions = (db: Db, workspaceId: number) =>
  db
    .selectFrom('forecast_submissions')
    .innerJoin('users', 'users.id', 'forecast_submissions.user_id')
    .select(SUBMISSION_COLUMNS)
    .where('forecast_submissions.workspace_id', '=', workspaceId);

export type SubmissionRow = Awaited<ReturnType<ReturnType<typeof submissions>['executeTakeFirstOrThrow']>>;

export async function currentSubmission(
  db: Db,
  workspaceId: number,
  userId: number,
  period: string,
  weekStart: string,
) {
  return submissions(db, workspaceId)
    .where('forecast_submissions.user_id', '=', userId)
    .where('forecast_submissions.period', '=', period)
    .where('forecast_submissions.week_start', '=', weekStart)
    .where('forecast_submissions.superseded_at', 'is', null)
    .executeTakeFirst();
}

export async function submissionById(db: Db, workspaceId: number, id: number) {
  return submissions(db, workspaceId).where('forecast_submissions.id', '=', id).executeTakeFirst();
}

export async function submissionDeals(db: Db, workspaceId: number, submissionId: number) {
  return db
    .selectFrom('forecast_submission_deals')
    .innerJoin('opportunities', 'opportunities.id', 'forecast_submission_deals.opportunity_id')
    .select([
      'forecast_submission_deals.opportunity_id',
      'opportunities.name',
      'forecast_submission_deals.category',
      'forecast_submission_deals.amount',
    ])
    .where('forecast_submission_deals.workspace_id', '=', workspaceId)
    .where('forecast_submission_deals.submission_id', '=', submissionId)
    .orderBy('forecast_submission_deals.opportunity_id')
    .execute();
}

/** Marks this week's current submission replaced; the caller inserts the new one in the same transaction. */
export async function supersede(
  db: Db,
  workspaceId: number,
  userId: number,
  period: string,
  weekStart: string,
  now: number,
) {
  await db
    .updateTable('forecast_submissions')
    .set({ superseded_at: now })
    .where('workspace_id', '=', workspaceId)
    .where('user_id', '=', userId)
    .where('period', '=', period)
    .where('week_start', '=', weekStart)
    .where('superseded_at', 'is', null)
    .execute();
}

export async function insertSubmission(
  db: Db,
  row: Omit<Database['forecast_submissions'], 'id' | 'superseded_at'>,
  deals: readonly { opportunityId: number; category: string; amount: number }[],
) {
  const { id } = await db
    .insertInto('forecast_submissions')
    .values({ ...row, superseded_at: null })
    .returning('id')
    .executeTakeFirstOrThrow();
  for (let i = 0; i < deals.length; i += 200) {
    await db
      .insertInto('forecast_submission_deals')
      .values(
        deals.slice(i, i + 200).map((deal) => ({
          submission_id: id,
          workspace_id: row.workspace_id,
          opportunity_id: deal.opportunityId,
          category: deal.category,
          amount: deal.amount,
        })),
      )
      .execute();
  }
  return id;
}

/** Submissions of a subject in a period, newest first; `history` includes the replaced ones. */
export async function listSubmissions(
  db: Db,
  workspaceId: number,
  subject: TargetSubject,
  period: string,
  history: boolean,
  limit: number,
  offset: number,
) {
  let query = submissions(db, workspaceId)
    .where('forecast_submissions.period', '=', period)
    .where(ofSubject(workspaceId, subject, 'forecast_submissions.user_id', 'forecast_submissions.org_unit_id'));
  if (!history) query = query.where('forecast_submissions.superseded_at', 'is', null);
  const [items, total] = await Promise.all([
    query
      .orderBy('forecast_submissions.week_start', 'desc')
      .orderBy('forecast_submissions.submitted_at', 'desc')
      .orderBy('forecast_submissions.id', 'desc')
      .limit(limit)
      .offset(offset)
      .execute(),
    query
      .clearSelect()
      .select(sql<number>`count(*)`.as('n'))
      .executeTakeFirst(),
  ]);
  return { items, total: Number(total?.n ?? 0) };
}

/** Every current submission of a subject in a period (the rolling history is computed from these). */
export async function currentSubmissions(db: Db, workspaceId: number, subject: TargetSubject, period: string) {
  return submissions(db, workspaceId)
    .where('forecast_submissions.period', '=', period)
    .where('forecast_submissions.superseded_at', 'is', null)
    .where(ofSubject(workspaceId, subject, 'forecast_submissions.user_id', 'forecast_submissions.org_unit_id'))
    .orderBy('forecast_submissions.week_start')
    .orderBy('forecast_submissions.user_id')
    .execute();
}

const ADJUSTMENT_COLUMNS = [
  'forecast_adjustments.id',
  'forecast_adjustments.org_unit_id',
  'forecast_adjustments.period',
  'forecast_adjustments.week_start',
  'forecast_adjustments.amount',
  'forecast_adjustments.note',
  'forecast_adjustments.adjusted_by',
  'users.name as adjusted_by_name',
  'forecast_adjustments.updated_at',
  'forecast_adjustments.version',
] as const;

export async function adjustments(db: Db, workspaceId: number, unitId: number, period: string) {
  return db
    .selectFrom('forecast_adjustments')
    .innerJoin('users', 'users.id', 'forecast_adjustments.adjusted_by')
    .select(ADJUSTMENT_COLUMNS)
    .where('forecast_adjustments.workspace_id', '=', workspaceId)
    .where('forecast_adjustments.org_unit_id', '=', unitId)
    .where('forecast_adjustments.period', '=', period)
    .orderBy('forecast_adjustments.week_start')
    .execute();
}

export type AdjustmentRow = Awaited<ReturnType<typeof adjustments>>[number];

export async function insertAdjustment(db: Db, row: Omit<Database['forecast_adjustments'], 'id' | 'version'>) {
  const { id } = await db
    .insertInto('forecast_adjustments')
    .values({ ...row, version: 1 })
    .returning('id')
    .executeTakeFirstOrThrow();
  return id;
}
