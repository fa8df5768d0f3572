import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { testEngines } from '../helpers/db.ts';
import { json } from '../helpers/app.ts';
import { opportunityWorld, type OpportunityWorld } from '../helpers/opportunity-world.ts';
import type { Problem } from '../../src/contracts/common.ts';
import type { HistoryItem, OpportunityDetail as Opp } from '../../src/contracts/opportunities.ts';

const fieldOf = (res: { json(): unknown }) => (res.json() as Problem).errors?.[0]?.field;

for (const engine of testEngines()) {
  describe(`reopening an opportunity, and its audit trail (docs/sales-process.md § The opportunity, §5.7) [${engine}]`, () => {
    let testApp: OpportunityWorld['testApp'];
    let fixture: OpportunityWorld['fixture'];
    let stageIds: OpportunityWorld['stageIds'];
    let stages: OpportunityWorld['stages'];
    let as: OpportunityWorld['as'];
    let evidenceOf: OpportunityWorld['evidenceOf'];
    let create: OpportunityWorld['create'];
    let rights: OpportunityWorld['rights'];
    before(async () => {
      ({ testApp, fixture, stageIds, stages, as, evidenceOf, create, rights } = await opportunityWorld(engine));
    });
    after(() => testApp.close());

    it('lets a manager reopen, back at the stage it was in, with a reason', async () => {
      const opportunity = await create();
      const lost = json<Opp>(
        await as.rep('POST', `/api/v1/opportunities/${opportunity.id}/close`, {
          version: opportunity.version,
          outcome: 'lost',
          reason: 'relationship',
          competitor: 'ABB',
        }),
      );
      assert.equal(
        (
          await as.rep2('POST', `/api/v1/opportunities/${opportunity.id}/reopen`, {
            version: lost.version,
            reason: '客户重启',
          })
        ).statusCode,
        404,
        'out of sight',
      );
      assert.equal(
        fieldOf(await as.manager('POST', `/api/v1/opportunities/${opportunity.id}/reopen`, { version: lost.version })),
        'reason',
      );
      const res = await as.manager('POST', `/api/v1/opportunities/${opportunity.id}/reopen`, {
        version: lost.version,
        reason: '客户重新启动采购',
      });
      assert.equal(res.statusCode, 200, res.body);
      const open = json<Opp>(res);
      assert.deepEqual(
        [open.status, open.stageId, open.closedAt, open.closeReason, open.closeCompetitor],
        ['open', stageIds[1], null, null, null],
      );
      assert.equal(
        (
          await as.manager('POST', `/api/v1/opportunities/${opportunity.id}/reopen`, {
            version: open.version,
            reason: 'again',
          })
        ).statusCode,
        409,
        'already open',
      );

      const winning = await create(2);
      const won = json<Opp>(
        await as.rep('POST', `/api/v1/opportunities/${winning.id}/close`, {
          version: winning.version,
          outcome: 'won',
          contractAmount: 5,
          evidence: await evidenceOf(stages.slice(2, 3)),
        }),
      );
      const back = json<Opp>(
        await as.admin('POST', `/api/v1/opportunities/${winning.id}/reopen`, {
          version: won.version,
          reason: '合同作废',
        }),
      );
      assert.deepEqual(
        [back.status, back.stageId, back.contractAmount],
        ['open', stageIds[2], null],
        'a won one goes back to the stage before won',
      );
      const history = json<{ items: { stageId: number; leftAt: number | null }[] }>(
        await as.rep('GET', `/api/v1/opportunities/${winning.id}/stage-history`),
      ).items;
      assert.deepEqual(
        history.map((h) => [h.stageId, h.leftAt === null]),
        [
          [stageIds[0], false],
          [stageIds[2], false],
          [stageIds[3], false],
          [stageIds[2], true],
        ],
      );
    });

    it('keeps the audit trail: owner and team by name, stage, amount, status with reasons, newest first', async () => {
      const opportunity = await create(2, 90_000_00);
      await as.rep('POST', `/api/v1/opportunities/${opportunity.id}/team`, {
        userId: fixture.users.presales.id,
        teamRole: 'presales',
      });
      const patched = await as.manager('PATCH', `/api/v1/opportunities/${opportunity.id}`, {
        version: opportunity.version,
        ownerId: fixture.users.manager.id,
        ownerReason: '转给经理跟进',
      });
      assert.equal(patched.statusCode, 200, patched.body);
      const moved = json<Opp>(patched);
      // The manager closes it on their own word: an override, with the note as its reason.
      const closed = await as.manager('POST', `/api/v1/opportunities/${opportunity.id}/close`, {
        version: moved.version,
        outcome: 'won',
        contractAmount: 88_000_00,
        override: true,
        note: '合同原件已在法务归档',
      });
      assert.equal(closed.statusCode, 200, closed.body);
      const res = await as.rep2('GET', `/api/v1/opportunities/${opportunity.id}/history`);
      assert.equal(res.statusCode, 404, 'only those who see the opportunity see its history');
      assert.equal((await as.otherAdmin('GET', `/api/v1/opportunities/${opportunity.id}/history`)).statusCode, 404);
      const items = json<{ items: HistoryItem[] }>(
        await as.manager('GET', `/api/v1/opportunities/${opportunity.id}/history`),
      ).items;
      const by = (field: string) => items.filter((i) => i.field === field);
      assert.deepEqual(
        by('owner').map((i) => [i.oldLabel, i.newLabel, i.reason]),
        [
          [`rep team`, `manager team`, '转给经理跟进'],
          [null, 'rep team', 'creator'],
        ],
      );
      assert.deepEqual(
        by('team').map((i) => [i.newLabel, i.reason]),
        [['presales team', 'presales']],
      );
      assert.deepEqual(
        by('status').map((i) => [i.oldValue, i.newValue, i.actorName]),
        [['open', 'won', 'manager team']],
      );
      assert.deepEqual(
        by('amount').map((i) => [i.oldValue, i.newValue]),
        [
          ['9000000', '8800000'],
          [null, '9000000'],
        ],
      );
      assert.deepEqual(
        by('stage').map((i) => [i.oldValue, i.newValue]),
        [
          ['谈判', '成交'],
          ['意向', '谈判'],
        ],
        'entering at 谈判 is in the trail as the move it is',
      );
      assert.equal(
        items[0]!.field === 'status' || items[0]!.field === 'stage' || items[0]!.field === 'amount',
        true,
        'newest first',
      );
      assert.ok(items.every((i, k) => k === 0 || items[k - 1]!.createdAt >= i.createdAt));
    });

    it('lets the owner reopen their own closed deal, with a reason logged as now', async () => {
      const opportunity = await create();
      const lost = json<Opp>(
        await as.rep('POST', `/api/v1/opportunities/${opportunity.id}/close`, {
          version: opportunity.version,
          outcome: 'lost',
          reason: 'relationship',
          competitor: 'ABB',
        }),
      );
      assert.deepEqual(await rights(as.rep, opportunity.id), { edit: true, contribute: true, manage: false });
      assert.equal(
        fieldOf(await as.rep('POST', `/api/v1/opportunities/${opportunity.id}/reopen`, { version: lost.version })),
        'reason',
      );
      const before = Date.now();
      const res = await as.rep('POST', `/api/v1/opportunities/${opportunity.id}/reopen`, {
        version: lost.version,
        reason: '客户预算恢复，重新启动',
      });
      assert.equal(res.statusCode, 200, res.body);
      assert.deepEqual([json<Opp>(res).status, json<Opp>(res).stageId], ['open', stageIds[1]]);
      const trail = json<{ items: HistoryItem[] }>(
        await as.rep('GET', `/api/v1/opportunities/${opportunity.id}/history`),
      ).items;
      const reopened = trail.find((i) => i.field === 'status' && i.newValue === 'open')!;
      assert.deepEqual(
        [reopened.oldValue, reopened.reason, reopened.actorName],
        ['lost', '客户预算恢复，重新启动', 'rep team'],
      );
      assert.ok(reopened.createdAt >= before, 'logged when it happened');
    });
  });
}
