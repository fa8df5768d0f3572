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
import type { Me } from '../../src/contracts/auth.ts';
import type { User } from '../../src/contracts/users.ts';
import { unitsNamingUserUnit } from '../../src/modules/users/repository.ts';

/**
 * GET /auth/me names the user's unit as every user page does (docs/DESIGN.md § The org tree: the
 * fewest trailing path names no other active unit ends with), reading only the units that takes:
 * those of the unit's name and the units above them, never the rest of the workspace or another's.
 */
for (const engine of testEngines()) {
  describe(`the signed-in user's unit label [${engine}]`, () => {
    let testApp: TestApp;
    let fixture: Fixture;
    let other: Fixture;
    let admin: Call;
    let rep: Call;
    before(async () => {
      testApp = await createTestApp(engine);
      fixture = await seedWorkspace(testApp, 'mel');
      other = await seedWorkspace(testApp, 'mel2');
      admin = client(testApp, await sessionCookie(testApp, fixture.workspaceId, fixture.users.admin.id));
      rep = client(testApp, await sessionCookie(testApp, fixture.workspaceId, fixture.users.rep.id));
    });
    after(() => testApp.close());

    const addUnit = async (parentId: number, name: string) => {
      const res = await admin('POST', '/api/v1/org-units', { parentId, name, type: 'department' });
      assert.equal(res.statusCode, 201, res.body);
      return json<{ id: number; version: number }>(res);
    };
    /** The rep as /auth/me names them, beside the admin's user list (which names against every unit). */
    const labels = async () => {
      const me = json<Me>(await rep('GET', '/api/v1/auth/me')).user;
      const listed = json<{ items: User[] }>(await admin('GET', '/api/v1/users?limit=500')).items;
      const inList = listed.find((u) => u.id === fixture.users.rep.id)!;
      return {
        me: [me.orgUnitLabel, me.orgUnitPath],
        list: [inList.orgUnitLabel, inList.orgUnitPath],
      };
    };
    const readIds = async () =>
      (await unitsNamingUserUnit(testApp.db.kysely, fixture.workspaceId, fixture.users.rep.id))
        .map((u) => u.id)
        .sort((a, b) => a - b);

    it('answers as the user list, with namesakes near and far, active and archived', async () => {
      const { units } = fixture;
      let seen = await labels();
      assert.equal(seen.me[0], '销售一部', 'no namesake: the unit alone');
      assert.deepEqual(seen.me, seen.list);

      // 广州分公司 / 上海分公司 / 销售一部: two levels up are the same, the region tells them apart.
      const farBranch = await addUnit(units.guangzhou, '上海分公司');
      const farNamesake = await addUnit(farBranch.id, '销售一部');
      seen = await labels();
      assert.equal(seen.me[0], '华东大区 / 上海分公司 / 销售一部');
      assert.deepEqual(seen.me, seen.list);

      // An archived namesake names nobody apart.
      const archived = await addUnit(units.south, '销售一部');
      const res = await admin('POST', `/api/v1/org-units/${archived.id}/archive`, { version: archived.version });
      assert.equal(res.statusCode, 200, res.body);
      seen = await labels();
      assert.equal(seen.me[0], '华东大区 / 上海分公司 / 销售一部');
      assert.deepEqual(seen.me, seen.list);

      // Read: the three 销售一部 and the units above them; not 销售二部, 销售部, nor the other workspace's.
      const expected = [
        units.root,
        units.east,
        units.shanghai,
        units.sales1,
        units.south,
        units.guangzhou,
        farBranch.id,
        farNamesake.id,
        archived.id,
      ].sort((a, b) => a - b);
      assert.deepEqual(await readIds(), expected);
      for (const id of [units.sales2, units.sales3, ...Object.values(other.units)])
        assert.ok(!expected.includes(id), `unit ${id} is not read`);
    });
  });
}
