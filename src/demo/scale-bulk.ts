/**
 * The scale set's bulk tables load without their secondary indexes, which are built once
 * afterwards from the loaded rows: maintaining four to nine indexes row by row cost more than
 * the inserts themselves. On PostgreSQL their foreign keys go too and come back validated in
 * one pass each: checked row by row they were most of an insert's time (an activity checks
 * five). All inside the load's transaction, so no reader sees a table without them. Primary
 * keys, unique constraints and the indexes behind them stay.
 */
import { sql } from 'kysely';
import type { ScaleContext } from './scale-set.ts';
import { run } from './scale-sql.ts';

/** Drops the secondary indexes (and on PostgreSQL the foreign keys) of `tables`; returns what puts them back as they were. */
export async function dropForBulkLoad(
  ctx: ScaleContext,
  tables: readonly string[],
  options: { primaryKey?: boolean; keepIndexesOf?: readonly string[] } = {},
): Promise<() => Promise<void>> {
  const drop: string[] = [];
  const indexed = tables.filter((t) => !options.keepIndexesOf?.includes(t));
  const restore: string[] = [];
  if (ctx.engine === 'postgres') {
    const { rows: indexes } = await sql<{
      name: string;
      definition: string;
    }>`select i.indexname as name, i.indexdef as definition
      from pg_indexes i where i.schemaname = current_schema() and i.tablename in (${sql.join(indexed)})
        and not exists (select 1 from pg_constraint c where c.conindid = format('%I.%I', i.schemaname, i.indexname)::regclass)
      order by i.tablename, i.indexname`.execute(ctx.db);
    const { rows: keys } = await sql<{
      tab: string;
      name: string;
      definition: string;
    }>`select c.conrelid::regclass::text as tab,
        c.conname as name, pg_get_constraintdef(c.oid) as definition
      from pg_constraint c where (c.contype = 'f' or (c.contype = 'p' and ${options.primaryKey ?? false})) and c.conrelid in (${sql.join(tables.map((t) => sql`${t}::regclass`))})
      order by 1, 2`.execute(ctx.db);
    for (const key of keys) {
      drop.push(`alter table ${key.tab} drop constraint "${key.name}"`);
      restore.push(`alter table ${key.tab} add constraint "${key.name}" ${key.definition}`);
    }
    for (const index of indexes) {
      drop.push(`drop index "${index.name}"`);
      restore.unshift(index.definition);
    }
  } else {
    const { rows: indexes } = await sql<{
      name: string;
      definition: string;
    }>`select name, sql as definition from sqlite_master
      where type = 'index' and sql is not null and tbl_name in (${sql.join(indexed)}) order by tbl_name, name`.execute(
      ctx.db,
    );
    for (const index of indexes) {
      drop.push(`drop index "${index.name}"`);
      restore.push(index.definition);
    }
  }
  for (const statement of drop) await run(ctx.db, statement);
  return async () => {
    for (const statement of restore) await run(ctx.db, statement);
  };
}
