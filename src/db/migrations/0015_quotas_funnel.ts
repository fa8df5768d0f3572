import { sql, type Kysely } from 'kysely';
import { idColumn, idColumnType, instantType, type Engine } from '../dialect.ts';

/**
 * Quotas per person and org unit and fiscal year (docs/targets.md § Quotas), and the funnel's
 * kept totals (§ Funnel): open and won deals counted per owner, unit, process, stage, month of
 * close and size class. The totals are filled here from the deals that exist, with each
 * workspace's large-deal threshold; from now on every writer of a deal keeps them in its own
 * transaction (src/modules/funnel/upkeep.ts).
 */
export async function up(db: Kysely<unknown>, engine: Engine): Promise<void> {
  await db.schema
    .createTable('quotas')
    .addColumn('id', idColumnType(engine), idColumn(engine))
    .addColumn('workspace_id', 'integer', (c) => c.notNull().references('workspaces.id'))
    .addColumn('subject_type', 'text', (c) => c.notNull())
    .addColumn('subject_id', 'integer', (c) => c.notNull())
    .addColumn('fiscal_year', 'integer', (c) => c.notNull())
    .addColumn('amount', 'bigint', (c) => c.notNull())
    .addColumn('quarter_ratios', 'text', (c) => c.notNull())
    .addColumn('categories', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('basis', 'text', (c) => c.notNull())
    .addColumn('created_at', instantType, (c) => c.notNull())
    .addColumn('updated_at', instantType, (c) => c.notNull())
    .addColumn('updated_by', 'integer')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema
    .createIndex('quotas_subject_year')
    .unique()
    .on('quotas')
    .columns(['workspace_id', 'fiscal_year', 'subject_type', 'subject_id'])
    .execute();

  await db.schema
    .createTable('funnel_totals')
    .addColumn('workspace_id', 'integer', (c) => c.notNull())
    .addColumn('process_id', 'integer', (c) => c.notNull())
    .addColumn('stage_id', 'integer', (c) => c.notNull())
    .addColumn('org_unit_id', 'integer', (c) => c.notNull())
    .addColumn('owner_id', 'integer', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('close_month', 'text', (c) => c.notNull())
    .addColumn('size_class', 'text', (c) => c.notNull())
    .addColumn('deals', 'integer', (c) => c.notNull())
    .addColumn('amount', 'bigint', (c) => c.notNull())
    .execute();
  // One person's funnel reads its own rows; the key is also what the upkeep's upsert conflicts on.
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
    ])
    .execute();
  // A unit's or the workspace's funnel: covering, so the sums never touch the table.
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
      'deals',
      'amount',
    ])
    .execute();

  const workspaces = await sql<{ id: number; settings: string | null }>`select id, settings from workspaces`.execute(
    db,
  );
  for (const ws of workspaces.rows) {
    let threshold = 200_000_00;
    try {
      const largeDealThreshold = (JSON.parse(ws.settings ?? '{}') as { largeDealThreshold?: unknown })
        .largeDealThreshold;
      if (typeof largeDealThreshold === 'number') threshold = largeDealThreshold;
    } catch {
      // Unreadable settings read as the defaults everywhere (src/domain/settings.ts).
    }
    await sql`insert into funnel_totals (workspace_id, process_id, stage_id, org_unit_id, owner_id, status, close_month, size_class, deals, amount)
      select workspace_id, process_id, stage_id, org_unit_id, owner_id, status, coalesce(substr(expected_close_date, 1, 7), ''),
        case when amount >= ${sql.lit(Math.trunc(Number(threshold)))} then 'large' else 'small' end, count(*), sum(amount)
      from opportunities
      where workspace_id = ${ws.id} and status in ('open', 'won') and process_id is not null and stage_id is not null
      group by workspace_id, process_id, stage_id, org_unit_id, owner_id, status, coalesce(substr(expected_close_date, 1, 7), ''),
        case when amount >= ${sql.lit(Math.trunc(Number(threshold)))} then 'large' else 'small' end`.execute(db);
  }
}
