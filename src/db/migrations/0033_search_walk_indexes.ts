import { sql, type Kysely } from 'kysely';
import type { Engine } from '../dialect.ts';

/**
 * The global search's walk (docs/search.md, src/modules/search/repository/walk.ts): when a text
 * matches thousands of records, the five best of a group are found by reading the rows in the
 * group's order and stopping at five, instead of looking up and ranking every match (1.3 s for
 * "mes", in a tenth of a million deals). Per searched table:
 * - the order after the exact and prefix matches: (workspace, [open deals first,] length(name), id),
 *   the expressions exactly as the search orders by them, so both engines walk the index;
 * - the exact and prefix matches: lower(name), a range of it — in byte order on PostgreSQL
 *   (collate "C"), as SQLite compares, so [text, the next string) is exactly the names starting
 *   with the text.
 */
export async function up(db: Kysely<unknown>, engine: Engine): Promise<void> {
  const lowered = engine === 'postgres' ? sql.raw('(lower(name) collate "C")') : sql.raw('lower(name)');
  await sql`create index accounts_ws_name_length on accounts (workspace_id, length(name), id)`.execute(db);
  await sql`create index contacts_ws_name_length on contacts (workspace_id, length(name), id)`.execute(db);
  await sql`create index opportunities_ws_open_name_length on opportunities (workspace_id, (case when status = 'open' then 0 else 1 end), length(name), id)`.execute(
    db,
  );
  for (const table of ['accounts', 'contacts', 'opportunities'])
    await sql`create index ${sql.raw(`${table}_ws_lower_name`)} on ${sql.table(table)} (workspace_id, ${lowered})`.execute(
      db,
    );
}
