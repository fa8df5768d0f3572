import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { testEngines } from '../helpers/db.ts';
import { client, json, loginCookie, sessionCookie, type Call } from '../helpers/app.ts';
import { readUser, usersWorld, type UsersWorld } from '../helpers/users-world.ts';
import type { Problem } from '../../src/contracts/common.ts';
import type { User } from '../../src/contracts/users.ts';

/**
 * Deactivating users (docs/DESIGN.md § Users, docs/handover.md): the last active admin stays,
 * deactivation ends sessions and blocks sign-in, and a user who owns work (or has a handover in
 * progress) is refused until the handover moves it. The handover test completes the one the
 * test before it is refused for: they run in order.
 */
for (const engine of testEngines()) {
  describe(`users: deactivation and the work they own [${engine}]`, () => {
    let testApp: UsersWorld['testApp'];
    let fixture: UsersWorld['fixture'];
    let admin: Call;
    let newUser: UsersWorld['newUser'];
    before(async () => {
      ({ testApp, fixture, admin, newUser } = await usersWorld(engine));
    });
    after(() => testApp.close());
    const get = (id: number) => readUser(admin, id);

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
  });
}
