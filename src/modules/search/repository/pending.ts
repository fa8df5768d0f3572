import { sql, type Kysely } from 'kysely';
import type { Database } from '../../../db/schema.ts';
import type { Engine } from '../../../db/dialect.ts';
import { backfillStatements, SEARCHED } from '../../../db/migrations/0018_search_index.ts';

/**
 * Records written without their grams (migration 0048, docs/search.md § Imported records): the
 * flag an import raises in its transaction, and the indexing job's batches.
 */

/**
 * Raises the flag for the rest of `trx`: the records inserted meanwhile get a search_pending row
 * instead of their grams. `lowerDeferral` must run before the transaction commits (a rollback
 * takes the row away with everything else).
 */
export async function raiseDeferral(trx: Kysely<Database>, importJobId: number): Promise<void> {
  await trx.insertInto('search_defer').values({ import_job_id: importJobId }).execute();
}

export async function lowerDeferral(trx: Kysely<Database>, importJobId: number): Promise<void> {
  await trx.deleteFrom('search_defer').where('import_job_id', '=', importJobId).execute();
}

/** How many of an import's records still wait for their grams. */
export async function pendingOfImport(db: Kysely<Database>, workspaceId: number, importJobId: number) {
  const row = await db
    .selectFrom('search_pending')
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .where('import_job_id', '=', importJobId)
    .where('workspace_id', '=', workspaceId)
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

/** Whether any record waits for its grams (the import's kick repeats while some do). */
export async function anyPending(db: Kysely<Database>): Promise<boolean> {
  return (await db.selectFrom('search_pending').select('record_id').limit(1).executeTakeFirst()) !== undefined;
}

/**
 * Indexes up to `limit` waiting records inside `trx` (one short transaction): their grams written
 * by the insert trigger's own statements (migration 0018's, set-based over the batch's ids), after
 * any grams they have (an update of a pending record indexed it already: written again, the same),
 * then their pending rows deleted. Run again after a crash it does the same, so it is idempotent.
 * A pending row whose record is gone writes nothing and is deleted. On PostgreSQL the batch's
 * rows are locked and others' skipped, so two sessions never index the same record at once.
 * Returns how many pending rows it took (0: none left).
 */
export async function indexPendingBatch(trx: Kysely<Database>, engine: Engine, limit: number): Promise<number> {
  const { rows } = await sql<{ kind: string; record_id: number }>`select kind, record_id from search_pending
    order by kind, record_id limit ${limit}${sql.raw(engine === 'postgres' ? ' for update skip locked' : '')}`.execute(
    trx,
  );
  for (const spec of SEARCHED) {
    const ids = rows.filter((row) => row.kind === spec.kind).map((row) => Number(row.record_id));
    if (ids.length === 0) continue;
    // Integers read from the table a moment ago: inlined, as the trigger's statements are raw SQL.
    const list = ids.join(', ');
    await sql
      .raw(`delete from search_grams where kind in ('${spec.kind}', '${spec.kind}p') and record_id in (${list})`)
      .execute(trx);
    for (const statement of backfillStatements(spec, `x.id in (${list})`)) await sql.raw(statement).execute(trx);
    await trx.deleteFrom('search_pending').where('kind', '=', spec.kind).where('record_id', 'in', ids).execute();
  }
  return rows.length;
}
