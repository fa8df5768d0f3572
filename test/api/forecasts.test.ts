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
import { insertUser } from '../../src/modules/users/repository.ts';
import { rebuildFunnel } from '../../src/modules/funnel/upkeep.ts';
import type {
  BehindResponse,
  AccuracyResponse,
  Adjustment,
  DraftResponse,
  ForecastView,
  GapView,
  SubmissionDetail,
  SubmissionSummary,
} from '../../src/contracts/forecasts.ts';

/**
 * The revenue forecast (docs/targets.md § Revenue forecast, § Gap analysis P1–P4): weekly
 * submissions replaced with history kept, managers' adjustments with optimistic concurrency,
 * the forecast view, accuracy and the live gap, each scoped by the caller's reach.
 * The clock is fixed on Wednesday 2 December 2026 (Shanghai): FY2026-Q4 has weeks to run.
 */
const WEEK = 7 * 86_400_000;
const T0 = Date.parse('2026-12-02T04:00:00Z');

for (const engine of testEngines()) {
  describe(`forecasts [${engine}]`, () => {
    let testApp: TestApp;
    let fixture: Fixture;
    let extras: Extras;
    let now = T0;
    let as: (who: keyof Fixture['users'] | number) => Promise<Call>;
    let manager2: number;
    const opp: Record<'commit' | 'possible' | 'later' | 'other' | 'won', number> = {
      commit: 0,
      possible: 0,
      later: 0,
      other: 0,
      won: 0,
    };
    const kysely = () => testApp.db.kysely;

    async function deal(
      name: string,
      spec: {
        owner: number;
        unit: number;
        account: number;
        amount: number;
        close: string;
        category: string;
        status?: string;
        closedAt?: number;
        stage?: number;
      },
    ) {
      return (
        await kysely()
          .insertInto('opportunities')
          .values({
            workspace_id: fixture.workspaceId,
            account_id: spec.account,
            name,
            owner_id: spec.owner,
            org_unit_id: spec.unit,
            amount: spec.amount,
            status: spec.status ?? 'open',
            expected_close_date: spec.close,
            closed_at: spec.closedAt ?? null,
            process_id: extras.processes.small.id,
            stage_id: extras.processes.small.stageIds[spec.stage ?? 1]!,
            stage_entered_at: T0,
            forecast_category: spec.category,
            created_at: T0 - 30 * 86_400_000,
            updated_at: T0,
            version: 1,
          })
          .returning('id')
          .executeTakeFirstOrThrow()
      ).id;
    }

    before(async () => {
      // Sessions are made on the real clock; the fixed one may be a week on from it.
      testApp = await createTestApp(
        engine,
        { sessionIdleMs: 400 * 86_400_000, sessionAbsoluteMs: 400 * 86_400_000 },
        { clock: () => now },
      );
      fixture = await seedWorkspace(testApp, 'forecast');
      extras = await seedExtras(testApp, fixture);
      // The fixture's own submission would be this week's too: these tests start from none.
      await kysely().deleteFrom('forecast_submission_deals').where('workspace_id', '=', fixture.workspaceId).execute();
      await kysely().deleteFrom('forecast_submissions').where('workspace_id', '=', fixture.workspaceId).execute();
      as = async (who) =>
        client(
          testApp,
          await sessionCookie(testApp, fixture.workspaceId, typeof who === 'number' ? who : fixture.users[who].id),
        );
      const hash = (
        await kysely()
          .selectFrom('users')
          .select('password_hash')
          .where('id', '=', fixture.users.rep.id)
          .executeTakeFirstOrThrow()
      ).password_hash;
      manager2 = await insertUser(kysely(), {
        workspaceId: fixture.workspaceId,
        orgUnitId: fixture.units.shanghai,
        email: `m2-${engine}-${Date.now()}@forecast.test`,
        name: '副经理',
        role: 'manager',
        title: null,
        phone: null,
        passwordHash: hash,
        locale: 'zh-CN',
        canExport: false,
        now: T0,
      });
      const rep = { owner: fixture.users.rep.id, unit: fixture.units.sales1, account: fixture.accounts.repAccount };
      opp.commit = await deal('华为 MES 二期', {
        ...rep,
        amount: 100_000_00,
        close: '2026-12-20',
        category: 'commit',
        stage: 2,
      });
      opp.possible = await deal('华为 WMS', { ...rep, amount: 50_000_00, close: '2026-12-15', category: 'possible' });
      opp.later = await deal('华为 明年项目', { ...rep, amount: 80_000_00, close: '2027-03-01', category: 'pipeline' });
      opp.won = await deal('华为 已签', {
        ...rep,
        amount: 30_000_00,
        close: '2026-11-20',
        category: 'commit',
        status: 'won',
        closedAt: Date.parse('2026-11-20T04:00:00Z'),
      });
      opp.other = await deal('白云 配电', {
        owner: fixture.users.rep2.id,
        unit: fixture.units.sales3,
        account: fixture.accounts.rep2Account,
        amount: 70_000_00,
        close: '2026-12-10',
        category: 'commit',
      });
      // Deals written straight to the table, as a bulk load: the funnel's kept totals count them once.
      await rebuildFunnel(kysely(), fixture.workspaceId);
    });
    after(() => testApp.close());

    /** The objective figure counted from the deals themselves: open, in a process, closing before `end` (overdue too). */
    async function recountObjective(unitId: number, from: string | null, end: string) {
      const unit = await kysely()
        .selectFrom('org_units')
        .select('path')
        .where('id', '=', unitId)
        .executeTakeFirstOrThrow();
      let query = kysely()
        .selectFrom('opportunities')
        .innerJoin('org_units', 'org_units.id', 'opportunities.org_unit_id')
        .innerJoin('process_stages', 'process_stages.id', 'opportunities.stage_id')
        .select(['process_stages.probability', 'opportunities.amount'])
        .where('opportunities.workspace_id', '=', fixture.workspaceId)
        .where('opportunities.status', '=', 'open')
        .where('org_units.path', 'like', `${unit.path}%`)
        .where('opportunities.expected_close_date', '<', end);
      if (from) query = query.where('opportunities.expected_close_date', '>=', from);
      const byStage = new Map<number, { amount: number; deals: number }>();
      for (const row of await query.execute()) {
        const stage = byStage.get(row.probability) ?? { amount: 0, deals: 0 };
        stage.amount += Number(row.amount);
        stage.deals += 1;
        byStage.set(row.probability, stage);
      }
      const stages = [...byStage];
      return {
        amount: stages.reduce((a, [, s]) => a + s.amount, 0),
        expectedAmount: stages.reduce((a, [p, s]) => a + Math.round((s.amount * p) / 100), 0),
        deals: stages.reduce((a, [, s]) => a + s.deals, 0),
      };
    }

    it("pre-fills the rep's form from the deals' categories", async () => {
      const res = await (await as('rep'))('GET', '/api/v1/forecasts/draft');
      assert.equal(res.statusCode, 200, res.body);
      const draft = json<DraftResponse>(res);
      assert.equal(draft.period.name, 'FY2026-Q4');
      assert.equal(draft.weekStart, '2026-11-30');
      assert.equal(draft.realised, 30_000_00);
      assert.equal(draft.current, null);
      const byId = new Map(draft.deals.map((x) => [x.opportunityId, x]));
      assert.equal(byId.get(opp.commit)?.category, 'commit');
      assert.equal(byId.get(opp.possible)?.category, 'possible');
      assert.equal(byId.has(opp.later), false, "a pipeline deal closing next year is not in this quarter's form");
      assert.equal(byId.has(opp.other), false, "only the rep's own deals");
      assert.equal(byId.has(opp.won), false, 'only open deals');
    });

    it('submitting twice in a week replaces the first and keeps it in the history', async () => {
      const rep = await as('rep');
      const first = await rep('POST', '/api/v1/forecasts/submissions', {
        deals: [{ opportunityId: opp.commit, category: 'commit', amount: 100_000_00 }],
        note: '第一次',
      });
      assert.equal(first.statusCode, 201, first.body);
      const second = await rep('POST', '/api/v1/forecasts/submissions', {
        deals: [
          { opportunityId: opp.commit, category: 'commit', amount: 90_000_00 },
          { opportunityId: opp.possible, category: 'possible', amount: 40_000_00 },
        ],
      });
      assert.equal(second.statusCode, 201, second.body);
      const submission = json<SubmissionDetail>(second);
      assert.equal(submission.commit, 90_000_00);
      assert.equal(submission.possible, 40_000_00);
      assert.equal(submission.realised, 30_000_00);
      assert.equal(submission.weekStart, '2026-11-30');
      // forecast = realised + commit × 70% + possible × 25% + quota × 4% × weeks left (FY2026-Q4 on 2 Dec: 5 weeks).
      assert.equal(
        submission.forecast,
        30_000_00 + 63_000_00 + 10_000_00 + Math.round((submission.quota * 4 * 5) / 100),
      );
      assert.deepEqual(
        submission.deals.map((d) => [d.opportunityId, d.category, d.amount]),
        [
          [opp.commit, 'commit', 90_000_00],
          [opp.possible, 'possible', 40_000_00],
        ].sort((p, q) => Number(p[0]) - Number(q[0])),
      );

      const current = json<{ items: SubmissionSummary[]; total: number }>(
        await rep('GET', `/api/v1/forecasts/submissions?scope=user:${fixture.users.rep.id}`),
      );
      assert.equal(current.total, 1);
      assert.equal(current.items[0]!.id, submission.id);
      const all = json<{ items: SubmissionSummary[]; total: number }>(
        await rep('GET', '/api/v1/forecasts/submissions?history=true'),
      );
      assert.equal(all.total, 2);
      const replaced = all.items.find((i) => i.id !== submission.id)!;
      assert.equal(replaced.note, '第一次');
      assert.equal(replaced.supersededAt, T0);
      assert.equal(replaced.commit, 100_000_00);

      // The form now shows what was submitted this week.
      const draft = json<DraftResponse>(await rep('GET', '/api/v1/forecasts/draft'));
      assert.equal(draft.current?.id, submission.id);
      assert.equal(draft.deals.find((x) => x.opportunityId === opp.commit)?.amount, 90_000_00);
    });

    it('refuses bad submissions naming the field, and saves nothing', async () => {
      const rep = await as('rep');
      const cases: [unknown, string][] = [
        [{ deals: [{ opportunityId: opp.other, category: 'commit', amount: 1 }] }, 'deals.0.opportunityId'],
        [{ deals: [{ opportunityId: opp.won, category: 'commit', amount: 1 }] }, 'deals.0.opportunityId'],
        [
          {
            deals: [
              { opportunityId: opp.commit, category: 'commit', amount: 1 },
              { opportunityId: opp.commit, category: 'possible', amount: 1 },
            ],
          },
          'deals.1.opportunityId',
        ],
        [{ deals: [{ opportunityId: opp.commit, category: 'commit', amount: -1 }] }, 'deals.0.amount'],
        [{ deals: [{ opportunityId: opp.commit, category: 'commit', amount: 1.5 }] }, 'deals.0.amount'],
        [{ deals: [{ opportunityId: opp.commit, category: 'maybe', amount: 1 }] }, 'deals.0.category'],
        [{ deals: [], period: 'FY2026-Q5' }, 'period'],
        [{ deals: [], period: 'FY2025' }, 'period'],
        [{ deals: [], period: 'FY2026-W60' }, 'period'],
      ];
      const before = (
        await kysely()
          .selectFrom('forecast_submissions')
          .select('id')
          .where('workspace_id', '=', fixture.workspaceId)
          .execute()
      ).length;
      for (const [body, field] of cases) {
        const res = await rep('POST', '/api/v1/forecasts/submissions', body);
        assert.equal(res.statusCode, 400, `${JSON.stringify(body)}: ${res.body}`);
        assert.ok(
          json<{ errors: { field: string }[] }>(res).errors.some((e) => e.field === field),
          `${field} named: ${res.body}`,
        );
      }
      const after = (
        await kysely()
          .selectFrom('forecast_submissions')
          .select('id')
          .where('workspace_id', '=', fixture.workspaceId)
          .execute()
      ).length;
      assert.equal(after, before);
    });

    it("sums the latest submissions next to the funnel's objective figure, week by week", async () => {
      now = T0 + WEEK;
      try {
        const rep = await as('rep');
        const res = await rep('POST', '/api/v1/forecasts/submissions', {
          deals: [{ opportunityId: opp.commit, category: 'commit', amount: 100_000_00 }],
        });
        assert.equal(res.statusCode, 201, res.body);
        const forecastView = json<ForecastView>(
          await (
            await as('manager')
          )('GET', `/api/v1/forecasts?scope=unit:${fixture.units.sales1}&period=FY2026-Q4`),
        );
        assert.equal(forecastView.scope.kind, 'unit');
        assert.equal(forecastView.realised, 30_000_00);
        assert.equal(forecastView.commit, 100_000_00, "the latest week's submission counts");
        assert.equal(forecastView.possible, 0);
        assert.deepEqual(
          forecastView.weeks.map((w) => [w.weekStart, w.commit, w.submissions]),
          [
            ['2026-11-30', 90_000_00, 1],
            ['2026-12-07', 100_000_00, 1],
          ],
        );
        assert.equal(
          forecastView.forecast,
          forecastView.realised +
            70_000_00 +
            Math.round((forecastView.quota * 4 * forecastView.period.weeksLeft) / 100),
        );
        const probs = await kysely()
          .selectFrom('process_stages')
          .select(['id', 'probability'])
          .where('id', 'in', extras.processes.small.stageIds)
          .execute();
        const stageProbability = (index: number) =>
          probs.find((s) => s.id === extras.processes.small.stageIds[index])!.probability;
        // The seeded deal (50,000 at the first stage, closing 31 December) counts too.
        assert.equal(
          forecastView.objective.expectedAmount,
          Math.round(
            (100_000_00 * stageProbability(2) + 50_000_00 * stageProbability(1) + 50_000_00 * stageProbability(0)) /
              100,
          ),
        );
        assert.equal(forecastView.objective.deals, 3);
        // Read from the kept totals, equal to a recount from the deals: the running quarter, and a month and a week of it.
        assert.deepEqual(forecastView.objective, await recountObjective(fixture.units.sales1, null, '2027-01-01'));
        // A running month holds the overdue deals too; a week to come only its own days.
        for (const [period, running] of [
          ['2026-12', true],
          ['FY2026-W51', false],
        ] as const) {
          const view = json<ForecastView>(
            await (
              await as('manager')
            )('GET', `/api/v1/forecasts?scope=unit:${fixture.units.shanghai}&period=${period}`),
          );
          const recount = await recountObjective(
            fixture.units.shanghai,
            running ? null : view.period.start,
            view.period.end,
          );
          assert.ok(recount.deals > 0, `${period} holds deals`);
          assert.deepEqual(view.objective, recount, period);
        }
        assert.equal(forecastView.submitted, 1);
        assert.ok(
          forecastView.people.some(
            (x) => x.userId === fixture.users.rep.id && x.commit === 100_000_00 && x.realised === 30_000_00,
          ),
        );
      } finally {
        now = T0;
      }
    });

    it('shows a rep only their own numbers and a manager their subtree; 403 beyond', async () => {
      const expect = async (who: keyof Fixture['users'], url: string, status: number) => {
        const res = await (await as(who))('GET', url);
        assert.equal(res.statusCode, status, `${who} ${url}: ${res.body}`);
      };
      for (const path of [
        '/api/v1/forecasts',
        '/api/v1/forecasts/gap',
        '/api/v1/forecasts/accuracy',
        '/api/v1/forecasts/submissions',
      ]) {
        await expect('rep', `${path}?scope=user:${fixture.users.rep.id}`, 200);
        await expect('rep', `${path}?scope=user:${fixture.users.rep2.id}`, 403);
        await expect('rep', `${path}?scope=unit:${fixture.units.sales1}`, 403);
        await expect('rep', `${path}?scope=workspace`, 403);
        await expect('manager', `${path}?scope=unit:${fixture.units.sales1}`, 200);
        await expect('manager', `${path}?scope=user:${fixture.users.rep.id}`, 200);
        await expect('manager', `${path}?scope=unit:${fixture.units.sales3}`, 403);
        await expect('manager', `${path}?scope=user:${fixture.users.rep2.id}`, 403);
        await expect('manager', `${path}?scope=workspace`, 403);
        await expect('manager', `${path}?scope=unit:2147483647`, 403);
        await expect('executive', `${path}?scope=workspace`, 200);
        await expect('auditor', path, 403);
        await expect('manager', `${path}?period=FY2026-Q5`, 400);
        await expect('manager', `${path}?period=FY2026-W60`, 400);
      }
      // Without a scope: the rep's own numbers.
      const own = json<ForecastView>(await (await as('rep'))('GET', '/api/v1/forecasts'));
      assert.deepEqual([own.scope.kind, own.scope.id], ['user', fixture.users.rep.id]);
      // A manager's list of submissions holds only their subtree's.
      const other = await (
        await as('rep2')
      )('POST', '/api/v1/forecasts/submissions', {
        deals: [{ opportunityId: opp.other, category: 'commit', amount: 70_000_00 }],
      });
      assert.equal(other.statusCode, 201, other.body);
      const otherId = json<SubmissionDetail>(other).id;
      const list = json<{ items: SubmissionSummary[] }>(
        await (
          await as('manager')
        )('GET', `/api/v1/forecasts/submissions?scope=unit:${fixture.units.shanghai}&history=true`),
      );
      assert.ok(list.items.length > 0 && list.items.every((s) => s.userId === fixture.users.rep.id));
      assert.equal((await (await as('manager'))('GET', `/api/v1/forecasts/submissions/${otherId}`)).statusCode, 404);
      assert.equal((await (await as('rep'))('GET', `/api/v1/forecasts/submissions/${otherId}`)).statusCode, 404);
      assert.equal((await (await as('executive'))('GET', `/api/v1/forecasts/submissions/${otherId}`)).statusCode, 200);
      const wsView = json<ForecastView>(await (await as('executive'))('GET', '/api/v1/forecasts?scope=workspace'));
      assert.equal(wsView.commit, 100_000_00 + 70_000_00);
    });

    it('two managers adjusting a unit at once: one of them gets 409', async () => {
      const m1 = await as('manager');
      const m2 = await as(manager2);
      const url = '/api/v1/forecasts/adjustments';
      const first = await m1('PUT', url, { unitId: fixture.units.shanghai, amount: 150_000_00, note: '保守' });
      assert.equal(first.statusCode, 200, first.body);
      assert.equal(json<Adjustment>(first).version, 1);
      // The second manager read the week without an adjustment: their first one is now stale.
      const late = await m2('PUT', url, { unitId: fixture.units.shanghai, amount: 170_000_00 });
      assert.equal(late.statusCode, 409, late.body);
      assert.equal(json<{ currentVersion: number }>(late).currentVersion, 1);
      // Both read version 1 and send at once: exactly one wins.
      const both = await Promise.all([
        m1('PUT', url, { unitId: fixture.units.shanghai, amount: 160_000_00, version: 1 }),
        m2('PUT', url, { unitId: fixture.units.shanghai, amount: 170_000_00, version: 1 }),
      ]);
      assert.deepEqual(both.map((r) => r.statusCode).sort(), [200, 409]);
      const winner = json<Adjustment>(both.find((r) => r.statusCode === 200)!);
      assert.equal(winner.version, 2);
      const forecastView = json<ForecastView>(
        await m1('GET', `/api/v1/forecasts?scope=unit:${fixture.units.shanghai}`),
      );
      assert.equal(forecastView.adjustment?.amount, winner.amount);
      assert.equal(forecastView.weeks.find((w) => w.weekStart === '2026-11-30')?.adjusted, winner.amount);
      // Who may adjust what.
      assert.equal((await (await as('rep'))('PUT', url, { unitId: fixture.units.sales1, amount: 1 })).statusCode, 403);
      const outside = await m1('PUT', url, { unitId: fixture.units.sales3, amount: 1 });
      assert.equal(outside.statusCode, 400, outside.body);
      assert.equal(json<{ errors: { field: string }[] }>(outside).errors[0]!.field, 'unitId');
      assert.equal(
        (await (await as('executive'))('PUT', url, { unitId: fixture.units.sales3, amount: 1 })).statusCode,
        200,
      );
      assert.equal((await m1('PUT', url, { unitId: fixture.units.sales1, amount: -5 })).statusCode, 400);
    });

    it('measures accuracy per person and per unit, and computes P1–P4 live', async () => {
      const acc = json<AccuracyResponse>(
        await (
          await as('manager')
        )('GET', `/api/v1/forecasts/accuracy?scope=unit:${fixture.units.shanghai}`),
      );
      const repRow = acc.rows.find((r) => r.kind === 'user' && r.id === fixture.users.rep.id)!;
      assert.equal(repRow.actual, 30_000_00);
      assert.ok(repRow.firstForecast !== null && repRow.lastForecast !== null);
      assert.equal(repRow.error, repRow.lastForecast! - 30_000_00);
      assert.deepEqual(
        acc.rows
          .filter((r) => r.kind === 'unit')
          .map((r) => r.id)
          .sort(),
        [fixture.units.sales1, fixture.units.sales2].sort(),
      );
      assert.equal(acc.rows.find((r) => r.kind === 'unit' && r.id === fixture.units.sales1)?.actual, 30_000_00);

      const res = await (await as('rep'))('GET', '/api/v1/forecasts/gap?p1=50');
      assert.equal(res.statusCode, 200, res.body);
      const gapView = json<GapView>(res);
      assert.equal(gapView.finished, 30_000_00);
      assert.equal(gapView.commit, 100_000_00);
      assert.equal(
        gapView.nonCommit,
        50_000_00 + 50_000_00,
        'possible and pipeline deals closing in the period (the seeded one too)',
      );
      assert.equal(gapView.averageDeal, 30_000_00, 'the average won deal');
      assert.deepEqual(gapView.factors, { p1: 50, p2: 25, p3: 20 });
      assert.equal(gapView.gap0, gapView.quota - 30_000_00);
      assert.equal(gapView.gap1, gapView.gap0 - 50_000_00);
      assert.equal(gapView.gap2, gapView.gap1 - 25_000_00);
      assert.equal(gapView.gap3, gapView.gap2 > 0 ? gapView.gap2 * 5 : 0);
      assert.equal(gapView.newAccounts, gapView.gap3 / 30_000_00);
      for (const bad of ['p1=101', 'p3=0', 'p2=-1', 'p1=1.5'])
        assert.equal((await (await as('rep'))('GET', `/api/v1/forecasts/gap?${bad}`)).statusCode, 400, bad);
    });

    it('names the units furthest behind their quota, lowest attainment first', async () => {
      const saved = await (
        await as('admin')
      )('PUT', '/api/v1/quotas', {
        fiscalYear: 2026,
        reason: '年度目标',
        items: [
          { subjectType: 'unit', subjectId: fixture.units.sales1, amount: 400_000_00 },
          { subjectType: 'unit', subjectId: fixture.units.sales2, amount: 800_000_00 },
          { subjectType: 'user', subjectId: fixture.users.rep.id, amount: 300_000_00 },
        ],
      });
      assert.equal(saved.statusCode, 200, saved.body);
      const res = await (
        await as('manager')
      )('GET', `/api/v1/forecasts/behind?scope=unit:${fixture.units.shanghai}&period=FY2026-Q4`);
      assert.equal(res.statusCode, 200, res.body);
      const behindResponse = json<BehindResponse>(res);
      assert.deepEqual(
        behindResponse.items.map((i) => [i.kind, i.id]),
        [
          ['unit', fixture.units.sales2],
          ['unit', fixture.units.sales1],
        ],
        'sales2 has won nothing',
      );
      const s1 = behindResponse.items.find((i) => i.id === fixture.units.sales1)!;
      assert.equal(s1.realised, 30_000_00);
      assert.ok(s1.quota > 0);
      assert.equal(s1.attainment, 30_000_00 / s1.quota);
      // A unit without sub-units: its people with a quota.
      const people = json<BehindResponse>(
        await (
          await as('manager')
        )('GET', `/api/v1/forecasts/behind?scope=unit:${fixture.units.sales1}`),
      );
      // Every quota read at once for the list is the one each scope's own lookup gives.
      const admin = await as('admin');
      for (const scope of ['workspace', `unit:${fixture.units.shanghai}`, `unit:${fixture.units.sales1}`]) {
        const all = json<BehindResponse>(
          await admin('GET', `/api/v1/forecasts/behind?scope=${scope}&period=2026-11&limit=50`),
        );
        assert.ok(all.items.length > 0, scope);
        for (const item of all.items) {
          const figure = json<{ amount: number }>(
            await admin('GET', `/api/v1/quotas/figure?scope=${item.kind}:${item.id}&period=2026-11`),
          );
          assert.equal(item.quota, figure.amount, `${scope}: ${item.kind} ${item.id}`);
        }
      }
      assert.ok(
        people.items.every((i) => i.kind === 'user') && people.items.some((i) => i.id === fixture.users.rep.id),
      );
      assert.equal(
        (await (await as('rep'))('GET', `/api/v1/forecasts/behind?scope=unit:${fixture.units.shanghai}`)).statusCode,
        403,
      );
    });

    it('exports each report with the scope and period it shows, audited, only with the export permission', async () => {
      const admin = await as('admin');
      for (const report of ['forecast', 'accuracy', 'gap', 'analyses']) {
        const res = await admin(
          'GET',
          `/api/v1/forecasts/export?report=${report}&scope=unit:${fixture.units.shanghai}&period=FY2026-Q4&format=csv`,
        );
        assert.equal(res.statusCode, 200, `${report}: ${res.body}`);
        assert.match(res.headers['content-type'] as string, /text\/csv/);
        assert.match(res.body, /上海分公司/);
        assert.match(res.body, /FY2026-Q4/);
      }
      const xlsx = await admin(
        'GET',
        `/api/v1/forecasts/export?report=forecast&scope=unit:${fixture.units.shanghai}&format=xlsx&lang=en-US`,
      );
      assert.equal(xlsx.statusCode, 200);
      assert.equal(xlsx.rawPayload.subarray(0, 2).toString(), 'PK');
      const audit = await kysely()
        .selectFrom('audit_log')
        .select('detail')
        .where('workspace_id', '=', fixture.workspaceId)
        .where('action', '=', 'export.report')
        .execute();
      assert.equal(audit.length, 5);
      assert.equal(JSON.parse(audit[0]!.detail!).period, 'FY2026-Q4');
      assert.equal(
        (await (await as('rep'))('GET', '/api/v1/forecasts/export?report=forecast')).statusCode,
        403,
        'a rep without the export grant',
      );
      await kysely().updateTable('users').set({ can_export: 1 }).where('id', '=', fixture.users.manager.id).execute();
      assert.equal(
        (await (await as('manager'))('GET', `/api/v1/forecasts/export?report=gap&scope=unit:${fixture.units.sales3}`))
          .statusCode,
        403,
        'a scope out of reach',
      );
      assert.equal((await admin('GET', '/api/v1/forecasts/export?report=nothing')).statusCode, 400);
      const all = await admin('GET', '/api/v1/forecasts/export?report=gap&period=all');
      assert.equal(all.statusCode, 400, 'period=all is the funnel’s only');
      assert.equal(json<{ errors: { field: string }[] }>(all).errors[0]!.field, 'query.period');
    });

    it('exports the funnel as shown: scope, process and period, per stage with the expected collections, and the members', async () => {
      const admin = await as('admin');
      const query = `scope=unit:${fixture.units.shanghai}&processId=${extras.processes.small.id}&period=FY2026-Q4`;
      const shown = json<{
        stages: { name: string; count: number; amount: number }[];
        total: { count: number; amount: number };
      }>(await admin('GET', `/api/v1/funnel?${query}`));
      const res = await admin('GET', `/api/v1/forecasts/export?report=funnel&${query}&format=csv&lang=en-US`);
      assert.equal(res.statusCode, 200, res.body);
      // The file opens with a byte-order mark (Excel reads UTF-8 by it).
      const lines = res.body
        .replace(/^\uFEFF/, '')
        .split(/\r?\n/)
        .map((line) => line.split(','));
      assert.ok(lines.some((cells) => cells[0] === 'Scope' && /上海分公司 · /.test(cells[1] ?? '')));
      assert.ok(lines.some((cells) => cells[0] === 'Period' && cells[1] === 'FY2026-Q4'));
      for (const stage of shown.stages)
        assert.deepEqual(
          lines.find((cells) => cells[0] === stage.name)?.slice(2, 4),
          [String(stage.count), String(stage.amount / 100)],
          stage.name,
        );
      assert.deepEqual(lines.find((cells) => cells[0] === 'Total')?.slice(2, 3), [String(shown.total.count)]);
      assert.ok(lines.some((cells) => cells[0] === 'Expected collections'));
      // Every member of the scope, not the API's first page of them.
      const header = lines.findIndex((cells) => cells[0] === 'Person' && cells[1] === 'Unit');
      assert.ok(header > 0);
      const table = json<{ total: number; members: { name: string }[] }>(
        await admin('GET', `/api/v1/funnel/members?${query}&limit=1`),
      );
      const memberLines = lines.slice(header + 1).filter((cells) => cells.length > 1);
      assert.ok(table.total > 1, 'more members than the page asked for');
      assert.equal(memberLines.length, table.total);
      assert.equal(memberLines[0]![0], table.members[0]!.name, 'in the page’s default order');
      const audit = await kysely()
        .selectFrom('audit_log')
        .select('detail')
        .where('workspace_id', '=', fixture.workspaceId)
        .where('action', '=', 'export.report')
        .orderBy('id', 'desc')
        .executeTakeFirstOrThrow();
      assert.equal(JSON.parse(audit.detail!).processId, extras.processes.small.id);
      const every = await admin('GET', `/api/v1/forecasts/export?report=funnel&period=all&format=xlsx`);
      assert.equal(every.statusCode, 200, 'period=all: every open deal');
      await kysely().updateTable('users').set({ can_export: 1 }).where('id', '=', fixture.users.manager.id).execute();
      assert.equal(
        (
          await (
            await as('manager')
          )('GET', `/api/v1/forecasts/export?report=funnel&scope=unit:${fixture.units.sales3}`)
        ).statusCode,
        403,
        'a scope out of reach',
      );
    });
  });
}
