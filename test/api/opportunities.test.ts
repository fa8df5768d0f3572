import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { testEngines } from '../helpers/db.ts';
import type { Process, Stage } from '../../src/contracts/sales-processes.ts';
import { json, type Call } from '../helpers/app.ts';
import { salesProcessWorld, type SalesProcessWorld } from '../helpers/opportunity-world.ts';
import type { Problem as ProblemOf } from '../../src/contracts/common.ts';
import type { MissingEvidence, OpportunityDetail as Opp } from '../../src/contracts/opportunities.ts';

/** evidence_required names what is missing. */
type Problem = ProblemOf & { missing?: MissingEvidence[] };

for (const engine of testEngines()) {
  describe(`sales processes and opportunities [${engine}]`, () => {
    let testApp: SalesProcessWorld['testApp'];
    let fixture: SalesProcessWorld['fixture'];
    let as: SalesProcessWorld['as'];
    let small: SalesProcessWorld['small'];
    let large: SalesProcessWorld['large'];
    let create: SalesProcessWorld['create'];
    let intent: SalesProcessWorld['intent'];
    let fullEvidence: SalesProcessWorld['fullEvidence'];
    before(async () => {
      ({ testApp, fixture, as, small, large, create, intent, fullEvidence } = await salesProcessWorld(engine));
    });
    after(() => testApp.close());

    it('ships the four processes of docs/sales-process.md § Sales processes and stages with ordered stages and probabilities', async () => {
      const list = json<{ items: { templateKey: string; stageCount: number }[] }>(
        await as.rep('GET', '/api/v1/sales-processes'),
      ).items;
      assert.deepEqual(
        list.map((p) => [p.templateKey, p.stageCount]),
        [
          ['small', 4],
          ['large', 6],
          ['seven_steps', 7],
          ['p0_p7', 8],
        ],
      );
      // Each process counts the open deals the caller may see, as the list does (the board opens on the busiest).
      for (const call of [as.rep, as.manager, as.rep2]) {
        for (const salesProcess of json<{ items: { id: number; openOpportunities: number }[] }>(
          await call('GET', '/api/v1/sales-processes'),
        ).items) {
          const listed = json<{ total: number }>(
            await call('GET', `/api/v1/opportunities?status=open&processId=${salesProcess.id}&limit=1`),
          ).total;
          assert.equal(salesProcess.openOpportunities, listed);
        }
      }
      assert.deepEqual(
        small.stages.map((s) => [s.name, s.probability]),
        [
          ['意向', 20],
          ['方案', 35],
          ['谈判', 70],
          ['成交', 100],
        ],
      );
      assert.deepEqual(
        large.stages.map((s) => s.probability),
        [10, 20, 30, 50, 70, 100],
      );
      assert.equal(small.stages.at(-1)!.won, true);
    });

    it('lets only admins copy a template or edit a stage; probabilities stay in order', async () => {
      assert.equal((await as.manager('POST', '/api/v1/sales-processes', { templateKey: 'small' })).statusCode, 403);
      const copy = await as.admin('POST', '/api/v1/sales-processes', {
        templateKey: 'seven_steps',
        name: '七步法（华东版）',
      });
      assert.equal(copy.statusCode, 201);
      const processCopy = json<Process>(copy);
      assert.equal(processCopy.stages.length, 7);
      const stage = processCopy.stages[2]!;
      const bad = await as.admin('PATCH', `/api/v1/process-stages/${stage.id}`, {
        version: stage.version,
        probability: 5,
      });
      assert.equal(bad.statusCode, 400);
      assert.equal(json<Problem>(bad).errors![0]!.field, 'probability');
      assert.equal(
        (await as.admin('PATCH', `/api/v1/process-stages/${stage.id}`, { version: stage.version, probability: 101 }))
          .statusCode,
        400,
      );
      const ok = await as.admin('PATCH', `/api/v1/process-stages/${stage.id}`, {
        version: stage.version,
        probability: 25,
        evidence: [{ key: 'budget_known', label: '预算已知', requires: 'note' }],
      });
      assert.equal(ok.statusCode, 200, ok.body);
      assert.equal(json<Stage>(ok).probability, 25);
      const dupKeys = await as.admin('PATCH', `/api/v1/process-stages/${stage.id}`, {
        version: stage.version + 1,
        evidence: [
          { key: 'a', label: 'A', requires: 'check' },
          { key: 'a', label: 'B', requires: 'check' },
        ],
      });
      assert.equal(json<Problem>(dupKeys).errors![0]!.field, 'evidence');
    });

    it('creates an opportunity with derived size, expected amount, and the owner on the team', async () => {
      const res = await create(as.rep, {});
      assert.equal(res.statusCode, 201, res.body);
      const opportunity = json<Opp>(res);
      assert.deepEqual(
        [
          opportunity.processId,
          opportunity.stageId,
          opportunity.status,
          opportunity.probability,
          opportunity.expectedAmount,
          opportunity.sizeClass,
        ],
        [small.id, intent().id, 'open', 20, 36_000_00, 'small'],
      );
      assert.deepEqual(
        opportunity.team.map((m) => [m.userId, m.teamRole]),
        [[fixture.users.rep.id, 'sales_lead']],
      );
      assert.equal(json<Opp>(await create(as.rep, { amount: 200_000_00 })).sizeClass, 'large');
    });

    it('records the products being sold (docs/sales-process.md § The opportunity)', async () => {
      const opportunity = json<Opp & { products: string[] }>(
        await create(as.rep, { products: ['MES 系统', '视觉检测工作站'] }),
      );
      assert.deepEqual(opportunity.products, ['MES 系统', '视觉检测工作站']);
      const changed = json<Opp & { products: string[] }>(
        await as.rep('PATCH', `/api/v1/opportunities/${opportunity.id}`, {
          version: opportunity.version,
          products: ['AGV 物流系统'],
        }),
      );
      assert.deepEqual(changed.products, ['AGV 物流系统']);
      const bad = await as.rep('PATCH', `/api/v1/opportunities/${opportunity.id}`, {
        version: changed.version,
        products: [''],
      });
      assert.equal(json<Problem>(bad).errors![0]!.field, 'products.0');
    });

    it('rejects bad input naming the field, and saves nothing', async () => {
      const before = json<{ total: number }>(await as.admin('GET', '/api/v1/opportunities?limit=1')).total;
      const cases: [Record<string, unknown>, string][] = [
        [{ amount: -1 }, 'amount'],
        [{ amount: '100' }, 'amount'],
        [{ amount: 12.5 }, 'amount'],
        [{ expectedCloseDate: '15/01/2027' }, 'expectedCloseDate'],
        [{ expectedCloseDate: '2027-02-30' }, 'expectedCloseDate'],
        [{ stageId: large.stages[1]!.id }, 'stageId'],
        [{ stageId: small.stages.at(-1)!.id }, 'stageId'],
        [{ processId: 999999 }, 'processId'],
        [{ accountId: fixture.accounts.rep2Account }, 'accountId'],
        [{ name: '' }, 'name'],
      ];
      for (const [body, field] of cases) {
        const res = await create(as.rep, body);
        assert.equal(res.statusCode, 400, `${JSON.stringify(body)} → ${res.body}`);
        assert.ok(
          json<Problem>(res).errors!.some((e) => e.field === field),
          `${field} in ${res.body}`,
        );
      }
      assert.equal(json<{ total: number }>(await as.admin('GET', '/api/v1/opportunities?limit=1')).total, before);
    });

    it('closes as won at the won stage only with the contract amount', async () => {
      let opportunity = json<Opp>(await create(as.rep, {}));
      for (const stage of small.stages.slice(0, 2)) {
        opportunity = json<Opp>(
          await as.rep('POST', `/api/v1/opportunities/${opportunity.id}/stage`, {
            version: opportunity.version,
            stageId: small.stages[stage.position + 1]!.id,
            evidence: await fullEvidence(stage),
          }),
        );
      }
      const won = small.stages.at(-1)!;
      const noAmount = await as.rep('POST', `/api/v1/opportunities/${opportunity.id}/stage`, {
        version: opportunity.version,
        stageId: won.id,
        evidence: await fullEvidence(small.stages[2]!),
      });
      assert.equal(json<Problem>(noAmount).errors![0]!.field, 'contractAmount');
      const closed = json<Opp>(
        await as.rep('POST', `/api/v1/opportunities/${opportunity.id}/stage`, {
          version: opportunity.version,
          stageId: won.id,
          evidence: await fullEvidence(small.stages[2]!),
          contractAmount: 175_000_00,
        }),
      );
      assert.deepEqual([closed.status, closed.amount], ['won', 175_000_00]);
      const again = await as.rep('POST', `/api/v1/opportunities/${opportunity.id}/stage`, {
        version: closed.version,
        stageId: intent().id,
        evidence: [],
        reason: 'x',
      });
      assert.equal(json<Problem>(again).code, 'closed');
    });

    it('shows opportunities by docs/organisation.md and keeps reassignment to owners and managers', async () => {
      const ids = async (call: Call) =>
        json<{ items: Opp[] }>(await call('GET', '/api/v1/opportunities?limit=500')).items.map((o) => o.id);
      assert.ok((await ids(as.rep)).includes(fixture.opportunities.repOpp));
      assert.ok(!(await ids(as.rep2)).includes(fixture.opportunities.repOpp));
      assert.equal((await as.rep2('GET', `/api/v1/opportunities/${fixture.opportunities.repOpp}`)).statusCode, 404);
      assert.ok((await ids(as.manager)).includes(fixture.opportunities.repOpp));
      assert.ok(!(await ids(as.presales)).includes(fixture.opportunities.repOpp));
      await testApp.db.kysely
        .insertInto('opportunity_team')
        .values({
          workspace_id: fixture.workspaceId,
          opportunity_id: fixture.opportunities.repOpp,
          user_id: fixture.users.presales.id,
          team_role: 'presales',
          created_at: Date.now(),
        })
        .execute();
      assert.ok((await ids(as.presales)).includes(fixture.opportunities.repOpp));
      const opportunity = json<Opp>(await as.presales('GET', `/api/v1/opportunities/${fixture.opportunities.repOpp}`));
      const steal = await as.presales('PATCH', `/api/v1/opportunities/${opportunity.id}`, {
        version: opportunity.version,
        ownerId: fixture.users.presales.id,
        ownerReason: 'mine',
      });
      assert.equal(steal.statusCode, 403, 'a team member who does not own it cannot reassign it');
      assert.equal(
        (
          await as.presales('PATCH', `/api/v1/opportunities/${opportunity.id}`, {
            version: opportunity.version,
            nextStep: '技术交流',
            amount: 60_000_00,
          })
        ).statusCode,
        403,
        "the amount is the owner's",
      );
      const edit = await as.presales('PATCH', `/api/v1/opportunities/${opportunity.id}`, {
        version: opportunity.version,
        nextStep: '技术交流',
        nextStepDate: '2027-01-05',
      });
      assert.equal(edit.statusCode, 200, edit.body);
      const moved = await as.manager('PATCH', `/api/v1/opportunities/${opportunity.id}`, {
        version: json<Opp>(edit).version,
        ownerId: fixture.users.presales.id,
        ownerReason: '售前牵头',
      });
      assert.equal(json<Opp>(moved).ownerId, fixture.users.presales.id);
      const history = await testApp.db.kysely
        .selectFrom('record_history')
        .select(['field', 'old_value', 'new_value'])
        .where('entity_type', '=', 'opportunity')
        .where('entity_id', '=', opportunity.id)
        .orderBy('id')
        .execute();
      assert.deepEqual(
        history.map((h) => h.field),
        ['owner'],
      );
    });
  });
}
