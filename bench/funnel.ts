/**
 * The live funnel at the scale set (docs/targets.md § Funnel; issue 9): 100,000 accounts,
 * 1,000,000 opportunities and 2,000 reps on one process. Each case is timed as p95 (and median) of requests through the
 * real app, next to the raw SQL baseline measured in the same run: the plain GROUP BY over the
 * deals that the kept totals replace, and for the per-member table also the SQL it runs itself.
 *
 *   KEYLINE_DATA_DIR=/tmp/scale node src/cli/main.ts demo --scale-set                # once
 *   KEYLINE_DATA_DIR=/tmp/scale node bench/funnel.ts [--iterations 200]              # SQLite
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/scale node bench/funnel.ts       # PostgreSQL
 * Without a scale set in the database it builds a small one first (--accounts etc. as for the CLI).
 */
import os from 'node:os';
import Fastify from 'fastify';
import { sql } from 'kysely';
import { bareFastify, openScaleBench } from './harness.ts';

const bench = await openScaleBench({
  iterations: { type: 'string', default: '200' },
  'base-iterations': { type: 'string', default: '20' },
});
const values = bench.args;
const ITER = Number(values.iterations);
// A GROUP BY over a million deals takes a second or more: fewer runs of the baselines keep the bench within minutes.
const BASE_ITER = Number(values['base-iterations']);

const { kysely, app, workspaceId, base: origin } = bench;
const { admin, manager, rep } = bench.cookies;
const totals = await kysely
  .selectFrom('funnel_totals')
  .select((eb) => eb.fn.countAll<number>().as('n'))
  .executeTakeFirstOrThrow();
const unitTotals = await kysely
  .selectFrom('funnel_unit_totals')
  .select((eb) => eb.fn.countAll<number>().as('n'))
  .executeTakeFirstOrThrow();
const reps = await kysely
  .selectFrom('users')
  .select((eb) => eb.fn.countAll<number>().as('n'))
  .where('role', '=', 'rep')
  .executeTakeFirstOrThrow();
console.log(`${reps.n} reps; ${totals.n} per-owner and ${unitTotals.n} subtree total rows`);
// The cases' scopes: the process with most open deals, the manager's region, the demo rep.
const processId = await bench.busiestProcess();
const region = await kysely
  .selectFrom('users')
  .innerJoin('org_units', 'org_units.id', 'users.org_unit_id')
  .select(['org_units.id', 'org_units.path'])
  .where('users.email', '=', 'manager@demo.keyline.dev')
  .executeTakeFirstOrThrow();
const regionReps = await kysely
  .selectFrom('users')
  .innerJoin('org_units', 'org_units.id', 'users.org_unit_id')
  .select((eb) => eb.fn.countAll<number>().as('n'))
  .where('users.role', '=', 'rep')
  .where('org_units.path', 'like', `${region.path}%`)
  .executeTakeFirstOrThrow();
const repId = (
  await kysely.selectFrom('users').select('id').where('email', '=', 'rep@demo.keyline.dev').executeTakeFirstOrThrow()
).id;
const get = (cookieHeader: string, url: string) => async () => {
  const res = await app.inject({ method: 'GET', url, headers: { cookie: cookieHeader } });
  if (res.statusCode !== 200) throw new Error(`${url}: ${res.statusCode} ${res.body.slice(0, 300)}`);
};

async function time(fn: () => Promise<unknown>, iterations = ITER): Promise<{ p50: number; p95: number }> {
  for (let i = 0; i < Math.min(10, iterations); i++) await fn();
  const samples: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const start = performance.now();
    await fn();
    samples.push(performance.now() - start);
  }
  samples.sort((a, b) => a - b);
  return { p50: samples[Math.floor(iterations * 0.5)]!, p95: samples[Math.floor(iterations * 0.95)]! };
}

// The period every case reads: the current fiscal quarter, which (running) also holds the overdue open deals.
const quarter = json(await app.inject({ method: 'GET', url: '/api/v1/funnel', headers: { cookie: admin } })).period as {
  start: string;
  end: string;
  name: string;
};
function json(res: { body: string }) {
  return JSON.parse(res.body) as Record<string, unknown>;
}
const raw = (where: ReturnType<typeof sql>) => async () =>
  sql`select stage_id, count(*) as n, sum(amount) as amount from opportunities
      where workspace_id = ${workspaceId} and process_id = ${processId} and status = 'open' and expected_close_date < ${quarter.end} and ${where} group by stage_id`.execute(
    kysely,
  );
