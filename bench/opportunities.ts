/**
 * Opportunity board, list, "needs attention", detail and timeline latency on generated data, as ratios to
 * a baseline measured in the same run: the bare SQL for the first page of open opportunities
 * (prepared statement on SQLite, plain query on PostgreSQL), without HTTP, validation or scoping.
 *
 *   node bench/opportunities.ts [--scale 30] [--iterations 40]      # SQLite
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres node bench/opportunities.ts
 *
 * scale 1 = the demo company (~600 opportunities in four processes); scale 30 ≈ 18,000.
 */
import { sql } from 'kysely';
import { startBench } from './harness.ts';

const bench = await startBench(30);
const kysely = bench.db.kysely;
const ws = bench.workspaceId;
// The process with the most open opportunities, and its busiest open opportunity.
const busiest = await kysely
  .selectFrom('opportunities')
  .select(['process_id', (eb) => eb.fn.countAll<number>().as('n')])
  .where('workspace_id', '=', ws)
  .where('status', '=', 'open')
  .groupBy('process_id')
  .orderBy('n', 'desc')
  .executeTakeFirstOrThrow();
const opp = await kysely
  .selectFrom('opportunities')
  .select('id')
  .where('workspace_id', '=', ws)
  .where('process_id', '=', busiest.process_id)
  .where('status', '=', 'open')
  .orderBy('amount', 'desc')
  .executeTakeFirstOrThrow();
// The account with the most deals: the longest account timeline.
const account = await kysely
  .selectFrom('opportunities')
  .select(['account_id', (eb) => eb.fn.countAll<number>().as('n')])
  .where('workspace_id', '=', ws)
  .groupBy('account_id')
  .orderBy('n', 'desc')
  .executeTakeFirstOrThrow();
const today = new Date().toISOString().slice(0, 10);
const in90 = new Date(Date.now() + 90 * 86_400_000).toISOString().slice(0, 10);

const baseline = bench.db.sqlite
  ? (() => {
      const stmt = bench.db.sqlite.prepare(
        "select id, name, owner_id, amount, stage_id from opportunities where workspace_id = ? and status = 'open' order by updated_at desc, id desc limit 50",
      );
      return async () => stmt.all(ws);
    })()
  : async () =>
      sql`select id, name, owner_id, amount, stage_id from opportunities where workspace_id = ${ws} and status = 'open' order by updated_at desc, id desc limit 50`.execute(
        kysely,
      );

console.log(`busiest process ${busiest.process_id}: ${busiest.n} open opportunities`);
await bench.report('bare SQL, first page of 50 open opportunities', baseline, [
  [
    'board of the busiest process, admin',
    bench.get('admin', `/api/v1/opportunities/board?processId=${busiest.process_id}`),
  ],
  [
    'board of the busiest process, manager (subtree)',
    bench.get('manager', `/api/v1/opportunities/board?processId=${busiest.process_id}`),
  ],
  [
    'board of the busiest process, rep (own + team)',
    bench.get('rep', `/api/v1/opportunities/board?processId=${busiest.process_id}`),
  ],
  ['list page 1, open, admin', bench.get('admin', '/api/v1/opportunities?status=open&limit=50')],
  [
    'list page 1, manager, closing in 90 days',
    bench.get('manager', `/api/v1/opportunities?status=open&closeFrom=${today}&closeTo=${in90}&limit=50`),
  ],
  ['list page 10, admin, by amount', bench.get('admin', '/api/v1/opportunities?limit=50&offset=450&sort=-amount')],
  ['search 项目, admin', bench.get('admin', `/api/v1/opportunities?q=${encodeURIComponent('项目')}&limit=50`)],
  ['needs attention with counts, admin', bench.get('admin', '/api/v1/opportunities/attention?limit=20')],
  ['needs attention with counts, manager', bench.get('manager', '/api/v1/opportunities/attention?limit=20')],
  ['opportunity detail', bench.get('admin', `/api/v1/opportunities/${opp.id}`)],
  ['stage history', bench.get('admin', `/api/v1/opportunities/${opp.id}/stage-history`)],
  ['opportunity timeline, first page', bench.get('admin', `/api/v1/opportunities/${opp.id}/timeline`)],
  [
    `account timeline, first page (account with ${account.n} deals), admin`,
    bench.get('admin', `/api/v1/accounts/${account.account_id}/timeline`),
  ],
  [
    'account timeline, stage moves only, admin',
    bench.get('admin', `/api/v1/accounts/${account.account_id}/timeline?groups=stages`),
  ],
]);
await bench.close();
