/**
 * What a request costs the server beside the SQL it runs, in CPU time, one request at a time
 * (issues 9 and 10: the desk, the supervision view and the per-member funnel ≤ 1.5× their SQL).
 * On a machine shared with other engineers wall-clock figures move with the neighbours; the
 * process's own CPU time (process.cpuUsage) does much less. For each case, in the same run and
 * interleaved round by round: (a) the request through the real app — by default over real HTTP
 * from a client in a process of its own (bench/http-client.ts), so this process's CPU is the
 * server's side alone, its socket and HTTP parsing included, as deployed; `--via inject` sends it
 * through light-my-request in this process instead (no socket, but the client's half counted with
 * the server's: the figures before 6 December evening), (b) the statements that request ran,
 * captured and replayed prepared on the same connection, (c) a bare Fastify answering the same
 * JSON the same way — the floor of any route of that size. Medians over the rounds of CPU ms per
 * request; wall p50 beside them.
 * On PostgreSQL the CPU columns hold only this process's share (the driver sending statements and
 * reading rows; the database server's work is in neither), so there the wall-clock ratio is the
 * comparison: the request against its statements replayed one at a time on one connection of a
 * pool like the app's, each as the server runs it — named (prepared) only where the server names
 * it (its fixed and generic-plan statements), otherwise unnamed and planned with its values —
 * and beside that (the "SQL at once" columns) the same statements with the request's own
 * concurrency: those it ran at once (the desk's cards, a page and its count) at once again, each
 * on a connection of the pool (bench/replay.ts; the groups' sizes in brackets).
 *
 *   KEYLINE_DATA_DIR=/copy/of/scale-set node bench/request-cpu.ts [--rounds 7] [--per-round 20] [--only desk] [--via http|inject]
 *   node bench/request-cpu.ts --only "desk: ,rep's desk"   # a rep's desk: its cards one by one (and their sum) against GET /desk
 *   node bench/request-cpu.ts --only supervision --profile /tmp/sup.cpuprofile   # a CPU profile of the API loop alone
 *   node bench/request-cpu.ts --only "account list" --cool 2048   # also replay with 2 MiB of memory touched before each statement
 * Reads only (the statements replayed are the reads of GET requests); sessions are written.
 */
import { fork } from 'node:child_process';
import fs from 'node:fs';
import { Session } from 'node:inspector/promises';
import os from 'node:os';
import Fastify from 'fastify';
import { dateIn, monthEnd } from '../src/domain/calendar.ts';
import { openScaleBench, type Sign } from './harness.ts';

const bench = await openScaleBench({
  rounds: { type: 'string', default: '7' },
  'per-round': { type: 'string', default: '20' },
  profile: { type: 'string', default: '' },
  via: { type: 'string', default: 'http' },
  cool: { type: 'string', default: '0' },
});
const { app, kysely, cookies } = bench;
const ROUNDS = Number(bench.args.rounds);
const PER_ROUND = Number(bench.args['per-round']);

const reps = await kysely
  .selectFrom('users')
  .select((eb) => eb.fn.countAll<number>().as('n'))
  .where('role', '=', 'rep')
  .executeTakeFirstOrThrow();
