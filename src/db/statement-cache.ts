import type SQLite from 'better-sqlite3';
import type { SqliteDatabase, SqliteStatement } from 'kysely';

/** How many distinct statements one connection keeps prepared (the app has a few hundred). */
export const STATEMENT_CACHE_SIZE = 500;

/**
 * The SQLite connection as Kysely's dialect sees it, with its prepared statements kept and
 * reused by their SQL text. Kysely's driver prepares every statement it runs afresh; SQLite
 * then parses and plans it again each time, which for a page's larger statements (the desk's
 * "needs attention", a list with its scope) costs more than running it — the profile of a
 * request at the scale set showed prepare as the largest single part of the request
 * (docs/DESIGN.md § Performance). SQLite re-prepares a kept statement by itself when the
 * schema or the statistics change (sqlite3_prepare_v3), so a kept one never runs a stale plan —
 * and also at each run whose plan looked at a bound value, which with better-sqlite3 (it clears
 * the bindings after every run) is most of the app's reads: bench/reprepare.ts shows which.
 * A statement still being iterated (a streamed read) is busy: another one is prepared for that
 * call instead of sharing it. The least recently used statement leaves when the cache is full.
 */
export function cachingStatements(sqlite: SQLite.Database, size = STATEMENT_CACHE_SIZE): SqliteDatabase {
  const kept = new Map<string, SQLite.Statement>();
  return {
    prepare(sql: string): SqliteStatement {
      const statement = kept.get(sql);
      if (statement !== undefined && !statement.busy) {
        // Most recently used last: a Map iterates in insertion order.
        kept.delete(sql);
        kept.set(sql, statement);
        return statement as unknown as SqliteStatement;
      }
      const prepared = sqlite.prepare(sql);
      if (statement === undefined) {
        kept.set(sql, prepared);
        if (kept.size > size) kept.delete(kept.keys().next().value!);
      }
      return prepared as unknown as SqliteStatement;
    },
    close() {
      kept.clear();
      sqlite.close();
    },
  };
}
