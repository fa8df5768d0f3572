import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
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
import type { OpportunityListPage } from '../../src/contracts/opportunities.ts';
import { rebuildFunnel } from '../../src/modules/funnel/upkeep.ts';

/**
 * The opportunity list's totals row (issue 11): count, amount and expected amount of the whole
 * filtered set — the same filters and the same scope as the rows, whatever the page.
 */
for (const engine of testEngines()) {
  describe(`opportunity list totals [${engine}]`, () => {
    let testApp: TestApp;
    let fixture: Fixture;
    const kysely = () => testApp.db.kysely;

    before(async () => {
      testApp = await createTestApp(engine);
      fixture = await seedWorkspace(testApp, 'totals');
      const now = Date.now();
      const process = await kysely()
        .selectFrom('sales_processes')
        .select('id')
        .where('workspace_id', '=', fixture.workspaceId)
        .where('template_key', '=', 'small')
        .executeTakeFirstOrThrow();
      const stages = await kysely()
        .selectFrom('process_stages')
        .select(['id', 'probability'])
        .where('process_id', '=', process.id)
        .orderBy('position')
        .execute();
      const deals = [
        {
          account: fixture.accounts.repAccount,
          owner: fixture.users.rep.id,
          unit: fixture.units.sales1,
          amount: 2_400_000_00,
          stage: 1,
        },
        {
          account: fixture.accounts.repAccount,
          owner: fixture.users.rep.id,
          unit: fixture.units.sales1,
          amount: 333_33,
          stage: 2,
        },
        {
          account: fixture.accounts.repAccount,
          owner: fixture.users.rep.id,
          unit: fixture.units.sales1,
          amount: 77_777_77,
          stage: 0,
        },
        {
          account: fixture.accounts.rep2Account,
          owner: fixture.users.rep2.id,
          unit: fixture.units.sales3,
          amount: 5_000_000_00,
          stage: 2,
        },
        {
          account: fixture.accounts.rep2Account,
          owner: fixture.users.rep2.id,
          unit: fixture.units.sales3,
          amount: 12_345_67,
          stage: 1,
        },
      ];
      for (const [index, deal] of deals.entries())
        await kysely()
          .insertInto('opportunities')
          .values({
            workspace_id: fixture.workspaceId,
            account_id: deal.account,
            name: `合计 ${index}`,
            owner_id: deal.owner,
            org_unit_id: deal.unit,
            amount: deal.amount,
            status: 'open',
            expected_close_date: `2027-0${index + 1}-15`,
            process_id: process.id,
            stage_id: stages[deal.stage]!.id,
            stage_entered_at: now,
            created_at: now,
            updated_at: now,
            version: 1,
          })
          .execute();
      // Written past the services: the funnel's kept totals are rebuilt as the generators do.
      await rebuildFunnel(kysely(), fixture.workspaceId);
      processId = process.id;
      stageIds = stages.map((stage) => stage.id);
    });
    after(() => testApp.close());
    let processId: number;
    let stageIds: number[];

    /** Every row of the filtered list, page by page, and the totals of the first page. */
    async function everyRow(who: 'admin' | 'manager' | 'rep' | 'rep2', filter: string) {
      const call = client(testApp, await sessionCookie(testApp, fixture.workspaceId, fixture.users[who].id));
      const first = json<OpportunityListPage>(await call('GET', `/api/v1/opportunities?limit=2&${filter}`));
      const rows = [...first.items];
      for (let offset = 2; offset < first.total; offset += 2)
        rows.push(
          ...json<OpportunityListPage>(await call('GET', `/api/v1/opportunities?limit=2&offset=${offset}&${filter}`))
            .items,
        );
      return { totals: first.totals, total: first.total, rows };
    }

    it('equal the sums of the rows, for each scope and filter', async () => {
      const cases: ['admin' | 'manager' | 'rep' | 'rep2', string][] = [
        ['admin', ''],
        ['admin', 'status=open&closeFrom=2027-02-01'],
        ['manager', ''],
        ['rep', ''],
        ['rep', 'q=合计'],
        ['rep2', `ownerId=${fixture.users.rep2.id}`],
        ['admin', 'minProbability=100'],
        // Read from the funnel's kept totals (kept-totals.ts): they must equal the rows too.
        ['admin', 'status=open'],
        ['admin', 'status=won'],
        ['admin', `status=open&processId=${processId}`],
        ['admin', `status=open&stageId=${stageIds[2]}`],
        ['admin', `status=open&orgUnitId=${fixture.units.sales3}`],
        ['admin', `status=open&ownerId=${fixture.users.rep.id}`],
        ['manager', 'status=open'],
        ['manager', `status=open&orgUnitId=${fixture.units.sales1}`],
        ['manager', `status=open&ownerId=${fixture.users.rep2.id}`],
        ['manager', `status=open&orgUnitId=${fixture.units.south}`],
        // Whole months of expected close are kept; days within a month are counted live.
        ['admin', 'status=open&closeFrom=2027-02-01&closeTo=2027-03-31'],
        ['manager', 'status=open&closeTo=2027-01-31'],
        ['admin', 'status=open&closeFrom=2027-02-16&closeTo=2027-03-31'],
        ['admin', 'status=open&closeFrom=2027-02-01&closeTo=2027-03-14'],
      ];
      for (const [who, filter] of cases) {
        const { totals, total, rows } = await everyRow(who, filter);
        const label = `${who} ${filter}`;
        assert.equal(rows.length, total, label);
        assert.equal(totals.count, total, label);
        assert.equal(
          totals.amount,
          rows.reduce((sum, row) => sum + row.amount, 0),
          label,
        );
        const weighted = rows.reduce((sum, row) => sum + row.amount * (row.probability ?? 0), 0);
        assert.equal(totals.expectedAmount, Math.round(weighted / 100), label);
      }
      // The scope really differs: the rep sees no deal of rep2's, the admin sees both.
      const admin = await everyRow('admin', '');
      const rep = await everyRow('rep', '');
      assert.ok(admin.totals.amount - rep.totals.amount >= 5_012_345_67, 'rep2’s deals are outside the rep’s totals');
      assert.ok(rep.totals.count >= 3 && admin.totals.count >= rep.totals.count + 2);
      assert.deepEqual((await everyRow('admin', 'minProbability=100')).totals, {
        count: 0,
        amount: 0,
        expectedAmount: 0,
      });
    });

    it('are read from the kept totals where they hold the answer, and counted live elsewhere', async () => {
      const before = await everyRow('admin', 'status=open');
      const live = await everyRow('admin', 'status=open&q=合计');
      // A deal written past the services is in no kept total: only the live count sees it.
      const now = Date.now();
      await kysely()
        .insertInto('opportunities')
        .values({
          workspace_id: fixture.workspaceId,
          account_id: fixture.accounts.repAccount,
          name: '合计 未计入',
          owner_id: fixture.users.rep.id,
          org_unit_id: fixture.units.sales1,
          amount: 1_000_00,
          status: 'open',
          process_id: processId,
          stage_id: stageIds[1]!,
          stage_entered_at: now,
          created_at: now,
          updated_at: now,
          version: 1,
        })
        .execute();
      assert.deepEqual((await everyRow('admin', 'status=open')).totals, before.totals);
      // No expected close date: outside any period, kept ('' month) or live (null) alike.
      assert.equal(
        (await everyRow('admin', 'status=open&closeTo=2027-12-31')).totals.count,
        (await everyRow('admin', 'status=open&closeTo=2027-12-30')).totals.count,
      );
      assert.equal((await everyRow('admin', 'status=open&q=合计')).totals.count, live.totals.count + 1);
      await kysely().deleteFrom('opportunities').where('name', '=', '合计 未计入').execute();
    });
  });
}
