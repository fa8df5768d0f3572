/**
 * The search index of the scale set (docs/search.md). Its triggers index one row at a time —
 * five times the cost of the insert itself — so the set is loaded with them off and indexed
 * afterwards by the migration's set-based backfill, in the same transaction: no reader ever
 * sees rows without their index, and the triggers are back before it commits.
 */
import { sql } from 'kysely';
import { SEARCHED, backfillStatements } from '../db/migrations/0018_search_index.ts';
import type { ScaleContext } from './scale-set.ts';
import { run } from './scale-sql.ts';

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
  for (const spec of SEARCHED)
    for (const statement of backfillStatements(spec, `x.workspace_id = ${ctx.workspaceId}`))
      await run(ctx.db, statement);
  if (ctx.engine === 'postgres') {
    for (const spec of SEARCHED)
      await run(ctx.db, `alter table ${spec.table} enable trigger ${spec.table}_search_insert`);
  } else {
    for (const statement of recreate) await run(ctx.db, statement);
  }
}
