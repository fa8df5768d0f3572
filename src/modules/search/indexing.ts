import type { Kysely } from 'kysely';
import type { Db } from '../../db/database.ts';
import type { Database } from '../../db/schema.ts';
import type { Engine } from '../../db/dialect.ts';
import { BATCH_ROWS, pauseAfter, shortTransaction } from '../../db/batches.ts';
import { runExclusive } from '../jobs/lease.ts';
import { offThread } from '../jobs/off-thread.ts';
import { anyPending, indexPendingBatch } from './repository/pending.ts';

/**
 * The search indexing job (docs/search.md § Imported records): an import commits its records
 * without their grams (migration 0048) and this job writes them, BATCH_ROWS records per short
 * transaction, pausing between batches as every job does (src/db/batches.ts), so other users wait
 * on it milliseconds at a time instead of on the import's one transaction for its whole index.
 * The import kicks it as soon as it has committed; housekeeping runs it too (a kick lost to a
 * crash or a restart), both under the same lease, so two processes never run it at once.
 */
export const SEARCH_INDEX_JOB = 'search.index';

/**
 * For the import's commit (src/modules/imports/commit.ts), inside its transaction: the records it
 * creates after `deferSearchEntries` wait for this job; `resumeSearchEntries` before it commits.
 */
export {
  raiseDeferral as deferSearchEntries,
  lowerDeferral as resumeSearchEntries,
  pendingOfImport as searchPendingOfImport,
} from './repository/pending.ts';

/** The job's work on the connection given (the server's, or the SQLite job worker's own). */
export async function indexPendingHere(
  db: Kysely<Database>,
  engine: Engine,
  opts: { sqliteWorker?: boolean; size?: number } = {},
): Promise<string> {
  let taken = 0;
  for (;;) {
    const started = performance.now();
    const batch = await shortTransaction(db, (trx) => indexPendingBatch(trx, engine, opts.size ?? BATCH_ROWS), opts);
    if (batch === 0) break;
    taken += batch;
    await pauseAfter(started);
  }
  return `${taken} records indexed for search`;
}

/** Off the server's thread on a SQLite file (src/modules/jobs/off-thread.ts), in process otherwise. */
export function indexPending(db: Db): Promise<string> {
  return offThread(db, { job: SEARCH_INDEX_JOB }, () => indexPendingHere(db.kysely, db.engine));
}

/** Tests turn the import's kick off to see the records before the job. */
export const indexingKick = { enabled: true, retryMs: 2000, attempts: 30 };

/**
 * Runs the job now, after an import committed. If another process holds the lease it may have
 * read the last batch before this import committed, so the kick waits and tries again while
 * records wait (for about a minute; housekeeping picks up whatever is left after that).
 */
export async function kickSearchIndexing(db: Db): Promise<void> {
  if (!indexingKick.enabled) return;
  for (let attempt = 0; attempt < indexingKick.attempts; attempt++) {
    const outcome = await runExclusive(db.kysely, SEARCH_INDEX_JOB, { everyMs: 0, force: true }, () =>
      indexPending(db),
    );
    if (!(await anyPending(db.kysely))) return;
    if (!outcome.ran) await new Promise((resolve) => setTimeout(resolve, indexingKick.retryMs));
  }
}
