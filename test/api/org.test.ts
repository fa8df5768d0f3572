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

import type { Problem } from '../../src/contracts/common.ts';
import type { OrgUnit as Unit } from '../../src/contracts/org.ts';

for (const engine of testEngines()) {
  describe(`org tree [${engine}]`, () => {
    let testApp: TestApp;
    let fixture: Fixture;
    let admin: Call;
    before(async () => {
      testApp = await createTestApp(engine);
      fixture = await seedWorkspace(testApp, 'org');
      admin = client(testApp, await sessionCookie(testApp, fixture.workspaceId, fixture.users.admin.id));
    });
    after(() => testApp.close());

    const unit = async (id: number) => json<Unit>(await admin('GET', `/api/v1/org-units/${id}`));

    it('lists the whole tree in path order with member counts for an admin', async () => {
      const res = await admin('GET', '/api/v1/org-units');
      assert.equal(res.statusCode, 200);
      const { items, total } = json<{ items: Unit[]; total: number }>(res);
      assert.equal(total, 8);
      assert.deepEqual(
        items.map((u) => u.path),
        [...items.map((u) => u.path)].sort(),
      );
      const shanghai = items.find((u) => u.id === fixture.units.shanghai)!;
      assert.equal(shanghai.depth, 3);
      assert.equal(shanghai.memberCount, 2, 'manager and presales sit in the branch');
      assert.equal(items.find((u) => u.id === fixture.units.root)!.parentId, null);
    });

    it('adds units at any depth with a type label', async () => {
      let parent = fixture.units.sales2;
      for (const [index, type] of (['team', 'team', 'team'] as const).entries()) {
        const res = await admin('POST', '/api/v1/org-units', { parentId: parent, name: `小组${index}`, type });
        assert.equal(res.statusCode, 201, res.body);
        const unit = json<Unit>(res);
        assert.equal(unit.parentId, parent);
        assert.equal(unit.type, type);
        assert.equal(unit.depth, 5 + index);
        parent = unit.id;
      }
    });

    it('puts a new unit after its siblings unless a place is given', async () => {
      const parent = json<Unit>(
        await admin('POST', '/api/v1/org-units', { parentId: fixture.units.south, name: '深圳分公司', type: 'branch' }),
      );
      const add = async (name: string, extra: Record<string, unknown> = {}) =>
        json<Unit>(
          await admin('POST', '/api/v1/org-units', { parentId: parent.id, name, type: 'department', ...extra }),
        );
      assert.equal((await add('销售一部')).sortOrder, 0, 'the first child');
      assert.equal((await add('销售二部')).sortOrder, 1);
      assert.equal((await add('大客户部', { sortOrder: 7 })).sortOrder, 7);
      assert.equal((await add('服务部')).sortOrder, 8);
      const siblingsOfParent = json<{ items: Unit[] }>(await admin('GET', '/api/v1/org-units')).items.filter(
        (u) => u.parentId === fixture.units.south,
      );
      assert.ok(
        parent.sortOrder === Math.max(...siblingsOfParent.map((u) => u.sortOrder)) && parent.sortOrder > 0,
        'after the branch already in the region',
      );
    });

    it('renames with the version read, and refuses a stale version changing nothing', async () => {
      const before = await unit(fixture.units.sales3);
      const ok = await admin('PATCH', `/api/v1/org-units/${fixture.units.sales3}`, {
        version: before.version,
        name: '销售三部',
      });
      assert.equal(ok.statusCode, 200);
      assert.equal(json<Unit>(ok).version, before.version + 1);
      const stale = await admin('PATCH', `/api/v1/org-units/${fixture.units.sales3}`, {
        version: before.version,
        name: '别的名字',
        type: 'team',
      });
      assert.equal(stale.statusCode, 409);
      assert.equal(json<Problem>(stale).code, 'version_conflict');
      const after = await unit(fixture.units.sales3);
      assert.equal(after.name, '销售三部');
      assert.equal(after.type, 'department');
    });

    it('refuses a duplicate name among siblings', async () => {
      const res = await admin('POST', '/api/v1/org-units', {
        parentId: fixture.units.shanghai,
        name: '销售一部',
        type: 'department',
      });
      assert.equal(res.statusCode, 409);
      assert.equal(json<Problem>(res).errors![0]!.field, 'name');
    });

    it('moves a unit with its whole subtree', async () => {
      const created = json<Unit>(
        await admin('POST', '/api/v1/org-units', {
          parentId: fixture.units.shanghai,
          name: '华东大客户部',
          type: 'department',
        }),
      );
      const child = json<Unit>(
        await admin('POST', '/api/v1/org-units', { parentId: created.id, name: '一组', type: 'team' }),
      );
      const moved = await admin('PATCH', `/api/v1/org-units/${created.id}`, {
        version: created.version,
        parentId: fixture.units.guangzhou,
      });
      assert.equal(moved.statusCode, 200, moved.body);
      const guangzhou = await unit(fixture.units.guangzhou);
      assert.equal(json<Unit>(moved).path, `${guangzhou.path}${created.id}/`);
      assert.equal((await unit(child.id)).path, `${guangzhou.path}${created.id}/${child.id}/`);
      assert.equal((await unit(child.id)).depth, 5);
    });

    it('refuses to move a unit under itself or its own descendant, changing nothing', async () => {
      const east = await unit(fixture.units.east);
      for (const target of [fixture.units.east, fixture.units.sales1]) {
        const res = await admin('PATCH', `/api/v1/org-units/${fixture.units.east}`, {
          version: east.version,
          parentId: target,
          name: '改名',
        });
        assert.equal(res.statusCode, 400);
        const problem = json<Problem>(res);
        assert.equal(problem.code, 'org_cycle');
        assert.equal(problem.errors![0]!.field, 'parentId');
      }
      const after = await unit(fixture.units.east);
      assert.equal(after.name, east.name);
      assert.equal(after.path, east.path);
      assert.equal(after.version, east.version);
    });

    it('refuses to move the top unit and to move under a unit of another workspace', async () => {
      const root = await unit(fixture.units.root);
      const res = await admin('PATCH', `/api/v1/org-units/${fixture.units.root}`, {
        version: root.version,
        parentId: fixture.units.east,
      });
      assert.equal(res.statusCode, 400);
      const other = await seedWorkspace(testApp, 'other');
      const east = await unit(fixture.units.east);
      const foreign = await admin('PATCH', `/api/v1/org-units/${fixture.units.east}`, {
        version: east.version,
        parentId: other.units.south,
      });
      assert.equal(foreign.statusCode, 400);
      assert.equal(json<Problem>(foreign).errors![0]!.field, 'parentId');
    });

    it('archives only empty units, hides them unless asked, and restores them', async () => {
      const withMembers = await unit(fixture.units.sales1);
      const refused = await admin('POST', `/api/v1/org-units/${fixture.units.sales1}/archive`, {
        version: withMembers.version,
      });
      assert.equal(refused.statusCode, 409);
      assert.equal(json<Problem>(refused).code, 'unit_has_members');
      const parent = await unit(fixture.units.east);
      assert.equal(
        json<Problem>(
          await admin('POST', `/api/v1/org-units/${fixture.units.east}/archive`, { version: parent.version }),
        ).code,
        'unit_has_children',
      );

      const empty = json<Unit>(
        await admin('POST', '/api/v1/org-units', { parentId: fixture.units.south, name: '待撤销', type: 'branch' }),
      );
      const archived = await admin('POST', `/api/v1/org-units/${empty.id}/archive`, { version: empty.version });
      assert.equal(archived.statusCode, 200);
      assert.equal(json<Unit>(archived).archived, true);
      const visible = json<{ items: Unit[] }>(await admin('GET', '/api/v1/org-units')).items.map((u) => u.id);
      assert.ok(!visible.includes(empty.id));
      const all = json<{ items: Unit[] }>(await admin('GET', '/api/v1/org-units?includeArchived=true')).items.map(
        (u) => u.id,
      );
      assert.ok(all.includes(empty.id));
      const addUnder = await admin('POST', '/api/v1/org-units', { parentId: empty.id, name: 'x', type: 'team' });
      assert.equal(addUnder.statusCode, 400);
      const restored = await admin('POST', `/api/v1/org-units/${empty.id}/restore`, {
        version: json<Unit>(archived).version,
      });
      assert.equal(json<Unit>(restored).archived, false);
      const root = await unit(fixture.units.root);
      assert.equal(
        json<Problem>(await admin('POST', `/api/v1/org-units/${fixture.units.root}/archive`, { version: root.version }))
          .code,
        'root_unit',
      );
    });

    it('rejects bad input naming the field: unknown fields, wrong types, over-long names, unknown type labels', async () => {
      const cases: [unknown, string][] = [
        [{ parentId: fixture.units.root, name: 'A', type: 'department', colour: 'red' }, 'colour'],
        [{ parentId: 'one', name: 'A', type: 'department' }, 'parentId'],
        [{ parentId: fixture.units.root, name: 'x'.repeat(101), type: 'department' }, 'name'],
        [{ parentId: fixture.units.root, name: '   ', type: 'department' }, 'name'],
        [{ parentId: fixture.units.root, name: 'A', type: 'division' }, 'type'],
        [{ name: 'A', type: 'department' }, 'parentId'],
      ];
      const before = json<{ total: number }>(await admin('GET', '/api/v1/org-units?includeArchived=true')).total;
      for (const [body, field] of cases) {
        const res = await admin('POST', '/api/v1/org-units', body);
        assert.equal(res.statusCode, 400, JSON.stringify(body));
        assert.ok(
          json<Problem>(res).errors!.some((e) => e.field === field),
          `${field} in ${res.body}`,
        );
      }
      assert.equal(json<{ total: number }>(await admin('GET', '/api/v1/org-units?includeArchived=true')).total, before);
    });

    it('shows a manager their subtree and a rep their own unit only', async () => {
      const manager = client(testApp, await sessionCookie(testApp, fixture.workspaceId, fixture.users.manager.id));
      const mine = json<{ items: Unit[] }>(await manager('GET', '/api/v1/org-units')).items.map((u) => u.id);
      assert.ok(
        mine.includes(fixture.units.shanghai) &&
          mine.includes(fixture.units.sales1) &&
          mine.includes(fixture.units.sales2),
      );
      assert.ok(
        !mine.includes(fixture.units.east) &&
          !mine.includes(fixture.units.root) &&
          !mine.includes(fixture.units.sales3),
      );
      assert.equal((await manager('GET', `/api/v1/org-units/${fixture.units.sales3}`)).statusCode, 404);
      const rep = client(testApp, await sessionCookie(testApp, fixture.workspaceId, fixture.users.rep.id));
      assert.deepEqual(
        json<{ items: Unit[] }>(await rep('GET', '/api/v1/org-units')).items.map((u) => u.id),
        [fixture.units.sales1],
      );
      const exec = client(testApp, await sessionCookie(testApp, fixture.workspaceId, fixture.users.executive.id));
      assert.ok(json<{ total: number }>(await exec('GET', '/api/v1/org-units')).total >= 8);
    });

    it('records changes to the tree in the audit log', async () => {
      const res = await admin('GET', '/api/v1/audit-log?action=org.');
      const items = json<{ items: { action: string; targetId: number | null; targetName: string | null }[] }>(
        res,
      ).items;
      const actions = items.map((i) => i.action);
      for (const action of ['org.create', 'org.update', 'org.move', 'org.archive', 'org.restore'])
        assert.ok(actions.includes(action), action);
      // Each event names its unit as it is called now, from this workspace only.
      const units = new Map(
        (
          await testApp.db.kysely
            .selectFrom('org_units')
            .select(['id', 'name'])
            .where('workspace_id', '=', fixture.workspaceId)
            .execute()
        ).map((u) => [u.id, u.name]),
      );
      for (const event of items)
        assert.equal(event.targetName, units.get(event.targetId!) ?? null, `${event.action} ${event.targetId}`);
    });
  });
}
