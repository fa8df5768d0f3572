import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { testEngines } from '../helpers/db.ts';
import { client, json, loginCookie, PASSWORD, sessionCookie, type Call } from '../helpers/app.ts';
import { readUser, usersWorld, type UsersWorld } from '../helpers/users-world.ts';
import type { Problem } from '../../src/contracts/common.ts';
import type { User } from '../../src/contracts/users.ts';

/**
 * Passwords an administrator sets (docs/DESIGN.md § Users): a reset ends the user's sessions, and
 * a new user or a reset password must be changed first, until then only me, password and
 * sign-out answer.
 */
for (const engine of testEngines()) {
  describe(`users: passwords set by an administrator [${engine}]`, () => {
    let testApp: UsersWorld['testApp'];
    let fixture: UsersWorld['fixture'];
    let admin: Call;
    let newUser: UsersWorld['newUser'];
    before(async () => {
      ({ testApp, fixture, admin, newUser } = await usersWorld(engine));
    });
    after(() => testApp.close());
    const get = (id: number) => readUser(admin, id);

    it('resets a password: the old one stops working and sessions end', async () => {
      const user = json<User>(await admin('POST', '/api/v1/users', newUser()));
      const them = client(testApp, await loginCookie(testApp, user.email, 'initial-pass-1'));
      const res = await admin('POST', `/api/v1/users/${user.id}/password`, {
        version: user.version,
        password: 'reset-pass-22',
      });
      assert.equal(res.statusCode, 200);
      assert.equal((await them('GET', '/api/v1/auth/me')).statusCode, 401);
      await loginCookie(testApp, user.email, 'reset-pass-22');
      const short = await admin('POST', `/api/v1/users/${user.id}/password`, {
        version: json<User>(res).version,
        password: 'x',
      });
      assert.equal(json<Problem>(short).errors![0]!.field, 'password');
    });

    it('makes a new user and a reset password be changed first: until then only me, password and sign-out answer', async () => {
      const user = json<User>(await admin('POST', '/api/v1/users', newUser()));
      assert.equal(user.mustChangePassword, true);
      const signIn = await testApp.app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { email: user.email, password: 'initial-pass-1' },
      });
      assert.equal(signIn.statusCode, 200, 'signing in still works');
      assert.equal(json<{ user: User }>(signIn).user.mustChangePassword, true);
      const them = client(
        testApp,
        `keyline_session=${signIn.cookies.find((c) => c.name === 'keyline_session')!.value}`,
      );
      assert.equal(json<{ user: User }>(await them('GET', '/api/v1/auth/me')).user.mustChangePassword, true);
      for (const [method, url, body] of [
        ['GET', '/api/v1/users', undefined],
        ['GET', `/api/v1/users/${user.id}`, undefined],
        ['GET', '/api/v1/accounts', undefined],
        ['GET', '/api/v1/org-units', undefined],
        ['PATCH', '/api/v1/auth/me', { locale: 'en-US' }],
      ] as const) {
        const res = await them(method, url, body);
        assert.equal(res.statusCode, 403, `${method} ${url}: ${res.body}`);
        assert.equal(json<Problem>(res).code, 'password_change_required');
      }
      const wrong = await them('POST', '/api/v1/auth/password', {
        currentPassword: 'not-it-at-all',
        newPassword: 'my-own-pass-1',
      });
      assert.equal(json<Problem>(wrong).errors![0]!.field, 'currentPassword', 'a failed change leaves the flag');
      assert.equal((await them('GET', '/api/v1/users')).statusCode, 403);
      assert.equal(
        (
          await them('POST', '/api/v1/auth/password', {
            currentPassword: 'initial-pass-1',
            newPassword: 'my-own-pass-1',
          })
        ).statusCode,
        204,
      );
      assert.equal((await them('GET', '/api/v1/users')).statusCode, 200);
      assert.equal(json<{ user: User }>(await them('GET', '/api/v1/auth/me')).user.mustChangePassword, false);
      const changed = await get(user.id);
      assert.equal(changed.mustChangePassword, false);

      // A reset by an administrator sets it again; signing out works meanwhile.
      assert.equal(
        json<User>(
          await admin('POST', `/api/v1/users/${user.id}/password`, {
            version: changed.version,
            password: 'reset-pass-33',
          }),
        ).mustChangePassword,
        true,
      );
      const again = client(testApp, await loginCookie(testApp, user.email, 'reset-pass-33'));
      assert.equal(json<Problem>(await again('GET', '/api/v1/users')).code, 'password_change_required');
      assert.equal((await again('POST', '/api/v1/auth/logout')).statusCode, 204);
      assert.equal((await again('GET', '/api/v1/auth/me')).statusCode, 401);
      // An administrator who resets their own password chose it: nothing to replace.
      const self = await get(fixture.users.admin.id);
      assert.equal(
        json<User>(
          await admin('POST', `/api/v1/users/${self.id}/password`, { version: self.version, password: PASSWORD }),
        ).mustChangePassword,
        false,
      );
      admin = client(testApp, await sessionCookie(testApp, fixture.workspaceId, fixture.users.admin.id)); // the reset ended the admin's sessions too
      // Users loaded or set up otherwise (the fixture, the demo) are not asked.
      assert.equal((await get(fixture.users.rep.id)).mustChangePassword, false);
    });
  });
}
