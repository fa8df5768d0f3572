import type { Insertable, Kysely, Updateable } from 'kysely';
import type { Database, OpportunityStageHistoryTable } from '../../../db/schema.ts';

/** A deal's path through the stages: the history read, a stage entered and left. */

export async function stageHistory(db: Kysely<Database>, workspaceId: number, opportunityId: number) {
  return db
    .selectFrom('opportunity_stage_history as h')
    .leftJoin('users as a', 'a.id', 'h.entered_by')
    .leftJoin('users as b', 'b.id', 'h.left_by')
    .select([
      'h.id',
      'h.stage_id',
      'h.stage_name',
      'h.probability',
      'h.entered_at',
      'h.left_at',
      'h.exit_direction',
      'h.exit_evidence',
      'h.exit_reason',
      'h.exit_overridden',
      'a.name as entered_by_name',
      'b.name as left_by_name',
    ])
    .where('h.workspace_id', '=', workspaceId)
    .where('h.opportunity_id', '=', opportunityId)
    .orderBy('h.entered_at')
    .orderBy('h.id')
    .execute();
}

export async function insertStageEntry(db: Kysely<Database>, row: Insertable<OpportunityStageHistoryTable>) {
  await db.insertInto('opportunity_stage_history').values(row).execute();
}

/** Closes the open stage-history row (the stage being left). */
export async function leaveCurrentStage(
  db: Kysely<Database>,
  workspaceId: number,
  opportunityId: number,
  exit: Updateable<OpportunityStageHistoryTable>,
) {
  await db
    .updateTable('opportunity_stage_history')
    .set(exit)
    .where('workspace_id', '=', workspaceId)
    .where('opportunity_id', '=', opportunityId)
    .where('left_at', 'is', null)
    .execute();
}
