/**
 * What every latency benchmark shares: a fresh database (SQLite in a temporary directory, or a
 * fresh PostgreSQL database when DATABASE_URL is set) holding the demo company at a scale, the
 * real app answering injected requests as demo users, and a median-of-N timer. Each benchmark
 * states its baseline — bare SQL for a comparable page — and reports ratios to it, so the
 * numbers mean something on any machine.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { FastifyInstance } from 'fastify';
import { Kysely, PostgresDialect, SqliteDialect, type CompiledQuery, type LogEvent } from 'kysely';
import pg from 'pg';
import { loadConfig } from '../src/config.ts';
import { concurrentGroups, replayConcurrentlyOnPostgres, replayOnPostgres, type Span } from './replay.ts';
import { keepFixedQueriesPrepared, openDatabase, POSTGRES_SESSION_OPTIONS, type Db } from '../src/db/database.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import { cachingStatements } from '../src/db/statement-cache.ts';
import { buildApp } from '../src/server/app.ts';
import { loadDemo } from '../src/demo/load.ts';
import { createTestDb } from '../test/helpers/db.ts';
import { sessionIdOf } from '../src/modules/auth/service.ts';
import { insertSession } from '../src/modules/auth/repository.ts';
import { countWorkspaces } from '../src/modules/workspace/service.ts';
import { loadScaleSet } from '../src/demo/scale-set.ts';
import type { Database } from '../src/db/schema.ts';

export type Sign = 'admin' | 'manager' | 'rep';

export interface Bench {
  db: Db;
  workspaceId: number;
  cookies: Record<Sign, string>;
  /** A GET as that user; throws unless it answers 200. */
  get(who: Sign, url: string): () => Promise<void>;
  /** Median milliseconds of `iterations` runs after five warm-up runs. */
  time(fn: () => Promise<unknown>): Promise<number>;
  /** Times the baseline, then prints each case as a markdown row with its ratio to it. */
  report(
    baselineName: string,
    baseline: () => Promise<unknown>,
    cases: [string, () => Promise<unknown>][],
  ): Promise<void>;
  close(): Promise<void>;
}

/** A session for the user with that email, as the cookie header that carries it. */
async function sessionCookie(kysely: Kysely<Database>, email: string, prefix: string): Promise<string> {
  const user = await kysely
    .selectFrom('users')
    .select(['id', 'workspace_id'])
    .where('email', '=', email)
    .executeTakeFirstOrThrow();
  const token = `${prefix}-${email}`;
  await insertSession(kysely, {
    id: sessionIdOf(token),
    workspaceId: user.workspace_id,
    userId: user.id,
    now: Date.now(),
    expiresAt: Date.now() + 3_600_000,
    ip: null,
    userAgent: 'bench',
  });
  return `keyline_session=${token}`;
}

