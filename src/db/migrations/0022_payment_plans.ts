import type { ColumnDefinitionBuilder, Kysely } from 'kysely';
import { idColumn, idColumnType, instantType, type Engine } from '../dialect.ts';

/**
 * Payment plans of opportunities (docs/targets.md § Expected collections): the installments a
 * contract is expected to be paid in, each a due date and an amount, so the expected
 * collections of large projects in a period can count the installments of earlier wins that
 * fall due in it. One versioned header per opportunity (a plan is saved whole; of two people
 * saving at once one gets 409) and its installments.
 */
export async function up(db: Kysely<unknown>, engine: Engine): Promise<void> {
  const ws = (c: ColumnDefinitionBuilder) => c.notNull().references('workspaces.id');
  await db.schema
    .createTable('payment_plans')
    .addColumn('opportunity_id', 'integer', (c) => c.primaryKey().references('opportunities.id'))
    .addColumn('workspace_id', 'integer', ws)
    .addColumn('updated_by', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('updated_at', instantType, (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema
    .createTable('payment_installments')
    .addColumn('id', idColumnType(engine), idColumn(engine))
    .addColumn('workspace_id', 'integer', ws)
    .addColumn('opportunity_id', 'integer', (c) => c.notNull().references('payment_plans.opportunity_id'))
    /** Calendar date in the workspace's zone, YYYY-MM-DD: periods compare dates. */
    .addColumn('due_date', 'text', (c) => c.notNull())
    /** Fen. */
    .addColumn('amount', 'bigint', (c) => c.notNull())
    .addColumn('note', 'text')
    .execute();
  await db.schema
    .createIndex('payment_installments_ws_opportunity')
    .on('payment_installments')
    .columns(['workspace_id', 'opportunity_id', 'due_date'])
    .execute();
  await db.schema
    .createIndex('payment_installments_ws_due')
    .on('payment_installments')
    .columns(['workspace_id', 'due_date'])
    .execute();
}
