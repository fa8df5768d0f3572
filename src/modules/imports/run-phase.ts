import { refreshPlannerStatistics, reloadPlannerStatistics } from '../../db/statistics.ts';
import { Worker } from 'node:worker_threads';
import type { Kysely } from 'kysely';
import type { Db } from '../../db/database.ts';
import { immediateTransaction } from '../../db/transaction.ts';
import type { Database } from '../../db/schema.ts';
import type { Actor } from '../../domain/policy.ts';
import { recordAudit } from '../audit/repository.ts';
import { writePass } from './commit.ts';
import { parseReport, type Report } from './job-report.ts';
import { holdLease } from './lease.ts';
import * as profile from './profile.ts';
import * as repo from './repository/jobs.ts';
import { validatePass } from './validate.ts';
import { kickSearchIndexing } from '../search/indexing.ts';

/**
 * Running an import's phase — the dry run or the commit — in the background (docs/DESIGN.md § Imports):
 * in a worker thread on its own connection on a SQLite file, in this process otherwise; the commit's
 * progress as it goes, and a failure recorded on the job.
 */

/** Commit progress of jobs running in this process (inside a transaction nothing else can see it). */
const live = new Map<number, number>();

/** The rows a phase running in this process has passed so far, if one is running. */
export const liveProgress = (jobId: number): number | undefined => live.get(jobId);

export type Phase = 'validate' | 'commit';

/** The tables a commit of each kind writes (commit.ts): the ones whose statistics it refreshes after. */
// Not search_grams: the indexing job writes them after (db.statistics refreshes them once they grew a lot).
const WRITTEN = {
  accounts: ['accounts', 'record_history', 'search_pending', 'import_rows'],
  contacts: ['contacts', 'search_pending', 'import_rows'],
  opportunities: [
    'opportunities',
    'opportunity_team',
    'opportunity_stage_history',
    'record_history',
    'search_pending',
    'import_rows',
  ],
  purchases: ['purchases', 'import_rows'],
} as const satisfies Record<string, readonly (keyof Database & string)[]>;

/**
 * Runs a phase in the background, in a worker thread with its own connection to the same
 * database: on SQLite the shared connection is serialised by Kysely and better-sqlite3 blocks
 * the thread it runs on; on PostgreSQL the phase's own JavaScript (parsing and checking every
 * row, building 500-row inserts) would otherwise take the server's event loop from other users
 * for tens of milliseconds at a time. An in-memory database (tests, the demo) runs it here.
 */
export function launch(db: Db, actor: Actor, jobId: number, phase: Phase, skipErrors: boolean) {
  const where: PhaseDatabase | null = db.sqliteFile
    ? { sqliteFile: db.sqliteFile }
    : db.databaseUrl
      ? { databaseUrl: db.databaseUrl }
      : null;
  if (where) {
    const worker = new Worker(new URL('./worker.ts', import.meta.url), {
      workerData: { task: 'phase', where, actor, jobId, phase, skipErrors },
    });
    worker.on('message', (m: { jobId: number; processed: number }) => live.set(m.jobId, m.processed));
    const done = () => live.delete(jobId);
    worker.on('exit', () => {
      done();
      // The worker's commit took fresh statistics on its own connection; a SQLite connection plans
      // with the old ones until it rereads them (as after the tier recompute). PostgreSQL shares them.
      if (phase === 'commit' && where.sqliteFile) void reloadPlannerStatistics(db).catch(() => undefined);
      if (phase === 'commit') void indexAfterCommit(db);
    });
    worker.on('error', (err) => {
      done();
      void markFailed(db.kysely, actor, jobId, `the import stopped: ${err.message}`);
    });
    return;
  }
  void runPhase(db.kysely, actor, jobId, phase, skipErrors, (processed) => live.set(jobId, processed))
    .finally(() => live.delete(jobId))
    .then(() => (phase === 'commit' ? indexAfterCommit(db) : undefined));
}

/** The committed records' search entries, written now in the background (a failed commit left none waiting). */
async function indexAfterCommit(db: Db): Promise<void> {
  await kickSearchIndexing(db).catch(() => undefined);
}

/** The database a phase's worker connects to. */
export type PhaseDatabase =
  { sqliteFile: string; databaseUrl?: undefined } | { databaseUrl: string; sqliteFile?: undefined };

async function markFailed(db: Kysely<Database>, actor: Actor, jobId: number, message: string) {
  const job = await repo.getJob(db, actor.workspaceId, jobId);
  if (!job) return;
  await repo.updateJob(db, actor.workspaceId, jobId, {
    status: 'failed',
    lease_expires_at: null,
    report: JSON.stringify({ ...parseReport(job.report), failure: message, failureInfo: null } satisfies Report),
  });
}

/** The phase itself; never throws (a failure is recorded on the job). Used by the worker too. */
export async function runPhase(
  db: Kysely<Database>,
  actor: Actor,
  jobId: number,
  phase: Phase,
  skipErrors: boolean,
  onProgress: (processed: number) => void,
  opts: { sqliteWorker?: boolean } = {},
): Promise<void> {
  db = profile.counted(db);
  const release = holdLease(db, actor.workspaceId, jobId);
  try {
    const job = await repo.getJob(db, actor.workspaceId, jobId);
    if (!job) return;
    const { counts, links, unknownValues } = await profile.step('check', () => validatePass(db, actor, job));
    const report: Report = { ...parseReport(job.report), counts, unknownValues, failure: null };
    if (phase === 'validate' || (counts.error > 0 && !skipErrors)) {
      if (phase === 'commit') report.failure = 'rows_have_errors';
      await repo.updateJob(db, actor.workspaceId, jobId, {
        status: 'validated',
        error_count: counts.error,
        processed_rows: job.total_rows,
        lease_expires_at: null,
        report: JSON.stringify(report),
      });
      return;
    }
    // In the SQLite worker the commit takes the write lock first and waits for it: other users'
    // writes on the server's connection then get 503 busy for a moment instead of breaking this.
    const write = <T>(fn: (trx: Kysely<Database>) => Promise<T>) =>
      opts.sqliteWorker ? immediateTransaction(db, fn) : db.transaction().execute(fn);
    const result = await profile.step('write: transaction', () =>
      write(async (trx) => {
        const passResult = await profile.step('write', () => writePass(trx, actor, job, links, onProgress));
        await recordAudit(
          trx,
          {
            workspaceId: actor.workspaceId,
            actorUserId: actor.userId,
            action: `import.${job.kind}`,
            targetType: 'import',
            targetId: jobId,
            detail: { fileName: job.file_name, rows: job.total_rows, ...passResult, errorsSkipped: counts.error },
          },
          actor.now,
        );
        await repo.updateJob(trx, actor.workspaceId, jobId, {
          status: 'committed',
          error_count: counts.error,
          processed_rows: job.total_rows,
          lease_expires_at: null,
          report: JSON.stringify({ ...report, result: passResult } satisfies Report),
        });
        return passResult;
      }),
    );
    void result;
    // Thousands of new rows at once: the planner's statistics of the tables written are out of date now.
    await profile
      .step('statistics', () =>
        refreshPlannerStatistics({ kysely: db }, 'bulk', WRITTEN[job.kind as keyof typeof WRITTEN]),
      )
      .catch(() => undefined);
  } catch (error) {
    await markFailed(
      db,
      actor,
      jobId,
      `${phase === 'commit' ? 'nothing was saved: ' : ''}${(error as Error).message}`,
    ).catch(() => undefined);
  } finally {
    release();
    profile.report(phase, jobId);
  }
}