export async function startBench(defaultScale: number): Promise<Bench> {
  const { values } = parseArgs({
    options: {
      scale: { type: 'string', default: String(defaultScale) },
      iterations: { type: 'string', default: '40' },
    },
  });
  const scale = Number(values.scale);
  const iterations = Number(values.iterations);

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keyline-bench-'));
  const db = process.env.DATABASE_URL
    ? await createTestDb('postgres')
    : openDatabase({ sqliteFile: path.join(dir, 'keyline.db') });
  await migrateToLatest(db);
  const t0 = performance.now();
  const summary = await loadDemo(db, { scale });
  console.log(
    `engine ${db.engine}; demo at scale ${scale}: ${summary.accounts} accounts, ${summary.contacts} contacts, ${summary.opportunities} opportunities (loaded in ${((performance.now() - t0) / 1000).toFixed(1)} s)`,
  );

  const app = await buildApp(db, { ...loadConfig({ KEYLINE_DATA_DIR: dir }), logLevel: 'silent' }, { logger: false });
  await app.ready();
  const kysely = db.kysely;
  const cookieFor = (email: string) => sessionCookie(kysely, email, 'bench');
  const cookies = {
    admin: await cookieFor('admin@demo.keyline.dev'),
    manager: await cookieFor('manager@demo.keyline.dev'),
    rep: await cookieFor('rep@demo.keyline.dev'),
  };
  const workspaceId = (await kysely.selectFrom('workspaces').select('id').executeTakeFirstOrThrow()).id;

  const time = async (fn: () => Promise<unknown>) => {
    for (let i = 0; i < 5; i++) await fn();
    const samples: number[] = [];
    for (let i = 0; i < iterations; i++) {
      const start = performance.now();
      await fn();
      samples.push(performance.now() - start);
    }
    samples.sort((a, b) => a - b);
    return samples[Math.floor(samples.length / 2)]!;
  };

  return {
    db,
    workspaceId,
    cookies,
    get: (who, url) => async () => {
      const res = await app.inject({ method: 'GET', url, headers: { cookie: cookies[who] } });
      if (res.statusCode !== 200) throw new Error(`${url}: ${res.statusCode} ${res.body}`);
    },
    time,
    async report(baselineName, baseline, cases) {
      const base = await time(baseline);
      console.log(`\nbaseline (${baselineName}): ${base.toFixed(2)} ms median of ${iterations}\n`);
      console.log('| case | median ms | × baseline |\n|---|---:|---:|');
      for (const [name, fn] of cases) {
        const ms = await time(fn);
        console.log(`| ${name} | ${ms.toFixed(2)} | ${(ms / base).toFixed(1)} |`);
      }
    },
    async close() {
      await app.close();
      if ('dispose' in db) await (db as { dispose(): Promise<void> }).dispose();
      else await db.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/*
 * The scale-set benches (bench/pages.ts, funnel.ts, activities.ts) share what follows: the
 * database holding the scale set (KEYLINE_DATA_DIR's SQLite file or DATABASE_URL; a small set
 * is built when it is empty), the real app listening on a port with a Kysely that records the
 * statements of one request, sessions for the demo sign-ins, and the three measurements of
 * each case — the API, the same statements replayed raw, a bare Fastify answering the same JSON.
 */

/**
 * parseArgs options of the scale benches: seconds per measurement, requests at a time, a
 * substring of the cases to run, and the small set built when the database holds none (as for the CLI).
 */
const SCALE_BENCH_OPTIONS = {
  seconds: { type: 'string', default: '4' },
  concurrency: { type: 'string', default: '4' },
  only: { type: 'string' },
  accounts: { type: 'string', default: '2000' },
  opportunities: { type: 'string', default: '20000' },
  activities: { type: 'string', default: '100000' },
  reps: { type: 'string', default: '200' },
} as const;

export interface ScaleBench {
  /** The command line: SCALE_BENCH_OPTIONS and the bench's own. */
  args: Record<string, string | undefined>;
  /** Seconds per measurement and requests at a time (--seconds, --concurrency). */
  seconds: number;
  concurrency: number;
  /** The app's database: its Kysely records statements inside capture(). */
  db: Db;
  /** The same database without the recording Kysely (SQLite: the one connection both use). */
  plain: Db;
  kysely: Kysely<Database>;
  workspaceId: number;
  app: FastifyInstance;
  /** http://127.0.0.1:port of the app. */
  base: string;
  cookies: Record<Sign, string>;
  cookieFor(email: string): Promise<string>;
  /** The statements the database ran while fn ran (run nothing else meanwhile). */
  capture<T>(fn: () => Promise<T>): Promise<{
    result: T;
    statements: CompiledQuery[];
    /** Which of them ran at once (bench/replay.ts). */ groups: number[][];
  }>;
  /** The statements replayed as the app runs them: SQLite prepared on the app's connection; PostgreSQL in order on one pooled connection, named only where the server names them. */
  replayer(statements: CompiledQuery[]): () => Promise<unknown>;
  /** PostgreSQL: the statements replayed with the request's own concurrency (each group at once, on the pool); null on SQLite (one connection). */
  concurrentReplayer(statements: CompiledQuery[], groups: number[][]): (() => Promise<unknown>) | null;
  /** Workers for the raw replay: SQLite has one connection, so one; PostgreSQL as many as the API gets. */
  replayWorkers(concurrency: number): number;
  /** Whether --only (comma-separated substrings) lets this case run. */
  picked(name: string): boolean;
  /** The sales process with the most open deals: the board's and the funnel's hardest case. */
  busiestProcess(): Promise<number>;
  close(): Promise<void>;
}

export async function openScaleBench(
  extraOptions: Record<string, { type: 'string'; default: string }> = {},
): Promise<ScaleBench> {
  const args = parseArgs({ options: { ...SCALE_BENCH_OPTIONS, ...extraOptions }, allowPositionals: true })
    .values as Record<string, string | undefined>;
  const small = args as Record<keyof typeof SCALE_BENCH_OPTIONS, string>;
  let capturing: CompiledQuery[] | null = null;
  let spans: Span[] = [];
  const log = (event: LogEvent) => {
    if (!capturing || event.level !== 'query') return;
    capturing.push(event.query);
    const end = performance.now();
    spans.push({ start: end - event.queryDurationMillis, end });
  };
  const ownDir = !process.env.KEYLINE_DATA_DIR;
  const dataDir = process.env.KEYLINE_DATA_DIR ?? fs.mkdtempSync(path.join(os.tmpdir(), 'keyline-scale-'));
  const plain = process.env.DATABASE_URL
    ? openDatabase({ databaseUrl: process.env.DATABASE_URL })
    : openDatabase({ sqliteFile: path.join(dataDir, 'keyline.db') });
  await migrateToLatest(plain);
  if ((await countWorkspaces(plain.kysely)) === 0) {
    const built = await loadScaleSet(plain, {
      accounts: Number(small.accounts),
      contactsPerAccount: 3,
      opportunities: Number(small.opportunities),
      activities: Number(small.activities),
      reps: Number(small.reps),
    });
    console.log(`built a small scale set in ${built.seconds.toFixed(0)} s: ${JSON.stringify(built.rows)}`);
  }
  const pool = process.env.DATABASE_URL
    ? new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 10, options: POSTGRES_SESSION_OPTIONS })
    : null;
  // As the server's own pool: its fixed queries prepared on each connection.
  pool?.on('connect', keepFixedQueriesPrepared);
  const db: Db = {
    ...plain,
    kysely: new Kysely<Database>({
      dialect: pool ? new PostgresDialect({ pool }) : new SqliteDialect({ database: cachingStatements(plain.sqlite!) }),
      log,
    }),
  };
  const kysely = db.kysely;
  const app = await buildApp(
    db,
    { ...loadConfig({ KEYLINE_DATA_DIR: dataDir }), logLevel: 'silent' },
    { logger: false },
  );
  await app.listen({ port: 0, host: '127.0.0.1' });
  // A page of seconds at a concurrency keeps the one event loop busy for longer than Node's
  // 60 s headers timeout, and the requests queued behind it would be cut (ECONNRESET): the
  // bench wants their latency instead.
  app.server.headersTimeout = 3_600_000;
  const base = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;

  const cookieFor = (email: string) => sessionCookie(kysely, email, `bench-scale-${Date.now()}`);
  const cookies = {
    admin: await cookieFor('admin@demo.keyline.dev'),
    manager: await cookieFor('manager@demo.keyline.dev'),
    rep: await cookieFor('rep@demo.keyline.dev'),
  };
  const workspaceId = (await kysely.selectFrom('workspaces').select('id').executeTakeFirstOrThrow()).id;
  const counts = await kysely
    .selectFrom('opportunities')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  console.log(
    `engine ${db.engine}; ${Number(counts.n).toLocaleString('en-US')} opportunities; ${new Date().toISOString()}; load average ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')} on ${os.cpus().length} cores; ${args.seconds} s per measurement at concurrency ${args.concurrency}`,
  );

  return {
    args,
    seconds: Number(args.seconds),
    concurrency: Number(args.concurrency),
    db,
    plain,
    kysely,
    workspaceId,
    app,
    base,
    cookies,
    cookieFor,
    async capture(fn) {
      capturing = [];
      spans = [];
      try {
        const result = await fn();
        return { result, statements: capturing, groups: concurrentGroups(spans) };
      } finally {
        capturing = null;
      }
    },
    replayer(statements) {
      if (pool) return replayOnPostgres(pool, statements);
      const prepared = statements.map((query) => ({
        statement: plain.sqlite!.prepare(query.sql),
        params: query.parameters as unknown[],
      }));
      return async () => {
        for (const { statement, params } of prepared) {
          if (statement.reader) statement.all(...params);
          else statement.run(...params);
        }
      };
    },
    concurrentReplayer: (statements, groups) => (pool ? replayConcurrentlyOnPostgres(pool, statements, groups) : null),
    replayWorkers: (concurrency) => (pool ? concurrency : 1),
    picked: (name) => !args.only || args.only.split(',').some((part) => name.includes(part.trim())),
    async busiestProcess() {
      const busiest = await kysely
        .selectFrom('opportunities')
        .select(['process_id', (eb) => eb.fn.countAll<number>().as('n')])
        .where('status', '=', 'open')
        .groupBy('process_id')
        .orderBy('n', 'desc')
        .executeTakeFirstOrThrow();
      return Number(busiest.process_id);
    },
    async close() {
      await app.close();
      await kysely.destroy().catch(() => undefined);
      await pool?.end().catch(() => undefined);
      await plain.close().catch(() => undefined);
      if (ownDir) fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

// The timing helpers live in measure.ts; the benches import them from here as before.
export { figuresOf, measure, httpGet, httpPost, formatFigures, bareFastify, type Figures } from './measure.ts';
