import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { testEngines } from '../helpers/db.ts';
import {
  client,
  createTestApp,
  json,
  seedWorkspace,
  sessionCookie,
  type Fixture,
  type TestApp,
} from '../helpers/app.ts';
import { COUNT_CAP } from '../../src/db/counts.ts';

interface Totals {
  total: number;
  totalCapped: boolean;
}

/**
 * List totals (issue 8): a workspace's or a subtree's account and contact list counts to
 * COUNT_CAP and says it stopped there; a rep's own list keeps its exact total.
 */
for (const engine of testEngines()) {
  describe(`List totals stop at ${COUNT_CAP} [${engine}]`, () => {
    let testApp: TestApp;
    let fixture: Fixture;
    const extra = COUNT_CAP + 25;
    const now = Date.now();

    before(async () => {
      testApp = await createTestApp(engine);
      fixture = await seedWorkspace(testApp, 'totals');
      const { workspaceId, units, users, accounts } = fixture;
      // Made by the database itself (a recursive series): one statement per table.
      await sql`
        with recursive series(n) as (select 1 union all select n + 1 from series where n < ${extra})
        insert into accounts (workspace_id, name, name_key, owner_id, org_unit_id, created_at, updated_at, version)
        select ${workspaceId}, '客户' || cast(n as text), '客户' || cast(n as text), ${users.rep.id}, ${units.sales1},
               ${now}, ${now}, 1
        from series`.execute(testApp.db.kysely);
      await sql`
        with recursive series(n) as (select 1 union all select n + 1 from series where n < ${extra})
        insert into contacts (workspace_id, account_id, name, created_at, updated_at, version)
        select ${workspaceId}, ${accounts.repAccount}, '联系人' || cast(n as text), ${now}, ${now}, 1
        from series`.execute(testApp.db.kysely);
    });
    after(async () => testApp.close());

    const totalsOf = async (role: 'admin' | 'manager' | 'rep', url: string) => {
      const call = client(testApp, await sessionCookie(testApp, fixture.workspaceId, fixture.users[role].id));
      const res = await call('GET', url);
      assert.equal(res.statusCode, 200, res.body);
      const { total, totalCapped } = json<Totals>(res);
      return { total, totalCapped };
    };

    it('an administrator and a manager see the cap, and that there is more', async () => {
      for (const role of ['admin', 'manager'] as const) {
        assert.deepEqual(await totalsOf(role, '/api/v1/accounts'), { total: COUNT_CAP, totalCapped: true }, role);
        assert.deepEqual(await totalsOf(role, '/api/v1/contacts'), { total: COUNT_CAP, totalCapped: true }, role);
      }
    });

    it('a filtered list under the cap counts exactly', async () => {
      const filtered = await totalsOf('admin', `/api/v1/accounts?ownerId=${fixture.users.rep2.id}`);
      assert.equal(filtered.totalCapped, false);
      assert.ok(filtered.total >= 1 && filtered.total < COUNT_CAP, String(filtered.total));
    });

    it("a subtree's count under the cap is its rows exactly, read unit by unit", async () => {
      const { workspaceId, units, users } = fixture;
      // An archived account of the south: listed only among the archived.
      const archived = await testApp.db.kysely
        .insertInto('accounts')
        .values({
          workspace_id: workspaceId,
          name: '已归档客户',
          name_key: '已归档客户',
          owner_id: users.rep2.id,
          org_unit_id: units.sales3,
          archived_at: now,
          created_at: now,
          updated_at: now,
          version: 1,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await testApp.db.kysely
        .insertInto('contacts')
        .values({
          workspace_id: workspaceId,
          account_id: archived.id,
          name: '归档联系人',
          created_at: now,
          updated_at: now,
          version: 1,
        })
        .execute();
      const rowsUnder = async (unitId: number, table: 'accounts' | 'contacts', archivedToo: boolean) => {
        const unit = await testApp.db.kysely
          .selectFrom('org_units')
          .select('path')
          .where('id', '=', unitId)
          .executeTakeFirstOrThrow();
        const row = await testApp.db.kysely
          .selectFrom('accounts')
          .innerJoin('org_units', 'org_units.id', 'accounts.org_unit_id')
          .$if(table === 'contacts', (query) => query.innerJoin('contacts', 'contacts.account_id', 'accounts.id'))
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('accounts.workspace_id', '=', workspaceId)
          .where('org_units.path', 'like', `${unit.path}%`)
          .where(
            sql.ref(table === 'contacts' ? 'contacts.archived_at' : 'accounts.archived_at'),
            archivedToo ? 'is not' : 'is',
            null,
          )
          .executeTakeFirstOrThrow();
        return Number(row.n);
      };
      for (const [role, unitId] of [
        ['admin', units.south],
        ['admin', units.east],
        ['manager', units.shanghai],
        ['manager', units.sales2],
      ] as const) {
        for (const table of ['accounts', 'contacts'] as const) {
          const expected = await rowsUnder(unitId, table, false);
          const counted = await totalsOf(role, `/api/v1/${table}?orgUnitId=${unitId}`);
          assert.deepEqual(
            counted,
            expected > COUNT_CAP ? { total: COUNT_CAP, totalCapped: true } : { total: expected, totalCapped: false },
            `${role} ${table} under ${unitId}`,
          );
        }
      }
      assert.deepEqual(await totalsOf('admin', `/api/v1/accounts?orgUnitId=${units.south}&archived=true`), {
        total: await rowsUnder(units.south, 'accounts', true),
        totalCapped: false,
      });
      assert.ok((await rowsUnder(units.south, 'accounts', false)) >= 1, 'the south holds accounts');
    });

    it("a rep's own accounts and contacts keep their true total", async () => {
      const own = await testApp.db.kysely
        .selectFrom('accounts')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('workspace_id', '=', fixture.workspaceId)
        .where('owner_id', '=', fixture.users.rep.id)
        .where('archived_at', 'is', null)
        .executeTakeFirstOrThrow();
      const accounts = await totalsOf('rep', '/api/v1/accounts');
      assert.equal(accounts.totalCapped, false);
      assert.ok(accounts.total >= Number(own.n) && accounts.total > COUNT_CAP, String(accounts.total));
      const contacts = await totalsOf('rep', '/api/v1/contacts');
      assert.deepEqual(contacts.totalCapped, false);
      assert.ok(contacts.total > COUNT_CAP, String(contacts.total));
    });
  });
}
