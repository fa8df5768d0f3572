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
import type { CollectionsResponse, PaymentPlan } from '../../src/contracts/collections.ts';
import type { FunnelResponse } from '../../src/contracts/funnel.ts';
import type { Rules } from '../../src/contracts/rules.ts';
import { rebuildFunnel } from '../../src/modules/funnel/upkeep.ts';

/**
 * Payment plans and the expected collections of large projects (docs/targets.md § Expected
 * collections): FY2026-Q4 (1 October 2026 – 1 January 2027), the clock on 5 December 2026.
 */
const T0 = Date.UTC(2026, 11, 5, 4);
const DAY = 86_400_000;
const Q4 = 'FY2026-Q4';

for (const engine of testEngines()) {
  describe(`expected collections [${engine}]`, () => {
    let testApp: TestApp;
    let fixture: Fixture;
    let extras: Extras;
    let as: (who: keyof Fixture['users']) => Promise<Call>;
    const ids: Record<'open' | 'planned' | 'wonBefore' | 'wonNow' | 'elsewhere', number> = {
      open: 0,
      planned: 0,
      wonBefore: 0,
      wonNow: 0,
      elsewhere: 0,
    };
    const kysely = () => testApp.db.kysely;

    async function deal(spec: {
      amount: number;
      status: 'open' | 'won';
      stage: number;
      close: string;
      owner?: number;
      unit?: number;
    }) {
      return (
        await kysely()
          .insertInto('opportunities')
          .values({
            workspace_id: fixture.workspaceId,
            account_id: spec.owner ? fixture.accounts.rep2Account : fixture.accounts.repAccount,
            name: `large ${spec.amount / 100} ${spec.status}`,
            owner_id: spec.owner ?? fixture.users.rep.id,
            org_unit_id: spec.unit ?? fixture.units.sales1,
            amount: spec.amount,
            status: spec.status,
            expected_close_date: spec.close,
            closed_at: spec.status === 'won' ? Date.parse(`${spec.close}T04:00:00Z`) : null,
            process_id: extras.processes.small.id,
            stage_id: extras.processes.small.stageIds[spec.stage]!,
            stage_entered_at: T0 - 10 * DAY,
            created_at: T0 - 200 * DAY,
            updated_at: T0,
            version: 1,
          })
          .returning('id')
          .executeTakeFirstOrThrow()
      ).id;
    }

    before(async () => {
      testApp = await createTestApp(
        engine,
        { sessionIdleMs: 400 * DAY, sessionAbsoluteMs: 400 * DAY },
        { clock: () => T0 },
      );
      fixture = await seedWorkspace(testApp, 'collections');
      extras = await seedExtras(testApp, fixture);
      as = async (who) => client(testApp, await sessionCookie(testApp, fixture.workspaceId, fixture.users[who].id));
      const last = extras.processes.small.stageIds.length - 1;
      ids.open = await deal({ amount: 400_000_00, status: 'open', stage: 1, close: '2026-12-20' });
      ids.planned = await deal({ amount: 1_000_000_00, status: 'open', stage: 2, close: '2026-12-28' });
      ids.wonBefore = await deal({ amount: 800_000_00, status: 'won', stage: last, close: '2026-06-01' });
      ids.wonNow = await deal({ amount: 500_000_00, status: 'won', stage: last, close: '2026-11-20' });
      ids.elsewhere = await deal({
        amount: 900_000_00,
        status: 'open',
        stage: 1,
        close: '2026-12-20',
        owner: fixture.users.rep2.id,
        unit: fixture.units.sales3,
      });
      // Written directly, as a bulk load would: count them once.
      await rebuildFunnel(kysely(), fixture.workspaceId);
    });
    after(() => testApp.close());

    it('saves a payment plan whole: first without a version, then with the version read; stale is 409', async () => {
      const rep = await as('rep');
      const empty = json<PaymentPlan>(await rep('GET', `/api/v1/opportunities/${ids.planned}/payment-plan`));
      assert.deepEqual([empty.installments, empty.version, empty.canEdit], [[], null, true]);
      const first = await rep('PUT', `/api/v1/opportunities/${ids.planned}/payment-plan`, {
        installments: [
          { dueDate: '2027-03-01', amount: 700_000_00 },
          { dueDate: '2026-12-30', amount: 300_000_00, note: '首付款' },
        ],
      });
      assert.equal(first.statusCode, 200, first.body);
      const plan = json<PaymentPlan>(first);
      assert.deepEqual(
        plan.installments.map((i) => i.dueDate),
        ['2026-12-30', '2027-03-01'],
        'by due date',
      );
      assert.deepEqual([plan.total, plan.version], [1_000_000_00, 1]);
      const again = await rep('PUT', `/api/v1/opportunities/${ids.planned}/payment-plan`, { installments: [] });
      assert.equal(again.statusCode, 409, 'a second first plan: someone saved one meanwhile');
      const second = await rep('PUT', `/api/v1/opportunities/${ids.planned}/payment-plan`, {
        version: 1,
        installments: [
          { dueDate: '2026-12-30', amount: 300_000_00, note: '首付款' },
          { dueDate: '2027-03-01', amount: 700_000_00 },
        ],
      });
      assert.equal(json<PaymentPlan>(second).version, 2);
      const stale = await (
        await as('manager')
      )('PUT', `/api/v1/opportunities/${ids.planned}/payment-plan`, {
        version: 1,
        installments: [],
      });
      assert.equal(stale.statusCode, 409, 'two people editing the plan at once');
      assert.equal(
        json<PaymentPlan>(await rep('GET', `/api/v1/opportunities/${ids.planned}/payment-plan`)).installments.length,
        2,
        'nothing saved by the stale one',
      );
      const won = await (
        await as('admin')
      )('PUT', `/api/v1/opportunities/${ids.wonBefore}/payment-plan`, {
        installments: [
          { dueDate: '2026-06-10', amount: 400_000_00 },
          { dueDate: '2026-11-15', amount: 400_000_00 },
        ],
      });
      assert.equal(won.statusCode, 200, won.body);
    });

    it('bad input names the field and nothing is saved; a deal out of sight is 404', async () => {
      const rep = await as('rep');
      const put = (id: number, body: object) => rep('PUT', `/api/v1/opportunities/${id}/payment-plan`, body);
      const cases: [object, string][] = [
        [{ installments: [{ dueDate: '2027-01-01', amount: 0 }] }, 'installments.0.amount'],
        [{ installments: [{ dueDate: '2027-01-01', amount: 12.5 }] }, 'installments.0.amount'],
        [{ installments: [{ dueDate: '2027-01-01', amount: -100 }] }, 'installments.0.amount'],
        [{ installments: [{ dueDate: '2027-13-01', amount: 100 }] }, 'installments.0.dueDate'],
        [{ installments: [{ dueDate: '2027-01-01', amount: 400_000_01 }] }, 'installments'],
      ];
      for (const [body, field] of cases) {
        const res = await put(ids.open, body);
        assert.equal(res.statusCode, 400, `${JSON.stringify(body)}: ${res.body}`);
        assert.equal(json<{ errors: { field: string }[] }>(res).errors[0]!.field, field);
      }
      assert.equal(
        json<PaymentPlan>(await rep('GET', `/api/v1/opportunities/${ids.open}/payment-plan`)).version,
        null,
        'nothing saved',
      );
      assert.equal((await put(ids.elsewhere, { installments: [] })).statusCode, 404);
      assert.equal(
        (await (await as('rep2'))('GET', `/api/v1/opportunities/${ids.planned}/payment-plan`)).statusCode,
        404,
      );
    });

    it("counts the open large deals' expected amount × the first-period share, planned ones by their installments due, won ones' installments due, × realisation", async () => {
      const manager = await as('manager');
      const query = `scope=unit:${fixture.units.shanghai}&processId=${extras.processes.small.id}&period=${Q4}`;
      const shown = json<FunnelResponse>(await manager('GET', `/api/v1/funnel?${query}`));
      const res = await manager('GET', `/api/v1/funnel/collections?${query}`);
      assert.equal(res.statusCode, 200, res.body);
      const figures = json<CollectionsResponse>(res);
      const stageAt = (index: number) =>
        shown.stages.find((s) => s.stageId === extras.processes.small.stageIds[index])!;
      // Large deals the fixture seeded itself (none by default) would count as unplanned ones.
      const seeded = (stage: FunnelResponse['stages'][number], own: number) =>
        Math.round(((stage.large.amount - own) * stage.probability * 50) / 10_000);
      const stage1 = Math.round((400_000_00 * stageAt(1).probability * 50) / 10_000) + seeded(stageAt(1), 400_000_00);
      const stage2 = Math.round((300_000_00 * stageAt(2).probability) / 100) + seeded(stageAt(2), 1_000_000_00);
      assert.equal(figures.stages.find((s) => s.stageId === stageAt(1).stageId)!.collections, stage1);
      assert.equal(figures.stages.find((s) => s.stageId === stageAt(2).stageId)!.collections, stage2);
      assert.equal(figures.stages.find((s) => s.stageId === stageAt(2).stageId)!.planned, 1);
      assert.equal(figures.installments, 400_000_00, "the won deal's November installment, not June's");
      assert.equal(figures.wonUnplanned, 250_000_00, 'won in the quarter without a plan: half its amount');
      assert.equal(
        figures.open,
        figures.stages.reduce((a, s) => a + s.collections, 0),
      );
      assert.equal(figures.total, figures.open + 400_000_00 + 250_000_00);
      assert.deepEqual(
        figures.deals.map((d) => [d.id, d.status, d.dueInPeriod]),
        [
          [ids.wonBefore, 'won', 400_000_00],
          [ids.planned, 'open', 300_000_00],
        ],
      );
      assert.ok(
        figures.stages.every((s) => s.count === (shown.stages.find((x) => x.stageId === s.stageId)?.large.count ?? -1)),
        "the funnel's own large counts",
      );

      const admin = await as('admin');
      const rules = json<Rules>(await admin('GET', '/api/v1/workspace/rules'));
      const patched = await admin('PATCH', '/api/v1/workspace/rules', {
        version: rules.version,
        collectionFirstPeriodShare: 40,
        collectionRealisationPercent: 80,
      });
      assert.equal(patched.statusCode, 200, patched.body);
      const after = json<CollectionsResponse>(await manager('GET', `/api/v1/funnel/collections?${query}`));
      assert.equal(after.wonUnplanned, 200_000_00);
      assert.equal(after.total, Math.round((after.open + 400_000_00 + 200_000_00) * 0.8));
      await admin('PATCH', '/api/v1/workspace/rules', {
        version: json<Rules>(patched).version,
        collectionFirstPeriodShare: 50,
        collectionRealisationPercent: 100,
      });
    });

    it('a rep sees only their own; a scope out of reach is 403, a period that does not parse 400', async () => {
      const rep = await as('rep');
      const own = json<CollectionsResponse>(
        await rep('GET', `/api/v1/funnel/collections?processId=${extras.processes.small.id}&period=${Q4}`),
      );
      assert.equal(own.scope.id, fixture.users.rep.id);
      assert.equal(own.installments, 400_000_00);
      assert.equal((await rep('GET', `/api/v1/funnel/collections?scope=unit:${fixture.units.sales3}`)).statusCode, 403);
      assert.equal(
        (await (await as('manager'))('GET', `/api/v1/funnel/collections?scope=unit:${fixture.units.sales3}`))
          .statusCode,
        403,
      );
      assert.equal((await rep('GET', '/api/v1/funnel/collections?period=2026-13')).statusCode, 400);
      assert.equal((await rep('GET', '/api/v1/funnel/collections?period=all')).statusCode, 400);
      const rep2 = json<CollectionsResponse>(
        await (
          await as('rep2')
        )('GET', `/api/v1/funnel/collections?processId=${extras.processes.small.id}&period=${Q4}`),
      );
      assert.equal(rep2.installments, 0, "rep2 sees none of the rep's plans");
      assert.deepEqual(rep2.deals, []);
    });
  });
}
