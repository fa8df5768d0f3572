import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { KyselyPlugin } from 'kysely';
import { buildApp } from '../../src/server/app.ts';
import { loadConfig } from '../../src/config.ts';
import { testEngines, createTestDb, type TestDb } from '../helpers/db.ts';
import { explainPostgres, explainSqlite, pgIndexTables, realisticSqliteStats, type Recorded } from './explain.ts';
import { seedExtras, seedWorkspace, sessionCookie, type Extras, type Fixture, type TestApp } from '../helpers/app.ts';

/**
 * Query plans of the hot reads (issue 8): for every role, the account, contact and opportunity
 * lists in their default order, the board, the details, the timelines, search, the pool and the
 * funnel. Every statement a request runs is recorded as the server runs it and explained with
 * its parameters — EXPLAIN QUERY PLAN on SQLite; EXPLAIN (FORMAT JSON) on PostgreSQL with
 * sequential scans and sorts priced out, so the plan shows whether an index *can* serve the
 * query, not what a tiny fixture makes cheapest. No statement may read a large table whole,
 * and the page query of a list may not sort the rows of a whole workspace or subtree.
 * Dropping an index a plan needs fails this test (KEYLINE_PLANS=print shows the plans). The
 * background jobs' reads are held to theirs in job-plans.test.ts; how a plan is read, explain.ts.
 */

const ACTORS = ['admin', 'manager', 'rep', 'presales'] as const;
type ActorName = (typeof ACTORS)[number];

interface HotRead {
  name: string;
  url: string;
  /** The page of a list in its default order: the index must give that order (no sort of the whole scope). */
  ordered?: boolean;
  /** Its capped count over a subtree (a manager's, or narrowed to a unit) reads the subtree's rows by their units. */
  countsSubtree?: 'manager' | 'everyone';
  /** The board: no deal numbered, and each column's cards read by an index from its stage. */
  board?: boolean;
  /** Whose statements PostgreSQL runs on a generic plan (shapedQueries' genericPlan): explained on it too. */
  generic?: (actor: ActorName) => boolean;
  /** The attention list: no deal numbered or summed over a workspace or subtree (its counts stop at the cap). */
  attention?: boolean;
  /** The desk's cards (migration 0046): the overdue page walked in its order, the closing page by the close date. */
  desk?: boolean;
}

const everyone = () => true;
const notManager = (actor: ActorName) => actor !== 'manager';

function hotReads(fixture: Fixture & Extras): HotRead[] {
  const { repAccount } = fixture.accounts;
  const { repOpp } = fixture.opportunities;
  const processId = fixture.processes.small.id;
  const { east } = fixture.units;
  return [
    { name: 'account list', url: '/api/v1/accounts', ordered: true, countsSubtree: 'manager' },
    { name: 'account list of a region', url: `/api/v1/accounts?orgUnitId=${east}`, countsSubtree: 'everyone' },
    { name: 'contact list', url: '/api/v1/contacts', ordered: true, countsSubtree: 'manager' },
    { name: 'contact list of a region', url: `/api/v1/contacts?orgUnitId=${east}`, countsSubtree: 'everyone' },
    { name: 'opportunity list', url: '/api/v1/opportunities', ordered: true },
    // Needs attention (migration 0041): the page walks its index in order; the counts read by unit and stage.
    { name: 'attention list', url: '/api/v1/opportunities/attention', ordered: true, attention: true },
    {
      name: 'attention list, stalled',
      url: '/api/v1/opportunities/attention?problem=stalled',
      ordered: true,
      attention: true,
    },
    {
      name: 'attention list, advantage lost',
      url: '/api/v1/opportunities/attention?problem=advantage_lost',
      ordered: true,
      attention: true,
    },
    // A region manager's desk (migration 0046): the overdue accounts walked in the card's order, the
    // deals closing this month read by their close date (unit by unit or in the page's order).
    { name: 'desk', url: '/api/v1/desk?limit=5', desk: true },
    { name: 'board', url: `/api/v1/opportunities/board?processId=${processId}`, board: true, generic: notManager },
    { name: 'board of every process', url: '/api/v1/opportunities/board', board: true, generic: scopedRole },
    { name: 'account detail', url: `/api/v1/accounts/${repAccount}`, generic: everyone },
    { name: 'opportunity detail', url: `/api/v1/opportunities/${repOpp}`, generic: everyone },
    { name: 'account timeline', url: `/api/v1/accounts/${repAccount}/timeline`, generic: everyone },
    { name: 'opportunity timeline', url: `/api/v1/opportunities/${repOpp}/timeline`, generic: everyone },
    { name: 'search', url: `/api/v1/search?q=${encodeURIComponent('华为')}` },
    // Initials: the text's and the initials' candidates united drive the look-up.
    { name: 'search by initials', url: '/api/v1/search?q=zw' },
    { name: 'pool', url: '/api/v1/pool', ordered: true },
    { name: 'funnel', url: `/api/v1/funnel?processId=${processId}` },
    // An export reads the list page by page after the last id (keyset): each page in id order, never a sort of
    // the whole scope (at the scale set a sorted page of the opportunity export took 7–22 s).
    { name: 'account export', url: '/api/v1/accounts/export?format=csv', ordered: true },
    { name: 'contact export', url: '/api/v1/contacts/export?format=csv', ordered: true },
    { name: 'opportunity export', url: '/api/v1/opportunities/export?format=csv', ordered: true },
  ];
}

