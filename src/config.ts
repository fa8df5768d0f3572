import path from 'node:path';

/** Runtime configuration, read once from the environment (README § Configuration). */
export interface Config {
  port: number;
  host: string;
  dataDir: string;
  /** A postgres:// URL switches storage to PostgreSQL; otherwise SQLite under dataDir. */
  databaseUrl: string | undefined;
  /** KEYLINE_DB=embedded-postgres: a PostgreSQL server started by Keyline, its data in dataDir/postgres. */
  embeddedPostgres: boolean;
  /** `npm start` loads the demo company into an empty database unless this is false. */
  demo: boolean;
  sessionIdleMs: number;
  sessionAbsoluteMs: number;
  /**
   * How long a server keeps a session's row before reading it again (0: every request reads
   * it): a sign-out, a disabled user or a role change made by another process is seen within
   * this long (docs/DESIGN.md § Sessions).
   */
  sessionCacheMs: number;
  /** Serve cookies with the Secure flag; on automatically behind HTTPS (x-forwarded-proto). */
  secureCookies: 'auto' | 'always';
  webDir: string;
  logLevel: string;
  /** SQLite's `synchronous`: full (default) survives power loss; normal may lose the last commits. */
  sqliteSynchronous: SqliteSynchronous;
  /**
   * How long a write on the server's SQLite connection waits for another connection's write
   * lock (an import committing) before it answers 503 `busy`; it waits without blocking others.
   */
  sqliteBusyWaitMs: number;
}

export type SqliteSynchronous = 'full' | 'normal';

/** KEYLINE_SQLITE_SYNCHRONOUS, checked: a typo must not silently weaken durability. */
export function sqliteSynchronousOf(env: NodeJS.ProcessEnv = process.env): SqliteSynchronous {
  const synchronous = (env.KEYLINE_SQLITE_SYNCHRONOUS ?? 'full').trim().toLowerCase();
  if (synchronous !== 'full' && synchronous !== 'normal')
    throw new Error(`KEYLINE_SQLITE_SYNCHRONOUS must be full or normal (got "${synchronous}")`);
  return synchronous;
}

/** A write waits out a 100,000-row import's commit (7–9 s on a quiet machine) instead of failing. */
export const DEFAULT_SQLITE_BUSY_WAIT_MS = 15_000;

/** KEYLINE_SQLITE_BUSY_WAIT_MS, checked: a whole number of milliseconds, at most 10 minutes. */
export function sqliteBusyWaitMsOf(env: NodeJS.ProcessEnv = process.env): number {
  const text = env.KEYLINE_SQLITE_BUSY_WAIT_MS?.trim() || String(DEFAULT_SQLITE_BUSY_WAIT_MS);
  const ms = Number(text);
  if (!/^\d+$/.test(text) || ms > 600_000)
    throw new Error(
      `KEYLINE_SQLITE_BUSY_WAIT_MS must be a whole number of milliseconds from 0 to 600000 (got "${text}")`,
    );
  return ms;
}

const minutes = (value: string | undefined, fallback: number): number => {
  const parsed = value === undefined ? NaN : Number(value);
  return (Number.isFinite(parsed) && parsed > 0 ? parsed : fallback) * 60_000;
};

/** KEYLINE_SESSION_CACHE_MS, checked: a whole number of milliseconds, at most a minute. */
export function sessionCacheMsOf(env: NodeJS.ProcessEnv = process.env): number {
  const text = env.KEYLINE_SESSION_CACHE_MS?.trim() || String(DEFAULT_SESSION_CACHE_MS);
  const ms = Number(text);
  if (!/^\d+$/.test(text) || ms > 60_000)
    throw new Error(`KEYLINE_SESSION_CACHE_MS must be a whole number of milliseconds from 0 to 60000 (got "${text}")`);
  return ms;
}

/** A session's row is read again at most this long after another process changed it. */
export const DEFAULT_SESSION_CACHE_MS = 2000;

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const databaseUrl = env.DATABASE_URL?.trim() || undefined;
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new Error(`DATABASE_URL must be a postgres:// URL (got "${databaseUrl.split(':')[0]}:...")`);
  }
  const engine = env.KEYLINE_DB?.trim() || undefined;
  if (engine !== undefined && engine !== 'embedded-postgres') {
    throw new Error(
      `KEYLINE_DB must be embedded-postgres or unset (got "${engine}"); DATABASE_URL chooses an existing PostgreSQL`,
    );
  }
  if (engine && databaseUrl) throw new Error('set either KEYLINE_DB=embedded-postgres or DATABASE_URL, not both');
  return {
    port: Number(env.PORT ?? 3000),
    host: env.HOST ?? '0.0.0.0',
    dataDir: path.resolve(env.KEYLINE_DATA_DIR ?? './data'),
    databaseUrl,
    embeddedPostgres: engine === 'embedded-postgres',
    demo: (env.KEYLINE_DEMO ?? 'on').toLowerCase() !== 'off',
    sessionIdleMs: minutes(env.KEYLINE_SESSION_IDLE_MINUTES, 8 * 60),
    sessionAbsoluteMs: minutes(env.KEYLINE_SESSION_MAX_MINUTES, 7 * 24 * 60),
    sessionCacheMs: sessionCacheMsOf(env),
    secureCookies: env.KEYLINE_SECURE_COOKIES === 'always' ? 'always' : 'auto',
    webDir: path.resolve(import.meta.dirname, '../web/dist'),
    logLevel: env.LOG_LEVEL ?? 'info',
    sqliteSynchronous: sqliteSynchronousOf(env),
    sqliteBusyWaitMs: sqliteBusyWaitMsOf(env),
  };
}
