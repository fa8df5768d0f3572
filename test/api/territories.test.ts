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

import type { Problem as ProblemOf } from '../../src/contracts/common.ts';
import type { MismatchList, Territory } from '../../src/contracts/territories.ts';

/** A territory_conflict names the rules it collides with. */
type Problem = ProblemOf & { ruleIds?: number[] };

for (const engine of testEngines()) {
  describe(`territories [${engine}]`, () => {
    let testApp: TestApp;
    let fixtureA: Fixture;
    let fixtureB: Fixture;
    let admin: Call;
    let manager: Call;
    let rep: Call;
    let adminB: Call;
    const ids: Record<string, number> = {};
    before(async () => {
      testApp = await createTestApp(engine);
      fixtureA = await seedWorkspace(testApp, 'a');
      fixtureB = await seedWorkspace(testApp, 'b');
      admin = client(testApp, await sessionCookie(testApp, fixtureA.workspaceId, fixtureA.users.admin.id));
      manager = client(testApp, await sessionCookie(testApp, fixtureA.workspaceId, fixtureA.users.manager.id));
      rep = client(testApp, await sessionCookie(testApp, fixtureA.workspaceId, fixtureA.users.rep.id));
      adminB = client(testApp, await sessionCookie(testApp, fixtureB.workspaceId, fixtureB.users.admin.id));
    });
    after(() => testApp.close());

    it('creates rules; validation names the field; a manager only for reps in their subtree', async () => {
      const sh = await manager('POST', '/api/v1/territories', {
        name: '上海制造业',
        province: '上海',
        industry: 'manufacturing',
        userId: fixtureA.users.rep.id,
      });
      assert.equal(sh.statusCode, 201, sh.body);
      const territory = json<Territory>(sh);
      // Stored by the province's full name, however it was written.
      assert.deepEqual(
        [
          territory.province,
          territory.city,
          territory.industry,
          territory.userName,
          territory.specificity,
          territory.editable,
        ],
        ['上海市', null, 'manufacturing', `rep a`, 2, true],
      );
      ids.sh = territory.id;
      const outside = await manager('POST', '/api/v1/territories', {
        province: '广东',
        userId: fixtureA.users.rep2.id,
      });
      assert.equal(outside.statusCode, 400);
      assert.equal(json<Problem>(outside).errors![0]!.field, 'userId');
      const cases: [unknown, string][] = [
        [{ userId: fixtureA.users.rep.id }, 'province'],
        [{ province: '测试省', userId: fixtureA.users.rep.id }, 'province'],
        [{ province: 'Atlantis', userId: fixtureA.users.rep.id }, 'province'],
        [{ province: '上海', industry: 'mining', userId: fixtureA.users.rep.id }, 'industry'],
        [{ province: '上海', district: '浦东新区', userId: fixtureA.users.rep.id }, 'city'],
        [{ province: '上海', userId: fixtureA.users.finance.id }, 'userId'],
        [{ province: '上海', userId: fixtureB.users.rep.id }, 'userId'],
      ];
      for (const [body, field] of cases) {
        const res = await admin('POST', '/api/v1/territories', body);
        assert.equal(res.statusCode, 400, `${JSON.stringify(body)}: ${res.body}`);
        assert.equal(json<Problem>(res).errors![0]!.field, field);
      }
      const dup = await admin('POST', '/api/v1/territories', {
        province: '上海',
        industry: 'manufacturing',
        userId: fixtureA.users.rep.id,
      });
      assert.equal(dup.statusCode, 409);
      assert.equal(json<Problem>(dup).code, 'duplicate_territory');
      assert.equal(
        (await rep('POST', '/api/v1/territories', { province: '上海', userId: fixtureA.users.rep.id })).statusCode,
        403,
      );
      ids.gd = json<Territory>(
        await admin('POST', '/api/v1/territories', { province: '广东', userId: fixtureA.users.rep2.id }),
      ).id;
      ids.gz = json<Territory>(
        await admin('POST', '/api/v1/territories', { province: '广东', city: '广州', userId: fixtureA.users.rep2.id }),
      ).id;
    });

    it('lists with rep and unit; a manager sees the rules of their subtree', async () => {
      const all = json<{ items: Territory[]; total: number }>(await admin('GET', '/api/v1/territories'));
      assert.equal(all.total, 3);
      assert.deepEqual(all.items.map((x) => x.province).sort(), ['上海市', '广东省', '广东省']);
      const gd = json<{ items: Territory[] }>(await admin('GET', '/api/v1/territories?province=广东')).items;
      assert.deepEqual(
        gd.map((x) => x.orgUnitName),
        ['销售部', '销售部'],
      );
      const mine = json<{ items: Territory[]; total: number }>(await manager('GET', '/api/v1/territories'));
      assert.deepEqual(
        mine.items.map((x) => x.id),
        [ids.sh],
      );
      assert.equal((await manager('GET', `/api/v1/territories/${ids.gd}`)).statusCode, 404);
      assert.equal(
        (await manager('PATCH', `/api/v1/territories/${ids.gd}`, { version: 1, city: '深圳' })).statusCode,
        404,
      );
      assert.equal(json<{ total: number }>(await adminB('GET', '/api/v1/territories')).total, 0);
    });

    it("another workspace's rule ids are unknown (404) and unchanged", async () => {
      const before = await testApp.db.kysely
        .selectFrom('territory_rules')
        .selectAll()
        .where('workspace_id', '=', fixtureA.workspaceId)
        .orderBy('id')
        .execute();
      assert.equal((await adminB('GET', `/api/v1/territories/${ids.sh}`)).statusCode, 404);
      assert.equal(
        (await adminB('PATCH', `/api/v1/territories/${ids.sh}`, { version: 1, province: '北京' })).statusCode,
        404,
      );
      assert.equal((await adminB('DELETE', `/api/v1/territories/${ids.sh}`)).statusCode, 404);
      assert.deepEqual(
        await testApp.db.kysely
          .selectFrom('territory_rules')
          .selectAll()
          .where('workspace_id', '=', fixtureA.workspaceId)
          .orderBy('id')
          .execute(),
        before,
      );
    });

    it('preview: the most specific rule wins', async () => {
      const p1 = json<{ result: string; user: { id: number } | null; rules: Territory[] }>(
        await admin(
          'GET',
          `/api/v1/territories/preview?province=${encodeURIComponent('广东')}&city=${encodeURIComponent('广州')}`,
        ),
      );
      assert.deepEqual(
        [p1.result, p1.user?.id, p1.rules.map((r) => r.id)],
        ['assigned', fixtureA.users.rep2.id, [ids.gz]],
      );
      const p2 = json<{ result: string }>(
        await admin('GET', `/api/v1/territories/preview?province=${encodeURIComponent('北京')}`),
      );
      assert.equal(p2.result, 'none');
    });

    it('new accounts are assigned by territory; a conflict answers 409 naming the rules', async () => {
      const created = await manager('POST', '/api/v1/accounts', {
        name: '上海振华重工机械',
        province: '上海',
        industry: 'manufacturing',
      });
      assert.equal(created.statusCode, 201, created.body);
      assert.equal(json<{ ownerId: number }>(created).ownerId, fixtureA.users.rep.id);
      const historyRow = await testApp.db.kysely
        .selectFrom('record_history')
        .select('reason')
        .where('entity_id', '=', json<{ id: number }>(created).id)
        .where('field', '=', 'owner')
        .executeTakeFirstOrThrow();
      assert.equal(historyRow.reason, 'territory');
      // A second rep for the same place: a conflict, reported and refused on create.
      const clash = await admin('POST', '/api/v1/territories', {
        province: '上海',
        industry: 'manufacturing',
        userId: fixtureA.users.manager.id,
      });
      assert.equal(clash.statusCode, 201, clash.body);
      ids.clash = json<Territory>(clash).id;
      const conflicts = json<{
        items: { place: { province: string; industry: string }; rules: Territory[] }[];
        total: number;
      }>(await admin('GET', '/api/v1/territories/conflicts'));
      assert.equal(conflicts.total, 1);
      assert.deepEqual(
        [
          conflicts.items[0]!.place.province,
          conflicts.items[0]!.place.industry,
          conflicts.items[0]!.rules.map((r) => r.id),
        ],
        ['上海市', 'manufacturing', [ids.sh, ids.clash]],
      );
      const pv = json<{ result: string; rules: Territory[] }>(
        await manager(
          'GET',
          `/api/v1/territories/preview?province=${encodeURIComponent('上海')}&industry=manufacturing`,
        ),
      );
      assert.deepEqual([pv.result, pv.rules.length], ['conflict', 2]);
      const refused = await manager('POST', '/api/v1/accounts', {
        name: '上海锅炉厂有限公司',
        province: '上海',
        industry: 'manufacturing',
      });
      assert.equal(refused.statusCode, 409);
      assert.equal(json<Problem>(refused).code, 'territory_conflict');
      assert.deepEqual(json<Problem>(refused).ruleIds, [ids.sh, ids.clash]);
    });

    it('deactivating or deleting a rule resolves the conflict; stale versions get 409', async () => {
      const rule = json<Territory>(await admin('GET', `/api/v1/territories/${ids.clash}`));
      assert.equal(
        (await admin('PATCH', `/api/v1/territories/${ids.clash}`, { version: rule.version + 1, active: false }))
          .statusCode,
        409,
      );
      const off = await admin('PATCH', `/api/v1/territories/${ids.clash}`, { version: rule.version, active: false });
      assert.equal(off.statusCode, 200, off.body);
      assert.equal(json<Territory>(off).active, false);
      assert.equal(json<{ total: number }>(await admin('GET', '/api/v1/territories/conflicts')).total, 0);
      assert.equal(
        (await manager('DELETE', `/api/v1/territories/${ids.clash}`)).statusCode,
        204,
        'the manager is the rep of that rule and in the subtree',
      );
      assert.equal((await admin('GET', `/api/v1/territories/${ids.clash}`)).statusCode, 404);
      const audit = await testApp.db.kysely
        .selectFrom('audit_log')
        .select('action')
        .where('workspace_id', '=', fixtureA.workspaceId)
        .where('action', 'like', 'territory.%')
        .orderBy('id')
        .execute();
      assert.deepEqual(
        audit.map((x) => x.action),
        [
          'territory.create',
          'territory.create',
          'territory.create',
          'territory.create',
          'territory.update',
          'territory.delete',
        ],
      );
    });

    it('apply: pool accounts go to the rep of their territory (dry run first)', async () => {
      await testApp.db.kysely
        .updateTable('accounts')
        .set({ province: '上海', industry: 'manufacturing' })
        .where('id', '=', fixtureA.accounts.poolAccount)
        .execute();
      const dry = json<{
        dryRun: boolean;
        poolAccounts: number;
        assigned: number;
        sample: { accountId: number; userId: number }[];
      }>(await manager('POST', '/api/v1/territories/apply', { dryRun: true }));
      assert.deepEqual(
        [dry.dryRun, dry.poolAccounts, dry.assigned, dry.sample[0]?.accountId, dry.sample[0]?.userId],
        [true, 1, 1, fixtureA.accounts.poolAccount, fixtureA.users.rep.id],
      );
      const still = await testApp.db.kysely
        .selectFrom('accounts')
        .select(['in_pool', 'owner_id'])
        .where('id', '=', fixtureA.accounts.poolAccount)
        .executeTakeFirstOrThrow();
      assert.deepEqual([still.in_pool, still.owner_id], [1, null]);
      const done = json<{ assigned: number }>(await manager('POST', '/api/v1/territories/apply', { dryRun: false }));
      assert.equal(done.assigned, 1);
      const row = await testApp.db.kysely
        .selectFrom('accounts')
        .select(['in_pool', 'owner_id', 'org_unit_id', 'version'])
        .where('id', '=', fixtureA.accounts.poolAccount)
        .executeTakeFirstOrThrow();
      assert.deepEqual(
        [row.in_pool, row.owner_id, row.org_unit_id, row.version],
        [0, fixtureA.users.rep.id, fixtureA.units.sales1, 2],
      );
    });

    it('compares regions however they are written: a 上海市 rule takes a 上海 account; preview, conflicts and duplicates agree', async () => {
      const rule = await admin('POST', '/api/v1/territories', {
        province: '上海市',
        city: '上海市',
        industry: 'electronics',
        userId: fixtureA.users.rep.id,
      });
      assert.equal(rule.statusCode, 201, rule.body);
      const ruleId = json<Territory>(rule).id;
      const created = await manager('POST', '/api/v1/accounts', {
        name: '上海微电子装备有限公司',
        province: '上海',
        city: '上海',
        industry: 'electronics',
      });
      assert.equal(created.statusCode, 201, created.body);
      const acc = json<{ ownerId: number; province: string; city: string }>(created);
      assert.deepEqual(
        [acc.ownerId, acc.province, acc.city],
        [fixtureA.users.rep.id, '上海市', '上海'],
        'assigned by the rule; the province stored by its full name, the city as written',
      );
      const previewAt = async (query: string) =>
        json<{ result: string; user: { id: number } | null; rules: Territory[] }>(
          await manager('GET', `/api/v1/territories/preview?${query}`),
        );
      const spelled = `province=${encodeURIComponent('Ｓｈａｎｇｈａｉ')}&city=${encodeURIComponent(' 上海 ')}&industry=electronics`;
      const p1 = await previewAt(spelled);
      assert.deepEqual(
        [p1.result, p1.user?.id, p1.rules.map((x) => x.id)],
        ['assigned', fixtureA.users.rep.id, [ruleId]],
      );
      // Another rep for the same place written otherwise: one conflict, seen by the report and the preview.
      const clash = await admin('POST', '/api/v1/territories', {
        province: 'shanghai',
        city: '上海',
        industry: 'electronics',
        userId: fixtureA.users.manager.id,
      });
      assert.equal(clash.statusCode, 201, clash.body);
      const clashRule = json<Territory>(clash);
      assert.deepEqual([clashRule.province, clashRule.city], ['上海市', '上海']);
      const conflicts = json<{ items: { rules: Territory[] }[]; total: number }>(
        await admin('GET', '/api/v1/territories/conflicts'),
      );
      assert.equal(conflicts.total, 1);
      assert.deepEqual(
        conflicts.items[0]!.rules.map((x) => x.id),
        [ruleId, clashRule.id],
      );
      assert.equal((await previewAt(spelled)).result, 'conflict');
      // The same rep and place written otherwise is a duplicate, not a second rule.
      const dup = await admin('POST', '/api/v1/territories', {
        province: '上海',
        city: '上海市',
        industry: 'electronics',
        userId: fixtureA.users.rep.id,
      });
      assert.equal(dup.statusCode, 409, dup.body);
      assert.equal(json<Problem>(dup).code, 'duplicate_territory');
      const listed = json<{ items: Territory[] }>(
        await admin('GET', `/api/v1/territories?province=${encodeURIComponent('上海')}`),
      ).items.map((x) => x.id);
      assert.ok(
        listed.includes(ruleId) && listed.includes(clashRule.id) && listed.includes(ids.sh!),
        'a filter by the short name finds the rules',
      );
      const accounts = json<{ items: { name: string }[] }>(
        await manager('GET', `/api/v1/accounts?province=${encodeURIComponent('上海')}`),
      ).items.map((x) => x.name);
      assert.ok(accounts.includes('上海微电子装备有限公司'), 'and the accounts too');
      // A rule saved before provinces were checked can still be switched off; a new bad province is refused.
      const now = Date.now();
      const legacy = (
        await testApp.db.kysely
          .insertInto('territory_rules')
          .values({
            workspace_id: fixtureA.workspaceId,
            province: '测试省',
            user_id: fixtureA.users.rep.id,
            active: 1,
            created_at: now,
            updated_at: now,
            version: 1,
          })
          .returning('id')
          .executeTakeFirstOrThrow()
      ).id;
      assert.equal(
        (await admin('PATCH', `/api/v1/territories/${legacy}`, { version: 1, active: false })).statusCode,
        200,
      );
      const moved = await admin('PATCH', `/api/v1/territories/${legacy}`, { version: 2, province: '另一测试省' });
      assert.equal(moved.statusCode, 400);
      assert.equal(json<Problem>(moved).errors![0]!.field, 'province');
    });

    it("assigns by territory only within the creator's reach: a manager keeps a new account in another branch's territory", async () => {
      const rule = await admin('POST', '/api/v1/territories', {
        province: '广东',
        industry: 'logistics',
        userId: fixtureA.users.rep2.id,
      });
      assert.equal(rule.statusCode, 201, rule.body);
      const mine = await manager('POST', '/api/v1/accounts', {
        name: '广州港联物流有限公司',
        province: '广东',
        industry: 'logistics',
      });
      assert.equal(mine.statusCode, 201, mine.body);
      assert.equal(
        json<{ ownerId: number }>(mine).ownerId,
        fixtureA.users.manager.id,
        "rep2 is outside the Shanghai manager's subtree",
      );
      const theirs = await admin('POST', '/api/v1/accounts', {
        name: '深圳顺达供应链有限公司',
        province: '广东',
        industry: 'logistics',
      });
      assert.equal(json<{ ownerId: number }>(theirs).ownerId, fixtureA.users.rep2.id, 'the admin reaches every rep');
    });

    it("reports accounts owned by someone other than their territory's rep, without moving them", async () => {
      assert.equal(
        (
          await admin('POST', '/api/v1/territories', {
            province: '浙江',
            industry: 'retail',
            userId: fixtureA.users.rep2.id,
          })
        ).statusCode,
        201,
      );
      // A rep's own new account keeps its owner even inside a colleague's territory…
      const own = await rep('POST', '/api/v1/accounts', {
        name: '杭州银泰零售测试有限公司',
        province: '浙江',
        city: '杭州',
        industry: 'retail',
      });
      assert.equal(json<{ ownerId: number }>(own).ownerId, fixtureA.users.rep.id);
      const id = json<{ id: number }>(own).id;
      // …and the report names it, for the admin and for the rep's manager.
      for (const call of [admin, manager]) {
        const res = await call('GET', '/api/v1/territories/mismatches?limit=200');
        assert.equal(res.statusCode, 200, res.body);
        const found = json<MismatchList>(res).items.find((m) => m.accountId === id);
        assert.deepEqual(found && [found.ownerName, found.territoryUserName], ['rep a', 'rep2 a']);
      }
      assert.equal((await rep('GET', '/api/v1/territories/mismatches')).statusCode, 403);
      const account = await testApp.db.kysely
        .selectFrom('accounts')
        .select('owner_id')
        .where('id', '=', id)
        .executeTakeFirstOrThrow();
      assert.equal(account.owner_id, fixtureA.users.rep.id, 'reported, not reassigned');
    });
  });
}
