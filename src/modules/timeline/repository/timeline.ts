import { sql, type Kysely } from 'kysely';
import type { Database } from '../../../db/schema.ts';
import type { Actor } from '../../../domain/policy.ts';
import { TIMELINE_KINDS, type TimelineKind } from '../../../domain/timeline.ts';
import { shapedQueries } from '../../../db/fixed-query.ts';
import { opportunityRows } from '../../opportunities/repository/visible.ts';
import { opportunityWithinReach, standActor } from '../../scope.ts';
import { ACCOUNT_KINDS, accountBranches } from './account.ts';
import { select, text, type Branch, type Row } from './branch.ts';
import { opportunityBranches } from './opportunity.ts';

/**
 * The activity timeline (docs/archive.md account page, §5.2 opportunity page): what happened to an
 * account and its deals, newest first, assembled from the tables that already record it —
 * no second copy of the facts. One UNION ALL of a branch per source, paged and counted in
 * SQL, names joined once for the page. The follow-up activities of a later area plug in as
 * one more branch.
 *
 * Every branch selects the same columns in the same order (branch.ts); the account's own
 * events are in account.ts, its deals' in opportunity.ts.
 */
export type TimelineScope = { accountId: number } | { opportunityId: number };

/**
 * The deals in view as the statement names them: one opportunity, or those of the account the
 * caller may see (docs/organisation.md), read once in a WITH and used by every deal branch.
 * Written into each branch, the scope's six joins were planned once per branch and again for the
 * count: PostgreSQL spent longer planning the timeline than running it (README § Benchmarks).
 */
const DEALS = 'timeline_deals';
type WithDeals = Database & { [DEALS]: { id: number } };

function dealsInView(db: Kysely<Database>, actor: Actor, scope: TimelineScope) {
  return 'opportunityId' in scope
    ? db
        .selectFrom('opportunities')
        .select('opportunities.id')
        .where('opportunities.workspace_id', '=', actor.workspaceId)
        .where('opportunities.id', '=', scope.opportunityId)
    : // The reach tested on the account's deals, not by listing the actor's (scope.ts).
      opportunityRows(db)
        .where(opportunityWithinReach(actor))
        .select('opportunities.id')
        .where('opportunities.account_id', '=', scope.accountId);
}

function branches(
  db: Kysely<Database>,
  actor: Actor,
  scope: TimelineScope,
  kinds: ReadonlySet<TimelineKind>,
): Branch[] {
  const ws = actor.workspaceId;
  const want = (kind: TimelineKind) => kinds.has(kind);
  const opps = (db as unknown as Kysely<WithDeals>).selectFrom(DEALS).select(`${DEALS}.id`);
  const out: Branch[] = [
    ...('accountId' in scope ? accountBranches(db, ws, scope.accountId, want) : []),
    ...opportunityBranches(db, ws, opps, want),
  ];
  if (want('activity')) {
    // Activities (docs/rhythm.md) at the time they happened or are planned for; archived ones are gone.
    const acts = db.selectFrom('activities as v').where('v.workspace_id', '=', ws).where('v.archived_at', 'is', null);
    out.push(
      ('accountId' in scope
        ? acts.where('v.account_id', '=', scope.accountId)
        : acts.where('v.opportunity_id', '=', scope.opportunityId)
      ).select(
        select('activity', {
          at: sql`v.start_at`,
          actor_id: sql`v.owner_id`,
          opportunity_id: sql`v.opportunity_id`,
          ref_id: sql`v.id`,
          title: text('v.subject'),
          old_value: text('v.type'),
          new_value: text('v.status'),
          reason: text('v.outcome'),
          extra: text('v.notes'),
          amount: sql`case when v.end_at is null then null else (v.end_at - v.start_at) / 60000 end`,
        }),
      ) as Branch,
    );
  }
  return out;
}

export interface TimelinePage {
  items: (Row & { actor_name: string | null; opportunity_name: string | null })[];
  total: number;
}

type PageRow = TimelinePage['items'][number] & { total: number | string };

/**
 * The page with the total beside each row (`count(*) over ()`, taken before the page is cut),
 * and the count alone for a page past the end, which has no row to carry it. Names are joined
 * to the page's rows only. Compiled once per shape (src/db/fixed-query.ts, shapedQueries): the
 * union of up to eleven branches took longer to build and compile in Kysely than SQLite took
 * to run it; on PostgreSQL it runs on a generic plan, planned once per connection.
 */
const timelineQueries = shapedQueries(
  (
    db: Kysely<Database>,
    actor: Actor,
    scope: TimelineScope,
    kinds: readonly TimelineKind[],
    limit: number,
    offset: number,
  ) => {
    const parts = branches(db, actor, scope, new Set(kinds));
    const union = parts.slice(1).reduce((all, part) => all.unionAll(part), parts[0]!);
    const ws = actor.workspaceId;
    const withDeals = db.with(DEALS, () => dealsInView(db, actor, scope));
    const page = withDeals
      .selectFrom(
        db
          .selectFrom(union.as('t'))
          .selectAll('t')
          .select(sql<number | string>`count(*) over ()`.as('total'))
          .orderBy('t.at', 'desc')
          .orderBy('t.seq', 'desc')
          .orderBy('t.ref_id', 'desc')
          .limit(limit)
          .offset(offset)
          .as('page'),
      )
      .leftJoin('users as u', (j) => j.onRef('u.id', '=', 'page.actor_id').on('u.workspace_id', '=', ws))
      .leftJoin('opportunities as o', (j) => j.onRef('o.id', '=', 'page.opportunity_id').on('o.workspace_id', '=', ws))
      .selectAll('page')
      .select(['u.name as actor_name', 'o.name as opportunity_name'])
      .orderBy('page.at', 'desc')
      .orderBy('page.seq', 'desc')
      .orderBy('page.ref_id', 'desc');
    const count = withDeals.selectFrom(union.as('t')).select((eb) => eb.fn.countAll<number>().as('n'));
    return [page, count] as const;
  },
  (stand, actor, scope, kinds, limit, offset) => [
    standActor(stand, actor),
    'accountId' in scope ? { accountId: stand(scope.accountId) } : { opportunityId: stand(scope.opportunityId) },
    kinds,
    stand(limit),
    stand(offset),
  ],
  // Planning the union took PostgreSQL 5–27 ms a call against 1–3 ms to run it at the scale
  // set; its generic plan runs as fast for the admin, a manager and a rep (README § Benchmarks).
  { genericPlan: () => true },
);

export async function timeline(
  db: Kysely<Database>,
  actor: Actor,
  scope: TimelineScope,
  query: { kinds?: readonly TimelineKind[] | undefined; limit: number; offset: number },
): Promise<TimelinePage> {
  const kinds = query.kinds?.length ? [...new Set(query.kinds)] : TIMELINE_KINDS;
  // Every group asked for may be of the account's own events, which a deal does not have.
  if (kinds.every((kind) => 'opportunityId' in scope && ACCOUNT_KINDS.has(kind))) return { items: [], total: 0 };
  const [pageQuery, countQuery] = await timelineQueries(db, actor, scope, kinds, query.limit, query.offset);
  const rows = (await db.executeQuery(pageQuery)).rows as PageRow[];
  const items = rows.map(({ total: _total, ...row }) => row);
  if (rows.length > 0) return { items, total: Number(rows[0]!.total) };
  // Past the end (or nothing at all): no row carries the total.
  if (query.offset === 0) return { items, total: 0 };
  return { items, total: Number((await db.executeQuery(countQuery)).rows[0]!.n) };
}
