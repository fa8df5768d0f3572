import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { testEngines } from '../helpers/db.ts';
import { client, createTestApp, seedWorkspace, sessionCookie, type Fixture, type TestApp } from '../helpers/app.ts';

for (const engine of testEngines()) {
  describe(`response headers [${engine}]`, () => {
    let testApp: TestApp;
    let fixture: Fixture;
    before(async () => {
      testApp = await createTestApp(engine);
      fixture = await seedWorkspace(testApp, 'hdr');
    });
    after(() => testApp.close());

    it('tells every cache not to keep API answers: reads, writes, problems, signed in or not', async () => {
      const rep = client(testApp, await sessionCookie(testApp, fixture.workspaceId, fixture.users.rep.id));
      for (const url of [
        '/api/v1/auth/me',
        `/api/v1/accounts/${fixture.accounts.repAccount}`,
        '/api/v1/accounts',
        `/api/v1/contacts/${fixture.contacts.repContact}`,
        '/api/v1/nothing-here',
      ]) {
        const res = await rep('GET', url);
        assert.equal(res.headers['cache-control'], 'no-store', url);
      }
      const created = await rep('POST', '/api/v1/contacts', { accountId: fixture.accounts.repAccount, name: '张三' });
      assert.equal(created.statusCode, 201);
      assert.equal(created.headers['cache-control'], 'no-store');
      assert.equal(
        (await testApp.app.inject({ method: 'GET', url: '/api/v1/auth/me' })).headers['cache-control'],
        'no-store',
        'a 401 too',
      );
    });
  });
}
