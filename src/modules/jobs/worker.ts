import { parentPort, workerData } from 'node:worker_threads';
import type { JobTask, WorkerReply } from './off-thread.ts';

/**
 * The job worker thread (off-thread.ts): opens its own connection to the SQLite file, runs the
 * task's function on it, closes it and sends the result back. It may wait long for the write
 * lock (busy timeout 30 s): blocking this thread stalls nobody else.
 */
const { file, task } = workerData as { file: string; task: JobTask };

async function run(): Promise<unknown> {
  const { openDatabase } = await import('../../db/database.ts');
  const db = openDatabase({ sqliteFile: file, busyTimeoutMs: 30_000 });
  try {
    switch (task.job) {
      case 'pool.release': {
        const pool = await import('../pool/service.ts');
        return task.workspaceId === undefined
          ? await pool.releaseAllHere(db.kysely, db.engine, task.now, { sqliteWorker: true })
          : await pool.releaseStaleAccounts(db.kysely, db.engine, task.workspaceId, task.now, undefined, {
              sqliteWorker: true,
            });
      }
      case 'tiers.recompute': {
        const tiers = await import('../tiers/service.ts');
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
    }
  } finally {
    await db.close();
  }
}

let reply: WorkerReply;
try {
  reply = { ok: true, result: await run() };
} catch (error) {
  reply = { ok: false, message: error instanceof Error ? error.message : String(error) };
}
parentPort!.postMessage(reply);
