import { Worker } from 'node:worker_threads';
import type { FileFormat, TextEncoding } from '../../domain/spreadsheet-format.ts';
import { IMPORT_LIMITS, ImportLimitError } from './limits.ts';
import type { StoredRow } from './parse.ts';

/**
 * Reads an uploaded file in the import worker (worker.ts), never on the server's thread: the
 * bytes go to the worker, which decompresses and parses them under the caps (parse.ts) with a
 * V8 heap of its own, capped too, and sends the rows back in batches, at most two of them
 * waiting to be stored, each row's cells as the JSON text import_rows stores (serialised once,
 * in the worker; a string is cheaper to pass between threads than an array of cells). A file that would need more memory ends
 * the worker, not the server. At most `concurrentReads` workers read at once.
 */
export type ReadMessage =
  | { type: 'rows'; rows: StoredRow[] }
  | { type: 'end'; rows: StoredRow[] }
  | {
      type: 'limit';
      code: ImportLimitError['code'];
      message: string;
      limit: ImportLimitError['limit'];
      params: Record<string, string | number>;
    }
  | { type: 'error'; message: string };

/** Rows a message carries and the server stores in one statement (4 parameters a row: within both engines' caps). */
export const READ_BATCH = 2000;

let reading = 0;
const waiting: (() => void)[] = [];

async function slot(): Promise<() => void> {
  while (reading >= IMPORT_LIMITS.concurrentReads) await new Promise<void>((r) => waiting.push(r));
  reading++;
  return () => {
    reading--;
    waiting.shift()?.();
  };
}

/** Reads `bytes` in a worker; a Buffer that owns its memory is moved there, so the caller's is empty afterwards. */
export async function* readInWorker(
  bytes: Buffer,
  format: FileFormat,
  encoding: TextEncoding,
): AsyncGenerator<StoredRow[]> {
  const release = await slot();
  // The file's memory moves to the worker rather than being copied: a copy of a 17.7 MB file held
  // the server's thread 10-50 ms. A Buffer carved from Node's shared pool (a small file) is copied,
  // since moving the pool would empty its neighbours.
  const own =
    bytes.byteOffset === 0 && bytes.buffer.byteLength === bytes.byteLength && bytes.buffer instanceof ArrayBuffer;
  const worker = new Worker(new URL('./worker.ts', import.meta.url), {
    workerData: {
      task: 'read',
      bytes: new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength),
      format,
      encoding,
    },
    transferList: own ? [bytes.buffer as ArrayBuffer] : [],
    resourceLimits: { maxOldGenerationSizeMb: IMPORT_LIMITS.workerHeapMb, maxYoungGenerationSizeMb: 32 },
  });
  const inbox: ReadMessage[] = [];
  let failure: Error | null = null;
  let exited = false;
  let wake: (() => void) | null = null;
  const notify = () => {
    wake?.();
    wake = null;
  };
  worker.on('message', (message: ReadMessage) => {
    inbox.push(message);
    notify();
  });
  worker.on('error', (err) => {
    failure = err;
    notify();
  });
  worker.on('exit', () => {
    exited = true;
    notify();
  });
  try {
    for (;;) {
      while (inbox.length === 0 && !failure && !exited) await new Promise<void>((r) => (wake = r));
      const message = inbox.shift();
      if (!message) throw workerFailure(failure);
      if (message.type === 'limit')
        throw new ImportLimitError(message.code, message.limit, message.message, message.params);
      if (message.type === 'error') throw new Error(message.message);
      if (message.rows.length) yield message.rows;
      if (message.type === 'end') return;
      worker.postMessage('more');
    }
  } finally {
    await worker.terminate();
    release();
  }
}

function workerFailure(error: Error | null): Error {
  if ((error as { code?: string } | null)?.code === 'ERR_WORKER_OUT_OF_MEMORY') {
    return new ImportLimitError(
      'file_too_complex',
      { name: 'workerHeapMb', max: IMPORT_LIMITS.workerHeapMb },
      'needs more memory to read than an import may use; save it as CSV or split it',
    );
  }
  return new Error(error ? error.message : 'the reader stopped');
}
