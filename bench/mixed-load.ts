/**
 * Mixed load (README § Deployment, "load figures"): signed-in users of several roles list
 * accounts and opportunities, open them and update them, as many at once as --concurrency,
 * against a real server on loopback — first alone, then while a manager imports a CSV and an
 * administrator exports the account and opportunity lists over and over. Reports requests
 * per second held, p50/p99 latency per kind of request, and every answer that was not a
 * success (409 version conflicts between the simulated users are counted apart: they are
 * correct answers). Bounded: the first phase runs --seconds, the second as long as the
 * import, at least --seconds and at most --max-seconds.
 *
 *   npm run bench:load                                # SQLite and PostgreSQL, 15 s per phase
 *   npm run bench:load -- --engine sqlite --seconds 10 --concurrency 8 --rows 20000
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { httpLogin, startServer, type RunningServer } from '../test/helpers/server.ts';
import { createTestDb } from '../test/helpers/db.ts';
import { generateAccountsCsv, pct } from './workload.ts';

const { values: opts } = parseArgs({
  options: {
    engine: { type: 'string', default: 'both' },
    seconds: { type: 'string', default: '15' },
    concurrency: { type: 'string', default: '8' },
    rows: { type: 'string', default: '20000' },
    'max-seconds': { type: 'string', default: '120' },
  },
});
const SECONDS = Number(opts.seconds);
const CONCURRENCY = Number(opts.concurrency);
const ROWS = Number(opts.rows);
const MAX_SECONDS = Number(opts['max-seconds']);
const PASSWORD = 'keyline-demo';

/** What the user sees, and of that what they may change (reps: what they own; managers and the admin: all of it). */
interface User {
  email: string;
  role: string;
  cookie: string;
  accounts: number[];
  opportunities: number[];
  ownAccounts: number[];
  ownOpportunities: number[];
}
interface Sample {
  op: string;
  ms: number;
  status: number;
}

