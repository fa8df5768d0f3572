import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { testEngines } from '../helpers/db.ts';
import { json } from '../helpers/app.ts';
import { opportunityWorld, type OpportunityWorld } from '../helpers/opportunity-world.ts';
import type { Problem } from '../../src/contracts/common.ts';
import type { OpportunityDetail as Opp } from '../../src/contracts/opportunities.ts';

const fieldOf = (res: { json(): unknown }) => (res.json() as Problem).errors?.[0]?.field;

for (const engine of testEngines()) {
  describe(`closing an opportunity as won, lost or abandoned (docs/sales-process.md § The opportunity, § The stage gate) [${engine}]`, () => {
    let testApp: OpportunityWorld['testApp'];
    let stageIds: OpportunityWorld['stageIds'];
    let stages: OpportunityWorld['stages'];
    let as: OpportunityWorld['as'];
    let evidenceOf: OpportunityWorld['evidenceOf'];
    let create: OpportunityWorld['create'];
    let get: OpportunityWorld['get'];
    before(async () => {
      ({ testApp, stageIds, stages, as, evidenceOf, create, get } = await opportunityWorld(engine));
    });
    after(() => testApp.close());

    it('closes as won only with a positive contract amount, at the won stage, with the stage history closed', async () => {
      const opportunity = await create(2);
      for (const contractAmount of [undefined, 0, -5]) {
        const res = await as.rep('POST', `/api/v1/opportunities/${opportunity.id}/close`, {
          version: opportunity.version,
          outcome: 'won',
          ...(contractAmount === undefined ? {} : { contractAmount }),
        });
        assert.equal(res.statusCode, 400, String(contractAmount));
        assert.equal(fieldOf(res), 'contractAmount');
      }
      assert.equal(
        (
          await as.rep('POST', `/api/v1/opportunities/${opportunity.id}/close`, {
            version: opportunity.version + 1,
            outcome: 'won',
            contractAmount: 1,
          })
        ).statusCode,
        409,
        'stale version',
      );
      // The buyer still only aware of a need: an open deal this far on warns (docs/sales-process.md § Buying phase), a won one no longer does.
      await testApp.db.kysely
        .updateTable('opportunities')
        .set({ buying_phase: 'aware' })
        .where('id', '=', opportunity.id)
        .execute();
      assert.equal(
        ((await get(as.rep, opportunity.id)) as Opp & { stageAheadOfBuyer: boolean }).stageAheadOfBuyer,
        true,
      );
      // Won is the last stage: without the evidence of 谈判 the close is refused like a move (docs/sales-process.md), nothing saved.
      const unproven = await as.rep('POST', `/api/v1/opportunities/${opportunity.id}/close`, {
        version: opportunity.version,
        outcome: 'won',
        contractAmount: 118_500_00,
      });
      assert.equal(unproven.statusCode, 422, unproven.body);
      assert.deepEqual(
        json<{ missing: { stageId: number }[] }>(unproven).missing.map((m) => m.stageId),
        stages[2]!.evidence.map(() => stageIds[2]),
      );
      assert.equal((await get(as.rep, opportunity.id)).status, 'open');
      const res = await as.rep('POST', `/api/v1/opportunities/${opportunity.id}/close`, {
        version: opportunity.version,
        outcome: 'won',
        contractAmount: 118_500_00,
        note: '年底签约',
        evidence: await evidenceOf(stages.slice(2, 3)),
      });
      assert.equal(res.statusCode, 200, res.body);
      const won = json<Opp & { stageAheadOfBuyer: boolean }>(res);
      assert.equal(won.status, 'won');
      assert.equal(won.stageAheadOfBuyer, false);
      assert.equal(won.stageId, stageIds[3]);
      assert.equal(won.contractAmount, 118_500_00);
      assert.equal(won.amount, 118_500_00);
      assert.ok(won.closedAt !== null);
      const history = json<{
        items: { stageId: number; leftAt: number | null; exitDirection: string | null; exitReason: string | null }[];
      }>(await as.rep('GET', `/api/v1/opportunities/${opportunity.id}/stage-history`)).items;
      assert.deepEqual(
        history.map((h) => [h.stageId, h.exitDirection, h.leftAt !== null]),
        [
          [stageIds[0], 'forward', true],
          [stageIds[2], 'forward', true],
          [stageIds[3], 'closed', true],
        ],
      );
      assert.equal(history[1]!.exitReason, '年底签约');
      assert.equal(
        (
          await as.rep('POST', `/api/v1/opportunities/${opportunity.id}/close`, {
            version: won.version,
            outcome: 'lost',
            reason: 'price',
            competitor: 'X',
          })
        ).statusCode,
        409,
        'already closed',
      );
    });

    it('closes as lost or abandoned only with a reason and the competitor (docs/sales-process.md § The stage gate)', async () => {
      const opportunity = await create();
      const noReason = await as.rep('POST', `/api/v1/opportunities/${opportunity.id}/close`, {
        version: opportunity.version,
        outcome: 'lost',
        competitor: '西门子',
      });
      assert.equal(fieldOf(noReason), 'reason');
      const noCompetitor = await as.rep('POST', `/api/v1/opportunities/${opportunity.id}/close`, {
        version: opportunity.version,
        outcome: 'lost',
        reason: 'price',
      });
      assert.equal(fieldOf(noCompetitor), 'competitor');
      assert.equal(
        fieldOf(
          await as.rep('POST', `/api/v1/opportunities/${opportunity.id}/close`, {
            version: opportunity.version,
            outcome: 'lost',
            reason: 'moon_phase',
            competitor: 'x',
          }),
        ),
        'reason',
      );
      assert.equal(
        fieldOf(
          await as.rep('POST', `/api/v1/opportunities/${opportunity.id}/close`, {
            version: opportunity.version,
            outcome: 'lost',
            reason: 'price',
            competitor: '  ',
          }),
        ),
        'competitor',
      );
      assert.equal((await get(as.rep, opportunity.id)).status, 'open', 'nothing saved');
      const lost = json<Opp>(
        await as.rep('POST', `/api/v1/opportunities/${opportunity.id}/close`, {
          version: opportunity.version,
          outcome: 'lost',
          reason: 'price',
          competitor: '西门子',
        }),
      );
      assert.deepEqual(
        [lost.status, lost.closeReason, lost.closeCompetitor, lost.stageId],
        ['lost', 'price', '西门子', stageIds[1]],
      );
      assert.equal(
        (await as.rep('PATCH', `/api/v1/opportunities/${opportunity.id}`, { version: lost.version, amount: 1 }))
          .statusCode,
        409,
        'a closed opportunity is not edited',
      );

      const toAbandon = await create();
      assert.equal(
        fieldOf(
          await as.rep('POST', `/api/v1/opportunities/${toAbandon.id}/close`, {
            version: toAbandon.version,
            outcome: 'abandoned',
            competitor: 'none',
          }),
        ),
        'reason',
      );
      assert.equal(
        fieldOf(
          await as.rep('POST', `/api/v1/opportunities/${toAbandon.id}/close`, {
            version: toAbandon.version,
            outcome: 'abandoned',
            reason: 'no_decision',
          }),
        ),
        'competitor',
      );
      assert.equal((await get(as.rep, toAbandon.id)).status, 'open', 'nothing saved');
      const abandoned = json<Opp>(
        await as.rep('POST', `/api/v1/opportunities/${toAbandon.id}/close`, {
          version: toAbandon.version,
          outcome: 'abandoned',
          reason: 'no_decision',
          competitor: 'none',
        }),
      );
      assert.deepEqual(
        [abandoned.status, abandoned.closeReason, abandoned.closeCompetitor],
        ['abandoned', 'no_decision', 'none'],
      );
      const none = await create();
      assert.equal(
        json<Opp>(
          await as.rep('POST', `/api/v1/opportunities/${none.id}/close`, {
            version: none.version,
            outcome: 'lost',
            reason: 'budget_cut',
            competitor: 'none',
          }),
        ).closeCompetitor,
        'none',
      );
      assert.equal(
        (
          await as.otherAdmin('POST', `/api/v1/opportunities/${none.id}/close`, {
            version: 1,
            outcome: 'abandoned',
            reason: 'other',
            competitor: 'none',
          })
        ).statusCode,
        404,
      );
    });
  });
}
