import { Kysely, type ConnectionProvider, type DatabaseConnection, type Dialect, type Driver } from 'kysely';
import { CompiledQuery } from 'kysely';
import { isSqliteBusy } from './dialect.ts';

/**
 * Waiting for SQLite's write lock without stalling the server (docs/DESIGN.md § The embedded
 * database under load). better-sqlite3's own busy wait (`busy_timeout`) sleeps on the calling
 * thread, the server's one event loop, so every other request waits with the write. The server's
 * connection therefore has no busy timeout: a statement that finds the lock taken fails at once
 * with SQLITE_BUSY, and its whole unit of work — one autocommit statement, or a transaction
 * after Kysely has rolled it back — is tried again after an asynchronous pause, while the other
 * requests use the connection.
 */

/** The first pause after a refusal; each further one doubles, up to MAX_PAUSE_MS, jittered. */
const FIRST_PAUSE_MS = 2;
const MAX_PAUSE_MS = 50;

const pauseBefore = (attempt: number): number => {
  const pause = Math.min(MAX_PAUSE_MS, FIRST_PAUSE_MS * 2 ** attempt);
  // Jittered so that several waiting requests do not all try again at the same moment.
  return pause / 2 + (Math.random() * pause) / 2;
};

/**
 * Runs `work` again while it fails SQLITE_BUSY*, pausing between tries, for at most `budgetMs`
 * after the first refusal; then that refusal propagates (503 `busy`, src/server/errors.ts).
 * `lockFree` is asked after each pause before `work` runs again, so a transaction that reads a
 * lot before it writes is not re-run every few milliseconds while the lock stays taken.
 */
export async function untilNotBusy<T>(
  work: () => Promise<T>,
  budgetMs: number,
  lockFree: () => Promise<boolean> = async () => true,
): Promise<T> {
  let deadline: number | undefined;
  let attempt = 0;
  for (;;) {
    try {
      return await work();
    } catch (error) {
      if (!isSqliteBusy(error)) throw error;
      deadline ??= performance.now() + budgetMs;
      do {
        const left = deadline - performance.now();
        if (left <= 0) throw error;
        await new Promise((resolve) => setTimeout(resolve, Math.min(left, pauseBefore(attempt++))));
      } while (!(await lockFree()));
    }
  }
}

/**
 * Whether the write lock can be taken right now: BEGIN IMMEDIATE and at once ROLLBACK. Holds the
 * lock for microseconds; a worker that wants it meanwhile waits in its own busy timeout.
 */
async function writeLockFree(connection: DatabaseConnection): Promise<boolean> {
  try {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  } catch (error) {
    if (isSqliteBusy(error)) return false;
    throw error;
  }
  await connection.executeQuery(CompiledQuery.raw('rollback'));
  return true;
}

/**
 * Two Kyselys on `dialect` (SQLite) sharing its one connection: `waiting`, whose units of work
 * wait out SQLITE_BUSY asynchronously, each for at most `budgetMs`, and `once`, whose units
 * fail at the first refusal (best-effort writes).
 *
 * Where the retry sits: Kysely lends its one SQLite connection to one unit of work at a time (a
 * mutex in its RuntimeDriver, from acquiring the connection to releasing it), through the root
 * executor's connection provider. Every autocommit statement, `transaction().execute(fn)` and
 * `connection().execute(fn)` asks that provider, and gets the error only after the connection
 * is released and a failed transaction rolled back. So the provider here wraps Kysely's own and
 * retries the whole unit outside the mutex, while other requests' statements run. Executors
 * derived from the root (withPlugin, withSchema, withoutPlugins) keep the provider; a
 * transaction's executor replaces it with the transaction's single connection, so statements
 * inside a transaction are never retried on their own — only their transaction, whole.
 *
 * Kysely builds its RuntimeDriver and provider itself and exports neither: a plain Kysely is
 * built on the dialect, and both are built from its root executor (so they share its mutex) and
 * from the dialect's driver, taken as that Kysely creates it, for beginning, committing and
 * rolling back transactions (which RuntimeDriver only passes on) and for `destroy()`, which
 * closes the database as RuntimeDriver's would.
 */
export function busyWaitingKysely<DB>(dialect: Dialect, budgetMs: number): { waiting: Kysely<DB>; once: Kysely<DB> } {
  let driver: Driver | undefined;
  const seen: Dialect = {
    createAdapter: () => dialect.createAdapter(),
    createDriver: () => (driver = dialect.createDriver()),
    createIntrospector: (db) => dialect.createIntrospector(db),
    createQueryCompiler: () => dialect.createQueryCompiler(),
  };
  const root = new Kysely<DB>({ dialect: seen }).getExecutor();
  const waiting: ConnectionProvider = {
    provideConnection: (consumer, options) =>
      untilNotBusy(
        () => root.provideConnection(consumer, options),
        budgetMs,
        () => root.provideConnection(writeLockFree, options),
      ),
  };
  const props = { config: { dialect: seen }, dialect: seen, driver: driver! };
  return {
    waiting: new Kysely<DB>({ ...props, executor: root.withConnectionProvider(waiting) }),
    once: new Kysely<DB>({ ...props, executor: root }),
  };
}
