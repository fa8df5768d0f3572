import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { CompiledQuery, sql, type KyselyPlugin } from 'kysely';
import { buildApp } from '../../src/server/app.ts';
import { loadConfig } from '../../src/config.ts';
import { testEngines, createTestDb, type TestDb } from '../helpers/db.ts';
import { onGenericPlan } from './generic-plan.ts';
import { generateNotifications } from '../../src/modules/notifications/service.ts';
import { dueAccountIds } from '../../src/modules/pool/repository/release.ts';
import { seedExtras, seedWorkspace, sessionCookie, type Extras, type Fixture, type TestApp } from '../helpers/app.ts';

/**
 * Query plans of the hot reads (issue 8): for every role, the account, contact and opportunity
 * lists in their default order, the board, the details, the timelines, search, the pool and the
 * funnel. Every statement a request runs is recorded as the server runs it and explained with
 * its parameters — EXPLAIN QUERY PLAN on SQLite; EXPLAIN (FORMAT JSON) on PostgreSQL with
 * sequential scans and sorts priced out, so the plan shows whether an index *can* serve the
 * query, not what a tiny fixture makes cheapest. No statement may read a large table whole,
 * and the page query of a list may not sort the rows of a whole workspace or subtree.
 * Dropping an index a plan needs fails this test (KEYLINE_PLANS=print shows the plans).
 */

/** Tables that grow with the business; a full scan of one of them is a failure. */
const LARGE = new Set([
  'accounts',
  'contacts',
  'opportunities',
  'opportunity_team',
  'activities',
  'activity_contacts',
  'record_history',
  'audit_log',
  'tasks',
  'buying_roles',
  'opportunity_stage_history',
  'attachments',
  'search_terms',
  'notifications',
]);

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

interface Recorded {
  sql: string;
  parameters: readonly unknown[];
}

interface Finding {
  /** Large tables read whole: no index, or an index walked from end to end. */
  fullScans: string[];
  /** Each read of `opportunities`: the index and what it is searched by ("" for a full scan). */
  opportunityReads: string[];
  /** Large tables read through an index on workspace_id alone: every row of the workspace. */
  workspaceReads: string[];
  sortsWholeScope: boolean;
  plan: string;
}

/** The tables behind the aliases a statement gives them ("accounts" as "owned"). */
function aliasesOf(text: string): Map<string, string> {
  const aliases = new Map<string, string>();
  for (const [, table, alias] of text.matchAll(/"(\w+)" as "(\w+)"/g)) aliases.set(alias!, table!);
  return aliases;
}

/**
 * Statistics of a workspace of a million rows per large table, for SQLite's planner. Without
 * them it guesses that `workspace_id = ?` finds ten rows, and reads by the workspace
 * everywhere; with them it knows the workspace is the whole table and an owner a few hundred
 * rows. Rows per distinct value, by column name (the planner uses nothing else).
 */
const ROWS = 1_000_000;
/** The organisation's tables are small but not tiny: a few hundred units, a few thousand people. */
const SMALL_ROWS: Record<string, number> = { org_units: 500, users: 5_000 };
const rowsOf = (table: string) => SMALL_ROWS[table] ?? ROWS;
const ROWS_PER_VALUE: Record<string, number> = {
  workspace_id: ROWS,
  id: 1,
  in_pool: ROWS / 2,
  // Nearly every row is not archived (null): no help in finding rows.
  archived_at: ROWS,
  status: ROWS / 3,
  entity_type: ROWS / 3,
  kind: ROWS / 6,
  field: ROWS / 10,
  process_id: ROWS / 5,
  stage_id: ROWS / 30,
  org_unit_id: ROWS / 100,
  // Three tiers; a close date is a day of the two years or so the open deals span.
  tier: ROWS / 3,
  expected_close_date: ROWS / 700,
  owner_id: 500,
  user_id: 500,
  assignee_id: 500,
  holder_user_id: 500,
  from_user_id: 500,
};