const processId = await bench.busiestProcess();
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
const today = dateIn(Date.now(), 'Asia/Shanghai');
// The desk's cards as web/src/features/home/Desk.tsx asked for them one by one until 6 December night (a rep's
// own records, this month's closing deals), and the one request it asks now (GET /desk, src/modules/desk).
const own = `ownerId=${rep.id}&`;
const cases: [string, Sign, string][] = [
  ['desk: needs attention, rep', 'rep', `/api/v1/opportunities/attention?${own}limit=5&offset=0`],
  [
    'desk: overdue accounts, rep',
    'rep',
    `/api/v1/accounts?${own}overdue=true&archived=false&sort=tier&limit=5&offset=0`,
  ],
  [
    'desk: closing this month, rep',
    'rep',
    `/api/v1/opportunities?${own}status=open&closeFrom=${today}&closeTo=${monthEnd(today)}&minProbability=11&sort=expectedCloseDate&limit=5&offset=0`,
  ],
  ["rep's desk in one request", 'rep', '/api/v1/desk?limit=5'],
  ["manager's desk in one request", 'manager', '/api/v1/desk?limit=5'],
  ['desk: own cadence list, rep', 'rep', '/api/v1/cadence/accounts?mine=true&limit=50&offset=0'],
  [`supervision view, whole company (${reps.n} reps), admin`, 'admin', '/api/v1/cadence/compliance'],
  ['supervision view, first region, manager', 'manager', '/api/v1/cadence/compliance'],
  [
    `funnel per-member table, ${reps.n} reps, admin: first page of 50`,
    'admin',
    `/api/v1/funnel/members?scope=workspace&processId=${processId}`,
  ],
  [
    `funnel per-member table, ${reps.n} reps, admin: a page by name`,
    'admin',
    `/api/v1/funnel/members?scope=workspace&processId=${processId}&sort=name&offset=1000`,
  ],
  ["one rep's funnel, rep", 'rep', `/api/v1/funnel?processId=${processId}`],
  ['company-wide funnel, admin', 'admin', `/api/v1/funnel?scope=workspace&processId=${processId}`],
  // Issue 8's pages (as bench/pages.ts): the timeline of the rep's first open deal's account, the boards.
  ['account timeline, admin', 'admin', `/api/v1/accounts/${deal.account_id}/timeline`],
  ['board of the largest process, admin', 'admin', `/api/v1/opportunities/board?processId=${processId}`],
  ['board of the largest process, rep', 'rep', `/api/v1/opportunities/board?processId=${processId}`],
  // Issue 8's list pages (as bench/pages.ts), each beside its own SQL in CPU.
  ['account list, admin', 'admin', '/api/v1/accounts?limit=50'],
  ['account list, manager', 'manager', '/api/v1/accounts?limit=50'],
  ['account list, rep', 'rep', '/api/v1/accounts?limit=50'],
  ['contact list, admin', 'admin', '/api/v1/contacts?limit=50'],
  ['contact list, rep', 'rep', '/api/v1/contacts?limit=50'],
  ['opportunity list, admin', 'admin', '/api/v1/opportunities?status=open&limit=50'],
  ['opportunity list, manager', 'manager', '/api/v1/opportunities?status=open&limit=50'],
  ['opportunity list, rep', 'rep', '/api/v1/opportunities?status=open&limit=50'],
];

const bare = Fastify({ logger: false });
const bodies = new Map<string, string>();
bare.get('/bare/:name', async (request, reply) =>
  reply.type('application/json').send(bodies.get((request.params as { name: string }).name)),
);

/*
 * How the requests reach the app and the bare Fastify. `http` (the default): real HTTP over
 * loopback from a client in a process of its own (bench/http-client.ts), so this process's CPU is
 * the server's side alone, sockets and HTTP parsing included — the path a deployed server runs.
 * `inject`: light-my-request in this process — no socket, but the client's half (building the
 * request, copying the answer's headers, its body to a string) is counted with the server's.
 */
const via = bench.args.via;
if (via !== 'inject' && via !== 'http') throw new Error('--via inject|http');
let bareOrigin = '';
if (via === 'http') {
  await bare.listen({ port: 0, host: '127.0.0.1' });
  bareOrigin = `http://127.0.0.1:${(bare.server.address() as { port: number }).port}`;
} else await bare.ready();
const client = via === 'http' ? fork(new URL('./http-client.ts', import.meta.url)) : null;
const answers = new Map<number, (answer: { walls?: number[]; error?: string }) => void>();
client?.on('message', (answer: { id: number; walls?: number[]; error?: string }) => answers.get(answer.id)?.(answer));
let batches = 0;
/** `count` GETs of `url` from the client process, one after another; each one's wall ms. */
const overHttp = (url: string, cookie: string | null) => (count: number) =>
  new Promise<number[]>((resolve, reject) => {
    const id = batches++;
    answers.set(id, (answer) => {
      answers.delete(id);
      if (answer.error !== undefined) reject(new Error(answer.error));
      else resolve(answer.walls!);
    });
    client!.send({ id, url, cookie, count });
  });

/*
 * SQLite: the CPU the request's own statements take inside it (every `all`/`run` of better-sqlite3
 * while an API round runs), so each figure splits into its SQL and the request's own code, and the
 * SQL inside the request can be set beside the same statements replayed back to back (the replay
 * runs with a warmer cache: docs/DESIGN.md § Performance, docs/benchmarks.md "Is the baseline honest?").
 * The replay's statements are counted the same way (the replay's CPU less its loop), and with
 * `--cool <KiB>` once more in a replay that first touches that much memory before each statement
 * (outside the statement's count), as a request's own code does between its statements: whether
 * a statement costs more inside a request because the CPU's caches are cold there.
 */
