import type { Kysely } from 'kysely';
import type { Db } from '../../db/database.ts';
import type { Database } from '../../db/schema.ts';
import type { Engine } from '../../db/dialect.ts';
import { pauseAfter, writeInBatches } from '../../db/batches.ts';
import type { Tier } from '../../domain/accounts.ts';
import { releaseCutoffs } from '../../domain/pool.ts';
import { workspaceSettings } from '../../domain/settings.ts';
import { runExclusive } from '../jobs/lease.ts';
import { offThread } from '../jobs/off-thread.ts';
import { loadSettings } from '../workspace/service.ts';
import * as releaseRepo from './repository/release.ts';

/** The automatic release (docs/archive.md): the nightly job over every workspace, and one workspace's run. */

export const POOL_RELEASE_JOB = 'pool.release';

export interface ReleaseResult {
  workspaceId: number;
  released: Record<Tier, number>;
  total: number;
}

/**
 * Returns stale accounts of one workspace to their units' pools (docs/archive.md). Per tier with a
 * release period, the ids due are read (one indexed statement, no lock held), then released in
 * batches of BATCH_ROWS, each set-based in its own short transaction with its history rows and
 * re-checking that each account is still due: the write lock is held milliseconds at a time,
 * never for the whole run, and no statement binds more than two batches of ids. Inside a
 * caller's transaction (the demo) the batches join it. `sqliteWorker`: on the job worker's own SQLite connection
 * (src/modules/jobs/worker.ts), each page takes the write lock first and waits for it.
 * `paced`: the nightly job yields after each tier's read and between batches (src/db/batches.ts
 * pauseAfter), so on PostgreSQL, where it runs in the server's process and its backend competes
 * with the requests' for two cores, a rep's lists keep their pace while it runs (issue 10: p99
 * ≤ 20 ms). An administrator's run, which they wait for, does not pause.
 */
export async function releaseStaleAccounts(
  db: Kysely<Database>,
  engine: Engine,
  workspaceId: number,
  now = Date.now(),
  settingsJson?: string,
  opts: { sqliteWorker?: boolean; paced?: boolean } = {},
): Promise<ReleaseResult> {
  const settings = settingsJson !== undefined ? workspaceSettings(settingsJson) : await loadSettings(db, workspaceId);
  const cutoffs = releaseCutoffs(now, settings);
  const released: Record<Tier, number> = { A: 0, B: 0, C: 0 };
  const paced = (opts.paced ?? false) && !db.isTransaction;
  for (const tier of ['A', 'B', 'C'] as const) {
    const cutoff = cutoffs[tier];
    if (cutoff === undefined) continue;
    const started = performance.now();
    const due = await releaseRepo.dueAccountIds(db, engine, workspaceId, tier, cutoff);
    if (paced) await pauseAfter(started);
    released[tier] += await writeInBatches(
      db,
      due,
      (trx, ids) => releaseRepo.releaseDue(trx, engine, workspaceId, tier, cutoff, now, ids),
      { ...(opts.sqliteWorker ? { sqliteWorker: true } : {}), paced },
    );
  }
  return { workspaceId, released, total: released.A + released.B + released.C };
}

/**
 * The nightly job over every workspace (registered in src/server/housekeeping.ts). On a SQLite
 * file it runs in the job worker on a connection of its own (src/modules/jobs/off-thread.ts):
 * the server's one connection stays free, and WAL lets other users read while it works.
 */
export function releaseAllWorkspaces(db: Db, now = Date.now()): Promise<string> {
  return offThread(db, { job: 'pool.release', now }, () => releaseAllHere(db.kysely, db.engine, now));
}

/** The nightly job's work, on the connection given (the server's, or the job worker's own). */
export async function releaseAllHere(
  db: Kysely<Database>,
  engine: Engine,
  now: number,
  opts: { sqliteWorker?: boolean } = {},
): Promise<string> {
  const parts: string[] = [];
  for (const ws of await releaseRepo.workspacesWithSettings(db)) {
    const result = await releaseStaleAccounts(db, engine, ws.id, now, ws.settings, { ...opts, paced: true });
    if (result.total > 0) parts.push(`ws${ws.id}:${result.total}`);
  }
  return parts.length ? `released ${parts.join(' ')}` : 'nothing to release';
}

/** The job as the scheduler runs it: under the lease, so several processes release once. */
export function runReleaseJob(db: Db, now = Date.now(), opts: { everyMs?: number; force?: boolean } = {}) {
  return runExclusive(
    db.kysely,
    POOL_RELEASE_JOB,
    { everyMs: opts.everyMs ?? 24 * 60 * 60_000, now, ...(opts.force ? { force: true } : {}) },
    () => releaseAllWorkspaces(db, now),
  );
}
