/**
 * The reminders job's reads (issue 8; src/modules/notifications/service.ts generateNotifications):
 * each kind's pendingSubjects and the checkpoint tasks' checkpointsCome, run as the first start
 * runs them (now = the clock), read only — nothing is written. Prints each statement's time, rows
 * and plan (SQLite's query plan; PostgreSQL's EXPLAIN ANALYZE with --analyze).
 *
 *   KEYLINE_DATA_DIR=/work/copies/x node bench/reminder-reads.ts [--analyze]
 *   DATABASE_URL=postgres://…/x node bench/reminder-reads.ts
 */
import { CompiledQuery, Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import type { Database } from '../src/db/schema.ts';
import { sqliteFileIn } from '../src/db/database.ts';
import { addDays, dateIn, startOfDay } from '../src/domain/calendar.ts';
import { CHECKPOINT_DAYS } from '../src/domain/checkpoints.ts';
import { overdueThresholds } from '../src/domain/cadence.ts';
import { workspaceSettings } from '../src/domain/settings.ts';
import { ANNOUNCE_DAYS } from '../src/modules/checkpoints/service.ts';
import * as checkpoints from '../src/modules/checkpoints/repository.ts';
import * as repo from '../src/modules/notifications/repository.ts';

const analyze = process.argv.includes('--analyze');
const url = process.env.DATABASE_URL;
let last: { sql: string; parameters: readonly unknown[]; ms: number } | undefined;
const log = (event: { level: string; query: CompiledQuery; queryDurationMillis: number }) => {
  last = { sql: event.query.sql, parameters: event.query.parameters, ms: event.queryDurationMillis };
};
const sqlite = url ? undefined : new SQLite(sqliteFileIn(process.env.KEYLINE_DATA_DIR ?? 'data'), { readonly: true });
const db = new Kysely<Database>({
  dialect: url
    ? new PostgresDialect({ pool: new pg.Pool({ connectionString: url, max: 1, options: '-c jit=off' }) })
    : new SqliteDialect({ database: sqlite! }),
  log,
});

async function plan(statement: { sql: string; parameters: readonly unknown[] }): Promise<string[]> {
  if (sqlite)
    return (
      sqlite.prepare(`explain query plan ${statement.sql}`).all(...statement.parameters) as { detail: string }[]
    ).map((step) => step.detail);
  if (!analyze) {
    const rows = await db.executeQuery<{ 'QUERY PLAN': string }>(
      CompiledQuery.raw(`explain ${statement.sql}`, [...statement.parameters]),
    );
    return rows.rows.map((row) => row['QUERY PLAN']);
  }
  const rows = await db.executeQuery<{ 'QUERY PLAN': string }>(
    CompiledQuery.raw(`explain (analyze, buffers) ${statement.sql}`, [...statement.parameters]),
  );
  return rows.rows.map((row) => row['QUERY PLAN']);
}

async function measure(name: string, run: () => Promise<unknown[]>) {
  const start = performance.now();
  const rows = await run();
  const ms = performance.now() - start;
  const statement = last!;
  console.log(`${name}: ${rows.length} rows, ${ms.toFixed(0)} ms`);
  for (const step of await plan(statement)) console.log(`    plan: ${step}`);
  if (process.argv.includes('--sql'))
    console.log(`    sql: ${statement.sql.replace(/\s+/g, ' ')} ${JSON.stringify(statement.parameters)}`);
}

const now = Date.now();
const total = performance.now();
for (const ws of await repo.workspaces(db)) {
  const settings = workspaceSettings(ws.settings);
  const today = dateIn(now, ws.time_zone);
  for (const kind of ['day15', 'day30'] as const) {
    const days = CHECKPOINT_DAYS[kind];
    const window = {
      enteredBefore: startOfDay(addDays(today, -days + 1), ws.time_zone),
      enteredAfter: startOfDay(addDays(today, -days - ANNOUNCE_DAYS), ws.time_zone),
    };
    await measure(`ws ${ws.id} checkpointsCome ${kind}`, () => checkpoints.checkpointsCome(db, ws.id, kind, window));
  }
  const overdue = overdueThresholds(now, settings, ws.time_zone);
  const kinds: [string, repo.Occurrences][] = [
    ['tasksDue', repo.tasksDue(db, ws.id, today, now)],
    ...(['A', 'B', 'C'] as const).map(
      (tier) =>
        [`followUpsOverdue ${tier}`, repo.followUpsOverdue(db, ws.id, tier, overdue[tier], now)] as [
          string,
          repo.Occurrences,
        ],
    ),
    ...(['day15', 'day30'] as const).map((kind) => {
      const days = CHECKPOINT_DAYS[kind];
      const enteredBefore = startOfDay(addDays(today, -days + 1), ws.time_zone);
      const enteredAfter = startOfDay(addDays(today, -days - ANNOUNCE_DAYS), ws.time_zone);
      return [`checkpointsDue ${kind}`, repo.checkpointsDue(db, ws.id, kind, { enteredBefore, enteredAfter }, now)] as [
        string,
        repo.Occurrences,
      ];
    }),
    ['stalledDeals', repo.stalledDeals(db, ws.id, now, settings.stalledFactorPercent)],
  ];
  for (const [name, occurrences] of kinds)
    await measure(`ws ${ws.id} pendingSubjects ${name}`, () =>
      repo.pendingSubjects(db, occurrences).then((ids) => ids),
    );
}
console.log(`total ${(performance.now() - total).toFixed(0)} ms`);
await db.destroy();
