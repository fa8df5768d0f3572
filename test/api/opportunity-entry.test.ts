import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { testEngines } from '../helpers/db.ts';
import { json } from '../helpers/app.ts';
import { salesProcessWorld, type SalesProcessWorld } from '../helpers/opportunity-world.ts';
import type { Problem as ProblemOf } from '../../src/contracts/common.ts';
import type { MissingEvidence, OpportunityDetail as Opp } from '../../src/contracts/opportunities.ts';
import type { TimelinePage } from '../../src/contracts/timeline.ts';

/** evidence_required names what is missing. */
type Problem = ProblemOf & { missing?: MissingEvidence[] };

for (const engine of testEngines()) {
  describe(`an opportunity created past the first stage (docs/sales-process.md § The stage gate) [${engine}]`, () => {
    let testApp: SalesProcessWorld['testApp'];
    let fixture: SalesProcessWorld['fixture'];
    let as: SalesProcessWorld['as'];
    let small: SalesProcessWorld['small'];
    let create: SalesProcessWorld['create'];
    let intent: SalesProcessWorld['intent'];
    let fullEvidence: SalesProcessWorld['fullEvidence'];
    before(async () => {
      ({ testApp, fixture, as, small, create, intent, fullEvidence } = await salesProcessWorld(engine));
    });
    after(() => testApp.close());

    it('creates past the first stage only with the evidence of every stage skipped, recorded as the move', async () => {
      const count = async () => json<{ total: number }>(await as.admin('GET', '/api/v1/opportunities?limit=1')).total;
      const before = await count();
      const negotiation = small.stages[2]!;
      const bare = await create(as.rep, { stageId: negotiation.id });
      assert.equal(bare.statusCode, 422, bare.body);
      assert.equal(json<Problem>(bare).code, 'evidence_missing');
      assert.deepEqual(
        json<Problem>(bare).missing!.map((m) => [m.stageId, m.key, m.problem]),
        [
          [intent().id, 'need_confirmed', 'missing'],
          [intent().id, 'budget_known', 'missing'],
          [small.stages[1]!.id, 'proposal_sent', 'missing'],
          [small.stages[1]!.id, 'proposal_accepted', 'missing'],
        ],
      );
      const partial = await create(as.rep, { stageId: negotiation.id, evidence: await fullEvidence(intent()) });
      assert.deepEqual(
        json<Problem>(partial).missing!.map((m) => m.key),
        ['proposal_sent', 'proposal_accepted'],
      );
      const zzz = await create(as.rep, { stageId: negotiation.id, evidence: [{ stageId: intent().id, key: 'zzz' }] });
      assert.deepEqual([zzz.statusCode, json<Problem>(zzz).errors![0]!.field], [400, 'evidence.0.key']);
      const notSkipped = await create(as.rep, {
        stageId: negotiation.id,
        evidence: [{ stageId: negotiation.id, key: 'price_approved' }],
      });
      assert.deepEqual(
        [notSkipped.statusCode, json<Problem>(notSkipped).errors![0]!.field],
        [400, 'evidence.0.stageId'],
      );
      const atFirst = await create(as.rep, { evidence: [{ stageId: intent().id, key: 'budget_known' }] });
      assert.deepEqual(
        [atFirst.statusCode, json<Problem>(atFirst).errors![0]!.field],
        [400, 'evidence.0.stageId'],
        'the first stage skips nothing',
      );
      // A file that proves another opportunity is refused after the checks of the gate: the creation rolls back.
      const borrowed = [
        ...(await fullEvidence(intent())),
        ...(await fullEvidence(small.stages[1]!)).map((err) =>
          err.attachmentId ? { ...err, attachmentId: fixture.attachments.repProof } : err,
        ),
      ];
      const stolen = await create(as.rep, { stageId: negotiation.id, evidence: borrowed });
      assert.equal(stolen.statusCode, 400, stolen.body);
      assert.equal(json<Problem>(stolen).errors![0]!.field, `evidence.${small.stages[1]!.id}.proposal_sent`);
      assert.equal(
        (
          await as.rep('POST', '/api/v1/opportunities', {
            accountId: fixture.accounts.repAccount,
            name: 'x',
            processId: small.id,
            amount: 1,
            expectedCloseDate: '2027-01-15',
            stageId: negotiation.id,
            override: true,
            reason: '老客户',
          })
        ).statusCode,
        403,
        'a rep may not override',
      );
      assert.equal(await count(), before, 'nothing saved');

      const evidence = [...(await fullEvidence(intent())), ...(await fullEvidence(small.stages[1]!))];
      const res = await create(as.rep, { name: '老客户复购', stageId: negotiation.id, evidence });
      assert.equal(res.statusCode, 201, res.body);
      const opportunity = json<Opp>(res);
      assert.deepEqual([opportunity.stageName, opportunity.probability], ['谈判', 70]);
      type H = {
        stageName: string;
        enteredAt: number;
        leftAt: number | null;
        exitDirection: string | null;
        exitEvidence: { stageId: number; key: string; attachmentId?: number | null }[];
        leftByName: string | null;
      };
      const history = json<{ items: H[] }>(
        await as.rep('GET', `/api/v1/opportunities/${opportunity.id}/stage-history`),
      ).items;
      assert.deepEqual(
        history.map((x) => [x.stageName, x.exitDirection, x.leftByName]),
        [
          ['意向', 'forward', 'rep opp'],
          ['谈判', null, null],
        ],
      );
      assert.deepEqual(
        history[0]!.exitEvidence.map((e) => e.key),
        evidence.map((e) => e.key),
        "the skipped stages' evidence, as a move keeps it",
      );
      assert.equal(history[0]!.leftAt, history[0]!.enteredAt, 'no time was spent in the first stage');
      const file = evidence.find((e) => e.attachmentId)!.attachmentId;
      const files = json<{ items: { id: number }[] }>(
        await as.rep('GET', `/api/v1/opportunities/${opportunity.id}/attachments`),
      ).items;
      assert.deepEqual(
        files.map((x) => x.id),
        [file],
        'the file proves this opportunity now',
      );
      const trail = json<{ items: { field: string; oldValue: string | null; newValue: string | null }[] }>(
        await as.rep('GET', `/api/v1/opportunities/${opportunity.id}/history`),
      ).items;
      assert.deepEqual(
        trail.filter((i) => i.field === 'stage').map((i) => [i.oldValue, i.newValue]),
        [['意向', '谈判']],
      );
      // The timeline tells it as it happened, newest first: the file uploaded, the deal created, then moved into 谈判 with the evidence.
      const tl = json<TimelinePage>(await as.rep('GET', `/api/v1/opportunities/${opportunity.id}/timeline`)).items;
      assert.deepEqual(
        tl.map((e) => e.kind),
        ['stage_moved', 'opportunity_created', 'file_added'],
      );
      assert.deepEqual(
        [tl[0]!.from, tl[0]!.subject, tl[0]!.direction, tl[0]!.evidenceCount],
        ['意向', '谈判', 'forward', evidence.length],
      );
    });

    it('lets a manager create past the first stage overriding missing evidence with a reason', async () => {
      const noReason = await create(as.manager, {
        ownerId: fixture.users.rep.id,
        stageId: small.stages[1]!.id,
        override: true,
      });
      assert.equal(json<Problem>(noReason).errors![0]!.field, 'reason');
      const res = await create(as.manager, {
        ownerId: fixture.users.rep.id,
        stageId: small.stages[1]!.id,
        override: true,
        reason: '老客户复购，需求已明确',
      });
      assert.equal(res.statusCode, 201, res.body);
      const history = json<{ items: { exitOverridden: unknown[]; exitReason: string | null }[] }>(
        await as.manager('GET', `/api/v1/opportunities/${json<Opp>(res).id}/stage-history`),
      ).items;
      assert.deepEqual([history[0]!.exitOverridden.length, history[0]!.exitReason], [2, '老客户复购，需求已明确']);
    });
  });
}
