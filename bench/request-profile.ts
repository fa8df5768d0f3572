/**
 * One GET through the real app (`inject`), many times one after another: its CPU per request
 * and, with --out, a CPU profile of that loop alone (not the start-up, not the warm-up). With
 * --memo yes every read's rows are answered from memory after their first run, so only the
 * request's own code is left — routing, hooks, the session, building and binding statements,
 * rows to DTOs, serialization (docs/benchmarks.md "The lists' own cost on SQLite"). SQLite only.
 *
 *   KEYLINE_DATA_DIR=/copy/of/scale-set node bench/request-profile.ts --who rep --url '/api/v1/accounts?limit=50' [--count 3000] [--memo yes] [--out /tmp/list.cpuprofile]
 * Writes sessions (a copy of the scale set, as the other scale benches).
 */
import fs from 'node:fs';
import os from 'node:os';
import { Session } from 'node:inspector/promises';
import { openScaleBench, type Sign } from './harness.ts';

const bench = await openScaleBench({
  who: { type: 'string', default: 'rep' },
  url: { type: 'string', default: '/api/v1/accounts?limit=50' },
  count: { type: 'string', default: '3000' },
  memo: { type: 'string', default: '' },
  out: { type: 'string', default: '' },
});
if (!bench.plain.sqlite) throw new Error('bench/request-profile.ts measures SQLite (unset DATABASE_URL)');
const who = bench.args.who as Sign;
const url = bench.args.url!;
const count = Number(bench.args.count);
const call = async () => {
  const res = await bench.app.inject({ method: 'GET', url, headers: { cookie: bench.cookies[who] } });
  if (res.statusCode !== 200) throw new Error(`${url}: ${res.statusCode} ${res.body.slice(0, 300)}`);
};
for (let i = 0; i < 300; i++) await call();

const memo = Boolean(bench.args.memo);
if (memo) {
  // Each statement's rows by its text and parameters, copied out on every call as the driver would build them.
  const statementProto = Object.getPrototypeOf(bench.plain.sqlite.prepare('select 1')) as {
    all: (...args: unknown[]) => unknown[];
  };
  const original = statementProto.all;
  const kept = new Map<string, unknown[]>();
  statementProto.all = function (this: { source: string }, ...args: unknown[]) {
    const key = this.source + JSON.stringify(args);
    let rows = kept.get(key);
    if (rows === undefined) kept.set(key, (rows = original.apply(this, args)));
    return rows.map((row) => ({ ...(row as object) }));
  };
  for (let i = 0; i < 300; i++) await call();
}

const session = new Session();
if (bench.args.out) {
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 100 });
  await session.post('Profiler.start');
}
const cpuBefore = process.cpuUsage();
const started = performance.now();
for (let i = 0; i < count; i++) await call();
const cpu = process.cpuUsage(cpuBefore);
const wall = performance.now() - started;
if (bench.args.out) {
  const { profile } = await session.post('Profiler.stop');
  fs.writeFileSync(bench.args.out, JSON.stringify(profile));
  session.disconnect();
}
console.log(
  `${who} ${url}${memo ? ' (SQL from memory)' : ''}: ${((cpu.user + cpu.system) / 1000 / count).toFixed(3)} ms CPU, ${(wall / count).toFixed(3)} ms wall per request, load ${os.loadavg()[0]!.toFixed(1)}`,
);
await bench.close();
