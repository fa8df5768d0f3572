import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { testEngines } from '../helpers/db.ts';
import { json } from '../helpers/app.ts';
import { handoverWorld, readyHandover, type HandoverWorld } from '../helpers/handover-world.ts';
import { recountTotals, storedTotals } from '../../src/modules/funnel/repository/recount.ts';
import type { HandoverDetail as Detail, HandoverPage } from '../../src/contracts/handovers.ts';

/**
 * Handover on departure (docs/archive.md), the completion: everything moves in one go with the
 * funnel's totals, the user is deactivated and signed out, the record stays readable and closed, and
 * each caller sees only the handovers in reach. On a handover made ready as
 * test/api/handover-drafting.test.ts leaves it (test/helpers/handover-world.ts readyHandover).
 */
for (const engine of testEngines()) {
  describe(`handover: completion and the record [${engine}]`, () => {
    let testApp: HandoverWorld['testApp'];
    let fixtureA: HandoverWorld['fixtureA'];
    let fixtureB: HandoverWorld['fixtureB'];
    let colleague: number;
    let oppId: number;
    let handover: Detail;
    let as: HandoverWorld['as'];
    const kysely = () => testApp.db.kysely;

    before(async () => {
      const world = await handoverWorld(engine);
      ({ testApp, fixtureA, fixtureB, colleague, oppId, as } = world);
      handover = await readyHandover(world);
    });
    after(() => testApp.close());

    it('completes in one go: everything moves, nothing is left owned, the user is deactivated and signed out', async () => {
      const repSession = await as('rep');
      assert.equal((await repSession('GET', '/api/v1/auth/me')).statusCode, 200);
      const asManager = await as('manager');
      assert.equal(
        (await asManager('POST', `/api/v1/handovers/${handover.id}/complete`, { version: handover.version - 1 }))
          .statusCode,
        409,
        'stale version',
      );
      const res = await asManager('POST', `/api/v1/handovers/${handover.id}/complete`, { version: handover.version });
      assert.equal(res.statusCode, 200, res.body);
      const done = json<Detail>(res);
      assert.equal(done.status, 'completed');
      assert.equal(done.fromUser.active, false);
      assert.deepEqual(done.summary!.counts, { account: 2, opportunity: 1, team: 1, relationship: 1, territory: 1 });
      // The funnel's kept totals moved with the deal, in the same transaction (docs/targets.md § Funnel).
      const totals = await storedTotals(kysely(), fixtureA.workspaceId);
      assert.deepEqual(
        totals.map((r) => `${r.owner_id}:${r.deals}`).sort(),
        (await recountTotals(kysely(), fixtureA.workspaceId, 200_000_00)).map((r) => `${r.owner_id}:${r.deals}`).sort(),
      );
      assert.ok(
        totals.every((r) => r.owner_id !== fixtureA.users.rep.id),
        'nothing left counted for the departed rep',
      );
      const rep = fixtureA.users.rep.id;
      const ws = fixtureA.workspaceId;
      const left = await Promise.all([
        kysely()
          .selectFrom('accounts')
          .select('id')
          .where('workspace_id', '=', ws)
          .where('owner_id', '=', rep)
          .execute(),
        kysely()
          .selectFrom('opportunities')
          .select('id')
          .where('workspace_id', '=', ws)
          .where('owner_id', '=', rep)
          .execute(),
        kysely()
          .selectFrom('opportunity_team')
          .select('id')
          .where('workspace_id', '=', ws)
          .where('user_id', '=', rep)
          .execute(),
        kysely()
          .selectFrom('buying_roles')
          .select('id')
          .where('workspace_id', '=', ws)
          .where('holder_user_id', '=', rep)
          .execute(),
        kysely()
          .selectFrom('territory_rules')
          .select('id')
          .where('workspace_id', '=', ws)
          .where('user_id', '=', rep)
          .execute(),
        kysely().selectFrom('sessions').select('id').where('user_id', '=', rep).execute(),
      ]);
      assert.deepEqual(
        left.map((l) => l.length),
        [0, 0, 0, 0, 0, 0],
      );
      const acc = await kysely()
        .selectFrom('accounts')
        .select(['owner_id', 'org_unit_id'])
        .where('id', '=', fixtureA.accounts.repAccount)
        .executeTakeFirstOrThrow();
      assert.deepEqual(acc, { owner_id: colleague, org_unit_id: fixtureA.units.sales1 });
      assert.equal(
        (
          await kysely()
            .selectFrom('opportunities')
            .select('owner_id')
            .where('id', '=', oppId)
            .executeTakeFirstOrThrow()
        ).owner_id,
        colleague,
      );
      const team = await kysely()
        .selectFrom('opportunity_team')
        .select('user_id')
        .where('opportunity_id', '=', oppId)
        .execute();
      assert.deepEqual(
        team.map((x) => x.user_id),
        [colleague],
        "the seat folded into the colleague's",
      );
      assert.equal(
        (
          await kysely()
            .selectFrom('buying_roles')
            .select('holder_user_id')
            .where('id', '=', fixtureA.buyingRoles.repRole)
            .executeTakeFirstOrThrow()
        ).holder_user_id,
        fixtureA.users.presales.id,
      );
      const hist = await kysely()
        .selectFrom('record_history')
        .select(['entity_type', 'reason', 'old_value', 'new_value'])
        .where('workspace_id', '=', ws)
        .where('reason', '=', 'handover')
        .execute();
      assert.equal(hist.filter((x) => x.entity_type === 'account').length, 2);
      assert.ok(hist.every((x) => x.old_value === String(rep) && x.new_value === String(colleague)));
      const user = await kysely()
        .selectFrom('users')
        .select(['active', 'deactivated_at'])
        .where('id', '=', rep)
        .executeTakeFirstOrThrow();
      assert.equal(user.active, 0);
      assert.ok(Number(user.deactivated_at) > 0);
      assert.equal((await repSession('GET', '/api/v1/auth/me')).statusCode, 401);
      const audit = await kysely()
        .selectFrom('audit_log')
        .select('action')
        .where('workspace_id', '=', ws)
        .where('target_id', '=', rep)
        .execute();
      assert.ok(audit.some((x) => x.action === 'handover.complete'));
    });

    it('keeps the completed record readable and closed to changes', async () => {
      const asManager = await as('manager');
      const rec = json<Detail>(await asManager('GET', `/api/v1/handovers/${handover.id}`));
      assert.equal(rec.status, 'completed');
      assert.equal(rec.items.length, 6);
      assert.equal(rec.items.find((i) => i.keyAccount)!.note!.state, '二期合同执行中，回款正常');
      assert.equal(
        (
          await asManager('PATCH', `/api/v1/handovers/${handover.id}/items`, {
            items: [{ itemId: rec.items[0]!.id, toUserId: colleague }],
          })
        ).statusCode,
        409,
      );
      const list = json<HandoverPage>(await asManager('GET', '/api/v1/handovers'));
      assert.deepEqual(
        list.items.map((x) => [x.id, x.status, x.itemCount, x.assignedCount]),
        [[handover.id, 'completed', 6, 6]],
      );
    });

    it('a manager sees only handovers in their subtree; another workspace sees none (404)', async () => {
      const admin = await as('admin');
      const other = json<Detail>(await admin('POST', '/api/v1/handovers', { fromUserId: fixtureA.users.rep2.id }));
      const asManager = await as('manager');
      assert.equal((await asManager('GET', `/api/v1/handovers/${other.id}`)).statusCode, 404);
      assert.ok(!json<HandoverPage>(await asManager('GET', '/api/v1/handovers')).items.some((x) => x.id === other.id));
      const adminB = await as('admin', fixtureB);
      assert.equal((await adminB('GET', `/api/v1/handovers/${handover.id}`)).statusCode, 404);
      assert.equal(
        (await adminB('POST', `/api/v1/handovers/${other.id}/complete`, { version: other.version })).statusCode,
        404,
      );
      assert.equal(json<HandoverPage>(await adminB('GET', '/api/v1/handovers')).total, 0);
      // A cancelled draft leaves the user active.
      const cancelled = await admin('POST', `/api/v1/handovers/${other.id}/cancel`, { version: other.version });
      assert.equal(json<Detail>(cancelled).status, 'cancelled');
      assert.equal(
        (
          await kysely()
            .selectFrom('users')
            .select('active')
            .where('id', '=', fixtureA.users.rep2.id)
            .executeTakeFirstOrThrow()
        ).active,
        1,
      );
    });
  });
}
