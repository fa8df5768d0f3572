import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { BATCH_ROWS, shortTransaction } from '../../db/batches.ts';
import { inTransaction } from '../../db/transaction.ts';
import { parseReport, RUNNING_STATUSES, type Report, type RunningStatus } from './job-report.ts';
import * as repo from './repository/jobs.ts';

/**
 * Leases on running imports (issue 14). A process reading, validating or committing a job
 * holds a lease on it and renews it while it works; a process that stops (killed, out of
 * memory, power cut) stops renewing. A job whose lease ran out is marked `failed` with an
 * `interrupted` reason instead of staying "committing" forever — at start-up and every
 * SWEEP_EVERY_MS after, in every process, so with several processes on one PostgreSQL a
 * live process's jobs (their leases renewed) are never touched.
 *
 * Nothing is half-written by an interrupted commit: the commit is one transaction (service.ts
 * runPhase), which the database rolls back when its connection dies. The job can then be
 * validated again. A job interrupted while reading has part of its rows: they are removed,
 * and the file must be uploaded again.
 */
export const LEASE_MS = 30_000;
const RENEW_EVERY_MS = 10_000;
const SWEEP_EVERY_MS = 15_000;
/** Uploaded but never committed: the rows go after a day (housekeeping), the job stays listed. */
export const ABANDONED_AFTER_MS = 24 * 60 * 60_000;

export const leaseUntil = (now = Date.now()) => now + LEASE_MS;

/**
 * Renews the job's lease while its phase runs; returns the function that stops. A renewal that
 * fails (SQLite busy while a commit holds the write lock) is simply tried again next time.
 */
export function holdLease(db: Kysely<Database>, workspaceId: number, jobId: number): () => void {
  const timer = setInterval(() => {
    repo.renewLease(db, workspaceId, jobId, RUNNING_STATUSES, leaseUntil()).catch(() => undefined);
  }, RENEW_EVERY_MS);
  timer.unref();
  return () => clearInterval(timer);
}

const INTERRUPTED: Record<RunningStatus, string> = {
  reading: 'interrupted: the server stopped while reading the file; upload it again',
  validating: 'interrupted: the server stopped during the dry run; nothing was changed — run it again',
  committing:
    'interrupted: the server stopped during the commit; nothing was saved (the commit is all or nothing) — run the dry run again, then commit',
};

/** Marks every running job whose lease ran out as interrupted; returns how many. */
export async function recoverInterrupted(db: Kysely<Database>, now = Date.now()): Promise<number> {
  let count = 0;
  for (const job of await repo.jobsWithExpiredLease(db, RUNNING_STATUSES, now)) {
    const phase = job.status as RunningStatus;
    const report: Report = {
      ...parseReport(job.report),
      failure: INTERRUPTED[phase],
      failureInfo: { code: 'interrupted', phase },
    };
    const ended = await inTransaction(db, async (trx) => {
      const ok = await repo.endExpiredJob(
        trx,
        job,
        { status: 'failed', report: JSON.stringify(report), ...(phase === 'reading' && { total_rows: 0 }) },
        now,
      );
      if (ok && phase === 'reading') await repo.deleteRows(trx, job.workspace_id, job.id);
      return ok;
    });
    if (ended) count++;
  }
  return count;
}

/**
 * Removes the stored rows of jobs never committed within ABANDONED_AFTER_MS; returns how many jobs.
 * A job is marked expired first (one short transaction, only if nobody touched it since it was
 * read), then its rows go in short transactions of `batchRows` (BATCH_ROWS) each: a 100,000-row
 * upload's rows in one transaction held the write lock for seconds. A crash half-way leaves an
 * expired job with some rows, removed by the run after the next ABANDONED_AFTER_MS.
 */
export async function cleanUpAbandoned(
  db: Kysely<Database>,
  now = Date.now(),
  opts: { sqliteWorker?: boolean; batchRows?: number | undefined } = {},
): Promise<number> {
  let count = 0;
  const size = opts.batchRows ?? BATCH_ROWS;
  const write = <T>(fn: (trx: Kysely<Database>) => Promise<T>) => shortTransaction(db, fn, opts);
  for (const job of await repo.staleJobsWithRows(db, ['mapping', 'validated', 'failed'], now - ABANDONED_AFTER_MS)) {
    const report: Report = {
      ...parseReport(job.report),
      failure: 'expired: it was not committed within 24 hours, and its rows were removed; upload the file again',
      failureInfo: { code: 'expired' },
    };
    const ended = await write((trx) =>
      repo.endExpiredJob(trx, job, { status: 'failed', report: JSON.stringify(report), total_rows: 0 }, now),
    );
    if (!ended) continue;
    let deleted: number;
    do deleted = await write((trx) => repo.deleteFirstRows(trx, job.workspace_id, job.id, size));
    while (deleted === size);
    count++;
  }
  return count;
}

/** Sweeps for interrupted jobs now and every SWEEP_EVERY_MS; returns the function that stops. */
export function startLeaseSweeper(db: Kysely<Database>, onError: (err: unknown) => void): () => void {
  const sweep = () => recoverInterrupted(db).catch(onError);
  void sweep();
  const timer = setInterval(() => void sweep(), SWEEP_EVERY_MS);
  timer.unref();
  return () => clearInterval(timer);
}
