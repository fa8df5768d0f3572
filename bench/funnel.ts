/**
 * The live funnel at scale (docs/targets.md § Funnel): 100,000 accounts, 1,000,000 opportunities
 * and 2,000 reps on one process. Each case is timed as p95 (and median) of requests through the
 * real app, next to the raw SQL baseline measured in the same run: the plain GROUP BY over the
 * deals that the kept totals replace, and for the per-member table also the SQL it runs itself.
 *
 *   node bench/funnel.ts [--iterations 200]                                          # SQLite
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres node bench/funnel.ts    # PostgreSQL
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { sql, type Kysely } from 'kysely';
import { loadConfig } from '../src/config.ts';
import { openDatabase } from '../src/db/database.ts';
import type { Database } from '../src/db/schema.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import { buildApp } from '../src/server/app.ts';
import { createWorkspace } from '../src/modules/workspace/service.ts';
import { insertSession } from '../src/modules/auth/repository.ts';
import { sessionIdOf } from '../src/modules/auth/service.ts';
import { rebuildFunnel } from '../src/modules/funnel/upkeep.ts';
import { createTestDb } from '../test/helpers/db.ts';

const { values } = parseArgs({
  options: {
    iterations: { type: 'string', default: '200' },
    'base-iterations': { type: 'string', default: '20' },
    deals: { type: 'string', default: '1000000' },
    only: { type: 'string', default: '' },
  },
});
const ITER = Number(values.iterations);
// A GROUP BY over a million deals takes a second or more: fewer runs of the baselines keep the bench within minutes.
const BASE_ITER = Number(values['base-iterations']);
const DEALS = Number(values.deals);
const REPS = 2000;
const ACCOUNTS = 100_000;

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keyline-funnel-'));
const db = process.env.DATABASE_URL
  ? await createTestDb('postgres')
  : openDatabase({ sqliteFile: path.join(dir, 'keyline.db') });
await migrateToLatest(db);
const kysely: Kysely<Database> = db.kysely;
const now = Date.now();
const t0 = performance.now();
const ws = await createWorkspace(
  kysely,
  { name: '华锐智造集团', admin: { email: 'admin@bench.test', name: '管理员', passwordHash: 'x' } },
  now,
);
const workspaceId = ws.workspaceId;

// The tree: group → 10 regions → 4 branches each → 5 teams each = 200 teams of 10 reps.
async function unit(parentId: number, parentPath: string, name: string, type: string) {
  const id = (
    await kysely
      .insertInto('org_units')
      .values({
        workspace_id: workspaceId,
        parent_id: parentId,
        name,
        type,
        path: '/',
        sort_order: 0,
        created_at: now,
        updated_at: now,
        version: 1,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
  ).id;
  await kysely
    .updateTable('org_units')
    .set({ path: `${parentPath}${id}/` })
    .where('id', '=', id)
    .execute();
  return { id, path: `${parentPath}${id}/` };
}
const root = { id: ws.rootUnitId, path: `/${ws.rootUnitId}/` };
const teams: { id: number; path: string }[] = [];
const regions: { id: number; path: string }[] = [];
for (let regionIndex = 0; regionIndex < 10; regionIndex++) {
  const region = await unit(root.id, root.path, `大区${regionIndex + 1}`, 'region');
  regions.push(region);
  for (let branchIndex = 0; branchIndex < 4; branchIndex++) {
    const branch = await unit(region.id, region.path, `分公司${regionIndex + 1}-${branchIndex + 1}`, 'branch');
    for (let teamIndex = 0; teamIndex < 5; teamIndex++)
      teams.push(await unit(branch.id, branch.path, `销售${teamIndex + 1}部`, 'team'));
  }
}
const userRows = Array.from({ length: REPS }, (_, index) => ({
  workspace_id: workspaceId,
  org_unit_id: teams[Math.floor(index / 10)]!.id,
  email: `rep${index}@bench.test`,
  name: `销售${index}`,
  role: 'rep',
  password_hash: 'x',
  active: 1,
  locale: 'zh-CN',
  can_export: 0,
  created_at: now,
  updated_at: now,
  version: 1,
}));
const repIds: number[] = [];
for (let i = 0; i < userRows.length; i += 500)
  repIds.push(
    ...(
      await kysely
        .insertInto('users')
        .values(userRows.slice(i, i + 500))
        .returning('id')
        .execute()
    ).map((r) => r.id),
  );
const managerId = (
  await kysely
    .insertInto('users')
    .values({
      workspace_id: workspaceId,
      org_unit_id: regions[0]!.id,
      email: 'manager@bench.test',
      name: '大区经理',
      role: 'manager',
      password_hash: 'x',
      active: 1,
      locale: 'zh-CN',
      can_export: 0,
      created_at: now,
      updated_at: now,
      version: 1,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
).id;

const accountIds: number[] = [];
for (let i = 0; i < ACCOUNTS; i += 1000) {
  const rows = Array.from({ length: Math.min(1000, ACCOUNTS - i) }, (_, index) => ({
    workspace_id: workspaceId,
    name: `客户${i + index}有限公司`,
    name_key: `客户${i + index}`,
    owner_id: repIds[(i + index) % REPS]!,
    org_unit_id: teams[Math.floor(((i + index) % REPS) / 10)]!.id,
    created_at: now,
    updated_at: now,
    version: 1,
  }));
  accountIds.push(...(await kysely.insertInto('accounts').values(rows).returning('id').execute()).map((r) => r.id));
}
const process1 = await kysely
  .selectFrom('sales_processes')
  .select('id')
  .where('workspace_id', '=', workspaceId)
  .where('template_key', '=', 'small')
  .executeTakeFirstOrThrow();
const stages = await kysely
  .selectFrom('process_stages')
  .select(['id', 'is_won'])
  .where('process_id', '=', process1.id)
  .orderBy('position')
  .execute();
const open = stages.filter((s) => s.is_won !== 1).map((s) => s.id);
const wonStage = stages.find((s) => s.is_won === 1)!.id;
// mulberry32: a fixed, well-spread sequence (a float LCG loses bits past 2^53 and cycles early).
let seed = 42;
const rnd = () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let hash = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  hash = (hash + Math.imul(hash ^ (hash >>> 7), 61 | hash)) ^ hash;
  return ((hash ^ (hash >>> 14)) >>> 0) / 4_294_967_296;
};
const months = Array.from(
  { length: 24 },
  (_, m) => `${2026 + Math.floor(m / 12)}-${String((m % 12) + 1).padStart(2, '0')}`,
);
// Rows through the driver 1,000 at a time on SQLite (in-process); on PostgreSQL a million
// round trips of parameters took longer than a session has, so the server makes them itself.
if (db.engine === 'postgres') await generateDealsInPostgres();
else await generateDeals();

async function generateDeals() {
  for (let i = 0; i < DEALS; i += 1000) {
    const rows = Array.from({ length: Math.min(1000, DEALS - i) }, () => {
      const accountIndex = Math.floor(rnd() * ACCOUNTS);
      const owner = accountIndex % REPS;
      const roll = rnd();
      const status = roll < 0.4 ? 'open' : roll < 0.75 ? 'won' : 'lost';
      const close = `${months[Math.floor(rnd() * 24)]}-${String(1 + Math.floor(rnd() * 28)).padStart(2, '0')}`;
      const amount = Math.round(10_000_00 * Math.exp(rnd() * Math.log(100)));
      return {
        workspace_id: workspaceId,
        account_id: accountIds[accountIndex]!,
        name: `项目${i}`,
        owner_id: repIds[owner]!,
        org_unit_id: teams[Math.floor(owner / 10)]!.id,
        amount,
        status,
        expected_close_date: close,
        closed_at: status === 'open' ? null : now,
        process_id: process1.id,
        stage_id: status === 'won' ? wonStage : open[Math.floor(rnd() * open.length)]!,
        stage_entered_at: now - Math.floor(rnd() * 90) * 86_400_000,
        created_at: now,
        updated_at: now,
        version: 1,
      };
    });
    await kysely.insertInto('opportunities').values(rows).execute();
  }
}

/**
 * The same distribution made by PostgreSQL in one INSERT … SELECT over generate_series: an
 * account drawn at random (its owner and unit with it, as above), 40% open / 35% won / 25% lost,
 * a close date in 2026–2027, an amount log-uniform between ¥10,000 and ¥1,000,000.
 */