let insideRequest = false;
let sqlInside = 0;
const COOL_KIB = Number(bench.args.cool);
const cooler = new Uint8Array(Math.max(0, COOL_KIB) * 1024);
let cooling = false;
/** Touches every cache line of `cooler`: what the replay's CPU caches held is pushed out. */
const cool = () => {
  for (let at = 0; at < cooler.length; at += 64) cooler[at]! += 1;
};
if (bench.plain.sqlite) {
  const statementProto = Object.getPrototypeOf(bench.plain.sqlite.prepare('select 1')) as Record<
    'all' | 'run',
    (...args: unknown[]) => unknown
  >;
  for (const method of ['all', 'run'] as const) {
    const original = statementProto[method];
    statementProto[method] = function (this: unknown, ...args: unknown[]) {
      if (!insideRequest) return original.apply(this, args);
      if (cooling) cool();
      const start = process.cpuUsage();
      try {
        return original.apply(this, args);
      } finally {
        const spent = process.cpuUsage(start);
        sqlInside += spent.user + spent.system;
      }
    };
  }
}

const inject = (who: Sign, url: string) => async () => {
  const res = await app.inject({ method: 'GET', url, headers: { cookie: cookies[who] } });
  if (res.statusCode !== 200) throw new Error(`${url}: ${res.statusCode} ${res.body.slice(0, 300)}`);
};

/** `count` calls of `fn` in this process, one after another; each one's wall ms. */
const inProcess = (fn: () => Promise<unknown>) => async (count: number) => {
  const wall: number[] = [];
  for (let i = 0; i < count; i++) {
    const start = performance.now();
    await fn();
    wall.push(performance.now() - start);
  }
  return wall;
};

/** CPU ms (user + system) of this process per call and wall ms of each call, over a batch of `count`. */
async function perCall(batch: (count: number) => Promise<number[]>, count: number) {
  const cpu0 = process.cpuUsage();
  const wall = await batch(count);
  const cpu = process.cpuUsage(cpu0);
  return { cpu: (cpu.user + cpu.system) / 1000 / count, wall };
}
/** Each case's medians, for the desk's sum of cards beside its one request. */
const results = new Map<string, { api: number; sql: number; apiWall: number; sqlWall: number }>();
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const load = () =>
  os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(' ');

