import type { Db } from '../../db/database.ts';
import { withAdvisoryLock } from '../../db/dialect.ts';

/** Namespace of the sign-in advisory locks (the first half of PostgreSQL's two-key form). */
const LOGIN_LOCK_SPACE = 0x4b4c; // "KL"

/**
 * Runs tasks that share a key one after another, others in parallel — in this process and
 * across every process on the same PostgreSQL database. Sign-in uses it per account: the
 * failure count is read and the password checked as one step, so a burst of parallel
 * guesses, spread over any number of server processes, cannot all pass the limit before any
 * is counted.
 *
 * In the process, a promise chain per key; across processes, a PostgreSQL advisory lock held
 * on one pooled connection while the task runs on that same connection (so waiting never
 * needs a second connection, and a process that dies releases its lock with its connection).
 * The chain comes first, so a process holds at most one connection per account.
 * SQLite serves one process per database file (README § Deployment), so the chain is enough.
 */
export function keyedSerial() {
  const tails = new Map<string, Promise<void>>();
  const inProcess = async <T>(key: string, task: () => Promise<T>): Promise<T> => {
    const before = tails.get(key) ?? Promise.resolve();
    let release!: () => void;
    const mine = new Promise<void>((resolve) => (release = resolve));
    const tail = before.then(() => mine);
    tails.set(key, tail);
    await before;
    try {
      return await task();
    } finally {
      release();
      if (tails.get(key) === tail) tails.delete(key);
    }
  };
  return function run<T>(db: Db, key: string, task: (db: Db) => Promise<T>): Promise<T> {
    return inProcess(key, () =>
      withAdvisoryLock(db.engine, db.kysely, LOGIN_LOCK_SPACE, key, (conn) =>
        task(conn === db.kysely ? db : { ...db, kysely: conn }),
      ),
    );
  };
}
