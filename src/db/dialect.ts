import { sql, type ColumnDefinitionBuilder, type Expression, type Kysely, type RawBuilder } from 'kysely';

/**
 * The few places where SQLite and PostgreSQL differ, kept in one module
 * (ARCHITECTURE.md § Decisions: "dialect differences live in one small module").
 */
export type Engine = 'sqlite' | 'postgres';

/** Integer surrogate key: SQLite rowid alias, PostgreSQL identity column. */
export function idColumnType(engine: Engine): 'integer' | 'serial' {
  return engine === 'postgres' ? 'serial' : 'integer';
}

export function idColumn(engine: Engine) {
  return (col: ColumnDefinitionBuilder) =>
    engine === 'postgres' ? col.primaryKey() : col.primaryKey().autoIncrement();
}

/** File contents: bytea on PostgreSQL, blob on SQLite. */
export function blobType(engine: Engine): 'bytea' | 'blob' {
  return engine === 'postgres' ? 'bytea' : 'blob';
}

/** Epoch milliseconds exceed 32 bits: bigint on PostgreSQL (parsed back to number), integer on SQLite. */
export const instantType = 'bigint' as const;

/**
 * Case-insensitive substring match that also finds Chinese substrings. SQLite's LIKE is
 * ASCII-case-insensitive already; PostgreSQL needs ILIKE.
 */
export function containsInsensitive(engine: Engine, column: Expression<unknown>, needle: string): RawBuilder<boolean> {
  const pattern = `%${escapeLike(needle)}%`;
  return engine === 'postgres'
    ? sql<boolean>`${column} ilike ${pattern} escape '\\'`
    : sql<boolean>`${column} like ${pattern} escape '\\'`;
}

/**
 * A name column as people sort names (docs/DESIGN.md § Sorting names): pinyin order for
 * Chinese, the same on both engines — PostgreSQL's `keyline_zh` collation (ICU, migration
 * 0017), SQLite's `zh_sort_key` function (src/domain/name-sort.ts, registered on every
 * connection in db/database.ts).
 */
export function nameOrder(engine: Engine, column: Expression<unknown>): RawBuilder<string> {
  return engine === 'postgres' ? sql<string>`${column} collate keyline_zh` : sql<string>`zh_sort_key(${column})`;
}

export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/**
 * Serialises a check-then-insert across server processes. SQLite has one writer at a time
 * already; PostgreSQL needs an explicit table lock inside the transaction.
 */
export async function lockTable(
  engine: Engine,
  db: { executeQuery: Kysely<unknown>['executeQuery'] },
  table: string,
): Promise<void> {
  if (engine === 'postgres')
    await sql`lock table ${sql.table(table)} in share row exclusive mode`.execute(db as Kysely<unknown>);
}

/**
 * Row locks for a read-then-write under READ COMMITTED: PostgreSQL takes them with
 * SELECT … FOR UPDATE; SQLite runs one write transaction at a time and needs (and has) none.
 */
export async function lockRows(engine: Engine, query: { forUpdate(): { execute(): Promise<unknown> } }): Promise<void> {
  if (engine === 'postgres') await query.forUpdate().execute();
}

/**
 * Runs `fn` on one pooled connection while holding a session-level advisory lock on
 * (space, key) — serialisation across server processes where there is no row to lock (an
 * email that may not exist). `fn` must use the connection it is given, so waiting never
 * needs a second one, and a process that dies releases the lock with its connection.
 * PostgreSQL only; SQLite serves one process per file and runs `fn` as is.
 */
export async function withAdvisoryLock<DB, T>(
  engine: Engine,
  db: Kysely<DB>,
  space: number,
  key: string,
  fn: (conn: Kysely<DB>) => Promise<T>,
): Promise<T> {
  if (engine !== 'postgres' || db.isTransaction) return fn(db);
  return db.connection().execute(async (conn) => {
    await sql`select pg_advisory_lock(${space}, hashtext(${key}))`.execute(conn);
    try {
      return await fn(conn);
    } finally {
      // Fails only if the connection broke, and then PostgreSQL has released the lock with it.
      await sql`select pg_advisory_unlock(${space}, hashtext(${key}))`.execute(conn).catch(() => undefined);
    }
  });
}

/**
 * A background job's large read on PostgreSQL without parallel workers: such a read (the pool
 * release's accounts due, hundreds of milliseconds at the scale set) is otherwise planned with
 * two workers beside its own backend, three processes that take every core of a small server
 * from other users' requests while it runs (issue 10: a rep's lists p99 ≤ 20 ms during the pool
 * job). The job may take longer; it is not waited for. Set for `fn`'s transaction only; inside a
 * caller's transaction it holds until that one ends. SQLite has no parallel query.
 */
export async function withoutParallelWorkers<DB, T>(
  engine: Engine,
  db: Kysely<DB>,
  fn: (trx: Kysely<DB>) => Promise<T>,
): Promise<T> {
  if (engine !== 'postgres') return fn(db);
  const run = async (trx: Kysely<DB>) => {
    await sql`set local max_parallel_workers_per_gather = 0`.execute(trx);
    return fn(trx);
  };
  return db.isTransaction ? run(db) : db.transaction().execute(run);
}

/** SQLite refused a write because another connection holds the lock (SQLITE_BUSY, _SNAPSHOT…). */
export const isSqliteBusy = (err: unknown): boolean =>
  typeof err === 'object' &&
  err !== null &&
  typeof (err as { code?: unknown }).code === 'string' &&
  (err as { code: string }).code.startsWith('SQLITE_BUSY');

/** A unique index refused the row (PostgreSQL 23505, SQLite SQLITE_CONSTRAINT_UNIQUE): two writers raced, one lost. */
export const isUniqueViolation = (err: unknown): boolean => {
  const code = typeof err === 'object' && err !== null ? (err as { code?: unknown }).code : undefined;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE';
};

/** PostgreSQL SQLSTATEs that mean "the server is going away or not there", not "your query is wrong". */
const UNAVAILABLE_SQLSTATES = new Set([
  '57P01',
  '57P02',
  '57P03',
  '53300',
  '08000',
  '08001',
  '08003',
  '08004',
  '08006',
]);
const UNAVAILABLE_ERRNOS = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
]);
/** pg reports a dropped socket and a pool that found no connection in time only by message. */
const UNAVAILABLE_MESSAGE =
  /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|and is not queryable/i;

/**
 * The database cannot be reached right now (PostgreSQL restarting, the network cut, the pool
 * unable to connect in time): the request should be retried later, the server keeps running.
 */
export function isDatabaseUnavailable(err: unknown, depth = 0): boolean {
  if (typeof err !== 'object' || err === null || depth > 3) return false;
  const { code, message, errors, cause } = err as {
    code?: unknown;
    message?: unknown;
    errors?: unknown;
    cause?: unknown;
  };
  if (typeof code === 'string' && (UNAVAILABLE_SQLSTATES.has(code) || UNAVAILABLE_ERRNOS.has(code))) return true;
  if (typeof message === 'string' && UNAVAILABLE_MESSAGE.test(message)) return true;
  // A refused connection to a name with several addresses arrives as an AggregateError.
  if (Array.isArray(errors) && errors.some((x) => isDatabaseUnavailable(x, depth + 1))) return true;
  return cause !== undefined && isDatabaseUnavailable(cause, depth + 1);
}