async function generateDealsInPostgres() {
  await sql`select setseed(0.42)`.execute(kysely);
  const openStages = sql.raw(`array[${open.join(',')}]::bigint[]`);
  await sql`
    with drawn as (
      select g, floor(random() * ${ACCOUNTS})::int as account_index, random() as roll, floor(random() * 24)::int as month,
             1 + floor(random() * 28)::int as day, random() as size, random() as stage, floor(random() * 90)::int as age
      from generate_series(0, ${DEALS - 1}) as g
    ), numbered as (
      select id, owner_id, org_unit_id, (row_number() over (order by id))::int - 1 as account_index
      from accounts where workspace_id = ${workspaceId}
    ), deals as (
      select drawn.*, numbered.id as account_id, numbered.owner_id, numbered.org_unit_id,
             case when roll < 0.4 then 'open' when roll < 0.75 then 'won' else 'lost' end as status
      from drawn join numbered using (account_index)
    )
    insert into opportunities (workspace_id, account_id, name, owner_id, org_unit_id, amount, status, expected_close_date,
      closed_at, process_id, stage_id, stage_entered_at, created_at, updated_at, version)
    select ${workspaceId}, account_id, '项目' || g, owner_id, org_unit_id, round(${10_000_00}::float8 * exp(size * ln(100)))::bigint,
      status, to_char(make_date(2026 + month / 12, month % 12 + 1, day), 'YYYY-MM-DD'),
      case when status = 'open' then null else ${now}::bigint end, ${process1.id},
      case when status = 'won' then ${wonStage}::bigint else (${openStages})[1 + floor(stage * ${open.length})::int] end,
      ${now}::bigint - age * 86400000::bigint, ${now}::bigint, ${now}::bigint, 1
    from deals`.execute(kysely);
}
await rebuildFunnel(kysely, workspaceId);
if (db.engine === 'postgres') await sql`analyze`.execute(kysely);
else await sql`analyze`.execute(kysely);
const totals = await kysely
  .selectFrom('funnel_totals')
  .select((eb) => eb.fn.countAll<number>().as('n'))
  .executeTakeFirstOrThrow();
