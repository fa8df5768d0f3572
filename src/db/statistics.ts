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
 * - `bulk` (import commit, the scale set, the tier recompute): analyze now, on both engines —
 *   only `tables` when the caller names the ones it wrote (an import's commit: at the scale set
 *   PostgreSQL analyzed the whole database in 19 s, its accounts' tables in 5.5 s; SQLite counted
 *   the true figures of every saturated index again, 0.9–1.6 s of CPU, 3.4–6 s at load 16–17).
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
  tables?: readonly (keyof Database & string)[],
): Promise<void> {
  const only = moment === 'bulk' && tables?.length ? tables : null;
  if ((db.engine ?? engineOf(db.kysely)) === 'postgres') {
    if (moment === 'bulk')
      await (only ? sql`analyze ${sql.join(only.map((table) => sql.table(table)))}` : sql`analyze`).execute(db.kysely);
    return;
  }
  await sql.raw(`pragma analysis_limit = ${ANALYSIS_LIMIT}`).execute(db.kysely);
  // 0x10002: analyze what needs it among all tables, not only those this connection has queried.
  if (only) for (const table of only) await sql`analyze ${sql.table(table)}`.execute(db.kysely);
  else if (moment === 'bulk') await sql`analyze`.execute(db.kysely);
  else await sql`pragma optimize = 0x10002`.execute(db.kysely);
  // Only a better guess for the planner: a busy database (another process writing) must not fail the caller.
  await correctSampledColumns(db.kysely, only).catch(() => undefined);
}

/**
 * A sampled ANALYZE (analysis_limit) reads the first ANALYSIS_LIMIT entries of each index, so a
 * column with more rows per value than that looks near unique: at the scale set it counted 1,001
 * deals per workspace instead of 1,000,000 and 1,001 open deals instead of 300,000, and the
 * planner sorted a whole workspace for each page of the opportunity export (7–22 s a page).
 * Where a column's figure is in that saturated band, its true figure is counted: the distinct
 * values of the index's leading columns, read from the index itself (0.6 s for every index of
 * the scale set). A corrected figure leaves the band, so the next refresh does not count it
 * again. Flags, columns after an expression, and partial indexes keep the sample's.
 * Then this connection rereads the statistics.
 */
async function correctSampledColumns(db: Kysely<Database>, tables: readonly string[] | null): Promise<void> {
  const analyzed = await sql`select 1 from sqlite_schema where name = 'sqlite_stat1'`.execute(db);
  if (analyzed.rows.length === 0) return;
  // The figures of tables not analyzed now were corrected when they were.
  const analyzedNow = tables ? sql`and stat1.tbl in (${sql.join(tables)})` : sql``;
  const stats = await sql<{ tbl: string; idx: string; stat: string }>`
    select stat1.tbl, stat1.idx, stat1.stat from sqlite_stat1 as stat1
    join sqlite_schema as s on s.type = 'index' and s.name = stat1.idx
    where s.sql is not null and s.sql not like '% where %' ${analyzedNow}`.execute(db);
  const corrections: { tbl: string; idx: string; stat: string }[] = [];
  for (const row of stats.rows) {
    const parts = row.stat.split(' ');
    const rows = Number(parts[0]);
    if (!(rows > 2 * ANALYSIS_LIMIT)) continue; // the sample read it all: its figures are exact
    const columns = await sql<{ name: string | null }>`
      select name from pragma_index_info(${row.idx}) order by seqno`.execute(db);
    let corrected = false;
    for (let k = 1; k <= columns.rows.length && /^\d+$/.test(parts[k] ?? ''); k++) {
      const names = columns.rows.slice(0, k).map((column) => column.name);
      if (names.some((name) => name === null)) break;
      const perValue = Number(parts[k]);
      if (perValue >= ANALYSIS_LIMIT / 2 && perValue <= ANALYSIS_LIMIT + 1) {
        const list = sql.join(names.map((name) => sql.ref(name!)));
        const distinct = await sql<{ n: number }>`
          select count(*) as n from (select distinct ${list} from ${sql.table(row.tbl)})`.execute(db);
        const values = Math.max(1, Number(distinct.rows[0]?.n ?? 1));
        // A flag (one or two values: in the pool or not) is asked for its rare value, which the
        // average would hide; the workspace is the exception, always asked for one of few.
        if (values >= 3 || names[k - 1] === 'workspace_id') {
          parts[k] = String(Math.ceil(rows / values));
          corrected = true;
        }
      }
      // A further column narrows what the ones before it found, never widens it.
      if (k > 1) parts[k] = String(Math.min(Number(parts[k]), Number(parts[k - 1])));
    }
    if (corrected) corrections.push({ tbl: row.tbl, idx: row.idx, stat: parts.join(' ') });
  }
  if (corrections.length === 0) return;
  // Written at once: the counts above only read; the write lock is held for the updates alone.
  await db.transaction().execute(async (trx) => {
    for (const { tbl, idx, stat } of corrections)
      await sql`update sqlite_stat1 set stat = ${stat} where tbl = ${tbl} and idx = ${idx}`.execute(trx);
  });
  await sql`analyze sqlite_schema`.execute(db);
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
