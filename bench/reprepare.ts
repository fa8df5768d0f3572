/**
 * Which of a page's statements SQLite plans again on every run, and what that costs (SQLite only).
 * src/db/statement-cache.ts keeps each statement prepared, but SQLite re-prepares a kept statement
 * (parses and plans it again) at its next run when a parameter its plan looked at is bound anew.
 * In SQLite 3.54 the planner looks at many: a `LIMIT ?`, a `LIKE ?` pattern, and any `column = ?`
 * it weighs as a filter (whereLoopOutputAdjust, "is the value 0 or 1?"); and better-sqlite3
 * clears a statement's bindings after every run (sqlite3_clear_bindings), which expires the
 * statement whenever its plan looked at any parameter at all. What shows it: better-sqlite3 builds
 * a row's object with a function it makes again after each re-prepare (its rowFactory); this bench
 * counts those by giving better-sqlite3's addon a counting row factory before any database opens
 * (its lib/binding.js, which the package does not export: a diagnostic, not a pattern for src/).
 * For each page: its statements (captured from one request), whether each is planned again on
 * every run, its prepare's CPU (a fresh `prepare`, as a re-prepare) and a run's CPU.
 *
 *   KEYLINE_DATA_DIR=/copy/of/scale-set node bench/reprepare.ts [--only list]
 */
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';

const require = createRequire(import.meta.url);
const packageDir = path.dirname(require.resolve('better-sqlite3/package.json'));
const addon = (
  require(path.join(packageDir, 'lib/binding.js')) as { getBinding: () => Record<string, unknown> }
).getBinding();
let rowShapesMade = 0;
/** better-sqlite3's own row factory (lib/database.js), counted. */
function rowFactory(...keys: string[]) {
  rowShapesMade++;
  const parameters = keys.map((_, index) => `v${index}`).join(',');
  const properties = keys.map((key, index) => `${JSON.stringify(key)}:v${index}`).join(',');
  return Function(`return (${parameters}) => ({${properties}})`)() as unknown;
}
if (addon.isInitialized)
  throw new Error('bench/reprepare.ts: better-sqlite3 was initialised before the bench could count');
(addon.initialize as (...args: unknown[]) => void)(
  require(path.join(packageDir, 'lib/sqlite-error.js')),
  (...values: unknown[]) => values,
  (array: unknown[], ...values: unknown[]) => void array.push(...values),
  rowFactory,
  (value: unknown) => ({ value, done: false }),
);
addon.isInitialized = true;

const { openScaleBench } = await import('./harness.ts');
const bench = await openScaleBench();
const sqlite = bench.plain.sqlite;
if (!sqlite) throw new Error('bench/reprepare.ts measures SQLite (unset DATABASE_URL)');
const pages: [string, 'admin' | 'manager' | 'rep', string][] = [
  ['account list, admin', 'admin', '/api/v1/accounts?limit=50'],
  ['account list, manager', 'manager', '/api/v1/accounts?limit=50'],
  ['account list, rep', 'rep', '/api/v1/accounts?limit=50'],
  ['opportunity list, admin', 'admin', '/api/v1/opportunities?status=open&limit=50'],
  ['opportunity list, manager', 'manager', '/api/v1/opportunities?status=open&limit=50'],
  ['opportunity list, rep', 'rep', '/api/v1/opportunities?status=open&limit=50'],
  ["rep's desk", 'rep', '/api/v1/desk?limit=5'],
];
const RUNS = 200;
/** CPU µs per call of `fn`. */
const cpu = (fn: () => unknown) => {
  const start = process.cpuUsage();
  for (let i = 0; i < RUNS; i++) fn();
  const spent = process.cpuUsage(start);
  return (spent.user + spent.system) / RUNS;
};
console.log(
  '\n| page | statements | planned again on every run | their prepare CPU µs | all its statements, a run CPU µs | prepare ÷ run |',
);
console.log('|---|---:|---:|---:|---:|---:|');
for (const [name, who, url] of pages) {
  if (!bench.picked(name)) continue;
  const call = () => bench.app.inject({ method: 'GET', url, headers: { cookie: bench.cookies[who] } });
  for (let i = 0; i < 5; i++) await call();
  const { statements } = await bench.capture(call);
  let replanned = 0;
  let prepareCpu = 0;
  let runCpu = 0;
  for (const query of statements) {
    const statement = sqlite.prepare(query.sql);
    const params = query.parameters as unknown[];
    const run = () => (statement.reader ? statement.all(...params) : statement.run(...params));
    run();
    rowShapesMade = 0;
    const spent = cpu(run);
    runCpu += spent;
    if (statement.reader && rowShapesMade >= RUNS) {
      replanned++;
      prepareCpu += cpu(() => sqlite.prepare(query.sql));
    }
  }
  console.log(
    `| ${name} | ${statements.length} | ${replanned} | ${prepareCpu.toFixed(0)} | ${runCpu.toFixed(0)} | ${((100 * prepareCpu) / runCpu).toFixed(0)}% |`,
  );
}
console.log(
  `\nload ${os
    .loadavg()
    .map((value) => value.toFixed(1))
    .join(' ')}, ${new Date().toISOString()}`,
);
await bench.close();
