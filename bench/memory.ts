/**
 * The server's own memory at the scale set (issue 8: ≤ 500 MB). The other scale benches run the
 * app inside the bench process beside their clients, so their peak is only an upper bound; this
 * one starts `keyline serve` as its own process on the database given, drives it through the
 * day's heavy pages, reports and exports over HTTP, and reads that process's resident memory
 * from /proc every 50 ms: the peak of each phase and the kernel's high-water mark (VmHWM), which
 * counts the job worker's threads too (they live in the same process).
 *
 *   KEYLINE_DATA_DIR=/copy/of/the/scale/set node bench/memory.ts [--seconds 3] [--concurrency 4] [--exports accounts,opportunities]
 *   DATABASE_URL=postgres://…/copy node bench/memory.ts
 * Sign-ins are the demo's (the scale set has them). Linux only (/proc).
 *
 * `--start-jobs lists` (on a FRESH copy, whose first start finds every periodic job due): before
 * anything else, other users' list pages are timed while the start's housekeeping runs (until
 * job_leases says every job of src/server/housekeeping.ts ran, read on a connection of the bench's
 * own), then for --seconds per page once it has: p50/p99 of each, and the ratio (issue 8: p99 ≤ 2×
 * idle); requests go out every --interval-ms (25) whatever the earlier ones do. The samples during the jobs are
 * also given by the job that held its lease when each request went out (read every second), and with
 * BENCH_BY_URL=1 by job and page. With `--pages no --exports opportunities` and no --start-jobs, the export runs beside the
 * start's jobs as they come (the memory figure).
 *
 * `--trace FILE`: the server preloads bench/memory-trace.ts, which writes its memory by kind (RSS,
 * V8's young, old and large-object spaces, external, array buffers, the rest) a line a second to
 * FILE, and its log (the jobs' "job ran" lines) goes to FILE.log. `--only-jobs a,b` (on a fresh
 * copy): only these jobs are due at the start (every other one marked as just run), to see one
 * job's memory alone or beside the export; `--only-jobs ''` none.
 */
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { httpLogin, startServer } from '../test/helpers/server.ts';
import { DEMO_PASSWORD } from '../src/demo/company.ts';

const { values: opts } = parseArgs({
  options: {
    seconds: { type: 'string', default: '3' },
    concurrency: { type: 'string', default: '4' },
    exports: { type: 'string', default: 'accounts,opportunities' },
    pages: { type: 'string', default: 'yes' },
    'start-jobs': { type: 'string', default: 'no' },
    recompute: { type: 'string', default: 'yes' },
    'interval-ms': { type: 'string', default: '25' },
    trace: { type: 'string' },
    'only-jobs': { type: 'string' },
  },
});
const SECONDS = Number(opts.seconds);
const CONCURRENCY = Number(opts.concurrency);
const INTERVAL_MS = Number(opts['interval-ms']);
const env: Record<string, string> = { KEYLINE_DEMO: 'off', LOG_LEVEL: 'warn' };
if (process.env.DATABASE_URL) env.DATABASE_URL = process.env.DATABASE_URL;
if (process.env.KEYLINE_DATA_DIR) env.KEYLINE_DATA_DIR = process.env.KEYLINE_DATA_DIR;
if (opts.trace) {
  // bench/memory-trace.ts in the server: its memory by kind, a line a second, and the jobs' log lines beside.
  fs.rmSync(opts.trace, { force: true });
  env.KEYLINE_MEMORY_TRACE = opts.trace;
  env.NODE_OPTIONS = `${process.env.NODE_OPTIONS ?? ''} --import ${new URL('./memory-trace.ts', import.meta.url).pathname}`;
  env.LOG_LEVEL = 'info';
}
if (!env.DATABASE_URL && !env.KEYLINE_DATA_DIR)
  throw new Error('set KEYLINE_DATA_DIR or DATABASE_URL to a copy of the scale set');

if (opts['only-jobs'] !== undefined) await onlyJobsDue(opts['only-jobs'].split(',').filter(Boolean));

/**
 * `--only-jobs a,b` (on a copy): marks every other job of src/server/housekeeping.ts as just run
 * and these as never, so the server's start runs only these (one job's memory alone, or beside
 * the export). Writes job_leases on a connection of the bench's own before the server starts.
 */
