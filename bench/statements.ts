/**
 * Which statement of a page costs: captures the statements one request runs (as the scale
 * benches do), times each replayed alone, and shows the plan of those over --slow ms.
 *
 *   KEYLINE_DATA_DIR=/tmp/scale node bench/statements.ts --as admin /api/v1/accounts?limit=50 …
 */
import { openScaleBench, type Sign } from './harness.ts';
import { printPlan } from './plans.ts';

const bench = await openScaleBench({
  as: { type: 'string', default: 'admin' },
  slow: { type: 'string', default: '20' },
});
const who = bench.args.as as Sign;
for (const url of process.argv.slice(2).filter((arg) => arg.startsWith('/'))) {
  const { statements } = await bench.capture(() =>
    fetch(bench.base + url, { headers: { cookie: bench.cookies[who] } }).then((res) => res.arrayBuffer()),
  );
  console.log(`\n${who} ${url}: ${statements.length} statements`);
  for (const statement of statements) {
    const replay = bench.replayer([statement]);
    const start = performance.now();
    await replay();
    const ms = performance.now() - start;
    console.log(`  ${ms.toFixed(1).padStart(8)} ms  ${statement.sql.replace(/\s+/g, ' ').slice(0, 160)}`);
    if (ms >= Number(bench.args.slow)) await printPlan(bench, statement);
  }
}
await bench.close();
