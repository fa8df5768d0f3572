import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { testEngines } from '../helpers/db.ts';
import { json, type Fixture } from '../helpers/app.ts';
import { forecastWorld, T0, WEEK, type ForecastWorld } from '../helpers/forecast-world.ts';
import type {
  AccuracyResponse,
  Adjustment,
  DraftResponse,
  ForecastView,
  GapView,
  SubmissionDetail,
  SubmissionSummary,
} from '../../src/contracts/forecasts.ts';

/**
 * The revenue forecast's weekly story (docs/targets.md § Revenue forecast, § Gap analysis P1–P4):
 * weekly submissions replaced with history kept, the forecast view week by week, each scoped by
 * the caller's reach, managers' adjustments with optimistic concurrency, then accuracy and the live
 * gap measured on the submissions made. The tests run in order: each reads what the ones before
 * submitted. The clock is fixed on Wednesday 2 December 2026 (Shanghai): FY2026-Q4 has weeks to run.
 */
for (const engine of testEngines()) {
  describe(`forecasts: submissions, the view, adjustments and accuracy [${engine}]`, () => {
    let testApp: ForecastWorld['testApp'];
    let fixture: ForecastWorld['fixture'];
    let extras: ForecastWorld['extras'];
    let now = T0;
    let as: ForecastWorld['as'];
    let manager2: ForecastWorld['manager2'];
    let recountObjective: ForecastWorld['recountObjective'];
    let opp: ForecastWorld['opp'];
    const kysely = () => testApp.db.kysely;

    before(async () => {
      ({ testApp, fixture, extras, as, manager2, recountObjective, opp } = await forecastWorld(engine, () => now));
    });
    after(() => testApp.close());

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
  });
}
