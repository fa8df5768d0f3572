import { CompiledQuery, sql, type KyselyPlugin } from 'kysely';
import type { TestDb } from '../helpers/db.ts';
import { onGenericPlan } from './generic-plan.ts';

/**
 * How the plan tests read a plan (test/sql/plans.test.ts, test/sql/job-plans.test.ts): statements
 * recorded as the server runs them, explained with their parameters — EXPLAIN QUERY PLAN on SQLite
 * under statistics of a million-row workspace; EXPLAIN (FORMAT JSON) on PostgreSQL with sequential
 * scans and sorts priced out — and what each plan reads whole, by the workspace alone, or sorts.
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

export interface Recorded {
  sql: string;
  parameters: readonly unknown[];
}

export interface Finding {
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

export async function realisticSqliteStats(db: TestDb): Promise<void> {
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

export async function explainSqlite(db: TestDb, query: Recorded): Promise<Finding> {
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
export async function pgIndexTables(db: TestDb): Promise<Map<string, string>> {
  const rows = await sql<{ indexname: string; tablename: string }>`
    select indexname, tablename from pg_indexes where schemaname = current_schema()`.execute(db.kysely);
  return new Map(rows.rows.map((r) => [r.indexname, r.tablename]));
}

/** The plan PostgreSQL runs the statement on: for its values, or (generic) without them (generic-plan.ts). */
export async function explainPostgres(db: TestDb, query: Recorded, indexTables: Map<string, string>, generic = false) {
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

/** A plugin that records the statements run through it (not the parts compiled on their own: the occurrences subquery). */
export function recorderInto(into: Recorded[], db: TestDb): KyselyPlugin {
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
