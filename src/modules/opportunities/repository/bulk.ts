import type { Kysely } from 'kysely';
import type { Database } from '../../../db/schema.ts';
import type { Engine } from '../../../db/dialect.ts';
import type { Actor } from '../../../domain/policy.ts';
import { filteredOpportunities, type OpportunityFilter } from './list.ts';
import { visibleOpportunities } from './visible.ts';

/** The ids of the list's rows under a filter, oldest first, at most `limit`: a bulk action's "all N matching". */
export async function matchingOpportunityIds(
  db: Kysely<Database>,
  engine: Engine,
  actor: Actor,
  filter: OpportunityFilter,
  limit: number,
) {
  const query = await filteredOpportunities(db, engine, actor, filter);
  const rows = await query.select('opportunities.id').orderBy('opportunities.id').limit(limit).execute();
  return rows.map((row) => row.id);
}

/** The selected deals the actor may see, with what decides whether they may change hands (one batch of ids). */
export async function bulkCandidates(db: Kysely<Database>, actor: Actor, ids: number[]) {
  return visibleOpportunities(db, actor)
    .select(['opportunities.id', 'opportunities.owner_id', 'opportunities.status', 'org_units.path as unit_path'])
    .where('opportunities.id', 'in', ids)
    .execute();
}

/** Gives one batch of deals to a new owner and unit, bumping their versions. */
export async function reassignOpportunities(
  db: Kysely<Database>,
  workspaceId: number,
  ids: number[],
  owner: { id: number; unitId: number },
  now: number,
) {
  await db
    .updateTable('opportunities')
    .set((eb) => ({ owner_id: owner.id, org_unit_id: owner.unitId, updated_at: now, version: eb('version', '+', 1) }))
    .where('workspace_id', '=', workspaceId)
    .where('id', 'in', ids)
    .execute();
}
