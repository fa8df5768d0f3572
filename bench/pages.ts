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
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import Fastify from 'fastify';
import { Kysely, PostgresDialect, SqliteDialect, type CompiledQuery, type LogEvent } from 'kysely';
import pg from 'pg';
import { loadConfig } from '../src/config.ts';
import { openDatabase, type Db } from '../src/db/database.ts';
import type { Database } from '../src/db/schema.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import { buildApp } from '../src/server/app.ts';
import { insertSession } from '../src/modules/auth/repository.ts';
import { sessionIdOf } from '../src/modules/auth/service.ts';
import { countWorkspaces } from '../src/modules/workspace/service.ts';
import { loadScaleSet } from '../src/demo/scale-set.ts';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '4' },
    concurrency: { type: 'string', default: '4' },
    only: { type: 'string' },
    accounts: { type: 'string', default: '2000' },
    opportunities: { type: 'string', default: '20000' },
    activities: { type: 'string', default: '100000' },
    reps: { type: 'string', default: '200' },
  },
});
const SECONDS = Number(values.seconds);
const CONCURRENCY = Number(values.concurrency);

// The app's database with a Kysely that records the statements while `capturing` is set.
let capturing: CompiledQuery[] | null = null;
const log = (event: LogEvent) => {
  if (capturing && event.level === 'query') capturing.push(event.query);
};
const dataDir = process.env.KEYLINE_DATA_DIR ?? fs.mkdtempSync(path.join(os.tmpdir(), 'keyline-pages-'));
const plain = process.env.DATABASE_URL
  ? openDatabase({ databaseUrl: process.env.DATABASE_URL })
  : openDatabase({ sqliteFile: path.join(dataDir, 'keyline.db') });
await migrateToLatest(plain);
if ((await countWorkspaces(plain.kysely)) === 0) {
  const built = await loadScaleSet(plain, {
    accounts: Number(values.accounts),
    contactsPerAccount: 3,
    opportunities: Number(values.opportunities),
    activities: Number(values.activities),
    reps: Number(values.reps),
  });
  console.log(`built a scale set in ${built.seconds.toFixed(0)} s: ${JSON.stringify(built.rows)}`);
}
const pool = process.env.DATABASE_URL ? new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 10 }) : null;
const db: Db = {
  ...plain,
  kysely: new Kysely<Database>({
    dialect: pool ? new PostgresDialect({ pool }) : new SqliteDialect({ database: plain.sqlite! }),
    log,
  }),
};
const kysely = db.kysely;
const counts = await kysely
  .selectFrom('opportunities')
  .select((eb) => eb.fn.countAll<number>().as('n'))
  .executeTakeFirstOrThrow();
console.log(
  `engine ${db.engine}; ${Number(counts.n).toLocaleString('en-US')} opportunities; ${SECONDS} s per run at concurrency ${CONCURRENCY}; load average ${os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}`,
);

const app = await buildApp(db, { ...loadConfig({ KEYLINE_DATA_DIR: dataDir }), logLevel: 'silent' }, { logger: false });
await app.listen({ port: 0, host: '127.0.0.1' });
const base = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;

const cookieFor = async (email: string) => {
  const user = await kysely
    .selectFrom('users')
    .select(['id', 'workspace_id'])
    .where('email', '=', email)
    .executeTakeFirstOrThrow();
  const token = `bench-pages-${email}-${Date.now()}`;
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
};
const cookies = {
  admin: await cookieFor('admin@demo.keyline.dev'),
  manager: await cookieFor('manager@demo.keyline.dev'),
  rep: await cookieFor('rep@demo.keyline.dev'),
};
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
const busiest = await kysely
  .selectFrom('opportunities')
  .select(['process_id', (eb) => eb.fn.countAll<number>().as('n')])
  .where('status', '=', 'open')
  .groupBy('process_id')
  .orderBy('n', 'desc')
  .executeTakeFirstOrThrow();
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
  ['opportunity detail', 'admin', `/api/v1/opportunities/${deal.id}`, 'p50 ≤ 10'],
  ['account detail', 'admin', `/api/v1/accounts/${deal.account_id}`, 'p50 ≤ 10'],
  ['account timeline', 'admin', `/api/v1/accounts/${deal.account_id}/timeline`, 'p50 ≤ 10'],
  ['board, admin', 'admin', `/api/v1/opportunities/board?processId=${busiest.process_id}`, 'p50 ≤ 50'],
  ['board, rep', 'rep', `/api/v1/opportunities/board?processId=${busiest.process_id}`, 'p50 ≤ 10'],
  ['search 华锐, admin', 'admin', `/api/v1/search?q=${word}`, 'p50 ≤ 50'],
];
const chosen = cases.filter(([name]) => !values.only || name.includes(values.only));

