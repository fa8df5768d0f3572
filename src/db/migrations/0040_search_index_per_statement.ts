import { sql, type Kysely } from 'kysely';
import type { Engine } from '../dialect.ts';
import { POSITIONS, SEARCHED, sortKeyOf, unitOf, type IndexColumns } from './0018_search_index.ts';

/**
 * PostgreSQL indexes the inserted rows of a statement together (docs/search.md): the insert
 * trigger of migration 0018 ran once per row, three to seven plpgsql statements each, and a
 * 500-row insert of an import paid that 500 times (2,000 accounts: 3.4 s in the trigger, JIT
 * off). Now one statement-level trigger per table reads the statement's new rows (a transition
 * table) and writes their grams in one insert, each record's grams computed beside it (a lateral
 * union over a few dozen positions) — the same grams as before, for every writer, in the same
 * statement. A one-row insert costs what it did (about 1 ms). Updates and deletes keep the row
 * trigger of 0018 (they are few, and an update indexes only when a searched column changed).
 *
 * The pinyin look-ups are lateral index probes (offset 0 keeps them so): planned once for the
 * trigger, a join would hash the whole pinyin table (23,000 rows) for every statement, one row
 * or many. No `on conflict`: the rows are new, and a record's grams go when it is deleted (the
 * row trigger), so nothing can be there yet; the union removes a record's repeated grams.
 *
 * SQLite has no statement-level triggers with the new rows; its row trigger costs about what the
 * grams do (measured: the same time written set-based), so it is left as it is.
 */
export function insertedStatement(spec: (typeof SEARCHED)[number], rows: string, columns: IndexColumns): string {
  // least() skips a null: the text's own `is not null` keeps a missing value from giving a thousand positions.
  const positions = (column: string) => `generate_series(1, least(length(x.${column}), ${POSITIONS})) p(i)`;
  const raw = [...spec.names, ...spec.others].map(
    (column) =>
      `select lower(substr(x.${column}, p.i, 2)) as gram, '${spec.kind}' as kind from ${positions(column)} where x.${column} is not null`,
  );
  const pinyin = (column: string, at: string) =>
    `left join lateral (select initial from search_pinyin where ch = substr(x.${column}, ${at}, 1) offset 0)`;
  const initials = spec.names.map(
    (column) =>
      `select coalesce(y1.initial, lower(substr(x.${column}, p.i, 1))) || coalesce(y2.initial, lower(substr(x.${column}, p.i + 1, 1))), '${spec.kind}p' from ${positions(
        column,
      )} ${pinyin(column, 'p.i')} y1 on true ${pinyin(column, 'p.i + 1')} y2 on true where x.${column} is not null`,
  );
  const keyed = columns !== false;
  // The unit once per record (a contact's is its account's, a look-up), not once per gram.
  const unit = columns === 'unit' ? ` cross join lateral (select ${unitOf(spec, 'x')} as unit_id offset 0) u` : '';
  return `insert into search_grams (workspace_id, gram, kind, ${keyed ? 'sort_key, ' : ''}${unit ? 'unit_id, ' : ''}record_id)
    select x.workspace_id, g.gram, g.kind, ${keyed ? `${sortKeyOf(spec, 'x')}, ` : ''}${unit ? 'u.unit_id, ' : ''}x.id from ${rows} x${unit}
    cross join lateral (${[...raw, ...initials].join(' union ')}) g`;
}

export async function up(db: Kysely<unknown>, engine: Engine): Promise<void> {
  if (engine === 'postgres') await createInsertedTriggers(db, false);
}

/**
 * PostgreSQL's statement-level insert triggers, in place of the row trigger of the same name;
 * `columns`: the index's columns they write (migrations 0034 and 0043 make them again so).
 */
export async function createInsertedTriggers(db: Kysely<unknown>, columns: IndexColumns = 'unit'): Promise<void> {
  for (const spec of SEARCHED) {
    await sql
      .raw(
        `create or replace function ${spec.table}_search_index_inserted() returns trigger language plpgsql as $$
        begin
          ${insertedStatement(spec, 'inserted', columns)};
          return null;
        end $$`,
      )
      .execute(db);
    // The same name as before: the scale set turns it off by name while it loads.
    await sql.raw(`drop trigger ${spec.table}_search_insert on ${spec.table}`).execute(db);
    await sql
      .raw(
        `create trigger ${spec.table}_search_insert after insert on ${spec.table} referencing new table as inserted
        for each statement execute function ${spec.table}_search_index_inserted()`,
      )
      .execute(db);
  }
}
