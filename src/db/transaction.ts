import type { Kysely, Transaction } from 'kysely';
import type { Database } from './schema.ts';

/** Runs fn in a transaction, joining the caller's when there already is one (Kysely does not nest). */
export function inTransaction<T>(db: Kysely<Database>, fn: (trx: Kysely<Database>) => Promise<T>): Promise<T> {
  return db.isTransaction ? fn(db) : db.transaction().execute((trx: Transaction<Database>) => fn(trx));
}
