import module from 'node:module';
import { parentPort, workerData } from 'node:worker_threads';
import type { Actor } from '../../domain/policy.ts';
import type { FileFormat, TextEncoding } from '../../domain/spreadsheet-format.ts';
import type { StoredRow } from './parse.ts';
import type { ReadMessage } from './reading.ts';
import type { Phase, PhaseDatabase } from './run-phase.ts';

/**
 * The import's worker thread, for two kinds of work that must not run on the server's thread:
 * - `read`: parse an uploaded file under the import's caps (parse.ts), in a heap of its own
 *   (reading.ts starts it with resource limits), and send the rows back batch by batch;
 * - a phase (dry run, commit) on its own connection (see run-phase.ts): the server's thread stays
 *   free for other requests; on SQLite its shared connection too, and WAL lets them read while this writes.
 */
type Task =
  | { task: 'read'; bytes: Uint8Array; format: FileFormat; encoding: TextEncoding }
  | { task: 'phase'; where: PhaseDatabase; actor: Actor; jobId: number; phase: Phase; skipErrors: boolean };

// Each phase starts a thread that loads the app's modules again: with V8's compiled code kept on
// disk (Node's compile cache: NODE_COMPILE_CACHE, else its directory under the system's temporary
// one) that takes about half the CPU — 230-280 ms against 120-150 ms a start, load 7.
module.enableCompileCache?.();

const data = workerData as Task;
if (data.task === 'read') await read(data);
else await runOnOwnConnection(data);

async function read(task: Extract<Task, { task: 'read' }>) {
  const [{ readRows }, { ImportLimitError }, { READ_BATCH }] = await Promise.all([
    import('./parse.ts'),
    import('./limits.ts'),
    import('./reading.ts'),
  ]);
  const port = parentPort!;
  const send = (m: ReadMessage) => port.postMessage(m);
  // At most two batches unstored: this thread parses the next while the server stores one.
  let unstored = 0;
  let more: (() => void) | null = null;
  const onMore = () => {
    unstored--;
    more?.();
  };
  port.on('message', onMore);
  try {
    let batch: StoredRow[] = [];
    for await (const row of readRows(
      Buffer.from(task.bytes.buffer, task.bytes.byteOffset, task.bytes.byteLength),
      task.format,
      task.encoding,
    )) {
      batch.push({ rowNo: row.rowNo, data: row.data });
      if (batch.length < READ_BATCH) continue;
      while (unstored >= 2) await new Promise<void>((r) => (more = r));
      unstored++;
      send({ type: 'rows', rows: batch });
      batch = [];
    }
    send({ type: 'end', rows: batch });
  } catch (error) {
    if (error instanceof ImportLimitError)
      send({ type: 'limit', code: error.code, message: error.message, limit: error.limit, params: error.params });
    else send({ type: 'error', message: (error as Error).message });
  } finally {
    port.off('message', onMore);
  }
}

async function runOnOwnConnection(task: Extract<Task, { task: 'phase' }>) {
  const [{ openDatabase }, { runPhase }] = await Promise.all([
    import('../../db/database.ts'),
    import('./run-phase.ts'),
  ]);
  // A worker may wait for SQLite's write lock: blocking this thread stalls nobody else.
  const db = task.where.sqliteFile
    ? openDatabase({ sqliteFile: task.where.sqliteFile, busyTimeoutMs: 30_000 })
    : openDatabase({ databaseUrl: task.where.databaseUrl });
  try {
    await runPhase(
      db.kysely,
      task.actor,
      task.jobId,
      task.phase,
      task.skipErrors,
      (processed) => parentPort?.postMessage({ jobId: task.jobId, processed }),
      { sqliteWorker: db.engine === 'sqlite' },
    );
  } finally {
    await db.close();
  }
}
