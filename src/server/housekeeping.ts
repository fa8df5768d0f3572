import { refreshPlannerStatistics, reloadPlannerStatistics } from '../db/statistics.ts';
import type { FastifyBaseLogger } from 'fastify';
import type { Db } from '../db/database.ts';
import type { Config } from '../config.ts';
import { deleteExpiredSessions } from '../modules/auth/sessions-cleanup.ts';
import { runExclusive } from '../modules/jobs/lease.ts';
import { offThread, runsOffThread } from '../modules/jobs/off-thread.ts';
import { releaseAllHere, POOL_RELEASE_JOB } from '../modules/pool/release.ts';
import { recomputeAllHere } from '../modules/tiers/recompute.ts';
import { ATTACHMENTS_CLEANUP_JOB, deleteAbandonedUploads } from '../modules/attachments/service.ts';
import { cleanUpAbandoned } from '../modules/imports/lease.ts';
import { generateNotifications, NOTIFY_JOB } from '../modules/notifications/service.ts';
import { CALLBACK_DRAW_JOB, drawLastMonths } from '../modules/callbacks/scheduled.ts';
import { indexPendingHere, SEARCH_INDEX_JOB } from '../modules/search/indexing.ts';

/**
 * Periodic jobs. Each runs under a lease (src/modules/jobs/lease.ts), so with several
 * server processes on one database each job runs once per period, not once per process.
 * Areas add their jobs to JOBS.
 *
 * Every job runs off the server's thread on a SQLite file (issue 8): `here` is its work on the
 * connection given, and `run` hands it to the job worker (src/modules/jobs/off-thread.ts), which
 * runs the same `here` on a connection of its own — on PostgreSQL, or an in-memory SQLite
 * database, `run` calls `here` in process. Each job writes in short transactions of a bounded
 * number of rows (src/db/batches.ts), so neither a write on the server's connection
 * (src/db/busy-wait.ts) nor another PostgreSQL session waits on a job for long, and none of them reads its whole set
 * back into the server. On the worker `ctx.sqliteWorker` is true: its write transactions take the
 * write lock first (src/db/transaction.ts immediateTransaction).
 */
export interface JobContext {
  now: number;
  sessionIdleMs: number;
  sqliteWorker: boolean;
}

export interface Job {
  name: string;
  everyMs: number;
  here(db: Db, ctx: JobContext): Promise<string>;
  /** On the server's connection after the worker ran `here` (rereading statistics it took). */
  afterWorker?(db: Db): Promise<void>;
  run(db: Db, config: Pick<Config, 'sessionIdleMs'>, now: number): Promise<string>;
}

const HOUR = 60 * 60_000;

/** Offloaded jobs counted by name (tests check the worker path is taken for each). */
export const offThreadJobRuns = new Map<string, number>();

function job(spec: Omit<Job, 'run'>): Job {
  return {
    ...spec,
    async run(db, config, now) {
      const ctx = { now, sessionIdleMs: config.sessionIdleMs };
      const worker = runsOffThread(db);
      if (worker) offThreadJobRuns.set(spec.name, (offThreadJobRuns.get(spec.name) ?? 0) + 1);
      const result = await offThread(db, { job: 'housekeeping', name: spec.name, ...ctx }, () =>
        spec.here(db, { ...ctx, sqliteWorker: false }),
      );
      if (worker) await spec.afterWorker?.(db);
      return result;
    },
  };
}

export const JOBS: Job[] = [
  job({
    name: 'sessions.cleanup',
    everyMs: HOUR,
    here: async (db, ctx) => `${await deleteExpiredSessions(db, ctx)} expired sessions deleted`,
  }),
  job({
    // ABC tiers and value types (docs/archive.md), every workspace, once a day; then fresh planner
    // statistics of the accounts (their tiers changed), which the server's connection rereads.
    name: 'tiers.recompute',
    everyMs: 24 * HOUR,
    here: (db, ctx) => recomputeAllHere(db, ctx.now, { sqliteWorker: ctx.sqliteWorker }),
    afterWorker: reloadPlannerStatistics,
  }),
  job({
    // The planner's statistics of tables that grew or shrank a lot (src/db/statistics.ts); milliseconds when none did.
    // Taken on the worker's connection, the server's rereads them (a fresh copy's first start counts for seconds).
    name: 'db.statistics',
    everyMs: HOUR,
    async here(db) {
      await refreshPlannerStatistics(db, 'periodic');
      return 'ok';
    },
    afterWorker: reloadPlannerStatistics,
  }),
  job({
    // Stale accounts return to their unit's pool (docs/archive.md), every workspace, once a day.
    name: POOL_RELEASE_JOB,
    everyMs: 24 * HOUR,
    here: (db, ctx) => releaseAllHere(db.kysely, db.engine, ctx.now, { sqliteWorker: ctx.sqliteWorker }),
  }),
  job({
    // Uploads never used as stage evidence (docs/sales-process.md) within a week, once a day.
    name: ATTACHMENTS_CLEANUP_JOB,
    everyMs: 24 * HOUR,
    here: (db, ctx) => deleteAbandonedUploads(db, ctx),
  }),
  job({
    // Rows of imports never committed within a day (issue 14): an upload must not keep its rows forever.
    name: 'imports.cleanup',
    everyMs: 6 * HOUR,
    here: async (db, ctx) => `${await cleanUpAbandoned(db.kysely, ctx.now, ctx)} abandoned imports emptied`,
  }),
  job({
    // Reminders (docs/rhythm.md § Notifications): tasks due, follow-ups overdue, checkpoints, stalled deals; each occurrence once.
    name: NOTIFY_JOB,
    everyMs: HOUR,
    here: (db, ctx) => generateNotifications(db, ctx.now, ctx),
  }),
  job({
    // The callback audit's draw of last month (docs/rhythm.md § Callback audit) for the reps no manager drew; a no-op once drawn.
    name: CALLBACK_DRAW_JOB,
    everyMs: 6 * HOUR,
    here: (db, ctx) => drawLastMonths(db, ctx.now, ctx),
  }),
  job({
    // Imported records' search entries (docs/search.md § Imported records): the import kicks it when it commits;
    // this catches what a kick left (a restart, a crash). A few milliseconds when nothing waits.
    name: SEARCH_INDEX_JOB,
    everyMs: 5 * 60_000,
    here: (db, ctx) => indexPendingHere(db.kysely, db.engine, { sqliteWorker: ctx.sqliteWorker }),
  }),
];

/**
 * Checks every few minutes which jobs are due. Returns a function that stops the timer and
 * resolves once the job running now (if any) has finished, so shutdown does not close the
 * database under a job and leave its lease held until it expires.
 */
export function startHousekeeping(
  db: Db,
  config: Config,
  log: FastifyBaseLogger,
  checkEveryMs = 5 * 60_000,
): () => Promise<void> {
  let running: Promise<void> | null = null;
  let stopped = false;
  const tick = async () => {
    if (running) return;
    running = runDue();
    await running;
    running = null;
  };
  const runDue = async () => {
    try {
      for (const job of JOBS) {
        if (stopped) break;
        const now = Date.now();
        const outcome = await runExclusive(db.kysely, job.name, { everyMs: job.everyMs }, () =>
          job.run(db, config, now),
        );
        if (outcome.ran) log.info({ job: job.name, result: outcome.result }, 'job ran');
      }
    } catch (err) {
      log.warn({ err }, 'housekeeping failed');
    }
  };
  const timer = setInterval(() => void tick(), checkEveryMs);
  timer.unref();
  void tick();
  return async () => {
    stopped = true;
    clearInterval(timer);
    await running;
  };
}
