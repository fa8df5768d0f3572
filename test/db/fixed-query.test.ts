import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Kysely } from 'kysely';
import type { Database } from '../../src/db/schema.ts';
import { fixedQuery } from '../../src/db/fixed-query.ts';
import { createWorkspace } from '../../src/modules/workspace/service.ts';
import { settingsAndCalendar } from '../../src/modules/workspace/repository.ts';
import { createTestDb, testEngines, type TestDb } from '../helpers/db.ts';

/**
 * Fixed queries (src/db/fixed-query.ts): built and compiled once per Kysely instance, run with
 * each call's values — the same rows as the query built afresh, in and out of a transaction.
 */
for (const engine of testEngines()) {
  describe(`fixed queries [${engine}]`, () => {
    let db: TestDb;
    const workspaces: number[] = [];
    before(async () => {
      db = await createTestDb(engine);
      for (const name of ['一', 'two']) {
        const created = await createWorkspace(
          db.kysely,
          { name, admin: { email: `admin-${workspaces.length}@fixed.test`, name: 'Admin', passwordHash: 'x' } },
          Date.now(),
        );
        workspaces.push(created.workspaceId);
      }
      await db.kysely
        .updateTable('workspaces')
        .set({ time_zone: 'Europe/Berlin' })
        .where('id', '=', workspaces[1]!)
        .execute();
    });
    after(() => db.dispose());

    it('builds once and answers each call with its own values, as the query built afresh', async () => {
      let builds = 0;
      const byNameAndId = fixedQuery((kysely: Kysely<Database>, name: string, id: number) => {
        builds++;
        return kysely
          .selectFrom('workspaces')
          .select(['id', 'name', 'time_zone'])
          .where('name', '=', name)
          .where('id', '=', id)
          .where('time_zone', 'is not', null);
      }, 2);
      for (const [index, name] of ['一', 'two'].entries()) {
        const id = workspaces[index]!;
        const fresh = await db.kysely
          .selectFrom('workspaces')
          .select(['id', 'name', 'time_zone'])
          .where('name', '=', name)
          .where('id', '=', id)
          .execute();
        assert.deepEqual(await byNameAndId(db.kysely, name, id), fresh);
        assert.equal(fresh.length, 1);
      }
      assert.deepEqual(await byNameAndId(db.kysely, 'two', workspaces[0]!), [], 'values are not mixed up');
      assert.equal(builds, 1, 'built and compiled once for this Kysely');
      await db.kysely.transaction().execute(async (trx) => {
        assert.deepEqual(await byNameAndId(trx, '一', workspaces[0]!), [
          { id: workspaces[0], name: '一', time_zone: 'Asia/Shanghai' },
        ]);
      });
      assert.equal(builds, 2, 'a transaction keeps its own');
    });

    it('an argument used twice is bound at both places; one never used is refused', async () => {
      const twice = fixedQuery(
        (kysely: Kysely<Database>, id: number) =>
          kysely.selectFrom('workspaces').select('name').where('id', '>=', id).where('id', '<=', id),
        1,
      );
      assert.deepEqual(await twice(db.kysely, workspaces[1]!), [{ name: 'two' }]);
      const unused = fixedQuery(
        (kysely: Kysely<Database>, _id: number) => kysely.selectFrom('workspaces').select('name'),
        1,
      );
      await assert.rejects(unused(db.kysely, 1), /each of the 1 arguments must be bound/);
    });

    it('a Kysely with plugins sees every call: built afresh for it', async () => {
      const seen: string[] = [];
      const observed = db.kysely.withPlugin({
        transformQuery: ({ node }) => {
          seen.push(node.kind);
          return node;
        },
        transformResult: async ({ result }) => result,
      });
      const byId = fixedQuery(
        (kysely: Kysely<Database>, id: number) => kysely.selectFrom('workspaces').select('name').where('id', '=', id),
        1,
      );
      assert.deepEqual(await byId(observed, workspaces[0]!), [{ name: '一' }]);
      assert.deepEqual(await byId(observed, workspaces[1]!), [{ name: 'two' }]);
      assert.deepEqual(seen, ['SelectQueryNode', 'SelectQueryNode']);
    });

    it("the workspace's settings and calendar, read by most requests, come from it", async () => {
      assert.equal((await settingsAndCalendar(db.kysely, workspaces[1]!))?.time_zone, 'Europe/Berlin');
      assert.equal((await settingsAndCalendar(db.kysely, workspaces[0]!))?.time_zone, 'Asia/Shanghai');
      assert.equal(await settingsAndCalendar(db.kysely, -1), undefined);
    });
  });
}
