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
import { COUNT_CAP } from '../../src/db/counts.ts';

type Problem = 'stalled' | 'no_plan' | 'advantage_lost';
interface Attention {
  items: { id: number; name: string; stageEnteredAt: number; problems: string[] }[];
  total: number;
  totalCapped: boolean;
  counts: Record<Problem, number>;
  countsCapped: Record<Problem, boolean>;
}

const DAY = 86_400_000;

/**
 * The needs-attention list's total and problem counts (issue 8): over a workspace or a subtree
 * they stop at COUNT_CAP, as a list's total does, and say so; a rep's own, or one owner's, are
 * exact; below the cap the total counts each deal once, whatever problems it has.
 */
for (const engine of testEngines()) {
  describe(`Needs-attention counts stop at ${COUNT_CAP} [${engine}]`, () => {
    let testApp: TestApp;
    let fixture: Fixture;
    const extra = COUNT_CAP + 25;
    const now = Date.now();

    before(async () => {
      testApp = await createTestApp(engine);
      fixture = await seedWorkspace(testApp, 'attention');
      const { workspaceId, units, users, accounts } = fixture;
      const stage = await testApp.db.kysely
        .selectFrom('process_stages')
        .select(['id', 'process_id'])
        .where('workspace_id', '=', workspaceId)
        .where('expected_days', '>', 0)
        .orderBy('expected_days')
        .orderBy('id')
        .executeTakeFirstOrThrow();
      // The rep's deals, stalled and without a plan, each a day older than the next.
      await sql`
        with recursive series(n) as (select 1 union all select n + 1 from series where n < ${extra})
        insert into opportunities (workspace_id, account_id, name, owner_id, org_unit_id, amount, status, process_id,
          stage_id, stage_entered_at, created_at, updated_at, version)
        select ${workspaceId}, ${accounts.repAccount}, '商机' || cast(n as text), ${users.rep.id}, ${units.sales1}, 100,
          'open', ${stage.process_id}, ${stage.id}, cast(${now - 400 * DAY} as bigint) + n * 1000, ${now}, ${now}, 1
        from series`.execute(testApp.db.kysely);
      // Two in the south whose advantage is lost, with a plan, just entered their stage.
      for (const name of ['优势一', '优势二'])
        await testApp.db.kysely
          .insertInto('opportunities')
          .values({
            workspace_id: workspaceId,
            account_id: accounts.rep2Account,
            name,
            owner_id: users.rep2.id,
            org_unit_id: units.sales3,
            amount: 100,
            status: 'open',
            process_id: stage.process_id,
            stage_id: stage.id,
            stage_entered_at: now,
            next_step: '拜访',
            next_step_date: '2999-01-01',
            advantage_lost: 1,
            created_at: now,
            updated_at: now,
            version: 1,
          })
          .execute();
    });
    after(async () => testApp.close());

    const attentionOf = async (role: 'admin' | 'manager' | 'rep', query = '') => {
      const call = client(testApp, await sessionCookie(testApp, fixture.workspaceId, fixture.users[role].id));
      const res = await call('GET', `/api/v1/opportunities/attention${query}`);
      assert.equal(res.statusCode, 200, res.body);
      return json<Attention>(res);
    };
    const capped = { total: COUNT_CAP, totalCapped: true };
    const exactly = (total: number) => ({ total, totalCapped: false });
    const countOf = (page: Attention, problem: Problem) => ({
      total: page.counts[problem],
      totalCapped: page.countsCapped[problem],
    });

    it("an administrator's and a manager's total and counts stop at the cap, and say so", async () => {
      const admin = await attentionOf('admin');
      assert.deepEqual({ total: admin.total, totalCapped: admin.totalCapped }, capped);
      assert.deepEqual(countOf(admin, 'stalled'), capped);
      assert.deepEqual(countOf(admin, 'no_plan'), capped);
      assert.deepEqual(countOf(admin, 'advantage_lost'), exactly(2));
      // The page in its default order: the longest in their stage first.
      assert.equal(admin.items.length, 50);
      assert.deepEqual(
        admin.items.map((item) => item.name),
        Array.from({ length: 50 }, (_, at) => `商机${at + 1}`),
      );
      const manager = await attentionOf('manager');
      assert.deepEqual({ total: manager.total, totalCapped: manager.totalCapped }, capped);
      assert.deepEqual(countOf(manager, 'stalled'), capped);
      assert.deepEqual(countOf(manager, 'advantage_lost'), exactly(0), "the south is not the manager's");
      // Descending: the newest first, read from the same index backwards.
      const newest = await attentionOf('manager', '?sort=-stageEnteredAt&limit=2');
      assert.deepEqual(
        newest.items.map((item) => item.name),
        [`商机${extra}`, `商机${extra - 1}`],
      );
    });

    it('the total follows the problem asked for, capped or exact', async () => {
      const stalled = await attentionOf('admin', '?problem=stalled&limit=3&offset=10');
      assert.deepEqual({ total: stalled.total, totalCapped: stalled.totalCapped }, capped);
      assert.deepEqual(
        stalled.items.map((item) => item.name),
        ['商机11', '商机12', '商机13'],
      );
      const lost = await attentionOf('admin', '?problem=advantage_lost');
      assert.deepEqual({ total: lost.total, totalCapped: lost.totalCapped }, exactly(2));
      assert.deepEqual(new Set(lost.items.map((item) => item.name)), new Set(['优势一', '优势二']));
    });

    it('below the cap the total counts each deal once', async () => {
      const south = await attentionOf('admin', `?orgUnitId=${fixture.units.south}`);
      assert.deepEqual({ total: south.total, totalCapped: south.totalCapped }, exactly(2));
      assert.deepEqual(south.counts, { stalled: 0, no_plan: 0, advantage_lost: 2 });
      const east = await attentionOf('admin', `?orgUnitId=${fixture.units.east}&problem=no_plan`);
      assert.deepEqual({ total: east.total, totalCapped: east.totalCapped }, capped);
    });

    it("a rep's own, and one owner's, are counted exactly", async () => {
      const rep = await attentionOf('rep');
      assert.deepEqual({ total: rep.total, totalCapped: rep.totalCapped }, exactly(extra));
      assert.deepEqual(rep.counts, { stalled: extra, no_plan: extra, advantage_lost: 0 });
      assert.deepEqual(rep.countsCapped, { stalled: false, no_plan: false, advantage_lost: false });
      const owner = await attentionOf('manager', `?ownerId=${fixture.users.rep.id}`);
      assert.deepEqual({ total: owner.total, totalCapped: owner.totalCapped }, exactly(extra));
    });
  });
}