/** One pseudo-random sequence per run, so two runs send the same mix. */
let seed = 20261205;
const random = () => (seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32;
const pick = <T>(xs: T[]): T => xs[Math.floor(random() * xs.length)]!;

function client(server: RunningServer) {
  return async (cookie: string, method: string, url: string, body?: unknown) => {
    const res = await fetch(`${server.url}/api/v1${url}`, {
      method,
      headers: { cookie, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    return { status: res.status, json: () => JSON.parse(text) as Record<string, unknown> };
  };
}
type Call = ReturnType<typeof client>;

/** The mix: what a sales team does all day. Weights sum to 100. */
const OPS: [string, number, (call: Call, user: User, users: User[]) => Promise<number>][] = [
  [
    'list accounts',
    25,
    async (call, user) =>
      (
        await call(
          user.cookie,
          'GET',
          `/accounts?limit=50&sort=${pick(['name', '-updatedAt', '-tier'])}${random() < 0.3 ? `&q=${encodeURIComponent(pick(['科技', '上海', '机械', '集团']))}` : ''}`,
        )
      ).status,
  ],
  [
    'list opportunities',
    20,
    async (call, user) =>
      (await call(user.cookie, 'GET', `/opportunities?limit=50&sort=${pick(['-amount', 'expectedCloseDate', 'name'])}`))
        .status,
  ],
  [
    'open account',
    20,
    async (call, user) =>
      user.accounts.length ? (await call(user.cookie, 'GET', `/accounts/${pick(user.accounts)}`)).status : 200,
  ],
  [
    'open opportunity',
    15,
    async (call, user) =>
      user.opportunities.length
        ? (await call(user.cookie, 'GET', `/opportunities/${pick(user.opportunities)}`)).status
        : 200,
  ],
  [
    'update account',
    10,
    async (call, _u, users) => {
      const user = pick(users.filter((x) => x.ownAccounts.length));
      const id = pick(user.ownAccounts);
      const read = await call(user.cookie, 'GET', `/accounts/${id}`);
      if (read.status !== 200) return read.status;
      return (
        await call(user.cookie, 'PATCH', `/accounts/${id}`, {
          version: read.json().version,
          notes: `跟进记录 ${Date.now()}`,
        })
      ).status;
    },
  ],
  [
    'update opportunity',
    10,
    async (call, _u, users) => {
      const user = pick(users.filter((x) => x.ownOpportunities.length));
      const id = pick(user.ownOpportunities);
      const read = await call(user.cookie, 'GET', `/opportunities/${id}`);
      if (read.status !== 200) return read.status;
      return (
        await call(user.cookie, 'PATCH', `/opportunities/${id}`, {
          version: read.json().version,
          nextStep: `电话回访 ${Date.now() % 1000}`,
        })
      ).status;
    },
  ],
];

/** Runs the mix for `seconds`, and on until `busy()` turns false, at most `maxSeconds`. */
async function runMix(
  call: Call,
  users: User[],
  seconds: number,
  busy = () => false,
  maxSeconds = seconds,
): Promise<{ samples: Sample[]; elapsedMs: number }> {
  const samples: Sample[] = [];
  const t0 = performance.now();
  const going = () => {
    const elapsed = (performance.now() - t0) / 1000;
    return elapsed < seconds || (busy() && elapsed < maxSeconds);
  };
  const worker = async () => {
    while (going()) {
      let roll = random() * 100;
      const [op, , run] = OPS.find(([, w]) => (roll -= w) < 0) ?? OPS[0]!;
      const start = performance.now();
      const status = await run(call, pick(users), users).catch(() => 0);
      samples.push({ op, ms: performance.now() - start, status });
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return { samples, elapsedMs: performance.now() - t0 };
}

function report(title: string, result: { samples: Sample[]; elapsedMs: number }) {
  const ok = (s: Sample) => s.status >= 200 && s.status < 300;
  const all = result.samples;
  const conflicts = all.filter((s) => s.status === 409).length;
  const failed = all.filter((s) => !ok(s) && s.status !== 409);
  const statuses = [...new Set(failed.map((s) => s.status))]
    .map((st) => `${st === 0 ? 'no answer' : st} ×${failed.filter((f) => f.status === st).length}`)
    .join(', ');
  console.log(
    `\n${title}: ${all.length} requests in ${(result.elapsedMs / 1000).toFixed(1)} s = ${(all.length / (result.elapsedMs / 1000)).toFixed(0)} req/s; ` +
      `p50 ${pct(
        all.map((s) => s.ms),
        50,
      ).toFixed(1)} ms, p99 ${pct(
        all.map((s) => s.ms),
        99,
      ).toFixed(1)} ms; ` +
      `${conflicts} version conflicts (409); ${failed.length} failed${statuses ? ` (${statuses})` : ''}`,
  );
  console.log('| request | count | p50 ms | p99 ms |\n|---|---:|---:|---:|');
  for (const [op] of OPS) {
    const ms = all.filter((s) => s.op === op).map((s) => s.ms);
    console.log(`| ${op} | ${ms.length} | ${pct(ms, 50).toFixed(1)} | ${pct(ms, 99).toFixed(1)} |`);
  }
}

/** Upload, dry run and commit of ROWS new accounts as the manager; returns the seconds taken. */
async function importAccounts(server: RunningServer, cookie: string): Promise<string> {
  const t0 = performance.now();
  const send = async (method: string, urlPath: string, body?: Buffer | object) => {
    const res = await fetch(`${server.url}/api/v1${urlPath}`, {
      method,
      headers: { cookie, 'content-type': body instanceof Buffer ? 'text/csv' : 'application/json' },
      body: body instanceof Buffer ? new Uint8Array(body) : JSON.stringify(body ?? {}),
    });
    const json = (await res.json()) as Record<string, unknown>;
    if (!res.ok) throw new Error(`${method} ${urlPath}: ${res.status} ${JSON.stringify(json)}`);
    return json;
  };
  const settle = async (id: number) => {
    for (;;) {
      const job = (await (await fetch(`${server.url}/api/v1/imports/${id}`, { headers: { cookie } })).json()) as Record<
        string,
        unknown
      >;
      if (job.status !== 'validating' && job.status !== 'committing') return job;
      await new Promise((r) => setTimeout(r, 250));
    }
  };
  const job = await send('POST', '/imports?kind=accounts&fileName=load.csv', generateAccountsCsv(ROWS, '混合负载导入'));
  await send('POST', `/imports/${job.id as number}/validate`, { mapping: job.suggestedMapping, duplicateMode: 'skip' });
  await settle(job.id as number);
  await send('POST', `/imports/${job.id as number}/commit`, { skipErrors: false });
  const done = await settle(job.id as number);
  return `import of ${ROWS.toLocaleString('en')} rows ${String(done.status)} in ${((performance.now() - t0) / 1000).toFixed(1)} s`;
}

/** The administrator's exports, one after another until told to stop. */
async function exportLoop(server: RunningServer, cookie: string, stop: () => boolean): Promise<string> {
  let count = 0;
  let bytes = 0;
  let busy = 0;
  const ms: number[] = [];
  while (!stop()) {
    const t0 = performance.now();
    const res = await fetch(
      `${server.url}/api/v1/${count % 2 ? 'opportunities' : 'accounts'}/export?format=${count % 2 ? 'csv' : 'xlsx'}`,
      { headers: { cookie } },
    );
    const size = (await res.arrayBuffer()).byteLength;
    if (res.status === 503) {
      // SQLite: the export's audit row met the import's write lock. Retry as the web app does.
      busy++;
      await new Promise((r) => setTimeout(r, Number(res.headers.get('retry-after') ?? 1) * 1000));
      continue;
    }
    if (!res.ok) throw new Error(`export: ${res.status}`);
    bytes += size;
    ms.push(performance.now() - t0);
    count++;
  }
  return `${count} exports (xlsx accounts / csv opportunities, ${(bytes / Math.max(1, count) / 1e6).toFixed(1)} MB each on average, p50 ${pct(ms, 50).toFixed(0)} ms; ${busy} answered 503 busy and were retried)`;
}

async function benchEngine(engine: 'sqlite' | 'postgres') {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keyline-bench-load-'));
  const pgDb = engine === 'postgres' ? await createTestDb('postgres') : undefined;
  await pgDb?.close();
  const server = await startServer(
    { KEYLINE_DATA_DIR: dir, KEYLINE_DEMO: 'on', LOG_LEVEL: 'warn', ...(pgDb ? { DATABASE_URL: pgDb.url } : {}) },
    300_000,
  );
  try {
    const call = client(server);
    const emails = [
      'director@demo.keyline.dev',
      'manager@demo.keyline.dev',
      'rep@demo.keyline.dev',
      'presales@demo.keyline.dev',
      'admin@demo.keyline.dev',
    ];
    const admin = await httpLogin(server.url, 'admin@demo.keyline.dev', PASSWORD);
    const reps = (
      (await call(admin, 'GET', '/users?role=rep&active=true&limit=6')).json().items as { email: string }[]
    ).map((u) => u.email);
    const users: User[] = [];
    for (const email of [...new Set([...emails, ...reps])]) {
      const cookie = await httpLogin(server.url, email, PASSWORD);
      const me = (await call(cookie, 'GET', '/auth/me')).json().user as { id: number; role: string };
      const list = async (part: string) =>
        ((await call(cookie, 'GET', part)).json().items as { id: number; ownerId: number | null }[] | undefined) ?? [];
      const [accounts, opportunities] = [await list('/accounts?limit=100'), await list('/opportunities?limit=100')];
      const mayChange = (value: { ownerId: number | null }) =>
        me.role === 'admin' || me.role === 'manager' || (me.role === 'rep' && value.ownerId === me.id);
      users.push({
        email,
        role: me.role,
        cookie,
        accounts: accounts.map((x) => x.id),
        opportunities: opportunities.map((x) => x.id),
        ownAccounts: accounts.filter(mayChange).map((x) => x.id),
        ownOpportunities: opportunities.filter(mayChange).map((x) => x.id),
      });
    }
    console.log(
      `\n## ${engine}: ${users.length} signed-in users (${[...new Set(users.map((u) => u.role))].join(', ')}), concurrency ${CONCURRENCY}, ${SECONDS} s per phase`,
    );
    await runMix(call, users, 2); // warm-up
    report('mixed load alone', await runMix(call, users, SECONDS));

    // The loaded phase lasts as long as the import (upload, dry run, commit), at most MAX_SECONDS.
    let stopExports = false;
    let importDone = false;
    const importing = importAccounts(server, users.find((u) => u.role === 'manager')!.cookie).finally(
      () => (importDone = true),
    );
    const exporting = exportLoop(server, admin, () => stopExports);
    const loaded = await runMix(call, users, SECONDS, () => !importDone, MAX_SECONDS);
    stopExports = true;
    report(`mixed load during an import${importDone ? '' : ' (still running at the end)'} and exports`, loaded);
    console.log(`meanwhile: ${await exporting}; ${await importing}`);
  } finally {
    await server.stop();
    await pgDb?.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

console.log(
  `Keyline mixed load, ${new Date().toISOString()}, ${os.cpus().length} cores (${os.cpus()[0]?.model ?? '?'}), load average ${os
    .loadavg()
    .map((x) => x.toFixed(1))
    .join(' ')}`,
);
for (const engine of opts.engine === 'both'
  ? (['sqlite', 'postgres'] as const)
  : [opts.engine as 'sqlite' | 'postgres'])
  await benchEngine(engine);
