import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { testEngines } from '../helpers/db.ts';
import { client, createTestApp, json, loginCookie, seedWorkspace, type Fixture, type TestApp } from '../helpers/app.ts';
import { buildApp } from '../../src/server/app.ts';
import { Kysely, PostgresDialect, SqliteDialect, type LogEvent } from 'kysely';
import pg from 'pg';
import { openDatabase, type Db } from '../../src/db/database.ts';
import { cachingStatements } from '../../src/db/statement-cache.ts';
import type { Engine } from '../../src/db/dialect.ts';
import type { Database } from '../../src/db/schema.ts';
import { sessionCache } from '../../src/modules/auth/session-cache.ts';
import { DEFAULT_SESSION_CACHE_MS, sessionCacheMsOf } from '../../src/config.ts';

/*
 * Sessions kept per server for config.sessionCacheMs (src/modules/auth/session-cache.ts), with
 * two server instances on one database, each with its own connection and its own cache — as two
 * processes behind a load balancer (README § Several processes). What one instance changes
 * (a sign-out, a disabled user, a role) holds there from the next request, and on the other
 * within the bound. The servers' clock is the test's, so the bound is crossed exactly.
 */
const BOUND = 2000;

describe('the session cache itself', () => {
  it('keeps a row for less than its time, from the read; a clock gone back reads again; the oldest leaves when full', () => {
    const cache = sessionCache<string>(100, 2)!;
    cache.set('a', 'id-a', 'row a', 1000);
    assert.deepEqual(cache.get('a', 1099), { id: 'id-a', row: 'row a', readAt: 1000 });
    assert.equal(cache.get('a', 1100), undefined, 'at its time');
    cache.set('a', 'id-a', 'row a', 1000);
    assert.equal(cache.get('a', 999), undefined, 'clock back');
    cache.set('a', 'id-a', 'row a', 1000);
    cache.set('b', 'id-b', 'row b', 1000);
    cache.set('c', 'id-c', 'row c', 1000);
    assert.equal(cache.get('a', 1001), undefined, 'the oldest left');
    assert.equal(cache.get('c', 1001)?.row, 'row c');
    cache.clear();
    assert.equal(cache.get('c', 1001), undefined);
    assert.equal(sessionCache(0), null, '0: no cache');
  });

  it('reads KEYLINE_SESSION_CACHE_MS: whole milliseconds up to a minute, 2 s by default', () => {
    assert.equal(sessionCacheMsOf({}), DEFAULT_SESSION_CACHE_MS);
    assert.equal(DEFAULT_SESSION_CACHE_MS, 2000);
    assert.equal(sessionCacheMsOf({ KEYLINE_SESSION_CACHE_MS: '0' }), 0);
    assert.equal(sessionCacheMsOf({ KEYLINE_SESSION_CACHE_MS: ' 500 ' }), 500);
    for (const wrong of ['-1', '1.5', 'abc', '60001'])
      assert.throws(() => sessionCacheMsOf({ KEYLINE_SESSION_CACHE_MS: wrong }), /KEYLINE_SESSION_CACHE_MS/, wrong);
  });
});

