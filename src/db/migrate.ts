import type { Kysely } from 'kysely';
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
import * as m0011 from './migrations/0011_import_job_lease.ts';

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
  '0011_import_job_lease': m0011,
};

export async function migrateToLatest(db: Db): Promise<string[]> {
  const provider = {
    async getMigrations(): Promise<Record<string, Migration>> {
      return Object.fromEntries(
        Object.entries(migrations).map(([name, m]) => [name, { up: (k: Kysely<unknown>) => m.up(k, db.engine) }]),
      );
    },
  };
  const migrator = new Migrator({ db: db.kysely, provider });
  const result: MigrationResultSet = await migrator.migrateToLatest();
  if (result.error) {
    const failed = result.results?.find((r) => r.status === 'Error');
    throw new Error(`migration ${failed?.migrationName ?? '?'} failed: ${String(result.error)}`, { cause: result.error });
  }
  return (result.results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
