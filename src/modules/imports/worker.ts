import { parentPort, workerData } from 'node:worker_threads';
import { openDatabase } from '../../db/database.ts';
import type { Actor } from '../../domain/policy.ts';
import { runPhase, type Phase } from './service.ts';

/**
 * Runs one import phase on its own SQLite connection (see service.ts): the server's shared
 * connection stays free for other requests, and WAL lets them read while this writes.
 */
const { file, actor, jobId, phase, skipErrors } = workerData as { file: string; actor: Actor; jobId: number; phase: Phase; skipErrors: boolean };
// A worker may wait for the write lock: blocking this thread stalls nobody else.
const db = openDatabase({ sqliteFile: file, busyTimeoutMs: 30_000 });
try {
  await runPhase(db.kysely, actor, jobId, phase, skipErrors, (processed) => parentPort?.postMessage({ jobId, processed }), { sqliteWorker: true });
} finally {
  await db.close();
}
