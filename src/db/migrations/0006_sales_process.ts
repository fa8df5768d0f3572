import type { ColumnDefinitionBuilder, Kysely } from 'kysely';
import { idColumn, idColumnType, instantType, type Engine } from '../dialect.ts';

/**
 * The standardised sales process (docs/sales-process.md): processes and their stages (copied from the
 * templates, then editable), the rest of the opportunity of docs/sales-process.md § The opportunity, the stage history
 * with the evidence given at every move, and pipeline review entries.
 */
export async function up(db: Kysely<unknown>, engine: Engine): Promise<void> {
  const id = idColumnType(engine);
  const pk = idColumn(engine);
  const ws = (c: ColumnDefinitionBuilder) => c.notNull().references('workspaces.id');

  await db.schema
    .createTable('sales_processes')
    .addColumn('id', id, pk)
    .addColumn('workspace_id', 'integer', ws)
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('template_key', 'text')
    .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', instantType, (c) => c.notNull())
    .addColumn('updated_at', instantType, (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema.createIndex('sales_processes_ws').on('sales_processes').column('workspace_id').execute();

  await db.schema
    .createTable('process_stages')
    .addColumn('id', id, pk)
    .addColumn('workspace_id', 'integer', ws)
    .addColumn('process_id', 'integer', (c) => c.notNull().references('sales_processes.id'))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    /** Win probability in percent (0–100). */
    .addColumn('probability', 'integer', (c) => c.notNull())
    .addColumn('purpose', 'text')
    .addColumn('milestone', 'text')
    /** JSON [{key, label, requires: check|note|attachment}] — the evidence to leave the stage. */
    .addColumn('evidence', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('actions', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('roles', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('expected_days', 'integer', (c) => c.notNull().defaultTo(7))
    .addColumn('buying_phase', 'text')
    .addColumn('is_won', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', instantType, (c) => c.notNull())
    .addColumn('updated_at', instantType, (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema
    .createIndex('process_stages_ws_process')
    .on('process_stages')
    .columns(['workspace_id', 'process_id', 'position'])
    .execute();

  const opp = (
    name: string,
    type: 'text' | 'integer' | 'bigint',
    build?: (columnDefinition: ColumnDefinitionBuilder) => ColumnDefinitionBuilder,
  ) =>
    db.schema
      .alterTable('opportunities')
      .addColumn(name, type, build ?? ((c) => c))
      .execute();
  await opp('process_id', 'integer');
  await opp('stage_id', 'integer');
  await opp('stage_entered_at', 'bigint');
  await opp('lead_source', 'text');
  await opp('buying_phase', 'text');
  await opp('forecast_category', 'text', (c) => c.notNull().defaultTo('pipeline'));
  await opp('next_step', 'text');
  await opp('next_step_date', 'text');
  await opp('products', 'text', (c) => c.notNull().defaultTo('[]'));
  await opp('competitors', 'text', (c) => c.notNull().defaultTo('[]'));
  await opp('qualification', 'text', (c) => c.notNull().defaultTo('{}'));
  await opp('swot', 'text', (c) => c.notNull().defaultTo('{}'));
  await opp('win_strategy', 'text');
  await opp('advantage_lost', 'integer', (c) => c.notNull().defaultTo(0));
  await opp('close_reason', 'text');
  await opp('close_competitor', 'text');
  await opp('contract_amount', 'bigint');
  await opp('description', 'text');
  await db.schema
    .createIndex('opportunities_ws_process_stage')
    .on('opportunities')
    .columns(['workspace_id', 'process_id', 'status', 'stage_id'])
    .execute();

  await db.schema
    .createTable('opportunity_stage_history')
    .addColumn('id', id, pk)
    .addColumn('workspace_id', 'integer', ws)
    .addColumn('opportunity_id', 'integer', (c) => c.notNull().references('opportunities.id'))
    .addColumn('stage_id', 'integer', (c) => c.notNull())
    /** Name and probability as they were: editing a process never rewrites history (docs/sales-process.md § Sales processes and stages). */
    .addColumn('stage_name', 'text', (c) => c.notNull())
    .addColumn('probability', 'integer', (c) => c.notNull())
    .addColumn('entered_at', instantType, (c) => c.notNull())
    .addColumn('entered_by', 'integer')
    .addColumn('left_at', instantType)
    .addColumn('left_by', 'integer')
    /** How the stage was left: forward / back / closed, with the evidence given and any override. */
    .addColumn('exit_direction', 'text')
    .addColumn('exit_evidence', 'text')
    .addColumn('exit_reason', 'text')
    .addColumn('exit_overridden', 'text')
    .execute();
  await db.schema
    .createIndex('stage_history_ws_opp')
    .on('opportunity_stage_history')
    .columns(['workspace_id', 'opportunity_id', 'entered_at'])
    .execute();

  await db.schema
    .createTable('opportunity_reviews')
    .addColumn('id', id, pk)
    .addColumn('workspace_id', 'integer', ws)
    .addColumn('opportunity_id', 'integer', (c) => c.notNull().references('opportunities.id'))
    .addColumn('reviewer_id', 'integer', (c) => c.notNull())
    .addColumn('completed_step', 'text')
    .addColumn('evidence', 'text')
    .addColumn('next_action', 'text')
    .addColumn('joint_plan', 'text')
    .addColumn('created_at', instantType, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('opportunity_reviews_ws_opp')
    .on('opportunity_reviews')
    .columns(['workspace_id', 'opportunity_id'])
    .execute();
}
