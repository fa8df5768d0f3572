import fs from 'node:fs';
import path from 'node:path';
import { zhSortKey } from '../domain/name-sort.ts';
import SQLite from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import type { Database } from './schema.ts';
import { cachingStatements } from './statement-cache.ts';
import type { Engine } from './dialect.ts';
import { sqliteBusyWaitMsOf, sqliteSynchronousOf, type SqliteSynchronous } from '../config.ts';
import { busyWaitingKysely } from './busy-wait.ts';
import { preparedStatementOf, type PreparedStatement } from './fixed-query.ts';

// int8 (bigint) and numeric come back from pg as strings; our bigints are epoch ms and fen,
// both well inside Number.MAX_SAFE_INTEGER.
pg.types.setTypeParser(20, (v) => Number(v));
pg.types.setTypeParser(1700, (v) => Number(v));

export interface Db {
  kysely: Kysely<Database>;
  engine: Engine;
  /** Where the SQLite file lives (undefined for PostgreSQL and in-memory databases). */
  sqliteFile?: string;
  /** Where PostgreSQL is (undefined for SQLite): a worker thread opens its own pool there (the import's phases). */
  databaseUrl?: string;
  sqlite?: SQLite.Database;
  /**
   * The same database for writes that may be skipped (a session's "last seen"): on the server's
   * SQLite connection one that finds the write lock taken fails at once with SQLITE_BUSY instead
   * of waiting for it as `kysely` does (src/db/busy-wait.ts). Otherwise `kysely` itself.
   */
  noWait: Kysely<Database>;
  close(): Promise<void>;
}

export interface DbOptions {
  databaseUrl?: string | undefined;
  /** SQLite file path, or ":memory:". */
  sqliteFile?: string;
  /**
   * A worker thread's connection (the import's, the job worker's): how long a SQLite statement
   * waits for another connection's write lock, synchronously — it blocks only its own thread.
   * Without it the connection is the server's: better-sqlite3's wait would stall the event loop
   * for everyone, so no statement waits and a unit of work refused SQLITE_BUSY is run again
   * after asynchronous pauses, for at most `busyWaitMs` (src/db/busy-wait.ts).
   */
  busyTimeoutMs?: number;
  /** The server's connection: how long a unit of work waits out the write lock (KEYLINE_SQLITE_BUSY_WAIT_MS). */
  busyWaitMs?: number;
  /**
   * full: a commit is on disk before it is answered (survives power loss); normal: faster, but
   * the last commits before a power cut may be lost (WAL keeps the file consistent either way).
   * Every connection of the process follows KEYLINE_SQLITE_SYNCHRONOUS unless told otherwise.
   */
  synchronous?: SqliteSynchronous;
}

/** Only the owner reads the database, its WAL and its backups: they hold every workspace's data and password hashes. */
export const PRIVATE_FILE_MODE = 0o600;
export const PRIVATE_DIR_MODE = 0o700;

/**
 * Creates the database file owner-only before SQLite opens it (SQLite gives the -wal and -shm
 * files the database file's mode), and narrows the modes of files an older version left 0644.
 */
