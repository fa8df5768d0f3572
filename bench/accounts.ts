/**
 * Account list, search and relationship-map latency on generated data, as ratios to a
 * baseline measured in the same run: the bare SQL for the same page through a prepared
 * statement (SQLite) or a plain query (PostgreSQL), without HTTP, validation or scoping.
 *
 *   node bench/accounts.ts [--scale 30] [--iterations 40]      # SQLite
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres node bench/accounts.ts   # a fresh PG database is created
 *
 * scale 1 = the demo company (300 accounts, ~940 contacts); scale 30 ≈ 9,000 accounts.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { loadConfig } from '../src/config.ts';
import { openDatabase } from '../src/db/database.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import { buildApp } from '../src/server/app.ts';
import { loadDemo } from '../src/demo/load.ts';
import { createTestDb } from '../test/helpers/db.ts';
import { sessionIdOf } from '../src/modules/auth/service.ts';
import { insertSession } from '../src/modules/auth/repository.ts';

const { values } = parseArgs({ options: { scale: { type: 'string', default: '30' }, iterations: { type: 'string', default: '40' } } });
const scale = Number(values.scale);
const iterations = Number(values.iterations);

const usePg = Boolean(process.env.DATABASE_URL);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keyline-bench-'));
const db = usePg ? await createTestDb('postgres') : openDatabase({ sqliteFile: path.join(dir, 'keyline.db') });
await migrateToLatest(db);
let t0 = performance.now();
const summary = await loadDemo(db, { scale });
console.log(`engine ${db.engine}; demo at scale ${scale}: ${summary.accounts} accounts, ${summary.contacts} contacts, ${summary.opportunities} opportunities (loaded in ${((performance.now() - t0) / 1000).toFixed(1)} s)`);

const app = await buildApp(db, { ...loadConfig({ KEYLINE_DATA_DIR: dir }), logLevel: 'silent' }, { logger: false });
await app.ready();
const k = db.kysely;
const cookieFor = async (email: string) => {
  const u = await k.selectFrom('users').select(['id', 'workspace_id']).where('email', '=', email).executeTakeFirstOrThrow();
  const token = `bench-${email}`;
  await insertSession(k, { id: sessionIdOf(token), workspaceId: u.workspace_id, userId: u.id, now: Date.now(), expiresAt: Date.now() + 3_600_000, ip: null, userAgent: 'bench' });
  return `keyline_session=${token}`;
};
const cookies = { admin: await cookieFor('admin@demo.keyline.dev'), manager: await cookieFor('manager@demo.keyline.dev'), rep: await cookieFor('rep@demo.keyline.dev') };
const bigAccount = await k.selectFrom('accounts').select('id').where('name', '=', '深圳市华为技术有限公司').executeTakeFirstOrThrow();
const wsId = (await k.selectFrom('workspaces').select('id').executeTakeFirstOrThrow()).id;

async function time(fn: () => Promise<unknown>): Promise<number> {
  for (let i = 0; i < 5; i++) await fn(); // warm-up
  const samples: number[] = [];
  for (let i = 0; i < iterations; i++) {
    t0 = performance.now();
    await fn();
    samples.push(performance.now() - t0);
  }
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)]!;
}

const get = (cookie: string, url: string) => async () => {
  const res = await app.inject({ method: 'GET', url, headers: { cookie } });
  if (res.statusCode !== 200) throw new Error(`${url}: ${res.statusCode} ${res.body}`);
};

// Baseline: the same first page as bare SQL.
const baseline = db.sqlite
  ? (() => {
      const stmt = db.sqlite.prepare('select id, name, owner_id, tier from accounts where workspace_id = ? and archived_at is null order by updated_at desc, id desc limit 50');
      return async () => stmt.all(wsId);
    })()
  : async () => sql`select id, name, owner_id, tier from accounts where workspace_id = ${wsId} and archived_at is null order by updated_at desc, id desc limit 50`.execute(k);

const base = await time(baseline);
const cases: [string, () => Promise<unknown>][] = [
  ['list page 1, admin (whole workspace)', get(cookies.admin, '/api/v1/accounts?limit=50')],
  ['list page 1, manager (subtree)', get(cookies.manager, '/api/v1/accounts?limit=50')],
  ['list page 1, rep (own + team + pool)', get(cookies.rep, '/api/v1/accounts?limit=50')],
  ['list page 20, admin, by name', get(cookies.admin, '/api/v1/accounts?limit=50&offset=950&sort=name')],
  ['search 华为 (names, codes, contacts), admin', get(cookies.admin, `/api/v1/accounts?q=${encodeURIComponent('华为')}`)],
  ['search by contact mobile prefix, manager', get(cookies.manager, '/api/v1/accounts?q=1390')],
  ['overdue follow-ups, manager', get(cookies.manager, '/api/v1/accounts?overdue=true')],
  ['account detail', get(cookies.admin, `/api/v1/accounts/${bigAccount.id}`)],
  ['relationship map', get(cookies.admin, `/api/v1/accounts/${bigAccount.id}/relationship-map`)],
  ['contacts search 经理', get(cookies.admin, `/api/v1/contacts?q=${encodeURIComponent('经理')}`)],
];
console.log(`\nbaseline (bare SQL, first page of 50): ${base.toFixed(2)} ms median of ${iterations}\n`);
console.log('| case | median ms | × baseline |\n|---|---:|---:|');
for (const [name, fn] of cases) {
  const ms = await time(fn);
  console.log(`| ${name} | ${ms.toFixed(2)} | ${(ms / base).toFixed(1)} |`);
}
await app.close();
if ('dispose' in db) await (db as { dispose(): Promise<void> }).dispose();
else await db.close();
fs.rmSync(dir, { recursive: true, force: true });