const unitTotals = await kysely
  .selectFrom('funnel_unit_totals')
  .select((eb) => eb.fn.countAll<number>().as('n'))
  .executeTakeFirstOrThrow();
console.log(
  `engine ${db.engine}: ${ACCOUNTS} accounts, ${DEALS} opportunities, ${REPS} reps, ${teams.length + 51} units — generated in ${((performance.now() - t0) / 1000).toFixed(0)} s; ${totals.n} per-owner and ${unitTotals.n} subtree total rows`,
);

const app = await buildApp(db, { ...loadConfig({ KEYLINE_DATA_DIR: dir }), logLevel: 'silent' }, { logger: false });
await app.ready();
const cookie = async (userId: number, name: string) => {
  await insertSession(kysely, {
    id: sessionIdOf(`bench-${name}`),
    workspaceId: workspaceId,
    userId,
    now: Date.now(),
    expiresAt: Date.now() + 3_600_000,
    ip: null,
    userAgent: 'bench',
  });
  return `keyline_session=bench-${name}`;
};
const admin = await cookie(ws.adminId, 'admin');
const manager = await cookie(managerId, 'manager');
const rep = await cookie(repIds[7]!, 'rep');
const get = (cookieHeader: string, url: string) => async () => {
  const res = await app.inject({ method: 'GET', url, headers: { cookie: cookieHeader } });
  if (res.statusCode !== 200) throw new Error(`${url}: ${res.statusCode} ${res.body.slice(0, 300)}`);
};

async function time(fn: () => Promise<unknown>, iterations = ITER): Promise<{ p50: number; p95: number }> {
  for (let i = 0; i < Math.min(10, iterations); i++) await fn();
  const samples: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const start = performance.now();
    await fn();
    samples.push(performance.now() - start);
  }
  samples.sort((a, b) => a - b);
  return { p50: samples[Math.floor(iterations * 0.5)]!, p95: samples[Math.floor(iterations * 0.95)]! };
}

// The period every case reads: the current fiscal quarter, which (running) also holds the overdue open deals.
const quarter = json(await app.inject({ method: 'GET', url: '/api/v1/funnel', headers: { cookie: admin } })).period as {
  start: string;
  end: string;
  name: string;
};
function json(res: { body: string }) {
  return JSON.parse(res.body) as Record<string, unknown>;
}
const processId = process1.id;
const raw = (where: ReturnType<typeof sql>) => async () =>
  sql`select stage_id, count(*) as n, sum(amount) as amount from opportunities
      where workspace_id = ${workspaceId} and process_id = ${processId} and status = 'open' and expected_close_date < ${quarter.end} and ${where} group by stage_id`.execute(
    kysely,
  );
