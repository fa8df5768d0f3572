/**
 * The database's CPU time per global search (issue 11), for a machine shared with other
 * engineers: wall-clock figures there move with the neighbours' load, the database's own CPU
 * time much less. Each text's request is captured as an admin, a manager and a rep (as
 * bench/search.ts), then its statements are run one after another and the CPU time read
 * around each round. PostgreSQL: on a connection of their own — unnamed, so planned with
 * their values as the API's are, the fixed queries as the server's pool runs them — that
 * backend's CPU time (utime + stime from /proc, so the server must run on this machine).
 * SQLite: replayed on the app's connection (bench.replayer), this process's CPU time (the
 * database runs in it). Median of the rounds, in ms per request: the sum of its statements
 * (on PostgreSQL the API runs the three groups at once, so its wall time on a quiet machine is
 * below this sum), and with --statements each statement's share.
 *
 *   DATABASE_URL=postgres://…/copy node bench/search-cpu.ts [--texts c1234,5678] [--only admin] [--rounds 5] [--per-round 10] [--statements yes]
 *   KEYLINE_DATA_DIR=/work/copies/x node bench/search-cpu.ts …
 * The bench writes sessions: point it at a copy of the scale set, not the shared one.
 */
import { execSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import pg from 'pg';
import type { CompiledQuery } from 'kysely';
import { openScaleBench, type Sign } from './harness.ts';
import { keepFixedQueriesPrepared, POSTGRES_SESSION_OPTIONS } from '../src/db/database.ts';

const TEXTS = ['华锐', '张伟', '伟', 'zw', 'hw', 'mes', 'c1234', '5678'];

const bench = await openScaleBench({
  texts: { type: 'string', default: TEXTS.join(',') },
  rounds: { type: 'string', default: '5' },
  'per-round': { type: 'string', default: '10' },
  statements: { type: 'string', default: '' },
});
const rounds = Number(bench.args.rounds);
const perRound = Number(bench.args['per-round']);

/** The database's CPU ms so far, and a runner of statements whose CPU it counts. */
async function cpuOfDatabase(): Promise<{
  cpuMs: () => number;
  runner: (statements: CompiledQuery[]) => () => Promise<unknown>;
  close: () => Promise<void>;
}> {
  if (!process.env.DATABASE_URL)
    return {
      cpuMs: () => {
        const used = process.cpuUsage();
        return (used.user + used.system) / 1000;
      },
      runner: (statements) => bench.replayer(statements),
      close: async () => undefined,
    };
  const client = new pg.Client({ connectionString: process.env.DATABASE_URL, options: POSTGRES_SESSION_OPTIONS });
  await client.connect();
  keepFixedQueriesPrepared(client as unknown as pg.PoolClient);
  const { rows } = await client.query<{ pid: number }>('select pg_backend_pid() as pid');
  const statFile = `/proc/${rows[0]!.pid}/stat`;
  const ticksPerSecond = Number(execSync('getconf CLK_TCK').toString()) || 100;
  return {
    // The backend's user + system CPU time (fields 14 and 15 of /proc/<pid>/stat).
    cpuMs: () => {
      const fields = fs.readFileSync(statFile, 'utf8').split(') ')[1]!.split(' ');
      return ((Number(fields[11]) + Number(fields[12])) * 1000) / ticksPerSecond;
    },
    runner: (statements) => async () => {
      for (const statement of statements) await client.query(statement.sql, [...statement.parameters]);
    },
    close: () => client.end(),
  };
}
const database = await cpuOfDatabase();
const median = (values: number[]) =>
  [...values].sort((left, right) => left - right)[Math.floor((values.length - 1) / 2)]!;

/** Median over the rounds of the backend CPU ms and the wall ms per run of `statements`. */
async function measured(statements: CompiledQuery[]) {
  const cpu: number[] = [];
  const wall: number[] = [];
  const run = database.runner(statements);
  for (let round = 0; round < rounds; round++) {
    const [cpuBefore, wallBefore] = [database.cpuMs(), performance.now()];
    for (let times = 0; times < perRound; times++) await run();
    cpu.push((database.cpuMs() - cpuBefore) / perRound);
    wall.push((performance.now() - wallBefore) / perRound);
  }
  return { cpu: median(cpu), wall: median(wall) };
}

console.log(
  `${process.env.DATABASE_URL ? 'backend' : 'process'} CPU per request, ${rounds} rounds of ${perRound}; load average ${os
    .loadavg()
    .map((load) => load.toFixed(1))
    .join(' ')}`,
);
console.log('\n| text | who | statements | database CPU ms (median) | wall ms, same runs |');
console.log('|---|---|---:|---:|---:|');
for (const text of String(bench.args.texts).split(',')) {
  for (const who of ['admin', 'manager', 'rep'] as Sign[]) {
    const name = `${text}, ${who}`;
    if (!bench.picked(name)) continue;
    const url = `${bench.base}/api/v1/search?q=${encodeURIComponent(text)}`;
    const { statements } = await bench.capture(() =>
      fetch(url, { headers: { cookie: bench.cookies[who] } }).then((res) => res.arrayBuffer()),
    );
    const whole = await measured(statements);
    console.log(`| ${text} | ${who} | ${statements.length} | ${whole.cpu.toFixed(1)} | ${whole.wall.toFixed(1)} |`);
    if (bench.args.statements)
      for (const statement of statements) {
        const alone = await measured([statement]);
        console.log(
          `|  |  |  | ${alone.cpu.toFixed(1)} | ${alone.wall.toFixed(1)} ${statement.sql.replace(/\s+/g, ' ').slice(0, 110)} |`,
        );
      }
  }
}
await database.close();
await bench.close();
