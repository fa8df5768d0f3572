import { sql, type ColumnDefinitionBuilder, type Kysely } from 'kysely';
import { idColumn, idColumnType, instantType, type Engine } from '../dialect.ts';

/**
 * The revenue forecast (docs/targets.md § Revenue forecast): each rep's weekly submission with
 * the deals it names, every earlier submission of the same week kept (superseded, not
 * deleted) so accuracy can be measured afterwards; and the figure a manager sets for their
 * unit, one versioned row per unit, period and week, so two managers adjusting at once cannot
 * both win.
 */
export async function up(db: Kysely<unknown>, engine: Engine): Promise<void> {
  const id = idColumnType(engine);
  const pk = idColumn(engine);
  const ws = (c: ColumnDefinitionBuilder) => c.notNull().references('workspaces.id');

  await db.schema
    .createTable('forecast_submissions')
    .addColumn('id', id, pk)
    .addColumn('workspace_id', 'integer', ws)
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id'))
    // The rep's unit when they submitted: a unit's history stays the unit's after a move.
    .addColumn('org_unit_id', 'integer', (c) => c.notNull().references('org_units.id'))
    .addColumn('period', 'text', (c) => c.notNull())
    .addColumn('week_start', 'text', (c) => c.notNull())
    .addColumn('commit_amount', 'bigint', (c) => c.notNull())
    .addColumn('possible_amount', 'bigint', (c) => c.notNull())
    // What the forecast came to when submitted (quota, realised, weights of that day): accuracy compares this.
    .addColumn('quota', 'bigint', (c) => c.notNull())
    .addColumn('realised', 'bigint', (c) => c.notNull())
    .addColumn('forecast', 'bigint', (c) => c.notNull())
    .addColumn('note', 'text')
    .addColumn('submitted_at', instantType, (c) => c.notNull())
    .addColumn('superseded_at', instantType)
    .execute();
  await db.schema
    .createIndex('forecast_submissions_period')
    .on('forecast_submissions')
    .columns(['workspace_id', 'period', 'week_start', 'user_id'])
    .execute();
  // One current submission per rep and week; a second replaces it (the first is kept, superseded).
  await db.schema
    .createIndex('forecast_submissions_current')
    .unique()
    .on('forecast_submissions')
    .columns(['workspace_id', 'user_id', 'period', 'week_start'])
    .where(sql.ref('superseded_at'), 'is', null)
    .execute();

  await db.schema
    .createTable('forecast_submission_deals')
    .addColumn('submission_id', 'integer', (c) => c.notNull().references('forecast_submissions.id'))
    .addColumn('workspace_id', 'integer', ws)
    .addColumn('opportunity_id', 'integer', (c) => c.notNull().references('opportunities.id'))
    .addColumn('category', 'text', (c) => c.notNull())
    .addColumn('amount', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('forecast_submission_deals_pk', ['submission_id', 'opportunity_id'])
    .execute();

  await db.schema
    .createTable('forecast_adjustments')
    .addColumn('id', id, pk)
    .addColumn('workspace_id', 'integer', ws)
    .addColumn('org_unit_id', 'integer', (c) => c.notNull().references('org_units.id'))
    .addColumn('period', 'text', (c) => c.notNull())
    .addColumn('week_start', 'text', (c) => c.notNull())
    .addColumn('amount', 'bigint', (c) => c.notNull())
    .addColumn('note', 'text')
    .addColumn('adjusted_by', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('created_at', instantType, (c) => c.notNull())
    .addColumn('updated_at', instantType, (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema
    .createIndex('forecast_adjustments_key')
    .unique()
    .on('forecast_adjustments')
    .columns(['workspace_id', 'org_unit_id', 'period', 'week_start'])
    .execute();
}
