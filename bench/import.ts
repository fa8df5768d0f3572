/**
 * Import responsiveness benchmark (docs/archive.md § Import and export "progress for large files"; ARCHITECTURE.md §
 * Performance habits). Starts a real server on a fresh SQLite file (or PostgreSQL with
 * BENCH_DATABASE_URL; or a copy of the scale set: KEYLINE_DATA_DIR, with BENCH_DATABASE_URL its
 * PostgreSQL database — issue 8 measures there), generates a 100,000-row accounts CSV, imports it through the API as
 * the demo manager while a second loop measures GET /api/v1/accounts?limit=1 as another
 * user, and reports p50/p99 latency during the import as a ratio to the idle baseline
 * measured in the same run, plus the import's phase times.
 *
 *   npm run bench:import            # 100,000 rows on SQLite
 *   BENCH_ROWS=20000 npm run bench:import
 *   KEYLINE_DATA_DIR=/copy/of/the/scale/set npm run bench:import     # into 100,000 accounts
 *
 * On a copy of the scale set, mark its housekeeping as just run (`update job_leases set
 * last_run_at = <now ms>`), else the server's start runs the tier recompute and the reminders
 * beside the import. BENCH_LINGER=<ms> keeps the server up after the import, so a CPU profile
 * (NODE_OPTIONS=--cpu-prof) of the commit's worker thread is written when the worker ends.
 *
 * Phase by phase: the CPU of the server's process (its import workers too) and, on PostgreSQL, of
 * the database's backends during upload, dry run and commit (bench/import-cpu.ts); and the steps
 * of each phase as the worker timed them (KEYLINE_IMPORT_PROFILE, src/modules/imports/profile.ts):
 * wall, the worker thread's CPU, statements sent.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { startServer, httpLogin } from '../test/helpers/server.ts';
import { generateAccountsCsv, pct } from './workload.ts';
import { cpuMeter, profileTable } from './import-cpu.ts';

const ROWS = Number(process.env.BENCH_ROWS ?? 100_000);

/** Repeats one request until told to stop: latencies, and how many answered 503 busy. */
async function probe(
  send: () => Promise<Response>,
  until: () => boolean,
): Promise<number[] & { busy: number; started: number[] }> {
  const samples = Object.assign([] as number[], { busy: 0, started: [] as number[] });
  while (!until()) {
    const t0 = performance.now();
    const res = await send();
    await res.arrayBuffer();
    if (res.status === 503) samples.busy++;
    else if (!res.ok) throw new Error(`probe ${res.status}`);
    samples.push(performance.now() - t0);
    samples.started.push(t0);
    await new Promise((r) => setTimeout(r, 20));
  }
  return samples;
}

/**
 * The upload, sent from a thread of its own: sending 17.7 MB held this process's event loop for up
 * to ~250 ms (the copy, the socket writes, collecting the garbage), and the other user's reads,
 * timed on that loop, counted it as the server's.
 */
async function uploadOffThread(url: string, cookie: string, csv: Buffer): Promise<Record<string, unknown>> {
  const code = `
    const { parentPort, workerData } = require('node:worker_threads');
    fetch(workerData.url, { method: 'POST', headers: { cookie: workerData.cookie, 'content-type': 'text/csv' }, body: workerData.bytes })
      .then(async (res) => parentPort.postMessage({ status: res.status, json: await res.json() }))
      .catch((error) => parentPort.postMessage({ status: 0, json: { error: String(error) } }));`;
  const bytes = new Uint8Array(csv);
  const worker = new Worker(code, { eval: true, workerData: { url, cookie, bytes }, transferList: [bytes.buffer] });
  const answer = await new Promise<{ status: number; json: Record<string, unknown> }>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  await worker.terminate();
  if (answer.status !== 201) throw new Error(`POST /imports: ${answer.status} ${JSON.stringify(answer.json)}`);
  return answer.json;
}

/** Six characters of a run's own, as long as the usual prefix (压测导入客户), so the rows carry as many grams. */
function runPrefix(run: number): string {
  const chars = '甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未申酉戌亥金木水火土山川河海风云雷电春夏秋冬东南西北';
  return Array.from(
    { length: 6 },
    (_, k) => chars[(Math.floor(run / chars.length ** (k % 3)) + k * 7) % chars.length]!,
  ).join('');
}

