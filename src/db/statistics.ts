import { PostgresAdapter, sql, type Kysely } from 'kysely';
import type { Database } from './schema.ts';
import type { Engine } from './dialect.ts';

/**
 * Planner statistics (docs/DESIGN.md § The embedded database under load). Without them SQLite
 * guesses every index equally selective and can walk a million-row index where a ten-row one
 * would do (an opportunity page took 3.2 s instead of 0.5 ms at the scale set); PostgreSQL's
 * autovacuum analyzes on its own but only after a delay, so bulk work analyzes at once.
 *
 * - `start` (server start, after migrations) and `periodic` (housekeeping): SQLite's
 *   `PRAGMA optimize`, which analyzes only the tables whose size changed a lot since their
 *   statistics were taken, each on a bounded sample (analysis_limit) so it takes milliseconds.
 *   PostgreSQL: nothing, autovacuum does it.
 * - `bulk` (import commit, the scale set, the tier recompute): analyze now, on both engines.
 */
export type StatisticsMoment = 'start' | 'periodic' | 'bulk';

/** Rows read per index by SQLite's ANALYZE: enough for the planner's choices, fast on millions of rows. */
export const ANALYSIS_LIMIT = 1000;

/** The engine behind a Kysely instance, for callers that hold only that (the import worker's phases). */
export function engineOf(kysely: Kysely<Database>): Engine {
  return kysely.getExecutor().adapter instanceof PostgresAdapter ? 'postgres' : 'sqlite';
}

export async function refreshPlannerStatistics(
  db: { kysely: Kysely<Database>; engine?: Engine },
  moment: StatisticsMoment,
): Promise<void> {
  if ((db.engine ?? engineOf(db.kysely)) === 'postgres') {
    if (moment === 'bulk') await sql`analyze`.execute(db.kysely);
    return;
  }
  await sql.raw(`pragma analysis_limit = ${ANALYSIS_LIMIT}`).execute(db.kysely);
  // 0x10002: analyze what needs it among all tables, not only those this connection has queried.
  if (moment === 'bulk') await sql`analyze`.execute(db.kysely);
  else await sql`pragma optimize = 0x10002`.execute(db.kysely);
}

/**
 * Makes this connection plan with the statistics another connection just took (the job worker's
 * ANALYZE after the tier recompute): SQLite reads them when it loads the schema, and
 * `ANALYZE sqlite_schema` rereads them without analyzing anything (milliseconds). PostgreSQL
 * shares its statistics across connections.
 */
export async function reloadPlannerStatistics(db: { kysely: Kysely<Database>; engine: Engine }): Promise<void> {
  if (db.engine === 'sqlite') await sql`analyze sqlite_schema`.execute(db.kysely);
}
