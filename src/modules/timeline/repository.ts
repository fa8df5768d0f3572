import { sql, type Expression, type Kysely, type RawBuilder, type SelectQueryBuilder } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { Actor } from '../../domain/policy.ts';
import { TIMELINE_KINDS, type TimelineKind } from '../../domain/timeline.ts';
import { visibleOpportunities } from '../opportunities/repository.ts';

/**
 * The activity timeline (docs/archive.md account page, §5.2 opportunity page): what happened to an
 * account and its deals, newest first, assembled from the tables that already record it —
 * no second copy of the facts. One UNION ALL of a branch per source, paged and counted in
 * SQL, names joined once for the page. The follow-up activities of a later area plug in as
 * one more branch.
 *
 * Every branch selects the same columns in the same order, with explicit casts so that
 * PostgreSQL resolves the union's column types the same way SQLite does.
 */
interface Row {
  kind: TimelineKind;
  at: number;
  actor_id: number | null;
  opportunity_id: number | null;
  ref_id: number;
  title: string | null;
  old_value: string | null;
  new_value: string | null;
  reason: string | null;
  extra: string | null;
  amount: number | null;
  seq: number;
}

type Cols = { [K in Exclude<keyof Row, 'kind' | 'seq'>]: Expression<Row[K]> };

/**
 * Events written by one transaction share an instant; this order tells them as they
 * happened (a deal is created before it moves, closes after its last move).
 */
const SEQ: Record<TimelineKind, number> = {
  account_created: 0,
  opportunity_created: 1,
  contact_added: 2,
  file_added: 3,
  stage_moved: 4,
  review: 5,
  account_changed: 6,
  opportunity_changed: 6,
  opportunity_closed: 7,
  activity: 8,
};
const nullText = sql<string | null>`cast(null as text)`;
const nullInt = sql<number | null>`cast(null as integer)`;
const nullBig = sql<number | null>`cast(null as bigint)`;
const text = (err: RawBuilder<unknown> | string) =>
  typeof err === 'string'
    ? sql<string | null>`cast(${sql.ref(err)} as text)`
    : sql<string | null>`cast(${err} as text)`;

function select(kind: TimelineKind, columns: Cols) {
  return [
    sql<TimelineKind>`cast(${sql.lit(kind)} as text)`.as('kind'),
    sql`${columns.at}`.as('at'),
    sql`${columns.actor_id}`.as('actor_id'),
    sql`${columns.opportunity_id}`.as('opportunity_id'),
    sql`${columns.ref_id}`.as('ref_id'),
    sql`${columns.title}`.as('title'),
    sql`${columns.old_value}`.as('old_value'),
    sql`${columns.new_value}`.as('new_value'),
    sql`${columns.reason}`.as('reason'),
    sql`${columns.extra}`.as('extra'),
    sql`${columns.amount}`.as('amount'),
    sql<number>`${sql.lit(SEQ[kind])}`.as('seq'),
  ] as const;
}

export type TimelineScope = { accountId: number } | { opportunityId: number };

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Branch = SelectQueryBuilder<any, any, Row>;

