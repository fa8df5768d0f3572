import { Worker } from 'node:worker_threads';
import type { Db } from '../../db/database.ts';
import type { ExportCount } from '../exports/repository.ts';

/**
 * Heavy work (the nightly pool release, the tier recompute, a large export's count) must not stall other users
 * (issue 8). On SQLite every statement of the server runs on its one connection, synchronously on
 * the event-loop thread: a job of seconds there holds every request for seconds. So on a SQLite
 * file the job runs in a worker thread (worker.ts) on a connection of its own, as the import's
 * phases do: WAL lets the server's connection go on reading meanwhile, and its writes wait at
 * most the server's busy timeout for the job's short write transactions. PostgreSQL runs the
 * same function in this process: its driver is asynchronous and each query has a pooled
 * connection, so the event loop stays free. An in-memory SQLite database cannot be shared with a
 * worker, so it runs in process too.
 *
 * The worker runs the very function `here` runs (worker.ts maps each task to it), so both paths
 * give the same results; what it returns must survive structured cloning.
 */
export type JobTask =
  | { job: 'pool.release'; now: number; workspaceId?: number }
  | { job: 'tiers.recompute'; now: number; workspaceId?: number; actorUserId?: number | null }
  | { job: 'exports.count'; count: ExportCount };

export type WorkerReply = { ok: true; result: unknown } | { ok: false; message: string };

/** How many jobs ran in a worker thread since start (tests check the worker path is taken). */
export const offThreadRuns = { count: 0 };

export function runsOffThread(db: Db): boolean {
  return db.engine === 'sqlite' && db.sqliteFile !== undefined;
}

export function offThread<T>(db: Db, task: JobTask, here: () => Promise<T>): Promise<T> {
  if (!runsOffThread(db)) return here();
  offThreadRuns.count++;
  return new Promise<T>((resolve, reject) => {
    let reply: WorkerReply | null = null;
    const worker = new Worker(new URL('./worker.ts', import.meta.url), {
      workerData: { file: db.sqliteFile, task },
    });
    worker.on('message', (message: WorkerReply) => (reply = message));
    worker.on('error', reject);
    worker.on('exit', (code) => {
      if (reply?.ok) resolve(reply.result as T);
      else reject(new Error(reply?.message ?? `the ${task.job} worker stopped (exit code ${code})`));
    });
  });
}
