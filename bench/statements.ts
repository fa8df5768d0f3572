/**
 * Which statement of a page costs: captures the statements one request runs (as the scale
 * benches do), times each replayed alone (the median of --repeat replays: one is noise on a
 * loaded machine), and shows the plan of those over --slow ms.
 *
 *   KEYLINE_DATA_DIR=/tmp/scale node bench/statements.ts --as admin [--repeat 5] /api/v1/accounts?limit=50 …
 */
import { openScaleBench, type Sign } from './harness.ts';
import { printPlan } from './plans.ts';

const bench = await openScaleBench({
  as: { type: 'string', default: 'admin' },
  slow: { type: 'string', default: '20' },
  repeat: { type: 'string', default: '1' },
});
const repeat = Math.max(1, Number(bench.args.repeat));
const who = bench.args.as as Sign;
for (const url of process.argv.slice(2).filter((arg) => arg.startsWith('/'))) {
  const { statements } = await bench.capture(() =>
    fetch(bench.base + url, { headers: { cookie: bench.cookies[who] } }).then((res) => res.arrayBuffer()),
  );
  console.log(`\n${who} ${url}: ${statements.length} statements`);
  for (const statement of statements) {
    const times: number[] = [];
    for (let run = 0; run < repeat; run++) {
      // Replayed as the API runs it: on PostgreSQL unnamed (planned with its values at each run)
      // unless the server names it (src/db/fixed-query.ts).
      const replay = bench.replayer([statement]);
      const start = performance.now();
      await replay();
      times.push(performance.now() - start);
    }
    const ms = times.sort((left, right) => left - right)[Math.floor((times.length - 1) / 2)]!;
    console.log(`  ${ms.toFixed(1).padStart(8)} ms  ${statement.sql.replace(/\s+/g, ' ').slice(0, 160)}`);
    if (ms >= Number(bench.args.slow)) await printPlan(bench, statement);
  }
}
await bench.close();
