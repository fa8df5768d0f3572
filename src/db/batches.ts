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
 * writes hold the lock milliseconds at a time, never for the whole set: on SQLite a write on the
 * server's connection waits for at most one of them (src/db/busy-wait.ts). `sqliteWorker`: on the
 * job worker's own SQLite connection each batch takes the write lock first and waits for it
 * (immediateTransaction). Inside a caller's transaction the batches join it.
 */
export async function writeInBatches<T>(
  db: Kysely<Database>,
  items: readonly T[],
  write: (trx: Kysely<Database>, batch: T[]) => Promise<number>,
  opts: { sqliteWorker?: boolean; size?: number | undefined; paced?: boolean } = {},
): Promise<number> {
  let written = 0;
  const all = batches(items, opts.size ?? BATCH_ROWS);
  const paced = opts.paced ?? true;
  for (const [index, batch] of all.entries()) {
    const started = performance.now();
    written += await shortTransaction(db, (trx) => write(trx, batch), opts);
    if (paced && index < all.length - 1 && !db.isTransaction) await pauseAfter(started);
  }
  return written;
}

/**
 * Background work yields to users (docs/DESIGN.md § Background work yields, issue 8): between two
 * batches of a job's writes (writeInBatches) the job pauses `pauseRatio` times as long as the
 * batch took, so it works at most 1 / (1 + pauseRatio) of the time and the database and the cores
 * are free for other users' requests in between: on PostgreSQL the job's SQL runs in backends
 * that compete with theirs, on SQLite the job worker with the server's thread. Never inside a
 * caller's transaction (a pause there would hold its locks), never after the last batch. A pause
 * is at most MAX_PAUSE_MS, so a slow batch does not stop a job for long.
 *
 * KEYLINE_JOB_PAUSE: the ratio, 0 (no pause) to 4; default 1 (a job's batched writes take about
 * twice as long; at the scale set the first start's reminders, ~285,000, about 20 s more). The
 * tests run with 0 (scripts/test.ts), where pauses would only slow them; the tests of pacing set it.
 */
export const DEFAULT_JOB_PAUSE = 1;
export const MAX_PAUSE_MS = 1000;

/** KEYLINE_JOB_PAUSE, checked: a number from 0 to 4. */
export function jobPauseOf(env: NodeJS.ProcessEnv = process.env): number {
  const text = env.KEYLINE_JOB_PAUSE?.trim() || String(DEFAULT_JOB_PAUSE);
  const ratio = Number(text);
  if (!/^\d+(\.\d+)?$/.test(text) || ratio > 4)
    throw new Error(`KEYLINE_JOB_PAUSE must be a number from 0 to 4 (got "${text}")`);
  return ratio;
}

/** The pacing in force (read once; tests change it), and how many pauses were taken (tests check they were). */
export const jobPacing = { pauseRatio: jobPauseOf(), pauses: 0 };

/** Pauses after a batch that began at `started` (performance.now()): pauseRatio times its time, at most MAX_PAUSE_MS. */
export async function pauseAfter(started: number): Promise<void> {
  const ratio = jobPacing.pauseRatio;
  if (!(ratio > 0)) return;
  const pause = Math.min(MAX_PAUSE_MS, (performance.now() - started) * ratio);
  jobPacing.pauses++;
  if (pause >= 1) await new Promise((resolve) => setTimeout(resolve, pause));
}

/** One of a job's short write transactions: on the job worker's SQLite connection it takes the write lock first. */
export function shortTransaction<T>(
  db: Kysely<Database>,
  fn: (trx: Kysely<Database>) => Promise<T>,
  opts: { sqliteWorker?: boolean },
): Promise<T> {
  return opts.sqliteWorker && !db.isTransaction ? immediateTransaction(db, fn) : inTransaction(db, fn);
}