async function onlyJobsDue(names: string[]): Promise<void> {
  const { openDatabase } = await import('../src/db/database.ts');
  const { JOBS } = await import('../src/server/housekeeping.ts');
  const unknown = names.filter((name) => !JOBS.some((job) => job.name === name));
  if (unknown.length) throw new Error(`no such job: ${unknown.join(', ')} (${JOBS.map((job) => job.name).join(', ')})`);
  const own = openDatabase(
    env.DATABASE_URL ? { databaseUrl: env.DATABASE_URL } : { sqliteFile: `${env.KEYLINE_DATA_DIR}/keyline.db` },
  );
  for (const { name } of JOBS) {
    const lastRunAt = names.includes(name) ? null : Date.now();
    await own.kysely
      .insertInto('job_leases')
      .values({ name, locked_until: 0, locked_by: null, last_run_at: lastRunAt, last_result: null })
      .onConflict((oc) => oc.column('name').doUpdateSet({ locked_until: 0, locked_by: null, last_run_at: lastRunAt }))
      .execute();
  }
  await own.close();
  console.log(`jobs due at the start: ${names.join(', ') || 'none'}`);
}

const benchStart = Date.now();
const started = performance.now();
const server = await startServer(env, 600_000);
const pid = server.proc.pid!;
console.log(`keyline serve (pid ${pid}) ready in ${((performance.now() - started) / 1000).toFixed(1)} s`);
const ready = performance.now();

/** VmRSS and VmHWM of the server process, in MB. */
function memory(): { rss: number; hwm: number } {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) =>
    Number(/\s(\d+) kB/.exec(status.split('\n').find((l) => l.startsWith(field)) ?? '')?.[1]);
  return { rss: kb('VmRSS:') / 1024, hwm: kb('VmHWM:') / 1024 };
}
let phasePeak = 0;
const sampler = setInterval(() => (phasePeak = Math.max(phasePeak, memory().rss)), 50);

const rows: string[] = [];
async function phase(name: string, work: () => Promise<string>) {
  phasePeak = memory().rss;
  const before = phasePeak;
  const t0 = performance.now();
  const what = await work();
  const { rss, hwm } = memory();
  phasePeak = Math.max(phasePeak, rss);
  rows.push(
    `| ${name} | ${((performance.now() - t0) / 1000).toFixed(1)} s | ${before.toFixed(0)} | ${phasePeak.toFixed(0)} | ${rss.toFixed(0)} | ${hwm.toFixed(0)} | ${what} |`,
  );
  console.log(rows.at(-1));
}

process.on('uncaughtException', (error) => {
  console.error(error, `\nserver exit code ${server.proc.exitCode}; its output:\n${server.output().slice(-3000)}`);
  process.exit(1);
});

/** Signs in; a sign-in that meets the start's jobs holding the database (503 busy) is tried again. */
async function login(who: string): Promise<string> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await httpLogin(server.url, `${who}@demo.keyline.dev`, DEMO_PASSWORD);
    } catch (error) {
      if (attempt >= 100) throw error;
      await new Promise((r) => setTimeout(r, 500));
    }
  }
}
const cookies = { admin: await login('admin'), manager: await login('manager'), rep: await login('rep') };
const signedIn = performance.now();
type Who = keyof typeof cookies;

async function get(who: Who, url: string): Promise<Response> {
  const res = await fetch(server.url + url, { headers: { cookie: cookies[who] } });
  if (res.status !== 200) throw new Error(`${url}: ${res.status} ${(await res.text()).slice(0, 200)}`);
  return res;
}
const json = async (who: Who, url: string) => (await (await get(who, url)).json()) as Record<string, unknown>;

/** The pages, CONCURRENCY requests at a time for SECONDS each; returns how many were answered. */
async function hammer(cases: [Who, string][]): Promise<string> {
  let answered = 0;
  for (const [who, url] of cases) {
    const until = performance.now() + SECONDS * 1000;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (performance.now() < until) {
          await (await get(who, url)).arrayBuffer();
          answered++;
        }
      }),
    );
  }
  return `${cases.length} pages, ${answered} requests`;
}

const repDeals = (await json('rep', '/api/v1/opportunities?status=open&limit=1')).items as {
  id: number;
  accountId: number;
}[];
const deal = repDeals[0]!;
const listed = (await json('admin', '/api/v1/sales-processes')) as unknown as
  { items?: { id: number }[] } | { id: number }[];
