import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { loadDemo } from '../../src/demo/load.ts';
import { DEMO_PRODUCTS } from '../../src/demo/accounts.ts';
import { DEMO_LINES } from '../../src/demo/lines.ts';
import { periodAt } from '../../src/domain/calendar.ts';
import { loadRules } from '../../src/modules/workspace/service.ts';
import { quotaFor } from '../../src/modules/quotas/service.ts';
import { createTestDb, testEngines } from '../helpers/db.ts';

/**
 * The demo's business lines (docs/targets.md § Business lines): the lines sell exactly the
 * products the demo's deals name, every line has deals open and won this year, and the
 * quotas are split by line so attainment by line tells a story (not the same for every line).
 */
for (const engine of testEngines()) {
  describe(`demo business lines [${engine}]`, () => {
    it('lines over the products its deals sell, deals stamped, quotas split by line with attainment differing', async () => {
      const db = await createTestDb(engine);
      try {
        const { workspaceId } = await loadDemo(db);
        const { kysely } = db;
        const { settings, calendar } = await loadRules(kysely, workspaceId);
        assert.deepEqual(settings.businessLines, DEMO_LINES);
        assert.deepEqual(DEMO_LINES.flatMap((line) => line.products).sort(), [...DEMO_PRODUCTS].sort());
        assert.ok(DEMO_LINES.length >= 2 && DEMO_LINES.length <= 3);

        // Every deal counts toward the line of its one product, stamped as the funnel counts it.
        const deals = await kysely
          .selectFrom('opportunities')
          .select(['products', 'business_line', 'status', 'amount', 'expected_close_date'])
          .where('workspace_id', '=', workspaceId)
          .execute();
        for (const deal of deals) {
          const [product] = JSON.parse(deal.products) as string[];
          const line = DEMO_LINES.find((l) => l.products.includes(product!));
          assert.equal(deal.business_line, line?.key, `${product}`);
        }
        const year = periodAt('fiscalYear', Date.now(), calendar);
        const wonThisYear = (key: string) =>
          deals
            .filter(
              (deal) =>
                deal.business_line === key &&
                deal.status === 'won' &&
                deal.expected_close_date! >= year.start &&
                deal.expected_close_date! < year.end,
            )
            .reduce((sum, d) => sum + Number(d.amount), 0);
        for (const line of DEMO_LINES) {
          assert.ok(
            deals.some((d) => d.business_line === line.key && d.status === 'open'),
            `${line.key} open`,
          );
          assert.ok(wonThisYear(line.key) > 0, `${line.key} won this year`);
        }

        // Every quota is split by line, shares adding up to 100.
        const quotas = await kysely
          .selectFrom('quotas')
          .select(['subject_type', 'categories'])
          .where('workspace_id', '=', workspaceId)
          .execute();
        assert.ok(quotas.some((q) => q.subject_type === 'unit'));
        for (const quota of quotas) {
          const split = JSON.parse(quota.categories) as { key: string; share: number }[];
          assert.ok(split.length > 0, 'split by line');
          assert.ok(split.every((c) => DEMO_LINES.some((line) => line.key === c.key)));
          assert.equal(
            split.reduce((sum, c) => sum + c.share, 0),
            100,
          );
        }
        // The company's year: the lines share the whole quota, and each line's attainment is its own.
        const company = await quotaFor(kysely, workspaceId, { kind: 'workspace' }, year);
        const byLine = DEMO_LINES.map((line) => company.categories[line.key] ?? 0);
        assert.equal(
          byLine.reduce((a, b) => a + b, 0),
          company.amount,
        );
        const attainment = DEMO_LINES.map((line, index) => wonThisYear(line.key) / byLine[index]!);
        assert.ok(
          new Set(attainment.map((x) => x.toFixed(2))).size > 1,
          `attainment by line differs: ${attainment.join(', ')}`,
        );
      } finally {
        await db.close();
      }
    });
  });
}
