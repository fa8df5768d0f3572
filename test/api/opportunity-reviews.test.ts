import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { testEngines } from '../helpers/db.ts';
import { json } from '../helpers/app.ts';
import { insightWorld, type InsightWorld } from '../helpers/opportunity-world.ts';
import type { Problem } from '../../src/contracts/common.ts';
import type { Review } from '../../src/contracts/opportunity-insight.ts';
import type { TimelinePage } from '../../src/contracts/timeline.ts';

for (const engine of testEngines()) {
  describe(`opportunity insight: pipeline reviews and the advantage lost [${engine}]`, () => {
    let testApp: InsightWorld['testApp'];
    let fixture: InsightWorld['fixture'];
    let as: InsightWorld['as'];
    let opp: InsightWorld['opp'];
    let insight: InsightWorld['insight'];
    before(async () => {
      ({ testApp, fixture, as, opp, insight } = await insightWorld(engine));
    });
    after(() => testApp.close());

    it('records pipeline reviews by the owner and a manager over it, newest first; refuses others', async () => {
      const url = `/api/v1/opportunities/${opp}/reviews`;
      const repReview = await as.rep('POST', url, {
        completedStep: '完成技术交流',
        evidence: '会议纪要已上传',
        nextAction: '安排高层拜访',
        jointPlan: null,
      });
      assert.equal(repReview.statusCode, 201, repReview.body);
      assert.equal(json<Review>(repReview).reviewerName, 'rep ins');
      const managerReview = await as.manager('POST', url, {
        completedStep: '方案汇报',
        nextAction: '提交报价',
        jointPlan: '经理陪同拜访总经理',
      });
      assert.equal(managerReview.statusCode, 201, managerReview.body);
      const created = json<Review>(managerReview);
      assert.deepEqual(
        [created.completedStep, created.evidence, created.nextAction, created.jointPlan],
        ['方案汇报', null, '提交报价', '经理陪同拜访总经理'],
      );
      // Presales may see it but is neither owner nor manager; rep2 cannot see it at all; finance has no access.
      assert.equal((await as.presales('POST', url, { completedStep: 'x', nextAction: 'y' })).statusCode, 404);
      assert.equal((await as.rep2('POST', url, { completedStep: 'x', nextAction: 'y' })).statusCode, 404);
      assert.equal((await as.finance('POST', url, { completedStep: 'x', nextAction: 'y' })).statusCode, 403);
      const missing = await as.rep('POST', url, { evidence: 'only evidence' });
      assert.equal(missing.statusCode, 400);
      assert.deepEqual(
        json<Problem>(missing)
          .errors!.map((e) => e.field)
          .sort(),
        ['completedStep', 'nextAction'],
      );
      const blank = await as.rep('POST', url, { completedStep: '  ', nextAction: '跟进' });
      assert.deepEqual(
        json<Problem>(blank).errors!.map((e) => e.field),
        ['completedStep'],
      );
      const list = json<{ items: Review[] }>(await as.executive('GET', url)).items;
      assert.deepEqual(
        list.map((r) => r.completedStep),
        ['方案汇报', '完成技术交流'],
      );
      assert.deepEqual(
        list.map((r) => r.reviewerName),
        ['manager ins', 'rep ins'],
      );
    });

    it('a review with a dated next action plans the deal (no longer "no plan"), and records the root cause it found', async () => {
      const url = `/api/v1/opportunities/${opp}/reviews`;
      const before = json<{ version: number; nextStep: string | null; problems: string[] }>(
        await as.rep('GET', `/api/v1/opportunities/${opp}`),
      );
      const badCause = await as.manager('POST', url, { completedStep: 'x', nextAction: 'y', rootCause: 'bad_luck' });
      assert.equal(badCause.statusCode, 400);
      assert.equal(json<Problem>(badCause).errors![0]!.field, 'rootCause');
      const badDate = await as.manager('POST', url, {
        completedStep: 'x',
        nextAction: 'y',
        nextActionDate: '2027-02-30',
      });
      assert.equal(json<Problem>(badDate).errors![0]!.field, 'nextActionDate');
      const due = new Date(Date.now() + 5 * 86_400_000).toISOString().slice(0, 10);
      const res = await as.manager('POST', url, {
        completedStep: '方案汇报',
        nextAction: '约采购总监确认预算',
        nextActionDate: due,
        rootCause: 'poor_execution',
      });
      assert.equal(res.statusCode, 201, res.body);
      const review = json<Review & { rootCause: string; nextActionDate: string }>(res);
      assert.deepEqual([review.rootCause, review.nextActionDate], ['poor_execution', due]);
      const after = json<{ version: number; nextStep: string | null; nextStepDate: string | null; problems: string[] }>(
        await as.rep('GET', `/api/v1/opportunities/${opp}`),
      );
      assert.deepEqual([after.nextStep, after.nextStepDate], ['约采购总监确认预算', due]);
      assert.ok(!after.problems.includes('no_plan'), after.problems.join());
      assert.equal(
        after.version,
        before.version + 1,
        'an open edit form of the deal learns of the change (409), not overwrites it',
      );
      const timeline = json<TimelinePage>(await as.rep('GET', `/api/v1/opportunities/${opp}/timeline`)).items;
      assert.equal(timeline.find((e) => e.kind === 'review')!.reason, 'poor_execution');
    });

    it('lets a manager mark an advantage as lost with a reason, kept in the history; not the owner; clearing needs no reason', async () => {
      const opportunity = json<{ version: number }>(await as.rep('GET', `/api/v1/opportunities/${opp}`));
      const reason = '客户新任总经理偏向西门子方案';
      assert.equal(
        (
          await as.rep('PATCH', `/api/v1/opportunities/${opp}`, {
            version: opportunity.version,
            advantageLost: true,
            advantageReason: reason,
          })
        ).statusCode,
        403,
      );
      for (const extra of [{}, { advantageReason: '   ' }, { advantageReason: 'x'.repeat(501) }]) {
        const res = await as.manager('PATCH', `/api/v1/opportunities/${opp}`, {
          version: opportunity.version,
          advantageLost: true,
          ...extra,
        });
        assert.equal(res.statusCode, 400, res.body);
        assert.deepEqual(
          json<Problem>(res).errors!.map((e) => e.field),
          ['advantageReason'],
          res.body,
        );
      }
      assert.equal((await insight()).advantageLost, false, 'a refused mark changes nothing');
      const marked = await as.manager('PATCH', `/api/v1/opportunities/${opp}`, {
        version: opportunity.version,
        advantageLost: true,
        advantageReason: ` ${reason} `,
      });
      assert.equal(marked.statusCode, 200, marked.body);
      assert.ok(json<{ problems: string[] }>(marked).problems.includes('advantage_lost'));
      const cleared = await as.manager('PATCH', `/api/v1/opportunities/${opp}`, {
        version: json<{ version: number }>(marked).version,
        advantageLost: false,
      });
      assert.equal(cleared.statusCode, 200, cleared.body);
      const hist = await testApp.db.kysely
        .selectFrom('record_history')
        .select(['old_value', 'new_value', 'reason', 'actor_user_id'])
        .where('workspace_id', '=', fixture.workspaceId)
        .where('entity_id', '=', opp)
        .where('field', '=', 'advantage_lost')
        .orderBy('id')
        .execute();
      assert.deepEqual(
        hist.slice(-2).map((h) => [h.old_value, h.new_value, h.reason, h.actor_user_id]),
        [
          ['false', 'true', reason, fixture.users.manager.id],
          ['true', 'false', null, fixture.users.manager.id],
        ],
      );
      const timeline = json<TimelinePage>(
        await as.manager('GET', `/api/v1/opportunities/${opp}/timeline?limit=100`),
      ).items;
      assert.ok(
        timeline.some((e) => e.reason === reason),
        'the timeline shows why',
      );
    });
  });
}
