import { parentPort, workerData } from 'node:worker_threads';
import type { JobTask, WorkerReply, WorkerRequest } from './off-thread.ts';

/**
 * The job worker thread (off-thread.ts): for each task it is sent, in order, it opens a
 * connection of its own to the SQLite file, runs the task's function on it, closes it and sends
 * the result back. It may wait long for the write lock (busy timeout 30 s): blocking this
 * thread stalls nobody else.
 */
const { file } = workerData as { file: string };

async function run(task: JobTask): Promise<unknown> {
  const { openDatabase } = await import('../../db/database.ts');
  const db = openDatabase({ sqliteFile: file, busyTimeoutMs: 30_000 });
  try {
    switch (task.job) {
      case 'pool.release': {
        const pool = await import('../pool/release.ts');
        return task.workspaceId === undefined
          ? await pool.releaseAllHere(db.kysely, db.engine, task.now, { sqliteWorker: true })
          : await pool.releaseStaleAccounts(db.kysely, db.engine, task.workspaceId, task.now, undefined, {
              sqliteWorker: true,
            });
      }
      case 'tiers.recompute': {
        const tiers = await import('../tiers/recompute.ts');
        return task.workspaceId === undefined
          ? await tiers.recomputeAllHere(db, task.now, { sqliteWorker: true })
          : await tiers.recomputeWorkspace(db, task.workspaceId, task.actorUserId ?? null, task.now, {
              sqliteWorker: true,
            });
      }
      case 'exports.count': {
        const exports = await import('../exports/repository.ts');
        return (await exports.exportRows(db.kysely, db.engine, task.count, null)).total;
      }
      case 'search.index': {
        const indexing = await import('../search/indexing.ts');
        return await indexing.indexPendingHere(db.kysely, db.engine, { sqliteWorker: true });
      }
      case 'housekeeping': {
        const { JOBS } = await import('../../server/housekeeping.ts');
        const job = JOBS.find((candidate) => candidate.name === task.name);
        if (!job) throw new Error(`no such housekeeping job: ${task.name}`);
        return await job.here(db, { now: task.now, sessionIdleMs: task.sessionIdleMs, sqliteWorker: true });
      }
      default:
        throw new Error(`no such job: ${(task as { job: string }).job}`);
    }
  } finally {
    await db.close();
  }
}

async function answer({ id, task }: WorkerRequest): Promise<void> {
  let reply: WorkerReply;
  try {
    reply = { ok: true, result: await run(task) };
  } catch (error) {
    reply = { ok: false, message: error instanceof Error ? error.message : String(error) };
  }
  parentPort!.postMessage({ id, reply });
}

// One task at a time: the next starts when the previous has answered (see off-thread.ts).
let queue = Promise.resolve();
parentPort!.on('message', (request: WorkerRequest) => {
  queue = queue.then(() => answer(request));
});
