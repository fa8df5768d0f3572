import { sql, type Kysely } from 'kysely';
import type { Engine } from '../dialect.ts';

/**
 * References that were only ids (issue 14 item 4) become checked by the database, and checked
 * within the workspace: a referrer account, a buying role's opportunity, an opportunity's
 * process and stage must be rows of the same workspace. The services check the same first and
 * answer 400 naming the field; these are the backstop for every other writer.
 *
 * PostgreSQL: composite foreign keys (workspace_id, x_id) → parent (workspace_id, id), over a
 * unique key added on each parent. SQLite cannot add a foreign key to an existing table
 * without rebuilding it (and every index, trigger and reference around it), so it gets
 * triggers with the same rule: a child row must name an existing parent of its workspace, and
 * a parent still named cannot be deleted. (Ids are never updated, so there are no update
 * triggers on the parents.) See docs/DESIGN.md "Ids in requests".
 *
 * References that already point nowhere (or into another workspace) cannot be kept under the
 * rule; they are cleared rather than the rows deleted: the account, role or opportunity stays.
 */
const REFERENCES = [
  { table: 'accounts', column: 'referrer_account_id', parent: 'accounts' },
  { table: 'buying_roles', column: 'opportunity_id', parent: 'opportunities' },
  { table: 'opportunities', column: 'process_id', parent: 'sales_processes' },
  { table: 'opportunities', column: 'stage_id', parent: 'process_stages' },
] as const;

export async function up(db: Kysely<unknown>, engine: Engine): Promise<void> {
  for (const reference of REFERENCES) {
    await sql`update ${sql.table(reference.table)} set ${sql.ref(reference.column)} = null
      where ${sql.ref(reference.column)} is not null and not exists (
        select 1 from ${sql.table(reference.parent)} p where p.id = ${sql.ref(`${reference.table}.${reference.column}`)} and p.workspace_id = ${sql.ref(`${reference.table}.workspace_id`)})`.execute(
      db,
    );
  }
  if (engine === 'postgres') {
    for (const parent of new Set(REFERENCES.map((r) => r.parent))) {
      await db.schema
        .alterTable(parent)
        .addUniqueConstraint(`${parent}_workspace_id_id_key`, ['workspace_id', 'id'])
        .execute();
    }
    for (const reference of REFERENCES) {
      await db.schema
        .alterTable(reference.table)
        .addForeignKeyConstraint(
          `${reference.table}_${reference.column}_fk`,
          ['workspace_id', reference.column],
          reference.parent,
          ['workspace_id', 'id'],
        )
        .execute();
    }
    return;
  }
  for (const reference of REFERENCES) {
    const name = `${reference.table}_${reference.column}`;
    const missing = sql.raw(
      `new.${reference.column} is not null and not exists (select 1 from ${reference.parent} p where p.id = new.${reference.column} and p.workspace_id = new.workspace_id)`,
    );
    const fail = sql.raw(
      `select raise(abort, 'FOREIGN KEY constraint failed: ${reference.table}.${reference.column}')`,
    );
    await sql`create trigger ${sql.raw(`${name}_insert`)} before insert on ${sql.table(reference.table)} when ${missing} begin ${fail}; end`.execute(
      db,
    );
    await sql`create trigger ${sql.raw(`${name}_update`)} before update of ${sql.raw(`${reference.column}, workspace_id`)} on ${sql.table(reference.table)} when ${missing} begin ${fail}; end`.execute(
      db,
    );
    const named = sql.raw(
      `exists (select 1 from ${reference.table} c where c.${reference.column} = old.id and c.workspace_id = old.workspace_id)`,
    );
    await sql`create trigger ${sql.raw(`${name}_parent_delete`)} before delete on ${sql.table(reference.parent)} when ${named} begin ${fail}; end`.execute(
      db,
    );
  }
}
