import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { testEngines } from '../helpers/db.ts';
import { client, json, loginCookie, PASSWORD, seedWorkspace, sessionCookie, type Call } from '../helpers/app.ts';
import { readUser, usersWorld, type Page, type UsersWorld } from '../helpers/users-world.ts';
import type { Problem } from '../../src/contracts/common.ts';
import type { User } from '../../src/contracts/users.ts';

/**
 * Creating users and changing their role, unit and export grant (docs/DESIGN.md § Users): the
 * fields each refusal names, the permission-change log, what /auth/me says the user may do, and
 * that only an admin may change users.
 */
for (const engine of testEngines()) {
  describe(`users: creating and changing them [${engine}]`, () => {
    let testApp: UsersWorld['testApp'];
    let fixture: UsersWorld['fixture'];
    let admin: Call;
    let newUser: UsersWorld['newUser'];
    before(async () => {
      ({ testApp, fixture, admin, newUser } = await usersWorld(engine));
    });
    after(() => testApp.close());
    const get = (id: number) => readUser(admin, id);

    it('creates a user who can then sign in; email is stored in lower case; reps export off by default', async () => {
      const body = newUser({ title: '客户经理' });
      const res = await admin('POST', '/api/v1/users', body);
      assert.equal(res.statusCode, 201, res.body);
      const user = json<User>(res);
      assert.equal(user.email, (body.email as string).toLowerCase());
      assert.equal(user.orgUnitName, '销售二部');
      assert.equal(user.active, true);
      assert.equal(user.canExport, false);
      await loginCookie(testApp, user.email, 'initial-pass-1');
      const mgr = json<User>(await admin('POST', '/api/v1/users', newUser({ role: 'manager' })));
      assert.equal(mgr.canExport, true);
    });

    it('refuses a duplicate email, in this or any other workspace, naming the field', async () => {
      const dup = await admin('POST', '/api/v1/users', newUser({ email: fixture.users.rep.email.toUpperCase() }));
      assert.equal(dup.statusCode, 409);
      assert.equal(json<Problem>(dup).errors![0]!.field, 'email');
      const other = await seedWorkspace(testApp, 'dup');
      const cross = await admin('POST', '/api/v1/users', newUser({ email: other.users.rep.email }));
      assert.equal(cross.statusCode, 409);
    });

    it('rejects bad input naming each field, and saves nothing', async () => {
      const before = json<Page>(await admin('GET', '/api/v1/users?limit=1')).total;
      const cases: [Record<string, unknown>, string][] = [
        [newUser({ email: 'not-an-email' }), 'email'],
        [newUser({ role: 'boss' }), 'role'],
        [newUser({ password: 'short' }), 'password'],
        [newUser({ name: 'n'.repeat(101) }), 'name'],
        [newUser({ orgUnitId: 999999 }), 'orgUnitId'],
        [newUser({ orgUnitId: '3' }), 'orgUnitId'],
        [newUser({ admin: true }), 'admin'],
        [newUser({ phone: '1'.repeat(41) }), 'phone'],
      ];
      for (const [body, field] of cases) {
        const res = await admin('POST', '/api/v1/users', body);
        assert.equal(res.statusCode, 400, `${field}: ${res.body}`);
        assert.ok(
          json<Problem>(res).errors!.some((e) => e.field === field),
          `${field} in ${res.body}`,
        );
      }
      const missing = await admin('POST', '/api/v1/users', { email: 'a@b.test' });
      assert.deepEqual(
        json<Problem>(missing)
          .errors!.map((e) => e.field)
          .sort(),
        ['name', 'orgUnitId', 'password', 'role'],
      );
      assert.ok(json<Problem>(missing).errors!.every((e) => e.message === 'is required'));
      assert.equal(json<Page>(await admin('GET', '/api/v1/users?limit=1')).total, before);
    });

    it('changes role and unit, logs it as a permission change, and refuses a stale version', async () => {
      const user = json<User>(await admin('POST', '/api/v1/users', newUser()));
      const res = await admin('PATCH', `/api/v1/users/${user.id}`, {
        version: user.version,
        role: 'presales',
        orgUnitId: fixture.units.sales3,
        canExport: true,
      });
      assert.equal(res.statusCode, 200, res.body);
      const changed = json<User>(res);
      assert.equal(changed.role, 'presales');
      assert.equal(changed.orgUnitId, fixture.units.sales3);
      assert.equal(changed.canExport, true);
      const stale = await admin('PATCH', `/api/v1/users/${user.id}`, { version: user.version, name: '韩梅梅' });
      assert.equal(stale.statusCode, 409);
      assert.equal((await get(user.id)).name, '李雷');
      const log = json<{
        items: {
          action: string;
          targetId: number;
          targetName: string | null;
          detail: Record<string, { from: unknown; to: unknown }>;
        }[];
      }>(await admin('GET', '/api/v1/audit-log?action=user.permission_change')).items.find(
        (e) => e.targetId === user.id,
      )!;
      assert.equal(log.targetName, '李雷', 'the log says whose permissions changed');
      assert.deepEqual(log.detail.role, { from: 'rep', to: 'presales' });
      assert.deepEqual(log.detail.canExport, { from: false, to: true });
    });

    it("resets the export grant to the new role's default on a change of role, audited (issue 14): a demoted manager does not keep it", async () => {
      const managerUser = json<User>(await admin('POST', '/api/v1/users', newUser({ role: 'manager' })));
      assert.equal(managerUser.canExport, true);
      const res = await admin('PATCH', `/api/v1/users/${managerUser.id}`, {
        version: managerUser.version,
        role: 'rep',
      });
      assert.equal(res.statusCode, 200, res.body);
      assert.equal(json<User>(res).canExport, false);
      const stored = await testApp.db.kysely
        .selectFrom('users')
        .select('can_export')
        .where('id', '=', managerUser.id)
        .executeTakeFirstOrThrow();
      assert.equal(stored.can_export, 0);
      const log = json<{ items: { targetId: number; detail: Record<string, { from: unknown; to: unknown }> }[] }>(
        await admin('GET', '/api/v1/audit-log?action=user.permission_change'),
      ).items.find((e) => e.targetId === managerUser.id)!;
      assert.deepEqual(log.detail, { role: { from: 'manager', to: 'rep' }, canExport: { from: true, to: false } });
      const demoted = client(testApp, await sessionCookie(testApp, fixture.workspaceId, managerUser.id));
      assert.equal((await demoted('GET', '/api/v1/accounts/export')).statusCode, 403);
      // Promoted again, the role's default comes back; an explicit grant in the same change wins.
      const back = json<User>(
        await admin('PATCH', `/api/v1/users/${managerUser.id}`, { version: json<User>(res).version, role: 'manager' }),
      );
      assert.equal(back.canExport, true);
      const kept = json<User>(
        await admin('PATCH', `/api/v1/users/${managerUser.id}`, {
          version: back.version,
          role: 'rep',
          canExport: true,
        }),
      );
      assert.equal(kept.canExport, true);
    });

    it('says in /auth/me what the user may do: finance may not export, whatever its grant (issue 14)', async () => {
      const fin = json<User>(await admin('POST', '/api/v1/users', newUser({ role: 'finance', canExport: true })));
      assert.equal(fin.canExport, false, 'the list shows what the grant is worth');
      const me = json<{ capabilities: string[] }>(
        await client(testApp, await sessionCookie(testApp, fixture.workspaceId, fin.id))('GET', '/api/v1/auth/me'),
      );
      assert.deepEqual(me.capabilities, []);
      const mgr = json<User>(await admin('POST', '/api/v1/users', newUser({ role: 'manager' })));
      const mgrMe = json<{ capabilities: string[] }>(
        await client(testApp, await sessionCookie(testApp, fixture.workspaceId, mgr.id))('GET', '/api/v1/auth/me'),
      );
      assert.ok(
        mgrMe.capabilities.includes('export') &&
          mgrMe.capabilities.includes('handover.manage') &&
          !mgrMe.capabilities.includes('users.administer'),
        mgrMe.capabilities.join(),
      );
    });

    it('lets nobody but an admin change users', async () => {
      const target = await get(fixture.users.rep.id);
      for (const role of ['executive', 'manager', 'rep', 'presales', 'auditor', 'finance'] as const) {
        const call = client(testApp, await sessionCookie(testApp, fixture.workspaceId, fixture.users[role].id));
        const res = await call('PATCH', `/api/v1/users/${target.id}`, { version: target.version, role: 'admin' });
        assert.equal(res.statusCode, 403, role);
      }
      assert.equal((await get(target.id)).role, 'rep');
      void PASSWORD;
    });
  });
}
