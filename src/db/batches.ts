/**
 * Bulk writes and `IN (…)` lists are cut into batches: one statement may bind at most 32,766
 * values on SQLite and 65,535 on PostgreSQL, and a statement past that fails and rolls the
 * whole transaction back (the tier recompute did above ~3,640 changed accounts). 500 rows of
 * up to ~60 columns, or 500 ids, stay far below both limits.
 */
export const BATCH_ROWS = 500;

/** The items in consecutive batches of at most `size`. */
export function batches<T>(items: readonly T[], size = BATCH_ROWS): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Runs `run` on each batch in turn (one transaction stays one connection) and joins what they return. */
export async function inBatches<T, R>(
  items: readonly T[],
  run: (batch: T[]) => Promise<R[] | void>,
  size = BATCH_ROWS,
): Promise<R[]> {
  const out: R[] = [];
  for (const batch of batches(items, size)) {
    const got = await run(batch);
    if (got) out.push(...got);
  }
  return out;
}
