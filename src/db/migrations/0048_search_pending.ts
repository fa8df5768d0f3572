import { sql, type Kysely } from 'kysely';
import type { Engine } from '../dialect.ts';
import { indexStatements, SEARCHED, type Searched } from './0018_search_index.ts';
import { insertedStatement } from './0040_search_index_per_statement.ts';

/**
 * An import indexes its records for search after it commits (docs/search.md § Imported records,
 * issue 8): about 80 % of an import's commit was the insert triggers writing ~56 grams a record
 * (SQLite 176–194 µs of CPU a row), inside the import's one write transaction that others wait on.
 *
 * `search_defer` is a flag a writer raises inside its own transaction: the import inserts its job's
 * row before its records and deletes it before committing. While a row is there the insert
 * triggers write one `search_pending` row per record instead of its grams, and the indexing job
 * (src/modules/search/indexing.ts) writes the grams later in short batches. The flag is never
 * seen by another writer: on PostgreSQL an uncommitted row is invisible to other transactions,
 * and SQLite has one writer at a time, so every other writer (the API, handovers, merges, the
 * demo, the scale set) keeps indexing in its own statement. Cheaper than the import writing the
 * pending rows itself: the records' ids need not be known first, and a record costs one probe of
 * an (almost always empty) table and one insert instead of ~56.
 *
 * Updates and deletes keep their triggers: an update of a pending record indexes it as any
 * update does (the job then re-indexes it: delete and write, the same grams), a delete removes
 * its grams, if any, and the job drops a pending row whose record is gone. A failed import rolls
 * its pending rows back with its records.
 */
export async function up(db: Kysely<unknown>, engine: Engine): Promise<void> {
  // No rowid/serial: the job's id is the key; at most one row, for a transaction's lifetime.
  await sql`create table search_defer (import_job_id integer primary key)`.execute(db);
  await sql`create table search_pending (
    workspace_id integer not null, kind text not null, record_id integer not null, import_job_id integer,
    primary key (kind, record_id))`.execute(db);
  // An import's status counts what of it remains to be indexed.
  await sql`create index search_pending_import on search_pending (import_job_id)`.execute(db);
  await createDeferrableInsertTriggers(db, engine);
}

/**
 * The statement that records the rows of `from` (over alias `x`: `inserted` on PostgreSQL, `new`
 * on SQLite) as waiting for their grams, with the job of the raised flag. `where true` keeps
 * SQLite from reading `on conflict` as a join's `on`.
 */
const pendingStatement = (spec: Searched, alias: string, from: string) =>
  `insert into search_pending (workspace_id, kind, record_id, import_job_id)
    select ${alias}.workspace_id, '${spec.kind}', ${alias}.id, d.import_job_id from ${from}
    (select import_job_id from search_defer limit 1) d where true on conflict do nothing`;

/**
 * The insert triggers as they are now (index columns with the unit), made deferrable. A later
 * migration that re-creates the search triggers calls this after them.
 */
export async function createDeferrableInsertTriggers(db: Kysely<unknown>, engine: Engine): Promise<void> {
  for (const spec of SEARCHED) {
    if (engine === 'postgres') {
      // The statement trigger of migration 0040 keeps its name and table; only its function changes.
      await sql
        .raw(
          `create or replace function ${spec.table}_search_index_inserted() returns trigger language plpgsql as $$
          begin
            if exists (select 1 from search_defer) then
              ${pendingStatement(spec, 'x', 'inserted x cross join')};
            else
              ${insertedStatement(spec, 'inserted', 'unit')};
            end if;
            return null;
          end $$`,
        )
        .execute(db);
      continue;
    }
    // SQLite: the row trigger's WHEN skips its ~7 statements; a second trigger records the row.
    // The scale set drops and re-creates `<table>_search_insert` by its stored SQL, WHEN included.
    const body = indexStatements(spec, 'new', (column) => `from search_positions p where p.i <= length(new.${column})`);
    await sql.raw(`drop trigger ${spec.table}_search_insert`).execute(db);
    await sql
      .raw(
        `create trigger ${spec.table}_search_insert after insert on ${spec.table}
        when not exists (select 1 from search_defer) begin ${body.join('; ')}; end`,
      )
      .execute(db);
    await sql
      .raw(
        `create trigger ${spec.table}_search_defer after insert on ${spec.table}
        when exists (select 1 from search_defer) begin ${pendingStatement(spec, 'new', '')}; end`,
      )
      .execute(db);
  }
}
