import type { Kysely } from 'kysely';
import type { Database } from './schema.ts';
import { immediateTransaction, inTransaction } from './transaction.ts';

/**
 * Bulk writes and `IN (…)` lists are cut into batches: one statement may bind at most 32,766
 * values on SQLite and 65,535 on PostgreSQL, and a statement past that fails and rolls the
 * whole transaction back (the tier recompute did above ~3,640 changed accounts). 500 rows of
 * up to ~60 columns, or 500 ids, stay far below both limits.
 */
export const BATCH_ROWS = 500;

/** The items in consecutive batches of at most `size`. */
export function batches<T>(items: readonly T[], size = BATCH_ROWS): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Runs `run` on each batch in turn (one transaction stays one connection) and joins what they return. */
export async function inBatches<T, R>(
  items: readonly T[],
  run: (batch: T[]) => Promise<R[] | void>,
  size = BATCH_ROWS,
): Promise<R[]> {
  const out: R[] = [];
  for (const batch of batches(items, size)) {
    const got = await run(batch);
    if (got) out.push(...got);
  }
  return out;
}

/**
 * Writes `items` in batches of `size` (BATCH_ROWS unless a test sets it smaller), each batch in a
 * short transaction of its own, and adds up what each write returns (rows written). A job's
 * writes hold the lock milliseconds at a time, never for the whole set: on SQLite the server's
 * connection waits at most its busy timeout (100 ms) for any one of them. `sqliteWorker`: on the
 * job worker's own SQLite connection each batch takes the write lock first and waits for it
 * (immediateTransaction). Inside a caller's transaction the batches join it.
 */
export async function writeInBatches<T>(
  db: Kysely<Database>,
  items: readonly T[],
  write: (trx: Kysely<Database>, batch: T[]) => Promise<number>,
  opts: { sqliteWorker?: boolean; size?: number | undefined } = {},
): Promise<number> {
  let written = 0;
  for (const batch of batches(items, opts.size ?? BATCH_ROWS))
    written += await shortTransaction(db, (trx) => write(trx, batch), opts);
  return written;
}

/** One of a job's short write transactions: on the job worker's SQLite connection it takes the write lock first. */
export function shortTransaction<T>(
  db: Kysely<Database>,
  fn: (trx: Kysely<Database>) => Promise<T>,
  opts: { sqliteWorker?: boolean },
): Promise<T> {
  return opts.sqliteWorker && !db.isTransaction ? immediateTransaction(db, fn) : inTransaction(db, fn);
}
