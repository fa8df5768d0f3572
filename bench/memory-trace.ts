/**
 * A preload for `keyline serve` (bench/memory.ts --trace FILE gives it through NODE_OPTIONS):
 * samples the process's memory every 50 ms — resident (RSS), V8's heap (total, used, its young
 * generation's, old generation's and large objects' sizes), external and array buffers — and appends one JSON line a second to
 * KEYLINE_MEMORY_TRACE with each figure's peak in that second, in MB, and the instant (ms since
 * the epoch). RSS minus the V8 heap minus array buffers is what the C library holds
 * (driver buffers freed but kept, zlib, SQLite's page cache on the worker's connection).
 */
import fs from 'node:fs';
import v8 from 'node:v8';
import { isMainThread } from 'node:worker_threads';

const file = process.env.KEYLINE_MEMORY_TRACE;
if (file && isMainThread) {
  const mb = (bytes: number) => Math.round(bytes / 1048576);
  let peak: Record<string, number> = {};
  const sample = () => {
    const usage = process.memoryUsage();
    let young = 0;
    let old = 0;
    let large = 0;
    for (const space of v8.getHeapSpaceStatistics()) {
      if (space.space_name === 'new_space') young = space.space_size;
      if (space.space_name === 'old_space') old = space.space_size;
      if (space.space_name.includes('large_object')) large += space.space_size;
    }
    const now: Record<string, number> = {
      rss: usage.rss,
      heapTotal: usage.heapTotal,
      heapUsed: usage.heapUsed,
      young,
      old,
      large,
      external: usage.external,
      arrayBuffers: usage.arrayBuffers,
      native: usage.rss - usage.heapTotal - usage.arrayBuffers,
    };
    for (const [key, value] of Object.entries(now)) peak[key] = Math.max(peak[key] ?? 0, value);
  };
  const flush = () => {
    const line = Object.fromEntries(Object.entries(peak).map(([key, value]) => [key, mb(value)]));
    fs.appendFileSync(file, `${JSON.stringify({ at: Date.now(), ...line })}\n`);
    peak = {};
  };
  setInterval(sample, 50).unref();
  setInterval(flush, 1000).unref();
}
