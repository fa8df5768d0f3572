import type { Kysely } from 'kysely';

/**
 * A pipeline review (docs/sales-process.md) records the root cause the manager sees behind a problem —
 * poor execution, too few opportunities, average value too low — and the date of the next
 * action agreed in it, which becomes the opportunity's next step.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('opportunity_reviews').addColumn('root_cause', 'text').execute();
  await db.schema.alterTable('opportunity_reviews').addColumn('next_action_date', 'text').execute();
}
