import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { testEngines } from '../helpers/db.ts';
import {
  client,
  createTestApp,
  json,
  seedWorkspace,
  sessionCookie,
  type Call,
  type Fixture,
  type TestApp,
} from '../helpers/app.ts';

const DAY = 86_400_000;

/**
 * The defect of issue 10: nothing wrote an account's last follow-up, so the nightly pool job
 * released every B and C account 60 or 30 days after it was assigned while its rep worked it,
 * and the desk's overdue flags never cleared. A logged qualifying follow-up now keeps the
 * account out of the pool and clears the flag; a non-qualifying one (an email) does neither.
 */
for (const engine of testEngines()) {
  describe(`a logged follow-up keeps the account out of the pool [${engine}]`, () => {
    let testApp: TestApp;
    let fixture: Fixture;
    let as: (who: keyof Fixture['users']) => Promise<Call>;
    const NOW = Date.now();
    const kysely = () => testApp.db.kysely;

    before(async () => {
      testApp = await createTestApp(engine);
      fixture = await seedWorkspace(testApp, 'followup');
      as = async (who) => client(testApp, await sessionCookie(testApp, fixture.workspaceId, fixture.users[who].id));
    });
    after(() => testApp.close());

    /** Assigned to the rep `assignedDaysAgo` days ago (its owner history says so), never followed up. */
    async function assigned(name: string, tier: 'B' | 'C', assignedDaysAgo: number) {
      const at = NOW - assignedDaysAgo * DAY;
      const id = (
        await kysely()
          .insertInto('accounts')
          .values({
            workspace_id: fixture.workspaceId,
            name,
            name_key: name,
            owner_id: fixture.users.rep.id,
            org_unit_id: fixture.units.sales1,
            tier,
            tier_computed: tier,
            created_at: at,
            updated_at: at,
            version: 1,
          })
          .returning('id')
          .executeTakeFirstOrThrow()
      ).id;
      await kysely()
        .insertInto('record_history')
        .values({
          workspace_id: fixture.workspaceId,
          entity_type: 'account',
          entity_id: id,
          field: 'owner',
          old_value: null,
          new_value: String(fixture.users.rep.id),
          reason: 'pool_claim',
          actor_user_id: fixture.users.rep.id,
          created_at: at,
        })
        .execute();
      return id;
    }
    const logged = async (accountId: number, type: string, daysAgo: number) => {
      const res = await (
        await as('rep')
      )('POST', `/api/v1/accounts/${accountId}/activities`, { type, startAt: NOW - daysAgo * DAY });
      assert.equal(res.statusCode, 201, res.body);
    };
    const account = async (id: number) =>
      json<{ inPool: boolean; ownerId: number | null; followUpOverdue: boolean; lastFollowUpAt: number | null }>(
        await (
          await as('admin')
        )('GET', `/api/v1/accounts/${id}`),
      );
    const overdueIds = async () =>
      json<{ items: { id: number }[] }>(
        await (
          await as('rep')
        )('GET', '/api/v1/accounts?overdue=true&limit=500'),
      ).items.map((i) => i.id);

    it("the desk's overdue flag clears with a qualifying follow-up, not with an email", async () => {
      const visited = await assigned('逾期-拜访后', 'C', 45);
      const mailed = await assigned('逾期-只发邮件', 'C', 45);
      assert.equal((await account(visited)).followUpOverdue, true);
      assert.ok((await overdueIds()).includes(visited));
      await logged(visited, 'visit', 1);
      await logged(mailed, 'email', 1);
      assert.equal((await account(visited)).followUpOverdue, false);
      assert.equal((await account(mailed)).followUpOverdue, true);
      const overdue = await overdueIds();
      assert.ok(!overdue.includes(visited), 'off the desk');
      assert.ok(overdue.includes(mailed), 'an email is not a follow-up: still overdue');
    });

    it('the nightly job keeps B and C accounts their rep works, and releases those only e-mailed', async () => {
      const ids = {
        bWorked: await assigned('公海-B-拜访', 'B', 70),
        cWorked: await assigned('公海-C-电话', 'C', 40),
        bMailed: await assigned('公海-B-邮件', 'B', 70),
        cWechat: await assigned('公海-C-微信', 'C', 40),
        cStale: await assigned('公海-C-久未跟进', 'C', 90),
      };
      await logged(ids.bWorked, 'visit', 10);
      await logged(ids.cWorked, 'call', 3);
      await logged(ids.bMailed, 'email', 10);
      await logged(ids.cWechat, 'wechat', 3);
      await logged(ids.cStale, 'technical_exchange', 35);
      const res = await (await as('admin'))('POST', '/api/v1/pool/release-run', {});
      assert.equal(res.statusCode, 200, res.body);
      for (const id of [ids.bWorked, ids.cWorked]) {
        const row = await account(id);
        assert.deepEqual([row.inPool, row.ownerId], [false, fixture.users.rep.id], `account ${id} kept by its rep`);
      }
      for (const id of [ids.bMailed, ids.cWechat, ids.cStale])
        assert.equal((await account(id)).inPool, true, `account ${id} released`);
    });

    it('the qualifying types are a workspace setting', async () => {
      const admin = await as('admin');
      const rules = json<{ version: number; qualifyingActivityTypes: string[] }>(
        await admin('GET', '/api/v1/workspace/rules'),
      );
      assert.deepEqual(rules.qualifyingActivityTypes, ['visit', 'call', 'meeting', 'demo', 'technical_exchange']);
      const res = await admin('PATCH', '/api/v1/workspace/rules', {
        version: rules.version,
        qualifyingActivityTypes: ['visit', 'wechat'],
      });
      assert.equal(res.statusCode, 200, res.body);
      const id = await assigned('设置-微信算跟进', 'C', 45);
      await logged(id, 'wechat', 1);
      assert.equal((await account(id)).followUpOverdue, false, 'WeChat counts once the workspace says so');
      const none = await admin('PATCH', '/api/v1/workspace/rules', {
        version: rules.version + 1,
        qualifyingActivityTypes: [],
      });
      assert.equal(none.statusCode, 400);
    });
  });
}
