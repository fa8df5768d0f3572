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
    let t: TestApp;
    let f: Fixture;
    let poolIds: number[];
    let proxy: TcpProxy;
    let a: RunningServer;
    let b: RunningServer;
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'keyline-scaleout-'));

    before(async () => {
      t = await createTestApp(engine);
      f = await seedWorkspace(t, 'scaleout');
      const now = Date.now();
      // Eight more accounts in the Shanghai pool, which the rep (sales1, under Shanghai) may claim from.
      poolIds = [];
      for (let i = 0; i < 8; i++) {
        const name = `苏州第${i}精密机械有限公司`;
        poolIds.push((await t.db.kysely.insertInto('accounts').values({ workspace_id: f.workspaceId, name, name_key: companyNameKey(name), owner_id: null, org_unit_id: f.units.shanghai, in_pool: 1, pool_since: now, created_at: now, updated_at: now, version: 1 }).returning('id').executeTakeFirstOrThrow()).id);
      }
      // No job has run yet on this database: both processes find every job due the moment they start.
      const db = t.db;
      const pgUrl = new URL(db.url);
      proxy = await startTcpProxy({ host: pgUrl.hostname, port: Number(pgUrl.port || 5432) });
      const viaProxy = new URL(db.url);
      viaProxy.port = String(proxy.port);
      const env = { DATABASE_URL: viaProxy.toString(), KEYLINE_DATA_DIR: dataDir, KEYLINE_DEMO: 'off', LOG_LEVEL: 'info' };
      [a, b] = await Promise.all([startServer(env), startServer(env)]);
    });
    after(async () => {
      await Promise.all([a?.stop(), b?.stop()]);
      await proxy?.close();
      await t?.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    });

    const call = async (server: RunningServer, cookie: string, method: string, url: string, body?: unknown) => {
      const res = await fetch(`${server.url}${url}`, {
        method,
        headers: { cookie, ...(body ? { 'content-type': 'application/json' } : {}) },
        ...(body ? { body: JSON.stringify(body) } : {}),
      });
      const text = await res.text();
      return { status: res.status, type: res.headers.get('content-type'), retryAfter: res.headers.get('retry-after'), body: (text ? JSON.parse(text) : {}) as Record<string, unknown> };
    };

    it('a session made on one process is valid on the other, and signing out on one ends it on both', async () => {
      const cookie = await httpLogin(a.url, f.users.manager.email, PASSWORD);
      const me = await call(b, cookie, 'GET', '/api/v1/auth/me');
      assert.equal(me.status, 200);
      assert.equal((me.body.user as { role: string }).role, 'manager');
      assert.equal((await call(b, cookie, 'POST', '/api/v1/auth/logout')).status, 204);
      assert.equal((await call(a, cookie, 'GET', '/api/v1/auth/me')).status, 401);
    });

    it('each periodic job ran once between the two processes, not once in each', async () => {
      const ran = (out: string) => out.split('\n').filter((l) => l.includes('"job ran"')).map((l) => (JSON.parse(l) as { job: string }).job);
      // Both started together and checked at once; give a slow job a moment to finish and log.
      const deadline = Date.now() + 10_000;
      while (ran(a.output()).length + ran(b.output()).length < JOBS.length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      const all = [...ran(a.output()), ...ran(b.output())].sort();
      assert.deepEqual(all, JOBS.map((j) => j.name).sort());
      const leases = await t.db.kysely.selectFrom('job_leases').select(['name', 'last_run_at']).execute();
      assert.equal(leases.filter((l) => l.last_run_at !== null).length, JOBS.length);
    });

    it('claims from the pool sent through both processes at once stop exactly at the claim limit', async () => {
      const admin = await httpLogin(a.url, f.users.admin.email, PASSWORD);
      const rep = await httpLogin(b.url, f.users.rep.email, PASSWORD);
      const pool = await call(a, rep, 'GET', '/api/v1/pool?limit=100');
      const items = (pool.body.items as { id: number; version: number }[]).filter((x) => poolIds.includes(x.id));
      const { held } = pool.body.allowance as { held: number };
      assert.equal(items.length, 8);
      const rules = await call(a, admin, 'GET', '/api/v1/workspace/rules');
      assert.equal((await call(a, admin, 'PATCH', '/api/v1/workspace/rules', { version: rules.body.version, claimLimit: held + 3 })).status, 200);
      const results = await Promise.all(items.slice(0, 8).map((it, i) => call(i % 2 ? a : b, rep, 'POST', `/api/v1/accounts/${it.id}/claim`, { version: it.version })));
      assert.equal(results.filter((r) => r.status === 200).length, 3, JSON.stringify(results.map((r) => r.status)));
      assert.ok(results.every((r) => r.status === 200 || r.body.code === 'claim_limit_reached'));
      const after = await call(b, rep, 'GET', '/api/v1/pool?limit=1');
      assert.deepEqual(after.body.allowance, { limit: held + 3, held: held + 3, remaining: 0 });
    });

    it('a burst of wrong passwords spread over both processes is counted exactly: the limit holds across processes', async () => {
      const tries = 12;
      const results = await Promise.all(Array.from({ length: tries }, (_, i) => fetch(`${(i % 2 ? a : b).url}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: f.users.presales.email, password: `wrong-${i}` }),
      }).then((r) => r.status)));
      assert.equal(results.filter((s) => s === 401).length, MAX_FAILURES_PER_ACCOUNT, results.join(','));
      assert.equal(results.filter((s) => s === 429).length, tries - MAX_FAILURES_PER_ACCOUNT);
      const failures = await t.db.kysely.selectFrom('audit_log').select((eb) => eb.fn.countAll<number>().as('n'))
        .where('action', '=', 'auth.login.failure').where('subject', '=', f.users.presales.email).executeTakeFirstOrThrow();
      assert.equal(Number(failures.n), MAX_FAILURES_PER_ACCOUNT);
    });

    it('survives a database outage without a restart: 503 problem+json meanwhile, served again afterwards', async () => {
      const cookie = await httpLogin(a.url, f.users.executive.email, PASSWORD);
      for (const s of [a, b]) assert.equal((await call(s, cookie, 'GET', '/api/v1/accounts?limit=5')).status, 200);
      const pids = [a.proc.pid, b.proc.pid];

      await proxy.cut();
      for (const s of [a, b]) {
        for (const [method, url, body] of [['GET', '/api/v1/accounts?limit=5'], ['PATCH', '/api/v1/auth/me', { locale: 'en-US' }]] as const) {
          const res = await call(s, cookie, method, url, body);
          assert.equal(res.status, 503, `${method} ${url} during the outage: ${JSON.stringify(res.body)}`);
          assert.match(res.type ?? '', /^application\/problem\+json/);
          assert.equal(res.body.code, 'unavailable');
          assert.ok(Number(res.retryAfter) > 0);
        }
        const login = await fetch(`${s.url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: f.users.rep.email, password: PASSWORD }) });
        assert.equal(login.status, 503);
        assert.equal((await fetch(`${s.url}/api/health`)).status, 200, 'liveness does not depend on the database');
        const ready = await fetch(`${s.url}/api/ready`);
        assert.equal(ready.status, 503);
        assert.equal(((await ready.json()) as { code: string }).code, 'unavailable');
      }

      await proxy.restore();
      for (const s of [a, b]) {
        assert.equal((await fetch(`${s.url}/api/ready`)).status, 200);
        const list = await call(s, cookie, 'GET', '/api/v1/accounts?limit=5');
        assert.equal(list.status, 200);
        assert.equal((await call(s, cookie, 'PATCH', '/api/v1/auth/me', { locale: 'zh-CN' })).status, 200);
      }

      // An administrator ends every connection to the database (57P01 on each): the pools drop them and reconnect.
      const dbName = new URL(t.db.url).pathname.slice(1);
      await sql`select pg_terminate_backend(pid) from pg_stat_activity where datname = ${dbName} and pid <> pg_backend_pid()`.execute(t.db.kysely);
      await new Promise((r) => setTimeout(r, 200));
      for (const s of [a, b]) assert.equal((await call(s, cookie, 'GET', '/api/v1/accounts?limit=5')).status, 200);
      assert.deepEqual([a.proc.pid, b.proc.pid], pids);
      assert.equal(a.proc.exitCode, null);
      assert.equal(b.proc.exitCode, null);
    });
  });
}
