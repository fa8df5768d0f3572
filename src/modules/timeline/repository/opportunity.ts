import { sql, type Kysely, type SelectQueryBuilder } from 'kysely';
import type { Database } from '../../../db/schema.ts';
import type { TimelineKind } from '../../../domain/timeline.ts';
import { historyChange, select, text, type Branch } from './branch.ts';

/**
 * The events of the deals in view (`opps`, a sub-query of their ids: the statement's WITH): creation, stage moves with their evidence,
 * closes, field changes, reviews and files.
 */
export function opportunityBranches(
  db: Kysely<Database>,
  ws: number,
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the statement's WITH of the deals in view
  opps: SelectQueryBuilder<any, any, { id: number }>,
  want: (kind: TimelineKind) => boolean,
): Branch[] {
  const out: Branch[] = [];
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
        .select(select('opportunity_changed', { ...historyChange, opportunity_id: sql`h.entity_id` })) as Branch,
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
            new_value: text('f.content_type'),
            amount: sql`f.size`,
          }),
        ) as Branch,
    );
  }
  return out;
}
