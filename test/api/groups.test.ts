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
import type { CreditSplits, Group } from '../../src/contracts/groups.ts';

type Problem = { code: string; errors?: { field: string; code: string; params?: Record<string, unknown> }[] };
interface Account {
  id: number;
  version: number;
  parentAccountId: number | null;
}

/** Group accounts and credit splits (docs/archive.md § Group accounts). */
for (const engine of testEngines()) {
  describe(`group accounts [${engine}]`, () => {
    let testApp: TestApp;
    let fixture: Fixture;
    let extras: Extras;
    let other: Fixture;
    let admin: Call;
    let manager: Call;
    let rep: Call;
    let group: number;
    let sub: number;
    let branch: number;
    const version = async (id: number) => json<Account>(await admin('GET', `/api/v1/accounts/${id}`)).version;
    const setParent = (call: Call, id: number, parentAccountId: number | null, value: number) =>
      call('PUT', `/api/v1/accounts/${id}/parent`, { version: value, parentAccountId });

    before(async () => {
      testApp = await createTestApp(engine);
      fixture = await seedWorkspace(testApp, 'grp');
      extras = await seedExtras(testApp, fixture);
      other = await seedWorkspace(testApp, 'grpx');
      const kysely = testApp.db.kysely;
      const now = Date.now();
      const acc = async (name: string, ownerId: number, unitId: number, tier: string, trailing: number) =>
        (
          await kysely
            .insertInto('accounts')
            .values({
              workspace_id: fixture.workspaceId,
              name,
              name_key: name,
              owner_id: ownerId,
              org_unit_id: unitId,
              tier,
              trailing_amount: trailing,
              prior_amount: trailing,
              created_at: now,
              updated_at: now,
              version: 1,
            })
            .returning('id')
            .executeTakeFirstOrThrow()
        ).id;
      group = await acc('华为投资控股有限公司', fixture.users.manager.id, fixture.units.shanghai, 'B', 300_000_00);
      sub = fixture.accounts.repAccount;
      await kysely
        .updateTable('accounts')
        .set({ tier: 'A', trailing_amount: 900_000_00 })
        .where('id', '=', sub)
        .execute();
      branch = await acc('华为技术有限公司广州分公司', fixture.users.rep2.id, fixture.units.sales3, 'C', 50_000_00);
      admin = client(testApp, await sessionCookie(testApp, fixture.workspaceId, fixture.users.admin.id));
      manager = client(testApp, await sessionCookie(testApp, fixture.workspaceId, fixture.users.manager.id));
      rep = client(testApp, await sessionCookie(testApp, fixture.workspaceId, fixture.users.rep.id));
    });
    after(() => testApp.close());

    it('links subsidiaries to a parent at any depth and records who did it', async () => {
      const res = await setParent(admin, sub, group, await version(sub));
      assert.equal(res.statusCode, 200, res.body);
      assert.equal(json<Account>(res).parentAccountId, group);
      assert.equal((await setParent(admin, branch, sub, await version(branch))).statusCode, 200);
      const history = json<{ items: { field: string; newValue: string }[] }>(
        await admin('GET', `/api/v1/accounts/${sub}/history`),
      );
      assert.ok(history.items.some((h) => h.field === 'parent' && h.newValue === '华为投资控股有限公司'));
    });

    it('refuses a cycle, itself, and a parent of another workspace — naming the field, nothing saved', async () => {
      const cycle = await setParent(admin, group, branch, await version(group));
      assert.equal(cycle.statusCode, 400);
      assert.equal(json<Problem>(cycle).code, 'group_cycle');
      assert.deepEqual(
        json<Problem>(cycle).errors!.map((e) => [e.field, e.code]),
        [['parentAccountId', 'cycle']],
      );
      const self = await setParent(admin, group, group, await version(group));
      assert.deepEqual(
        json<Problem>(self).errors!.map((e) => [e.field, e.code]),
        [['parentAccountId', 'self']],
      );
      const foreign = await setParent(admin, group, other.accounts.repAccount, await version(group));
      assert.equal(foreign.statusCode, 400);
      assert.deepEqual(
        json<Problem>(foreign).errors!.map((e) => [e.field, e.code]),
        [['parentAccountId', 'not_found']],
      );
      assert.equal(json<Account>(await admin('GET', `/api/v1/accounts/${group}`)).parentAccountId, null);
    });

    it('rolls up purchases, deals, contacts and tier from the root, whichever member is asked', async () => {
      const fromBranch = json<Group>(await admin('GET', `/api/v1/accounts/${branch}/group`));
      assert.equal(fromBranch.rootId, group);
      assert.deepEqual(
        fromBranch.members.map((m) => [m.id, m.depth]),
        [
          [group, 0],
          [sub, 1],
          [branch, 2],
        ],
      );
      assert.equal(fromBranch.totals.trailingAmount, 300_000_00 + 900_000_00 + 50_000_00);
      assert.equal(fromBranch.totals.openDeals, 1);
      assert.equal(fromBranch.totals.openAmount, 50_000_00);
      assert.equal(fromBranch.totals.contacts, 1);
      assert.equal(fromBranch.tier, 'A');
      assert.deepEqual(fromBranch.tierCounts, { A: 1, B: 1, C: 1 });
      assert.equal(fromBranch.hiddenMembers, 0);
    });

    it('shows a rep only the members they may see, and counts the rest without their figures', async () => {
      const group = json<Group>(await rep('GET', `/api/v1/accounts/${sub}/group`));
      assert.deepEqual(
        group.members.map((m) => m.id),
        [sub],
      );
      assert.equal(group.hiddenMembers, 2);
      assert.equal(group.totals.trailingAmount, 900_000_00);
      assert.equal((await rep('GET', `/api/v1/accounts/${branch}/group`)).statusCode, 404);
    });

    it("splits a deal's credit between owners only when the shares add up to 100%", async () => {
      const opp = extras.opportunities.repOpp;
      const bad = await manager('PUT', `/api/v1/opportunities/${opp}/credit-splits`, {
        splits: [
          { userId: fixture.users.rep.id, percent: 60 },
          { userId: fixture.users.rep2.id, percent: 30 },
        ],
      });
      assert.equal(bad.statusCode, 400);
      assert.deepEqual(
        json<Problem>(bad).errors!.map((e) => [e.field, e.code, e.params]),
        [['splits', 'must_total_100', { total: 90 }]],
      );
      const twice = await manager('PUT', `/api/v1/opportunities/${opp}/credit-splits`, {
        splits: [
          { userId: fixture.users.rep.id, percent: 50 },
          { userId: fixture.users.rep.id, percent: 50 },
        ],
      });
      assert.equal(json<Problem>(twice).errors![0]!.field, 'splits.1.userId');
      const foreign = await manager('PUT', `/api/v1/opportunities/${opp}/credit-splits`, {
        splits: [
          { userId: fixture.users.rep.id, percent: 50 },
          { userId: other.users.rep.id, percent: 50 },
        ],
      });
      assert.equal(json<Problem>(foreign).errors![0]!.field, 'splits.1.userId');
      assert.deepEqual(json<CreditSplits>(await rep('GET', `/api/v1/opportunities/${opp}/credit-splits`)).splits, []);
      // The rep owns the deal but credit moves quota between people: a manager's call.
      assert.equal(
        (
          await rep('PUT', `/api/v1/opportunities/${opp}/credit-splits`, {
            splits: [{ userId: fixture.users.rep.id, percent: 100 }],
          })
        ).statusCode,
        403,
      );
      // A head-office owner in another branch (rep2, 广州) may take a share.
      const ok = await manager('PUT', `/api/v1/opportunities/${opp}/credit-splits`, {
        splits: [
          { userId: fixture.users.rep.id, percent: 70 },
          { userId: fixture.users.rep2.id, percent: 30 },
        ],
      });
      assert.equal(ok.statusCode, 200, ok.body);
      assert.deepEqual(
        json<CreditSplits>(await rep('GET', `/api/v1/opportunities/${opp}/credit-splits`)).splits.map((split) => [
          split.userId,
          split.percent,
        ]),
        [
          [fixture.users.rep.id, 70],
          [fixture.users.rep2.id, 30],
        ],
      );
      const audit = await testApp.db.kysely
        .selectFrom('audit_log')
        .select('detail')
        .where('workspace_id', '=', fixture.workspaceId)
        .where('action', '=', 'opportunity.credit_split')
        .execute();
      assert.equal(audit.length, 1);
      assert.equal(
        json<CreditSplits>(await manager('PUT', `/api/v1/opportunities/${opp}/credit-splits`, { splits: [] })).splits
          .length,
        0,
      );
    });
  });
}