async function realisticSqliteStats(db: TestDb): Promise<void> {
  const indexes = await sql<{ name: string; tbl_name: string; sql: string }>`
    select name, tbl_name, sql from sqlite_schema where type = 'index' and sql is not null`.execute(db.kysely);
  await sql`analyze`.execute(db.kysely);
  await sql`delete from sqlite_stat1`.execute(db.kysely);
  // better-sqlite3 is built with STAT4: its samples of the tiny fixture would outweigh these.
  const stat4 = await sql`select name from sqlite_schema where name = 'sqlite_stat4'`.execute(db.kysely);
  if (stat4.rows.length) await sql`delete from sqlite_stat4`.execute(db.kysely);
  for (const index of indexes.rows.filter((i) => LARGE.has(i.tbl_name) || i.tbl_name in SMALL_ROWS)) {
    // A partial index holds the few rows of its condition (deals marked advantage lost), not the table.
    const total = / where /i.test(index.sql) ? rowsOf(index.tbl_name) / 1000 : rowsOf(index.tbl_name);
    const columns = await sql<{ name: string | null }>`select name from pragma_index_info(${index.name})`.execute(
      db.kysely,
    );
    // Each further column narrows what the ones before it found; an unknown column (a time, a name) is near unique.
    let rows = total;
    const stat = [String(total)];
    for (const column of columns.rows) {
      const perValue = column.name === 'workspace_id' ? total : (ROWS_PER_VALUE[column.name ?? ''] ?? 2);
      rows = Math.max(1, Math.min(rows, perValue));
      stat.push(String(rows));
    }
    await sql`insert into sqlite_stat1 (tbl, idx, stat) values (${index.tbl_name}, ${index.name}, ${stat.join(' ')})`.execute(
      db.kysely,
    );
  }
  for (const table of [...LARGE, ...Object.keys(SMALL_ROWS)])
    await sql`insert into sqlite_stat1 (tbl, idx, stat) values (${table}, null, ${String(rowsOf(table))})`.execute(
      db.kysely,
    );
  // Loads the statistics just written into the planner.
  await sql`analyze sqlite_schema`.execute(db.kysely);
}

async function explainSqlite(db: TestDb, query: Recorded): Promise<Finding> {
  const result = await db.kysely.executeQuery<{ id: number; parent: number; detail: string }>(
    CompiledQuery.raw(`explain query plan ${query.sql}`, [...query.parameters]),
  );
  const aliases = aliasesOf(query.sql);
  const tableOf = (name: string) => aliases.get(name) ?? name;
  const fullScans: string[] = [];
  const workspaceReads: string[] = [];
  const opportunityReads: string[] = [];
  let sortsWholeScope = false;
  for (const row of result.rows) {
    const read = /^(?:SCAN|SEARCH) (\w+)(.*)$/.exec(row.detail);
    if (read && tableOf(read[1]!) === 'opportunities') opportunityReads.push(read[2]!.trim());
    const scan = /^SCAN (\w+)( USING (?:COVERING )?INDEX \w+)?$/.exec(row.detail);
    if (scan && LARGE.has(tableOf(scan[1]!))) (scan[2] ? workspaceReads : fullScans).push(tableOf(scan[1]!));
    const search = /^SEARCH (\w+) USING (?:COVERING )?INDEX \w+ \(workspace_id=\?\)$/.exec(row.detail);
    if (search && LARGE.has(tableOf(search[1]!))) workspaceReads.push(tableOf(search[1]!));
    // The outermost statement's ORDER BY (a subquery's own order is another matter).
    if (/^USE TEMP B-TREE FOR (RIGHT PART OF )?ORDER BY/.test(row.detail) && row.parent === 0) sortsWholeScope = true;
  }
  return {
    fullScans,
    opportunityReads,
    workspaceReads,
    sortsWholeScope,
    plan: result.rows.map((r) => `${r.parent}/${r.id} ${r.detail}`).join('\n'),
  };
}

interface PgNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  Plans?: PgNode[];
  [key: string]: unknown;
}

