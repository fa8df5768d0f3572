import { sql, type Kysely } from 'kysely';
import type { Database } from '../../../db/schema.ts';
import type { TargetSubject } from '../../../domain/policy.ts';
import { ofSubject } from './subjects.ts';

/** The reps' weekly forecast submissions: read, replaced, written, listed. */
type Db = Kysely<Database>;

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