for (const engine of testEngines()) {
  describe(`Query plans of the hot reads [${engine}]`, () => {
    let db: TestDb;
    let testApp: TestApp;
    const recorded: Recorded[] = [];
    before(async () => {
      db = await createTestDb(engine);
      const recorder: KyselyPlugin = {
        transformQuery({ node, queryId }) {
          recorded.push(db.kysely.getExecutor().compileQuery(node, queryId));
          return node;
        },
        transformResult: async ({ result }) => result,
      };
      const config = loadConfig({ KEYLINE_DATA_DIR: '/tmp/keyline-unused', LOG_LEVEL: 'silent' });
      const app = await buildApp({ ...db, kysely: db.kysely.withPlugin(recorder) }, config, { logger: false });
      await app.ready();
      testApp = {
        engine,
        db,
        app,
        config,
        close: async () => {
          await app.close();
          await db.dispose();
        },
      };
    });
    after(() => testApp.close());

    it('no hot read scans a large table whole; list pages come in index order', async () => {
      const fixture = await seedWorkspace(testApp, 'plans');
      const full: Fixture & Extras = { ...fixture, ...(await seedExtras(testApp, fixture)) };
      if (engine === 'sqlite') await realisticSqliteStats(db);
      const indexTables = engine === 'postgres' ? await pgIndexTables(db) : new Map<string, string>();
      const problems: string[] = [];
      const printed: string[] = [];
      for (const actor of ACTORS) {
        const cookie = await sessionCookie(testApp, full.workspaceId, full.users[actor].id);
        for (const read of hotReads(full)) {
          recorded.length = 0;
          const res = await testApp.app.inject({ method: 'GET', url: read.url, headers: { cookie } });
          assert.ok(res.statusCode < 500, `${actor} ${read.url}: ${res.body}`);
          // The recorder sees a statement's parts too: a part that reads a WITH of its statement
          // (the timeline's deals in view) cannot be explained alone; its statement is.
          const withNames = new Set(
            recorded.flatMap((r) => [...r.sql.matchAll(/(?:\bwith|,)\s+"(\w+)"\s+as\s*\(/gi)].map((m) => m[1]!)),
          );
          const readsOuterWith = (text: string) =>
            [...withNames].some(
              (name) =>
                text.includes(`"${name}"`) && !new RegExp(`(\\bwith|,)\\s+"${name}"\\s+as\\s*\\(`, 'i').test(text),
            );
          const statements = recorded.filter(
            (r) => /^\s*(with|select)\b/i.test(r.sql) && !/"sessions"/.test(r.sql) && !readsOuterWith(r.sql),
          );
          const plans = engine === 'postgres' && read.generic?.(actor) ? [false, true] : [false];
          for (const [statement, generic] of statements.flatMap((r) => plans.map((on) => [r, on] as const))) {
            const finding =
              engine === 'sqlite'
                ? await explainSqlite(db, statement)
                : await explainPostgres(db, statement, indexTables, generic);
            const where = `${read.name} as ${actor}${generic ? ', generic plan' : ''} (${res.statusCode})`;
            printed.push(`-- ${where}\n${statement.sql}\n${finding.plan}\n`);
            if (finding.fullScans.length && !(isCount(statement.sql) && !scopedRole(actor)))
              problems.push(
                `${where}: full scan of ${finding.fullScans.join(', ')}\n${statement.sql}\n${finding.plan}`,
              );
            // PostgreSQL's statistics are the fixture's (a few rows), so which index it picks says
            // nothing there; SQLite plans with the statistics of a million rows (realisticSqliteStats).
            if (engine === 'sqlite' && scopedRole(actor) && finding.workspaceReads.length)
              problems.push(
                `${where}: reads the whole workspace's ${finding.workspaceReads.join(', ')}\n${statement.sql}\n${finding.plan}`,
              );
            if (
              engine === 'sqlite' &&
              isCount(statement.sql) &&
              (read.countsSubtree === 'everyone' || (read.countsSubtree === 'manager' && actor === 'manager')) &&
              (finding.workspaceReads.length || finding.fullScans.length)
            )
              problems.push(
                `${where}: the capped count walks the workspace, not the subtree's units\n${statement.sql}\n${finding.plan}`,
              );
            // The fixture's statistics make any plan start from the few units; at the scale set
            // SQLite's own (sampled) statistics made it walk the workspace testing each row's path
            // (1.27 s). The count names the subtree's units itself, so no statistics can lose them.
            if (
              isCount(statement.sql) &&
              !scopedRole(actor) &&
              (read.countsSubtree === 'everyone' || (read.countsSubtree === 'manager' && actor === 'manager')) &&
              !/"accounts"\."org_unit_id" in \(select\b/.test(statement.sql)
            )
              problems.push(`${where}: the capped count does not list the subtree's units\n${statement.sql}`);
            // A rep's or a presales engineer's few deals (by owner and team) may be numbered in
            // one read; a workspace's or a subtree's board is read column by column: its reads of
            // deals start from a stage (the cards), the day won (the won column) or an owner —
            // never every open deal of the process or the workspace.
            if (read.board && /\bover\s*\(/i.test(statement.sql) && !scopedRole(actor))
              problems.push(`${where}: numbers the deals (a window function)\n${statement.sql}`);
            const unbounded = finding.opportunityReads.filter(
              (how) => !/\b(stage_id|closed_at|owner_id|rowid)\b/.test(how),
            );
            if (read.board && engine === 'sqlite' && !scopedRole(actor) && unbounded.length)
              problems.push(`${where}: reads deals by ${unbounded.join(', ')}\n${statement.sql}\n${finding.plan}`);
            // The attention list over a workspace or a subtree: no pass summing every open deal; its
            // counts read the deals unit by unit (the stalled stage by stage) or the few marked.
            if (read.attention && !scopedRole(actor) && /\bsum\(/i.test(statement.sql))
              problems.push(`${where}: sums the open deals in reach\n${statement.sql}`);
            const byUnit =
              /opportunities_ws_unit_stage_entered|opportunities_ws_unit_plan|opportunities_ws_advantage_lost/;
            if (
              read.attention &&
              engine === 'sqlite' &&
              !scopedRole(actor) &&
              /^select \(select count\(\*\)/i.test(statement.sql) &&
              finding.opportunityReads.some((how) => !byUnit.test(how))
            )
              problems.push(`${where}: counts not read unit by unit\n${statement.sql}\n${finding.plan}`);
            // The desk of a workspace or a subtree: at the scale set the overdue page read every account
            // not in the pool and sorted them by tier (0.98 s on SQLite), the closing page and its
            // totals every open deal of each of the region's units (0.58 s and 0.86 s).
            if (read.desk && !scopedRole(actor)) {
              const overduePage =
                isPageOf(statement.sql) && /coalesce\("accounts"\."last_follow_up_at"/.test(statement.sql);
              // The page only: for the totals the fixture's few stages make reading by stage look cheaper
              // to either engine (at the scale set SQLite reads them by unit and close date).
              const closingPage =
                isPageOf(statement.sql) && /"opportunities"\."expected_close_date" >= /.test(statement.sql);
              if (overduePage && (!/accounts_ws_overdue_tier/.test(finding.plan) || finding.sortsWholeScope))
                problems.push(
                  `${where}: the overdue page is not walked in its order\n${statement.sql}\n${finding.plan}`,
                );
              if (closingPage && !/opportunities_ws_(open|unit)_close\b/.test(finding.plan))
                problems.push(
                  `${where}: the closing deals are not read by their close date\n${statement.sql}\n${finding.plan}`,
                );
            }
            if (read.ordered && isPageOf(statement.sql) && finding.sortsWholeScope && orderedRole(actor))
              problems.push(`${where}: the page is sorted, not read in index order\n${statement.sql}\n${finding.plan}`);
          }
        }
      }
      if (process.env.KEYLINE_PLANS === 'print') console.log(printed.join('\n'));
      assert.deepEqual(problems, [], problems.join('\n\n'));
    });
  });
}

/**
 * A list's total (and the opportunity list's totals row beside it). Over a workspace or a
 * subtree it reads every row in scope (a known gap of issue 8), so only a scoped role's total
 * is held to the rules here.
 */
const isCount = (text: string) =>
  // The capped count's inner read (src/db/counts.ts) is recorded on its own; it stops at the cap.
  /^select count\(\*\) as "n"(,| from\b)/i.test(text) || /^select 1 as "one" from\b.*\blimit \?$/is.test(text);

/** The statement that reads a list's page (its LIMIT), not a count or the names beside it. */
const isPageOf = (text: string) => /\blimit\b/i.test(text) && /\border by\b/i.test(text);

/**
 * A role whose scope is the workspace reads list pages in index order. A manager's subtree is
 * found by its units (an index) and sorted, bounded by the subtree; a rep's or a presales
 * engineer's rows by owner and team (indexes), few enough to sort — but never by reading the
 * whole workspace.
 */
const orderedRole = (actor: ActorName) => actor === 'admin';
const scopedRole = (actor: ActorName) => actor === 'rep' || actor === 'presales';
