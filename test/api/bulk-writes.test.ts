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
import { BATCH_ROWS } from '../../src/db/batches.ts';

/**
 * Bulk writes past the engines' bound-value limits (SQLite 32,766, PostgreSQL 65,535): the tier
 * recompute used to insert its history in one statement and rolled back above ~3,640 changes.
 */
for (const engine of testEngines()) {
  describe(`Bulk writes in batches [${engine}]`, () => {
    let testApp: TestApp;
    let fixture: Fixture;
    const now = Date.now();

    /** `count` accounts made by the database itself (a recursive series), so the test costs one statement. */
    const insertAccounts = async (count: number, prefix: string, values: { tier: string; inPool: number }) => {
      const { workspaceId, units, users } = fixture;
      const owner = values.inPool ? null : users.rep.id;
      const unit = values.inPool ? units.shanghai : units.sales1;
      await sql`
        with recursive series(n) as (select 1 union all select n + 1 from series where n < ${count})
        insert into accounts (workspace_id, name, name_key, owner_id, org_unit_id, province, tier, tier_computed,
                              in_pool, pool_since, created_at, updated_at, version)
        select ${workspaceId}, ${prefix} || cast(n as text), ${prefix} || cast(n as text), ${owner}, ${unit},
               '上海', ${values.tier}, ${values.tier}, ${values.inPool}, ${values.inPool ? now : null}, ${now}, ${now}, 1
        from series`.execute(testApp.db.kysely);
    };
    const historyCount = async (reason: string) =>
      Number(
        (
          await testApp.db.kysely
            .selectFrom('record_history')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .where('workspace_id', '=', fixture.workspaceId)
            .where('reason', '=', reason)
            .executeTakeFirstOrThrow()
        ).n,
      );

    before(async () => {
      testApp = await createTestApp(engine);
      fixture = await seedWorkspace(testApp, 'bulk');
    });
    after(async () => testApp.close());

    it('a tier recompute that changes 5,000 accounts (past the old limit of ~3,640) writes them all and their history, in one transaction', async () => {
      // Tier A with no purchases: every one of them falls to C.
      await insertAccounts(5_000, 'A级客户', { tier: 'A', inPool: 0 });
      const admin = client(testApp, await sessionCookie(testApp, fixture.workspaceId, fixture.users.admin.id));
      const res = await admin('POST', '/api/v1/tiers/recompute', {});
      assert.equal(res.statusCode, 200, res.body);
      const result = json<{ tierChanged: number; updated: number }>(res);
      assert.ok(result.tierChanged >= 5_000, `tierChanged ${result.tierChanged}`);
      assert.equal(await historyCount('recompute'), result.tierChanged);
      const left = await testApp.db.kysely
        .selectFrom('accounts')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('workspace_id', '=', fixture.workspaceId)
        .where('tier', '=', 'A')
        .executeTakeFirstOrThrow();
      assert.equal(Number(left.n), 0);
    });

    it('territory apply gives a rep more pool accounts than one batch holds, each with its history row', async () => {
      const count = BATCH_ROWS * 2 + 200;
      await insertAccounts(count, '池客户', { tier: 'C', inPool: 1 });
      const admin = client(testApp, await sessionCookie(testApp, fixture.workspaceId, fixture.users.admin.id));
      const rule = await admin('POST', '/api/v1/territories', { province: '上海', userId: fixture.users.rep.id });
      assert.equal(rule.statusCode, 201, rule.body);
      const done = json<{ assigned: number; poolAccounts: number }>(
        await admin('POST', '/api/v1/territories/apply', { dryRun: false }),
      );
      assert.equal(done.assigned, count);
      assert.equal(await historyCount('territory'), count);
      const stillPooled = await testApp.db.kysely
        .selectFrom('accounts')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('workspace_id', '=', fixture.workspaceId)
        .where('in_pool', '=', 1)
        .where('province', '=', '上海')
        .executeTakeFirstOrThrow();
      assert.equal(Number(stillPooled.n), 0);
    });
  });
}
