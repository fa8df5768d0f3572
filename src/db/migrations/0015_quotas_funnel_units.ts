import { sql, type Kysely } from 'kysely';

/**
 * The funnel's totals per unit subtree (docs/targets.md § Funnel): each deal counted at its
 * own unit and at every unit above it, so a unit's or the workspace's funnel reads a few
 * hundred rows, not one per owner and month (bench/funnel.ts: 2,000 reps made the per-owner
 * totals of a quarter some 70,000 rows). Filled from the per-owner totals of 0015.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('funnel_unit_totals')
    .addColumn('workspace_id', 'integer', (c) => c.notNull())
    .addColumn('process_id', 'integer', (c) => c.notNull())
    .addColumn('unit_id', 'integer', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('close_month', 'text', (c) => c.notNull())
    .addColumn('stage_id', 'integer', (c) => c.notNull())
    .addColumn('size_class', 'text', (c) => c.notNull())
    .addColumn('deals', 'integer', (c) => c.notNull())
    .addColumn('amount', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('funnel_unit_totals_key')
    .unique()
    .on('funnel_unit_totals')
    .columns(['workspace_id', 'process_id', 'unit_id', 'status', 'close_month', 'stage_id', 'size_class'])
    .execute();
  await sql`insert into funnel_unit_totals (workspace_id, process_id, unit_id, status, close_month, stage_id, size_class, deals, amount)
    select t.workspace_id, t.process_id, a.id, t.status, t.close_month, t.stage_id, t.size_class, sum(t.deals), sum(t.amount)
    from funnel_totals t
    join org_units u on u.id = t.org_unit_id
    join org_units a on a.workspace_id = u.workspace_id and u.path like a.path || '%'
    group by t.workspace_id, t.process_id, a.id, t.status, t.close_month, t.stage_id, t.size_class`.execute(db);
}
