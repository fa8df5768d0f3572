import { sql, type Kysely } from 'kysely';
import type { Database } from '../../../db/schema.ts';
import type { Actor } from '../../../domain/policy.ts';
import { TIMELINE_KINDS, type TimelineKind } from '../../../domain/timeline.ts';
import { visibleOpportunities } from '../../opportunities/repository/visible.ts';
import { accountBranches } from './account.ts';
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

function branches(
  db: Kysely<Database>,
  actor: Actor,
  scope: TimelineScope,
  kinds: ReadonlySet<TimelineKind>,
): Branch[] {
  const ws = actor.workspaceId;
  const want = (kind: TimelineKind) => kinds.has(kind);
  // The deals in view: one opportunity, or those of the account the caller may see (docs/organisation.md).
  const opps =
    'opportunityId' in scope
      ? db
          .selectFrom('opportunities')
          .select('opportunities.id')
          .where('opportunities.workspace_id', '=', ws)
          .where('opportunities.id', '=', scope.opportunityId)
      : visibleOpportunities(db, actor)
          .select('opportunities.id')
          .where('opportunities.account_id', '=', scope.accountId);
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

export async function timeline(
  db: Kysely<Database>,
  actor: Actor,
  scope: TimelineScope,
  query: { kinds?: readonly TimelineKind[] | undefined; limit: number; offset: number },
): Promise<TimelinePage> {
  const parts = branches(db, actor, scope, new Set(query.kinds?.length ? query.kinds : TIMELINE_KINDS));
  if (parts.length === 0) return { items: [], total: 0 };
  const union = parts.slice(1).reduce((u, b) => u.unionAll(b), parts[0]!);
  const ws = actor.workspaceId;
  const [items, count] = await Promise.all([
    db
      .selectFrom(union.as('t'))
      .leftJoin('users as u', (j) => j.onRef('u.id', '=', 't.actor_id').on('u.workspace_id', '=', ws))
      .leftJoin('opportunities as o', (j) => j.onRef('o.id', '=', 't.opportunity_id').on('o.workspace_id', '=', ws))
      .selectAll('t')
      .select(['u.name as actor_name', 'o.name as opportunity_name'])
      .orderBy('t.at', 'desc')
      .orderBy('t.seq', 'desc')
      .orderBy('t.ref_id', 'desc')
      .limit(query.limit)
      .offset(query.offset)
      .execute(),
    db
      .selectFrom(union.as('t'))
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow(),
  ]);
  return { items: items as TimelinePage['items'], total: Number(count.n) };
}
