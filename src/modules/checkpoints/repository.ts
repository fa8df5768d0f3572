import type { ExpressionBuilder, Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { Actor } from '../../domain/policy.ts';
import { visibleOpportunities } from '../opportunities/repository/visible.ts';
import { subtreePattern } from '../scope.ts';

/**
 * The 1-15-30 review's queries (docs/rhythm.md § 1-15-30). Checkpoints are not stored: a
 * deal's 15- and 30-day dates follow from its creation, so "due by the end of the week" is
 * `created_at` before an instant the service computes from the calendar — one indexable
 * comparison — and "done" is a row in checkpoint_reviews (unique per deal, kind and period).
 */
/** The deal's `kind` checkpoint has no review yet (one probe of checkpoint_reviews' key). */
export function notReviewed(
  eb: ExpressionBuilder<Database, 'opportunities'>,
  workspaceId: number,
  kind: 'day15' | 'day30',
) {
  return eb.not(
    eb.exists(
      eb
        .selectFrom('checkpoint_reviews as c')
        .select(eb.lit(1).as('one'))
        .where('c.workspace_id', '=', workspaceId)
        .whereRef('c.opportunity_id', '=', 'opportunities.id')
        .where('c.kind', '=', kind),
    ),
  );
}

export interface ReviewFilter {
  ownerId?: number | undefined;
  orgUnitId?: number | undefined;
  /** Deals whose 15-day (30-day) checkpoint falls on or before the week's end were created before this instant. */
  day15Before: number;
  day30Before: number;
  due: 'any' | 'checkpoints' | 'day15' | 'day30';
  limit: number;
  offset: number;
}

async function base(db: Kysely<Database>, actor: Actor, filter: ReviewFilter) {
  let query = visibleOpportunities(db, actor).where('opportunities.status', '=', 'open');
  if (filter.ownerId !== undefined) query = query.where('opportunities.owner_id', '=', filter.ownerId);
  if (filter.orgUnitId !== undefined)
    query = query.where('org_units.path', 'like', await subtreePattern(db, actor.workspaceId, filter.orgUnitId));
  return query;
}

export async function reviewList(db: Kysely<Database>, actor: Actor, filter: ReviewFilter) {
  const all = await base(db, actor, filter);
  const pending = (kind: 'day15' | 'day30') => (query: typeof all) =>
    query
      .where('opportunities.created_at', '<', kind === 'day15' ? filter.day15Before : filter.day30Before)
      .where((eb) => notReviewed(eb, actor.workspaceId, kind));
  const count = async (query: typeof all) =>
    Number((await query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
  let selectQueryBuilder = all;
  if (filter.due === 'day15' || filter.due === 'day30') selectQueryBuilder = pending(filter.due)(all);
  if (filter.due === 'checkpoints') {
    // Either checkpoint pending: the 30-day one implies the deal is old enough for the 15-day one.
    selectQueryBuilder = all
      .where('opportunities.created_at', '<', filter.day15Before)
      .where((eb) =>
        eb.or(
          (['day15', 'day30'] as const).map((kind) =>
            eb.and([
              eb('opportunities.created_at', '<', kind === 'day15' ? filter.day15Before : filter.day30Before),
              notReviewed(eb, actor.workspaceId, kind),
            ]),
          ),
        ),
      );
  }
  const [items, total, open, day15, day30] = await Promise.all([
    selectQueryBuilder
      .select([
        'opportunities.id',
        'opportunities.name',
        'opportunities.amount',
        'opportunities.created_at',
        'opportunities.owner_id',
        'opportunities.org_unit_id',
        'org_units.path as unit_path',
        'accounts.id as account_id',
        'accounts.name as account_name',
        'owner.name as owner_name',
        'stage.name as stage_name',
      ])
      .orderBy('opportunities.created_at')
      .orderBy('opportunities.id')
      .limit(filter.limit)
      .offset(filter.offset)
      .execute(),
    count(selectQueryBuilder),
    count(all),
    count(pending('day15')(all)),
    count(pending('day30')(all)),
  ]);
  return { items, total, counts: { open, day15, day30 } };
}

export async function reviewsOf(
  db: Kysely<Database>,
  workspaceId: number,
  opportunityIds: number[],
  weekStart: string,
) {
  if (opportunityIds.length === 0) return [];
  return db
    .selectFrom('checkpoint_reviews as c')
    .innerJoin('users as u', 'u.id', 'c.reviewed_by')
    .select([
      'c.opportunity_id',
      'c.kind',
      'c.period',
      'c.outcome',
      'c.note',
      'c.created_at',
      'u.name as reviewer_name',
    ])
    .where('c.workspace_id', '=', workspaceId)
    .where('c.opportunity_id', 'in', opportunityIds)
    .where((eb) => eb.or([eb('c.kind', '!=', 'weekly'), eb('c.period', '=', weekStart)]))
    .execute();
}

export async function insertReview(
  db: Kysely<Database>,
  review: {
    workspaceId: number;
    opportunityId: number;
    kind: string;
    period: string;
    outcome: string;
    note: string | null;
    by: number;
    now: number;
  },
) {
  const rows = await db
    .insertInto('checkpoint_reviews')
    .values({
      workspace_id: review.workspaceId,
      opportunity_id: review.opportunityId,
      kind: review.kind,
      period: review.period,
      outcome: review.outcome,
      note: review.note,
      reviewed_by: review.by,
      created_at: review.now,
    })
    .onConflict((oc) => oc.columns(['workspace_id', 'opportunity_id', 'kind', 'period']).doNothing())
    .returning('id')
    .execute();
  return rows.length === 1;
}

/**
 * Open deals whose 15- or 30-day checkpoint came in [after, before) (creation instants) and has
 * no review yet: the job turns each into a task for the owner (a task once, by its source key).
 */
export async function checkpointsCome(
  db: Kysely<Database>,
  workspaceId: number,
  kind: 'day15' | 'day30',
  window: { enteredBefore: number; enteredAfter: number },
) {
  return db
    .selectFrom('opportunities')
    .innerJoin('users as owner', 'owner.id', 'opportunities.owner_id')
    .select([
      'opportunities.id',
      'opportunities.name',
      'opportunities.owner_id',
      'opportunities.account_id',
      'opportunities.created_at',
      'owner.locale as owner_locale',
    ])
    .where('opportunities.workspace_id', '=', workspaceId)
    .where('opportunities.status', '=', 'open')
    .where('opportunities.created_at', '<', window.enteredBefore)
    .where('opportunities.created_at', '>=', window.enteredAfter)
    .where((eb) => notReviewed(eb, workspaceId, kind))
    .execute();
}
