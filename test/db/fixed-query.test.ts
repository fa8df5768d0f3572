import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../src/db/schema.ts';
import { fixedQuery, shapedQueries } from '../../src/db/fixed-query.ts';
import { createWorkspace } from '../../src/modules/workspace/service.ts';
import { settingsAndCalendar } from '../../src/modules/workspace/repository.ts';
import { createTestDb, testEngines, type TestDb } from '../helpers/db.ts';

/**
 * Fixed queries (src/db/fixed-query.ts): built and compiled once per Kysely instance, run with
 * each call's values — the same rows as the query built afresh, in and out of a transaction.
 * Shaped queries: compiled once per shape (what is not stood in for), the same rows as built afresh.
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

    if (engine === 'postgres')
      it('a fixed query runs as a named statement on the server: parsed and planned once per connection', async () => {
        // The server's own pool (openDatabase): its connections name the fixed queries.
        const workspace = workspaces[1]!;
        const rows = await Promise.all(Array.from({ length: 12 }, () => settingsAndCalendar(db.kysely, workspace)));
        assert.ok(rows.every((row) => row?.time_zone === 'Europe/Berlin'));
        // Every connection that ran it has it prepared; any other statement runs unnamed.
        const prepared = await sql<{ name: string; statement: string }>`
          select name, statement from pg_prepared_statements`.execute(db.kysely);
        const fixed = prepared.rows.filter((row) => row.name.startsWith('keyline_fixed_'));
        assert.ok(
          fixed.some((row) => /from "workspaces"/.test(row.statement)),
          JSON.stringify(prepared.rows),
        );
        assert.ok(prepared.rows.every((row) => !/pg_prepared_statements/.test(row.statement)));
      });

    if (engine === 'postgres')
      it('a shaped query asked for a generic plan runs on it, planned once per connection; nothing else does', async () => {
        const byZone = shapedQueries(
          (kysely: Kysely<Database>, zone: string) =>
            [
              kysely
                .selectFrom('workspaces')
                .select(['name', sql<string>`current_setting('plan_cache_mode')`.as('mode')])
                .where('time_zone', '=', zone),
            ] as const,
          (stand, zone) => [stand(zone)],
          { genericPlan: () => true },
        );
        for (const [zone, name] of [
          ['Europe/Berlin', 'two'],
          ['Asia/Shanghai', '一'],
        ])
          await db.kysely.connection().execute(async (conn) => {
            const [query] = await byZone(conn, zone!);
            assert.deepEqual((await conn.executeQuery(query)).rows, [{ name, mode: 'force_generic_plan' }]);
            // Set around that statement only.
            const after = await sql<{ mode: string }>`select current_setting('plan_cache_mode') as mode`.execute(conn);
            assert.equal(after.rows[0]!.mode, 'auto');
            const statements = await sql<{ name: string; generic_plans: number; custom_plans: number }>`
              select name, generic_plans, custom_plans from pg_prepared_statements where name like 'keyline_generic_%'`.execute(
              conn,
            );
            assert.equal(statements.rows.length, 1);
            assert.equal(Number(statements.rows[0]!.custom_plans), 0);
          });
        // In a transaction too, and set around the statement only.
        await db.kysely.transaction().execute(async (trx) => {
          const [query] = await byZone(trx, 'Europe/Berlin');
          assert.deepEqual((await trx.executeQuery(query)).rows, [{ name: 'two', mode: 'force_generic_plan' }]);
          const after = await sql<{ mode: string }>`select current_setting('plan_cache_mode') as mode`.execute(trx);
          assert.equal(after.rows[0]!.mode, 'auto');
        });
      });

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
      assert.equal(builds, 1, "a transaction uses its database's");
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

    it('shaped queries: compiled once per shape, each call answered with its own values', async () => {
      const builds: string[] = [];
      const named = shapedQueries(
        (kysely: Kysely<Database>, filter: { name?: string | undefined; minId: number; zone: string | undefined }) => {
          builds.push(filter.name === undefined ? 'any' : 'named');
          let query = kysely.selectFrom('workspaces').where('id', '>=', filter.minId);
          if (filter.name) query = query.where('name', '=', filter.name);
          if (filter.zone !== undefined) query = query.where('time_zone', '=', filter.zone);
          return [
            query.select(['id', 'name']).orderBy('id'),
            query.select((eb) => eb.fn.countAll<number>().as('n')),
          ] as const;
        },
        (stand, filter) => [{ ...filter, name: stand(filter.name), minId: stand(filter.minId) }],
      );
      const run = async (filter: Parameters<typeof named>[1]) => {
        const [rows, count] = await named(db.kysely, filter);
        return [(await db.kysely.executeQuery(rows)).rows, Number((await db.kysely.executeQuery(count)).rows[0]!.n)];
      };
      const [one, two] = workspaces as [number, number];
      assert.deepEqual(await run({ name: '一', minId: one, zone: undefined }), [[{ id: one, name: '一' }], 1]);
      assert.deepEqual(await run({ name: 'two', minId: one, zone: undefined }), [[{ id: two, name: 'two' }], 1]);
      assert.deepEqual(await run({ name: 'two', minId: two + 1, zone: undefined }), [[], 0], 'values not mixed up');
      // The first call builds with its values and with the stand-ins; under node --test each later
      // call of the kept shape is checked against a fresh build: 2 + 1 + 1.
      assert.equal(builds.length, 4);
      // Another shape: no name (a falsy value stays as it is, in the key) and a zone (not stood in: in the key).
      assert.deepEqual(await run({ name: undefined, minId: one, zone: 'Europe/Berlin' }), [
        [{ id: two, name: 'two' }],
        1,
      ]);
      assert.deepEqual(await run({ name: '', minId: one, zone: 'Asia/Shanghai' }), [[{ id: one, name: '一' }], 1]);
      assert.deepEqual(await run({ name: undefined, minId: two, zone: 'Asia/Shanghai' }), [[], 0]);
    });

    it('shaped queries: a value stood in for but computed with is built afresh, never kept wrong', async () => {
      let builds = 0;
      const prefixed = shapedQueries(
        (kysely: Kysely<Database>, prefix: string) => {
          builds++;
          return [kysely.selectFrom('workspaces').select('name').where('name', 'like', `${prefix}%`)] as const;
        },
        (stand, prefix) => [stand(prefix)],
      );
      for (const [prefix, names] of [
        ['t', [{ name: 'two' }]],
        ['一', [{ name: '一' }]],
        ['t', [{ name: 'two' }]],
      ] as const) {
        const [query] = await prefixed(db.kysely, prefix);
        assert.deepEqual((await db.kysely.executeQuery(query)).rows, names);
      }
      // The first call builds with the value and with the stand-in (which fails); later calls build afresh.
      assert.equal(builds, 4);
    });

    it('shaped queries: a branch on a stood-in value shows under the tests (checked against a fresh build)', async () => {
      const branching = shapedQueries(
        (kysely: Kysely<Database>, name: string) =>
          [
            kysely
              .selectFrom('workspaces')
              .select('id')
              .where('name', name === 'two' ? '=' : 'like', name),
          ] as const,
        (stand, name) => [stand(name)],
      );
      await branching(db.kysely, '一');
      await assert.rejects(branching(db.kysely, 'two'), /differs from the query built afresh/);
    });

    it('shaped queries: a Kysely with plugins sees every query built afresh; null builds afresh', async () => {
      const seen: string[] = [];
      const observed = db.kysely.withPlugin({
        transformQuery: ({ node }) => {
          seen.push(node.kind);
          return node;
        },
        transformResult: async ({ result }) => result,
      });
      let builds = 0;
      const byId = shapedQueries(
        (kysely: Kysely<Database>, id: number) => {
          builds++;
          return [kysely.selectFrom('workspaces').select('name').where('id', '=', id)] as const;
        },
        (stand, id) => (id < 0 ? null : [stand(id)]),
      );
      for (const id of workspaces) await byId(observed, id);
      assert.equal(seen.length, 2);
      assert.equal(builds, 2);
      await byId(db.kysely, -1);
      await byId(db.kysely, -1);
      assert.equal(builds, 4, 'null: built afresh each time');
    });
  });
}
