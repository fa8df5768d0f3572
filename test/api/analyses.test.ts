import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { testEngines } from '../helpers/db.ts';
import {
  client,
  createTestApp,
  json,
  seedExtras,
  seedWorkspace,
  sessionCookie,
  type Call,
  type Extras,
  type Fixture,
  type TestApp,
} from '../helpers/app.ts';
import type { AnalysesResponse } from '../../src/contracts/analyses.ts';

/**
 * The other analyses (docs/targets.md § Other analyses), aggregated in SQL for a scope and a
 * period: FY2026-Q4, the clock on 2 December 2026.
 */
const T0 = Date.parse('2026-12-02T04:00:00Z');
const DAY = 86_400_000;

for (const engine of testEngines()) {
  describe(`analyses [${engine}]`, () => {
    let testApp: TestApp;
    let fixture: Fixture;
    let extras: Extras;
    let as: (who: keyof Fixture['users']) => Promise<Call>;
    const kysely = () => testApp.db.kysely;

    async function deal(spec: {
      owner: number;
      unit: number;
      account: number;
      amount: number;
      status: string;
      closedAt?: number;
      close?: string;
      createdAt?: number;
    }) {
      await kysely()
        .insertInto('opportunities')
        .values({
          workspace_id: fixture.workspaceId,
          account_id: spec.account,
          name: `deal ${Math.random()}`,
          owner_id: spec.owner,
          org_unit_id: spec.unit,
          amount: spec.amount,
          status: spec.status,
          expected_close_date: spec.close ?? '2026-12-20',
          closed_at: spec.closedAt ?? null,
          process_id: extras.processes.small.id,
          stage_id: extras.processes.small.stageIds[0]!,
          stage_entered_at: T0,
          created_at: spec.createdAt ?? T0 - 40 * DAY,
          updated_at: T0,
          version: 1,
        })
        .execute();
    }

    before(async () => {
      testApp = await createTestApp(
        engine,
        { sessionIdleMs: 400 * DAY, sessionAbsoluteMs: 400 * DAY },
        { clock: () => T0 },
      );
      fixture = await seedWorkspace(testApp, 'analyses');
      extras = await seedExtras(testApp, fixture);
      as = async (who) => client(testApp, await sessionCookie(testApp, fixture.workspaceId, fixture.users[who].id));
      // The seeded accounts were created today (real time); these figures need them older than the period.
      await kysely()
        .updateTable('accounts')
        .set({ created_at: T0 - 400 * DAY })
        .where('workspace_id', '=', fixture.workspaceId)
        .execute();
      const rep = { owner: fixture.users.rep.id, unit: fixture.units.sales1 };
      const old = { ...rep, account: fixture.accounts.repAccount };
      // The rep's customer won before: an existing customer for deals begun after that.
      await deal({
        ...old,
        amount: 10_000_00,
        status: 'won',
        closedAt: Date.parse('2026-03-01T00:00:00Z'),
        createdAt: Date.parse('2026-01-10T00:00:00Z'),
      });
      const fresh = (
        await kysely()
          .insertInto('accounts')
          .values({
            workspace_id: fixture.workspaceId,
            name: '新客户有限公司',
            name_key: '新客户',
            owner_id: fixture.users.rep.id,
            org_unit_id: fixture.units.sales1,
            created_at: T0 - 20 * DAY,
            updated_at: T0,
            version: 1,
          })
          .returning('id')
          .executeTakeFirstOrThrow()
      ).id;
      const inQ4 = Date.parse('2026-11-10T04:00:00Z');
      await deal({ ...old, amount: 30_000_00, status: 'won', closedAt: inQ4, createdAt: inQ4 - 30 * DAY }); // existing, 20–50k, 30 days
      await deal({ ...old, amount: 300_000_00, status: 'won', closedAt: inQ4, createdAt: inQ4 - 90 * DAY }); // existing, large, 90 days
      await deal({ ...rep, account: fresh, amount: 15_000_00, status: 'lost', closedAt: inQ4 }); // new customer, lost
      await deal({
        ...rep,
        account: fresh,
        amount: 60_000_00,
        status: 'won',
        closedAt: inQ4,
        createdAt: inQ4 - 10 * DAY,
      }); // new customer won, 50–100k
      await deal({ ...old, amount: 120_000_00, status: 'open', close: '2026-12-28' }); // open, in the period
      await deal({ ...old, amount: 120_000_00, status: 'open', close: '2027-02-01' }); // open, later: not counted
      await deal({
        owner: fixture.users.rep2.id,
        unit: fixture.units.sales3,
        account: fixture.accounts.rep2Account,
        amount: 500_000_00,
        status: 'won',
        closedAt: inQ4,
      });
    });
    after(() => testApp.close());

    it('aggregates size bands, new versus existing customers and small versus large projects', async () => {
      const res = await (
        await as('manager')
      )('GET', `/api/v1/analyses?scope=unit:${fixture.units.shanghai}&period=FY2026-Q4`);
      assert.equal(res.statusCode, 200, res.body);
      const analysesResponse = json<AnalysesResponse>(res);
      const band = (key: string) => analysesResponse.sizeBands.find((b) => b.band === key)!;
      assert.deepEqual([band('lt20k').won, band('lt20k').lost, band('lt20k').winRate], [0, 1, 0]);
      assert.deepEqual([band('20k-50k').won, band('20k-50k').wonAmount], [1, 30_000_00]);
      assert.deepEqual(
        [band('50k-100k').won, band('50k-100k').open, band('50k-100k').openAmount],
        [1, 1, 50_000_00],
        'the seeded open deal of 50,000 closes on 31 December',
      );
      assert.deepEqual([band('100k-200k').open, band('100k-200k').openAmount], [1, 120_000_00]);
      assert.deepEqual(
        [band('ge200k').won, band('ge200k').wonAmount, band('ge200k').wonAverage],
        [1, 300_000_00, 300_000_00],
        "rep2's deal is outside Shanghai",
      );
      assert.deepEqual(analysesResponse.newVsExisting.new, { won: 1, lost: 1, winRate: 0.5, wonAmount: 60_000_00 });
      assert.deepEqual(analysesResponse.newVsExisting.existing, { won: 2, lost: 0, winRate: 1, wonAmount: 330_000_00 });
      assert.equal(analysesResponse.projects.large.wonAmount, 300_000_00);
      assert.equal(analysesResponse.projects.large.cycleDays, 90);
      assert.equal(analysesResponse.projects.small.cycleDays, 20);
      assert.ok(Math.abs(analysesResponse.projects.small.share! - 90 / 390) < 1e-9);
      const rep = analysesResponse.diagnosis.find((d) => d.userId === fixture.users.rep.id)!;
      assert.deepEqual(
        [rep.won, rep.lost, rep.newAccounts, rep.wonAmount],
        [3, 1, 1, 390_000_00],
        'one new account opened in the period',
      );
    });

    it('activity productivity: done activities per rep and week elapsed, qualifying follow-ups, visits per deal won', async () => {
      const DAY = 86_400_000;
      const activity = (owner: number, type: string, startAt: number, status = 'done', archived = false) => ({
        workspace_id: fixture.workspaceId,
        account_id: fixture.accounts.repAccount,
        owner_id: owner,
        type,
        status,
        start_at: startAt,
        archived_at: archived ? T0 : null,
        created_at: startAt,
        updated_at: startAt,
        version: 1,
      });
      const rep = fixture.users.rep.id;
      const inQuarter = Date.parse('2026-10-15T02:00:00Z');
      await testApp.db.kysely
        .insertInto('activities')
        .values([
          activity(rep, 'visit', inQuarter),
          activity(rep, 'visit', inQuarter + DAY),
          activity(rep, 'visit', inQuarter + 2 * DAY),
          activity(rep, 'call', inQuarter + 3 * DAY),
          activity(rep, 'email', inQuarter + 4 * DAY),
          activity(rep, 'visit', inQuarter + 5 * DAY, 'planned'),
          activity(rep, 'visit', inQuarter + 6 * DAY, 'cancelled'),
          activity(rep, 'visit', inQuarter + 7 * DAY, 'done', true),
          activity(rep, 'visit', Date.parse('2026-09-20T02:00:00Z')),
          activity(fixture.users.rep2.id, 'visit', inQuarter),
        ])
        .execute();
      const res = await (
        await as('manager')
      )('GET', `/api/v1/analyses?scope=unit:${fixture.units.shanghai}&period=FY2026-Q4`);
      assert.equal(res.statusCode, 200, res.body);
      const { activity: productivity, period } = json<AnalysesResponse>(res);
      assert.equal(productivity.available, true);
      // 1 October to 2 December 04:00 UTC: the weeks elapsed, not the quarter's 13.
      const weeks = Math.round(((T0 - Date.parse(`${period.start}T00:00:00+08:00`)) / (7 * DAY)) * 10) / 10;
      assert.equal(productivity.weeks, weeks);
      const mine = productivity.reps.find((r) => r.userId === rep)!;
      assert.deepEqual(
        [mine.activities, mine.visits, mine.qualifying, mine.won],
        [5, 3, 4, 3],
        'done and not archived, in the quarter; email is no qualifying type by default',
      );
      assert.equal(mine.visitsPerWeek, 3 / weeks);
      assert.equal(mine.visitsPerWon, 1);
      assert.ok(
        productivity.reps.every((r) => r.userId !== fixture.users.rep2.id),
        'rep2 is outside Shanghai',
      );
      const people = productivity.reps.length;
      assert.equal(productivity.team.activities, productivity.reps.reduce((a, r) => a + r.activities, 0) / people);
      assert.equal(
        (await (await as('rep'))('GET', '/api/v1/analyses?period=FY2026-Q4')).statusCode,
        200,
        'a rep reads their own',
      );
      const productivityOfWorkspace = json<AnalysesResponse>(
        await (
          await as('admin')
        )('GET', '/api/v1/analyses?period=FY2026-Q4'),
      ).activity;
      // The export carries the section with the filters it was shown with (scope, period).
      const file = await (
        await as('admin')
      )(
        'GET',
        `/api/v1/forecasts/export?report=analyses&scope=unit:${fixture.units.shanghai}&period=FY2026-Q4&format=csv&lang=en-US`,
      );
      assert.equal(file.statusCode, 200, file.body);
      const lines = file.body.split(/\r?\n/).map((line) => line.split(','));
      assert.ok(lines.some((cells) => cells[0] === 'Activity productivity' && cells[2] === 'Activities / week'));
      const round = (x: number) => String(Math.round(x * 10) / 10);
      assert.deepEqual(lines.find((cells) => cells[0] === 'activity' && cells[1] === mine.name)?.slice(2, 10), [
        round(5 / weeks),
        round(3 / weeks),
        round(4 / weeks),
        round(mine.newAccountsPerWeek),
        '1',
        '5',
        '3',
        '3',
      ]);
      assert.deepEqual(lines.find((cells) => cells[1] === 'Weeks elapsed')?.[2], String(weeks));
      assert.deepEqual(lines.find((cells) => cells[1] === 'Target')?.slice(2, 6), ['', '', '', '5']);
      const rep2 = productivityOfWorkspace.reps.find((r) => r.userId === fixture.users.rep2.id)!;
      assert.ok(
        lines.every((cells) => !(cells[0] === 'activity' && cells[1] === rep2.name)),
        'rep2 is outside the scope shown',
      );
    });

    it('answers 403 for a scope out of reach and 400 for a period that does not parse', async () => {
      assert.equal(
        (await (await as('rep'))('GET', `/api/v1/analyses?scope=unit:${fixture.units.sales1}`)).statusCode,
        403,
      );
      assert.equal(
        (await (await as('manager'))('GET', `/api/v1/analyses?scope=unit:${fixture.units.sales3}`)).statusCode,
        403,
      );
      assert.equal((await (await as('manager'))('GET', '/api/v1/analyses?period=2026-13')).statusCode, 400);
      const own = json<AnalysesResponse>(await (await as('rep'))('GET', '/api/v1/analyses?period=FY2026-Q4'));
      assert.equal(own.scope.id, fixture.users.rep.id);
      assert.deepEqual(
        own.diagnosis.map((d) => d.userId),
        [fixture.users.rep.id],
      );
    });
  });
}
