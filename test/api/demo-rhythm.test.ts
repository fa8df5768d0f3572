import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { testEngines } from '../helpers/db.ts';
import { client, createTestApp, json, sessionCookie, type TestApp } from '../helpers/app.ts';
import { loadDemo } from '../../src/demo/load.ts';
import { addDays, dateIn, mondayOf } from '../../src/domain/calendar.ts';
import type { ComplianceResponse } from '../../src/contracts/activities.ts';
import type { CalendarResponse } from '../../src/contracts/calendar.ts';
import type { TaskListResponse } from '../../src/contracts/tasks.ts';
import type { TeamReportsResponse, WeeklyReport } from '../../src/contracts/rhythm.ts';

/**
 * The demo's follow-up rhythm (src/demo/activities.ts, docs/rhythm.md): a year of activities
 * behind every account's last follow-up, a cadence that is mostly on time with some overdue,
 * reviewed visit plans whose next steps are tasks, planned visits ahead, something due today on
 * every seller's desk, and the older deals' 15- and 30-day checkpoints recorded.
 */
for (const engine of testEngines()) {
  describe(`demo rhythm [${engine}]`, () => {
    let testApp: TestApp;
    let workspaceId: number;
    const kysely = () => testApp.db.kysely;
    const asEmail = async (email: string) => {
      const user = await kysely().selectFrom('users').select('id').where('email', '=', email).executeTakeFirstOrThrow();
      return client(testApp, await sessionCookie(testApp, workspaceId, user.id));
    };
    before(async () => {
      testApp = await createTestApp(engine);
      workspaceId = (await loadDemo(testApp.db, { force: true })).workspaceId;
    });
    after(() => testApp.close());

    it("each account's last follow-up is its newest qualifying activity, and most activities count", async () => {
      const accounts = await kysely()
        .selectFrom('accounts')
        .leftJoin('activities', (join) =>
          join
            .onRef('activities.account_id', '=', 'accounts.id')
            .on('activities.status', '=', 'done')
            .on('activities.type', 'in', ['visit', 'call', 'meeting', 'demo', 'technical_exchange']),
        )
        .select([
          'accounts.id',
          'accounts.last_follow_up_at',
          (eb) => eb.fn.max('activities.start_at').as('newest'),
          (eb) => eb.fn.count('activities.id').as('n'),
        ])
        .where('accounts.workspace_id', '=', workspaceId)
        .groupBy(['accounts.id', 'accounts.last_follow_up_at'])
        .execute();
      const withActivities = accounts.filter((a) => Number(a.n) > 0);
      assert.ok(withActivities.length > accounts.length / 2, `${withActivities.length}/${accounts.length} accounts`);
      for (const account of withActivities)
        assert.equal(Number(account.last_follow_up_at), Number(account.newest), `account ${account.id}`);
      const types = await kysely()
        .selectFrom('activities')
        .select(['type', (eb) => eb.fn.countAll().as('n')])
        .where('workspace_id', '=', workspaceId)
        .groupBy('type')
        .execute();
      const count = (type: string) => Number(types.find((t) => t.type === type)?.n ?? 0);
      const total = types.reduce((sum, t) => sum + Number(t.n), 0);
      assert.ok(total > 3000, `a year of activities: ${total}`);
      assert.ok(count('visit') > count('email') && count('call') > 0 && count('wechat') > 0);
    });

    it('the cadence tells a story: most accounts on time, some overdue', async () => {
      const manager = await asEmail('manager@demo.keyline.dev');
      const res = await manager('GET', '/api/v1/cadence/compliance');
      assert.equal(res.statusCode, 200, res.body);
      const { totals } = json<ComplianceResponse>(res);
      assert.ok(totals.accounts > 0);
      assert.ok(totals.onTime > totals.overdue, JSON.stringify(totals));
      assert.ok(totals.overdue > 0, JSON.stringify(totals));
    });

    it('reviewed visit plans with next steps as tasks, and planned visits ahead', async () => {
      const plans = await kysely()
        .selectFrom('visit_plans')
        .select(['review', 'achieved', 'partly', 'missed', 'objective_count'])
        .where('workspace_id', '=', workspaceId)
        .execute();
      const reviewed = plans.filter((p) => p.review !== null);
      assert.ok(reviewed.length > 20, `${reviewed.length} reviews`);
      for (const plan of reviewed)
        assert.equal(Number(plan.achieved) + Number(plan.partly) + Number(plan.missed), plan.objective_count);
      assert.ok(reviewed.some((p) => Number(p.missed) > 0) && reviewed.some((p) => Number(p.achieved) > 0));
      const reviewTasks = await kysely()
        .selectFrom('tasks')
        .select('status')
        .where('workspace_id', '=', workspaceId)
        .where('source', '=', 'visit_review')
        .execute();
      assert.ok(reviewTasks.some((t) => t.status === 'done') && reviewTasks.some((t) => t.status === 'open'));
      const now = Date.now();
      const ahead = await kysely()
        .selectFrom('activities')
        .select((eb) => eb.fn.countAll().as('n'))
        .where('workspace_id', '=', workspaceId)
        .where('status', '=', 'planned')
        .where('start_at', '>', now)
        .executeTakeFirstOrThrow();
      assert.ok(Number(ahead.n) > 20, `${ahead.n} planned visits ahead`);
    });

    it("every active seller has a task due today, and the demo rep's week has visits and tasks on the calendar", async () => {
      const today = dateIn(Date.now(), 'Asia/Shanghai');
      const sellers = await kysely()
        .selectFrom('users')
        .select('id')
        .where('workspace_id', '=', workspaceId)
        .where('active', '=', 1)
        .where('role', 'in', ['rep', 'manager'])
        .execute();
      const dueToday = new Set(
        (
          await kysely()
            .selectFrom('tasks')
            .select('assignee_id')
            .where('workspace_id', '=', workspaceId)
            .where('due_date', '=', today)
            .where('status', '=', 'open')
            .execute()
        ).map((t) => t.assignee_id),
      );
      for (const seller of sellers) assert.ok(dueToday.has(seller.id), `user ${seller.id} has a task due today`);
      const rep = await asEmail('rep@demo.keyline.dev');
      const tasks = json<TaskListResponse>(await rep('GET', '/api/v1/tasks?due=today'));
      assert.ok(tasks.total >= 1);
      const week = json<CalendarResponse>(await rep('GET', `/api/v1/calendar?from=${today}&days=14`));
      assert.ok(week.entries.some((e) => e.kind === 'task'));
      assert.ok(
        week.entries.some((e) => e.kind === 'activity'),
        'the demo rep has visits planned',
      );
    });

    it("the older open deals' 15-day checks and 30-day judgements are recorded, with evidence", async () => {
      const reviews = await kysely()
        .selectFrom('checkpoint_reviews')
        .select(['kind', 'outcome', 'note'])
        .where('workspace_id', '=', workspaceId)
        .execute();
      const judged = reviews.filter((r) => r.kind === 'day30');
      assert.ok(judged.length > 10, `${judged.length} judgements`);
      assert.ok(judged.every((r) => r.outcome === 'advanced' && r.note));
      assert.ok(reviews.some((r) => r.kind === 'day15') && reviews.some((r) => r.kind === 'weekly'));
    });

    it('weekly plans and summaries of past weeks, problems with solutions, comments, and this week two reps behind', async () => {
      const thisWeek = mondayOf(dateIn(Date.now(), 'Asia/Shanghai'));
      const lastWeek = addDays(thisWeek, -7);
      const manager = await asEmail('manager@demo.keyline.dev');
      const now = json<TeamReportsResponse>(await manager('GET', `/api/v1/weekly-reports/team?week=${thisWeek}`));
      assert.equal(now.week.start, thisWeek);
      assert.ok(now.items.length >= 3, `${now.items.length} reps`);
      const behind = now.items.filter((i) => i.planSubmittedAt === null).map((i) => i.user.name);
      assert.ok(behind.includes('王芳') && behind.length >= 2 && behind.length < now.items.length, behind.join());
      const before = json<TeamReportsResponse>(await manager('GET', `/api/v1/weekly-reports/team?week=${lastWeek}`));
      assert.ok(before.items.every((i) => i.planSubmittedAt !== null));
      assert.ok(before.items.filter((i) => i.summarySubmittedAt !== null).length > before.items.length / 2);
      // Submitted in the workspace's week: the plan on or after its Monday, the summary before the next one.
      const plan = await kysely()
        .selectFrom('weekly_reports')
        .select(['week_start', 'plan_submitted_at', 'summary_submitted_at', 'summary_problems'])
        .where('workspace_id', '=', workspaceId)
        .execute();
      const weeks = new Set(plan.map((r) => r.week_start));
      assert.ok(weeks.size >= 5, `${weeks.size} weeks`);
      for (const row of plan) {
        assert.equal(row.week_start, mondayOf(row.week_start));
        if (row.summary_submitted_at !== null)
          assert.equal(mondayOf(dateIn(Number(row.summary_submitted_at), 'Asia/Shanghai')), row.week_start);
        for (const problem of JSON.parse(row.summary_problems) as { problem: string; solution: string }[])
          assert.ok(problem.problem && problem.solution, JSON.stringify(problem));
      }
      assert.ok(plan.some((r) => (JSON.parse(r.summary_problems) as unknown[]).length > 0));
      // The rep reads last week's summary with her manager's comment when there is one; someone's has one.
      const rep = await asEmail('rep@demo.keyline.dev');
      const mine = json<WeeklyReport>(await rep('GET', `/api/v1/weekly-reports?week=${lastWeek}`));
      assert.ok(mine.planSubmittedAt !== null && mine.plan.targets);
      const draft = json<WeeklyReport>(await rep('GET', `/api/v1/weekly-reports?week=${thisWeek}`));
      assert.ok(draft.id !== null && draft.planSubmittedAt === null, 'this week: a draft plan');
      const commented = before.items.concat(now.items).filter((i) => i.comments > 0);
      const earlier = await Promise.all(
        [2, 3, 4].map((weeksAgo) =>
          manager('GET', `/api/v1/weekly-reports/team?week=${addDays(thisWeek, -7 * weeksAgo)}`).then(
            (res) => json<TeamReportsResponse>(res).items,
          ),
        ),
      );
      assert.ok(commented.length + earlier.flat().filter((i) => i.comments > 0).length >= 3, 'managers comment');
    });
  });
}
