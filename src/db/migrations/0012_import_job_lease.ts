import type { Kysely } from 'kysely';
import { instantType } from '../dialect.ts';

/**
 * An import that is reading, validating or committing holds a lease on its job, renewed while
 * it runs (src/modules/imports/lease.ts). A job whose lease ran out belongs to a process that
 * stopped: at start-up and in housekeeping it is marked interrupted instead of staying
 * "committing" forever (issue 14).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('import_jobs').addColumn('lease_expires_at', instantType).execute();
}
