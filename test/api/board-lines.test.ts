/**
 * The board by business line (docs/targets.md § Business lines): GET /opportunities/board takes
 * line=<key>|none as the opportunity list does, so each open column holds exactly the list's
 * deals of that process, stage and line — count, amount, expected amount and cards — whether
 * the board reads the funnel's kept totals (an administrator, whole months) or counts live (a
 * rep; dates within a month); the won column counts the line's wins.
 */
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
import type { Board, OpportunityListPage } from '../../src/contracts/opportunities.ts';
import type { Rules } from '../../src/contracts/rules.ts';
import { rebuildFunnel } from '../../src/modules/funnel/upkeep.ts';

const NOW = Date.UTC(2026, 11, 5, 4);
const LINES = [
  { key: 'software', nameZh: '软件', nameEn: 'Software', products: ['ERP', 'MES'] },
  { key: 'services', nameZh: '服务', nameEn: 'Services', products: ['实施服务', '培训'] },
];
const PRODUCT_SETS = [[], ['ERP'], ['MES', 'ERP'], ['实施服务'], ['实施服务', 'ERP'], ['咨询'], ['培训', '咨询']];

for (const engine of testEngines()) {
  describe(`board by business line [${engine}]`, () => {
    let testApp: TestApp;
    let fixture: Fixture;
    let extras: Extras;
    let admin: Call;
    let rep: Call;
    before(async () => {
      testApp = await createTestApp(engine, {}, { clock: () => NOW });
      fixture = await seedWorkspace(testApp, 'a');
      extras = await seedExtras(testApp, fixture);
      admin = client(testApp, await sessionCookie(testApp, fixture.workspaceId, fixture.users.admin.id));
      rep = client(testApp, await sessionCookie(testApp, fixture.workspaceId, fixture.users.rep.id));
      const rules = json<Rules>(await admin('GET', '/api/v1/workspace/rules'));
      const saved = await admin('PATCH', '/api/v1/workspace/rules', { version: rules.version, businessLines: LINES });
      assert.equal(saved.statusCode, 200, saved.body);
      const { stageIds } = extras.processes.small;
      // Deals of every line and none, at three open stages, each of its own amount.
      for (let index = 0; index < 21; index++) {
        const products = PRODUCT_SETS[index % PRODUCT_SETS.length]!;
        const res = await admin('POST', '/api/v1/opportunities', {
          accountId: fixture.accounts.repAccount,
          name: `项目 ${index}`,
          processId: extras.processes.small.id,
          amount: 10_000_00 + index * 7_300_00,
          expectedCloseDate: index % 3 === 0 ? '2026-12-02' : '2026-12-20',
          ownerId: fixture.users.rep.id,
          stageId: stageIds[index % 3],
          products,
          override: true,
          reason: '老客户复购',
        });
        assert.equal(res.statusCode, 201, res.body);
      }
      // One software deal won yesterday, one services deal won 40 days ago (outside the won column's month).
      const deals = await testApp.db.kysely
        .selectFrom('opportunities')
        .select(['id', 'business_line'])
        .where('workspace_id', '=', fixture.workspaceId)
        .where('status', '=', 'open')
        .orderBy('id')
        .execute();
      const wonStage = stageIds.at(-1)!;
      for (const [line, daysAgo] of [
        ['software', 1],
        ['services', 40],
      ] as const)
        await testApp.db.kysely
          .updateTable('opportunities')
          .set({ status: 'won', stage_id: wonStage, closed_at: NOW - daysAgo * 86_400_000 })
          .where('id', '=', deals.find((deal) => deal.business_line === line)!.id)
          .execute();
      await rebuildFunnel(testApp.db.kysely, fixture.workspaceId);
    });
    after(() => testApp.close());

    const boardOf = async (call: Call, query: string) => {
      const res = await call('GET', `/api/v1/opportunities/board?processId=${extras.processes.small.id}${query}`);
      assert.equal(res.statusCode, 200, res.body);
      return json<Board>(res);
    };
    const listOf = async (call: Call, query: string) => {
      const res = await call('GET', `/api/v1/opportunities?status=open&limit=100&sort=-amount${query}`);
      assert.equal(res.statusCode, 200, res.body);
      return json<OpportunityListPage>(res);
    };

    for (const [who, dates] of [
      ['admin', '&closeFrom=2026-12-01&closeTo=2026-12-31'],
      ['admin', '&closeFrom=2026-12-05&closeTo=2026-12-31'],
      ['rep', ''],
    ] as const)
      it(`each open column by line holds the list's deals of that stage and line (${who}${dates})`, async () => {
        const call = who === 'admin' ? admin : rep;
        const whole = await boardOf(call, dates);
        const byLine: Board[] = [];
        for (const line of ['software', 'services', 'none', 'hardware']) {
          const board = await boardOf(call, `${dates}&line=${line}`);
          byLine.push(board);
          for (const column of board.columns.filter((c) => !c.stage.won)) {
            const list = await listOf(
              call,
              `&processId=${extras.processes.small.id}&stageId=${column.stage.id}&line=${line}${dates}`,
            );
            const at = `${line} ${column.stage.name}`;
            assert.equal(column.count, list.total, at);
            assert.equal(column.amount, list.totals.amount, at);
            assert.equal(column.expectedAmount, list.totals.expectedAmount, at);
            assert.deepEqual(column.cards.map((card) => card.id).sort(), list.items.map((item) => item.id).sort(), at);
          }
          if (line === 'hardware')
            assert.ok(
              board.columns.every((c) => c.count === 0),
              'a key that is no line matches nothing',
            );
        }
        // The lines and "none" share the whole board between them, column by column.
        for (const [index, column] of whole.columns.entries()) {
          const parts = byLine.map((board) => board.columns[index]!);
          assert.equal(
            parts.reduce((sum, part) => sum + part.count, 0),
            column.count,
            column.stage.name,
          );
          assert.equal(
            parts.reduce((sum, part) => sum + part.amount, 0),
            column.amount,
          );
        }
        assert.ok(
          byLine[0]!.columns.some((c) => !c.stage.won && c.count > 0) &&
            byLine[2]!.columns.some((c) => !c.stage.won && c.count > 0),
          'the lines hold open deals',
        );
      });

    it("the won column counts the line's wins of the last 30 days; a line parameter that is no key is a 400", async () => {
      const wonOf = (board: Board) => board.columns.find((c) => c.stage.won)!;
      for (const call of [admin, rep]) {
        assert.equal(wonOf(await boardOf(call, '&line=software')).count, 1);
        assert.equal(wonOf(await boardOf(call, '&line=services')).count, 0, 'won 40 days ago');
        assert.equal(wonOf(await boardOf(call, '&line=software')).cards.length, 1);
      }
      const bad = await admin('GET', `/api/v1/opportunities/board?line=Bad%20Line`);
      assert.equal(bad.statusCode, 400);
      assert.equal(json<{ errors: { field: string }[] }>(bad).errors[0]!.field, 'query.line');
    });
  });
}
