/**
 * Issue 10's Scale section at the scale set (5,000,000 activities over 100,000 accounts and
 * 2,000 reps): (a) logging an activity through the API — one short transaction, its statements
 * printed; (b) the supervision view of the whole company (admin) and (c) one rep's desk, each
 * beside the raw SQL of the very statements the API ran (captured from one request, replayed
 * prepared) and a bare Fastify answering the same JSON, in the same run (target ≤ 1.5× the SQL);
 * (d) the nightly pool job and (--only 'tier recompute') the tier recompute over every account,
 * run as the housekeeping runs them (on a SQLite file in the job worker), while list pages are
 * hit: their p99 during the job beside idle (target ≤ 20 ms, and ≤ 2× idle), after as long again
 * of the same requests unmeasured, so that both phases see a server that has served a while.
 *
 *   KEYLINE_DATA_DIR=/tmp/scale node bench/activities.ts [--seconds 4] [--concurrency 4]
 *   DATABASE_URL=postgres://… node bench/activities.ts
 * Without a scale set in the database it builds a small one first (--accounts etc. as for the CLI).
 * It writes: each run logs activities on the rep's account, and the pool job releases what is due.
 */
import type { CompiledQuery } from 'kysely';
import os from 'node:os';
import { releaseAllWorkspaces } from '../src/modules/pool/release.ts';
import { recomputeAll } from '../src/modules/tiers/recompute.ts';
import {
  bareFastify,
  figuresOf,
  formatFigures,
  httpGet,
  httpPost,
  measure,
  openScaleBench,
  type Figures,
  type Sign,
} from './harness.ts';

const bench = await openScaleBench({ 'pool-runs': { type: 'string', default: '1' } });
const { kysely, base, cookies, seconds: SECONDS, concurrency: CONCURRENCY, args: values } = bench;

const rep = await kysely
  .selectFrom('users')
  .select('id')
  .where('email', '=', 'rep@demo.keyline.dev')
  .executeTakeFirstOrThrow();
const account = await kysely
  .selectFrom('accounts')
  .select('id')
  .where('owner_id', '=', rep.id)
  .where('in_pool', '=', 0)
  .where('archived_at', 'is', null)
  .orderBy('id')
  .executeTakeFirstOrThrow();
const reps = await kysely
  .selectFrom('users')
  .select((eb) => eb.fn.countAll<number>().as('n'))
  .where('role', '=', 'rep')
  .executeTakeFirstOrThrow();
const activityCount = await kysely
  .selectFrom('activities')
  .select((eb) => eb.fn.countAll<number>().as('n'))
  .executeTakeFirstOrThrow();
console.log(`${Number(activityCount.n).toLocaleString('en-US')} activities`);

// The desk as web/src/features/home/Desk.tsx asks for it (GET /desk: its three cards in one request), and the rep's own cadence list.
const desk = ['/api/v1/desk?limit=5', '/api/v1/cadence/accounts?mine=true&limit=50&offset=0'];

interface Request {
  method: 'GET' | 'POST';
  url: string;
  body?: unknown;
}
const cases: [string, Sign, Request[], string][] = [
  [
    'log a visit (POST /accounts/:id/activities), rep',
    'rep',
    [
      {
        method: 'POST',
        url: `/api/v1/accounts/${account.id}/activities`,
        body: { type: 'visit', subject: 'bench: a logged visit', notes: '拜访客户，讨论二期需求' },
      },
    ],
    'one short transaction',
  ],
  [
    `supervision view, whole company (${reps.n} reps), admin`,
    'admin',
    [{ method: 'GET', url: '/api/v1/cadence/compliance' }],
    '≤ 1.5× SQL',
  ],
  [
    'supervision view, first region, manager',
    'manager',
    [{ method: 'GET', url: '/api/v1/cadence/compliance' }],
    '≤ 1.5× SQL',
  ],
  ...desk.map((url): [string, Sign, Request[], string] => [
    `desk card ${url.split('?')[0]!.replace('/api/v1', '')}, rep`,
    'rep',
    [{ method: 'GET', url }],
    '≤ 1.5× SQL',
  ]),
  [
    "one rep's desk (the two above, one after another)",
    'rep',
    desk.map((url) => ({ method: 'GET', url })),
    '≤ 1.5× SQL',
  ],
];

