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

/** When a captured statement ran, in performance.now() ms: from Kysely's log, which fires as it ends. */
export interface Span {
  start: number;
  end: number;
}

/**
 * The statements that ran at once, as groups of indexes in order: a statement joins the group
 * before it when it started before the last of that group's statements ended. (A chain of overlaps
 * becomes one group, so the replay may run at once two statements the request ran one after the
 * other: its baseline is then, if anything, faster than the request's own pattern.)
 */
export function concurrentGroups(spans: readonly Span[]): number[][] {
  const order = spans.map((_, index) => index).sort((left, right) => spans[left]!.start - spans[right]!.start);
  const groups: number[][] = [];
  let groupEnd = -Infinity;
  for (const index of order) {
    const span = spans[index]!;
    if (groups.length === 0 || span.start >= groupEnd) groups.push([index]);
    else groups.at(-1)!.push(index);
    groupEnd = groups.at(-1)!.length === 1 ? span.end : Math.max(groupEnd, span.end);
  }
  return groups;
}

/**
 * As replayOnPostgres, but each group of statements the request ran at once (the desk's cards,
 * a list's page and its count: `Promise.all` over the pool) run at once again, each on a
 * connection of `pool`, the groups one after another.
 */
export function replayConcurrentlyOnPostgres(
  pool: pg.Pool,
  statements: readonly CompiledQuery[],
  groups: readonly number[][],
): () => Promise<void> {
  const queries = statements.map((query) => ({ text: query.sql, values: [...query.parameters] }));
  return async () => {
    for (const group of groups)
      await Promise.all(
        group.map(async (index) => {
          const client = await pool.connect();
          try {
            await client.query(queries[index]!.text, queries[index]!.values);
          } finally {
            client.release();
          }
        }),
      );
  };
}
