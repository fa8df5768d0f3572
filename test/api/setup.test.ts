import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { testEngines } from '../helpers/db.ts';
import { client, createTestApp, json, type TestApp } from '../helpers/app.ts';

for (const engine of testEngines()) {
  describe(`first-run setup and workspace settings [${engine}]`, () => {
    let testApp: TestApp;
    before(async () => {
      testApp = await createTestApp(engine);
    });
    after(() => testApp.close());

    const setup = {
      workspaceName: '星河制造',
      adminName: '管理员',
      adminEmail: 'Owner@Xinghe.test',
      adminPassword: 'owner-pass-1',
      locale: 'en-US',
    };

    it('offers setup on an empty installation, validates it, and signs the new admin in', async () => {
      const anon = client(testApp);
      assert.deepEqual(json(await anon('GET', '/api/v1/setup')), { needed: true });
      const bad = await anon('POST', '/api/v1/setup', { ...setup, adminEmail: 'nope', adminPassword: 'x' });
      assert.equal(bad.statusCode, 400);
      assert.deepEqual(
        json<{ errors: { field: string }[] }>(bad)
          .errors.map((e) => e.field)
          .sort(),
        ['adminEmail', 'adminPassword'],
      );
      assert.deepEqual(json(await anon('GET', '/api/v1/setup')), { needed: true }, 'nothing half-saved');

      const res = await anon('POST', '/api/v1/setup', setup);
      assert.equal(res.statusCode, 201, res.body);
      const cookie = res.cookies.find((c) => c.name === 'keyline_session')!;
      const me = json<{
        user: { email: string; role: string; locale: string };
        workspace: { name: string; timeZone: string; currency: string };
      }>(await client(testApp, `keyline_session=${cookie.value}`)('GET', '/api/v1/auth/me'));
      assert.equal(me.user.email, 'owner@xinghe.test');
      assert.equal(me.user.role, 'admin');
      assert.equal(me.user.locale, 'en-US');
      assert.equal(me.workspace.name, '星河制造');
      assert.equal(me.workspace.timeZone, 'Asia/Shanghai');
      assert.equal(me.workspace.currency, 'CNY');
      const units = json<{ items: { name: string; type: string; parentId: number | null }[] }>(
        await client(testApp, `keyline_session=${cookie.value}`)('GET', '/api/v1/org-units'),
      ).items;
      assert.deepEqual(
        units.map((u) => [u.name, u.type, u.parentId]),
        [['星河制造', 'group', null]],
      );
    });

    it('refuses a second setup once a workspace exists', async () => {
      const anon = client(testApp);
      assert.deepEqual(json(await anon('GET', '/api/v1/setup')), { needed: false });
      const again = await anon('POST', '/api/v1/setup', { ...setup, adminEmail: 'intruder@x.test' });
      assert.equal(again.statusCode, 409);
      assert.equal(json(again).code, 'already_set_up');
      const intruders = await testApp.db.kysely
        .selectFrom('users')
        .select('id')
        .where('email', '=', 'intruder@x.test')
        .execute();
      assert.equal(intruders.length, 0);
    });

    it('lets the admin change workspace settings with version checks and validation', async () => {
      const login = await client(testApp)('POST', '/api/v1/auth/login', {
        email: setup.adminEmail,
        password: setup.adminPassword,
      });
      const call = client(testApp, `keyline_session=${login.cookies[0]!.value}`);
      const ws = json<{ version: number }>(await call('GET', '/api/v1/workspace'));
      const ok = await call('PATCH', '/api/v1/workspace', {
        version: ws.version,
        fiscalYearStartMonth: 4,
        timeZone: 'Asia/Hong_Kong',
      });
      assert.equal(ok.statusCode, 200, ok.body);
      assert.equal(json<{ fiscalYearStartMonth: number }>(ok).fiscalYearStartMonth, 4);
      const stale = await call('PATCH', '/api/v1/workspace', { version: ws.version, name: 'x' });
      assert.equal(stale.statusCode, 409);
      const bad = await call('PATCH', '/api/v1/workspace', {
        version: ws.version + 1,
        timeZone: 'Mars/Olympus',
        fiscalYearStartMonth: 13,
        currency: 'yuan',
      });
      assert.equal(bad.statusCode, 400);
      assert.deepEqual(
        json<{ errors: { field: string }[] }>(bad)
          .errors.map((e) => e.field)
          .sort(),
        ['currency', 'fiscalYearStartMonth', 'timeZone'],
      );
      assert.equal(json<{ name: string }>(await call('GET', '/api/v1/workspace')).name, '星河制造');
    });
  });
}
