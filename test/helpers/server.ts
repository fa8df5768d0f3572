import { spawn, type ChildProcess } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '../..');
export const CLI = path.join(ROOT, 'src/cli/main.ts');

/** A port nobody listens on now (the same helper the embedded PostgreSQL uses). */
import { freeLocalPort as freePort } from '../../src/db/embedded-postgres.ts';

export { freePort };

export interface RunningServer {
  url: string;
  proc: ChildProcess;
  output(): string;
  stop(): Promise<void>;
}

/** Starts `keyline serve` as a real process and waits until /api/health answers. */
export async function startServer(env: Record<string, string>, timeoutMs = 90_000): Promise<RunningServer> {
  const port = await freePort();
  const proc = spawn(process.execPath, [CLI, 'serve'], {
    cwd: ROOT,
    // The compile cache spares each start most of compiling the sources again (tests that restart often).
    env: {
      ...process.env,
      NODE_COMPILE_CACHE: path.join(os.tmpdir(), 'keyline-node-compile-cache'),
      LOG_LEVEL: 'warn',
      HOST: '127.0.0.1',
      ...env,
      PORT: String(port),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  proc.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  proc.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`server exited with ${proc.exitCode}:\n${out}`);
    try {
      if ((await fetch(`${url}/api/health`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      proc.kill('SIGKILL');
      throw new Error(`server did not start within ${timeoutMs} ms:\n${out}`);
    }
    await new Promise((r) => setTimeout(r, 150));
  }
  return {
    url,
    proc,
    output: () => out,
    stop: () =>
      new Promise<void>((resolve) => {
        if (proc.exitCode !== null) return resolve();
        proc.once('exit', () => resolve());
        proc.kill('SIGTERM');
        setTimeout(() => proc.kill('SIGKILL'), 5000).unref();
      }),
  };
}

/**
 * The environment that points `keyline serve` at a test database: its PostgreSQL URL, or the
 * directory of its SQLite file (which createTestDb names keyline.db). No demo company.
 */
export function serverEnvFor(db: { engine: string; url: string }, dataDir: string): Record<string, string> {
  return db.engine === 'postgres'
    ? { DATABASE_URL: db.url, KEYLINE_DATA_DIR: dataDir, KEYLINE_DEMO: 'off' }
    : { KEYLINE_DATA_DIR: path.dirname(db.url), KEYLINE_DEMO: 'off' };
}

/** Signs in over real HTTP and returns the cookie header value. */
export async function httpLogin(url: string, email: string, password: string): Promise<string> {
  const res = await fetch(`${url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  if (res.status !== 200) throw new Error(`login ${email}: ${res.status} ${await res.text()}`);
  return res.headers.getSetCookie()[0]!.split(';')[0]!;
}
