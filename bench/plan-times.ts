/**
 * Planning and execution time of each statement of a page on PostgreSQL, warm, on one
 * connection: EXPLAIN (ANALYZE, SUMMARY) of its custom plan (planned with the call's values, as
 * an unnamed statement is) and of its generic plan (PREPARE, `plan_cache_mode =
 * force_generic_plan`), the median of --runs each.
 *
 *   DATABASE_URL=postgres://… node bench/plan-times.ts --as rep [--runs 9] '/api/v1/opportunities?limit=50' …
 */
import { CompiledQuery } from 'kysely';
import { openScaleBench, type Sign } from './harness.ts';

const bench = await openScaleBench({
  as: { type: 'string', default: 'admin' },
  runs: { type: 'string', default: '9' },
});
if (bench.db.engine !== 'postgres') throw new Error('plan-times: PostgreSQL only (DATABASE_URL)');
const who = bench.args.as as Sign;
const runs = Number(bench.args.runs);
const literalOf = (value: unknown): string =>
  value === null || value === undefined
    ? 'null'
    : typeof value === 'number' || typeof value === 'bigint'
      ? String(value)
      : `'${String(typeof value === 'object' ? JSON.stringify(value) : value).replaceAll("'", "''")}'`;
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

await bench.plain.kysely.connection().execute(async (connection) => {
  const explain = async (text: string, parameters: readonly unknown[]) => {
    const { rows } = await connection.executeQuery<{ 'QUERY PLAN': string }>(
      CompiledQuery.raw(`explain (analyze, summary) ${text}`, [...parameters]),
    );
    const timeOf = (label: string) =>
      Number(/([\d.]+) ms/.exec(rows.find((row) => row['QUERY PLAN'].startsWith(label))!['QUERY PLAN'])![1]);
    return { planning: timeOf('Planning Time'), execution: timeOf('Execution Time') };
  };
  const timed = async (text: string, parameters: readonly unknown[]) => {
    const all = [];
    for (let run = 0; run < runs; run++) all.push(await explain(text, parameters));
    return `${median(all.map((t) => t.planning)).toFixed(2)} / ${median(all.map((t) => t.execution)).toFixed(2)}`;
  };
  for (const url of process.argv.slice(2).filter((arg) => arg.startsWith('/'))) {
    const { statements } = await bench.capture(() =>
      fetch(bench.base + url, { headers: { cookie: bench.cookies[who] } }).then((res) => res.arrayBuffer()),
    );
    console.log(`\n${who} ${url}: ${statements.length} statements; planning / execution ms, median of ${runs}`);
    for (const [index, statement] of statements.entries()) {
      if (process.env.PLAN_TIMES_DUMP)
        console.log(`-- sql ${index}\n${statement.sql};\n-- params ${statement.parameters.map(literalOf).join(', ')}`);
      const custom = await timed(statement.sql, statement.parameters);
      await connection.executeQuery(CompiledQuery.raw(`prepare plan_times_${index} as ${statement.sql}`));
      await connection.executeQuery(CompiledQuery.raw('set plan_cache_mode = force_generic_plan'));
      // EXECUTE takes its arguments as literals (a utility statement binds no parameters).
      const literals = statement.parameters.map(literalOf).join(', ');
      const generic = await timed(`execute plan_times_${index}${literals ? `(${literals})` : ''}`, []);
      await connection.executeQuery(CompiledQuery.raw('reset plan_cache_mode'));
      await connection.executeQuery(CompiledQuery.raw(`deallocate plan_times_${index}`));
      console.log(
        `  custom ${custom.padStart(14)}  generic ${generic.padStart(14)}  ${statement.sql.replace(/\s+/g, ' ').slice(0, 110)}`,
      );
    }
  }
});
await bench.close();
