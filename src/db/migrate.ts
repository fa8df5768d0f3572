import { refreshPlannerStatistics } from './statistics.ts';
import { sql, type Kysely } from 'kysely';
import { Migrator, type Migration, type MigrationResultSet } from 'kysely/migration';
import type { Db } from './database.ts';
import type { Engine } from './dialect.ts';
import * as m0001 from './migrations/0001_foundation.ts';
import * as m0002 from './migrations/0002_customer_archive.ts';
import * as m0003 from './migrations/0003_import_row_outcome.ts';
import * as m0006 from './migrations/0006_sales_process.ts';
import * as m0007 from './migrations/0007_attachments.ts';
import * as m0008 from './migrations/0008_review_plan.ts';
import * as m0009 from './migrations/0009_stage_evidence.ts';
import * as m0010 from './migrations/0010_password_change.ts';
import * as m0011 from './migrations/0011_reference_checks.ts';
import * as m0012 from './migrations/0012_import_job_lease.ts';
import * as m0013 from './migrations/0013_activities.ts';
import * as m0014 from './migrations/0014_rhythm.ts';
import * as m0015 from './migrations/0015_quotas_funnel.ts';
import * as m0015b from './migrations/0015_quotas_funnel_units.ts';
import * as m0016 from './migrations/0016_forecasts.ts';
import * as m0017 from './migrations/0017_groups_modes.ts';
import * as m0018 from './migrations/0018_search_index.ts';
import * as m0019 from './migrations/0019_list_indexes.ts';
import * as m0027 from './migrations/0027_purchases.ts';
import * as m0022 from './migrations/0022_payment_plans.ts';
import * as m0029 from './migrations/0029_release_indexes.ts';
import * as m0028 from './migrations/0028_board_count_indexes.ts';
import * as m0030 from './migrations/0030_cadence_index.ts';
import * as m0032 from './migrations/0032_business_lines.ts';
import * as m0033 from './migrations/0033_search_walk_indexes.ts';
import * as m0040 from './migrations/0040_search_index_per_statement.ts';
import * as m0034 from './migrations/0034_search_sort_key.ts';
import * as m0043 from './migrations/0043_search_unit.ts';
import * as m0047 from './migrations/0047_reminder_indexes.ts';
import * as m0048 from './migrations/0048_search_pending.ts';
import * as m0049 from './migrations/0049_tiers_computed_at.ts';
import * as m0041 from './migrations/0041_attention_indexes.ts';
import * as m0046 from './migrations/0046_desk_indexes.ts';
import * as m0050 from './migrations/0050_release_index_ids.ts';

type EngineMigration = { up(db: Kysely<unknown>, engine: Engine): Promise<void> };

/** Numbered, append-only; each file is one change. Add new ones at the end. */
const migrations: Record<string, EngineMigration> = {
  '0001_foundation': m0001,
  '0002_customer_archive': m0002,
  '0003_import_row_outcome': m0003,
  '0006_sales_process': m0006,
  '0007_attachments': m0007,
  '0008_review_plan': m0008,
  '0009_stage_evidence': m0009,
  '0010_password_change': m0010,
  '0011_reference_checks': m0011,
  '0012_import_job_lease': m0012,
  '0013_activities': m0013,
  '0014_rhythm': m0014,
  '0015_quotas_funnel': m0015,
  '0015_quotas_funnel_units': m0015b,
  '0016_forecasts': m0016,
  '0017_groups_modes': m0017,
  '0018_search_index': m0018,
  '0019_list_indexes': m0019,
  '0027_purchases': m0027,
  '0022_payment_plans': m0022,
  '0029_release_indexes': m0029,
  '0028_board_count_indexes': m0028,
  '0030_cadence_index': m0030,
  '0032_business_lines': m0032,
  '0033_search_walk_indexes': m0033,
  '0040_search_index_per_statement': m0040,
  '0034_search_sort_key': m0034,
  '0043_search_unit': m0043,
  '0041_attention_indexes': m0041,
  '0047_reminder_indexes': m0047,
  '0046_desk_indexes': m0046,
  '0048_search_pending': m0048,
  '0050_release_index_ids': m0050,
  '0049_tiers_computed_at': m0049,
};

export const MIGRATION_NAMES = Object.keys(migrations);

