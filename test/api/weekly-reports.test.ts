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
  type Extras,
  type Fixture,
  type TestApp,
} from '../helpers/app.ts';
import type { TeamReportsResponse, WeeklyReport } from '../../src/contracts/rhythm.ts';
import { dateIn, mondayOf } from '../../src/domain/calendar.ts';

/** Weekly plan and summary (docs/rhythm.md § Weekly plan and summary): writing, reading by reach, comments, who has not submitted. */
for (const engine of testEngines()) {
  describe(`weekly plans and summaries [${engine}]`, () => {
    let testApp: TestApp;
    let fixture: Fixture & Extras;
    const week = mondayOf(dateIn(Date.now(), 'Asia/Shanghai'));
    const as = async (who: keyof Fixture['users']) =>
      client(testApp, await sessionCookie(testApp, fixture.workspaceId, fixture.users[who].id));
    let report: WeeklyReport;

    before(async () => {
      testApp = await createTestApp(engine);
      const base = await seedWorkspace(testApp, 'weekly');
      fixture = { ...base, ...(await seedExtras(testApp, base)) };
    });
    after(() => testApp.close());

    it("a rep writes and submits the plan, naming a deal they see; another's deal is refused naming it", async () => {
      const rep = await as('rep');
      const bad = await rep('PUT', '/api/v1/weekly-reports/plan', {
        week,
        version: 0,
        visits: 'x',
        deals: [{ opportunityId: fixture.opportunities.repOpp }, { opportunityId: 999_999 }],
      });
      assert.equal(bad.statusCode, 400);
      assert.equal(json<{ errors: { field: string }[] }>(bad).errors[0]!.field, 'deals.1.opportunityId');
      const res = await rep('PUT', '/api/v1/weekly-reports/plan', {
        week,
        version: 0,
        visits: '拜访华为采购部',
        targets: '签约 MES 一期',
        deals: [{ opportunityId: fixture.opportunities.repOpp, note: '推进到方案' }],
        submit: true,
      });
      assert.equal(res.statusCode, 200, res.body);
      report = json<WeeklyReport>(res);
      assert.equal(report.weekStart, week);
      assert.ok(report.planSubmittedAt);
      assert.equal(report.plan.deals[0]!.name, 'MES 一期');
      assert.equal(
        (await rep('PUT', '/api/v1/weekly-reports/plan', { week, version: 0, visits: 'again' })).statusCode,
        409,
        'a second new report of the week is stale',
      );
    });

    it('a summary problem without a proposed solution is refused naming it, and nothing is saved', async () => {
      const rep = await as('rep');
      const bad = await rep('PUT', '/api/v1/weekly-reports/summary', {
        week,
        version: report.version,
        done: '拜访 3 次',
        problems: [{ problem: '预算冻结', solution: '分两期签约' }, { problem: '竞品低价' }],
        submit: true,
      });
      assert.equal(bad.statusCode, 400);
      const error = json<{ errors: { field: string; code: string }[] }>(bad).errors[0]!;
      assert.deepEqual([error.field, error.code], ['problems.1.solution', 'solution_required']);
      const blank = await rep('PUT', '/api/v1/weekly-reports/summary', {
        week,
        version: report.version,
        problems: [{ problem: '竞品低价', solution: '  ' }],
      });
      assert.equal(blank.statusCode, 400);
      const still = json<WeeklyReport>(await rep('GET', `/api/v1/weekly-reports?week=${week}`));
      assert.equal(still.summary.done, null);
      assert.equal(still.version, report.version);
      const ok = await rep('PUT', '/api/v1/weekly-reports/summary', {
        week,
        version: report.version,
        done: '拜访 3 次',
        problems: [{ problem: '竞品低价', solution: '突出本地服务' }],
        help: '需要技术支持',
        submit: true,
      });
      assert.equal(ok.statusCode, 200, ok.body);
      report = json<WeeklyReport>(ok);
      assert.deepEqual(report.summary.problems, [{ problem: '竞品低价', solution: '突出本地服务' }]);
      assert.ok(report.summarySubmittedAt);
    });

    it("the manager over the rep reads and comments; a colleague and another branch's manager do not", async () => {
      const mgr = await as('manager');
      const read = json<WeeklyReport>(
        await mgr('GET', `/api/v1/weekly-reports?week=${week}&userId=${fixture.users.rep.id}`),
      );
      assert.equal(read.id, report.id);
      assert.deepEqual(read.permissions, { edit: false, comment: true });
      const commentRes = await mgr('POST', `/api/v1/weekly-reports/${report.id}/comments`, {
        body: '竞品的报价单发我看看',
      });
      assert.equal(commentRes.statusCode, 201, commentRes.body);
      assert.equal(json<WeeklyReport>(commentRes).comments[0]!.body, '竞品的报价单发我看看');
      assert.equal(
        (await (await as('rep2'))('GET', `/api/v1/weekly-reports?week=${week}&userId=${fixture.users.rep.id}`))
          .statusCode,
        404,
      );
      assert.equal(
        (await (await as('rep2'))('POST', `/api/v1/weekly-reports/${report.id}/comments`, { body: 'x' })).statusCode,
        404,
      );
      assert.equal(
        (await (await as('rep'))('POST', `/api/v1/weekly-reports/${report.id}/comments`, { body: 'x' })).statusCode,
        403,
        "not on one's own",
      );
      assert.equal(
        (await (await as('executive'))('GET', `/api/v1/weekly-reports?week=${week}&userId=${fixture.users.rep.id}`))
          .statusCode,
        200,
      );
    });

    it('who has not submitted: the reps within reach, with what each handed in', async () => {
      const team = json<TeamReportsResponse>(
        await (
          await as('manager')
        )('GET', `/api/v1/weekly-reports/team?week=${week}`),
      );
      assert.deepEqual(
        team.items.map((i) => i.user.id),
        [fixture.users.rep.id],
        "Shanghai's reps; rep2 is in Guangzhou",
      );
      assert.equal(team.missing.plan, 0);
      const all = json<TeamReportsResponse>(
        await (
          await as('admin')
        )('GET', `/api/v1/weekly-reports/team?week=${week}`),
      );
      assert.deepEqual(all.items.map((i) => i.user.id).sort(), [fixture.users.rep.id, fixture.users.rep2.id].sort());
      assert.deepEqual(all.missing, { plan: 1, summary: 1 });
      const mine = all.items.find((i) => i.user.id === fixture.users.rep.id)!;
      assert.equal(mine.problems, 1);
      assert.equal(mine.comments, 1);
      assert.equal((await (await as('finance'))('GET', '/api/v1/weekly-reports/team')).statusCode, 403);
    });
  });
}
