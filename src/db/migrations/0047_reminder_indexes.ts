import { sql, type Kysely } from 'kysely';

/**
 * The reminders job's reads of open deals (issue 8; src/modules/notifications/repository.ts
 * checkpointsDue and stalledDeals, src/modules/checkpoints/repository.ts checkpointsCome):
 * opportunities_ws_open_created serves `status = 'open' and created_at in [after, before)` — the
 * 15- and 30-day checkpoints that came, a range of a few days' deals — and carries what the
 * pending reads test and return (id, owner, stage, stage entry), so they read the index alone:
 * the stalled deals walk the open deals' entries without a table lookup. Before it the planner
 * walked opportunities_ws_owner — every deal of the workspace, each looked up in the table —
 * for each of those reads: at the scale set 8–11 s each (docs/benchmarks.md, 6 December 21:00).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create index opportunities_ws_open_created on opportunities
    (workspace_id, status, created_at, id, owner_id, stage_id, stage_entered_at)`.execute(db);
}
