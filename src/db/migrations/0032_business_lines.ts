import type { Kysely } from 'kysely';

/**
 * Business lines (docs/targets.md § Business lines): each deal carries the line of its products
 * ('' for none), and the funnel's kept totals count per line too, so a line's funnel and its
 * realised amount read the totals like every other funnel. No workspace has lines before this
 * migration, so every deal and every total is of no line: nothing to re-sort. The totals' keys
 * gain the line last — the upkeep's upsert conflicts on the whole key — and the covering index
 * of the units' reads holds it too.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const line = (table: string) =>
    db.schema
      .alterTable(table)
      .addColumn('business_line', 'text', (c) => c.notNull().defaultTo(''))
      .execute();
  await line('opportunities');
  await line('funnel_totals');
  await line('funnel_unit_totals');
  await db.schema.dropIndex('funnel_totals_key').execute();
  await db.schema
    .createIndex('funnel_totals_key')
    .unique()
    .on('funnel_totals')
    .columns([
      'workspace_id',
      'process_id',
      'owner_id',
      'status',
      'close_month',
      'stage_id',
      'org_unit_id',
      'size_class',
      'business_line',
    ])
    .execute();
  await db.schema.dropIndex('funnel_totals_units').execute();
  await db.schema
    .createIndex('funnel_totals_units')
    .on('funnel_totals')
    .columns([
      'workspace_id',
      'process_id',
      'status',
      'close_month',
      'org_unit_id',
      'stage_id',
      'size_class',
      'business_line',
      'deals',
      'amount',
    ])
    .execute();
  await db.schema.dropIndex('funnel_unit_totals_key').execute();
  await db.schema
    .createIndex('funnel_unit_totals_key')
    .unique()
    .on('funnel_unit_totals')
    .columns([
      'workspace_id',
      'process_id',
      'unit_id',
      'status',
      'close_month',
      'stage_id',
      'size_class',
      'business_line',
    ])
    .execute();
}
