import type { CompiledQuery } from 'kysely';
import type pg from 'pg';

/**
 * A request's statements replayed on PostgreSQL as the server runs them, in order, on one
 * connection of `pool` — a pool whose connections run `keepFixedQueriesPrepared`
 * (src/db/database.ts), as the server's do. Each goes through `query(text, values)` as Kysely
 * sends it: that wrapper names the fixed and generic-plan statements, and every other statement
 * runs unnamed, planned afresh with its values at each run. The replay once named every statement
 * itself (`bench_<n>_<i>`); PostgreSQL moves a named statement to its generic plan after five runs
 * where that plan's estimate is no dearer, which the server never lets it do for an unnamed one:
 * a rep's desk's "closing this month" page and totals then took 330–580 ms each against 5–7 ms
 * unnamed, so the baseline was 10× slower than the request it was a baseline for.
 */
export function replayOnPostgres(pool: pg.Pool, statements: readonly CompiledQuery[]): () => Promise<void> {
  const queries = statements.map((query) => ({ text: query.sql, values: [...query.parameters] }));
  return async () => {
    const client = await pool.connect();
    try {
      for (const query of queries) await client.query(query.text, query.values);
    } finally {
      client.release();
    }
  };
}
