import type { Insertable, Kysely } from 'kysely';
import type { Database, OpportunityTable } from '../../../db/schema.ts';
import type { Actor } from '../../../domain/policy.ts';
import { columns, visibleOpportunities } from './visible.ts';

export async function getOpportunity(db: Kysely<Database>, actor: Actor, id: number) {
  return visibleOpportunities(db, actor).select(columns).where('opportunities.id', '=', id).executeTakeFirst();
}

export type OpportunityRow = NonNullable<Awaited<ReturnType<typeof getOpportunity>>>;

export async function insertOpportunity(db: Kysely<Database>, values: Insertable<OpportunityTable>): Promise<number> {
  return (await db.insertInto('opportunities').values(values).returning('id').executeTakeFirstOrThrow()).id;
}

/** Marks the opportunity changed without a version bump (a team change is not a figure anyone edits). */
export async function touchOpportunity(db: Kysely<Database>, workspaceId: number, id: number, now: number) {
  await db
    .updateTable('opportunities')
    .set({ updated_at: now })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .execute();
}
