/**
 * The plan of one captured statement as the scale benches print it: SQLite's query plan, or
 * PostgreSQL's plan as it ran (EXPLAIN ANALYZE: actual times and buffers per node).
 */
import { CompiledQuery } from 'kysely';
import type { ScaleBench } from './harness.ts';

export async function planOf(bench: ScaleBench, statement: CompiledQuery): Promise<string[]> {
  if (bench.plain.sqlite)
    return (
      bench.plain.sqlite.prepare(`explain query plan ${statement.sql}`).all(...(statement.parameters as unknown[])) as {
        detail: string;
      }[]
    ).map((step) => step.detail);
  const explained = await bench.plain.kysely.executeQuery<{ 'QUERY PLAN': string }>(
    CompiledQuery.raw(`explain (analyze, buffers) ${statement.sql}`, [...statement.parameters]),
  );
  return explained.rows.map((row) => row['QUERY PLAN']);
}

/** The plan, the statement and its parameters, indented under a bench's line for the statement. */
export async function printPlan(bench: ScaleBench, statement: CompiledQuery): Promise<void> {
  for (const step of await planOf(bench, statement)) console.log(`              plan: ${step}`);
  console.log(`              sql: ${statement.sql.replace(/\s+/g, ' ')}`);
  console.log(`              params: ${JSON.stringify(statement.parameters)}`);
}