console.log(
  `\n${ROUNDS} rounds of ${PER_ROUND} requests per case, interleaved (API, its SQL replayed, bare Fastify); medians of the rounds; requests via ${via === 'http' ? 'HTTP from a client process (this process: the server side only)' : 'inject (in process)'}\n`,
);
console.log(
  `| case | API CPU ms | its SQL CPU ms | API ÷ SQL (CPU) | SQL inside the API CPU ms | SQL inside its replay CPU ms | ${COOL_KIB > 0 ? `SQL inside a replay cooled by ${COOL_KIB} KiB CPU ms` : '(no --cool)'} | bare Fastify CPU ms | API wall p50 | SQL wall p50 | API ÷ SQL (wall) | SQL at once wall p50 | API ÷ SQL at once (wall) | statements | KiB | load |`,
);
console.log(`|---|${'---:|'.repeat(14)}---|`);
for (const [name, who, url] of cases) {
  if (!bench.picked(name)) continue;
  const call = via === 'http' ? overHttp(`${bench.base}${url}`, cookies[who]) : inProcess(inject(who, url));
  let body = '';
  const { statements, groups } = await bench.capture(async () => {
    const res = await app.inject({ method: 'GET', url, headers: { cookie: cookies[who] } });
    body = res.body;
  });
  const replay = inProcess(bench.replayer(statements));
  // PostgreSQL: the same statements with the request's own concurrency (its cards at once on the pool).
  const concurrent = bench.concurrentReplayer(statements, groups);
  const replayAtOnce = concurrent ? inProcess(concurrent) : null;
  const key = String(bodies.size);
  bodies.set(key, body);
  const bareCall =
    via === 'http'
      ? overHttp(`${bareOrigin}/bare/${key}`, null)
      : inProcess(async () => {
          await bare.inject({ method: 'GET', url: `/bare/${key}` });
        });
  for (let i = 0; i < 3; i++) {
    await call(1);
    await replay(1);
    await replayAtOnce?.(1);
    await bareCall(1);
  }
  if (bench.args.profile) {
    // Only the API, for a CPU profile of the request alone: node --cpu-prof, or `--profile
    // x.cpuprofile` for a profile of this loop only (not the start-up, not the capture).
    const out = bench.args.profile.endsWith('.cpuprofile') ? bench.args.profile : null;
    const session = new Session();
    if (out) {
      session.connect();
      await session.post('Profiler.enable');
      await session.post('Profiler.setSamplingInterval', { interval: 100 });
      await session.post('Profiler.start');
    }
    const { cpu } = await perCall(call, ROUNDS * PER_ROUND);
    if (out) {
      const { profile } = await session.post('Profiler.stop');
      fs.writeFileSync(out.replace('.cpuprofile', `-${bodies.size}.cpuprofile`), JSON.stringify(profile));
      session.disconnect();
    }
    console.log(`| ${name} | ${cpu.toFixed(2)} | (profiled) | | | | | | | ${statements.length} | | ${load()} |`);
    continue;
  }
  const figures = {
    api: [] as number[],
    sql: [] as number[],
    inside: [] as number[],
    replayInside: [] as number[],
    cooledInside: [] as number[],
    bare: [] as number[],
  };
  /** The statements' own CPU ms per call over a batch of `batch` (SQLite; the wrapper above counts it). */
  const statementsOf = async (batch: (count: number) => Promise<number[]>, cooled: boolean) => {
    sqlInside = 0;
    insideRequest = true;
    cooling = cooled;
    try {
      return { ...(await perCall(batch, PER_ROUND)), inside: sqlInside / 1000 / PER_ROUND };
    } finally {
      insideRequest = false;
      cooling = false;
    }
  };
  const walls = { api: [] as number[], sql: [] as number[], atOnce: [] as number[] };
  for (let round = 0; round < ROUNDS; round++) {
    const api = await statementsOf(call, false);
    figures.inside.push(api.inside);
    const sql = await statementsOf(replay, false);
    figures.replayInside.push(sql.inside);
    if (COOL_KIB > 0) figures.cooledInside.push((await statementsOf(replay, true)).inside);
    if (replayAtOnce) walls.atOnce.push(...(await replayAtOnce(PER_ROUND)));
    const floor = await perCall(bareCall, PER_ROUND);
    figures.api.push(api.cpu);
    figures.sql.push(sql.cpu);
    figures.bare.push(floor.cpu);
    walls.api.push(...api.wall);
    walls.sql.push(...sql.wall);
  }
  const api = median(figures.api);
  const sql = median(figures.sql);
  results.set(name, { api, sql, apiWall: median(walls.api), sqlWall: median(walls.sql) });
  const atOnce = replayAtOnce
    ? `${median(walls.atOnce).toFixed(2)} (${groups.map((group) => group.length).join('+')}) | ×${(median(walls.api) / median(walls.atOnce)).toFixed(2)}`
    : '— | —';
  console.log(
    `| ${name} | ${api.toFixed(2)} | ${sql.toFixed(2)} | ×${(api / sql).toFixed(2)} | ${bench.plain.sqlite ? median(figures.inside).toFixed(2) : '—'} | ${bench.plain.sqlite ? median(figures.replayInside).toFixed(2) : '—'} | ${bench.plain.sqlite && COOL_KIB > 0 ? median(figures.cooledInside).toFixed(2) : '—'} | ${median(figures.bare).toFixed(2)} | ${median(walls.api).toFixed(2)} | ${median(walls.sql).toFixed(2)} | ×${(median(walls.api) / median(walls.sql)).toFixed(2)} | ${atOnce} | ${statements.length} | ${(body.length / 1024).toFixed(0)} | ${load()} |`,
  );
}
// The rep's desk: its three cards asked one by one (their sums) against the one request.
const cards = [...results].filter(
  ([name]) => name.startsWith('desk: ') && name.endsWith(', rep') && !name.includes('cadence'),
);
const one = results.get("rep's desk in one request");
if (cards.length === 3 && one) {
  const sum = (key: 'api' | 'sql' | 'apiWall' | 'sqlWall') =>
    cards.reduce((total, [, figure]) => total + figure[key], 0);
  console.log(
    `\nA rep's desk: three card requests API CPU ${sum('api').toFixed(2)} ms over SQL ${sum('sql').toFixed(2)} (×${(sum('api') / sum('sql')).toFixed(2)}), wall ${sum('apiWall').toFixed(2)} over ${sum('sqlWall').toFixed(2)} (×${(sum('apiWall') / sum('sqlWall')).toFixed(2)}); one request API CPU ${one.api.toFixed(2)} over SQL ${one.sql.toFixed(2)} (×${(one.api / one.sql).toFixed(2)}), wall ${one.apiWall.toFixed(2)} over ${one.sqlWall.toFixed(2)} (×${(one.apiWall / one.sqlWall).toFixed(2)}); load ${load()}`,
  );
}
client?.send('stop');
await bare.close();
await bench.close();
