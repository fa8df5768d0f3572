import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { testEngines } from '../helpers/db.ts';
import { client, createTestApp, seedWorkspace, sessionCookie, type Fixture, type TestApp } from '../helpers/app.ts';

for (const engine of testEngines()) {
  describe(`response headers [${engine}]`, () => {
    let t: TestApp;
    let f: Fixture;
    before(async () => {
      t = await createTestApp(engine);
      f = await seedWorkspace(t, 'hdr');
    });
    after(() => t.close());

    it('tells every cache not to keep API answers: reads, writes, problems, signed in or not', async () => {
      const rep = client(t, await sessionCookie(t, f.workspaceId, f.users.rep.id));
      for (const url of ['/api/v1/auth/me', `/api/v1/accounts/${f.accounts.repAccount}`, '/api/v1/accounts', `/api/v1/contacts/${f.contacts.repContact}`, '/api/v1/nothing-here']) {
        const res = await rep('GET', url);
        assert.equal(res.headers['cache-control'], 'no-store', url);
      }
      const created = await rep('POST', '/api/v1/contacts', { accountId: f.accounts.repAccount, name: '张三' });
      assert.equal(created.statusCode, 201);
      assert.equal(created.headers['cache-control'], 'no-store');
      assert.equal((await t.app.inject({ method: 'GET', url: '/api/v1/auth/me' })).headers['cache-control'], 'no-store', 'a 401 too');
    });
  });
}
