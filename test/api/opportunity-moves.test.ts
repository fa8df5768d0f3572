import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { testEngines } from '../helpers/db.ts';
import { json } from '../helpers/app.ts';
import { salesProcessWorld, type SalesProcessWorld } from '../helpers/opportunity-world.ts';
import type { Problem as ProblemOf } from '../../src/contracts/common.ts';
import type { MissingEvidence, OpportunityDetail as Opp } from '../../src/contracts/opportunities.ts';

/** evidence_required names what is missing. */
type Problem = ProblemOf & { missing?: MissingEvidence[] };

for (const engine of testEngines()) {
  describe(`stage moves and their evidence, and the list filtered by where the deals stand (docs/sales-process.md § The stage gate) [${engine}]`, () => {
    let testApp: SalesProcessWorld['testApp'];
    let as: SalesProcessWorld['as'];
    let small: SalesProcessWorld['small'];
    let large: SalesProcessWorld['large'];
    let create: SalesProcessWorld['create'];
    let intent: SalesProcessWorld['intent'];
    let fullEvidence: SalesProcessWorld['fullEvidence'];
    before(async () => {
      ({ testApp, as, small, large, create, intent, fullEvidence } = await salesProcessWorld(engine));
    });
    after(() => testApp.close());

    it('refuses a forward move without the evidence of the stage left, listing what is missing', async () => {
      const opportunity = json<Opp>(await create(as.rep, {}));
      const res = await as.rep('POST', `/api/v1/opportunities/${opportunity.id}/stage`, {
        version: opportunity.version,
        stageId: small.stages[1]!.id,
        evidence: [{ stageId: intent().id, key: 'need_confirmed', note: '' }],
      });
      assert.equal(res.statusCode, 422);
      const problem = json<Problem>(res);
      assert.equal(problem.code, 'evidence_missing');
      assert.deepEqual(
        problem.missing!.map((m) => [m.key, m.problem]),
        [
          ['need_confirmed', 'note_required'],
          ['budget_known', 'missing'],
        ],
      );
      assert.match(problem.detail ?? '', /意向/);
      assert.equal(
        json<Opp>(await as.rep('GET', `/api/v1/opportunities/${opportunity.id}`)).stageId,
        intent().id,
        'nothing moved',
      );
    });

    it('moves forward with evidence and records the stage history with who and what', async () => {
      const opportunity = json<Opp>(await create(as.rep, {}));
      const res = await as.rep('POST', `/api/v1/opportunities/${opportunity.id}/stage`, {
        version: opportunity.version,
        stageId: small.stages[1]!.id,
        evidence: await fullEvidence(intent()),
      });
      assert.equal(res.statusCode, 200, res.body);
      assert.deepEqual([json<Opp>(res).stageName, json<Opp>(res).probability], ['方案', 35]);
      const history = json<{
        items: {
          stageName: string;
          leftAt: number | null;
          exitDirection: string | null;
          exitEvidence: { key: string; note: string | null }[];
          enteredByName: string;
        }[];
      }>(await as.rep('GET', `/api/v1/opportunities/${opportunity.id}/stage-history`)).items;
      assert.deepEqual(
        history.map((x) => [x.stageName, x.exitDirection]),
        [
          ['意向', 'forward'],
          ['方案', null],
        ],
      );
      assert.equal(history[0]!.exitEvidence.find((e) => e.key === 'need_confirmed')!.note, '客户确认了产线良率问题');
      assert.equal(history[1]!.enteredByName, 'rep opp');
    });

    it('skips stages only with the evidence of every skipped stage', async () => {
      const opportunity = json<Opp>(await create(as.rep, {}));
      const target = small.stages[2]!;
      const partial = await as.rep('POST', `/api/v1/opportunities/${opportunity.id}/stage`, {
        version: opportunity.version,
        stageId: target.id,
        evidence: await fullEvidence(intent()),
      });
      assert.equal(partial.statusCode, 422);
      assert.ok(json<Problem>(partial).missing!.every((m) => m.stageId === small.stages[1]!.id));
      const ok = await as.rep('POST', `/api/v1/opportunities/${opportunity.id}/stage`, {
        version: opportunity.version,
        stageId: target.id,
        evidence: [...(await fullEvidence(intent())), ...(await fullEvidence(small.stages[1]!))],
      });
      assert.equal(json<Opp>(ok).stageName, '谈判');
    });

    it('lets a manager override missing evidence with a reason, but not a rep', async () => {
      const opportunity = json<Opp>(await create(as.rep, {}));
      const repTry = await as.rep('POST', `/api/v1/opportunities/${opportunity.id}/stage`, {
        version: opportunity.version,
        stageId: small.stages[1]!.id,
        evidence: [],
        override: true,
        reason: 'trust me',
      });
      assert.equal(repTry.statusCode, 403, 'a clear refusal, not a list of missing evidence');
      assert.match(json<Problem>(repTry).detail ?? '', /manager/);
      const noReason = await as.manager('POST', `/api/v1/opportunities/${opportunity.id}/stage`, {
        version: opportunity.version,
        stageId: small.stages[1]!.id,
        evidence: [],
        override: true,
      });
      assert.equal(json<Problem>(noReason).errors![0]!.field, 'reason');
      const ok = await as.manager('POST', `/api/v1/opportunities/${opportunity.id}/stage`, {
        version: opportunity.version,
        stageId: small.stages[1]!.id,
        evidence: [],
        override: true,
        reason: '老客户复购，需求明确',
      });
      assert.equal(ok.statusCode, 200, ok.body);
      const stageEntry = json<{ items: { exitOverridden: unknown[]; exitReason: string }[] }>(
        await as.manager('GET', `/api/v1/opportunities/${opportunity.id}/stage-history`),
      ).items[0]!;
      assert.equal(stageEntry.exitOverridden.length, 2);
      assert.equal(stageEntry.exitReason, '老客户复购，需求明确');
    });

    it('refuses evidence that proves nothing of the move, naming the item, and stores nothing', async () => {
      const opportunity = json<Opp>(await create(as.rep, {}));
      const move = (evidence: unknown[]) =>
        as.rep('POST', `/api/v1/opportunities/${opportunity.id}/stage`, {
          version: opportunity.version,
          stageId: small.stages[1]!.id,
          evidence,
        });
      const full = await fullEvidence(intent());
      const unknownKey = await move([...full, { stageId: intent().id, key: 'zzz' }]);
      assert.equal(unknownKey.statusCode, 400, unknownKey.body);
      assert.deepEqual(
        json<Problem>(unknownKey).errors!.map((e) => e.field),
        [`evidence.${full.length}.key`],
      );
      const target = await move([{ stageId: small.stages[1]!.id, key: 'proposal_sent' }, ...full]);
      assert.deepEqual(
        json<Problem>(target).errors!.map((e) => e.field),
        ['evidence.0.stageId'],
        'the stage entered is not being left',
      );
      const foreign = await move([...full, { stageId: large.stages[0]!.id, key: 'pain_found' }]);
      assert.deepEqual(
        json<Problem>(foreign).errors!.map((e) => e.field),
        [`evidence.${full.length}.stageId`],
      );
      const history = json<{ items: { leftAt: number | null }[] }>(
        await as.rep('GET', `/api/v1/opportunities/${opportunity.id}/stage-history`),
      ).items;
      assert.deepEqual(
        history.map((x) => x.leftAt),
        [null],
        'nothing moved, nothing stored',
      );
    });

    it('moves back only with a reason; refuses stages of another process', async () => {
      const opportunity = json<Opp>(await create(as.rep, {}));
      const moved = json<Opp>(
        await as.rep('POST', `/api/v1/opportunities/${opportunity.id}/stage`, {
          version: opportunity.version,
          stageId: small.stages[1]!.id,
          evidence: await fullEvidence(intent()),
        }),
      );
      const noReason = await as.rep('POST', `/api/v1/opportunities/${opportunity.id}/stage`, {
        version: moved.version,
        stageId: intent().id,
        evidence: [],
      });
      assert.equal(json<Problem>(noReason).code, 'reason_required');
      const back = await as.rep('POST', `/api/v1/opportunities/${opportunity.id}/stage`, {
        version: moved.version,
        stageId: intent().id,
        evidence: [],
        reason: '客户预算冻结，重新确认需求',
      });
      assert.equal(json<Opp>(back).stageName, '意向');
      const foreign = await as.rep('POST', `/api/v1/opportunities/${opportunity.id}/stage`, {
        version: json<Opp>(back).version,
        stageId: large.stages[1]!.id,
        evidence: [],
      });
      assert.equal(foreign.statusCode, 400);
      assert.equal(json<Problem>(foreign).errors![0]!.field, 'stageId');
    });

    it('takes the fixed-point body {stageId, evidence, reason?} without a version too', async () => {
      const opportunity = json<Opp>(await create(as.rep, {}));
      const res = await as.rep('POST', `/api/v1/opportunities/${opportunity.id}/stage`, {
        stageId: small.stages[1]!.id,
        evidence: await fullEvidence(intent()),
      });
      assert.equal(res.statusCode, 200, res.body);
      assert.equal(json<Opp>(res).stageName, '方案');
      const refused = await as.rep('POST', `/api/v1/opportunities/${opportunity.id}/stage`, {
        stageId: small.stages[2]!.id,
        evidence: [],
      });
      assert.equal(refused.statusCode, 422, 'still refused without the evidence');
    });

    it('lets exactly one of two simultaneous moves win (409 for the other)', async () => {
      const opportunity = json<Opp>(await create(as.rep, {}));
      const body = {
        version: opportunity.version,
        stageId: small.stages[1]!.id,
        evidence: await fullEvidence(intent()),
      };
      const [repMove, managerMove] = await Promise.all([
        as.rep('POST', `/api/v1/opportunities/${opportunity.id}/stage`, body),
        as.manager('POST', `/api/v1/opportunities/${opportunity.id}/stage`, body),
      ]);
      assert.deepEqual([repMove.statusCode, managerMove.statusCode].sort(), [200, 409]);
      const history = json<{ items: unknown[] }>(
        await as.rep('GET', `/api/v1/opportunities/${opportunity.id}/stage-history`),
      ).items;
      assert.equal(history.length, 2, 'one move recorded');
    });

    it('filters by status, process, stage and close period', async () => {
      const list = async (qs: string) =>
        json<{ items: Opp[] }>(await as.admin('GET', `/api/v1/opportunities?limit=500&${qs}`)).items;
      assert.ok((await list(`processId=${small.id}`)).every((o) => o.processId === small.id));
      assert.ok((await list(`stageId=${intent().id}`)).every((o) => o.stageId === intent().id));
      assert.ok((await list('status=won')).every((o) => o.status === 'won'));
      const jan = await list('closeFrom=2027-01-01&closeTo=2027-01-31');
      assert.ok(jan.length > 0);
      // "Closing soon" leaves out the long shots: a stage probability floor, on the list and its export.
      const likely = await list('status=open&minProbability=30');
      const open = await list('status=open');
      assert.ok(likely.length > 0 && likely.length < open.length, 'the floor removes some open deals, not all');
      assert.ok(likely.every((o) => (o.probability ?? -1) >= 30));
      assert.deepEqual(
        likely.map((o) => o.id).sort(),
        open
          .filter((o) => (o.probability ?? -1) >= 30)
          .map((o) => o.id)
          .sort(),
      );
      assert.equal((await as.admin('GET', '/api/v1/opportunities?minProbability=101')).statusCode, 400);
      const bad = await as.admin('GET', '/api/v1/opportunities?closeFrom=jan&status=maybe');
      assert.deepEqual(
        json<Problem>(bad)
          .errors!.map((e) => e.field)
          .sort(),
        ['query.closeFrom', 'query.status'],
      );
    });
  });
}