const processes = Array.isArray(listed) ? listed : (listed.items ?? []);
const processId = processes[0]?.id;

if (opts['start-jobs'] === 'lists') await startJobsLists();

await phase('idle after start', async () => {
  await new Promise((r) => setTimeout(r, 2000));
  return 'nothing';
});
if (opts.pages !== 'no') {
  await phase('list pages, every role', () =>
    hammer(
      (['admin', 'manager', 'rep'] as Who[]).flatMap((who): [Who, string][] => [
        [who, '/api/v1/accounts?limit=50'],
        [who, '/api/v1/contacts?limit=50'],
        [who, '/api/v1/opportunities?status=open&limit=50'],
        [who, '/api/v1/opportunities?limit=50'],
      ]),
    ),
  );
  await phase('details, timelines, boards', () =>
    hammer([
      ['admin', `/api/v1/opportunities/${deal.id}`],
      ['admin', `/api/v1/accounts/${deal.accountId}`],
      ['admin', `/api/v1/accounts/${deal.accountId}/timeline`],
      ...processes.flatMap(({ id }): [Who, string][] => [
        ['admin', `/api/v1/opportunities/board?processId=${id}`],
        ['rep', `/api/v1/opportunities/board?processId=${id}`],
      ]),
      ['rep', '/api/v1/opportunities/attention?limit=50'],
    ]),
  );
  await phase('reports: funnel, members, supervision, search', () =>
    hammer([
      ['admin', `/api/v1/funnel?scope=workspace${processId ? `&processId=${processId}` : ''}`],
      ['admin', `/api/v1/funnel/members?scope=workspace${processId ? `&processId=${processId}` : ''}`],
      ['admin', '/api/v1/cadence/compliance'],
      ['admin', `/api/v1/search?q=${encodeURIComponent('华锐')}`],
      ['admin', '/api/v1/search?q=hw'],
    ]),
  );
}
for (const area of (opts.exports ?? '').split(',').filter(Boolean)) {
  await phase(`${area} export (xlsx, every row)`, async () => {
    const res = await get('admin', `/api/v1/${area}/export?format=xlsx&lang=zh-CN`);
    const bytes = (await res.arrayBuffer()).byteLength;
    return `${(bytes / 1e6).toFixed(1)} MB`;
  });
}
if (opts.recompute !== 'no')
  await phase('tier recompute', async () => {
    const res = await fetch(`${server.url}/api/v1/tiers/recompute`, {
      method: 'POST',
      headers: { cookie: cookies.admin, 'content-type': 'application/json' },
      body: '{}',
    });
    return `${res.status} ${(await res.text()).slice(0, 80)}`;
  });

/**
 * Other users' lists while the first start's jobs run, then idle: each request's time. Reads
 * job_leases on its own connection (read-only use) to know when every job has run once since
 * the bench began; at most 15 minutes.
 */
