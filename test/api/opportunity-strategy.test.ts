import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { testEngines } from '../helpers/db.ts';
import { json } from '../helpers/app.ts';
import { insightWorld, type InsightWorld } from '../helpers/opportunity-world.ts';
import type { Problem } from '../../src/contracts/common.ts';
import { STRATEGY_LEAVES } from '../fixtures/strategy-leaves.ts';
import type { Insight } from '../../src/contracts/opportunity-insight.ts';

for (const engine of testEngines()) {
  describe(`opportunity insight: the win-strategy wizard and the strategy stored [${engine}]`, () => {
    let testApp: InsightWorld['testApp'];
    let fixture: InsightWorld['fixture'];
    let as: InsightWorld['as'];
    let opp: InsightWorld['opp'];
    let insight: InsightWorld['insight'];
    before(async () => {
      ({ testApp, fixture, as, opp, insight } = await insightWorld(engine));
    });
    after(() => testApp.close());

    it('walks the win-strategy wizard to every strategy without saving', async () => {
      const next = async (answers: Record<string, boolean>) => {
        const res = await as.rep('POST', `/api/v1/opportunities/${opp}/strategy/next`, { answers });
        assert.equal(res.statusCode, 200, res.body);
        return json<{ done: boolean; next?: string; strategy?: string; path: { question: string; answer: boolean }[] }>(
          res,
        );
      };
      assert.deepEqual(await next({}), { done: false, next: 'urgentNeed', path: [] });
      assert.deepEqual(await next({ urgentNeed: true }), {
        done: false,
        next: 'canDeliver',
        path: [{ question: 'urgentNeed', answer: true }],
      });
      for (const [answers, strategy] of STRATEGY_LEAVES) {
        const outcome = await next(answers);
        assert.equal(outcome.done, true, JSON.stringify(answers));
        assert.equal(outcome.strategy, strategy, JSON.stringify(answers));
        assert.deepEqual(
          outcome.path.map((s) => s.question),
          Object.keys(answers),
        );
      }
      // The executive may try the wizard (read-only), but it saves nothing.
      assert.equal(
        (await as.executive('POST', `/api/v1/opportunities/${opp}/strategy/next`, { answers: { urgentNeed: true } }))
          .statusCode,
        200,
      );
      assert.equal((await insight()).strategy, null);
      const bad = await as.rep('POST', `/api/v1/opportunities/${opp}/strategy/next`, {
        answers: { urgentNeed: 'yes' },
      });
      assert.equal(bad.statusCode, 400);
      assert.equal(json<Problem>(bad).errors![0]!.field, 'answers.urgentNeed');
      const unknown = await as.rep('POST', `/api/v1/opportunities/${opp}/strategy/next`, { answers: { budget: true } });
      assert.equal(json<Problem>(unknown).errors![0]!.field, 'answers.budget');
    });

    it('stores a strategy only when the answers reach one, with its path and in the history', async () => {
      let version = (await insight()).version;
      const partial = await as.rep('PUT', `/api/v1/opportunities/${opp}/strategy`, {
        version: version,
        answers: { urgentNeed: true, canDeliver: true },
      });
      assert.equal(partial.statusCode, 400, partial.body);
      assert.deepEqual(
        json<Problem>(partial).errors!.map((e) => e.field),
        ['answers.incumbent'],
      );
      const empty = await as.rep('PUT', `/api/v1/opportunities/${opp}/strategy`, { version: version, answers: {} });
      assert.deepEqual(
        json<Problem>(empty).errors!.map((e) => e.field),
        ['answers.urgentNeed'],
      );
      assert.equal((await insight()).strategy, null);

      const res = await as.rep('PUT', `/api/v1/opportunities/${opp}/strategy`, {
        version: version,
        answers: {
          urgentNeed: true,
          canDeliver: true,
          incumbent: false,
          threeToOne: false,
          canChangeCriteria: true,
          worthWaiting: true,
        },
      });
      assert.equal(res.statusCode, 200, res.body);
      const saved = json<Insight>(res);
      assert.equal(saved.strategy!.strategy, 'flanking');
      assert.deepEqual(saved.strategy!.path, [
        { question: 'urgentNeed', answer: true },
        { question: 'canDeliver', answer: true },
        { question: 'incumbent', answer: false },
        { question: 'threeToOne', answer: false },
        { question: 'canChangeCriteria', answer: true },
      ]);
      assert.deepEqual(
        saved.strategy!.answers,
        { urgentNeed: true, canDeliver: true, incumbent: false, threeToOne: false, canChangeCriteria: true },
        'the answer off the path is dropped',
      );
      assert.equal(saved.strategy!.decidedBy, fixture.users.rep.id);
      assert.equal(saved.strategy!.decidedByName, `rep ins`);
      assert.ok(Math.abs(saved.strategy!.decidedAt - Date.now()) < 60_000);
      version = saved.version;
      assert.equal(
        (
          await as.rep('PUT', `/api/v1/opportunities/${opp}/strategy`, {
            version: version - 1,
            answers: { urgentNeed: true, canDeliver: true, incumbent: true },
          })
        ).statusCode,
        409,
      );
      const again = json<Insight>(
        await as.manager('PUT', `/api/v1/opportunities/${opp}/strategy`, {
          version: version,
          answers: { urgentNeed: true, canDeliver: true, incumbent: true },
        }),
      );
      assert.equal(again.strategy!.strategy, 'defend');
      assert.equal(again.strategy!.decidedByName, 'manager ins');
      const hist = await testApp.db.kysely
        .selectFrom('record_history')
        .select(['old_value', 'new_value', 'reason'])
        .where('workspace_id', '=', fixture.workspaceId)
        .where('entity_id', '=', opp)
        .where('field', '=', 'strategy')
        .orderBy('id')
        .execute();
      assert.deepEqual(
        hist.map((h) => [h.old_value, h.new_value]),
        [
          [null, 'flanking'],
          ['flanking', 'defend'],
        ],
      );
      assert.equal(
        hist[0]!.reason,
        'urgentNeed=yes → canDeliver=yes → incumbent=no → threeToOne=no → canChangeCriteria=yes',
      );
    });
  });
}
