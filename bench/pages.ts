/**
 * The pages of issue 8 at the scale set, each beside (a) the raw SQL of the very statements
 * the API ran for it — captured from Kysely's log during one request, then replayed as
 * prepared statements on the same connection kind — and (b) a bare Fastify answering the same
 * JSON; all three in the same run, as p50/p99 and requests per second at a concurrency.
 *
 *   KEYLINE_DATA_DIR=/tmp/scale node src/cli/main.ts demo --scale-set          # once
 *   KEYLINE_DATA_DIR=/tmp/scale node bench/pages.ts [--seconds 5] [--concurrency 4]
 *   DATABASE_URL=postgres://… node bench/pages.ts                               # a database holding the set
 * Without a scale set in the database it builds a small one first (--accounts etc. as for the CLI).
 */
import { bareFastify, formatFigures, httpGet, measure, openScaleBench } from './harness.ts';

const bench = await openScaleBench();
const { kysely, base, cookies, seconds: SECONDS, concurrency: CONCURRENCY } = bench;
type Who = keyof typeof cookies;

// The cases' ids: the rep's busiest open deal and account, the process with most open deals.
const rep = await kysely
  .selectFrom('users')
  .select('id')
  .where('email', '=', 'rep@demo.keyline.dev')
  .executeTakeFirstOrThrow();
const deal = await kysely
  .selectFrom('opportunities')
  .select(['id', 'account_id'])
  .where('owner_id', '=', rep.id)
  .where('status', '=', 'open')
  .orderBy('id')
  .executeTakeFirstOrThrow();
const busiestProcess = await bench.busiestProcess();
const word = encodeURIComponent('华锐');
const cases: [string, Who, string, string][] = [
  ['account list, admin', 'admin', '/api/v1/accounts?limit=50', '≤ 1.5× SQL, p99 ≤ 50'],
  ['account list, manager', 'manager', '/api/v1/accounts?limit=50', '≤ 1.5× SQL, p99 ≤ 50'],
  ['account list, rep', 'rep', '/api/v1/accounts?limit=50', '≤ 1.5× SQL, p99 ≤ 50'],
  ['contact list, admin', 'admin', '/api/v1/contacts?limit=50', '≤ 1.5× SQL, p99 ≤ 50'],
  ['contact list, rep', 'rep', '/api/v1/contacts?limit=50', '≤ 1.5× SQL, p99 ≤ 50'],
  ['opportunity list, admin', 'admin', '/api/v1/opportunities?status=open&limit=50', '≤ 1.5× SQL, p99 ≤ 50'],
  ['opportunity list, manager', 'manager', '/api/v1/opportunities?status=open&limit=50', '≤ 1.5× SQL, p99 ≤ 50'],
  ['opportunity list, rep', 'rep', '/api/v1/opportunities?status=open&limit=50', '≤ 1.5× SQL, p99 ≤ 50'],
  ['needs attention, admin', 'admin', '/api/v1/opportunities/attention?limit=50', '≤ 1.5× SQL, p99 ≤ 50'],
  ['needs attention, manager', 'manager', '/api/v1/opportunities/attention?limit=50', '≤ 1.5× SQL, p99 ≤ 50'],
  ['needs attention, rep', 'rep', '/api/v1/opportunities/attention?limit=50', '≤ 1.5× SQL, p99 ≤ 50'],
  ['opportunity detail', 'admin', `/api/v1/opportunities/${deal.id}`, 'p50 ≤ 10'],
  ['account detail', 'admin', `/api/v1/accounts/${deal.account_id}`, 'p50 ≤ 10'],
  ['account timeline', 'admin', `/api/v1/accounts/${deal.account_id}/timeline`, 'p50 ≤ 10'],
  // A rep's reach is tested on the account itself (scope.ts, accountWithinReach): the rep's case
  // is the one that listed every account of the rep's teams.
  ['opportunity detail, rep', 'rep', `/api/v1/opportunities/${deal.id}`, 'p50 ≤ 10'],
  ['account detail, rep', 'rep', `/api/v1/accounts/${deal.account_id}`, 'p50 ≤ 10'],
  ['account timeline, rep', 'rep', `/api/v1/accounts/${deal.account_id}/timeline`, 'p50 ≤ 10'],
  ['board, admin', 'admin', `/api/v1/opportunities/board?processId=${busiestProcess}`, 'p50 ≤ 50'],
  ['board, rep', 'rep', `/api/v1/opportunities/board?processId=${busiestProcess}`, 'p50 ≤ 10'],
  ['search 华锐, admin', 'admin', `/api/v1/search?q=${word}`, 'p50 ≤ 50'],
];
const chosen = cases.filter(([name]) => bench.picked(name));

const bare = await bareFastify();

console.log(
  '\n| page | target (ms) | API p50 / p99 / req/s | its SQL p50 / p99 / req/s | API ÷ SQL (p50) | API ÷ SQL (req/s) | bare Fastify, same JSON | statements |',
);
console.log('|---|---|---:|---:|---:|---:|---:|---:|');
// On SQLite the API's requests at a time share the one connection while the replay runs one
// statement list at a time, so an API p50 at a concurrency holds its wait for the others: there
// the time each request costs is 1 ÷ req/s, and "API ÷ SQL (req/s)" (the replay's req/s over the
// API's) is the like-for-like ratio. One request at a time (--concurrency 1) both ratios agree.
for (const [name, who, url, target] of chosen) {
  const { result: res, statements } = await bench.capture(() =>
    fetch(base + url, { headers: { cookie: cookies[who] } }),
  );
  const body = (await res.json()) as unknown;
  if (res.status !== 200) throw new Error(`${name}: ${res.status} ${JSON.stringify(body).slice(0, 200)}`);
  const api = await measure(httpGet(base + url, cookies[who]), CONCURRENCY, SECONDS);
  const raw = await measure(bench.replayer(statements), bench.replayWorkers(CONCURRENCY), SECONDS);
  const fastify = await measure(httpGet(bare.serve(body)), CONCURRENCY, SECONDS);
  console.log(
    `| ${name} | ${target} | ${formatFigures(api)} | ${formatFigures(raw)} | ×${(api.p50 / raw.p50).toFixed(1)} | ×${(raw.perSecond / api.perSecond).toFixed(2)} | ${formatFigures(fastify)} | ${statements.length} |`,
  );
}
// Issue 8 asks the server's memory at the scale set ≤ 500 MB: this process is the app plus the
// bench's own clients and bare Fastify, so its peak is an upper bound of the server's.
const memory = process.resourceUsage().maxRSS / 1024;
console.log(`\npeak RSS of the app with the bench's clients: ${memory.toFixed(0)} MB`);
await bare.close();
await bench.close();