interface Figures {
  p50: number;
  p99: number;
  perSecond: number;
}

/** `workers` loops calling `once` for SECONDS after a short warm-up; latencies of every call. */
async function measure(once: () => Promise<unknown>, workers: number): Promise<Figures> {
  for (let i = 0; i < 5; i++) await once();
  const samples: number[] = [];
  const until = performance.now() + SECONDS * 1000;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: workers }, async () => {
      while (performance.now() < until) {
        const start = performance.now();
        await once();
        samples.push(performance.now() - start);
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  samples.sort((a, b) => a - b);
  return {
    p50: samples[Math.floor(samples.length * 0.5)]!,
    p99: samples[Math.min(samples.length - 1, Math.floor(samples.length * 0.99))]!,
    perSecond: samples.length / elapsed,
  };
}

/** The captured statements replayed as prepared statements: SQLite on the app's connection, PostgreSQL as named statements on a pool. */
function replayer(statements: CompiledQuery[]): () => Promise<unknown> {
  if (pool) {
    const named = statements.map((query, index) => ({
      name: `pages_${replayIndex}_${index}`,
      text: query.sql,
      values: [...query.parameters],
    }));
    replayIndex++;
    // One after another on one connection, as the request ran them.
    return async () => {
      const client = await pool.connect();
      try {
        for (const query of named) await client.query(query);
      } finally {
        client.release();
      }
    };
  }
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
}
let replayIndex = 0;

const bare = Fastify({ logger: false });
const bodies = new Map<string, unknown>();
bare.get('/bare/:name', async (request) => bodies.get((request.params as { name: string }).name));
await bare.listen({ port: 0, host: '127.0.0.1' });
const bareBase = `http://127.0.0.1:${(bare.server.address() as { port: number }).port}`;

const get = (url: string, cookie?: string) => async () => {
  const res = await fetch(url, cookie ? { headers: { cookie } } : {});
  if (res.status !== 200) throw new Error(`${url}: ${res.status} ${(await res.text()).slice(0, 200)}`);
  await res.arrayBuffer();
};

const fmt = (figures: Figures) =>
  `${figures.p50.toFixed(1)} / ${figures.p99.toFixed(1)} / ${figures.perSecond.toFixed(0)}`;
console.log(
  '\n| page | target (ms) | API p50 / p99 / req/s | its SQL p50 / p99 / req/s | API ÷ SQL (p50) | bare Fastify, same JSON | statements |',
);
console.log('|---|---|---:|---:|---:|---:|---:|');
for (const [name, who, url, target] of chosen) {
  capturing = [];
  const res = await fetch(base + url, { headers: { cookie: cookies[who] } });
  const body = (await res.json()) as unknown;
  const statements = capturing;
  capturing = null;
  if (res.status !== 200) throw new Error(`${name}: ${res.status} ${JSON.stringify(body).slice(0, 200)}`);
  const key = String(bodies.size);
  bodies.set(key, body);
  const api = await measure(get(base + url, cookies[who]), CONCURRENCY);
  const raw = await measure(replayer(statements), pool ? CONCURRENCY : 1);
  const fastify = await measure(get(`${bareBase}/bare/${key}`), CONCURRENCY);
  console.log(
    `| ${name} | ${target} | ${fmt(api)} | ${fmt(raw)} | ×${(api.p50 / raw.p50).toFixed(1)} | ${fmt(fastify)} | ${statements.length} |`,
  );
}
await app.close();
await bare.close();
await db.kysely.destroy().catch(() => undefined);
if (!process.env.KEYLINE_DATA_DIR) fs.rmSync(dataDir, { recursive: true, force: true });
