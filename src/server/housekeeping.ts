import { refreshPlannerStatistics } from '../db/statistics.ts';
import type { FastifyBaseLogger } from 'fastify';
import type { Db } from '../db/database.ts';
import type { Config } from '../config.ts';
import { deleteExpiredSessions } from '../modules/auth/repository.ts';
import { runExclusive } from '../modules/jobs/lease.ts';
import { releaseAllWorkspaces, POOL_RELEASE_JOB } from '../modules/pool/release.ts';
import { recomputeAll } from '../modules/tiers/service.ts';
import { ATTACHMENTS_CLEANUP_JOB, deleteAbandonedUploads } from '../modules/attachments/service.ts';
import { cleanUpAbandoned } from '../modules/imports/lease.ts';
import { generateNotifications, NOTIFY_JOB } from '../modules/notifications/service.ts';
import { CALLBACK_DRAW_JOB, drawLastMonths } from '../modules/callbacks/scheduled.ts';

/**
 * Periodic jobs. Each runs under a lease (src/modules/jobs/lease.ts), so with several
 * server processes on one database each job runs once per period, not once per process.
 * Areas add their jobs to JOBS.
 */
export interface Job {
  name: string;
  everyMs: number;
  run(db: Db, config: Config, now: number): Promise<string>;
}

const HOUR = 60 * 60_000;

export const JOBS: Job[] = [
  {
    name: 'sessions.cleanup',
    everyMs: HOUR,
    async run(db, config, now) {
      await deleteExpiredSessions(db.kysely, now, config.sessionIdleMs);
      return 'ok';
    },
  },
  {
    // ABC tiers and value types (docs/archive.md), every workspace, once a day.
    name: 'tiers.recompute',
    everyMs: 24 * HOUR,
    // It takes fresh planner statistics after (it rewrites the tier columns of every account), off the server's thread too.
    run: (db, _config, now) => recomputeAll(db, now),
  },
  {
    // The planner's statistics of tables that grew or shrank a lot (src/db/statistics.ts); milliseconds when none did.
    name: 'db.statistics',
    everyMs: HOUR,
    async run(db) {
      await refreshPlannerStatistics(db, 'periodic');
      return 'ok';
    },
  },
  {
    // Stale accounts return to their unit's pool (docs/archive.md), every workspace, once a day.
    name: POOL_RELEASE_JOB,
    everyMs: 24 * HOUR,
    run: (db, _config, now) => releaseAllWorkspaces(db, now),
  },
  {
    // Uploads never used as stage evidence (docs/sales-process.md) within a week, once a day.
    name: ATTACHMENTS_CLEANUP_JOB,
    everyMs: 24 * HOUR,
    run: (db, _config, now) => deleteAbandonedUploads(db, now),
  },
  {
    // Rows of imports never committed within a day (issue 14): an upload must not keep its rows forever.
    name: 'imports.cleanup',
    everyMs: 6 * HOUR,
    run: async (db, _config, now) => `${await cleanUpAbandoned(db.kysely, now)} abandoned imports emptied`,
  },
  {
    // Reminders (docs/rhythm.md § Notifications): tasks due, follow-ups overdue, checkpoints, stalled deals; each occurrence once.
    name: NOTIFY_JOB,
    everyMs: HOUR,
    run: (db, _config, now) => generateNotifications(db, now),
  },
  {
    // The callback audit's draw of last month (docs/rhythm.md § Callback audit) for the reps no manager drew; a no-op once drawn.
    name: CALLBACK_DRAW_JOB,
    everyMs: 6 * HOUR,
    run: (db, _config, now) => drawLastMonths(db, now),
  },
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
