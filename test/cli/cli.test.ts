import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { createTestDb, testEngines, type TestDb } from '../helpers/db.ts';
import { CLI, httpLogin, startServer } from '../helpers/server.ts';

const exec = promisify(execFile);
const cli = (args: string[], env: Record<string, string>) =>
  exec(process.execPath, [CLI, ...args], { env: { ...process.env, LOG_LEVEL: 'warn', ...env } });
const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'keyline-cli-'));

describe('keyline CLI on the embedded database', () => {
  const dirs: string[] = [];
  after(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));
  const dataDir = () => {
    const dir = tmp();
    dirs.push(dir);
    return dir;
  };

  it('migrate applies the numbered migrations once', async () => {
    const env = { KEYLINE_DATA_DIR: dataDir() };
    assert.match((await cli(['migrate'], env)).stdout, /applied: 0001_foundation/);
    assert.match((await cli(['migrate'], env)).stdout, /up to date/);
    assert.ok(fs.existsSync(path.join(env.KEYLINE_DATA_DIR, 'keyline.db')));
  });

  it('demo loads the demo company into an empty database only', async () => {
    const env = { KEYLINE_DATA_DIR: dataDir() };
    const out = (await cli(['demo'], env)).stdout;
    assert.match(out, /demo company loaded: \d+ org units, \d+ users/);
    await assert.rejects(cli(['demo'], env), /already holds a workspace/);
  });

  it('create-admin adds an administrator who can sign in; bad arguments are refused', async () => {
    const env = { KEYLINE_DATA_DIR: dataDir() };
    await assert.rejects(
      cli(['create-admin', '--email', 'boss@acme.test', '--name', 'Boss', '--password', 'boss-pass-1'], env),
      /no workspace yet/,
    );
    const created = await cli(
      [
        'create-admin',
        '--email',
        'boss@acme.test',
        '--name',
        'Boss',
        '--password',
        'boss-pass-1',
        '--workspace',
        'Acme',
      ],
      env,
    );
    assert.match(created.stdout, /administrator boss@acme.test created/);
    const second = await cli(['create-admin', '--email', 'Deputy@Acme.test', '--name', 'Deputy'], env);
    const generated = /password: (\S+)/.exec(second.stdout)?.[1];
    assert.ok(generated && generated.length >= 12, 'a generated password is printed');
    await assert.rejects(
      cli(['create-admin', '--email', 'boss@acme.test', '--name', 'Again', '--password', 'boss-pass-1'], env),
      /already in use/,
    );
    await assert.rejects(cli(['create-admin', '--email', 'x@acme.test'], env), /needs --email and --name/);
    await assert.rejects(
      cli(['create-admin', '--email', 'notanemail', '--name', 'No Mail', '--password', 'boss-pass-1'], env),
      /--email must be a valid email address/,
    );
    const server = await startServer(env);
    try {
      await httpLogin(server.url, 'boss@acme.test', 'boss-pass-1');
      await httpLogin(server.url, 'deputy@acme.test', generated);
    } finally {
      await server.stop();
    }
  });

  it('serve on an empty database loads the demo company; KEYLINE_DEMO=off offers setup instead', async () => {
    const demo = await startServer({ KEYLINE_DATA_DIR: dataDir() });
    try {
      const cookie = await httpLogin(demo.url, 'admin@demo.keyline.dev', 'keyline-demo');
      const users = (await (await fetch(`${demo.url}/api/v1/users?limit=100`, { headers: { cookie } })).json()) as {
        total: number;
      };
      assert.ok(users.total >= 25);
      assert.deepEqual(await (await fetch(`${demo.url}/api/v1/setup`)).json(), { needed: false });
    } finally {
      await demo.stop();
    }
    const empty = await startServer({ KEYLINE_DATA_DIR: dataDir(), KEYLINE_DEMO: 'off' });
    try {
      assert.deepEqual(await (await fetch(`${empty.url}/api/v1/setup`)).json(), { needed: true });
    } finally {
      await empty.stop();
    }
  });

  it('backup takes a consistent copy while the server is writing, and the copy starts as a data directory', async () => {
    const env = { KEYLINE_DATA_DIR: dataDir() };
    const server = await startServer(env);
    let copyDir = '';
    try {
      // Keep the server writing (sign-ins write sessions and audit rows) while the backup runs.
      let writing = true;
      const writes = (async () => {
        let count = 0;
        while (writing) {
          try {
            await httpLogin(server.url, 'rep@demo.keyline.dev', 'keyline-demo');
            count++;
          } catch (error) {
            // The start's housekeeping (the tier recompute and its statistics, in the job worker) may
            // hold the write lock longer than a request waits for it: that sign-in answers 503 busy, which
            // the web app retries (docs/DESIGN.md § The embedded database under load), and so does this.
            if (!/: 503 .*"busy"/.test(String(error))) throw error;
            await new Promise((resolve) => setTimeout(resolve, 50));
          }
        }
        return count;
      })();
      const out = (await cli(['backup'], env)).stdout;
      writing = false;
      assert.ok((await writes) > 0);
      const file = /backup written to (\S+)/.exec(out)![1]!;
      copyDir = path.dirname(file);
      assert.equal(path.basename(file), 'keyline.db');
      // A file of another name: the restore hint says to copy it to keyline.db; an existing file is never overwritten.
      const named = path.join(dataDir(), 'manual.db');
      assert.match(
        (await cli(['backup', '--out', named], env)).stdout,
        /copy .*manual\.db to <a data directory>\/keyline\.db/,
      );
      await assert.rejects(cli(['backup', '--out', named], env), /exists already/);
    } finally {
      await server.stop();
    }
    const restored = await startServer({ KEYLINE_DATA_DIR: copyDir });
    try {
      const cookie = await httpLogin(restored.url, 'admin@demo.keyline.dev', 'keyline-demo');
      const users = (await (await fetch(`${restored.url}/api/v1/users?limit=1`, { headers: { cookie } })).json()) as {
        total: number;
      };
      assert.ok(users.total >= 25, 'restored copy holds the demo company');
    } finally {
      await restored.stop();
    }
  });
});

for (const engine of testEngines().filter((e) => e === 'postgres')) {
  describe('keyline serve on PostgreSQL (DATABASE_URL)', () => {
    let db: TestDb;
    before(async () => {
      db = await createTestDb(engine);
      await db.close();
    });
    after(() => db.dispose().catch(() => undefined));

    it('runs the same migrations, loads the demo company and signs in', async () => {
      const server = await startServer({ DATABASE_URL: db.url, KEYLINE_DATA_DIR: tmp() });
      try {
        const health = (await (await fetch(`${server.url}/api/health`)).json()) as { engine: string };
        assert.equal(health.engine, 'postgres');
        const cookie = await httpLogin(server.url, 'manager@demo.keyline.dev', 'keyline-demo');
        const me = (await (await fetch(`${server.url}/api/v1/auth/me`, { headers: { cookie } })).json()) as {
          user: { role: string };
        };
        assert.equal(me.user.role, 'manager');
      } finally {
        await server.stop();
      }
      await assert.rejects(cli(['backup'], { DATABASE_URL: db.url }), /pg_dump/);
    });
  });
}