const bare = await bareFastify();
const call = (who: Sign, requests: Request[]) => {
  const calls = requests.map((request) =>
    request.method === 'POST'
      ? httpPost(base + request.url, cookies[who], request.body)
      : httpGet(base + request.url, cookies[who]),
  );
  return async () => {
    for (const once of calls) await once();
  };
};
/** The first word of each statement and its table, e.g. "select accounts". */
const shape = (query: CompiledQuery) =>
  [/^\s*(\w+)/.exec(query.sql)?.[1], /\b(?:from|into|update)\s+"?(\w+)"?/i.exec(query.sql)?.[1]]
    .filter(Boolean)
    .join(' ');

console.log(
  '\n| case | target | API p50 / p99 / req/s | its SQL p50 / p99 / req/s | API ÷ SQL (p50) | bare Fastify, same JSON | statements |',
);
console.log('|---|---|---:|---:|---:|---:|---:|');
const transcripts: string[] = [];
for (const [name, who, requests, target] of cases) {
  if (!bench.picked(name)) continue;
  const bodies: unknown[] = [];
  const { statements } = await bench.capture(async () => {
    for (const request of requests) {
      const res = await fetch(base + request.url, {
        method: request.method,
        headers: { cookie: cookies[who], ...(request.body ? { 'content-type': 'application/json' } : {}) },
        ...(request.body ? { body: JSON.stringify(request.body) } : {}),
      });
      const body = (await res.json()) as unknown;
      if (res.status >= 300) throw new Error(`${name}: ${res.status} ${JSON.stringify(body).slice(0, 300)}`);
      bodies.push(body);
    }
  });
  if (requests.some((request) => request.method === 'POST'))
    transcripts.push(`${name}: ${statements.length} statements — ${statements.map(shape).join('; ')}`);
  // A write is timed one at a time, as a user logs a visit; reads at the concurrency.
  const workers = requests.some((request) => request.method === 'POST') ? 1 : CONCURRENCY;
  const api = await measure(call(who, requests), workers, SECONDS);
  const raw = await measure(bench.replayer(statements), bench.replayWorkers(workers), SECONDS);
  const bareUrls = bodies.map((body) => httpGet(bare.serve(body)));
  const fastify = await measure(
    async () => {
      for (const once of bareUrls) await once();
    },
    workers,
    SECONDS,
  );
  console.log(
    `| ${name} | ${target} | ${formatFigures(api)} | ${formatFigures(raw)} | ×${(api.p50 / raw.p50).toFixed(1)} | ${formatFigures(fastify)} | ${statements.length} |`,
  );
}
for (const line of transcripts) console.log(`\n${line}`);
await bare.close();

