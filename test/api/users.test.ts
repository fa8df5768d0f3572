import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { testEngines } from '../helpers/db.ts';
import {
  client,
  createTestApp,
  json,
  loginCookie,
  PASSWORD,
  seedWorkspace,
  sessionCookie,
  type Call,
  type Fixture,
  type TestApp,
} from '../helpers/app.ts';

import type { Page as PageOf, Problem } from '../../src/contracts/common.ts';
import type { User } from '../../src/contracts/users.ts';

type Page = PageOf<User>;

for (const engine of testEngines()) {
  describe(`users [${engine}]`, () => {
    let testApp: TestApp;
    let fixture: Fixture;
    let admin: Call;
    before(async () => {
      testApp = await createTestApp(engine);
      fixture = await seedWorkspace(testApp, 'users');
      admin = client(testApp, await sessionCookie(testApp, fixture.workspaceId, fixture.users.admin.id));
    });
    after(() => testApp.close());

    const get = async (id: number) => json<User>(await admin('GET', `/api/v1/users/${id}`));
    const newUser = (over: Record<string, unknown> = {}) => ({
      email: `Li.Lei.${Math.random().toString(36).slice(2, 8)}@Example.com`,
      name: '李雷',
      role: 'rep',
      orgUnitId: fixture.units.sales2,
      password: 'initial-pass-1',
      ...over,
    });

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

    it('keeps at least one active admin: no demoting or deactivating the last one', async () => {
      const me = await get(fixture.users.admin.id);
      const demote = await admin('PATCH', `/api/v1/users/${me.id}`, { version: me.version, role: 'manager' });
      assert.equal(demote.statusCode, 409);
      assert.equal(json<Problem>(demote).code, 'last_admin');
      assert.equal(json<Problem>(demote).errors![0]!.field, 'role');
      const deactivate = await admin('POST', `/api/v1/users/${me.id}/deactivate`, { version: me.version });
      assert.equal(deactivate.statusCode, 409);
      assert.equal((await get(me.id)).role, 'admin');
      assert.equal((await get(me.id)).active, true);
      // With a second admin, either may step down.
      const second = json<User>(
        await admin('POST', '/api/v1/users', newUser({ role: 'admin', orgUnitId: fixture.units.root })),
      );
      const secondAdmin = client(testApp, await sessionCookie(testApp, fixture.workspaceId, second.id));
      assert.equal(
        (
          await secondAdmin('POST', '/api/v1/auth/password', {
            currentPassword: 'initial-pass-1',
            newPassword: 'own-pass-123',
          })
        ).statusCode,
        204,
      );
      assert.equal(
        (
          await secondAdmin('POST', `/api/v1/users/${second.id}/deactivate`, {
            version: (await get(second.id)).version,
          })
        ).statusCode,
        200,
      );
    });

    it("deactivation ends the user's sessions at once and blocks sign-in; activation restores it", async () => {
      const user = json<User>(await admin('POST', '/api/v1/users', newUser()));
      const cookie = await loginCookie(testApp, user.email, 'initial-pass-1');
      const them = client(testApp, cookie);
      assert.equal((await them('GET', '/api/v1/auth/me')).statusCode, 200);
      const res = await admin('POST', `/api/v1/users/${user.id}/deactivate`, { version: user.version });
      assert.equal(res.statusCode, 200);
      assert.equal(json<User>(res).active, false);
      assert.equal((await them('GET', '/api/v1/auth/me')).statusCode, 401);
      const rows = await testApp.db.kysely.selectFrom('sessions').select('id').where('user_id', '=', user.id).execute();
      assert.equal(rows.length, 0);
      const login = await testApp.app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { email: user.email, password: 'initial-pass-1' },
      });
      assert.equal(login.statusCode, 401);
      const back = await admin('POST', `/api/v1/users/${user.id}/activate`, { version: json<User>(res).version });
      assert.equal(json<User>(back).active, true);
      await loginCookie(testApp, user.email, 'initial-pass-1');
    });

    /** Gives a user work: live and archived accounts, open and won deals, active and inactive territory rules. */
    const giveWork = async (
      userId: number,
      work: { accounts?: number; archived?: number; open?: number; won?: number; rules?: number; oldRules?: number },
    ) => {
      const kysely = testApp.db.kysely;
      const now = Date.now();
      const account = async (archived: boolean) =>
        (
          await kysely
            .insertInto('accounts')
            .values({
              workspace_id: fixture.workspaceId,
              name: `客户 ${userId}-${Math.random()}`,
              name_key: `k${userId}-${Math.random()}`,
              owner_id: userId,
              org_unit_id: fixture.units.sales2,
              tier: 'C',
              created_at: now,
              updated_at: now,
              archived_at: archived ? now : null,
              version: 1,
            })
            .returning('id')
            .executeTakeFirstOrThrow()
        ).id;
      const accountIds = [];
      for (let i = 0; i < (work.accounts ?? 0); i++) accountIds.push(await account(false));
      for (let i = 0; i < (work.archived ?? 0); i++) await account(true);
      const on = accountIds[0] ?? (await account(true));
      const opp = (status: string) =>
        kysely
          .insertInto('opportunities')
          .values({
            workspace_id: fixture.workspaceId,
            account_id: on,
            name: `项目 ${status}`,
            owner_id: userId,
            org_unit_id: fixture.units.sales2,
            amount: 10_000_00,
            status,
            expected_close_date: null,
            closed_at: status === 'open' ? null : now,
            created_at: now,
            updated_at: now,
            version: 1,
          })
          .execute();
      for (let i = 0; i < (work.open ?? 0); i++) await opp('open');
      for (let i = 0; i < (work.won ?? 0); i++) await opp('won');
      const rule = (active: number) =>
        kysely
          .insertInto('territory_rules')
          .values({
            workspace_id: fixture.workspaceId,
            name: null,
            province: '江苏省',
            city: null,
            district: null,
            industry: null,
            user_id: userId,
            active,
            created_at: now,
            updated_at: now,
            version: 1,
          })
          .execute();
      for (let i = 0; i < (work.rules ?? 0); i++) await rule(1);
      for (let i = 0; i < (work.oldRules ?? 0); i++) await rule(0);
    };
    type Required = Problem & {
      accounts: number;
      opportunities: number;
      territories: number;
      handoverId: number | null;
    };

    let owner: User;
    it('refuses to deactivate a user who still owns work (409 handover_required, with counts); archived accounts, closed deals and inactive rules do not count', async () => {
      owner = json<User>(await admin('POST', '/api/v1/users', newUser()));
      await giveWork(owner.id, { accounts: 2, archived: 1, open: 1, won: 1, rules: 1, oldRules: 1 });
      const res = await admin('POST', `/api/v1/users/${owner.id}/deactivate`, { version: owner.version });
      assert.equal(res.statusCode, 409, res.body);
      const problem = json<Required>(res);
      assert.equal(problem.code, 'handover_required');
      assert.deepEqual(
        [problem.accounts, problem.opportunities, problem.territories, problem.handoverId],
        [2, 1, 1, null],
      );
      assert.match(problem.detail ?? '', /2 accounts.*1 open opportunities.*1 active territory rules/);
      assert.equal((await get(owner.id)).active, true);

      const done = json<User>(await admin('POST', '/api/v1/users', newUser()));
      await giveWork(done.id, { archived: 1, won: 1, oldRules: 1 });
      const ok = await admin('POST', `/api/v1/users/${done.id}/deactivate`, { version: done.version });
      assert.equal(ok.statusCode, 200, ok.body);
      assert.equal(json<User>(ok).active, false);
    });

    it('a handover in progress blocks it too; completing the handover deactivates the user', async () => {
      const started = await admin('POST', '/api/v1/handovers', { fromUserId: owner.id });
      assert.equal(started.statusCode, 201, started.body);
      let handover = json<{ id: number; version: number; items: { id: number }[] }>(started);
      await testApp.db.kysely
        .updateTable('accounts')
        .set({ archived_at: Date.now() })
        .where('owner_id', '=', owner.id)
        .execute();
      await testApp.db.kysely
        .updateTable('opportunities')
        .set({ status: 'won', closed_at: Date.now() })
        .where('owner_id', '=', owner.id)
        .execute();
      await testApp.db.kysely
        .updateTable('territory_rules')
        .set({ active: 0 })
        .where('user_id', '=', owner.id)
        .execute();
      const blocked = await admin('POST', `/api/v1/users/${owner.id}/deactivate`, { version: owner.version });
      assert.equal(blocked.statusCode, 409, blocked.body);
      assert.deepEqual(
        ((p) => [p.code, p.accounts, p.opportunities, p.territories, p.handoverId])(json<Required>(blocked)),
        ['handover_required', 0, 0, 0, handover.id],
      );

      const assigned = await admin('PATCH', `/api/v1/handovers/${handover.id}/items`, {
        items: handover.items.map((i) => ({ itemId: i.id, toUserId: fixture.users.rep.id })),
      });
      assert.equal(assigned.statusCode, 200, assigned.body);
      handover = json(assigned);
      const done = await admin('POST', `/api/v1/handovers/${handover.id}/complete`, { version: handover.version });
      assert.equal(done.statusCode, 200, done.body);
      assert.equal((await get(owner.id)).active, false);
      const left = await testApp.db.kysely
        .selectFrom('accounts')
        .select('id')
        .where('owner_id', '=', owner.id)
        .execute();
      assert.equal(left.length, 0, 'everything moved first');
    });

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

    it('lists with pagination, sorting and filters', async () => {
      const all = json<Page>(await admin('GET', '/api/v1/users?limit=500&sort=email'));
      assert.ok(all.total >= 8);
      assert.deepEqual(
        all.items.map((u) => u.email),
        [...all.items.map((u) => u.email)].sort(),
      );
      const p1 = json<Page>(await admin('GET', '/api/v1/users?limit=3&offset=0&sort=-email'));
      const p2 = json<Page>(await admin('GET', '/api/v1/users?limit=3&offset=3&sort=-email'));
      assert.equal(p1.items.length, 3);
      assert.equal(p1.total, all.total);
      assert.deepEqual(
        [...p1.items, ...p2.items].map((u) => u.email),
        all.items
          .map((u) => u.email)
          .reverse()
          .slice(0, 6),
      );
      const reps = json<Page>(await admin('GET', '/api/v1/users?role=rep&limit=500'));
      assert.ok(reps.items.length > 0 && reps.items.every((u) => u.role === 'rep'));
      const inShanghai = json<Page>(await admin('GET', `/api/v1/users?orgUnitId=${fixture.units.shanghai}&limit=500`));
      const ids = inShanghai.items.map((u) => u.id);
      assert.ok(ids.includes(fixture.users.manager.id) && ids.includes(fixture.users.rep.id), 'sub-units included');
      assert.ok(!ids.includes(fixture.users.rep2.id));
      const page = json<Page>(await admin('GET', `/api/v1/users?q=${encodeURIComponent('REP2')}`));
      assert.deepEqual(
        page.items.map((u) => u.id),
        [fixture.users.rep2.id],
        'case-insensitive name/email search',
      );
      const inactive = json<Page>(await admin('GET', '/api/v1/users?active=false&limit=500'));
      assert.ok(inactive.items.every((u) => !u.active));
      const bad = await admin('GET', '/api/v1/users?sort=password_hash&limit=0');
      assert.equal(bad.statusCode, 400);
      assert.deepEqual(
        json<Problem>(bad)
          .errors!.map((e) => e.field)
          .sort(),
        ['query.limit', 'query.sort'],
      );
    });

    it('shows a manager the users of their subtree and a rep those of their own unit', async () => {
      const manager = client(testApp, await sessionCookie(testApp, fixture.workspaceId, fixture.users.manager.id));
      const seen = json<Page>(await manager('GET', '/api/v1/users?limit=500')).items.map((u) => u.id);
      assert.ok(
        seen.includes(fixture.users.rep.id) &&
          seen.includes(fixture.users.presales.id) &&
          seen.includes(fixture.users.manager.id),
      );
      assert.ok(
        !seen.includes(fixture.users.rep2.id) &&
          !seen.includes(fixture.users.admin.id) &&
          !seen.includes(fixture.users.executive.id),
      );
      assert.equal((await manager('GET', `/api/v1/users/${fixture.users.rep2.id}`)).statusCode, 404);
      const rep = client(testApp, await sessionCookie(testApp, fixture.workspaceId, fixture.users.rep.id));
      const repSees = json<Page>(await rep('GET', '/api/v1/users?limit=500')).items;
      assert.ok(repSees.length >= 1 && repSees.every((u) => u.orgUnitId === fixture.units.sales1));
      const exec = client(testApp, await sessionCookie(testApp, fixture.workspaceId, fixture.users.executive.id));
      assert.ok(
        json<Page>(await exec('GET', '/api/v1/users?limit=500')).items.some((u) => u.id === fixture.users.rep2.id),
      );
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

    it("names each user's unit by its path, as far up as it takes to tell namesakes apart", async () => {
      // A second 销售一部, in Guangzhou: Shanghai's is no longer unambiguous on its own.
      const namesake = await admin('POST', '/api/v1/org-units', {
        parentId: fixture.units.guangzhou,
        name: '销售一部',
        type: 'department',
      });
      assert.equal(namesake.statusCode, 201, namesake.body);
      const rep = await get(fixture.users.rep.id);
      assert.equal(rep.orgUnitName, '销售一部');
      assert.equal(rep.orgUnitLabel, '上海分公司 / 销售一部');
      assert.deepEqual(rep.orgUnitPath.slice(1), ['华东大区', '上海分公司', '销售一部']);
      assert.equal(rep.orgUnitPath.length, 4, 'from the top unit down');
      const listed = json<Page>(await admin('GET', '/api/v1/users?limit=500')).items;
      assert.equal(
        listed.find((u) => u.id === fixture.users.rep2.id)!.orgUnitLabel,
        '销售部',
        'a unit without namesakes keeps its own name',
      );
      assert.equal(listed.find((u) => u.id === fixture.users.manager.id)!.orgUnitLabel, '上海分公司');
      // A rep sees only their own unit, but the label still names the branch above it.
      const repCall = client(testApp, await sessionCookie(testApp, fixture.workspaceId, fixture.users.rep.id));
      const mine = json<Page>(await repCall('GET', '/api/v1/users?limit=500')).items;
      assert.ok(mine.length > 0 && mine.every((u) => u.orgUnitLabel === '上海分公司 / 销售一部'));
      assert.equal(
        json<{ user: User }>(await repCall('GET', '/api/v1/auth/me')).user.orgUnitLabel,
        '上海分公司 / 销售一部',
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
