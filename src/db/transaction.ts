import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from './schema.ts';

/** Runs fn in a transaction, joining the caller's when there already is one (Kysely does not nest). */
export function inTransaction<T>(db: Kysely<Database>, fn: (trx: Kysely<Database>) => Promise<T>): Promise<T> {
  return db.isTransaction ? fn(db) : db.transaction().execute((trx: Transaction<Database>) => fn(trx));
}

/**
 * A SQLite write transaction that takes the write lock first (BEGIN IMMEDIATE). Kysely's
 * transactions begin deferred: they read, then upgrade to write, and if another connection
 * committed in between SQLite refuses the upgrade outright (SQLITE_BUSY_SNAPSHOT) instead of
 * waiting. A long writer on its own connection (the import worker) must wait its turn instead.
 */
export function immediateTransaction<T>(db: Kysely<Database>, fn: (trx: Kysely<Database>) => Promise<T>): Promise<T> {
  return db.connection().execute(async (conn) => {
    await sql`begin immediate`.execute(conn);
    try {
      const result = await fn(conn);
      await sql`commit`.execute(conn);
      return result;
    } catch (err) {
      await sql`rollback`.execute(conn).catch(() => undefined);
      throw err;
    }
  });
}
