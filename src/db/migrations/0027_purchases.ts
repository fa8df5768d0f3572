import type { ColumnDefinitionBuilder, Kysely } from 'kysely';
import { idColumn, idColumnType, instantType, type Engine } from '../dialect.ts';

/**
 * Purchase history brought from another system (docs/archive.md § Import and export): what an
 * account bought before Keyline, so the ABC tiers and value types of a company moving in are
 * right from the first recompute. Won deals stay the other source (src/modules/tiers).
 */
export async function up(db: Kysely<unknown>, engine: Engine): Promise<void> {
  const ws = (c: ColumnDefinitionBuilder) => c.notNull().references('workspaces.id');
  await db.schema
    .createTable('purchases')
    .addColumn('id', idColumnType(engine), idColumn(engine))
    .addColumn('workspace_id', 'integer', ws)
    .addColumn('account_id', 'integer', (c) => c.notNull().references('accounts.id'))
    /** Calendar date as written (YYYY-MM-DD). */
    .addColumn('purchased_on', 'text', (c) => c.notNull())
    /** The start of that day in the workspace's time zone: what the tier windows compare. */
    .addColumn('purchased_at', instantType, (c) => c.notNull())
    /** Fen. */
    .addColumn('amount', 'bigint', (c) => c.notNull())
    .addColumn('product', 'text')
    .addColumn('notes', 'text')
    .addColumn('import_job_id', 'integer', (c) => c.references('import_jobs.id'))
    .addColumn('created_by', 'integer', (c) => c.references('users.id'))
    .addColumn('created_at', instantType, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('purchases_ws_account_at')
    .on('purchases')
    .columns(['workspace_id', 'account_id', 'purchased_at'])
    .execute();
  await db.schema.createIndex('purchases_ws_at').on('purchases').columns(['workspace_id', 'purchased_at']).execute();
}