const region = regions[0]!;
const cases: [string, () => Promise<unknown>, string, () => Promise<unknown>, number][] = [
  [
    'floor: GET /auth/me (session, no report)',
    get(admin, '/api/v1/auth/me'),
    'select 1',
    async () => sql`select 1`.execute(kysely),
    0,
  ],
  [
    'company-wide funnel (admin)',
    get(admin, `/api/v1/funnel?scope=workspace&processId=${processId}`),
    'GROUP BY over the deals',
    raw(sql`true`),
    10,
  ],
  [
    "a region's funnel (200 reps, manager)",
    get(manager, `/api/v1/funnel?scope=unit:${region.id}&processId=${processId}`),
    "GROUP BY over the region's deals",
    raw(
      sql`org_unit_id in (select id from org_units where workspace_id = ${workspaceId} and path like ${`${region.path}%`})`,
    ),
    10,
  ],
  [
    "one rep's funnel (rep)",
    get(rep, `/api/v1/funnel?processId=${processId}`),
    "GROUP BY over the rep's deals",
    raw(sql`owner_id = ${repIds[7]!}`),
    2,
  ],
  [
    'per-member table, 2,000 people (admin)',
    get(admin, `/api/v1/funnel/members?scope=workspace&processId=${processId}`),
    'GROUP BY owner, stage over the deals',
    async () =>
      sql`select owner_id, stage_id, count(*), sum(amount) from opportunities where workspace_id = ${workspaceId} and process_id = ${processId} and status = 'open' and expected_close_date < ${quarter.end} group by owner_id, stage_id`.execute(
        kysely,
      ),
    0,
  ],
];
console.log(
  `\nperiod ${quarter.name} (running: open deals expected to close before ${quarter.end}, overdue included); ${ITER} requests per case, ${BASE_ITER} runs per GROUP BY baseline\n`,
);
console.log(
  '| case | p50 ms | p95 ms | target | raw SQL baseline | baseline p50 ms | baseline p95 ms |\n|---|---:|---:|---:|---|---:|---:|',
);
for (const [name, fn, baseName, base, target] of cases) {
  if (values.only && !name.includes(values.only)) continue;
  const measured = await time(fn);
  const baseline = await time(base, name.startsWith('floor') ? ITER : BASE_ITER);
  console.log(
    `| ${name} | ${measured.p50.toFixed(2)} | ${measured.p95.toFixed(2)} | ${target ? `≤ ${target}` : name.startsWith('per-member') ? '≤ 1.5× its SQL' : '—'} | ${baseName} | ${baseline.p50.toFixed(2)} | ${baseline.p95.toFixed(2)} |`,
  );
}
// The per-member table against the SQL it runs itself: one GROUP BY over the per-owner totals
// (the quarter's open deals, overdue included, and what it won), and the people of the scope.
const memberTotals = async () =>
  sql`select owner_id, stage_id, status, sum(deals), sum(amount) from funnel_totals where workspace_id = ${workspaceId} and process_id = ${processId} and ((status = 'open' and close_month >= '0' and close_month <= ${quarter.end.slice(0, 7)}) or (status = 'won' and close_month >= ${quarter.start.slice(0, 7)} and close_month <= ${quarter.end.slice(0, 7)})) group by owner_id, stage_id, status`.execute(
    kysely,
  );
const people = async () =>
  sql`select users.id, users.name, users.org_unit_id, org_units.name from users join org_units on org_units.id = users.org_unit_id where users.workspace_id = ${workspaceId} and users.active = 1`.execute(
    kysely,
  );
// Interleaved, so that both feel the same neighbours on a shared machine. The table is asked
// for through inject (which buffers the answer twice more than a socket does) and over HTTP.
const membersUrl = `/api/v1/funnel/members?scope=workspace&processId=${processId}`;
const origin = await app.listen({ host: '127.0.0.1', port: 0 });
let bytes = 0;
const overHttp = async () => {
  const res = await fetch(`${origin}${membersUrl}`, { headers: { cookie: admin } });
  bytes = (await res.text()).length;
  if (res.status !== 200) throw new Error(`${membersUrl}: ${res.status}`);
};
const samples = { inject: [] as number[], http: [] as number[], sql: [] as number[] };
const timed = async (into: number[], fn: () => Promise<unknown>) => {
  const start = performance.now();
  await fn();
  into.push(performance.now() - start);
};
for (let i = 0; i < 10; i++) await Promise.all([get(admin, membersUrl)(), overHttp()]);
for (let i = 0; i < ITER; i++) {
  await timed(samples.inject, get(admin, membersUrl));
  await timed(samples.http, overHttp);
  await timed(samples.sql, async () => {
    await memberTotals();
    await people();
  });
}
const pct = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length * q)]!;
const sql50 = pct(samples.sql, 0.5);
const sql95 = pct(samples.sql, 0.95);
console.log(
  `\nper-member table (${REPS} people, ${(bytes / 1024).toFixed(0)} KiB of JSON) vs the SQL it runs (the per-owner totals of the quarter in one GROUP BY, then the people): SQL p50 ${sql50.toFixed(2)} ms, p95 ${sql95.toFixed(2)} ms; target ≤ ×1.5`,
);
for (const via of ['inject', 'http'] as const) {
  const p50 = pct(samples[via], 0.5);
  const p95 = pct(samples[via], 0.95);
  console.log(
    `  ${via === 'http' ? 'over HTTP' : 'inject   '}: p50 ${p50.toFixed(2)} ms → ×${(p50 / sql50).toFixed(2)}, p95 ${p95.toFixed(2)} ms → ×${(p95 / sql95).toFixed(2)}`,
  );
}
await app.close();
if ('dispose' in db) await (db as { dispose(): Promise<void> }).dispose();
else await db.close();
fs.rmSync(dir, { recursive: true, force: true });
