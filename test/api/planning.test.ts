import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { testEngines } from '../helpers/db.ts';
import { client, createTestApp, json, seedWorkspace, sessionCookie, type Call, type TestApp } from '../helpers/app.ts';
import type {
  ForecastResponse,
  FunnelGapResponse,
  GapResponse,
  StandardFunnelResponse,
} from '../../src/contracts/planning.ts';

type Problem = { code: string; errors: { field: string }[] };

for (const engine of testEngines()) {
  describe(`planning calculators [${engine}]`, () => {
    let testApp: TestApp;
    let rep: Call;
    before(async () => {
      testApp = await createTestApp(engine);
      const fixture = await seedWorkspace(testApp, 'a');
      rep = client(testApp, await sessionCookie(testApp, fixture.workspaceId, fixture.users.rep.id));
    });
    after(() => testApp.close());

    it('standard funnel: the worked example, with the headcount', async () => {
      const res = await rep('POST', '/api/v1/planning/standard-funnel', {
        quota: 1_300_000,
        averageDeal: 10_000,
        weeks: 13,
        newPerRepPerWeek: 4,
        stages: [
          { name: '意向', probability: 20 },
          { name: '方案', probability: 35 },
          { name: '谈判', probability: 70 },
        ],
      });
      assert.equal(res.statusCode, 200, res.body);
      assert.deepEqual(json<StandardFunnelResponse>(res), {
        dealsNeeded: 130,
        winsPerWeek: 10,
        newPerWeek: 50,
        repsNeeded: 13,
        stages: [
          { name: '意向', standard: 50 },
          { name: '方案', standard: 29 },
          { name: '谈判', standard: 15 },
        ],
      });
    });

    it('funnel gap: the flow projection of the worked example and the gap in first-stage deals', async () => {
      const res = await rep('POST', '/api/v1/planning/funnel-gap', {
        quota: 1_000_000,
        realised: 100_000,
        averageDeal: 10_000,
        stages: [
          { name: 'Intent', probability: 20, count: 100 },
          { name: 'Proposal', probability: 40, count: 40 },
          { name: 'Negotiation', probability: 80, count: 30 },
        ],
      });
      assert.equal(res.statusCode, 200, res.body);
      const funnelGap = json<FunnelGapResponse>(res);
      assert.deepEqual(
        funnelGap.weeks.map((w) => Math.round(w.wins * 1e6) / 1e6),
        [24, 16, 20],
      );
      assert.deepEqual(
        [
          funnelGap.expectedDeals,
          funnelGap.expectedAmount,
          funnelGap.gapAmount,
          funnelGap.gapDeals,
          funnelGap.firstStageNeeded,
        ],
        [60, 600_000, 300_000, 30, 150],
      );
    });

    it('forecast and P1–P4 gap: the worked examples', async () => {
      const forecast = await rep('POST', '/api/v1/planning/forecast', {
        quota: 500,
        realised: 100,
        commit: 200,
        possible: 160,
        weeksLeft: 5,
      });
      assert.deepEqual(json<ForecastResponse>(forecast), {
        forecast: 380,
        completion: 0.76,
        commitPart: 140,
        possiblePart: 40,
        unforecastPart: 100,
      });
      const gap = await rep('POST', '/api/v1/planning/gap', {
        quota: 100,
        finished: 20,
        commit: 50,
        nonCommit: 40,
        averageDeal: 5,
      });
      assert.deepEqual(json<GapResponse>(gap), {
        gap0: 80,
        gap1: 45,
        gap2: 35,
        gap3: 175,
        newAccounts: 35,
        newAccountsPerWeek: null,
      });
    });

    it('bad input names the field: negative or fractional fen, a probability over 100, zero weeks, a zero average deal', async () => {
      const cases: [string, unknown, string][] = [
        ['/api/v1/planning/forecast', { quota: -1, realised: 0, commit: 0, possible: 0, weeksLeft: 1 }, 'quota'],
        ['/api/v1/planning/forecast', { quota: 10.5, realised: 0, commit: 0, possible: 0, weeksLeft: 1 }, 'quota'],
        [
          '/api/v1/planning/standard-funnel',
          { quota: 100, averageDeal: 10, weeks: 0, stages: [{ name: 'a', probability: 20 }] },
          'weeks',
        ],
        [
          '/api/v1/planning/standard-funnel',
          { quota: 100, averageDeal: 0, weeks: 13, stages: [{ name: 'a', probability: 20 }] },
          'averageDeal',
        ],
        [
          '/api/v1/planning/funnel-gap',
          { quota: 100, realised: 0, averageDeal: 10, stages: [{ name: 'a', probability: 120, count: 1 }] },
          'stages.0.probability',
        ],
        ['/api/v1/planning/gap', { quota: 100, finished: 0, commit: 0, nonCommit: 0, averageDeal: 5, p3: 0 }, 'p3'],
      ];
      for (const [url, body, field] of cases) {
        const res = await rep('POST', url, body);
        assert.equal(res.statusCode, 400, `${url} ${JSON.stringify(body)}`);
        assert.deepEqual(
          json<Problem>(res).errors.map((e) => e.field),
          [field],
          `${url} ${JSON.stringify(body)}`,
        );
      }
    });

    it('needs a session', async () => {
      const res = await testApp.app.inject({
        method: 'POST',
        url: '/api/v1/planning/gap',
        payload: { quota: 1, finished: 0, commit: 0, nonCommit: 0, averageDeal: 1 },
      });
      assert.equal(res.statusCode, 401);
    });
  });
}
