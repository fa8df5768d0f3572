import type { Kysely } from 'kysely';

/**
 * The evidence gathered for an opportunity's current stage as it is collected (docs/sales-process.md
 * "what is done is seen"), before the stage is left: a JSON array of {stageId, key, note,
 * attachmentId} on the opportunity itself rather than a table, because it is only ever read
 * with the opportunity (page, lists, the board's x/y without a join) and replaced whole under
 * the opportunity's version, and the UPDATE that changes the stage empties it in the same
 * statement. What a move actually gave stays in opportunity_stage_history.exit_evidence.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('opportunities')
    .addColumn('stage_evidence', 'text', (c) => c.notNull().defaultTo('[]'))
    .execute();
}
