import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { loadDemo } from '../../src/demo/load.ts';
import { createTestDb, testEngines } from '../helpers/db.ts';

/** The demo's weekly forecasts (docs/targets.md § Weekly submissions): a quarter of history for the reports to tell. */
for (const engine of testEngines()) {
  describe(`demo forecasts [${engine}]`, () => {
    it("has thirteen weeks of submissions naming their deals, managers' adjustments in the last weeks, and payment plans of large deals", async () => {
      const db = await createTestDb(engine);
      try {
        const started = Date.now();
        const { workspaceId } = await loadDemo(db);
        const kysely = db.kysely;
        const subs = await kysely
          .selectFrom('forecast_submissions')
          .selectAll()
          .where('workspace_id', '=', workspaceId)
          .execute();
        const weeks = new Set(subs.map((s) => s.week_start));
        assert.equal(weeks.size, 13, `${weeks.size} weeks`);
        const sellers = new Set(subs.map((s) => s.user_id));
        assert.ok(sellers.size >= 15, `${sellers.size} people submitted`);
        // One current submission per person and week, each forecast as the formula gives from its own figures.
        assert.equal(new Set(subs.map((s) => `${s.user_id}:${s.week_start}`)).size, subs.length);
        for (const sub of subs)
          assert.ok(
            Number(sub.forecast) >= Number(sub.realised) + Math.round((Number(sub.commit_amount) * 70) / 100),
            `submission ${sub.id}`,
          );
        const named = await kysely
          .selectFrom('forecast_submission_deals')
          .select('submission_id')
          .where('workspace_id', '=', workspaceId)
          .execute();
        // A submission names the seller's committed and possible deals of the week's quarter, so how many
        // name any moves with the day the demo is loaded (its deals are dated from today): 0.276-0.38 of
        // them over a year of days, lowest late in a quarter. The bar was a third, which about half the
        // days of a year missed (a test that failed on 7 December 2026).
        const naming = new Set(named.map((d) => d.submission_id)).size;
        assert.ok(naming >= subs.length / 4, `${naming} of ${subs.length} submissions name deals`);
        const adjustments = await kysely
          .selectFrom('forecast_adjustments')
          .selectAll()
          .where('workspace_id', '=', workspaceId)
          .execute();
        assert.ok(adjustments.length >= 3 && new Set(adjustments.map((a) => a.week_start)).size <= 3);
        // Payment plans of large deals (docs/targets.md § Expected collections): each adds up to its deal.
        const plans = await kysely
          .selectFrom('payment_installments')
          .innerJoin('opportunities', 'opportunities.id', 'payment_installments.opportunity_id')
          .select(['opportunities.id', 'opportunities.status', 'opportunities.amount'])
          .select((eb) => eb.fn.sum<number>('payment_installments.amount').as('planned'))
          .where('payment_installments.workspace_id', '=', workspaceId)
          .groupBy(['opportunities.id', 'opportunities.status', 'opportunities.amount'])
          .execute();
        assert.ok(plans.some((plan) => plan.status === 'won') && plans.some((plan) => plan.status === 'open'));
        for (const plan of plans) assert.equal(Number(plan.planned), Number(plan.amount), `deal ${plan.id}`);
        assert.ok(Date.now() - started < 60_000);
      } finally {
        await db.close();
      }
    });
  });
}
