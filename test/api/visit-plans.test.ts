import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { testEngines } from '../helpers/db.ts';
import {
  client,
  createTestApp,
  json,
  seedWorkspace,
  sessionCookie,
  type Call,
  type Fixture,
  type TestApp,
} from '../helpers/app.ts';
import type {
  ActivityDetail,
  CadenceAccount,
  ComplianceResponse,
  PlanSummaryRow,
  VisitPlanInput,
} from '../../src/contracts/activities.ts';
import { DUE_SOON_DAYS } from '../../src/contracts/activities.ts';
import { followUpDueAt } from '../../src/domain/cadence.ts';
import { loadSettings } from '../../src/modules/workspace/service.ts';

const DAY = 86_400_000;
const HOUR = 3_600_000;

/** Visit plans and reviews, plan versus result, and the cadence supervision view (docs/rhythm.md). */
for (const engine of testEngines()) {
  describe(`visit plans, reviews and cadence [${engine}]`, () => {
    let testApp: TestApp;
    let fixture: Fixture;
    let as: (who: keyof Fixture['users']) => Promise<Call>;
    const NOW = Date.now();
    const kysely = () => testApp.db.kysely;
    const plan: VisitPlanInput = {
      objectives: [{ text: '确认二期预算' }, { text: '约技术负责人演示' }],
      bestTime: '工作日上午，正式会面',
      objections: [{ objection: '价格比竞品高', answer: '三年总成本更低' }],
      materials: '案例集、报价单',
      openIssues: '上次遗留的接口问题',
      spin: {
        situation: ['现在用什么系统排产？'],
        problem: ['换线要多久？'],
        implication: ['交期延误的代价？'],
        needPayoff: ['缩短一半换线时间值多少？'],
      },
      fab: [{ feature: '实时采集', advantage: '无需人工录入', benefit: '每月少加班 40 小时' }],
    };

    before(async () => {
      testApp = await createTestApp(engine);
      fixture = await seedWorkspace(testApp, 'plans');
      as = async (who) => client(testApp, await sessionCookie(testApp, fixture.workspaceId, fixture.users[who].id));
    });
    after(() => testApp.close());

    const fields = (res: { body: string }) =>
      (JSON.parse(res.body) as { errors?: { field: string; code: string }[] }).errors?.map(
        (e) => `${e.field}:${e.code}`,
      );
    async function planVisit(who: keyof Fixture['users'], startAt: number, ownerId?: number) {
      const res = await (
        await as(who)
      )('POST', `/api/v1/accounts/${fixture.accounts.repAccount}/activities`, {
        type: 'visit',
        status: 'planned',
        startAt,
        subject: '二期推进',
        plan,
        ...(ownerId ? { ownerId } : {}),
      });
      assert.equal(res.statusCode, 201, res.body);
      return json<ActivityDetail>(res);
    }

    it('a rep plans a visit and reviews it against the plan; next steps become tasks; the visit counts as done', async () => {
      const future = await planVisit('rep', NOW + DAY);
      assert.equal(future.plan?.objectives.length, 2);
      assert.equal(future.plan?.fab[0]?.benefit, '每月少加班 40 小时');
      assert.equal(future.permissions.review, true);
      const rep = await as('rep');
      const review = {
        objectives: [{ result: 'achieved' }, { result: 'partly', note: '技术负责人出差' }],
        customerView: '认可方案',
        nextSteps: [{ title: '发送报价', dueDate: '2027-01-10' }],
      };
      let res = await rep('PUT', `/api/v1/activities/${future.id}/review`, { version: future.version, review });
      assert.equal(res.statusCode, 400, 'not happened yet');
      assert.deepEqual(fields(res), ['review:in_future']);

      const visit = await planVisit('rep', NOW - 2 * HOUR);
      res = await rep('PUT', `/api/v1/activities/${visit.id}/review`, {
        version: visit.version,
        review: { objectives: [{ result: 'achieved' }] },
      });
      assert.deepEqual(fields(res), ['review.objectives:objectives_mismatch']);
      res = await rep('PUT', `/api/v1/activities/${visit.id}/review`, {
        version: visit.version,
        review: { objectives: [{ result: 'achieved' }, { result: 'not' }] },
      });
      assert.deepEqual(fields(res), ['review.objectives.1.note:required'], 'why not');
      res = await (
        await as('rep2')
      )('PUT', `/api/v1/activities/${visit.id}/review`, { version: visit.version, review });
      assert.equal(res.statusCode, 404, 'out of sight');
      res = await rep('PUT', `/api/v1/activities/${visit.id}/review`, { version: visit.version, review });
      assert.equal(res.statusCode, 200, res.body);
      const done = json<ActivityDetail>(res);
      assert.equal(done.status, 'done');
      assert.deepEqual(done.planResult, { objectives: 2, achieved: 1, partly: 1, missed: 0 });
      const taskId = done.review?.nextSteps[0]?.taskId;
      assert.ok(taskId);
      const task = await kysely().selectFrom('tasks').selectAll().where('id', '=', taskId).executeTakeFirstOrThrow();
      assert.deepEqual(
        [task.title, task.assignee_id, task.source, task.activity_id, task.account_id],
        ['发送报价', fixture.users.rep.id, 'visit_review', visit.id, fixture.accounts.repAccount],
      );
      const acc = await kysely()
        .selectFrom('accounts')
        .select('last_follow_up_at')
        .where('id', '=', fixture.accounts.repAccount)
        .executeTakeFirstOrThrow();
      assert.equal(Number(acc.last_follow_up_at), NOW - 2 * HOUR, 'the reviewed visit is a follow-up');
      res = await rep('PUT', `/api/v1/activities/${visit.id}/review`, { version: done.version, review });
      assert.equal(res.statusCode, 409, 'reviewed once');
      res = await rep('PUT', `/api/v1/activities/${visit.id}/plan`, { version: done.version, plan });
      assert.equal(res.statusCode, 409, 'the plan stays what it was measured against');
    });

    it('a visit someone else planned is reviewed by them or their manager, not by its owner (403)', async () => {
      const visit = await planVisit('manager', NOW - HOUR, fixture.users.rep.id);
      assert.equal(visit.ownerId, fixture.users.rep.id);
      assert.equal(visit.plannedBy, fixture.users.manager.id);
      const review = { objectives: [{ result: 'achieved' }, { result: 'achieved' }] };
      const res = await (
        await as('rep')
      )('PUT', `/api/v1/activities/${visit.id}/review`, { version: visit.version, review });
      assert.equal(res.statusCode, 403, res.body);
      assert.equal(
        (
          await kysely()
            .selectFrom('visit_plans')
            .select('reviewed_at')
            .where('activity_id', '=', visit.id)
            .executeTakeFirstOrThrow()
        ).reviewed_at,
        null,
        'nothing saved',
      );
      const ok = await (
        await as('manager')
      )('PUT', `/api/v1/activities/${visit.id}/review`, { version: visit.version, review });
      assert.equal(ok.statusCode, 200, ok.body);
      // A rep's own plan: their manager may review it too.
      const own = await planVisit('rep', NOW - HOUR);
      const byManager = await (
        await as('manager')
      )('PUT', `/api/v1/activities/${own.id}/review`, { version: own.version, review });
      assert.equal(byManager.statusCode, 200, byManager.body);
    });

    it('managers see plan versus result per rep; reps do not', async () => {
      const res = await (await as('manager'))('GET', '/api/v1/visit-plans/summary');
      assert.equal(res.statusCode, 200, res.body);
      const rep = json<{ items: PlanSummaryRow[] }>(res).items.find((r) => r.userId === fixture.users.rep.id);
      assert.deepEqual(rep && { ...rep, userName: '' }, {
        userId: fixture.users.rep.id,
        userName: '',
        planned: 4,
        reviewed: 3,
        objectives: 6,
        achieved: 5,
        partly: 1,
        missed: 0,
      });
      const list = await (
        await as('manager')
      )('GET', `/api/v1/activities?planned=true&ownerId=${fixture.users.rep.id}`);
      assert.equal(json<{ total: number }>(list).total, 4);
      assert.equal((await (await as('rep'))('GET', '/api/v1/visit-plans/summary')).statusCode, 403);
    });

    it('the supervision view counts cadence per rep in SQL, and drills down to the accounts', async () => {
      const acc = async (
        name: string,
        tier: 'A' | 'B' | 'C',
        daysAgo: number | null,
        ownerId = fixture.users.rep2.id,
      ) =>
        (
          await kysely()
            .insertInto('accounts')
            .values({
              workspace_id: fixture.workspaceId,
              name,
              name_key: name,
              owner_id: ownerId,
              org_unit_id: fixture.units.sales3,
              tier,
              tier_computed: tier,
              last_follow_up_at: daysAgo === null ? null : NOW - daysAgo * DAY,
              created_at: NOW - 400 * DAY,
              updated_at: NOW,
              version: 1,
            })
            .returning('id')
            .executeTakeFirstOrThrow()
        ).id;
      const ids = {
        aLate: await acc('A 逾期', 'A', 8),
        aSoon: await acc('A 即将到期', 'A', 2),
        bOk: await acc('B 正常', 'B', 1),
        cNever: await acc('C 从未跟进', 'C', null),
      };
      const admin = await as('admin');
      const res = await admin('GET', `/api/v1/cadence/compliance?orgUnitId=${fixture.units.south}`);
      assert.equal(res.statusCode, 200, res.body);
      const body = json<ComplianceResponse>(res);
      const row = body.items.find((r) => r.userId === fixture.users.rep2.id)!;
      // rep2 also owns the fixture's account, created now: on time, due in 30 days.
      assert.deepEqual([row.accounts, row.overdue, row.dueSoon, row.onTime], [5, 2, 1, 3]);
      assert.equal(row.compliance, 60);
      assert.deepEqual(
        body.items.map((r) => r.userId),
        [fixture.users.rep2.id],
        'only the south unit',
      );
      // The Shanghai manager does not see the south.
      const complianceResponse = json<ComplianceResponse>(
        await (
          await as('manager')
        )('GET', '/api/v1/cadence/compliance'),
      );
      assert.ok(!complianceResponse.items.some((r) => r.userId === fixture.users.rep2.id));
      const drill = async (qs: string) =>
        json<{ items: CadenceAccount[] }>(
          await admin('GET', `/api/v1/cadence/accounts?ownerId=${fixture.users.rep2.id}&${qs}`),
        ).items.map((i) => i.id);
      assert.deepEqual((await drill('state=overdue')).sort(), [ids.aLate, ids.cNever].sort());
      assert.deepEqual(await drill('state=due_soon'), [ids.aSoon]);
      assert.ok((await drill('state=on_time')).includes(ids.bOk));
      assert.equal((await (await as('rep'))('GET', '/api/v1/cadence/compliance')).statusCode, 403);
      const mine = json<{ items: CadenceAccount[] }>(
        await (
          await as('rep2')
        )('GET', '/api/v1/cadence/accounts?mine=true&state=overdue'),
      );
      assert.deepEqual(
        mine.items.map((i) => i.id),
        [ids.cNever, ids.aLate],
        'soonest due first: the longest overdue',
      );
    });

    it('the supervision view equals a recount of the accounts, for every scope and unit filter', async () => {
      // Accounts of every kind the view must count or skip: tiers, clocks (never followed up,
      // overdue, due soon, on time; half a day from any boundary), in the pool, archived,
      // without an owner, in units across both regions, owned by reps of either region.
      const owners = [fixture.users.rep.id, fixture.users.rep2.id, fixture.users.manager.id, null];
      const units = [fixture.units.sales1, fixture.units.sales2, fixture.units.sales3, fixture.units.shanghai];
      const tiers = ['A', 'B', 'C'] as const;
      const daysAgo = [null, 0.5, 3.5, 6.5, 10.5, 14.5, 20.5, 29.5, 45.5];
      for (let i = 0; i < 72; i++) {
        const owner = owners[i % owners.length]!;
        const inPool = owner === null || i % 11 === 0 ? 1 : 0;
        await kysely()
          .insertInto('accounts')
          .values({
            workspace_id: fixture.workspaceId,
            name: `复核 ${i}`,
            name_key: `复核 ${i}`,
            owner_id: inPool ? null : owner,
            org_unit_id: units[(i * 7) % units.length]!,
            tier: tiers[i % 3]!,
            tier_computed: tiers[i % 3]!,
            in_pool: inPool,
            pool_since: inPool ? NOW : null,
            archived_at: i % 13 === 5 ? NOW : null,
            last_follow_up_at: daysAgo[i % daysAgo.length] === null ? null : NOW - daysAgo[i % daysAgo.length]! * DAY,
            created_at: NOW - (i % 2 ? 3.5 : 90.5) * DAY,
            updated_at: NOW,
            version: 1,
          })
          .execute();
      }
      const settings = await loadSettings(kysely(), fixture.workspaceId);
      const rows = await kysely()
        .selectFrom('accounts')
        .innerJoin('org_units', 'org_units.id', 'accounts.org_unit_id')
        .leftJoin('users', 'users.id', 'accounts.owner_id')
        .leftJoin('org_units as owner_unit', 'owner_unit.id', 'users.org_unit_id')
        .select([
          'accounts.owner_id',
          'accounts.tier',
          'accounts.in_pool',
          'accounts.archived_at',
          'accounts.last_follow_up_at',
          'accounts.created_at',
          'org_units.path as account_path',
          'owner_unit.path as owner_path',
        ])
        .where('accounts.workspace_id', '=', fixture.workspaceId)
        .execute();
      const pathOf = async (unitId: number) =>
        (await kysely().selectFrom('org_units').select('path').where('id', '=', unitId).executeTakeFirstOrThrow()).path;
      // The recount, row by row in JS: per owner, the active accounts outside the pool within reach.
      const recount = (reach: string, ownerUnder: string | null) => {
        const now = Date.now();
        const perOwner = new Map<number, [number, number, number]>();
        for (const row of rows) {
          if (row.owner_id === null || row.in_pool || row.archived_at !== null) continue;
          if (!row.account_path.startsWith(reach)) continue;
          if (ownerUnder !== null && !row.owner_path?.startsWith(ownerUnder)) continue;
          const due = followUpDueAt(
            row.last_follow_up_at === null ? null : Number(row.last_follow_up_at),
            Number(row.created_at),
            row.tier as 'A' | 'B' | 'C',
            settings,
          );
          const counts = perOwner.get(row.owner_id) ?? [0, 0, 0];
          counts[0]++;
          if (due < now) counts[1]++;
          else if (due < now + DUE_SOON_DAYS * DAY) counts[2]++;
          perOwner.set(row.owner_id, counts);
        }
        return [...perOwner].map(([userId, [accounts, overdue, dueSoon]]) => ({ userId, accounts, overdue, dueSoon }));
      };
      const viewed = async (who: 'admin' | 'manager', query = '') =>
        json<ComplianceResponse>(await (await as(who))('GET', `/api/v1/cadence/compliance${query}`)).items.map(
          (row) => ({ userId: row.userId, accounts: row.accounts, overdue: row.overdue, dueSoon: row.dueSoon }),
        );
      const byUser = (list: { userId: number }[]) => [...list].sort((a, b) => a.userId - b.userId);
      const root = await pathOf(fixture.units.root);
      const shanghai = await pathOf(fixture.units.shanghai);
      const south = await pathOf(fixture.units.south);
      const whole = recount(root, null);
      assert.ok(whole.length >= 3 && whole.every((row) => row.accounts > 0), 'several owners are counted');
      assert.ok(whole.some((row) => row.overdue > 0) && whole.some((row) => row.dueSoon > 0));
      assert.deepEqual(byUser(await viewed('admin')), byUser(whole), 'the whole company');
      assert.deepEqual(
        byUser(await viewed('admin', `?orgUnitId=${fixture.units.south}`)),
        byUser(recount(root, south)),
        'owners of the south, all their accounts',
      );
      const managerReach = await pathOf(
        (
          await kysely()
            .selectFrom('users')
            .select('org_unit_id')
            .where('id', '=', fixture.users.manager.id)
            .executeTakeFirstOrThrow()
        ).org_unit_id,
      );
      assert.ok(managerReach.startsWith(shanghai) || shanghai.startsWith(managerReach));
      assert.deepEqual(byUser(await viewed('manager')), byUser(recount(managerReach, null)), "the manager's reach");
      assert.deepEqual(
        byUser(await viewed('manager', `?orgUnitId=${fixture.units.south}`)),
        byUser(recount(managerReach, south)),
        "the manager's reach, owners of the south",
      );
    });
  });
}
