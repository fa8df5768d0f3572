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
 * SQLite has one writer at a time. While another connection holds the lock (a 100,000-row
 * import committing in its worker), the server stays responsive: reads go on, and a write waits
 * for the lock without blocking them (src/db/busy-wait.ts) and then succeeds — or, past
 * KEYLINE_SQLITE_BUSY_WAIT_MS, answers 503 "busy" having changed nothing. Ordering, not timings.
 */
for (const engine of testEngines().filter((e) => e === 'sqlite')) {
  describe(`a busy embedded database [${engine}]`, () => {
    let testApp: TestApp;
    let fixture: Fixture;
    let other: SQLite.Database;
    let call: ReturnType<typeof client>;
    const budget = process.env.KEYLINE_SQLITE_BUSY_WAIT_MS;
    before(async () => {
      // Long enough for the reads below to come first on a loaded machine, short for a test.
      process.env.KEYLINE_SQLITE_BUSY_WAIT_MS = '3000';
      testApp = await createTestApp(engine);
      fixture = await seedWorkspace(testApp, 'busy');
      other = new SQLite(testApp.db.sqliteFile!);
      call = client(testApp, await sessionCookie(testApp, fixture.workspaceId, fixture.users.rep.id));
    });
    after(async () => {
      if (budget === undefined) delete process.env.KEYLINE_SQLITE_BUSY_WAIT_MS;
      else process.env.KEYLINE_SQLITE_BUSY_WAIT_MS = budget;
      other.close();
      await testApp.close();
    });

    /** Ages the session so that a read would also like to write (last_seen_at, best effort). */
    const ageSession = () =>
      testApp.db.kysely
        .updateTable('sessions')
        .set({ last_seen_at: Date.now() - 10 * 60_000 })
        .where('user_id', '=', fixture.users.rep.id)
        .execute();
    /** A pause for the write to meet the lock (the assertions are on the order of events, not on this). */
    const pause = () => new Promise((resolve) => setTimeout(resolve, 200));
    const locale = async () => json<{ user: { locale: string } }>(await call('GET', '/api/v1/auth/me')).user.locale;

    it('a write waits for the lock while reads go on, and succeeds once it is released', async () => {
      await ageSession();
      const events: string[] = [];
      other.exec('begin immediate');
      try {
        const write = call('PATCH', '/api/v1/auth/me', { locale: 'en-US' }).then((answer) => {
          events.push('written');
          return answer;
        });
        const read = await call('GET', '/api/v1/accounts?limit=5');
        assert.equal(read.statusCode, 200, read.body);
        events.push('read');
        // Released by a timer, after the read: time for the write to have met the lock.
        await pause();
        other.exec('commit');
        events.push('released');
        const answer = await write;
        assert.equal(answer.statusCode, 200, answer.body);
        assert.deepEqual(events, ['read', 'released', 'written']);
      } finally {
        if (other.inTransaction) other.exec('rollback');
      }
      assert.equal(await locale(), 'en-US');
    });

    it('past the budget the write answers 503 busy and changes nothing; reads went on meanwhile', async () => {
      await ageSession();
      const events: string[] = [];
      other.exec('begin immediate');
      try {
        const write = call('PATCH', '/api/v1/auth/me', { locale: 'zh-CN' }).then((answer) => {
          events.push('answered');
          return answer;
        });
        assert.equal((await call('GET', '/api/v1/accounts?limit=5')).statusCode, 200);
        events.push('read');
        await pause();
        assert.equal((await call('GET', '/api/v1/accounts?limit=5')).statusCode, 200);
        events.push('read');
        const answer = await write;
        assert.equal(answer.statusCode, 503);
        assert.equal(json(answer).code, 'busy');
        assert.equal(answer.headers['retry-after'], '1');
        assert.deepEqual(events, ['read', 'read', 'answered'], 'the write waited while reads went on');
      } finally {
        other.exec('rollback');
      }
      assert.equal(await locale(), 'en-US', 'nothing half-saved');
    });
  });
}