for (const engine of testEngines()) {
  describe(`sessions kept per process, two instances [${engine}]`, () => {
    let now = Date.now();
    const clock = () => now;
    let first: TestApp;
    let secondDb: Db;
    let second: FastifyInstance;
    let fixture: Fixture;
    before(async () => {
      first = await createTestApp(engine, { sessionCacheMs: BOUND }, { clock });
      secondDb =
        engine === 'postgres'
          ? openDatabase({ databaseUrl: first.db.url })
          : openDatabase({ sqliteFile: first.db.url });
      second = await buildApp(secondDb, first.config, { logger: false, clock });
      await second.ready();
      fixture = await seedWorkspace(first, 'a');
    });
    after(async () => {
      await second.close();
      await secondDb.close();
      await first.close();
    });

    const me = async (app: FastifyInstance, cookie: string) => {
      const res = await app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie } });
      // What the session's actor may do (its role as the session read it; `user` is read afresh).
      return {
        status: res.statusCode,
        capabilities: res.statusCode === 200 ? json<{ capabilities: string[] }>(res).capabilities.join(' ') : null,
      };
    };
    const version = async (admin: string, userId: number) =>
      json<{ version: number }>(await client(first, admin)('GET', `/api/v1/users/${userId}`)).version;

    it('a sign-out on one instance is refused there at once and on the other within the bound', async () => {
      const cookie = await loginCookie(first, fixture.users.rep.email);
      assert.equal((await me(first.app, cookie)).status, 200);
      assert.equal((await me(second, cookie)).status, 200);
      assert.equal((await client(first, cookie)('POST', '/api/v1/auth/logout')).statusCode, 204);
      assert.equal((await me(first.app, cookie)).status, 401, 'the instance that signed out');
      // The other instance read the session less than the bound ago: it still answers from its copy…
      now += BOUND - 1;
      assert.equal((await me(second, cookie)).status, 200, 'kept for less than the bound');
      // …and not once the bound has passed.
      now += 1;
      assert.equal((await me(second, cookie)).status, 401, 'the other instance, at the bound');
      now += 10;
      assert.equal((await me(first.app, cookie)).status, 401);
    });

    it('a disabled user is refused on the other instance within the bound', async () => {
      const admin = await loginCookie(first, fixture.users.admin.email);
      const cookie = await loginCookie(first, fixture.users.finance.email);
      assert.equal((await me(first.app, cookie)).status, 200);
      assert.equal((await me(second, cookie)).status, 200);
      const res = await client(first, admin)('POST', `/api/v1/users/${fixture.users.finance.id}/deactivate`, {
        version: await version(admin, fixture.users.finance.id),
      });
      assert.equal(res.statusCode, 200, res.body);
      assert.equal((await me(first.app, cookie)).status, 401);
      now += BOUND;
      assert.equal((await me(second, cookie)).status, 401);
    });

    it('a role change is seen at the next request on the instance that made it, and on the other within the bound', async () => {
      const admin = await loginCookie(first, fixture.users.admin.email);
      const cookie = await loginCookie(first, fixture.users.auditor.email);
      const auditor = (await me(first.app, cookie)).capabilities;
      assert.ok(auditor);
      assert.equal((await me(second, cookie)).capabilities, auditor);
      const res = await client(first, admin)('PATCH', `/api/v1/users/${fixture.users.auditor.id}`, {
        version: await version(admin, fixture.users.auditor.id),
        role: 'executive',
      });
      assert.equal(res.statusCode, 200, res.body);
      const executive = (await me(first.app, cookie)).capabilities;
      assert.notEqual(executive, auditor, 'the instance that changed it: at once');
      assert.equal((await me(second, cookie)).capabilities, auditor, 'the other: its copy, within the bound');
      now += BOUND;
      assert.equal((await me(second, cookie)).capabilities, executive, 'the other, at the bound');
    });

    it('reads a kept session once per bound, and every request without a cache', async () => {
      const cookie = await loginCookie(first, fixture.users.rep.email);
      const reads = { count: 0 };
      const countingDb = countingSessionReads(engine, first.db.url, reads);
      const counting = await buildApp(countingDb, { ...first.config, sessionCacheMs: BOUND }, { logger: false, clock });
      const uncached = await buildApp(countingDb, { ...first.config, sessionCacheMs: 0 }, { logger: false, clock });
      try {
        for (let i = 0; i < 5; i++) assert.equal((await me(counting, cookie)).status, 200);
        assert.equal(reads.count, 1, 'five requests within the bound: one read');
        now += BOUND;
        assert.equal((await me(counting, cookie)).status, 200);
        assert.equal(reads.count, 2, 'at the bound: read again');
        reads.count = 0;
        for (let i = 0; i < 3; i++) assert.equal((await me(uncached, cookie)).status, 200);
        assert.equal(reads.count, 3, 'no cache: a read per request');
      } finally {
        await counting.close();
        await uncached.close();
        await countingDb.close();
      }
    });
  });
}

/** Another connection to the same database whose Kysely counts the session statements it runs. */
function countingSessionReads(engine: Engine, url: string, reads: { count: number }): Db {
  const log = (event: LogEvent) => {
    if (event.level === 'query' && /from "sessions" inner join/.test(event.query.sql)) reads.count++;
  };
  if (engine === 'postgres') {
    const pool = new pg.Pool({ connectionString: url, max: 2 });
    const kysely = new Kysely<Database>({ dialect: new PostgresDialect({ pool }), log });
    return { kysely, noWait: kysely, engine, databaseUrl: url, close: () => kysely.destroy() };
  }
  const opened = openDatabase({ sqliteFile: url });
  const kysely = new Kysely<Database>({
    dialect: new SqliteDialect({ database: cachingStatements(opened.sqlite!) }),
    log,
  });
  return { ...opened, kysely, noWait: kysely, close: () => kysely.destroy() };
}