/** The database holds migrations this code does not know: it was written by a newer Keyline. */
export class NewerDatabaseError extends Error {}

export interface MigrateOptions {
  /** Migrate only up to this one (the upgrade tests build each earlier version). */
  to?: string;
  /** Called once before the first pending migration of a database that has some applied already. */
  beforeMigrating?: (pending: string[]) => Promise<void>;
}

/**
 * A migrator that knows only the migrations named: those applied and the one to run next.
 * Numbers are reserved ahead (0020–0026 came after 0027), so the list's order — not the
 * names' — is the order they run in; Kysely's own picks the lowest name pending, so it is
 * shown exactly one to run.
 */
function migratorFor(db: Db, names: readonly string[]): Migrator {
  const provider = {
    async getMigrations(): Promise<Record<string, Migration>> {
      return Object.fromEntries(
        names.map((name) => [name, { up: (k: Kysely<unknown>) => migrations[name]!.up(k, db.engine) }]),
      );
    },
  };
  return new Migrator({ db: db.kysely, provider, allowUnorderedMigrations: true });
}

/** Names of the migrations the database records as applied (none for an empty database). */
export async function appliedMigrations(db: Db): Promise<string[]> {
  const tables = await db.kysely.introspection.getTables({ withInternalKyselyTables: true });
  if (!tables.some((t) => t.name === 'kysely_migration')) return [];
  const rows = await sql<{ name: string }>`select name from kysely_migration order by name`.execute(db.kysely);
  return rows.rows.map((r) => r.name);
}

/**
 * Applies the pending migrations, each in its own transaction together with its bookkeeping
 * row, so a failure leaves the database at the last migration that succeeded. Kysely's
 * Migrator wraps its run in a transaction on PostgreSQL but runs SQLite's without one (its
 * SQLite adapter declares no transactional DDL, though SQLite has it): there the transaction is
 * taken on the connection around each single step. A database that records a migration this
 * code does not know is refused before anything is changed.
 */
export async function migrateToLatest(db: Db, opts: MigrateOptions = {}): Promise<string[]> {
  const applied = await appliedMigrations(db);
  const unknown = applied.filter((n) => !(n in migrations));
  if (unknown.length) {
    throw new NewerDatabaseError(
      `the database was written by a newer version of Keyline (it has migration ${unknown.join(', ')}, which this version does not know); ` +
        'run that version or a later one, or restore a backup taken before the upgrade',
    );
  }
  const last = opts.to ?? MIGRATION_NAMES.at(-1)!;
  if (!(last in migrations)) throw new Error(`no migration named ${last}`);
  const pending = MIGRATION_NAMES.slice(0, MIGRATION_NAMES.indexOf(last) + 1).filter((n) => !applied.includes(n));
  if (pending.length === 0) return [];
  if (applied.length > 0) await opts.beforeMigrating?.(pending);
  const done: string[] = [];
  for (const name of pending) {
    const migrator = migratorFor(db, [...applied, ...done, name]);
    await inTransaction(db, async () => {
      const result = await migrator.migrateUp();
      check(result);
      done.push(...(result.results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName));
    });
  }
  // A migration may have filled or rebuilt tables (backfills, new indexes): the planner needs their
  // statistics. A new PostgreSQL database has nothing to analyze (and the test suites make hundreds).
  if (db.engine === 'sqlite' || applied.length > 0) await refreshPlannerStatistics(db, 'bulk');
  return done;
}

function check(result: MigrationResultSet) {
  if (result.error) {
    const failed = result.results?.find((r) => r.status === 'Error');
    throw new Error(`migration ${failed?.migrationName ?? '?'} failed: ${String(result.error)}`, {
      cause: result.error,
    });
  }
}

async function inTransaction(db: Db, step: () => Promise<void>) {
  // PostgreSQL: the Migrator's own transaction (one step = one migration).
  if (!db.sqlite) return step();
  // Through Kysely: if another process holds the write lock, the server's connection waits for it
  // as its other writes do (src/db/busy-wait.ts), without a busy timeout of its own.
  await sql`begin immediate`.execute(db.kysely);
  try {
    await step();
    db.sqlite.exec('COMMIT');
  } catch (error) {
    if (db.sqlite.inTransaction) db.sqlite.exec('ROLLBACK');
    throw error;
  }
}
