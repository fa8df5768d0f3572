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
import type { CadenceAccount, ComplianceResponse } from '../../src/contracts/activities.ts';

/**
 * A follow-up is due on a date of the workspace (Asia/Shanghai here), not at an instant (docs/rhythm.md § Cadence).
 * At 10:00 on 9 March an A account last visited at 09:00 on 2 March is due today — not overdue, although
 * 7 × 24 hours have passed — and one visited at 23:30 on 1 March was due yesterday: overdue. Every reader agrees:
 * the account page, the overdue list, the supervision view and its drill-down.
 */
for (const engine of testEngines()) {
  describe(`the follow-up due date is a workspace date [${engine}]`, () => {
    const NOW = Date.parse('2026-03-09T10:00:00+08:00');
    let testApp: TestApp;
    let fixture: Fixture;
    let as: (who: keyof Fixture['users']) => Promise<Call>;
    const ids: Record<string, number> = {};

    before(async () => {
      testApp = await createTestApp(engine, {}, { clock: () => NOW });
      fixture = await seedWorkspace(testApp, 'duedate');
      as = async (who) => client(testApp, await sessionCookie(testApp, fixture.workspaceId, fixture.users[who].id));
      const visited = {
        dueToday: Date.parse('2026-03-02T09:00:00+08:00'),
        dueYesterday: Date.parse('2026-03-01T23:30:00+08:00'),
        dueInSeven: Date.parse('2026-03-09T08:00:00+08:00'),
        dueInSix: Date.parse('2026-03-08T22:00:00+08:00'),
      };
      for (const [name, at] of Object.entries(visited))
        ids[name] = (
          await testApp.db.kysely
            .insertInto('accounts')
            .values({
              workspace_id: fixture.workspaceId,
              name: `到期-${name}`,
              name_key: `到期-${name}`,
              owner_id: fixture.users.rep.id,
              org_unit_id: fixture.units.sales1,
              tier: 'A',
              tier_computed: 'A',
              last_follow_up_at: at,
              created_at: at - 86_400_000,
              updated_at: at,
              version: 1,
            })
            .returning('id')
            .executeTakeFirstOrThrow()
        ).id;
    });
    after(() => testApp.close());

    it('the account page and the overdue list flag only the day after the due date', async () => {
      const rep = await as('rep');
      const flag = async (id: number) =>
        json<{ followUpOverdue: boolean }>(await rep('GET', `/api/v1/accounts/${id}`)).followUpOverdue;
      assert.equal(await flag(ids.dueToday!), false, 'due today is not overdue');
      assert.equal(await flag(ids.dueYesterday!), true, 'a visit at 23:30 Shanghai counts for its Shanghai date');
      const overdue = json<{ items: { id: number }[] }>(await rep('GET', '/api/v1/accounts?overdue=true&limit=500'));
      const listed = overdue.items.map((i) => i.id);
      assert.ok(listed.includes(ids.dueYesterday!));
      assert.ok(!listed.includes(ids.dueToday!));
    });

    it('the supervision view and its drill-down count by the same dates', async () => {
      const admin = await as('admin');
      const body = json<ComplianceResponse>(await admin('GET', '/api/v1/cadence/compliance'));
      const row = body.items.find((r) => r.userId === fixture.users.rep.id)!;
      const drill = async (state: string) =>
        json<{ items: CadenceAccount[] }>(
          await admin('GET', `/api/v1/cadence/accounts?ownerId=${fixture.users.rep.id}&state=${state}&limit=100`),
        ).items.map((i) => i.id);
      const overdue = await drill('overdue');
      const soon = await drill('due_soon');
      assert.ok(overdue.includes(ids.dueYesterday!));
      assert.ok(!overdue.includes(ids.dueToday!));
      // Due within the next 7 days: today … 15 March; the 16th is not.
      assert.ok(soon.includes(ids.dueToday!));
      assert.ok(soon.includes(ids.dueInSix!), 'due on the 15th');
      assert.ok(!soon.includes(ids.dueInSeven!), 'due on the 16th: on time');
      assert.equal(row.overdue, overdue.length, 'the count is the drill-down');
      assert.equal(row.dueSoon, soon.length);
    });
  });
}
