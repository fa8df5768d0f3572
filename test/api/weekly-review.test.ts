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
import type { WeeklyReviewResponse } from '../../src/contracts/rhythm.ts';
import { addDays, dateIn, mondayOf } from '../../src/domain/calendar.ts';
import { generateNotifications } from '../../src/modules/notifications/service.ts';

const DAY = 86_400_000;

/** The 1-15-30 weekly review (docs/rhythm.md § 1-15-30): what is due, for whom, and its records. */
for (const engine of testEngines()) {
  describe(`weekly review [${engine}]`, () => {
    let testApp: TestApp;
    let fixture: Fixture & Extras;
    const NOW = Date.now();
    const today = dateIn(NOW, 'Asia/Shanghai');
    const as = async (who: keyof Fixture['users']) =>
      client(testApp, await sessionCookie(testApp, fixture.workspaceId, fixture.users[who].id));
    const ids: Record<string, number> = {};
    const review = async (who: keyof Fixture['users'], qs = '') => {
      const res = await (await as(who))('GET', `/api/v1/weekly-review${qs}`);
      assert.equal(res.statusCode, 200, res.body);
      return json<WeeklyReviewResponse>(res);
    };

    before(async () => {
      testApp = await createTestApp(engine);
      const base = await seedWorkspace(testApp, 'review');
      fixture = { ...base, ...(await seedExtras(testApp, base)) };
      const opp = async (name: string, daysAgo: number, owner: 'rep' | 'rep2' = 'rep') => {
        const created = NOW - daysAgo * DAY;
        return (
          await testApp.db.kysely
            .insertInto('opportunities')
            .values({
              workspace_id: fixture.workspaceId,
              account_id: owner === 'rep' ? fixture.accounts.repAccount : fixture.accounts.rep2Account,
              name,
              owner_id: fixture.users[owner].id,
              org_unit_id: owner === 'rep' ? fixture.units.sales1 : fixture.units.sales3,
              amount: 10_000_00,
              status: 'open',
              created_at: created,
              updated_at: created,
              version: 1,
            })
            .returning('id')
            .executeTakeFirstOrThrow()
        ).id;
      };
      ids.d16 = await opp('十六天', 16);
      ids.d31 = await opp('三十一天', 31);
      ids.south = await opp('广州项目', 40, 'rep2');
    });
    after(() => testApp.close());

    it('lists the open deals within reach with their checkpoint dates and what is due', async () => {
      const managerReview = await review('manager');
      assert.equal(managerReview.week.start, mondayOf(today));
      const names = managerReview.items.map((i) => i.id).sort((a, b) => a - b);
      assert.deepEqual(
        names,
        [fixture.opportunities.repOpp, ids.d16!, ids.d31!].sort((a, b) => a - b),
        'the Shanghai subtree, not Guangzhou',
      );
      const d31 = managerReview.items.find((i) => i.id === ids.d31)!;
      assert.equal(d31.day30.date, addDays(d31.enteredOn, 30));
      assert.equal(d31.day30.due, true);
      assert.equal(d31.day15.due, true);
      assert.equal(d31.day15.overdue, true, 'its 15-day check was more than a week ago');
      assert.equal(d31.canReview, true);
      const fresh = managerReview.items.find((i) => i.id === fixture.opportunities.repOpp)!;
      assert.equal(fresh.day15.due, false);
      assert.deepEqual(managerReview.counts, { open: 3, day15: 2, day30: 1 });
      assert.deepEqual(
        (await review('manager', '?due=day30')).items.map((i) => i.id),
        [ids.d31],
      );
      assert.equal((await review('manager', '?due=checkpoints')).total, 2);
      assert.deepEqual(
        (await review('rep2')).items.map((i) => i.id),
        [ids.south],
      );
      assert.equal((await review('admin')).total, 4);
      assert.equal((await review('rep', `?ownerId=${fixture.users.rep2.id}`)).total, 0);
      for (const who of ['auditor', 'finance'] as const)
        assert.equal((await (await as(who))('GET', '/api/v1/weekly-review')).statusCode, 403, who);
    });

    it('the 30-day judgement: advanced needs its evidence, disqualified is recorded once; the checkpoint task is done', async () => {
      await generateNotifications(testApp.db, NOW);
      const key = `checkpoint:${ids.d31}:day30`;
      const task = () =>
        testApp.db.kysely.selectFrom('tasks').select('status').where('source_key', '=', key).executeTakeFirstOrThrow();
      assert.equal((await task()).status, 'open');
      const mgr = await as('manager');
      const url = `/api/v1/opportunities/${ids.d31}/checkpoints`;
      const bad: [unknown, string][] = [
        [{ kind: 'day30', outcome: 'advanced' }, 'note'],
        [{ kind: 'day30', outcome: 'advanced', note: '   ' }, 'note'],
        [{ kind: 'day30', outcome: 'reviewed' }, 'outcome'],
        [{ kind: 'day15', outcome: 'disqualified' }, 'outcome'],
        [{ kind: 'day45', outcome: 'reviewed' }, 'kind'],
      ];
      for (const [body, field] of bad) {
        const res = await mgr('POST', url, body);
        assert.equal(res.statusCode, 400, res.body);
        assert.equal(json<{ errors: { field: string }[] }>(res).errors[0]!.field, field);
      }
      const ok = await mgr('POST', url, {
        kind: 'day30',
        outcome: 'advanced',
        note: '客户已确认预算 80 万，进入方案阶段',
      });
      assert.equal(ok.statusCode, 201, ok.body);
      assert.equal((await task()).status, 'done');
      const again = await mgr('POST', url, { kind: 'day30', outcome: 'disqualified' });
      assert.equal(again.statusCode, 409);
      assert.equal(json<{ code: string }>(again).code, 'checkpoint_recorded');
      const d31 = (await review('manager')).items.find((i) => i.id === ids.d31)!;
      assert.equal(d31.day30.due, false);
      assert.equal(d31.day30.done?.outcome, 'advanced');
      assert.equal((await review('manager', '?due=day30')).total, 0);
    });

    it("a checkpoint not yet come is refused naming it; the weekly look is per week; only the deal's leaders record", async () => {
      const early = await (
        await as('rep')
      )('POST', `/api/v1/opportunities/${fixture.opportunities.repOpp}/checkpoints`, {
        kind: 'day30',
        outcome: 'disqualified',
      });
      assert.equal(early.statusCode, 400);
      const error = json<{ errors: { field: string; code: string; params: { date: string } }[] }>(early).errors[0]!;
      assert.deepEqual([error.field, error.code], ['kind', 'checkpoint_not_due']);
      const weekly = await (
        await as('rep')
      )('POST', `/api/v1/opportunities/${ids.d16}/checkpoints`, {
        kind: 'weekly',
        outcome: 'reviewed',
        note: '本周完成需求调研',
      });
      assert.equal(weekly.statusCode, 201, weekly.body);
      assert.equal((await review('rep')).items.find((i) => i.id === ids.d16)!.weekly.done?.note, '本周完成需求调研');
      assert.equal(
        (await review('rep', `?week=${addDays(today, 7)}`)).items.find((i) => i.id === ids.d16)!.weekly.done,
        null,
        'next week is a new look',
      );
      assert.equal(
        (
          await (
            await as('rep2')
          )('POST', `/api/v1/opportunities/${ids.d16}/checkpoints`, { kind: 'day15', outcome: 'reviewed' })
        ).statusCode,
        404,
      );
      assert.equal(
        (
          await (
            await as('executive')
          )('POST', `/api/v1/opportunities/${ids.d16}/checkpoints`, { kind: 'day15', outcome: 'reviewed' })
        ).statusCode,
        403,
      );
    });
  });
}