// (d) The nightly jobs while list pages are hit: the same loaders idle, then for as long as the job runs.
// Each runs as the housekeeping runs it: on a SQLite file in the job worker (src/modules/jobs/off-thread.ts).
const jobs: { name: string; what: string; worker: boolean; run: () => Promise<string> }[] = [
  {
    name: 'pool job',
    what: 'nightly pool job (releaseAllWorkspaces)',
    worker: true,
    run: () => releaseAllWorkspaces(bench.db),
  },
  {
    name: 'tier recompute',
    what: 'nightly tier recompute (recomputeAll)',
    worker: true,
    run: () => recomputeAll(bench.db),
  },
  // An administrator downloading a whole list, over HTTP as the browser does (the body read to its end).
  ...(['accounts', 'opportunities'] as const).map((area) => ({
    name: `${area} export`,
    what: `the admin's export of every ${area} (GET /api/v1/${area}/export?format=xlsx)`,
    worker: false,
    run: async () => {
      const res = await fetch(`${base}/api/v1/${area}/export?format=xlsx&lang=zh-CN`, {
        headers: { cookie: cookies.admin },
      });
      if (res.status !== 200) throw new Error(`${area} export: ${res.status}`);
      const bytes = (await res.arrayBuffer()).byteLength;
      return `${(bytes / 1e6).toFixed(1)} MB`;
    },
  })),
];
for (const job of jobs.filter((candidate) => bench.picked(candidate.name))) {
  // A rep's lists: the fastest list pages at the scale set, so that what the job adds shows
  // (the admin's and a manager's lists take seconds on their own there, see bench/pages.ts).
  const lists: [Sign, string][] = [
    ['rep', '/api/v1/accounts?limit=50'],
    ['rep', '/api/v1/contacts?limit=50'],
    ['rep', '/api/v1/opportunities?status=open&limit=50'],
  ];
  const loaders = lists.map(([who, url]) => httpGet(base + url, cookies[who]));
  /** Each request's latency, and when it ended (so a window of the phase can be read apart). */
  const hit = async (while_: () => boolean): Promise<number[] & { ended: number[] }> => {
    const samples = Object.assign([] as number[], { ended: [] as number[] });
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async (_, worker) => {
        for (let i = worker; while_(); i++) {
          const start = performance.now();
          await loaders[i % loaders.length]!();
          const end = performance.now();
          samples.push(end - start);
          samples.ended.push(end);
        }
      }),
    );
    return samples;
  };
  // Unmeasured first: a server that has served for a while, not one whose plans, pages and
  // PostgreSQL's buffers are all cold (a fresh copy's first requests are slower, idle or not).
  const warmUntil = performance.now() + SECONDS * 1000;
  await hit(() => performance.now() < warmUntil);
  const idleUntil = performance.now() + SECONDS * 1000;
  const idle = figuresOf(await hit(() => performance.now() < idleUntil), SECONDS);
  const accounts = await kysely
    .selectFrom('accounts')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  let running = true;
  const started = performance.now();
  const loaded = hit(() => running);
  // At least --pool-runs runs, and as many more as fit in --seconds, so the loaders' p99 rests on enough requests.
  const runs: { seconds: number; result: string }[] = [];
  while (runs.length < Number(values['pool-runs']) || performance.now() - started < SECONDS * 1000) {
    const t0 = performance.now();
    const result = await job.run();
    runs.push({ seconds: (performance.now() - t0) / 1000, result });
  }
  running = false;
  const samples = await loaded;
  const during = figuresOf(samples, (performance.now() - started) / 1000);
  // The later runs find little left to do (the first released what was due): the requests that
  // ended while the first run worked are the job's real weight on the lists.
  const firstEnded = started + runs[0]!.seconds * 1000;
  const first = figuresOf(
    samples.filter((_, index) => samples.ended[index]! <= firstEnded),
    runs[0]!.seconds,
  );
  const row = (phase: string, figures: Figures) =>
    `| ${phase} | ${figures.p50.toFixed(1)} | ${figures.p99.toFixed(1)} | ${figures.max.toFixed(1)} | ${figures.perSecond.toFixed(0)} | ${figures.samples} |`;
  console.log(
    `\n${job.what} over ${Number(accounts.n).toLocaleString('en-US')} accounts, ${job.worker && bench.db.sqliteFile ? 'in the job worker' : 'in process'}, ${runs.length} run(s) back to back: the first ${runs[0]!.seconds.toFixed(2)} s (${runs[0]!.result}), the slowest ${Math.max(...runs.map((r) => r.seconds)).toFixed(2)} s; load average ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
  );
  console.log(
    `a rep's list pages (accounts, contacts, open opportunities; limit 50) at concurrency ${CONCURRENCY}; target p99 ≤ 20 ms during the job, and ≤ 2× idle (issue 8)\n`,
  );
  console.log('| phase | p50 ms | p99 ms | max ms | req/s | requests |\n|---|---:|---:|---:|---:|---:|');
  console.log(row('idle', idle));
  console.log(row('during the job', during));
  console.log(row('during its first run', first));
}
await bench.close();