function makePrivate(file: string) {
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: PRIVATE_DIR_MODE });
  fs.closeSync(fs.openSync(file, 'a', PRIVATE_FILE_MODE));
  for (const filePath of [file, `${file}-wal`, `${file}-shm`]) {
    try {
      fs.chmodSync(filePath, PRIVATE_FILE_MODE);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
}

/**
 * Settings of every connection the server opens. No JIT: its compilation (70–90 ms) was most of
 * a rep's search statement at the scale set (a 225 ms statement, 93 ms of it JIT), and the
 * server runs short statements over indexes, where it never pays back. Per connection, so the
 * PostgreSQL server's own configuration stays the operator's.
 */
export const POSTGRES_SESSION_OPTIONS = '-c jit=off';

/**
 * Runs the fixed queries and the shaped queries asked to run on a generic plan
 * (src/db/fixed-query.ts) as named statements on this connection: pg parses a named statement
 * once per connection and then only binds and executes it. Kysely calls `query(text, values)`;
 * only those texts get a name, so every other statement runs as before. (A transaction-pooling
 * proxy such as PgBouncer's transaction mode does not keep named statements: Keyline connects
 * to PostgreSQL itself, docs/DESIGN.md.)
 */
export function keepFixedQueriesPrepared(client: pg.PoolClient): void {
  const query = client.query.bind(client) as (...args: unknown[]) => Promise<unknown>;
  client.query = ((text: unknown, values?: unknown, callback?: unknown) => {
    const prepared = typeof text === 'string' && Array.isArray(values) ? preparedStatementOf(text) : undefined;
    if (prepared === undefined) return query(text, values, callback);
    const named = { name: prepared.name, text, values };
    return prepared.generic && callback === undefined ? onGenericPlan(query, named) : query(named, callback);
  }) as typeof client.query;
}

/**
 * PostgreSQL plans a named statement afresh with each call's values for its first five calls,
 * and after that only where its generic plan is not estimated dearer: for the board's union of
 * a limited read per column the generic plan's estimate assumes a tenth of each column instead
 * of its 50 cards, so it planned every call (72 ms of planning for 15–27 ms of execution at the
 * scale set). `plan_cache_mode` can only be set for a session or a transaction, not a
 * statement: it is set around the statement (two short round trips), so no other statement on
 * the connection runs on a generic plan. Inside a transaction that fails, its rollback undoes the set.
 */
async function onGenericPlan(
  query: (...args: unknown[]) => Promise<unknown>,
  named: Omit<PreparedStatement, 'generic'> & { text: unknown; values: unknown },
) {
  await query('set plan_cache_mode = force_generic_plan');
  try {
    return await query(named);
  } finally {
    await query('reset plan_cache_mode').catch(() => undefined);
  }
}

export function openDatabase(opts: DbOptions): Db {
  if (opts.databaseUrl) {
    // A request waits at most 5 s for a connection (PostgreSQL restarting, the network cut, or
    // every connection busy) and then fails as 503 `unavailable` (src/server/errors.ts) instead
    // of hanging; broken connections leave the pool and new ones are opened on demand.
    const pool = new pg.Pool({
      connectionString: opts.databaseUrl,
      max: 10,
      connectionTimeoutMillis: 5000,
      keepAlive: true,
      options: POSTGRES_SESSION_OPTIONS,
    });
    // An idle connection can fail on its own (server restart, admin termination); without a
    // listener pg rethrows that as an uncaught exception and the whole server stops.
    pool.on('error', (err) => console.warn(`keyline: idle PostgreSQL connection failed: ${err.message}`));
    // The same for a connection that breaks while checked out but between queries (inside a
    // transaction, while a password is verified): the next query on it fails instead, and
    // pg drops it from the pool when it is released.
    pool.on('connect', (client) => {
      client.on('error', () => undefined);
      keepFixedQueriesPrepared(client);
    });
    const kysely = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    return { kysely, noWait: kysely, engine: 'postgres', databaseUrl: opts.databaseUrl, close: () => kysely.destroy() };
  }
  const file = opts.sqliteFile ?? ':memory:';
  if (file !== ':memory:') makePrivate(file);
  const sqlite = new SQLite(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('foreign_keys = ON');
  // A worker waits for the lock in SQLite; the server's connection never does (busyWaitingKysely).
  const workerWait = opts.busyTimeoutMs === undefined ? undefined : Math.max(0, Math.round(opts.busyTimeoutMs));
  sqlite.pragma(`busy_timeout = ${workerWait ?? 0}`);
  sqlite.pragma(`synchronous = ${(opts.synchronous ?? sqliteSynchronousOf()) === 'normal' ? 'NORMAL' : 'FULL'}`);
  sqlite.function('zh_sort_key', { deterministic: true }, (name: unknown) =>
    zhSortKey(typeof name === 'string' ? name : name === null ? null : String(name)),
  );
  const dialect = new SqliteDialect({ database: cachingStatements(sqlite) });
  const { waiting: kysely, once: noWait } =
    workerWait === undefined
      ? busyWaitingKysely<Database>(dialect, opts.busyWaitMs ?? sqliteBusyWaitMsOf())
      : { waiting: new Kysely<Database>({ dialect }), once: undefined };
  return {
    kysely,
    noWait: noWait ?? kysely,
    engine: 'sqlite',
    sqlite,
    ...(file !== ':memory:' ? { sqliteFile: file } : {}),
    close: () => kysely.destroy(),
  };
}

export function sqliteFileIn(dataDir: string): string {
  return path.join(dataDir, 'keyline.db');
}
