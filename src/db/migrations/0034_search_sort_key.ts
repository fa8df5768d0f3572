import { sql, type Kysely } from 'kysely';
import type { Engine } from '../dialect.ts';
import { createSearchTriggers, dropSearchTriggers, SEARCHED, sortKeyOf } from './0018_search_index.ts';
import { createInsertedTriggers } from './0040_search_index_per_statement.ts';

/**
 * The search index in rank order (docs/search.md): each gram carries its record's sort key
 * (open deals first, then the name's length), and the key is (workspace, gram, kind, sort_key,
 * record_id) — so a gram's list comes in the order the global search ranks its group by, and
 * the first matches read are the best. "mes" is in 100,000 deals of the scale set, all with
 * names of eight characters behind 240,000 shorter open deals: walking the deals in that order
 * gave up, and ranking every match cost 0.5–1 s (SQLite) to 2–4 s (PostgreSQL).
 *
 * The table is rebuilt (a key cannot be altered in place on SQLite), its rows keyed from their
 * records; the triggers are made again to write the key and to re-index a deal closed or
 * reopened (on PostgreSQL the insert trigger per statement of migration 0040, which runs first).
 */
export async function up(db: Kysely<unknown>, engine: Engine): Promise<void> {
  const pg = engine === 'postgres';
  await dropSearchTriggers(db, engine);
  const gramType = pg ? sql.raw('text collate "C"') : sql.raw('text');
  const key = sql.raw('primary key (workspace_id, gram, kind, sort_key, record_id)');
  // PostgreSQL: the key built once from the rows after they are in (checked row by row it costs
  // several times more); SQLite has no table without rowid but with its key, so it is declared.
  await sql`create table search_grams_keyed (
    workspace_id integer not null, gram ${gramType} not null, kind text not null, sort_key integer not null,
    record_id integer not null${pg ? sql`` : sql`, ${key}`})${sql.raw(pg ? '' : ' without rowid')}`.execute(db);
  const put = 'insert into search_grams_keyed (workspace_id, gram, kind, sort_key, record_id)';
  // PostgreSQL: 399 s at the scale set at load 12–14, the key built after the rows.
  if (pg)
    for (const spec of SEARCHED)
      await sql
        .raw(
          `${put} select g.workspace_id, g.gram, g.kind, ${sortKeyOf(spec, 'x')}, g.record_id
          from search_grams g join ${spec.table} x on x.id = g.record_id
          where g.kind in ('${spec.kind}', '${spec.kind}p')`,
        )
        .execute(db);
  else {
    // One pass in the old key's order, each record's key looked up: the rows arrive nearly in
    // the new key's order (it differs only within a gram's list), so the inserts stay near the
    // tree's edge. At the scale set (27.2 M grams) 393 s, 120 s of CPU, at load 8–9.
    const keyOf = SEARCHED.map(
      (spec) =>
        `when g.kind in ('${spec.kind}', '${spec.kind}p') then (select ${sortKeyOf(spec, 'x')} from ${spec.table} x where x.id = g.record_id)`,
    );
    await sql
      .raw(
        `${put} select * from (select g.workspace_id, g.gram, g.kind, case ${keyOf.join(' ')} end as sort_key, g.record_id from search_grams g) as k where sort_key is not null`,
      )
      .execute(db);
  }
  await sql`drop table search_grams`.execute(db);
  await sql`alter table search_grams_keyed rename to search_grams`.execute(db);
  if (pg) await sql`alter table search_grams add constraint search_grams_pkey ${key}`.execute(db);
  await sql`create index search_grams_record on search_grams (kind, record_id)`.execute(db);
  await createSearchTriggers(db, engine, true);
  // PostgreSQL indexes a statement's new rows together (migration 0040), now with their key.
  if (pg) await createInsertedTriggers(db, true);
}
