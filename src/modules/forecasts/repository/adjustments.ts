import type { Kysely } from 'kysely';
import type { Database } from '../../../db/schema.ts';

/** A manager's adjustments of a unit's forecast, week by week. */
type Db = Kysely<Database>;

const ADJUSTMENT_COLUMNS = [
  'forecast_adjustments.id',
  'forecast_adjustments.org_unit_id',
  'forecast_adjustments.period',
  'forecast_adjustments.week_start',
  'forecast_adjustments.amount',
  'forecast_adjustments.note',
  'forecast_adjustments.adjusted_by',
  'users.name as adjusted_by_name',
  'forecast_adjustments.updated_at',
  'forecast_adjustments.version',
] as const;

export async function adjustments(db: Db, workspaceId: number, unitId: number, period: string) {
  return db
    .selectFrom('forecast_adjustments')
    .innerJoin('users', 'users.id', 'forecast_adjustments.adjusted_by')
    .select(ADJUSTMENT_COLUMNS)
    .where('forecast_adjustments.workspace_id', '=', workspaceId)
    .where('forecast_adjustments.org_unit_id', '=', unitId)
    .where('forecast_adjustments.period', '=', period)
    .orderBy('forecast_adjustments.week_start')
    .execute();
}

export type AdjustmentRow = Awaited<ReturnType<typeof adjustments>>[number];

export async function insertAdjustment(db: Db, row: Omit<Database['forecast_adjustments'], 'id' | 'version'>) {
  const { id } = await db
    .insertInto('forecast_adjustments')
    .values({ ...row, version: 1 })
    .returning('id')
    .executeTakeFirstOrThrow();
  return id;
}