/** Which table each index belongs to (a bitmap index scan names only the index). */
async function pgIndexTables(db: TestDb): Promise<Map<string, string>> {
  const rows = await sql<{ indexname: string; tablename: string }>`
    select indexname, tablename from pg_indexes where schemaname = current_schema()`.execute(db.kysely);
  return new Map(rows.rows.map((r) => [r.indexname, r.tablename]));
}

/** The plan PostgreSQL runs the statement on: for its values, or (generic) without them (generic-plan.ts). */
async function explainPostgres(db: TestDb, query: Recorded, indexTables: Map<string, string>, generic = false) {
  return db.kysely.connection().execute(async (conn) => {
    await sql`set enable_seqscan = off`.execute(conn);
    await sql`set enable_sort = off`.execute(conn);
    try {
      const explain = (what: CompiledQuery) =>
        conn.executeQuery<{ 'QUERY PLAN': [{ Plan: PgNode }] }>(
          CompiledQuery.raw(`explain (format json) ${what.sql}`, [...what.parameters]),
        );
      const result = generic
        ? await onGenericPlan(conn, query, explain)
        : await explain(CompiledQuery.raw(query.sql, [...query.parameters]));
      const root = result.rows[0]!['QUERY PLAN'][0].Plan;
      const fullScans: string[] = [];
      const workspaceReads: string[] = [];
      const lines: string[] = [];
      const walk = (node: PgNode, depth: number) => {
        const cond = typeof node['Index Cond'] === 'string' ? node['Index Cond'] : '';
        lines.push(
          `${'  '.repeat(depth)}${node['Node Type']}${node['Relation Name'] ? ` ${node['Relation Name']}` : ''}${node['Index Name'] ? ` using ${node['Index Name']}` : ''}${cond ? ` ${cond}` : ''}`,
        );
        const table = node['Relation Name'] ?? indexTables.get(node['Index Name'] ?? '') ?? '';
        if (LARGE.has(table)) {
          if (node['Node Type'] === 'Seq Scan') fullScans.push(table);
          else if (
            /Index/.test(node['Node Type']) &&
            (!cond || /^\(\(?(\w+\.)?workspace_id = (\$\d+|\d+)\)?\)$/.test(cond))
          )
            workspaceReads.push(table);
        }
        for (const child of node.Plans ?? []) walk(child, depth + 1);
      };
      walk(root, 0);
      // A sort at the top of the page query (under its Limit) orders the whole scope's rows. The
      // opportunity list's page reads its deals first and joins their names after (visible.ts,
      // sortedPageQuery): its Limit is down the outer side of those joins, and the sort above
      // them orders the page's rows only.
      let limit: PgNode | undefined = root;
      while (limit && limit['Node Type'] !== 'Limit') limit = limit.Plans?.[0];
      const top = limit ? limit.Plans?.[0] : root;
      const sortsWholeScope = top?.['Node Type'] === 'Sort' || top?.['Node Type'] === 'Incremental Sort';
      return { fullScans, opportunityReads: [], workspaceReads, sortsWholeScope, plan: lines.join('\n') };
    } finally {
      await sql`reset enable_seqscan`.execute(conn);
      await sql`reset enable_sort`.execute(conn);
    }
  });
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

    // The reminders job's reads of open deals (migration 0047): the checkpoints that came are a
    // range of creation instants, the stalled deals a walk of the open deals' index entries alone.
    // Without the index SQLite walked every deal of the workspace by its owner, each looked up in
    // the table (8–11 s a read at the scale set).
    it('the reminders job reads the open deals by their creation or from an index alone [issue 8]', async () => {
      await seedWorkspace(testApp, 'reminder-plans');
      if (engine === 'sqlite') await realisticSqliteStats(db);
      const indexTables = engine === 'postgres' ? await pgIndexTables(db) : new Map<string, string>();
      recorded.length = 0;
      await generateNotifications({ ...db, kysely: db.kysely.withPlugin(recorderInto(recorded, db)) }, Date.now());
      const reads = recorded.filter((r) => /^\s*select\b/i.test(r.sql) && /from "opportunities"/.test(r.sql));
      assert.ok(reads.length >= 5, `the job's reads of deals: ${reads.length}`);
      const problems: string[] = [];
      for (const statement of reads) {
        const finding =
          engine === 'sqlite' ? await explainSqlite(db, statement) : await explainPostgres(db, statement, indexTables);
        if (finding.fullScans.length)
          problems.push(`full scan of ${finding.fullScans.join(', ')}\n${statement.sql}\n${finding.plan}`);
        const unbounded = finding.opportunityReads.filter(
          (how) => !/created_at>\? AND created_at<\?|^USING COVERING INDEX|rowid=/.test(how),
        );
        if (engine === 'sqlite' && unbounded.length)
          problems.push(`reads deals by ${unbounded.join(', ')}\n${statement.sql}\n${finding.plan}`);
      }
      assert.deepEqual(problems, [], problems.join('\n\n'));
    });

    // The nightly pool release's candidates on PostgreSQL (migration 0050): accounts_ws_release
    // holds the id, so they are an index-only range; before it PostgreSQL visited each one's row
    // and at the scale set read the whole table with two parallel workers beside the lists. The
    // read runs without parallel workers (withoutParallelWorkers). SQLite's index entries carry
    // the id (its rowid) already, and its plan is told (INDEXED BY).
    it('the pool release reads the accounts due from its index alone, without parallel workers [issue 10]', async (context) => {
      if (engine !== 'postgres') return context.skip('PostgreSQL only: SQLite is told the index');
      const fixture = await seedWorkspace(testApp, 'release-plans');
      // Enough accounts, with statistics and a visibility map (vacuum), that the plan is chosen as at
      // scale and not for a tiny fixture.
      const now = Date.now();
      const accounts = Array.from({ length: 3_000 }, (_, index) => ({
        workspace_id: fixture.workspaceId,
        name: `待释放客户 ${index}`,
        name_key: `待释放客户 ${index}`,
        owner_id: index % 2 ? fixture.users.rep.id : fixture.users.rep2.id,
        org_unit_id: fixture.units.sales1,
        tier: ['A', 'B', 'C'][index % 3]!,
        tier_computed: 'C',
        created_at: now,
        updated_at: now,
        version: 1,
      }));
      for (let start = 0; start < accounts.length; start += 500)
        await db.kysely
          .insertInto('accounts')
          .values(accounts.slice(start, start + 500))
          .execute();
      await sql`vacuum analyze accounts`.execute(db.kysely);
      const indexTables = await pgIndexTables(db);
      recorded.length = 0;
      const later = Date.now() + 400 * 24 * 60 * 60_000;
      await dueAccountIds(db.kysely.withPlugin(recorderInto(recorded, db)), engine, fixture.workspaceId, 'C', later);
      const read = recorded.findIndex((r) => /^select "accounts"\."id" from "accounts"/.test(r.sql));
      assert.ok(read > 0, recorded.map((r) => r.sql).join('\n'));
      assert.match(recorded[read - 1]!.sql, /^set local max_parallel_workers_per_gather = 0$/);
      const finding = await explainPostgres(db, recorded[read]!, indexTables);
      assert.match(finding.plan, /Index Only Scan accounts using accounts_ws_release/, finding.plan);
    });
  });
}

/** A plugin that records the statements run through it (not the parts compiled on their own: the occurrences subquery). */
function recorderInto(into: Recorded[], db: TestDb): KyselyPlugin {
  const compiled = new Map<unknown, Recorded>();
  return {
    transformQuery({ node, queryId }) {
      compiled.set(queryId, db.kysely.getExecutor().compileQuery(node, queryId));
      return node;
    },
    transformResult: async ({ result, queryId }) => {
      const statement = compiled.get(queryId);
      if (statement) into.push(statement);
      return result;
    },
  };
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
