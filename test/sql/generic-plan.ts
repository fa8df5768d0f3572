import { CompiledQuery, sql, type Kysely } from 'kysely';

/** A parameter written into the statement, for EXECUTE of a statement prepared in SQL. */
const literal = (value: unknown) =>
  value === null || value === undefined
    ? 'null'
    : typeof value === 'number' || typeof value === 'boolean'
      ? String(value)
      : `'${String(value).replace(/'/g, "''")}'`;

/**
 * Runs `explain` on the plan PostgreSQL makes for a statement without its values — the plan a
 * named statement keeps under `plan_cache_mode = force_generic_plan` (shapedQueries'
 * genericPlan, src/db/fixed-query.ts): the statement is prepared in SQL and explained as
 * EXECUTE with its values written in (PostgreSQL 15 has no EXPLAIN (GENERIC_PLAN)).
 */
export async function onGenericPlan<T>(
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- one connection of any database
  conn: Kysely<any>,
  statement: { sql: string; parameters: readonly unknown[] },
  explain: (execute: CompiledQuery) => Promise<T>,
): Promise<T> {
  await sql`set plan_cache_mode = force_generic_plan`.execute(conn);
  await conn.executeQuery(CompiledQuery.raw(`prepare keyline_plan_test as ${statement.sql}`));
  try {
    return await explain(
      CompiledQuery.raw(`execute keyline_plan_test(${statement.parameters.map(literal).join(', ')})`),
    );
  } finally {
    await sql`deallocate keyline_plan_test`.execute(conn);
    await sql`reset plan_cache_mode`.execute(conn);
  }
}
