import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { sql } from 'kysely';
import os from 'node:os';
import path from 'node:path';
import { testEngines } from '../helpers/db.ts';
import { createTestApp, PASSWORD, seedWorkspace, type Fixture, type TestApp } from '../helpers/app.ts';
import { httpLogin, startServer, type RunningServer } from '../helpers/server.ts';
import { companyNameKey } from '../../src/domain/company-name.ts';
import { startTcpProxy, type TcpProxy } from '../helpers/tcp-proxy.ts';
import { JOBS } from '../../src/server/housekeeping.ts';
import { MAX_FAILURES_PER_ACCOUNT } from '../../src/modules/auth/service.ts';

/**
 * README § Deployment: several Keyline processes on one PostgreSQL database. Two real server
 * processes share a database (through a TCP relay, so the database can be taken away from
 * them without stopping the PostgreSQL service other tests use).
 */
for (const engine of testEngines().filter((e) => e === 'postgres')) {
  describe('two Keyline processes on one PostgreSQL database', { timeout: 180_000 }, () => {
    let testApp: TestApp;
    let fixture: Fixture;
    let poolIds: number[];
    let proxy: TcpProxy;
    let serverA: RunningServer;
    let serverB: RunningServer;
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'keyline-scaleout-'));

    before(async () => {
      testApp = await createTestApp(engine);
      fixture = await seedWorkspace(testApp, 'scaleout');
      const now = Date.now();
      // Eight more accounts in the Shanghai pool, which the rep (sales1, under Shanghai) may claim from.
      poolIds = [];
      for (let i = 0; i < 8; i++) {
        const name = `苏州第${i}精密机械有限公司`;
        poolIds.push(
          (
            await testApp.db.kysely
              .insertInto('accounts')
              .values({
                workspace_id: fixture.workspaceId,
                name,
                name_key: companyNameKey(name),
                owner_id: null,
                org_unit_id: fixture.units.shanghai,
                in_pool: 1,
                pool_since: now,
                created_at: now,
                updated_at: now,
                version: 1,
              })
              .returning('id')
              .executeTakeFirstOrThrow()
          ).id,
        );
      }
      // No job has run yet on this database: both processes find every job due the moment they start.
      const db = testApp.db;
      const pgUrl = new URL(db.url);
      proxy = await startTcpProxy({ host: pgUrl.hostname, port: Number(pgUrl.port || 5432) });
      const viaProxy = new URL(db.url);
      viaProxy.port = String(proxy.port);
      const env = {
        DATABASE_URL: viaProxy.toString(),
        KEYLINE_DATA_DIR: dataDir,
        KEYLINE_DEMO: 'off',
        LOG_LEVEL: 'info',
      };
      [serverA, serverB] = await Promise.all([startServer(env), startServer(env)]);
    });
    after(async () => {
      await Promise.all([serverA?.stop(), serverB?.stop()]);
      await proxy?.close();
      await testApp?.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    });

    const call = async (server: RunningServer, cookie: string, method: string, url: string, body?: unknown) => {
      const res = await fetch(`${server.url}${url}`, {
        method,
        headers: { cookie, ...(body ? { 'content-type': 'application/json' } : {}) },
        ...(body ? { body: JSON.stringify(body) } : {}),
      });
      const text = await res.text();
      return {
        status: res.status,
        type: res.headers.get('content-type'),
        retryAfter: res.headers.get('retry-after'),
        body: (text ? JSON.parse(text) : {}) as Record<string, unknown>,
      };
    };

    it('a session made on one process is valid on the other, and signing out on one ends it on both', async () => {
      const cookie = await httpLogin(serverA.url, fixture.users.manager.email, PASSWORD);
      const me = await call(serverB, cookie, 'GET', '/api/v1/auth/me');
      assert.equal(me.status, 200);
      assert.equal((me.body.user as { role: string }).role, 'manager');
      assert.equal((await call(serverB, cookie, 'POST', '/api/v1/auth/logout')).status, 204);
      assert.equal((await call(serverA, cookie, 'GET', '/api/v1/auth/me')).status, 401);
    });

    it('each periodic job ran once between the two processes, not once in each', async () => {
      const ran = (out: string) =>
        out
          .split('\n')
          .filter((l) => l.includes('"job ran"'))
          .map((l) => (JSON.parse(l) as { job: string }).job);
      // Both started together and checked at once; give a slow job a moment to finish and log.
      const deadline = Date.now() + 10_000;
      while (ran(serverA.output()).length + ran(serverB.output()).length < JOBS.length && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 100));
      const all = [...ran(serverA.output()), ...ran(serverB.output())].sort();
      assert.deepEqual(all, JOBS.map((j) => j.name).sort());
      const leases = await testApp.db.kysely.selectFrom('job_leases').select(['name', 'last_run_at']).execute();
      assert.equal(leases.filter((l) => l.last_run_at !== null).length, JOBS.length);
    });

    it('claims from the pool sent through both processes at once stop exactly at the claim limit', async () => {
      const admin = await httpLogin(serverA.url, fixture.users.admin.email, PASSWORD);
      const rep = await httpLogin(serverB.url, fixture.users.rep.email, PASSWORD);
      const pool = await call(serverA, rep, 'GET', '/api/v1/pool?limit=100');
      const items = (pool.body.items as { id: number; version: number }[]).filter((x) => poolIds.includes(x.id));
      const { held } = pool.body.allowance as { held: number };
      assert.equal(items.length, 8);
      const rules = await call(serverA, admin, 'GET', '/api/v1/workspace/rules');
      assert.equal(
        (
          await call(serverA, admin, 'PATCH', '/api/v1/workspace/rules', {
            version: rules.body.version,
            claimLimit: held + 3,
          })
        ).status,
        200,
      );
      const results = await Promise.all(
        items.slice(0, 8).map((it, index) =>
          call(index % 2 ? serverA : serverB, rep, 'POST', `/api/v1/accounts/${it.id}/claim`, {
            version: it.version,
          }),
        ),
      );
      assert.equal(results.filter((r) => r.status === 200).length, 3, JSON.stringify(results.map((r) => r.status)));
      assert.ok(results.every((r) => r.status === 200 || r.body.code === 'claim_limit_reached'));
      const after = await call(serverB, rep, 'GET', '/api/v1/pool?limit=1');
      assert.deepEqual(after.body.allowance, { limit: held + 3, held: held + 3, remaining: 0 });
    });

    it('a burst of wrong passwords spread over both processes is counted exactly: the limit holds across processes', async () => {
      const tries = 12;
      const results = await Promise.all(
        Array.from({ length: tries }, (_, index) =>
          fetch(`${(index % 2 ? serverA : serverB).url}/api/v1/auth/login`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ email: fixture.users.presales.email, password: `wrong-${index}` }),
          }).then((r) => r.status),
        ),
      );
      assert.equal(results.filter((s) => s === 401).length, MAX_FAILURES_PER_ACCOUNT, results.join(','));
      assert.equal(results.filter((s) => s === 429).length, tries - MAX_FAILURES_PER_ACCOUNT);
      const failures = await testApp.db.kysely
        .selectFrom('audit_log')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('action', '=', 'auth.login.failure')
        .where('subject', '=', fixture.users.presales.email)
        .executeTakeFirstOrThrow();
      assert.equal(Number(failures.n), MAX_FAILURES_PER_ACCOUNT);
    });

    it('survives a database outage without a restart: 503 problem+json meanwhile, served again afterwards', async () => {
      const cookie = await httpLogin(serverA.url, fixture.users.executive.email, PASSWORD);
      for (const server of [serverA, serverB])
        assert.equal((await call(server, cookie, 'GET', '/api/v1/accounts?limit=5')).status, 200);
      const pids = [serverA.proc.pid, serverB.proc.pid];

      await proxy.cut();
      for (const server of [serverA, serverB]) {
        for (const [method, url, body] of [
          ['GET', '/api/v1/accounts?limit=5'],
          ['PATCH', '/api/v1/auth/me', { locale: 'en-US' }],
        ] as const) {
          const res = await call(server, cookie, method, url, body);
          assert.equal(res.status, 503, `${method} ${url} during the outage: ${JSON.stringify(res.body)}`);
          assert.match(res.type ?? '', /^application\/problem\+json/);
          assert.equal(res.body.code, 'unavailable');
          assert.ok(Number(res.retryAfter) > 0);
        }
        const login = await fetch(`${server.url}/api/v1/auth/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ email: fixture.users.rep.email, password: PASSWORD }),
        });
        assert.equal(login.status, 503);
        assert.equal((await fetch(`${server.url}/api/health`)).status, 200, 'liveness does not depend on the database');
        const ready = await fetch(`${server.url}/api/ready`);
        assert.equal(ready.status, 503);
        assert.equal(((await ready.json()) as { code: string }).code, 'unavailable');
      }

      await proxy.restore();
      for (const server of [serverA, serverB]) {
        assert.equal((await fetch(`${server.url}/api/ready`)).status, 200);
        const list = await call(server, cookie, 'GET', '/api/v1/accounts?limit=5');
        assert.equal(list.status, 200);
        assert.equal((await call(server, cookie, 'PATCH', '/api/v1/auth/me', { locale: 'zh-CN' })).status, 200);
      }

      // An administrator ends every connection to the database (57P01 on each): the pools drop them and reconnect.
      const dbName = new URL(testApp.db.url).pathname.slice(1);
      await sql`select pg_terminate_backend(pid) from pg_stat_activity where datname = ${dbName} and pid <> pg_backend_pid()`.execute(
        testApp.db.kysely,
      );
      await new Promise((r) => setTimeout(r, 200));
      for (const server of [serverA, serverB])
        assert.equal((await call(server, cookie, 'GET', '/api/v1/accounts?limit=5')).status, 200);
      assert.deepEqual([serverA.proc.pid, serverB.proc.pid], pids);
      assert.equal(serverA.proc.exitCode, null);
      assert.equal(serverB.proc.exitCode, null);
    });
  });
}
