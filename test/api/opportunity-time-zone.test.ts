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

import type { Board, OpportunityDetail as Opp } from '../../src/contracts/opportunities.ts';

/**
 * Dates follow the workspace time zone (docs/organisation.md), with the server's clock fixed: 17:30 UTC on
 * 2026-03-01 is already 01:30 on 2026-03-02 in Shanghai, and still 12:30 on 2026-03-01 in New York.
 */
for (const engine of testEngines()) {
  describe(`opportunity dates in the workspace time zone [${engine}]`, () => {
    let testApp: TestApp;
    let fixture: Fixture;
    let now = Date.parse('2026-03-01T17:30:00Z');
    let as: Record<'manager' | 'rep', Call>;
    let processId: number;
    before(async () => {
      testApp = await createTestApp(engine, {}, { clock: () => now });
      fixture = await seedWorkspace(testApp, 'tz');
      as = {
        manager: client(testApp, await sessionCookie(testApp, fixture.workspaceId, fixture.users.manager.id)),
        rep: client(testApp, await sessionCookie(testApp, fixture.workspaceId, fixture.users.rep.id)),
      };
      processId = (
        await testApp.db.kysely
          .selectFrom('sales_processes')
          .select('id')
          .where('workspace_id', '=', fixture.workspaceId)
          .where('template_key', '=', 'small')
          .executeTakeFirstOrThrow()
      ).id;
    });
    after(() => testApp.close());

    const create = async (body: Record<string, unknown> = {}) => {
      const res = await as.rep('POST', '/api/v1/opportunities', {
        accountId: fixture.accounts.repAccount,
        name: '时区项目',
        processId,
        amount: 50_000_00,
        expectedCloseDate: '2026-06-30',
        ...body,
      });
      assert.equal(res.statusCode, 201, res.body);
      return json<Opp>(res);
    };
    const win = async (opportunity: Opp) => {
      const res = await as.manager('POST', `/api/v1/opportunities/${opportunity.id}/close`, {
        version: opportunity.version,
        outcome: 'won',
        contractAmount: 48_000_00,
        override: true,
        note: '客户已签约',
      });
      assert.equal(res.statusCode, 200, res.body);
      return json<Opp>(res);
    };
    const setZone = (timeZone: string) =>
      testApp.db.kysely
        .updateTable('workspaces')
        .set({ time_zone: timeZone })
        .where('id', '=', fixture.workspaceId)
        .execute();

    it('closes a deal won at 01:30 in Shanghai on the Shanghai date', async () => {
      now = Date.parse('2026-03-01T17:30:00Z');
      const opportunity = await create();
      assert.equal(opportunity.stageEnteredAt, now, "the request's clock is the fixed one");
      const won = await win(opportunity);
      assert.equal(won.status, 'won');
      assert.equal(won.closedAt, now);
      assert.equal(won.expectedCloseDate, '2026-03-02');
      const history = json<{ items: { field: string; newValue: unknown }[] }>(
        await as.manager('GET', `/api/v1/opportunities/${opportunity.id}/history`),
      ).items;
      assert.ok(
        history.some((h) => h.field === 'close_date' && h.newValue === '2026-03-02'),
        JSON.stringify(history),
      );
    });

    it('closes on the New York date when the workspace is in New York', async () => {
      await setZone('America/New_York');
      try {
        // 03:00 UTC on 03-02 is 22:00 on 03-01 in New York.
        now = Date.parse('2026-03-02T03:00:00Z');
        const won = await win(await create());
        assert.equal(won.expectedCloseDate, '2026-03-01');
      } finally {
        await setZone('Asia/Shanghai');
      }
    });

    it('counts a next step dated yesterday in Shanghai as overdue on the board, the card and the attention list', async () => {
      now = Date.parse('2026-03-01T17:30:00Z');
      const opportunity = await create({ nextStep: '回访', nextStepDate: '2026-03-01' });
      assert.deepEqual(opportunity.problems, ['no_plan'], 'on 03-02 in Shanghai a step planned for 03-01 is past');
      const onTime = await create({ nextStep: '回访', nextStepDate: '2026-03-02' });
      assert.deepEqual(onTime.problems, []);
      const board = json<Board>(await as.rep('GET', `/api/v1/opportunities/board?processId=${processId}`));
      const cards = board.columns.flatMap((c) => c.cards);
      assert.deepEqual(cards.find((c) => c.id === opportunity.id)?.problems, ['no_plan']);
      assert.deepEqual(cards.find((c) => c.id === onTime.id)?.problems, []);
      const attention = json<{ items: { id: number }[] }>(
        await as.rep('GET', '/api/v1/opportunities/attention?problem=no_plan'),
      );
      assert.ok(attention.items.some((i) => i.id === opportunity.id));
      assert.ok(!attention.items.some((i) => i.id === onTime.id));
    });

    it("shows on the board what was won in the last 30 days up to the request's clock", async () => {
      now = Date.parse('2026-03-01T17:30:00Z');
      const won = await win(await create({ name: '月初签约' }));
      const wonCards = (at: number) => {
        now = at;
        return as.rep('GET', `/api/v1/opportunities/board?processId=${processId}`).then((res) =>
          json<Board>(res)
            .columns.find((c) => c.stage.won)!
            .cards.map((c) => c.id),
        );
      };
      assert.ok((await wonCards(Date.parse('2026-03-20T00:00:00Z'))).includes(won.id));
      assert.ok(
        !(await wonCards(Date.parse('2026-04-15T00:00:00Z'))).includes(won.id),
        'more than 30 days later it is off the board',
      );
    });
  });
}
