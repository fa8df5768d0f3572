import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import SQLite from 'better-sqlite3';
import { testEngines } from '../helpers/db.ts';
import {
  client,
  createTestApp,
  json,
  seedWorkspace,
  sessionCookie,
  type Fixture,
  type TestApp,
} from '../helpers/app.ts';

/**
 * SQLite has one writer at a time and better-sqlite3 waits for the lock synchronously. While
 * another connection holds it (a 100,000-row import committing in its worker), the server
 * must stay responsive: reads go on, writes answer 503 "busy" at once and change nothing.
 */
for (const engine of testEngines().filter((e) => e === 'sqlite')) {
  describe(`a busy embedded database [${engine}]`, () => {
    let testApp: TestApp;
    let fixture: Fixture;
    let other: SQLite.Database;
    before(async () => {
      testApp = await createTestApp(engine);
      fixture = await seedWorkspace(testApp, 'busy');
      other = new SQLite(testApp.db.sqliteFile!);
    });
    after(async () => {
      other.close();
      await testApp.close();
    });

    it('keeps reading, refuses writes quickly with 503, and writes again once the lock is free', async () => {
      const call = client(testApp, await sessionCookie(testApp, fixture.workspaceId, fixture.users.rep.id));
      // Age the session so the read below would also like to write (last_seen_at).
      await testApp.db.kysely
        .updateTable('sessions')
        .set({ last_seen_at: Date.now() - 10 * 60_000 })
        .where('user_id', '=', fixture.users.rep.id)
        .execute();
      other.exec('begin immediate');
      try {
        const t0 = performance.now();
        const read = await call('GET', '/api/v1/accounts?limit=5');
        assert.equal(read.statusCode, 200, read.body);
        const write = await call('PATCH', '/api/v1/auth/me', { locale: 'en-US' });
        const elapsed = performance.now() - t0;
        assert.equal(write.statusCode, 503);
        assert.equal(json(write).code, 'busy');
        assert.equal(write.headers['retry-after'], '1');
        assert.ok(elapsed < 3000, `answered in ${Math.round(elapsed)} ms, not after a long synchronous wait`);
      } finally {
        other.exec('rollback');
      }
      assert.equal(
        json<{ user: { locale: string } }>(await call('GET', '/api/v1/auth/me')).user.locale,
        'zh-CN',
        'nothing half-saved',
      );
      assert.equal((await call('PATCH', '/api/v1/auth/me', { locale: 'en-US' })).statusCode, 200);
    });
  });
}
