import type { Insertable, Kysely } from 'kysely';
import type { Database, OpportunityTable } from '../../../db/schema.ts';
import type { Actor } from '../../../domain/policy.ts';
import { shapedQueries } from '../../../db/fixed-query.ts';
import { standActor } from '../../scope.ts';
import { columns, visibleOpportunities } from './visible.ts';

/**
 * One visible deal: compiled once per shape (src/db/fixed-query.ts, shapedQueries). Its page, its
 * timeline and every change read it first; building its 42 columns and five joins in Kysely cost
 * more than SQLite took to answer it.
 */
const opportunityQuery = shapedQueries(
  (db: Kysely<Database>, actor: Actor, id: number) =>
    [visibleOpportunities(db, actor).select(columns).where('opportunities.id', '=', id)] as const,
  (stand, actor, id) => [standActor(stand, actor), stand(id)],
  // A deal by its key: PostgreSQL planned it in 0.6–1.1 ms and ran it in 0.1, for every role; its generic plan reads the key.
  { genericPlan: () => true },
);

export async function getOpportunity(db: Kysely<Database>, actor: Actor, id: number) {
  const [query] = await opportunityQuery(db, actor, id);
  return (await db.executeQuery(query)).rows[0];
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
