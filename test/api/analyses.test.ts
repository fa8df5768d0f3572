import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { testEngines } from '../helpers/db.ts';
import { client, createTestApp, json, seedExtras, seedWorkspace, sessionCookie, type Call, type Extras, type Fixture, type TestApp } from '../helpers/app.ts';
import type { AnalysesResponse } from '../../src/contracts/analyses.ts';

/**
 * The other analyses (docs/targets.md § Other analyses), aggregated in SQL for a scope and a
 * period: FY2026-Q4, the clock on 2 December 2026.
 */
const T0 = Date.parse('2026-12-02T04:00:00Z');
const DAY = 86_400_000;

for (const engine of testEngines()) {
  describe(`analyses [${engine}]`, () => {
    let t: TestApp;
    let a: Fixture;
    let x: Extras;
    let as: (who: keyof Fixture['users']) => Promise<Call>;
    const k = () => t.db.kysely;

    async function deal(o: { owner: number; unit: number; account: number; amount: number; status: string; closedAt?: number; close?: string; createdAt?: number }) {
      await k().insertInto('opportunities').values({
        workspace_id: a.workspaceId, account_id: o.account, name: `deal ${Math.random()}`, owner_id: o.owner, org_unit_id: o.unit, amount: o.amount, status: o.status,
        expected_close_date: o.close ?? '2026-12-20', closed_at: o.closedAt ?? null, process_id: x.processes.small.id, stage_id: x.processes.small.stageIds[0]!,
        stage_entered_at: T0, created_at: o.createdAt ?? T0 - 40 * DAY, updated_at: T0, version: 1,
      }).execute();
    }

    before(async () => {
      t = await createTestApp(engine, { sessionIdleMs: 400 * DAY, sessionAbsoluteMs: 400 * DAY }, { clock: () => T0 });
      a = await seedWorkspace(t, 'analyses');
      x = await seedExtras(t, a);
      as = async (who) => client(t, await sessionCookie(t, a.workspaceId, a.users[who].id));
      // The seeded accounts were created today (real time); these figures need them older than the period.
      await k().updateTable('accounts').set({ created_at: T0 - 400 * DAY }).where('workspace_id', '=', a.workspaceId).execute();
      const rep = { owner: a.users.rep.id, unit: a.units.sales1 };
      const old = { ...rep, account: a.accounts.repAccount };
      // The rep's customer won before: an existing customer for deals begun after that.
      await deal({ ...old, amount: 10_000_00, status: 'won', closedAt: Date.parse('2026-03-01T00:00:00Z'), createdAt: Date.parse('2026-01-10T00:00:00Z') });
      const fresh = (await k().insertInto('accounts').values({ workspace_id: a.workspaceId, name: '新客户有限公司', name_key: '新客户', owner_id: a.users.rep.id, org_unit_id: a.units.sales1, created_at: T0 - 20 * DAY, updated_at: T0, version: 1 }).returning('id').executeTakeFirstOrThrow()).id;
      const inQ4 = Date.parse('2026-11-10T04:00:00Z');
      await deal({ ...old, amount: 30_000_00, status: 'won', closedAt: inQ4, createdAt: inQ4 - 30 * DAY }); // existing, 20–50k, 30 days
      await deal({ ...old, amount: 300_000_00, status: 'won', closedAt: inQ4, createdAt: inQ4 - 90 * DAY }); // existing, large, 90 days
      await deal({ ...rep, account: fresh, amount: 15_000_00, status: 'lost', closedAt: inQ4 }); // new customer, lost
      await deal({ ...rep, account: fresh, amount: 60_000_00, status: 'won', closedAt: inQ4, createdAt: inQ4 - 10 * DAY }); // new customer won, 50–100k
      await deal({ ...old, amount: 120_000_00, status: 'open', close: '2026-12-28' }); // open, in the period
      await deal({ ...old, amount: 120_000_00, status: 'open', close: '2027-02-01' }); // open, later: not counted
      await deal({ owner: a.users.rep2.id, unit: a.units.sales3, account: a.accounts.rep2Account, amount: 500_000_00, status: 'won', closedAt: inQ4 });
    });
    after(() => t.close());

    it('aggregates size bands, new versus existing customers and small versus large projects', async () => {
      const res = await (await as('manager'))('GET', `/api/v1/analyses?scope=unit:${a.units.shanghai}&period=FY2026-Q4`);
      assert.equal(res.statusCode, 200, res.body);
      const r = json<AnalysesResponse>(res);
      const band = (key: string) => r.sizeBands.find((b) => b.band === key)!;
      assert.deepEqual([band('lt20k').won, band('lt20k').lost, band('lt20k').winRate], [0, 1, 0]);
      assert.deepEqual([band('20k-50k').won, band('20k-50k').wonAmount], [1, 30_000_00]);
      assert.deepEqual([band('50k-100k').won, band('50k-100k').open, band('50k-100k').openAmount], [1, 1, 50_000_00], 'the seeded open deal of 50,000 closes on 31 December');
      assert.deepEqual([band('100k-200k').open, band('100k-200k').openAmount], [1, 120_000_00]);
      assert.deepEqual([band('ge200k').won, band('ge200k').wonAmount, band('ge200k').wonAverage], [1, 300_000_00, 300_000_00], 'rep2\'s deal is outside Shanghai');
      assert.deepEqual(r.newVsExisting.new, { won: 1, lost: 1, winRate: 0.5, wonAmount: 60_000_00 });
      assert.deepEqual(r.newVsExisting.existing, { won: 2, lost: 0, winRate: 1, wonAmount: 330_000_00 });
      assert.equal(r.projects.large.wonAmount, 300_000_00);
      assert.equal(r.projects.large.cycleDays, 90);
      assert.equal(r.projects.small.cycleDays, 20);
      assert.ok(Math.abs(r.projects.small.share! - 90 / 390) < 1e-9);
      const rep = r.diagnosis.find((d) => d.userId === a.users.rep.id)!;
      assert.deepEqual([rep.won, rep.lost, rep.newAccounts, rep.wonAmount], [3, 1, 1, 390_000_00], 'one new account opened in the period');
      assert.equal(r.activity.available, false);
    });

    it('answers 403 for a scope out of reach and 400 for a period that does not parse', async () => {
      assert.equal((await (await as('rep'))('GET', `/api/v1/analyses?scope=unit:${a.units.sales1}`)).statusCode, 403);
      assert.equal((await (await as('manager'))('GET', `/api/v1/analyses?scope=unit:${a.units.sales3}`)).statusCode, 403);
      assert.equal((await (await as('manager'))('GET', '/api/v1/analyses?period=2026-13')).statusCode, 400);
      const own = json<AnalysesResponse>(await (await as('rep'))('GET', '/api/v1/analyses?period=FY2026-Q4'));
      assert.equal(own.scope.id, a.users.rep.id);
      assert.deepEqual(own.diagnosis.map((d) => d.userId), [a.users.rep.id]);
    });
  });
}
