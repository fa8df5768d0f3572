/**
 * The search index of the scale set (docs/search.md). Its triggers index one row at a time —
 * five times the cost of the insert itself — so the set is loaded with them off and indexed
 * afterwards by the triggers' own statements run set-based. On SQLite in the load's one
 * transaction; on PostgreSQL in a transaction of its own on a second connection, beside the
 * activities (src/demo/scale-set.ts: the workspace is marked as being built until the end).
 * The triggers are back before the records they skipped are committed.
 */
import { sql } from 'kysely';
import { POSITIONS, SEARCHED, indexStatements, unitOf } from '../db/migrations/0018_search_index.ts';
import type { ScaleContext } from './scale-set.ts';
import { run } from './scale-sql.ts';
import { dropForBulkLoad } from './scale-bulk.ts';

/**
 * Loads with the insert triggers off (on PostgreSQL disabled, on SQLite dropped) and puts them
 * back after; the records loaded meanwhile are indexed by `indexLoaded`, which the caller runs
 * before committing (SQLite) or beside the rest of the load (PostgreSQL, src/demo/scale-set.ts).
 */
export async function withoutSearchTriggers(ctx: ScaleContext, load: () => Promise<void>): Promise<void> {
  const triggers = SEARCHED.map((spec) => `${spec.table}_search_insert`);
  let recreate: string[] = [];
  if (ctx.engine === 'postgres') {
    for (const spec of SEARCHED)
      await run(ctx.db, `alter table ${spec.table} disable trigger ${spec.table}_search_insert`);
  } else {
    const { rows } = await sql<{
      sql: string;
    }>`select sql from sqlite_master where type = 'trigger' and name in (${sql.join(triggers)})`.execute(ctx.db);
    if (rows.length !== triggers.length)
      throw new Error('scale set: the search triggers are not as migration 0018 made them');
    recreate = rows.map((r) => r.sql);
    for (const name of triggers) await run(ctx.db, `drop trigger ${name}`);
  }
  await load();
  if (ctx.engine === 'postgres') {
    for (const spec of SEARCHED)
      await run(ctx.db, `alter table ${spec.table} enable trigger ${spec.table}_search_insert`);
  } else {
    for (const statement of recreate) await run(ctx.db, statement);
  }
}

/** Indexes the workspace's records loaded by `withoutSearchTriggers`, set-based, in the caller's transaction. */
export async function indexLoaded(ctx: ScaleContext): Promise<void> {
  if (ctx.engine === 'postgres') {
    const restore = await dropForBulkLoad(ctx, ['search_grams'], { primaryKey: true });
    for (const spec of SEARCHED) for (const statement of backfillByRecord(ctx, spec)) await run(ctx.db, statement);
    await restore();
  } else {
    for (const spec of SEARCHED) for (const statement of backfill(ctx, spec)) await run(ctx.db, statement);
  }
}

/**
 * SQLite: the insert trigger's statements over every row of the workspace. Each record is the
 * outer loop and its positions the inner one (CROSS JOIN fixes the order): joined by
 * `p.i <= length(…)` without statistics the planner put the thousand positions outside and
 * read every record once per position (1,000 × 1 M opportunities at the full set).
 */
function backfill(ctx: ScaleContext, spec: (typeof SEARCHED)[number]): string[] {
  return indexStatements(
    spec,
    'x',
    (column) =>
      `from ${spec.table} x cross join search_positions p where p.i <= length(x.${column}) and x.workspace_id = ${ctx.workspaceId} and x.${column} is not null`,
  );
}

const PUT = 'insert into search_grams (workspace_id, gram, kind, sort_key, unit_id, record_id) ';
const SKIP = ' on conflict do nothing';

/**
 * PostgreSQL: the same statements as two per table, one per kind (the text's, then its names'
 * initials), each record's grams of every column deduplicated by the record itself (a lateral
 * DISTINCT over a few dozen rows), written into the table without its primary key, which is
 * then built once from the rows: checked row by row against the key, 27 M grams cost 5–8 µs
 * each. Kind by kind in record order, the rows lie in the order of the index by record
 * (kind, record_id), whose build then finds them sorted (a third of its CPU at a tenth of the set).
 */
function backfillByRecord(ctx: ScaleContext, spec: (typeof SEARCHED)[number]): string[] {
  const selects = indexStatements(
    spec,
    'x',
    (column) => `from generate_series(1, least(length(x.${column}), ${POSITIONS})) p(i) where x.${column} is not null`,
  ).map((statement) => {
    if (!statement.startsWith(PUT) || !statement.endsWith(SKIP))
      throw new Error('scale set: the search index statements are not as migration 0018 writes them');
    return statement.slice(PUT.length, -SKIP.length);
  });
  // A unit looked up elsewhere (a contact's account's) is looked up once per record, not once per column.
  const unit = unitOf(spec, 'x');
  const lookedUp = !/^x\.\w+$/.test(unit);
  const from = lookedUp
    ? `${spec.table} x cross join lateral (select ${unit} as unit_id offset 0) u`
    : `${spec.table} x`;
  // indexStatements: one statement per searched column of the text's kind, then one per name of the initials'.
  const textual = spec.names.length + spec.others.length;
  return [selects.slice(0, textual), selects.slice(textual)].map((kind) => {
    const grams = kind.map((select) => (lookedUp ? select.replaceAll(unit, 'u.unit_id') : select));
    return `${PUT} select g.* from ${from}
    cross join lateral (select distinct * from (${grams.join(' union all ')}) grams) g
    where x.workspace_id = ${ctx.workspaceId} order by x.id`;
  });
}
