import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { testEngines } from '../helpers/db.ts';
import { CLI, httpLogin, startServer } from '../helpers/server.ts';

const exec = promisify(execFile);
/** Initialising a cluster, migrating and loading the demo company take a while on a busy machine. */
const START_TIMEOUT = 180_000;

describe(
  'KEYLINE_DB=embedded-postgres',
  { skip: !testEngines().includes('postgres') && 'KEYLINE_TEST_ENGINES excludes postgres' },
  () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'keyline-embedded-'));
    // As root the server runs as the OS user postgres, which must be able to enter the data directory.
    fs.chmodSync(dataDir, 0o755);
    after(() => fs.rmSync(dataDir, { recursive: true, force: true }));
    const env = { KEYLINE_DB: 'embedded-postgres', KEYLINE_DATA_DIR: dataDir };
    const pidFile = path.join(dataDir, 'postgres', 'postmaster.pid');

    it(
      'serves from its own PostgreSQL in the data directory, stops it with Keyline, and keeps the data',
      { timeout: 600_000 },
      async () => {
        const first = await startServer(env, START_TIMEOUT);
        try {
          const health = (await (await fetch(`${first.url}/api/health`)).json()) as { engine: string };
          assert.equal(health.engine, 'postgres');
          assert.ok(
            fs.existsSync(path.join(dataDir, 'postgres', 'PG_VERSION')),
            'the cluster lives in KEYLINE_DATA_DIR/postgres',
          );
          await httpLogin(first.url, 'admin@demo.keyline.dev', 'keyline-demo');
        } finally {
          await first.stop();
        }
        assert.equal(first.proc.exitCode, 0, first.output());
        assert.ok(!fs.existsSync(pidFile), 'PostgreSQL shut down with Keyline');

        // Another command on the same data directory: it starts the server, writes, and stops it again.
        const created = await exec(
          process.execPath,
          [CLI, 'create-admin', '--email', 'owner@acme.test', '--name', 'Owner', '--password', 'owner-pass-1'],
          { env: { ...process.env, LOG_LEVEL: 'warn', ...env } },
        );
        assert.match(created.stdout, /administrator owner@acme.test created/);
        assert.ok(!fs.existsSync(pidFile), 'the command stopped PostgreSQL when it finished');

        const second = await startServer(env, START_TIMEOUT);
        try {
          await httpLogin(second.url, 'owner@acme.test', 'owner-pass-1');
          const cookie = await httpLogin(second.url, 'admin@demo.keyline.dev', 'keyline-demo');
          const users = (await (
            await fetch(`${second.url}/api/v1/users?limit=100`, { headers: { cookie } })
          ).json()) as { items: { email: string }[] };
          assert.ok(
            users.items.some((u) => u.email === 'owner@acme.test'),
            'the demo company was not loaded a second time over the kept data',
          );
        } finally {
          await second.stop();
        }
        assert.ok(!fs.existsSync(pidFile));
      },
    );

    it('refuses KEYLINE_DB together with DATABASE_URL, and unknown engines', async () => {
      await assert.rejects(
        exec(process.execPath, [CLI, 'migrate'], {
          env: { ...process.env, ...env, DATABASE_URL: 'postgres://x@127.0.0.1/x' },
        }),
        /either KEYLINE_DB=embedded-postgres or DATABASE_URL/,
      );
      await assert.rejects(
        exec(process.execPath, [CLI, 'migrate'], {
          env: { ...process.env, KEYLINE_DB: 'mysql', KEYLINE_DATA_DIR: dataDir },
        }),
        /KEYLINE_DB must be embedded-postgres or unset/,
      );
    });
  },
);
