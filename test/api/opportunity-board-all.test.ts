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
import type { Board } from '../../src/contracts/opportunities.ts';
import { rebuildFunnel } from '../../src/modules/funnel/upkeep.ts';

/** The board of every process at once (docs/sales-process.md § The board): a lane of its own stages per process. */
for (const engine of testEngines()) {
  describe(`the board of every sales process [${engine}]`, () => {
    let testApp: TestApp;
    let fixture: Fixture;
    let as: Record<'admin' | 'rep' | 'rep2', Call>;
    let processes: { id: number; template_key: string | null }[];
    let stagesByProcess: Map<number, number[]>;

    const insert = async (
      name: string,
      spec: { owner: 'rep' | 'rep2'; process: string; stage: number; amount: number },
    ) => {
      const kysely = testApp.db.kysely;
      const processId = processes.find((p) => p.template_key === spec.process)!.id;
      const now = Date.now();
      const mine = spec.owner === 'rep';
      return (
        await kysely
          .insertInto('opportunities')
          .values({
            workspace_id: fixture.workspaceId,
            account_id: mine ? fixture.accounts.repAccount : fixture.accounts.rep2Account,
            name,
            owner_id: fixture.users[spec.owner].id,
            org_unit_id: mine ? fixture.units.sales1 : fixture.units.sales3,
            amount: spec.amount,
            status: 'open',
            expected_close_date: '2027-01-31',
            process_id: processId,
            stage_id: stagesByProcess.get(processId)![spec.stage]!,
            stage_entered_at: now,
            next_step: '回访',
            next_step_date: '2027-01-01',
            created_at: now,
            updated_at: now,
            version: 1,
          })
          .returning('id')
          .executeTakeFirstOrThrow()
      ).id;
    };

    before(async () => {
      testApp = await createTestApp(engine);
      fixture = await seedWorkspace(testApp, 'board-all');
      const cookie = (id: number) => sessionCookie(testApp, fixture.workspaceId, id);
      as = {
        admin: client(testApp, await cookie(fixture.users.admin.id)),
        rep: client(testApp, await cookie(fixture.users.rep.id)),
        rep2: client(testApp, await cookie(fixture.users.rep2.id)),
      };
      const kysely = testApp.db.kysely;
      processes = await kysely
        .selectFrom('sales_processes')
        .select(['id', 'template_key'])
        .where('workspace_id', '=', fixture.workspaceId)
        .orderBy('id')
        .execute();
      const stages = await kysely
        .selectFrom('process_stages')
        .select(['id', 'process_id'])
        .where('workspace_id', '=', fixture.workspaceId)
        .orderBy('process_id')
        .orderBy('position')
        .execute();
      stagesByProcess = new Map(
        processes.map((p) => [p.id, stages.filter((s) => s.process_id === p.id).map((s) => s.id)]),
      );
      await insert('small-a', { owner: 'rep', process: 'small', stage: 0, amount: 100_00 });
      await insert('small-b', { owner: 'rep2', process: 'small', stage: 0, amount: 200_00 });
      await insert('large-a', { owner: 'rep', process: 'large', stage: 1, amount: 5_000_00 });
      await insert('large-b', { owner: 'rep', process: 'large', stage: 1, amount: 7_000_00 });
      // Written past the services: the funnel's kept totals are rebuilt as the generators do.
      await rebuildFunnel(kysely, fixture.workspaceId);
    });
    after(() => testApp.close());

    const allBoard = async (call: Call, query = '') => {
      const res = await call('GET', `/api/v1/opportunities/board${query ? `?${query}` : ''}`);
      assert.equal(res.statusCode, 200, res.body);
      return json<Board>(res);
    };

    it('shows a lane per process with its own stages, totals from the same aggregate as the database', async () => {
      const board = await allBoard(as.admin);
      assert.equal(board.process, null);
      assert.ok(processes.length >= 2, 'the workspace ships several processes');
      assert.deepEqual(
        board.processes.map((lane) => lane.id),
        processes.map((p) => p.id),
      );
      assert.deepEqual(
        board.columns.map((c) => c.stage.id),
        processes.flatMap((p) => stagesByProcess.get(p.id)!),
        'lane by lane, each in its stage order',
      );
      const totals = await testApp.db.kysely
        .selectFrom('opportunities')
        .select([
          'stage_id',
          (eb) => eb.fn.countAll<number>().as('n'),
          (eb) => eb.fn.sum<number>('amount').as('amount'),
        ])
        .where('workspace_id', '=', fixture.workspaceId)
        .where('status', '=', 'open')
        .groupBy('stage_id')
        .execute();
      const byStage = new Map(totals.map((row) => [row.stage_id, row]));
      for (const column of board.columns) {
        assert.equal(column.count, Number(byStage.get(column.stage.id)?.n ?? 0), column.stage.name);
        assert.equal(column.amount, Number(byStage.get(column.stage.id)?.amount ?? 0), column.stage.name);
        assert.ok(column.cards.every((card) => card.processId === column.stage.processId));
      }
      const large = board.columns.find((c) => c.cards.some((card) => card.name === 'large-a'))!;
      assert.deepEqual(
        large.cards.map((card) => card.name),
        ['large-b', 'large-a'],
      );
      assert.equal(large.expectedAmount, Math.round((12_000_00 * large.stage.probability) / 100));
      // The single-process board is the same lane.
      const smallId = processes.find((p) => p.template_key === 'small')!.id;
      const single = await allBoard(as.admin, `processId=${smallId}`);
      assert.deepEqual(
        single.columns.map((c) => [c.stage.id, c.count, c.amount]),
        board.columns.filter((c) => c.stage.processId === smallId).map((c) => [c.stage.id, c.count, c.amount]),
      );
    });

    it('scopes every lane to what the caller may see, and filters them all', async () => {
      const names = (board: Board) => board.columns.flatMap((c) => c.cards.map((card) => card.name)).sort();
      assert.deepEqual(names(await allBoard(as.rep)), ['large-a', 'large-b', 'small-a']);
      assert.deepEqual(names(await allBoard(as.rep2)), ['small-b']);
      assert.deepEqual(names(await allBoard(as.admin, 'q=large')), ['large-a', 'large-b']);
      assert.deepEqual(names(await allBoard(as.admin, `ownerId=${fixture.users.rep2.id}`)), ['small-b']);
    });

    it('keeps an inactive process as a lane only while it holds deals in view', async () => {
      const kysely = testApp.db.kysely;
      const large = processes.find((p) => p.template_key === 'large')!.id;
      const seven = processes.find((p) => p.template_key === 'seven_steps')!.id;
      await kysely.updateTable('sales_processes').set({ active: 0 }).where('id', 'in', [large, seven]).execute();
      try {
        const lanes = (await allBoard(as.admin)).processes;
        assert.deepEqual(
          lanes.filter((lane) => !lane.active).map((lane) => lane.id),
          [large],
        );
        assert.ok(!lanes.some((lane) => lane.id === seven));
        assert.ok(
          !(await allBoard(as.rep2)).processes.some((lane) => lane.id === large),
          'rep2 sees none of its deals',
        );
      } finally {
        await kysely.updateTable('sales_processes').set({ active: 1 }).where('id', 'in', [large, seven]).execute();
      }
    });

    it('shows at most 20 cards per column across processes, and how many more', async () => {
      const ids: number[] = [];
      for (let index = 0; index < 23; index++)
        ids.push(await insert(`bulk-${index}`, { owner: 'rep', process: 'p0_p7', stage: 0, amount: 1_000 + index }));
      await rebuildFunnel(testApp.db.kysely, fixture.workspaceId);
      try {
        const column = (await allBoard(as.admin)).columns.find((c) => c.cards.some((card) => card.name === 'bulk-0'));
        assert.equal(column, undefined, 'the smallest are past the cut');
        const full = (await allBoard(as.admin)).columns.find((c) => c.count === 23)!;
        assert.equal(full.cards.length, 20);
        assert.equal(full.more, 3);
        assert.equal(full.cards[0]!.name, 'bulk-22');
        const single = await allBoard(as.admin, `processId=${full.stage.processId}`);
        assert.equal(single.columns[0]!.cards.length, 23, 'one process shows up to 50');
      } finally {
        await testApp.db.kysely.deleteFrom('opportunities').where('id', 'in', ids).execute();
        await rebuildFunnel(testApp.db.kysely, fixture.workspaceId);
      }
    });

    it('moves a card only within its own process, whichever board it was dragged on', async () => {
      const board = await allBoard(as.rep);
      const card = board.columns.flatMap((c) => c.cards).find((c) => c.name === 'small-a')!;
      const foreign = board.columns.find((c) => c.stage.processId !== card.processId)!.stage;
      const res = await as.rep('POST', `/api/v1/opportunities/${card.id}/stage`, {
        version: card.version,
        stageId: foreign.id,
      });
      assert.equal(res.statusCode, 400, res.body);
      assert.equal(json<Problem>(res).errors![0]!.field, 'stageId');
    });
  });
}
