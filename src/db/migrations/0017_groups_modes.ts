import { sql, type Kysely } from 'kysely';
import { instantType, type Engine } from '../dialect.ts';

/**
 * Group accounts, credit splits, sales modes and name collation (docs/archive.md § Group
 * accounts, docs/organisation.md § Sales modes, docs/DESIGN.md § Sorting names):
 * - accounts.parent_account_id: the account's parent in its group, any depth, same workspace
 *   (checked like 0011's references: a composite foreign key on PostgreSQL, triggers on SQLite);
 *   the service refuses cycles.
 * - opportunity_credit_splits: the owners' shares of a deal's credit, in whole percent.
 * - org_units.sales_mode: 'territory' or 'key_account'; null follows the parent unit.
 * - PostgreSQL: the collation `keyline_zh` names are sorted with — ICU's Chinese (pinyin) order
 *   where the server has ICU, the default order where it has not, so queries never fail.
 */
export async function up(db: Kysely<unknown>, engine: Engine): Promise<void> {
  await db.schema.alterTable('accounts').addColumn('parent_account_id', 'integer').execute();
  await db.schema
    .createIndex('accounts_parent')
    .on('accounts')
    .columns(['workspace_id', 'parent_account_id'])
    .execute();
  await db.schema.alterTable('org_units').addColumn('sales_mode', 'text').execute();

  await db.schema
    .createTable('opportunity_credit_splits')
    .addColumn('workspace_id', 'integer', (c) => c.notNull().references('workspaces.id'))
    .addColumn('opportunity_id', 'integer', (c) => c.notNull().references('opportunities.id'))
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('percent', 'integer', (c) => c.notNull())
    .addColumn('created_at', instantType, (c) => c.notNull())
    .addPrimaryKeyConstraint('opportunity_credit_splits_pk', ['opportunity_id', 'user_id'])
    .execute();
  await db.schema
    .createIndex('opportunity_credit_splits_user')
    .on('opportunity_credit_splits')
    .columns(['workspace_id', 'user_id'])
    .execute();

  if (engine === 'postgres') {
    // accounts_workspace_id_id_key exists since 0011 (the referrer's check).
    await db.schema
      .alterTable('accounts')
      .addForeignKeyConstraint('accounts_parent_account_id_fk', ['workspace_id', 'parent_account_id'], 'accounts', [
        'workspace_id',
        'id',
      ])
      .execute();
    const icu = await sql<{ n: number }>`select count(*)::int as n from pg_collation where collprovider = 'i'`.execute(
      db,
    );
    if ((icu.rows[0]?.n ?? 0) > 0)
      await sql`create collation if not exists keyline_zh (provider = icu, locale = 'zh')`.execute(db);
    else await sql`create collation if not exists keyline_zh from "default"`.execute(db);
    return;
  }
  const missing = sql.raw(
    'new.parent_account_id is not null and not exists (select 1 from accounts p where p.id = new.parent_account_id and p.workspace_id = new.workspace_id)',
  );
  const fail = sql.raw("select raise(abort, 'FOREIGN KEY constraint failed: accounts.parent_account_id')");
  await sql`create trigger accounts_parent_account_id_insert before insert on accounts when ${missing} begin ${fail}; end`.execute(
    db,
  );
  await sql`create trigger accounts_parent_account_id_update before update of parent_account_id, workspace_id on accounts when ${missing} begin ${fail}; end`.execute(
    db,
  );
  const named = sql.raw(
    'exists (select 1 from accounts c where c.parent_account_id = old.id and c.workspace_id = old.workspace_id)',
  );
  await sql`create trigger accounts_parent_account_id_parent_delete before delete on accounts when ${named} begin ${fail}; end`.execute(
    db,
  );
}
