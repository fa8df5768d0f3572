import type { Kysely } from 'kysely';
import { blobType, idColumn, idColumnType, instantType, type Engine } from '../dialect.ts';

/**
 * Attachments: the evidence items of a stage that "require an attachment" (docs/sales-process.md).
 * The bytes live in the database (blob / bytea) so that both engines and every backup carry
 * them; opportunity_id is set when a stage move links the file to an opportunity.
 */
export async function up(db: Kysely<unknown>, engine: Engine): Promise<void> {
  await db.schema
    .createTable('attachments')
    .addColumn('id', idColumnType(engine), idColumn(engine))
    .addColumn('workspace_id', 'integer', (c) => c.notNull().references('workspaces.id'))
    .addColumn('uploaded_by', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('opportunity_id', 'integer', (c) => c.references('opportunities.id'))
    .addColumn('file_name', 'text', (c) => c.notNull())
    .addColumn('content_type', 'text', (c) => c.notNull())
    .addColumn('size', 'integer', (c) => c.notNull())
    .addColumn('data', blobType(engine), (c) => c.notNull())
    .addColumn('created_at', instantType, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('attachments_ws_opportunity')
    .on('attachments')
    .columns(['workspace_id', 'opportunity_id'])
    .execute();
}
