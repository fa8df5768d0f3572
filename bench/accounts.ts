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
import { sql } from 'kysely';
import { startBench } from './harness.ts';

const bench = await startBench(30);
const kysely = bench.db.kysely;
const ws = bench.workspaceId;
const bigAccount = await kysely
  .selectFrom('accounts')
  .select('id')
  .where('name', '=', '深圳市华为技术有限公司')
  .executeTakeFirstOrThrow();

// Baseline: the same first page as bare SQL.
const baseline = bench.db.sqlite
  ? (() => {
      const stmt = bench.db.sqlite.prepare(
        'select id, name, owner_id, tier from accounts where workspace_id = ? and archived_at is null order by updated_at desc, id desc limit 50',
      );
      return async () => stmt.all(ws);
    })()
  : async () =>
      sql`select id, name, owner_id, tier from accounts where workspace_id = ${ws} and archived_at is null order by updated_at desc, id desc limit 50`.execute(
        kysely,
      );

await bench.report('bare SQL, first page of 50', baseline, [
  ['list page 1, admin (whole workspace)', bench.get('admin', '/api/v1/accounts?limit=50')],
  ['list page 1, manager (subtree)', bench.get('manager', '/api/v1/accounts?limit=50')],
  ['list page 1, rep (own + team + pool)', bench.get('rep', '/api/v1/accounts?limit=50')],
  ['list page 20, admin, by name', bench.get('admin', '/api/v1/accounts?limit=50&offset=950&sort=name')],
  [
    'search 华为 (names, codes, contacts), admin',
    bench.get('admin', `/api/v1/accounts?q=${encodeURIComponent('华为')}`),
  ],
  ['search by contact mobile prefix, manager', bench.get('manager', '/api/v1/accounts?q=1390')],
  ['overdue follow-ups, manager', bench.get('manager', '/api/v1/accounts?overdue=true')],
  ['account detail', bench.get('admin', `/api/v1/accounts/${bigAccount.id}`)],
  ['relationship map', bench.get('admin', `/api/v1/accounts/${bigAccount.id}/relationship-map`)],
  ['contacts search 经理', bench.get('admin', `/api/v1/contacts?q=${encodeURIComponent('经理')}`)],
]);
await bench.close();