const cases: [string, () => Promise<unknown>, string, () => Promise<unknown>, number][] = [
  [
    'floor: GET /auth/me (session, no report)',
    get(admin, '/api/v1/auth/me'),
    'select 1',
    async () => sql`select 1`.execute(kysely),
    0,
  ],
  [
    'company-wide funnel (admin)',
    get(admin, `/api/v1/funnel?scope=workspace&processId=${processId}`),
    'GROUP BY over the deals',
    raw(sql`true`),
    10,
  ],
  [
    `a region's funnel (${regionReps.n} reps, manager)`,
    get(manager, `/api/v1/funnel?scope=unit:${region.id}&processId=${processId}`),
    "GROUP BY over the region's deals",
    raw(
      sql`org_unit_id in (select id from org_units where workspace_id = ${workspaceId} and path like ${`${region.path}%`})`,
    ),
    10,
  ],
  [
    "one rep's funnel (rep)",
    get(rep, `/api/v1/funnel?processId=${processId}`),
    "GROUP BY over the rep's deals",
    raw(sql`owner_id = ${repId}`),
    2,
  ],
  [
    `per-member table, ${reps.n} reps (admin), first page of 50`,
    get(admin, `/api/v1/funnel/members?scope=workspace&processId=${processId}`),
    'GROUP BY owner, stage over the deals',
    async () =>
      sql`select owner_id, stage_id, count(*), sum(amount) from opportunities where workspace_id = ${workspaceId} and process_id = ${processId} and status = 'open' and expected_close_date < ${quarter.end} group by owner_id, stage_id`.execute(
        kysely,
      ),
    0,
  ],
];
console.log(
  `\nperiod ${quarter.name} (running: open deals expected to close before ${quarter.end}, overdue included); ${ITER} requests per case, ${BASE_ITER} runs per GROUP BY baseline\n`,
);
console.log(
  '| case | p50 ms | p95 ms | target | raw SQL baseline | baseline p50 ms | baseline p95 ms |\n|---|---:|---:|---:|---|---:|---:|',
);
for (const [name, fn, baseName, base, target] of cases) {
  if (!bench.picked(name)) continue;
  const measured = await time(fn);
  const baseline = await time(base, name.startsWith('floor') ? ITER : BASE_ITER);
  console.log(
    `| ${name} | ${measured.p50.toFixed(2)} | ${measured.p95.toFixed(2)} | ${target ? `≤ ${target}` : name.startsWith('per-member') ? '≤ 1.5× its SQL' : '—'} | ${baseName} | ${baseline.p50.toFixed(2)} | ${baseline.p95.toFixed(2)} |`,
  );
}
// The per-member table against the SQL it runs itself: the statements of one request (the
// session, the scope, the rules, the process and its stages, one GROUP BY over the per-owner
// totals of the period, the people, the personal quotas), captured and replayed prepared; and a
// bare Fastify answering the same JSON, the floor of any route of that size. Interleaved, so
// that all feel the same neighbours on a shared machine. The table is a page of 50 rows,
// sorted on the server: its first page (the default order, furthest behind first) and a page
// deep into the name order (the collator's sort of every row).
const bare = await bareFastify();
const bareApp = Fastify({ logger: false });
const bareBodies: string[] = [];
bareApp.get('/bare/:index', async (request, reply) =>
  reply.type('application/json').send(bareBodies[Number((request.params as { index: string }).index)]),
);
await bareApp.ready();
const pct = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length * q)]!;
const timed = async (into: number[], fn: () => Promise<unknown>) => {
  const start = performance.now();
  await fn();
  into.push(performance.now() - start);
};
for (const [label, query] of [
  ['first page, default order (furthest behind first)', ''],
  ['a page deep in the name order', '&sort=name&offset=1000'],
] as const) {
  const membersUrl = `/api/v1/funnel/members?scope=workspace&processId=${processId}${query}`;
  if (!bench.picked(`per-member ${label}`)) continue;
  const { statements } = await bench.capture(get(admin, membersUrl));
  const replay = bench.replayer(statements);
  const body = (await app.inject({ method: 'GET', url: membersUrl, headers: { cookie: admin } })).body;
  const bareUrl = bare.serve(JSON.parse(body));
  bareBodies.push(body);
  const bareInject = `/bare/${bareBodies.length - 1}`;
  const overHttp = (url: string, cookie?: string) => async () => {
    const res = await fetch(url, cookie ? { headers: { cookie } } : {});
    await res.text();
    if (res.status !== 200) throw new Error(`${url}: ${res.status}`);
  };
  const fns = {
    sql: replay,
    inject: get(admin, membersUrl),
    http: overHttp(`${origin}${membersUrl}`, admin),
    bareInject: async () => bareApp.inject({ method: 'GET', url: bareInject }),
    bareHttp: overHttp(bareUrl),
  };
  const samples = Object.fromEntries(Object.keys(fns).map((k) => [k, [] as number[]])) as Record<
    keyof typeof fns,
    number[]
  >;
  for (let i = 0; i < 10; i++) for (const fn of Object.values(fns)) await fn();
  for (let i = 0; i < ITER; i++)
    for (const [via, fn] of Object.entries(fns)) await timed(samples[via as keyof typeof fns], fn);
  const sql50 = pct(samples.sql, 0.5);
  const sql95 = pct(samples.sql, 0.95);
  const total = (JSON.parse(body) as { total: number }).total;
  console.log(
    `\nper-member table, ${label}: 50 of ${total} people, ${(body.length / 1024).toFixed(1)} KiB of JSON; the ${statements.length} statements it runs, replayed: p50 ${sql50.toFixed(2)} ms, p95 ${sql95.toFixed(2)} ms; target ≤ ×1.5 (load ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')})`,
  );
  for (const [via, name] of [
    ['inject', 'API, inject     '],
    ['http', 'API, over HTTP  '],
    ['bareInject', 'bare, inject    '],
    ['bareHttp', 'bare, over HTTP '],
  ] as const) {
    const p50 = pct(samples[via], 0.5);
    const p95 = pct(samples[via], 0.95);
    console.log(
      `  ${name}: p50 ${p50.toFixed(2)} ms → ×${(p50 / sql50).toFixed(2)} the SQL, p95 ${p95.toFixed(2)} ms → ×${(p95 / sql95).toFixed(2)}`,
    );
  }
}
await bare.close();
await bareApp.close();
await bench.close();
