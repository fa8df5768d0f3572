import { Worker } from 'node:worker_threads';
import type { Db } from '../../db/database.ts';
import type { ExportCount } from '../exports/repository.ts';

/**
 * Heavy work (every housekeeping job, src/server/housekeeping.ts; the tier recompute and the pool release a
 * manager starts; a large export's count; the search indexing an import kicks) must not stall other users
 * (issue 8). On SQLite every statement of the server runs on its one connection, synchronously on
 * the event-loop thread: a job of seconds there holds every request for seconds. So on a SQLite
 * file the job runs in a worker thread (worker.ts) on a connection of its own, as the import's
 * phases do: WAL lets the server's connection go on reading meanwhile, and its writes wait (off
 * the event loop, src/db/busy-wait.ts) only for the job's short write transactions. PostgreSQL runs the
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
  | { job: 'exports.count'; count: ExportCount }
  | { job: 'search.index' }
  | { job: 'housekeeping'; name: string; now: number; sessionIdleMs: number };

export type WorkerReply = { ok: true; result: unknown } | { ok: false; message: string };
export type WorkerRequest = { id: number; task: JobTask };

/** How many jobs ran in a worker thread, and how many worker threads started, since start (tests check the worker path is taken). */
export const offThreadRuns = { count: 0, workers: 0 };

export function runsOffThread(db: Db): boolean {
  return db.engine === 'sqlite' && db.sqliteFile !== undefined;
}

/**
 * One worker per SQLite file, kept while jobs keep coming and stopped after IDLE_MS without one.
 * A thread per job cost the server its own V8 heap and module graph each time, and the memory
 * the C library kept after each such thread ended piled up: at the scale set the tier recompute
 * took the server from 63 to 205 MB resident, and three in a row to 284 (issue 8: ≤ 500 MB).
 * Its young generation is kept small (8 MB): V8 otherwise grows it to tens of MB in a job that
 * allocates fast, and the tier recompute's heap reached 193 MB for 40 MB of live data (78 MB now).
 * Jobs run one at a time, in order: two writing jobs on one thread would deadlock, the second
 * one's busy wait (synchronous in SQLite) stalling the thread the first needs to finish.
 */
const IDLE_MS = 15_000;
const RESOURCE_LIMITS = { maxYoungGenerationSizeMb: 8 };

interface Pending {
  resolve(value: unknown): void;
  reject(error: Error): void;
}
interface JobWorker {
  worker: Worker;
  pending: Map<number, Pending>;
  idle: NodeJS.Timeout | null;
}
const workers = new Map<string, JobWorker>();
let nextId = 1;

function workerFor(file: string): JobWorker {
  const existing = workers.get(file);
  if (existing) return existing;
  const worker = new Worker(new URL('./worker.ts', import.meta.url), {
    workerData: { file },
    resourceLimits: RESOURCE_LIMITS,
  });
  offThreadRuns.workers++;
  const entry: JobWorker = { worker, pending: new Map(), idle: null };
  worker.on('message', ({ id, reply }: { id: number; reply: WorkerReply }) => {
    const job = entry.pending.get(id);
    if (!job) return;
    entry.pending.delete(id);
    if (reply.ok) job.resolve(reply.result);
    else job.reject(new Error(reply.message));
    if (entry.pending.size === 0) {
      // With nothing to do it must not keep the process (a test run, a CLI command) alive.
      worker.unref();
      entry.idle = setTimeout(() => void stop(file, entry), IDLE_MS);
      entry.idle.unref();
    }
  });
  const fail = (error: Error) => {
    if (workers.get(file) === entry) workers.delete(file);
    for (const job of entry.pending.values()) job.reject(error);
    entry.pending.clear();
  };
  worker.on('error', fail);
  worker.on('exit', (code) => fail(new Error(`the job worker stopped (exit code ${code})`)));
  workers.set(file, entry);
  return entry;
}

async function stop(file: string, entry: JobWorker) {
  if (entry.pending.size > 0) return;
  if (workers.get(file) === entry) workers.delete(file);
  await entry.worker.terminate();
}

export function offThread<T>(db: Db, task: JobTask, here: () => Promise<T>): Promise<T> {
  if (!runsOffThread(db)) return here();
  offThreadRuns.count++;
  const entry = workerFor(db.sqliteFile!);
  if (entry.idle) clearTimeout(entry.idle);
  entry.idle = null;
  entry.worker.ref();
  const id = nextId++;
  return new Promise<T>((resolve, reject) => {
    entry.pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
    entry.worker.postMessage({ id, task } satisfies WorkerRequest);
  });
}