async function startJobsLists(): Promise<void> {
  const { openDatabase } = await import('../src/db/database.ts');
  const { JOBS } = await import('../src/server/housekeeping.ts');
  const own = openDatabase(
    env.DATABASE_URL ? { databaseUrl: env.DATABASE_URL } : { sqliteFile: `${env.KEYLINE_DATA_DIR}/keyline.db` },
  );
  const ran = async () =>
    Number(
      (
        await own.kysely
          .selectFrom('job_leases')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('last_run_at', '>=', benchStart - 60_000)
          .where(
            'name',
            'in',
            JOBS.map((job) => job.name),
          )
          .executeTakeFirstOrThrow()
      ).n,
    );
  const lists: [Who, string][] = [
    ['manager', '/api/v1/accounts?limit=50'],
    ['rep', '/api/v1/opportunities?status=open&limit=50'],
    ['manager', '/api/v1/notifications?limit=20'],
  ];
  // Open loop: a request every INTERVAL_MS whatever the earlier ones do, so a stall of the server
  // shows in as many samples as it lasted (a closed loop of a few clients would wait it out in a few).
  let failed = 0;
  const timed = async (until: () => boolean, times: number[], tagged = false) => {
    const inFlight = new Set<Promise<void>>();
    let next = 0;
    while (!until()) {
      const [who, url] = lists[next++ % lists.length]!;
      const t0 = performance.now();
      const job = tagged ? byJob.get(current) : undefined;
      const request: Promise<void> = get(who, url)
        .then((res) => res.arrayBuffer())
        .then(
          () => {
            times.push(performance.now() - t0);
            job?.times.push(performance.now() - t0);
            if (tagged) {
              const key = `${current} ${url}`;
              byUrl.set(key, [...(byUrl.get(key) ?? []), performance.now() - t0]);
            }
          },
          (error: unknown) => {
            if (failed++ < 3) console.log(`failed: ${url}: ${error instanceof Error ? error.message : String(error)}`);
          },
        )
        .finally(() => inFlight.delete(request));
      inFlight.add(request);
      await new Promise((r) => setTimeout(r, INTERVAL_MS));
    }
    await Promise.all(inFlight);
  };
  const during: number[] = [];
  const idle: number[] = [];
  // The job holding its lease now (read every second): each sample is counted under the job that ran when it went out.
  let current = 'none';
  const byUrl = new Map<string, number[]>();
  const byJob = new Map<string, { times: number[]; since: number; seconds: number }>();
  const running = async () =>
    (
      await own.kysely
        .selectFrom('job_leases')
        .select('name')
        .where('locked_until', '>', Date.now())
        .where('locked_by', 'is not', null)
        .executeTakeFirst()
    )?.name ?? 'between jobs';
  let done = false;
  const deadline = Date.now() + 15 * 60_000;
  const watch = (async () => {
    while (!done) {
      const now = running();
      done = (await ran()) >= JOBS.length || Date.now() > deadline;
      const name = await now;
      if (name !== current) {
        const previous = byJob.get(current);
        if (previous) previous.seconds += (performance.now() - previous.since) / 1000;
        const entry = byJob.get(name) ?? { times: [], since: 0, seconds: 0 };
        entry.since = performance.now();
        byJob.set(name, entry);
        current = name;
      }
      if (!done) await new Promise((r) => setTimeout(r, 1000));
    }
    const last = byJob.get(current);
    if (last) last.seconds += (performance.now() - last.since) / 1000;
  })();
  await phase("lists during the start's jobs", async () => {
    await timed(() => done, during, true);
    await watch;
    return `${during.length} requests, jobs ran: ${await ran()} of ${JOBS.length}`;
  });
  await phase('lists idle after the jobs', async () => {
    const until = performance.now() + SECONDS * lists.length * 1000;
    await timed(() => performance.now() > until, idle);
    return `${idle.length} requests`;
  });
  await own.close();
  const pct = (xs: number[], share: number) =>
    [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * share))] ?? NaN;
  const figures = (xs: number[]) =>
    `p50 ${pct(xs, 0.5).toFixed(1)} ms, p99 ${pct(xs, 0.99).toFixed(1)} ms, max ${Math.max(...xs).toFixed(0)} ms`;
  console.log(`\nlists during the start's jobs: ${figures(during)} (${during.length} requests)`);
  console.log(`lists idle after:              ${figures(idle)} (${idle.length} requests)`);
  console.log(
    `failed requests: ${failed}; signed in ${((signedIn - ready) / 1000).toFixed(1)} s after the server started`,
  );
  console.log(`p99 during / idle: x${(pct(during, 0.99) / pct(idle, 0.99)).toFixed(2)}`);
  console.log('\nby the job running when the request went out:');
  for (const [name, { times, seconds }] of byJob)
    if (times.length)
      console.log(`  ${name.padEnd(20)} ${seconds.toFixed(0).padStart(4)} s  ${figures(times)} (${times.length})`);
  if (process.env.BENCH_BY_URL)
    for (const [key, times] of byUrl) console.log(`  ${key.padEnd(60)} ${figures(times)} (${times.length})`);
}

clearInterval(sampler);
const { hwm } = memory();
await server.stop();
if (opts.trace) fs.writeFileSync(`${opts.trace}.log`, server.output());
console.log(
  `\n| phase | took | RSS before (MB) | peak RSS in phase (MB) | RSS after (MB) | VmHWM so far (MB) | what |\n|---|---:|---:|---:|---:|---:|---|\n${rows.join('\n')}`,
);
console.log(`\nserver process high-water mark (VmHWM): ${hwm.toFixed(0)} MB`);
