import type { Kysely } from 'kysely';
import type { Engine } from '../dialect.ts';

/**
 * Import rows keep the dry run's verdict (docs/archive.md § Import and export): what will happen to the row (create,
 * update, skip, error), the problems found, and the record it matches. The error report is
 * then a paginated query instead of one large JSON document.
 */
export async function up(db: Kysely<unknown>, _engine: Engine): Promise<void> {
  await db.schema.alterTable('import_rows').addColumn('outcome', 'text').execute();
  await db.schema.alterTable('import_rows').addColumn('problems', 'text').execute();
  await db.schema.alterTable('import_rows').addColumn('target_id', 'integer').execute();
  await db.schema
    .createIndex('import_rows_job_outcome')
    .on('import_rows')
    .columns(['job_id', 'outcome', 'row_no'])
    .execute();
}
