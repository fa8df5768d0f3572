import type { Db } from '../../db/database.ts';
import { writeInBatches } from '../../db/batches.ts';
import { deleteExpiredOf, expiredSessionIds } from './repository.ts';

/**
 * The hourly sessions cleanup (src/server/housekeeping.ts): sessions past their end or idle
 * longer than the configured idle time, deleted in short batches (src/db/batches.ts); a session
 * used again between the read and its batch is kept.
 */
export async function deleteExpiredSessions(
  db: Db,
  ctx: { now: number; sessionIdleMs: number; sqliteWorker?: boolean; batchRows?: number | undefined },
): Promise<number> {
  const ids = await expiredSessionIds(db.kysely, ctx.now, ctx.sessionIdleMs);
  return writeInBatches(db.kysely, ids, (trx, batch) => deleteExpiredOf(trx, batch, ctx.now, ctx.sessionIdleMs), {
    sqliteWorker: ctx.sqliteWorker ?? false,
    size: ctx.batchRows,
  });
}
