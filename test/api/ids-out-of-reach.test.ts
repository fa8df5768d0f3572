import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { testEngines } from '../helpers/db.ts';
import { client, createTestApp, json, sessionCookie, type Call, type TestApp } from '../helpers/app.ts';
import { fieldsOf, idsWorld, type World } from '../helpers/ids-world.ts';

/**
 * Ids of the caller's own workspace that lie out of their reach (issue 14 item 3): a deal's
 * buying roles follow the deal, not only its account, and a body naming an account the caller
 * cannot see is refused naming the field. In the world of test/api/ids-other-workspace.test.ts
 * (a handover of the rep's work in progress).
 */
for (const engine of testEngines()) {
  describe(`ids out of the caller's reach [${engine}]`, () => {
    let testApp: TestApp;
    let worldA: World;
    before(async () => {
      testApp = await createTestApp(engine);
      worldA = await idsWorld(testApp, 'ids-a');
    });
    after(() => testApp.close());

    describe("a deal's buying roles follow the deal, not only its account", () => {
      let hiddenOpp: number;
      let hiddenRole: number;
      let rep: Call;
      before(async () => {
        // The manager's own deal on the rep's account: the rep sees the account, not the deal.
        const kysely = testApp.db.kysely;
        const now = Date.now();
        hiddenOpp = (
          await kysely
            .insertInto('opportunities')
            .values({
              workspace_id: worldA.workspaceId,
              account_id: worldA.accounts.repAccount,
              name: '总部直签',
              owner_id: worldA.users.manager.id,
              org_unit_id: worldA.units.shanghai,
              amount: 1,
              status: 'open',
              expected_close_date: '2027-01-31',
              process_id: worldA.processes.small.id,
              stage_id: worldA.processes.small.stageIds[0]!,
              stage_entered_at: now,
              created_at: now,
              updated_at: now,
              version: 1,
            })
            .returning('id')
            .executeTakeFirstOrThrow()
        ).id;
        hiddenRole = (
          await kysely
            .insertInto('buying_roles')
            .values({
              workspace_id: worldA.workspaceId,
              account_id: worldA.accounts.repAccount,
              opportunity_id: hiddenOpp,
              contact_id: worldA.contacts.repContact,
              role: 'finance',
              attitude: 'opposes',
              influence: 'high',
              relationship: 1,
              notes: '只有经理知道',
              created_at: now,
              updated_at: now,
              version: 1,
            })
            .returning('id')
            .executeTakeFirstOrThrow()
        ).id;
        rep = client(testApp, await sessionCookie(testApp, worldA.workspaceId, worldA.users.rep.id));
        assert.equal(
          (await rep('GET', `/api/v1/accounts/${worldA.accounts.repAccount}`)).statusCode,
          200,
          'the rep sees the account',
        );
        assert.equal((await rep('GET', `/api/v1/opportunities/${hiddenOpp}`)).statusCode, 404, 'but not the deal');
      });

      it('does not list or map them for someone who cannot see the deal (404 naming the query field)', async () => {
        for (const url of [
          `/api/v1/accounts/${worldA.accounts.repAccount}/buying-roles?opportunityId=${hiddenOpp}`,
          `/api/v1/accounts/${worldA.accounts.repAccount}/relationship-map?opportunityId=${hiddenOpp}`,
        ]) {
          const res = await rep('GET', url);
          assert.equal(res.statusCode, 404, `${url}: ${res.body}`);
          assert.deepEqual(fieldsOf(res), ['query.opportunityId']);
          assert.doesNotMatch(res.body, /只有经理知道/);
        }
        // The manager over it still reads them; the rep still reads the roles of a deal of theirs.
        const manager = client(testApp, await sessionCookie(testApp, worldA.workspaceId, worldA.users.manager.id));
        const seen = await manager(
          'GET',
          `/api/v1/accounts/${worldA.accounts.repAccount}/buying-roles?opportunityId=${hiddenOpp}`,
        );
        assert.equal(seen.statusCode, 200, seen.body);
        assert.deepEqual(
          json<{ items: { id: number }[] }>(seen).items.map((x) => x.id),
          [hiddenRole],
        );
        assert.equal(
          (
            await rep(
              'GET',
              `/api/v1/accounts/${worldA.accounts.repAccount}/relationship-map?opportunityId=${worldA.opportunities.repOpp}`,
            )
          ).statusCode,
          200,
        );
      });

      it('does not let them be changed, removed or added to through the account', async () => {
        const patch = await rep('PATCH', `/api/v1/buying-roles/${hiddenRole}`, { version: 1, attitude: 'supports' });
        assert.equal(patch.statusCode, 404, patch.body);
        assert.equal((await rep('DELETE', `/api/v1/buying-roles/${hiddenRole}`)).statusCode, 404);
        const add = await rep('POST', '/api/v1/buying-roles', {
          contactId: worldA.contacts.repContact,
          opportunityId: hiddenOpp,
          role: 'user',
        });
        assert.equal(add.statusCode, 400, add.body);
        assert.deepEqual(fieldsOf(add), ['opportunityId']);
        const rows = await testApp.db.kysely
          .selectFrom('buying_roles')
          .select(['id', 'attitude', 'version'])
          .where('opportunity_id', '=', hiddenOpp)
          .execute();
        assert.deepEqual(rows, [{ id: hiddenRole, attitude: 'opposes', version: 1 }]);
      });

      it("refuses the caller's own workspace's ids that lie out of their reach, naming the field", async () => {
        const cases: [string, string, Record<string, unknown>, string][] = [
          [
            'POST',
            '/api/v1/accounts',
            {
              name: '杭州海康威视数字技术股份有限公司',
              allowSimilarName: true,
              referrerAccountId: worldA.accounts.rep2Account,
            },
            'referrerAccountId',
          ],
          [
            'PATCH',
            `/api/v1/accounts/${worldA.accounts.repAccount}`,
            { version: 1, referrerAccountId: worldA.accounts.rep2Account },
            'referrerAccountId',
          ],
          ['POST', '/api/v1/contacts', { accountId: worldA.accounts.rep2Account, name: '王五' }, 'accountId'],
          [
            'POST',
            '/api/v1/opportunities',
            {
              accountId: worldA.accounts.rep2Account,
              name: 'x',
              processId: worldA.processes.small.id,
              amount: 1,
              expectedCloseDate: '2027-01-31',
            },
            'accountId',
          ],
        ];
        for (const [method, url, body, field] of cases) {
          const res = await rep(method as 'POST', url, body);
          assert.equal(res.statusCode, 400, `${method} ${url}: ${res.body}`);
          assert.deepEqual(fieldsOf(res), [field], `${method} ${url}`);
        }
      });
    });
  });
}
