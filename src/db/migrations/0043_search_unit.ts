import { sql, type Kysely } from 'kysely';
import type { Engine } from '../dialect.ts';
import { createSearchTriggers, dropSearchTriggers, SEARCHED, unitOf } from './0018_search_index.ts';
import { createInsertedTriggers } from './0040_search_index_per_statement.ts';

/**
 * The search index carries each record's unit (docs/search.md): the org unit whose subtree sees
 * it — an account's and a deal's own, a contact's account's. A manager's search tested its
 * reach by looking up the record of every entry it read: "mes" is in a tenth of the deals and
 * a region holds a tenth of those, so about 10,000 entries were read and their deals, accounts
 * and units looked up to prove "1000+" (0.65–0.9 s). With the unit in the entry the subtree's
 * units are tested on the index alone and only the region's entries are looked up.
 *
 * Not part of the key's order, which stays (workspace, gram, kind, sort_key, record_id): on
 * SQLite a column of the WITHOUT ROWID table (stored beside the key); on PostgreSQL carried by
 * the primary key's index (`include`), so an index-only read has it. Rebuilt as migration 0034
 * did (SQLite cannot add a NOT NULL column without a default and then key on it in place); the
 * triggers are made again to write it and to set it when a record's unit changes.
 */
export async function up(db: Kysely<unknown>, engine: Engine): Promise<void> {
  const pg = engine === 'postgres';
  await dropSearchTriggers(db, engine);
  const gramType = pg ? sql.raw('text collate "C"') : sql.raw('text');
  const key = sql.raw(`primary key (workspace_id, gram, kind, sort_key, record_id)${pg ? ' include (unit_id)' : ''}`);
  await sql`create table search_grams_united (
    workspace_id integer not null, gram ${gramType} not null, kind text not null, sort_key integer not null,
    unit_id integer not null, record_id integer not null${pg ? sql`` : sql`, ${key}`})${sql.raw(pg ? '' : ' without rowid')}`.execute(
    db,
  );
  const put = 'insert into search_grams_united (workspace_id, gram, kind, sort_key, unit_id, record_id)';
  // PostgreSQL: each kind's rows joined to their records, the key built once after the rows.
  if (pg)
    for (const spec of SEARCHED)
      await sql
        .raw(
          `${put} select g.workspace_id, g.gram, g.kind, g.sort_key, ${unitOf(spec, 'x')}, g.record_id
          from search_grams g join ${spec.table} x on x.id = g.record_id
          where g.kind in ('${spec.kind}', '${spec.kind}p')`,
        )
        .execute(db);
  else {
    // One pass in the key's order, which does not change: every insert lands at the tree's end.
    const unitOfGram = SEARCHED.map(
      (spec) =>
        `when g.kind in ('${spec.kind}', '${spec.kind}p') then (select ${unitOf(spec, 'x')} from ${spec.table} x where x.id = g.record_id)`,
    );
    await sql
      .raw(
        `${put} select * from (select g.workspace_id, g.gram, g.kind, g.sort_key, case ${unitOfGram.join(' ')} end as unit_id, g.record_id from search_grams g) as u where unit_id is not null`,
      )
      .execute(db);
  }
  await sql`drop table search_grams`.execute(db);
  await sql`alter table search_grams_united rename to search_grams`.execute(db);
  if (pg) await sql`alter table search_grams add constraint search_grams_pkey ${key}`.execute(db);
  await sql`create index search_grams_record on search_grams (kind, record_id)`.execute(db);
  await createSearchTriggers(db, engine, 'unit');
  if (pg) await createInsertedTriggers(db, 'unit');
}
