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

import type { Problem } from '../../src/contracts/common.ts';
import type { AttentionPage as Attention, Board, OpportunityListPage } from '../../src/contracts/opportunities.ts';
import { rebuildFunnel } from '../../src/modules/funnel/upkeep.ts';
import * as attentionRepo from '../../src/modules/opportunities/repository/attention.ts';
import type { AttentionProblem } from '../../src/modules/opportunities/repository/attention.ts';
import type { Actor } from '../../src/domain/policy.ts';

const DAY = 86_400_000;

for (const engine of testEngines()) {
  describe(`opportunity board and needs-attention list (docs/sales-process.md) [${engine}]`, () => {
    let testApp: TestApp;
    let fixture: Fixture;
    let as: Record<'admin' | 'manager' | 'rep' | 'rep2' | 'presales', Call>;
    let processId: number;
    let stages: { id: number; expected_days: number }[];
    let otherProcessId: number;
    const ids: Record<string, number> = {};
    before(async () => {
      testApp = await createTestApp(engine);
      fixture = await seedWorkspace(testApp, 'board');
      as = {
        admin: client(testApp, await sessionCookie(testApp, fixture.workspaceId, fixture.users.admin.id)),
        manager: client(testApp, await sessionCookie(testApp, fixture.workspaceId, fixture.users.manager.id)),
        rep: client(testApp, await sessionCookie(testApp, fixture.workspaceId, fixture.users.rep.id)),
        rep2: client(testApp, await sessionCookie(testApp, fixture.workspaceId, fixture.users.rep2.id)),
        presales: client(testApp, await sessionCookie(testApp, fixture.workspaceId, fixture.users.presales.id)),
      };
      const kysely = testApp.db.kysely;
      const smallProcess = await kysely
        .selectFrom('sales_processes')
        .select('id')
        .where('workspace_id', '=', fixture.workspaceId)
        .where('template_key', '=', 'small')
        .executeTakeFirstOrThrow();
      processId = smallProcess.id;
      otherProcessId = (
        await kysely
          .selectFrom('sales_processes')
          .select('id')
          .where('workspace_id', '=', fixture.workspaceId)
          .where('template_key', '=', 'large')
          .executeTakeFirstOrThrow()
      ).id;
      stages = await kysely
        .selectFrom('process_stages')
        .select(['id', 'expected_days'])
        .where('process_id', '=', processId)
        .orderBy('position')
        .execute();
      const now = Date.now();
      const future = new Date(now + 7 * DAY).toISOString().slice(0, 10);
      const past = new Date(now - 3 * DAY).toISOString().slice(0, 10);
      const opp = async (
        key: string,
        spec: {
          owner: 'rep' | 'rep2';
          stage: number;
          amount: number;
          status?: string;
          closedAt?: number;
          enteredAgo?: number;
          nextStep?: string | null;
          nextStepDate?: string | null;
          advantageLost?: number;
          process?: number;
          closeDate?: string;
        },
      ) => {
        const owner = fixture.users[spec.owner].id;
        const unit = spec.owner === 'rep' ? fixture.units.sales1 : fixture.units.sales3;
        const account = spec.owner === 'rep' ? fixture.accounts.repAccount : fixture.accounts.rep2Account;
        const id = (
          await kysely
            .insertInto('opportunities')
            .values({
              workspace_id: fixture.workspaceId,
              account_id: account,
              name: key,
              owner_id: owner,
              org_unit_id: unit,
              amount: spec.amount,
              status: spec.status ?? 'open',
              expected_close_date: spec.closeDate ?? '2027-01-31',
              closed_at: spec.closedAt ?? null,
              process_id: spec.process ?? processId,
              stage_id: spec.process
                ? (
                    await kysely
                      .selectFrom('process_stages')
                      .select('id')
                      .where('process_id', '=', spec.process)
                      .orderBy('position')
                      .executeTakeFirstOrThrow()
                  ).id
                : stages[spec.stage]!.id,
              stage_entered_at: now - (spec.enteredAgo ?? 0) * DAY,
              next_step: spec.nextStep === undefined ? '回访' : spec.nextStep,
              next_step_date: spec.nextStepDate === undefined ? future : spec.nextStepDate,
              advantage_lost: spec.advantageLost ?? 0,
              created_at: now,
              updated_at: now,
              version: 1,
            })
            .returning('id')
            .executeTakeFirstOrThrow()
        ).id;
        await kysely
          .insertInto('opportunity_team')
          .values({
            workspace_id: fixture.workspaceId,
            opportunity_id: id,
            user_id: owner,
            team_role: 'sales_lead',
            created_at: now,
          })
          .execute();
        ids[key] = id;
      };
      // Intent (7 expected days → stalled after 10.5): one healthy, one stalled.
      await opp('intent-fresh', { owner: 'rep', stage: 0, amount: 100_00, enteredAgo: 10, closeDate: '2026-12-01' });
      await opp('intent-stalled', { owner: 'rep', stage: 0, amount: 300_00, enteredAgo: 11 });
      // Proposal: no next step; past next-step date; advantage lost; rep2's.
      await opp('proposal-noplan', { owner: 'rep', stage: 1, amount: 1_000_00, nextStep: null });
      await opp('proposal-blank', { owner: 'rep', stage: 1, amount: 2_000_00, nextStep: '  ' });
      await opp('proposal-late', {
        owner: 'rep',
        stage: 1,
        amount: 4_000_00,
        nextStepDate: past,
        closeDate: '2027-02-28',
      });
      await opp('proposal-lost-adv', { owner: 'rep', stage: 1, amount: 8_000_00, advantageLost: 1 });
      await opp('proposal-rep2', {
        owner: 'rep2',
        stage: 1,
        amount: 16_000_00,
        enteredAgo: 30,
        closeDate: '2027-01-01',
      });
      // Won recently, won long ago, lost: only the first is on the board.
      await opp('won-recent', { owner: 'rep', stage: 3, amount: 50_000_00, status: 'won', closedAt: now - 5 * DAY });
      await opp('won-old', { owner: 'rep', stage: 3, amount: 70_000_00, status: 'won', closedAt: now - 60 * DAY });
      await opp('lost', { owner: 'rep', stage: 1, amount: 90_000_00, status: 'lost', closedAt: now - DAY });
      // Another process: never on this board.
      await opp('large-process', { owner: 'rep', stage: 0, amount: 99_00, process: otherProcessId });
      // Written past the services: the funnel's kept totals are rebuilt as the generators do.
      await rebuildFunnel(kysely, fixture.workspaceId);
    });
    after(() => testApp.close());

    const board = async (call: Call, query = '') => {
      const res = await call('GET', `/api/v1/opportunities/board?processId=${processId}${query}`);
      assert.equal(res.statusCode, 200, res.body);
      return json<Board>(res);
    };

    it('has one column per stage in order with counts, sums and expected amounts', async () => {
      const adminBoard = await board(as.admin);
      assert.equal(adminBoard.process?.id, processId);
      assert.deepEqual(
        adminBoard.processes.map((lane) => lane.id),
        [processId],
      );
      assert.deepEqual(
        adminBoard.columns.map((c) => c.stage.id),
        stages.map((s) => s.id),
      );
      assert.deepEqual(
        adminBoard.columns.map((c) => c.count),
        [2, 5, 0, 1],
      );
      assert.deepEqual(
        adminBoard.columns.map((c) => c.amount),
        [400_00, 31_000_00, 0, 50_000_00],
      );
      // Intent 20%, Proposal 35%, Won 100%.
      assert.deepEqual(
        adminBoard.columns.map((c) => c.expectedAmount),
        [80_00, 10_850_00, 0, 50_000_00],
      );
      assert.deepEqual(
        adminBoard.columns[1]!.cards.map((c) => c.name),
        ['proposal-rep2', 'proposal-lost-adv', 'proposal-late', 'proposal-blank', 'proposal-noplan'],
        'largest amount first',
      );
      assert.equal(adminBoard.columns[3]!.stage.won, true);
      assert.deepEqual(
        adminBoard.columns[3]!.cards.map((c) => c.name),
        ['won-recent'],
      );
      assert.ok(adminBoard.columns.every((c) => c.more === 0));
      const stalled = adminBoard.columns[0]!.cards.find((c) => c.name === 'intent-stalled')!;
      assert.deepEqual(stalled.problems, ['stalled']);
    });

    it('scopes the board to what the caller may see, and filters by owner, unit and text', async () => {
      assert.deepEqual(
        (await board(as.rep)).columns.map((c) => c.count),
        [2, 4, 0, 1],
        'a rep sees only their own',
      );
      assert.deepEqual(
        (await board(as.manager)).columns.map((c) => c.count),
        [2, 4, 0, 1],
        'Shanghai manager: not Guangzhou',
      );
      assert.deepEqual(
        (await board(as.presales)).columns.map((c) => c.count),
        [0, 0, 0, 0],
      );
      assert.deepEqual(
        (await board(as.admin, `&ownerId=${fixture.users.rep2.id}`)).columns.map((c) => c.count),
        [0, 1, 0, 0],
      );
      assert.deepEqual(
        (await board(as.admin, `&orgUnitId=${fixture.units.south}`)).columns.map((c) => c.count),
        [0, 1, 0, 0],
      );
      assert.deepEqual(
        (await board(as.admin, '&q=late')).columns.map((c) => c.count),
        [0, 1, 0, 0],
      );
    });

    it('takes the won column from [closeFrom, closeTo]', async () => {
      const day = (ago: number) => new Date(Date.now() - ago * DAY).toISOString().slice(0, 10);
      const wide = await board(as.admin, `&closeFrom=${day(90)}&closeTo=${day(0)}`);
      assert.deepEqual(
        wide.columns[3]!.cards.map((c) => c.name),
        ['won-old', 'won-recent'],
      );
      assert.equal(wide.columns[3]!.amount, 120_000_00);
      const old = await board(as.admin, `&closeFrom=${day(70)}&closeTo=${day(50)}`);
      assert.deepEqual(
        old.columns[3]!.cards.map((c) => c.name),
        ['won-old'],
      );
      // The same period filters the open columns by expected close date ("close period" of the board).
      const openInPeriod = await testApp.db.kysely
        .selectFrom('opportunities')
        .select(['stage_id', (eb) => eb.fn.countAll<number>().as('n')])
        .where('workspace_id', '=', fixture.workspaceId)
        .where('process_id', '=', processId)
        .where('status', '=', 'open')
        .where('expected_close_date', '>=', day(70))
        .where('expected_close_date', '<=', day(50))
        .groupBy('stage_id')
        .execute();
      const expected = new Map(openInPeriod.map((r) => [r.stage_id, Number(r.n)]));
      assert.deepEqual(
        old.columns.slice(0, 3).map((c) => c.count),
        old.columns.slice(0, 3).map((c) => expected.get(c.stage.id) ?? 0),
      );
      const all = await board(as.admin);
      assert.deepEqual(
        all.columns.slice(0, 3).map((c) => c.count),
        [2, 5, 0],
        'no period: every open opportunity',
      );
      const bad = await as.admin(
        'GET',
        `/api/v1/opportunities/board?processId=${processId}&closeFrom=${day(1)}&closeTo=${day(5)}`,
      );
      assert.equal(json<Problem>(bad).errors![0]!.field, 'closeTo');
    });

    /** Every open deal of the list with the same filters and the caller's scope, page by page: the live rows. */
    const listRows = async (call: Call, filter: string) => {
      const rows: OpportunityListPage['items'] = [];
      for (let offset = 0; ; offset += 100) {
        const page = json<OpportunityListPage>(
          await call(
            'GET',
            `/api/v1/opportunities?status=open&processId=${processId}&limit=100&offset=${offset}${filter}`,
          ),
        );
        rows.push(...page.items);
        if (page.items.length < 100) return rows;
      }
    };

    it("has open columns whose totals and cards are the list's rows, for each filter and scope", async () => {
      const cases: ['admin' | 'manager' | 'rep' | 'rep2', string][] = [
        // From the kept totals (src/modules/funnel/list-totals.ts).
        ['admin', ''],
        ['admin', `&ownerId=${fixture.users.rep.id}`],
        ['admin', `&orgUnitId=${fixture.units.south}`],
        ['admin', `&orgUnitId=${fixture.units.shanghai}&ownerId=${fixture.users.rep.id}`],
        ['admin', '&closeFrom=2027-01-01&closeTo=2027-01-31'],
        ['admin', '&closeFrom=2027-02-01'],
        ['admin', '&closeTo=2026-12-31'],
        ['manager', ''],
        ['manager', `&orgUnitId=${fixture.units.sales1}`],
        ['manager', `&ownerId=${fixture.users.rep2.id}`],
        // Counted live: a text, days within a month, a unit outside the manager's, a rep's own.
        ['admin', '&q=proposal'],
        ['admin', '&closeFrom=2027-01-01&closeTo=2027-01-30'],
        ['admin', '&closeFrom=2027-01-31&closeTo=2027-01-31'],
        ['manager', `&orgUnitId=${fixture.units.south}`],
        ['rep', ''],
        ['rep2', ''],
      ];
      for (const [who, filter] of cases) {
        const columns = (await board(as[who], filter)).columns.filter((column) => !column.stage.won);
        const rows = await listRows(as[who], filter);
        for (const column of columns) {
          const label = `${who} ${filter} ${column.stage.name}`;
          const inStage = rows.filter((row) => row.stageId === column.stage.id);
          assert.equal(column.count, inStage.length, label);
          assert.equal(
            column.amount,
            inStage.reduce((sum, row) => sum + row.amount, 0),
            label,
          );
          assert.equal(
            column.expectedAmount,
            Math.round(inStage.reduce((sum, row) => sum + row.amount * column.stage.probability, 0) / 100),
            label,
          );
          assert.deepEqual(
            column.cards.map((card) => card.id),
            inStage.sort((a, b) => b.amount - a.amount || a.id - b.id).map((row) => row.id),
            `${label}: largest first`,
          );
          assert.equal(column.more, 0, label);
        }
      }
      assert.ok((await listRows(as.admin, '')).length >= 7, 'the cases cover deals');
    });

    it('reads the open totals from the kept totals where they hold the answer, and counts live elsewhere', async () => {
      const kept = await board(as.admin);
      const live = await board(as.admin, '&q=proposal');
      // A deal written past the services is in no kept total: only the live count sees it; its card shows either way.
      const now = Date.now();
      const { id } = await testApp.db.kysely
        .insertInto('opportunities')
        .values({
          workspace_id: fixture.workspaceId,
          account_id: fixture.accounts.repAccount,
          name: 'proposal-uncounted',
          owner_id: fixture.users.rep.id,
          org_unit_id: fixture.units.sales1,
          amount: 1_00,
          status: 'open',
          expected_close_date: '2027-01-31',
          process_id: processId,
          stage_id: stages[1]!.id,
          stage_entered_at: now,
          created_at: now,
          updated_at: now,
          version: 1,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      try {
        const counts = (b: Board) => b.columns.map((c) => c.count);
        assert.deepEqual(counts(await board(as.admin)), counts(kept));
        assert.deepEqual(counts(await board(as.admin, '&q=proposal')), [0, live.columns[1]!.count + 1, 0, 0]);
        assert.ok((await board(as.admin)).columns[1]!.cards.some((card) => card.id === id));
      } finally {
        await testApp.db.kysely.deleteFrom('opportunities').where('id', '=', id).execute();
      }
    });

    it('shows at most 50 cards per column and says how many more there are', async () => {
      const kysely = testApp.db.kysely;
      const now = Date.now();
      const rows = Array.from({ length: 55 }, (_, index) => ({
        workspace_id: fixture.workspaceId,
        account_id: fixture.accounts.repAccount,
        name: `bulk-${index}`,
        owner_id: fixture.users.rep.id,
        org_unit_id: fixture.units.sales1,
        amount: 10_000 + index,
        status: 'open',
        expected_close_date: '2027-01-31',
        process_id: processId,
        stage_id: stages[2]!.id,
        stage_entered_at: now,
        created_at: now,
        updated_at: now,
        version: 1,
      }));
      await kysely.insertInto('opportunities').values(rows).execute();
      await rebuildFunnel(kysely, fixture.workspaceId);
      try {
        const col = (await board(as.admin)).columns[2]!;
        assert.equal(col.count, 55);
        assert.equal(col.cards.length, 50);
        assert.equal(col.more, 5);
        assert.equal(col.cards[0]!.name, 'bulk-54');
        assert.equal(col.cards[49]!.name, 'bulk-5');
        assert.equal(col.amount, 55 * 10_000 + (54 * 55) / 2);
      } finally {
        await kysely
          .deleteFrom('opportunities')
          .where('workspace_id', '=', fixture.workspaceId)
          .where('name', 'like', 'bulk-%')
          .execute();
        await rebuildFunnel(kysely, fixture.workspaceId);
      }
    });

    it('refuses a malformed or foreign process, naming it', async () => {
      const malformed = await as.admin('GET', '/api/v1/opportunities/board?processId=all');
      assert.equal(malformed.statusCode, 400);
      assert.equal(json<Problem>(malformed).errors![0]!.field, 'query.processId');
      const other = await seedWorkspace(testApp, 'board-other');
      const foreign = await testApp.db.kysely
        .selectFrom('sales_processes')
        .select('id')
        .where('workspace_id', '=', other.workspaceId)
        .executeTakeFirstOrThrow();
      const res = await as.admin('GET', `/api/v1/opportunities/board?processId=${foreign.id}`);
      assert.equal(res.statusCode, 400);
      assert.equal(json<Problem>(res).errors![0]!.field, 'processId');
    });

    it('lists the opportunities that need attention, computed in SQL, with counts of each problem', async () => {
      const res = await as.manager('GET', '/api/v1/opportunities/attention');
      assert.equal(res.statusCode, 200, res.body);
      const all = json<Attention>(res);
      assert.deepEqual(all.counts, { stalled: 1, no_plan: 3, advantage_lost: 1 });
      assert.equal(all.total, 5);
      assert.deepEqual(
        new Set(all.items.map((i) => i.name)),
        new Set(['intent-stalled', 'proposal-noplan', 'proposal-blank', 'proposal-late', 'proposal-lost-adv']),
      );
      // The SQL agrees with the problems the card shows.
      for (const item of all.items) assert.ok(item.problems.length > 0, item.name);
      const noPlan = json<Attention>(
        await as.manager('GET', '/api/v1/opportunities/attention?problem=no_plan&sort=-amount'),
      );
      assert.deepEqual(
        noPlan.items.map((i) => i.name),
        ['proposal-late', 'proposal-blank', 'proposal-noplan'],
      );
      assert.ok(noPlan.items.every((i) => i.problems.includes('no_plan')));
      assert.deepEqual(
        json<Attention>(await as.manager('GET', '/api/v1/opportunities/attention?problem=stalled')).items.map(
          (i) => i.name,
        ),
        ['intent-stalled'],
      );
      const paged = json<Attention>(
        await as.manager('GET', '/api/v1/opportunities/attention?limit=2&offset=0&sort=-amount'),
      );
      assert.deepEqual([paged.items.length, paged.total], [2, 5]);
      assert.deepEqual(
        json<Attention>(await as.admin('GET', '/api/v1/opportunities/attention')).counts,
        { stalled: 2, no_plan: 3, advantage_lost: 1 },
        "admin also sees rep2's 30-day-old proposal",
      );
      assert.deepEqual(
        json<Attention>(await as.rep2('GET', '/api/v1/opportunities/attention')).items.map((i) => i.name),
        ['proposal-rep2'],
      );
      assert.deepEqual(
        json<Attention>(await as.admin('GET', `/api/v1/opportunities/attention?orgUnitId=${fixture.units.south}`))
          .counts,
        { stalled: 1, no_plan: 0, advantage_lost: 0 },
      );
      assert.equal(
        json<Attention>(
          await as.admin(
            'GET',
            `/api/v1/opportunities/attention?ownerId=${fixture.users.rep.id}&problem=advantage_lost`,
          ),
        ).items[0]!.name,
        'proposal-lost-adv',
      );
      const bad = await as.admin('GET', '/api/v1/opportunities/attention?problem=lazy');
      assert.equal(json<Problem>(bad).errors![0]!.field, 'query.problem');
    });

    it("reads the attention list's problem counts in one statement beside the page, and its total below the cap", async () => {
      const manager = await testApp.db.kysely
        .selectFrom('users')
        .innerJoin('org_units', 'org_units.id', 'users.org_unit_id')
        .select(['users.org_unit_id', 'org_units.path'])
        .where('users.id', '=', fixture.users.manager.id)
        .executeTakeFirstOrThrow();
      const actor: Actor = {
        workspaceId: fixture.workspaceId,
        userId: fixture.users.manager.id,
        role: 'manager',
        orgUnitId: manager.org_unit_id,
        unitPath: manager.path,
        now: Date.now(),
        exportGranted: false,
      };
      let executed = 0;
      const counting = testApp.db.kysely.withPlugin({
        transformQuery: ({ node }) => node,
        transformResult: async ({ result }) => {
          executed++;
          return result;
        },
      });
      const page = (problem?: AttentionProblem, ownerId?: number) =>
        attentionRepo.attention(counting, testApp.db.engine, actor, {
          problem,
          ownerId,
          limit: 2,
          offset: 0,
          sort: { column: 'amount', desc: true },
          now: actor.now,
          today: new Date(actor.now).toISOString().slice(0, 10),
          stalledFactorPercent: 150,
        });
      const all = await page();
      assert.equal(executed, 3, 'the page, the three counts, and (none at the cap) the deals with any problem');
      assert.deepEqual(
        [all.items.length, all.total, all.counts],
        [2, 5, { stalled: 1, no_plan: 3, advantage_lost: 1 }],
      );
      // The total follows the problem asked for, its own count; the counts stay those of every problem.
      executed = 0;
      assert.deepEqual([(await page('no_plan')).total, (await page('stalled')).total], [3, 1]);
      assert.equal(executed, 4, 'the page and the counts, twice');
      assert.deepEqual((await page('advantage_lost')).counts, all.counts);
      // Nobody's deals (one owner's, counted exactly): the sums over no rows are null, answered as zeros.
      assert.deepEqual(await page(undefined, -1), {
        items: [],
        total: 0,
        totalCapped: false,
        counts: { stalled: 0, no_plan: 0, advantage_lost: 0 },
        countsCapped: { stalled: false, no_plan: false, advantage_lost: false },
      });
    });

    it('judges stalled by the workspace stall factor (docs/sales-process.md § Problems)', async () => {
      const rules = json<{ version: number }>(await as.admin('GET', '/api/v1/workspace/rules'));
      // intent-stalled has sat 11 days in a 7-day stage: stalled at × 1.5 (10.5), not at × 2 (14).
      const patched = await as.admin('PATCH', '/api/v1/workspace/rules', {
        version: rules.version,
        stalledFactorPercent: 200,
      });
      assert.equal(patched.statusCode, 200, patched.body);
      const attention = json<Attention>(await as.manager('GET', '/api/v1/opportunities/attention?problem=stalled'));
      assert.deepEqual([attention.counts.stalled, attention.items.length], [0, 0]);
      const intent = json<Attention>(await as.manager('GET', '/api/v1/opportunities/attention')).items.find(
        (i) => i.name === 'intent-stalled',
      );
      assert.equal(intent, undefined, 'no longer needs attention: it has a plan and is not stalled');
      const back = await as.admin('PATCH', '/api/v1/workspace/rules', {
        version: json<{ version: number }>(patched).version,
        stalledFactorPercent: 150,
      });
      assert.equal(back.statusCode, 200, back.body);
      assert.deepEqual(
        json<Attention>(await as.manager('GET', '/api/v1/opportunities/attention?problem=stalled')).items.map(
          (item) => [item.name, item.problems],
        ),
        [['intent-stalled', ['stalled']]],
      );
    });
  });
}