async function main() {
  // The scale set holds the demo's sign-ins; a fresh file gets them from the demo.
  const given = process.env.KEYLINE_DATA_DIR;
  const dir = given ?? fs.mkdtempSync(path.join(os.tmpdir(), 'keyline-bench-import-'));
  const env: Record<string, string> = {
    KEYLINE_DATA_DIR: dir,
    KEYLINE_DEMO: given ? 'off' : 'on',
    LOG_LEVEL: 'warn',
    KEYLINE_IMPORT_PROFILE: '1',
  };
  if (process.env.BENCH_DATABASE_URL) env.DATABASE_URL = process.env.BENCH_DATABASE_URL;
  const server = await startServer(env, 600_000);
  try {
    // A fresh copy's server runs its due housekeeping as it starts (the tier recompute over every
    // account, reminders): a sign-in meanwhile may answer 503 busy.
    const signIn = async (email: string): Promise<string> => {
      for (let attempt = 0; ; attempt++) {
        try {
          return await httpLogin(server.url, email, 'keyline-demo');
        } catch (error) {
          if (attempt > 120 || !String(error).includes(' 503 ')) throw error;
          await new Promise((r) => setTimeout(r, 1000));
        }
      }
    };
    const importer = await signIn('manager@demo.keyline.dev');
    const other = await signIn('director@demo.keyline.dev');
    // Into a kept set, each run's rows are new companies of their own: credit codes, and a name
    // prefix of six other characters, so that no name resembles an earlier run's (a look-alike
    // costs the dry run 200 comparisons).
    const run = Math.floor(Date.now() / 1000) % 10_000;
    const csv = given ? generateAccountsCsv(ROWS, runPrefix(run), run * 1_000_000) : generateAccountsCsv(ROWS);
    console.log(
      `engine: ${env.DATABASE_URL ? 'postgres' : 'sqlite'}; file: ${ROWS.toLocaleString('en')} rows, ${(csv.length / 1e6).toFixed(1)} MB`,
    );

    // Idle baseline, same server, same probe — once the server answers at its own pace (a scale set's
    // start-up work can hold a first request for tens of seconds).
    for (let slow = Infinity; slow > 1000;) {
      const t0 = performance.now();
      await (await fetch(`${server.url}/api/v1/accounts?limit=1`, { headers: { cookie: other } })).arrayBuffer();
      slow = performance.now() - t0;
    }
    let stop = false;
    setTimeout(() => (stop = true), 4000);
    const read = () => fetch(`${server.url}/api/v1/accounts?limit=1`, { headers: { cookie: other } });
    // A write by another user: on SQLite it may meet the import's write lock, and then waits for it
    // (off the event loop) or answers 503 busy past KEYLINE_SQLITE_BUSY_WAIT_MS (before 7 December: at once).
    const write = () =>
      fetch(`${server.url}/api/v1/auth/me`, {
        method: 'PATCH',
        headers: { cookie: other, 'content-type': 'application/json' },
        body: '{"locale":"zh-CN"}',
      });
    const [idle, idleWrites] = await Promise.all([probe(read, () => stop), probe(write, () => stop)]);

    let importing = true;
    const during = probe(read, () => !importing);
    const duringWrites = probe(write, () => !importing);
    const call = async (method: string, urlPath: string, body?: unknown) => {
      const res = await fetch(`${server.url}/api/v1${urlPath}`, {
        method,
        headers: {
          cookie: importer,
          ...(body instanceof Buffer
            ? { 'content-type': 'text/csv' }
            : body
              ? { 'content-type': 'application/json' }
              : {}),
        },
        body: body instanceof Buffer ? new Uint8Array(body) : body ? JSON.stringify(body) : undefined,
      });
      const json = (await res.json()) as Record<string, unknown>;
      if (!res.ok) throw new Error(`${method} ${urlPath}: ${res.status} ${JSON.stringify(json)}`);
      return json;
    };
    const wait = async (id: number) => {
      for (;;) {
        const job = await call('GET', `/imports/${id}`);
        if (job.status !== 'validating' && job.status !== 'committing') return job;
        await new Promise((r) => setTimeout(r, 200));
      }
    };
    const meter = await cpuMeter(server.proc.pid!, env.DATABASE_URL);
    const c0 = await meter.read();
    const t0 = performance.now();
    const job = await uploadOffThread(`${server.url}/api/v1/imports?kind=accounts&fileName=bench.csv`, importer, csv);
    const t1 = performance.now();
    const c1 = await meter.read();
    await call('POST', `/imports/${job.id as number}/validate`, {
      mapping: job.suggestedMapping,
      duplicateMode: 'skip',
    });
    const checked = await wait(job.id as number);
    const t2 = performance.now();
    const c2 = await meter.read();
    await call('POST', `/imports/${job.id as number}/commit`, { skipErrors: false });
    const done = await wait(job.id as number);
    const t3 = performance.now();
    const c3 = await meter.read();
    importing = false;
    const busy = await during;
    const writes = await duringWrites;
    if (done.status !== 'committed') throw new Error(`import ended ${String(done.status)}: ${String(done.failure)}`);
    // Searchable once the indexing job has written the records' entries (docs/search.md § Imported
    // records); an import that indexes in its commit (no searchPending) is searchable when committed.
    let indexing = true;
    const duringIndexing = probe(read, () => !indexing);
    for (;;) {
      const state = await call('GET', `/imports/${job.id as number}`);
      if (!((state.searchPending as number | undefined) ?? 0)) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    const tSearchable = performance.now();
    indexing = false;
    const indexedReads = await duringIndexing;

    const cpu = (from: typeof c0, to: typeof c0) =>
      `server ${((to.server - from.server) / 1000).toFixed(1)} s` +
      (env.DATABASE_URL
        ? ` + database: import workers' ${((to.database - from.database) / 1000).toFixed(1)} s, server pool's ${((to.pool - from.pool) / 1000).toFixed(1)} s`
        : '');
    console.log(
      `CPU: upload+parse ${cpu(c0, c1)}; dry run ${cpu(c1, c2)}; commit ${cpu(c2, c3)}; total ${cpu(c0, c3)} (the probes' own requests included)`,
    );
    // The commit's worker writes its figures after the statistics refresh that follows the commit.
    for (let waited = 0; waited < 120_000 && server.output().split('import-profile ').length < 3; waited += 250)
      await new Promise((r) => setTimeout(r, 250));
    const c4 = await meter.read();
    console.log(`CPU after the commit (its statistics refresh): ${cpu(c3, c4)}`);
    for (const line of profileTable(server.output(), ROWS)) console.log(line);
    await meter.stop();
    // Where the slowest reads fell: the 1 % slowest, by the phase they started in.
    const slowest = busy
      .map((ms, index) => ({ ms, at: busy.started[index]! }))
      .sort((a, b) => b.ms - a.ms)
      .slice(0, Math.max(1, Math.ceil(busy.length / 100)));
    const phaseOf = (at: number) => (at < t1 ? 'upload' : at < t2 ? 'dry run' : 'commit');
    const slowIn = new Map<string, number>();
    for (const sample of slowest) slowIn.set(phaseOf(sample.at), (slowIn.get(phaseOf(sample.at)) ?? 0) + 1);
    console.log(
      `the ${slowest.length} slowest reads during the import (from ${slowest.at(-1)!.ms.toFixed(0)} ms) started in: ${[...slowIn].map(([phase, n]) => `${phase} ${n}`).join(', ')}`,
    );
    const b50 = pct(idle, 50),
      b99 = pct(idle, 99),
      d50 = pct(busy, 50),
      d99 = pct(busy, 99);
    console.log(`rows checked: ${JSON.stringify(checked.counts)}; committed: ${JSON.stringify(done.result)}`);
    console.log(
      `import: upload+parse ${((t1 - t0) / 1000).toFixed(1)} s, dry run ${((t2 - t1) / 1000).toFixed(1)} s, commit ${((t3 - t2) / 1000).toFixed(1)} s, total ${((t3 - t0) / 1000).toFixed(1)} s`,
    );
    console.log(
      `rows/s until committed: ${(ROWS / ((t3 - t0) / 1000)).toFixed(0)} (the commit alone ${(ROWS / ((t3 - t2) / 1000)).toFixed(0)}); ` +
        `searchable ${((tSearchable - t3) / 1000).toFixed(1)} s after the commit (${((tSearchable - t0) / 1000).toFixed(1)} s from the upload)`,
    );
    console.log(
      `GET /api/v1/accounts?limit=1 as another user — idle: p50 ${b50.toFixed(1)} ms, p99 ${b99.toFixed(1)} ms (${idle.length} samples)`,
    );
    if (indexedReads.length > 0)
      console.log(
        `                                       during indexing: p50 ${pct(indexedReads, 50).toFixed(1)} ms, p99 ${pct(indexedReads, 99).toFixed(1)} ms, max ${Math.max(...indexedReads).toFixed(1)} ms (${indexedReads.length} samples)`,
      );
    console.log(
      `                                       during import: p50 ${d50.toFixed(1)} ms, p99 ${d99.toFixed(1)} ms, max ${Math.max(...busy).toFixed(1)} ms (${busy.length} samples)`,
    );
    // The commit alone: on SQLite its worker holds the write lock throughout, which other users' writes meet.
    const inCommit = busy.filter((_, index) => busy.started[index]! >= t2);
    if (inCommit.length > 0)
      console.log(
        `                                       during the commit: p50 ${pct(inCommit, 50).toFixed(1)} ms, p99 ${pct(inCommit, 99).toFixed(1)} ms, max ${Math.max(...inCommit).toFixed(1)} ms (${inCommit.length} samples)`,
      );
    console.log(`ratio during/idle: p50 ×${(d50 / b50).toFixed(2)}, p99 ×${(d99 / b99).toFixed(2)}`);
    const w50 = pct(idleWrites, 50),
      w99 = pct(idleWrites, 99),
      x50 = pct(writes, 50),
      x99 = pct(writes, 99);
    console.log(
      `PATCH /api/v1/auth/me as another user — idle: p50 ${w50.toFixed(1)} ms, p99 ${w99.toFixed(1)} ms; during import: p50 ${x50.toFixed(1)} ms, p99 ${x99.toFixed(1)} ms, max ${Math.max(...writes).toFixed(1)} ms; ${writes.busy} of ${writes.length} answered 503 busy (retry)`,
    );
    console.log(`ratio during/idle (writes): p50 ×${(x50 / w50).toFixed(2)}, p99 ×${(x99 / w99).toFixed(2)}`);
  } finally {
    if (process.env.BENCH_LINGER) await new Promise((r) => setTimeout(r, Number(process.env.BENCH_LINGER)));
    await server.stop();
    if (!given) fs.rmSync(dir, { recursive: true, force: true });
  }
}

await main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
