import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { testEngines } from '../helpers/db.ts';
import {
  client,
  createTestApp,
  json,
  seedExtras,
  seedWorkspace,
  sessionCookie,
  type Call,
  type Extras,
  type Fixture,
  type TestApp,
} from '../helpers/app.ts';
import { insertUser } from '../../src/modules/users/repository.ts';

/**
 * A create the caller may not make is refused before anything is written (issue 14 item 5):
 * never saved-then-hidden, so a client that retries after the refusal does not pile up copies.
 */
for (const engine of testEngines()) {
  describe(`creating for someone else [${engine}]`, () => {
    let testApp: TestApp;
    let fixture: Fixture & Extras;
    let colleague: number;
    let rep: Call;
    let manager: Call;
    before(async () => {
      testApp = await createTestApp(engine);
      const base = await seedWorkspace(testApp, 'cw');
      fixture = { ...base, ...(await seedExtras(testApp, base)) };
      // A second rep in the rep's own unit: within the rep's reach as a user, not as an owner of deals.
      colleague = await insertUser(testApp.db.kysely, {
        workspaceId: fixture.workspaceId,
        orgUnitId: fixture.units.sales1,
        email: `colleague-${engine}@cw.test`,
        name: '同事',
        role: 'rep',
        title: null,
        phone: null,
        passwordHash: 'x',
        locale: 'zh-CN',
        canExport: false,
        now: Date.now(),
      });
      rep = client(testApp, await sessionCookie(testApp, fixture.workspaceId, fixture.users.rep.id));
      manager = client(testApp, await sessionCookie(testApp, fixture.workspaceId, fixture.users.manager.id));
    });
    after(() => testApp.close());

    const count = async (table: 'opportunities' | 'accounts', name: string) =>
      (
        await testApp.db.kysely
          .selectFrom(table)
          .select('id')
          .where('workspace_id', '=', fixture.workspaceId)
          .where('name', '=', name)
          .execute()
      ).length;

    it("refuses a rep's opportunity owned by a colleague with 403 and saves nothing, however often it is retried", async () => {
      const body = {
        accountId: fixture.accounts.repAccount,
        name: '同事的项目',
        processId: fixture.processes.small.id,
        amount: 10_000_00,
        expectedCloseDate: '2027-02-28',
        ownerId: colleague,
      };
      for (let attempt = 0; attempt < 2; attempt++) {
        const res = await rep('POST', '/api/v1/opportunities', body);
        assert.equal(res.statusCode, 403, res.body);
        assert.deepEqual(
          json<{ errors: { field: string }[] }>(res).errors.map((e) => e.field),
          ['ownerId'],
        );
      }
      assert.equal(await count('opportunities', '同事的项目'), 0);
      const team = await testApp.db.kysely
        .selectFrom('opportunity_team')
        .select('id')
        .where('user_id', '=', colleague)
        .execute();
      assert.equal(team.length, 0);
      // Their own deal, and a manager's deal for the colleague, are created and shown.
      assert.equal(
        (await rep('POST', '/api/v1/opportunities', { ...body, name: '自己的项目', ownerId: fixture.users.rep.id }))
          .statusCode,
        201,
      );
      const forColleague = await manager('POST', '/api/v1/opportunities', { ...body, name: '经理分配的项目' });
      assert.equal(forColleague.statusCode, 201, forColleague.body);
      assert.equal(json<{ ownerId: number }>(forColleague).ownerId, colleague);
    });

    it("refuses a rep's account owned by a colleague the same way", async () => {
      const res = await rep('POST', '/api/v1/accounts', {
        name: '苏州同程旅游网络科技有限公司',
        ownerId: colleague,
        allowSimilarName: true,
      });
      assert.equal(res.statusCode, 403, res.body);
      assert.equal(await count('accounts', '苏州同程旅游网络科技有限公司'), 0);
    });
  });
}