function branches(
  db: Kysely<Database>,
  actor: Actor,
  scope: TimelineScope,
  kinds: ReadonlySet<TimelineKind>,
): Branch[] {
  const ws = actor.workspaceId;
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
  const out: Branch[] = [];
  const want = (k: TimelineKind) => kinds.has(k);

  if ('accountId' in scope) {
    const accountId = scope.accountId;
    if (want('account_created')) {
      out.push(
        db
          .selectFrom('accounts as a')
          .where('a.workspace_id', '=', ws)
          .where('a.id', '=', accountId)
          .select(
            select('account_created', {
              at: sql`a.created_at`,
              actor_id: sql`a.created_by`,
              opportunity_id: nullInt,
              ref_id: sql`a.id`,
              title: text('a.name'),
              old_value: nullText,
              new_value: nullText,
              reason: nullText,
              extra: nullText,
              amount: nullBig,
            }),
          ) as Branch,
      );
    }
    if (want('account_changed')) {
      // Values written with the creation (the first owner) are the creation itself, already an event.
      out.push(
        db
          .selectFrom('record_history as h')
          .innerJoin('accounts as a', (j) => j.onRef('a.id', '=', 'h.entity_id').on('a.workspace_id', '=', ws))
          .where('h.workspace_id', '=', ws)
          .where('h.entity_type', '=', 'account')
          .where('h.entity_id', '=', accountId)
          .whereRef('h.created_at', '!=', 'a.created_at')
          .select(
            select('account_changed', {
              at: sql`h.created_at`,
              actor_id: sql`h.actor_user_id`,
              opportunity_id: nullInt,
              ref_id: sql`h.id`,
              title: text('h.field'),
              old_value: text('h.old_value'),
              new_value: text('h.new_value'),
              reason: text('h.reason'),
              extra: nullText,
              amount: nullBig,
            }),
          ) as Branch,
      );
    }
    if (want('contact_added')) {
      out.push(
        db
          .selectFrom('contacts as c')
          .where('c.workspace_id', '=', ws)
          .where('c.account_id', '=', accountId)
          .select(
            select('contact_added', {
              at: sql`c.created_at`,
              actor_id: sql`c.created_by`,
              opportunity_id: nullInt,
              ref_id: sql`c.id`,
              title: text('c.name'),
              old_value: nullText,
              new_value: text('c.title'),
              reason: nullText,
              extra: text('c.department'),
              amount: nullBig,
            }),
          ) as Branch,
      );
    }
  }

  if (want('opportunity_created')) {
    // Who created it and the amount it started with are the history rows written with it,
    // looked up per deal of the page: as left joins PostgreSQL joined the whole workspace's
    // creation history before narrowing to the account's deals (1.2 s at 1M deals).
    const creator = sql`(select h.actor_user_id from record_history h where h.workspace_id = ${ws} and h.entity_type = 'opportunity' and h.entity_id = o.id and h.field = 'owner' and h.reason = 'creator' order by h.id limit 1)`;
    const firstAmount = sql`(select cast(ha.new_value as bigint) from record_history ha where ha.workspace_id = ${ws} and ha.entity_type = 'opportunity' and ha.entity_id = o.id and ha.field = 'amount' and ha.created_at = o.created_at order by ha.id limit 1)`;
    out.push(
      db
        .selectFrom('opportunities as o')
        .where('o.workspace_id', '=', ws)
        .where('o.id', 'in', opps)
        .select(
          select('opportunity_created', {
            at: sql`o.created_at`,
            actor_id: sql`coalesce(${creator}, o.owner_id)`,
            opportunity_id: sql`o.id`,
            ref_id: sql`o.id`,
            title: text('o.name'),
            old_value: nullText,
            new_value: nullText,
            reason: nullText,
            extra: nullText,
            amount: sql`coalesce(${firstAmount}, o.amount)`,
          }),
        ) as Branch,
    );
  }
  if (want('stage_moved')) {
    // A move is the row of the stage entered, paired with the row before it (which holds how
    // it was left: direction, evidence, reason). The first stage of a deal is its creation.
    out.push(
      db
        .selectFrom('opportunity_stage_history as s')
        .innerJoin('opportunity_stage_history as p', (joinBuilder) =>
          joinBuilder
            .onRef('p.opportunity_id', '=', 's.opportunity_id')
            .on('p.workspace_id', '=', ws)
            .on((eb) =>
              eb(
                'p.id',
                '=',
                eb
                  .selectFrom('opportunity_stage_history as q')
                  .select((q) => q.fn.max('q.id').as('m'))
                  .where('q.workspace_id', '=', ws)
                  .whereRef('q.opportunity_id', '=', 's.opportunity_id')
                  .whereRef('q.id', '<', 's.id'),
              ),
            ),
        )
        .where('s.workspace_id', '=', ws)
        .where('s.opportunity_id', 'in', opps)
        // After a close the next row is the reopening, told by its status change, not a move.
        .where((eb) => eb.or([eb('p.exit_direction', 'is', null), eb('p.exit_direction', '!=', 'closed')]))
        .select(
          select('stage_moved', {
            at: sql`s.entered_at`,
            actor_id: sql`s.entered_by`,
            opportunity_id: sql`s.opportunity_id`,
            ref_id: sql`s.id`,
            title: text('s.stage_name'),
            old_value: text('p.stage_name'),
            new_value: text('p.exit_direction'),
            reason: text('p.exit_reason'),
            extra: text('p.exit_evidence'),
            amount: sql`s.probability`,
          }),
        ) as Branch,
    );
  }
  if (want('opportunity_closed')) {
    // Every close is a status change in the history, with who and why; the deal's own columns
    // add what the current close recorded (loss reason code, competitor, contract amount).
    const current = sql`o.status = h.new_value and o.closed_at = h.created_at`;
    out.push(
      db
        .selectFrom('record_history as h')
        .innerJoin('opportunities as o', (j) => j.onRef('o.id', '=', 'h.entity_id').on('o.workspace_id', '=', ws))
        .where('h.workspace_id', '=', ws)
        .where('h.entity_type', '=', 'opportunity')
        .where('h.entity_id', 'in', opps)
        .where('h.field', '=', 'status')
        .where('h.new_value', 'in', ['won', 'lost', 'abandoned'])
        .select(
          select('opportunity_closed', {
            at: sql`h.created_at`,
            actor_id: sql`h.actor_user_id`,
            opportunity_id: sql`o.id`,
            ref_id: sql`h.id`,
            title: text('o.name'),
            old_value: nullText,
            new_value: text('h.new_value'),
            reason: sql<
              string | null
            >`case when ${current} then cast(o.close_reason as text) else cast(h.reason as text) end`,
            extra: sql<string | null>`case when ${current} then cast(o.close_competitor as text) end`,
            amount: sql`case when ${current} then coalesce(o.contract_amount, o.amount) end`,
          }),
        ) as Branch,
    );
    // Deals closed without a status row (loaded data): their close as the columns tell it.
    // Negative ids keep the two sources' event ids apart.
    out.push(
      db
        .selectFrom('opportunities as o')
        .where('o.workspace_id', '=', ws)
        .where('o.id', 'in', opps)
        .where('o.closed_at', 'is not', null)
        .where('o.status', '!=', 'open')
        .where((eb) =>
          eb.not(
            eb.exists(
              eb
                .selectFrom('record_history as h')
                .select('h.id')
                .where('h.workspace_id', '=', ws)
                .where('h.entity_type', '=', 'opportunity')
                .where('h.entity_id', '=', sql.ref<number>('o.id'))
                .where('h.field', '=', 'status'),
            ),
          ),
        )
        .select(
          select('opportunity_closed', {
            at: sql`o.closed_at`,
            actor_id: sql`o.owner_id`,
            opportunity_id: sql`o.id`,
            ref_id: sql`-o.id`,
            title: text('o.name'),
            old_value: nullText,
            new_value: text('o.status'),
            reason: text('o.close_reason'),
            extra: text('o.close_competitor'),
            amount: sql`coalesce(o.contract_amount, o.amount)`,
          }),
        ) as Branch,
    );
  }
  if (want('opportunity_changed')) {
    // Stage and closing have their own events (a reopening is a status change to 'open');
    // values written with the creation (owner, amount, close date) are the creation.
    out.push(
      db
        .selectFrom('record_history as h')
        .innerJoin('opportunities as o', (j) => j.onRef('o.id', '=', 'h.entity_id').on('o.workspace_id', '=', ws))
        .where('h.workspace_id', '=', ws)
        .where('h.entity_type', '=', 'opportunity')
        .where('h.entity_id', 'in', opps)
        .whereRef('h.created_at', '!=', 'o.created_at')
        .where('h.field', '!=', 'stage')
        .where((eb) => eb.or([eb('h.field', '!=', 'status'), eb('h.new_value', '=', 'open')]))
        .select(
          select('opportunity_changed', {
            at: sql`h.created_at`,
            actor_id: sql`h.actor_user_id`,
            opportunity_id: sql`h.entity_id`,
            ref_id: sql`h.id`,
            title: text('h.field'),
            old_value: text('h.old_value'),
            new_value: text('h.new_value'),
            reason: text('h.reason'),
            extra: nullText,
            amount: nullBig,
          }),
        ) as Branch,
    );
  }
  if (want('review')) {
    out.push(
      db
        .selectFrom('opportunity_reviews as r')
        .where('r.workspace_id', '=', ws)
        .where('r.opportunity_id', 'in', opps)
        .select(
          select('review', {
            at: sql`r.created_at`,
            actor_id: sql`r.reviewer_id`,
            opportunity_id: sql`r.opportunity_id`,
            ref_id: sql`r.id`,
            title: text('r.completed_step'),
            old_value: text('r.evidence'),
            new_value: text('r.next_action'),
            reason: text('r.root_cause'),
            extra: text('r.joint_plan'),
            amount: nullBig,
          }),
        ) as Branch,
    );
  }
  if (want('file_added')) {
    out.push(
      db
        .selectFrom('attachments as f')
        .where('f.workspace_id', '=', ws)
        .where('f.opportunity_id', 'in', opps)
        .select(
          select('file_added', {
            at: sql`f.created_at`,
            actor_id: sql`f.uploaded_by`,
            opportunity_id: sql`f.opportunity_id`,
            ref_id: sql`f.id`,
            title: text('f.file_name'),
            old_value: nullText,
            new_value: text('f.content_type'),
            reason: nullText,
            extra: nullText,
            amount: sql`f.size`,
          }),
        ) as Branch,
    );
  }
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
