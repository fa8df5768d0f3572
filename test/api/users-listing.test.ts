import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { testEngines } from '../helpers/db.ts';
import { client, json, sessionCookie, type Call } from '../helpers/app.ts';
import { readUser, usersWorld, type Page, type UsersWorld } from '../helpers/users-world.ts';
import type { Problem } from '../../src/contracts/common.ts';
import type { User } from '../../src/contracts/users.ts';

/**
 * The list of users (docs/DESIGN.md § Users): pagination, sorting and filters, each role's reach,
 * and units named by their path as far up as it takes to tell namesakes apart. One user is made
 * and deactivated first, so the filter on inactive users has one to find.
 */
for (const engine of testEngines()) {
  describe(`users: the list and who sees whom [${engine}]`, () => {
    let testApp: UsersWorld['testApp'];
    let fixture: UsersWorld['fixture'];
    let admin: Call;
    let newUser: UsersWorld['newUser'];
    before(async () => {
      ({ testApp, fixture, admin, newUser } = await usersWorld(engine));
      const gone = json<User>(await admin('POST', '/api/v1/users', newUser()));
      const off = await admin('POST', `/api/v1/users/${gone.id}/deactivate`, { version: gone.version });
      assert.equal(off.statusCode, 200, off.body);
    });
    after(() => testApp.close());
    const get = (id: number) => readUser(admin, id);

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
  });
}
