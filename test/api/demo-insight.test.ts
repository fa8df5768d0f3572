import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { testEngines } from '../helpers/db.ts';
import { loadDemo } from '../../src/demo/load.ts';
import { client, createTestApp, json, sessionCookie, type TestApp } from '../helpers/app.ts';
import type { Insight } from '../../src/contracts/opportunity-insight.ts';

for (const engine of testEngines()) {
  describe(`demo opportunity insight [${engine}]`, () => {
    let testApp: TestApp;
    let workspaceId: number;
    before(async () => {
      testApp = await createTestApp(engine);
      workspaceId = (await loadDemo(testApp.db, { force: true })).workspaceId;
    });
    after(() => testApp.close());

    it('fills qualification, analysis, strategies, reviews and opportunity buying roles', async () => {
      const kysely = testApp.db.kysely;
      const open = await kysely
        .selectFrom('opportunities')
        .select(['id', 'amount', 'qualification', 'competitors', 'win_strategy', 'advantage_lost', 'owner_id'])
        .where('workspace_id', '=', workspaceId)
        .where('status', '=', 'open')
        .orderBy('id')
        .execute();
      const share = (n: number) => n / open.length;
      const qualified = open.filter((o) => o.qualification !== '{}');
      assert.ok(
        share(qualified.length) > 0.6 && share(qualified.length) < 0.95,
        `qualified ${qualified.length}/${open.length}`,
      );
      const withStrategy = open.filter((o) => o.win_strategy !== null);
      assert.ok(
        share(withStrategy.length) > 0.3 && share(withStrategy.length) < 0.7,
        `strategies ${withStrategy.length}/${open.length}`,
      );
      const lost = open.filter((o) => o.advantage_lost === 1);
      assert.ok(lost.length >= 3 && share(lost.length) < 0.2, `advantage lost ${lost.length}`);
      const large = open.filter((o) => o.amount >= 200_000_00);
      for (const opportunity of large) {
        const names = (JSON.parse(opportunity.competitors) as { name: string }[]).map((c) => c.name);
        assert.ok(
          names.length >= 1 && names.length <= 3 && new Set(names).size === names.length,
          `${opportunity.id}: ${opportunity.competitors}`,
        );
      }
      const reviews = await kysely
        .selectFrom('opportunity_reviews as r')
        .innerJoin('users as u', 'u.id', 'r.reviewer_id')
        .select(['u.role'])
        .where('r.workspace_id', '=', workspaceId)
        .execute();
      assert.ok(reviews.length >= 5, `reviews ${reviews.length}`);
      assert.ok(reviews.every((r) => r.role === 'manager'));
      const oppRoles = await kysely
        .selectFrom('buying_roles')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('workspace_id', '=', workspaceId)
        .where('opportunity_id', 'is not', null)
        .executeTakeFirstOrThrow();
      assert.ok(Number(oppRoles.n) > 0);

      // Through the API, as the owner of a weakened one: the facts, the problem, the strategy path.
      const item = lost[0]!;
      const as = client(testApp, await sessionCookie(testApp, workspaceId, item.owner_id));
      const insight = json<Insight>(await as('GET', `/api/v1/opportunities/${item.id}/insight`));
      assert.ok(insight.weakened.length >= 1, JSON.stringify(insight.weakened));
      assert.ok(insight.problems.includes('advantage_lost'));
      assert.ok(insight.qualificationScore >= 0 && insight.qualificationScore < 100);
      const strategyOpportunity = withStrategy[0]!;
      const owner = client(testApp, await sessionCookie(testApp, workspaceId, strategyOpportunity.owner_id));
      const si = json<Insight>(await owner('GET', `/api/v1/opportunities/${strategyOpportunity.id}/insight`));
      assert.ok(si.strategy && si.strategy.path.length >= 2 && si.strategy.decidedByName, JSON.stringify(si.strategy));
    });
  });
}
