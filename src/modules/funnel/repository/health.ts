import type { Kysely } from 'kysely';
import type { Database } from '../../../db/schema.ts';
import { dealsWhere, type DealFilter } from './filters.ts';

/** Open deals of the funnel with when they entered their stage (time-in-step). */
export async function openDealAges(
  db: Kysely<Database>,
  workspaceId: number,
  processId: number,
  filter: DealFilter,
  dates: { from: string | null; to: string | null },
) {
  return dealsWhere(db, workspaceId, processId, filter, 'open', dates)
    .select([
      'opportunities.id',
      'opportunities.name',
      'opportunities.stage_id',
      'opportunities.stage_entered_at',
      'opportunities.created_at',
      'opportunities.amount',
    ])
    .execute();
}
